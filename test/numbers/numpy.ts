// numpy as an fp16 oracle: is it installed, and one python3 run that converts a batch of float64s to
// float16 bit patterns (numpy rounds float64 -> float16 directly, to nearest even) and also returns the
// float64 value of every float16 pattern.
import { spawnSync } from 'node:child_process';

export const NUMPY_PKG = 'python3-numpy';

let cached: boolean | undefined;
export function haveNumpy(): boolean {
  cached ??= spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
  return cached;
}

/** Title suffix saying why the numpy suite is skipped, or '' when numpy is there. */
export function missingNumpy(): string {
  if (haveNumpy()) return '';
  const msg = ` (skipped: install the Debian package ${NUMPY_PKG})`;
  process.stderr.write(`d1 tests:${msg}\n`);
  return msg;
}

const SCRIPT = `
import sys, numpy as np
data = sys.stdin.buffer.read()
xs = np.frombuffer(data, dtype='<f8')
with np.errstate(all='ignore'):
    h = xs.astype(np.float16).view('<u2')
    d = np.arange(65536, dtype=np.uint32).astype('<u2').view(np.float16).astype('<f8')
sys.stdout.buffer.write(h.tobytes())
sys.stdout.buffer.write(d.tobytes())
`;

/** numpy.float16(x) bit patterns for xs, and numpy's float64 value of each of the 65536 float16 patterns. */
export function numpyFp16(xs: readonly number[]): { bits: Uint16Array; values: Float64Array } {
  const input = new Float64Array(xs);
  const r = spawnSync('python3', ['-c', SCRIPT], { input: Buffer.from(input.buffer), maxBuffer: 1 << 30, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`python3/numpy failed: ${r.stderr?.toString()}`);
  const out: Buffer = r.stdout;
  const expected = xs.length * 2 + 65536 * 8;
  if (out.length !== expected) throw new Error(`numpy returned ${out.length} bytes, expected ${expected}`);
  const copy = new Uint8Array(out); // aligned copy
  return {
    bits: new Uint16Array(copy.buffer, 0, xs.length),
    values: new Float64Array(copy.slice(xs.length * 2).buffer),
  };
}
