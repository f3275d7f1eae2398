// The reference for the emulated GEMM in `npm run bench`: a plain WebAssembly SIMD GEMM of the same size
// and formats (bf16 inputs widened to fp32, fp32 products and sums, four lanes at a time), written with
// the block compiler's wasm writer and run in this process: C[i][j..j+3] += A[i][k] * B[k][j..j+3].
import { Body, module, OP } from '../emulator/host/jit/wasm.js';

const V128 = 0x7b;
const SIMD = 0xfd;
const [LOAD, STORE, SPLAT, ADD, MUL] = [0x00, 0x0b, 0x13, 0xe4, 0xe6];

/** gemm(n): fp32 n x n matrices A at 0, B at 4n^2, C at 8n^2 of its memory. */
function gemmModule(): Uint8Array<ArrayBuffer> {
  const b = new Body();
  const N = 0, I = 1, K = 2, J = 3, AV = 4;
  const addr = (row: number, col: number, base: number) => {
    // base + (row * n + col) * 4
    b.get(row).get(N).op(OP.i32_mul).get(col).op(OP.i32_add).i32(2).op(OP.i32_shl);
    if (base) b.get(N).get(N).op(OP.i32_mul).i32(base * 4).op(OP.i32_mul, OP.i32_add);
  };
  b.i32(0).set(I).open(OP.loop);
  b.i32(0).set(K).open(OP.loop);
  addr(I, K, 0);
  b.mem(0x2a, 0).op(SIMD, SPLAT).set(AV); // f32.load, f32x4.splat
  b.i32(0).set(J).open(OP.loop);
  addr(I, J, 2);
  addr(I, J, 2);
  b.op(SIMD, LOAD, 0, 0);
  b.get(AV);
  addr(K, J, 1);
  b.op(SIMD, LOAD, 0, 0, SIMD, MUL, 0x01, SIMD, ADD, 0x01, SIMD, STORE, 0, 0);
  b.get(J).i32(4).op(OP.i32_add).tee(J).get(N).op(0x48).br(2, OP.br_if).end(); // i32.lt_s
  b.get(K).i32(1).op(OP.i32_add).tee(K).get(N).op(0x48).br(1, OP.br_if).end();
  b.get(I).i32(1).op(OP.i32_add).tee(I).get(N).op(0x48).br(0, OP.br_if).end();
  return module({ memory: { maximum: 64, shared: false }, globals: [], functions: [] }, [{ params: [0x7f], results: [], locals: [0x7f, 0x7f, 0x7f, V128], body: b.code }]);
}

/** Seconds for one n x n x n GEMM of the given bf16 inputs (the best of `runs`), and C. */
export function simdGemm(n: number, a: Uint16Array, bm: Uint16Array, runs: number): { seconds: number; c: Float32Array } {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 64 });
  const gemm = new WebAssembly.Instance(new WebAssembly.Module(gemmModule()), { env: { memory } }).exports.f as (n: number) => void;
  const f = new Float32Array(memory.buffer);
  const widen = (h: number) => new Float32Array(new Uint32Array([h << 16]).buffer)[0]!;
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < n * n; i++) {
      f[i] = widen(a[i]!);
      f[n * n + i] = widen(bm[i]!);
      f[2 * n * n + i] = 0;
    }
    const t = performance.now();
    gemm(n);
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return { seconds: best, c: f.slice(2 * n * n, 3 * n * n) };
}
