// The Dojo kernels in programs/, each against a reference computed here from its definition: the bf16
// GEMM against binary64 arithmetic within the fp32 accumulation bound and at >= 80% of the matrix peak.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import type { Image } from '../../assembler/image.js';
import { Core } from '../../emulator/host/core.js';
import { decode, encode, SrGenerator } from '../../emulator/host/numbers.js';
import { oneCore } from '../../emulator/host/mesh.js';
import { runLoaded } from '../../emulator/host/run.js';
import { coreStats } from '../../emulator/host/stats.js';

const PROGRAMS = fileURLToPath(new URL('../../programs/', import.meta.url));

async function runKernel(name: string): Promise<{ core: Core; image: Image; stdout: string; exitCode: number }> {
  const path = join(PROGRAMS, `${name}.dasm`);
  const { image, diagnostics } = assemble([{ path, text: readFileSync(path, 'utf8') }]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const machine = oneCore();
  const core = machine.core();
  machine.load(image!);
  let stdout = '';
  const r = await runLoaded(machine, { stdout: { write: (s) => (stdout += typeof s === 'string' ? s : Buffer.from(s).toString()) }, stderr: process.stderr });
  return { core, image: image!, stdout, exitCode: r.exitCode };
}

const symbol = (image: Image, name: string): bigint => image.symbols.find((s) => s.name === name)!.value;

/** The program's bf16 inputs, from its description in gemm.dasm: 16 xorshift32 streams, one per lane. */
function gemmInputs(count: number): number[] {
  const xs = Array.from({ length: 16 }, (_, k) => (2463534242 + k * 0x9e3779b9) >>> 0);
  const out: number[] = [];
  while (out.length < count) {
    for (let k = 0; k < 16; k++) {
      let x = xs[k]!;
      x = (x ^ (x << 13)) >>> 0;
      x = (x ^ (x >>> 17)) >>> 0;
      x = (x ^ (x << 5)) >>> 0;
      xs[k] = x;
      out.push(((x & 0x81ff) + (123 << 7)) & 0xffff);
    }
  }
  return out;
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
    const inputs = gemmInputs(M * K + K * N);
    for (let i = 0; i < M * K; i++) expect(a.getUint16(2 * i, true)).toBe(inputs[i]);
    for (let i = 0; i < K * N; i++) expect(b.getUint16(2 * i, true)).toBe(inputs[M * K + i]);
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

describe('quantize.dasm: fp32 -> CFloat8 1-4-3 with stochastic rounding', () => {
  it('rounds every value as the number library does, and stochastic rounding has mean error near zero', async () => {
    const { core, image, stdout, exitCode } = await runKernel('quantize');
    expect(exitCode).toBe(0);
    const n = 16384;
    const xs = new DataView(core.readMem(symbol(image, 'xs'), n * 4).buffer);
    const sr = core.readMem(symbol(image, 'q_sr'), n);
    const rne = core.readMem(symbol(image, 'q_rne'), n);
    const spec = { format: 'cfp8_143', bias: 7 };
    const g = new SrGenerator(20211123n); // the program's vsrstate seed: one draw per lane, in order
    let errSr = 0;
    let errRne = 0;
    for (let i = 0; i < n; i++) {
      const x = xs.getFloat32(4 * i, true);
      expect(x >= 1 && x < 1.05).toBe(true);
      expect(rne[i]).toBe(encode(spec, x).bits);
      expect(sr[i]).toBe(encode(spec, x, 'sr', g.next()).bits);
      errSr += decode(spec, sr[i]!) - x;
      errRne += decode(spec, rne[i]!) - x;
    }
    // Each stochastic rounding error has mean 0 and standard deviation at most 0.125 / 2.
    const se = 0.0625 / Math.sqrt(n);
    expect(Math.abs(errSr / n)).toBeLessThan(4 * se);
    expect(errRne / n).toBeLessThan(-0.02); // round-to-nearest: every value to 1.0
    const m = /stochastic (-?\d+), nearest (-?\d+)/.exec(stdout)!;
    expect(Math.abs(Number(m[1]) / 2 ** 20 - errSr / n)).toBeLessThan(1e-5);
    expect(Math.abs(Number(m[2]) / 2 ** 20 - errRne / n)).toBeLessThan(1e-5);
  });
});

describe('softmax.dasm: row softmax, fp32 -> bf16', () => {
  it('matches binary64 softmax within one bf16 rounding plus fp32 noise', async () => {
    const { core, image, exitCode } = await runKernel('softmax');
    expect(exitCode).toBe(0);
    const R = 64, C = 64;
    const ys = new DataView(core.readMem(symbol(image, 'ys'), R * C * 2).buffer);
    for (let r = 0; r < R; r++) {
      const x = Array.from({ length: C }, (_, c) => (((7 * r + 13 * c) % 29) - 14) / 4);
      const max = Math.max(...x);
      const e = x.map((v) => Math.exp(v - max));
      const sum = e.reduce((s, v) => s + v, 0);
      let total = 0;
      for (let c = 0; c < C; c++) {
        const want = e[c]! / sum;
        const got = decode({ format: 'bf16' }, ys.getUint16(2 * (r * C + c), true));
        total += got;
        // bf16 keeps 8 significant bits: half an ulp is 2^-8 relative; fp32 steps add far less
        expect(Math.abs(got - want), `row ${r} column ${c}`).toBeLessThanOrEqual(want * 2 ** -8 * 1.01);
      }
      expect(Math.abs(total - 1)).toBeLessThan(0.02);
    }
  });
});

describe('transpose.dasm: 64 x 64 fp32 transpose with vtrn.4', () => {
  it('writes B[j][i] = A[i][j]', async () => {
    const { core, image, stdout, exitCode } = await runKernel('transpose');
    expect(exitCode).toBe(0);
    const b = new DataView(core.readMem(symbol(image, 'mat_b'), 64 * 64 * 4).buffer);
    for (let i = 0; i < 64; i++) for (let j = 0; j < 64; j++) expect(b.getUint32(4 * (j * 64 + i), true)).toBe(64 * i + j);
    const cycles = Number(/kernel cycles (\d+)/.exec(stdout)![1]);
    // 256 loads, 256 stores and 16 transposes of 16 registers: at least 256 cycles of vector issue
    expect(cycles).toBeGreaterThanOrEqual(256);
  });
});
