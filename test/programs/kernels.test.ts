// The Dojo kernels in programs/, each against a reference computed here from its definition: the bf16
// GEMM against binary64 arithmetic within the fp32 accumulation bound and at >= 80% of the matrix peak.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import type { Image } from '../../assembler/image.js';
import { Core } from '../../emulator/host/core.js';
import { decode } from '../../emulator/host/numbers.js';
import { runLoaded } from '../../emulator/host/run.js';
import { coreStats } from '../../emulator/host/stats.js';

const PROGRAMS = fileURLToPath(new URL('../../programs/', import.meta.url));

async function runKernel(name: string): Promise<{ core: Core; image: Image; stdout: string; exitCode: number }> {
  const path = join(PROGRAMS, `${name}.dasm`);
  const { image, diagnostics } = assemble([{ path, text: readFileSync(path, 'utf8') }]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const core = new Core();
  core.load(image!);
  let stdout = '';
  const r = await runLoaded(core, { stdout: { write: (s) => (stdout += typeof s === 'string' ? s : Buffer.from(s).toString()) }, stderr: process.stderr });
  return { core, image: image!, stdout, exitCode: r.exitCode };
}

const symbol = (image: Image, name: string): bigint => image.symbols.find((s) => s.name === name)!.value;

/** The program's xorshift32 bf16 generator, from its description in gemm.dasm. */
function* bf16Stream(seed: number): Generator<number> {
  let x = seed >>> 0;
  for (;;) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const e = Math.floor((x >>> 7) / 1) % 5; // (x >> 7) mod 5
    yield ((x >>> 31) << 15) | ((127 - 4 + e) << 7) | (x & 127);
  }
}

describe('gemm.dasm: 256x256x256 bf16 -> fp32 on the matrix units', () => {
  it('computes A x B within the fp32 accumulation bound of a binary64 reference, at >= 80% of peak', async () => {
    const { core, image, stdout, exitCode } = await runKernel('gemm');
    expect(exitCode).toBe(0);
    const M = 256, N = 256, K = 256;
    const rd = (sym: string, bytes: number) => new DataView(core.readMem(symbol(image, sym), bytes).buffer);
    const a = rd('mat_a', M * K * 2);
    const b = rd('mat_b', K * N * 2);
    const c = rd('mat_c', M * N * 4);
    // The inputs are the documented random stream.
    const gen = bf16Stream(2463534242);
    for (let i = 0; i < M * K; i++) expect(a.getUint16(2 * i, true)).toBe(gen.next().value);
    for (let i = 0; i < K * N; i++) expect(b.getUint16(2 * i, true)).toBe(gen.next().value);
    const A = Float64Array.from({ length: M * K }, (_, i) => decode({ format: 'bf16' }, a.getUint16(2 * i, true)));
    const B = Float64Array.from({ length: K * N }, (_, i) => decode({ format: 'bf16' }, b.getUint16(2 * i, true)));
    let worst = 0;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let exact = 0;
        let magnitude = 0;
        for (let k = 0; k < K; k++) {
          const p = A[i * K + k]! * B[k * N + j]!; // exact: bf16 products have 16 significant bits
          exact += p; // binary64 sums of these stay far below 2^-53 relative error at this size
          magnitude += Math.abs(p);
        }
        // fp32 accumulation: one rounding per mma (K/4 of them), each within 2^-24 of the running sum
        const bound = (K / 4) * 2 ** -24 * magnitude;
        const err = Math.abs(c.getFloat32(4 * (i * N + j), true) - exact);
        worst = Math.max(worst, err / bound);
        if (err > bound) expect.fail(`C[${i}][${j}] = ${c.getFloat32(4 * (i * N + j), true)}, reference ${exact}, bound ${bound}`);
      }
    }
    expect(worst).toBeGreaterThan(0); // the check is not vacuous: rounding happened
    const m = /kernel cycles (\d+), matrix peak (\d+)\.(\d)%/.exec(stdout)!;
    const cycles = Number(m[1]);
    expect(Number(`${m[2]}.${m[3]}`)).toBeGreaterThanOrEqual(80);
    expect((M * N * K) / 256 / cycles).toBeGreaterThanOrEqual(0.8);
    const s = coreStats(core);
    expect(s.matrix.macs).toBe(M * N * K);
  });
});
