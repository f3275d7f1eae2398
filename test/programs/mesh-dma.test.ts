// Multi-core kernels that move their data with the DMA engines (docs/machine.md, "Mesh"): summa.dasm, a
// distributed bf16 GEMM on the matrix units, checked element by element against a reference that
// rounds as the matrix units do; scatter.dasm, a list-parser scatter and a gather, checked byte by
// byte; and a descriptor list that loops, which the list parser must refuse.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import type { Image } from '../../assembler/image.js';
import { Machine, type MeshOutcome } from '../../emulator/host/mesh.js';
import { meshStats, type MeshStats } from '../../emulator/host/mesh-stats.js';
import { D1_DIE, meshPreset, type MeshPreset } from '../../emulator/presets.js';

const PROGRAMS = fileURLToPath(new URL('../../programs/', import.meta.url));

/** Assemble programs/<name>.dasm, with `prefix` (e.g. `.equ BS, 32`) before its text. */
function build(name: string, prefix = ''): Image {
  const path = join(PROGRAMS, `${name}.dasm`);
  const { image, diagnostics } = assemble([{ path, text: prefix + readFileSync(path, 'utf8') }]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return image!;
}

async function runMesh(img: Image, w: number, h: number, file = 'prog.dasm'): Promise<{ m: Machine; o: MeshOutcome; out: string; stats: MeshStats }> {
  return runOn(img, meshPreset(w, h), file);
}

async function runOn(img: Image, preset: MeshPreset, file = 'prog.dasm'): Promise<{ m: Machine; o: MeshOutcome; out: string; stats: MeshStats }> {
  const m = new Machine(preset);
  expect(m.load(img, file)).toEqual([]);
  let out = '';
  const sink = { write: (s: string | Uint8Array) => (out += typeof s === 'string' ? s : Buffer.from(s).toString()) };
  const o = await m.run({ stdout: sink, stderr: sink, maxCycles: 50_000_000n });
  return { m, o, out, stats: meshStats(m) };
}

const symbol = (img: Image, name: string): bigint => img.symbols.find((s) => s.name === name)!.value;

function mem(m: Machine, x: number, y: number, img: Image, sym: string, bytes: number, offset = 0): DataView {
  const b = m.cores.get(y * m.preset.w + x)!.core.readMem(symbol(img, sym) + BigInt(offset), bytes);
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

// ---- summa.dasm ------------------------------------------------------------------------------------------

/** The bf16 bits of element [r][c] of A or B, from summa.dasm's description. */
const TABLE = Array.from({ length: 16 }, (_, h) => ((h & 1) << 15) | ((126 - (h >> 2)) << 7) | ((h * 37) & 127));
const elementBits = (r: number, c: number, k1: number, k2: number): number => TABLE[((r * c + k1 * r + k2 * c) & 0xffff) >>> 12]!;
const A_K = [0x3b9d, 0x61c9] as const;
const B_K = [0x7f4b, 0x2d35] as const;
const bf16 = (bits: number): number => new Float32Array(new Uint32Array([bits << 16]).buffer)[0]!;

/** C = A x B (N x N) as the matrix units compute it over k in order: per group of four k, the fp32
 * accumulator plus the four products in binary64, rounded once to fp32. */
function summaReference(n: number): Float32Array {
  const a = new Float64Array(n * n);
  const bt = new Float64Array(n * n); // B transposed: bt[j * n + k] = B[k][j]
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      a[r * n + c] = bf16(elementBits(r, c, ...A_K));
      bt[c * n + r] = bf16(elementBits(r, c, ...B_K));
    }
  }
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const ai = i * n;
    for (let j = 0; j < n; j++) {
      const bj = j * n;
      let acc = 0;
      for (let k = 0; k < n; k += 4) {
        let s = acc;
        s += a[ai + k]! * bt[bj + k]!;
        s += a[ai + k + 1]! * bt[bj + k + 1]!;
        s += a[ai + k + 2]! * bt[bj + k + 2]!;
        s += a[ai + k + 3]! * bt[bj + k + 3]!;
        acc = Math.fround(s);
      }
      out[i * n + j] = acc;
    }
  }
  return out;
}

// The broadcast trees of summa.dasm ("children"): the cores of a line (a row for A, a column for B) at
// positions 0 .. p-1, the block's owner at s. A segment (r, d, n) is the n cores r, r + d, ..,
// r + (n-1) d (d = +1 or -1), its root r first; the root sends the block to the roots of two segments
// that cover the rest: the near one, a = (n - 1) >> 1 cores from r + d, and the far one, the other
// n - 1 - a from r + (a + 1) d. The owner is the root of (s, +1, p) when s = 0 and of (s, -1, p) when
// s = p - 1; else it sends to the roots of (s - 1, -1, s) and (s + 1, +1, p - 1 - s).
function treeChildren(p: number, s: number, pos: number): number[] {
  let r: number, d: number, n: number;
  if (s === 0) [r, d, n] = [0, 1, p];
  else if (s === p - 1) [r, d, n] = [s, -1, p];
  else if (pos === s) return [s - 1, s + 1];
  else if (pos < s) [r, d, n] = [s - 1, -1, s];
  else [r, d, n] = [s + 1, 1, p - 1 - s];
  while (pos !== r) {
    const a = (n - 1) >> 1;
    if ((pos - r) * d <= a) [r, n] = [r + d, a];
    else [r, n] = [r + (a + 1) * d, n - 1 - a];
  }
  const a = (n - 1) >> 1;
  const out: number[] = [];
  if (a > 0) out.push(r + d);
  if (n - 1 - a > 0) out.push(r + (a + 1) * d);
  return out;
}

// Network bytes of the broadcasts. Every tree edge carries the block once, over |child - parent|
// links (dimension-ordered routing stays on the line), and nothing else crosses a link (copies into a
// core's own panel cross none; semaphore posts carry no bytes). So a line's traffic is BLK x the sum
// of its trees' edge lengths, and the run's 2 (A, B) x P lines of it. A segment of n cores rooted at
// its end costs H(n) below its root: the near root is 1 link on, the far one a + 1, and so on down:
//   H(n) = [a > 0] (1 + H(a)) + [b > 0] (a + 1 + H(b)),  a = (n - 1) >> 1,  b = n - 1 - a,  H(0) = H(1) = 0,
// and an owner's tree H(P) (owner at an end) or 1 + H(s) + 1 + H(P - 1 - s) (its two sides). H is a
// recursion like the trees themselves (for n = 2^k - 1, where every split is even, H = k 2^(k-1) - 1;
// the uneven splits of other n have no such form); a test below checks it against the trees. Values:
// lineHops(4) = 14, lineHops(16) = 424, lineHops(17) = 492 (a chain each way from the owner would be
// P (P - 1): 272 at P = 17, the owner sending to every other core sum |a - b| = (P^3 - P) / 3: 1632).
function segHops(n: number): number {
  if (n <= 1) return 0;
  const a = (n - 1) >> 1, b = n - 1 - a;
  return (a > 0 ? 1 + segHops(a) : 0) + (b > 0 ? a + 1 + segHops(b) : 0);
}
/** Links crossed by one block's broadcast along a line of p cores from its owner at s. */
const treeHops = (p: number, s: number): number => (p === 1 ? 0 : s === 0 || s === p - 1 ? segHops(p) : 2 + segHops(s) + segHops(p - 1 - s));
/** ... summed over the p owners of a line: one line's traffic in blocks x links. */
const lineHops = (p: number): number => Array.from({ length: p }, (_, s) => treeHops(p, s)).reduce((a, b) => a + b, 0);

interface SummaResult {
  kernelCycles: number;
  stats: MeshStats;
  out: string;
}

/** Run summa.dasm on a p x p mesh with blocks of bs, g steps per pass; check every core's inputs and C.
 * With `on`, the program is told P (`.equ P, p`) and runs on that machine, on the square (0,0) ..
 * (p-1, p-1) of it: every other enabled core must have done nothing but exit. */
async function checkSumma(p: number, bs: number, g = 2, slow = 0, on?: MeshPreset): Promise<SummaResult> {
  const img = build('summa', (on ? `.equ P, ${p}\n` : '') + (bs === 128 ? '' : `.equ BS, ${bs}\n`) + (g === 2 ? '' : `.equ G, ${g}\n`) + (slow ? `.equ SLOW, ${slow}\n` : ''));
  const { m, o, out, stats } = await runOn(img, on ?? meshPreset(p, p), 'summa.dasm');
  expect(o).toEqual({ kind: 'exit', code: 0 });
  for (const c of stats.perCore) {
    if (c.x < p && c.y < p) continue;
    expect(c.instructions, `core (${c.x},${c.y}) outside the square`).toBeLessThan(50);
    expect(c.sent + c.received, `core (${c.x},${c.y}) outside the square`).toBe(0);
    expect(mem(m, c.x, c.y, img, 'kernel_cycles', 8).getBigUint64(0, true)).toBe(0n);
  }
  const n = p * bs;
  const ref = summaReference(n);
  const nt = bs / 8;
  const kt = bs / 4;
  let kernelCycles = 0;
  let mismatches = 0;
  for (let y = 0; y < p; y++) {
    for (let x = 0; x < p; x++) {
      // the inputs, in their tile layouts, where the core says it made them (own_a: address and bytes
      // from one row-tile to the next; own_b: address). A block made in its panel (the panel of pass
      // x / g for A, y / g for B, when that is below nbuf, the program's number of panels) is
      // overwritten when the panel is used again, by pass + nbuf: those are not there to check any more.
      const passes = Math.ceil(p / g);
      const nbuf = Number(mem(m, x, y, img, 'nbuf', 8).getBigUint64(0, true));
      const overwritten = (q: number) => q < nbuf && q + nbuf < passes;
      const own = mem(m, x, y, img, 'own_a', 24);
      const aAt = own.getBigUint64(0, true), aStride = Number(own.getBigUint64(8, true)), bAt = own.getBigUint64(16, true);
      const core = m.cores.get(y * m.preset.w + x)!.core;
      let bad = 0;
      for (let q = 0; q < nt && !overwritten(Math.floor(x / g)); q++) {
        const a = new DataView(core.readMem(aAt + BigInt(q * aStride), kt * 64).buffer);
        for (let c = 0; c < kt; c++) {
          for (let lane = 0; lane < 32; lane++) {
            if (a.getUint16((c * 32 + lane) * 2, true) !== elementBits(y * bs + 8 * q + (lane >> 2), x * bs + 4 * c + (lane & 3), ...A_K)) bad++;
          }
        }
      }
      const b = new DataView(core.readMem(bAt, bs * bs * 2).buffer);
      for (let c = 0; c < kt && !overwritten(Math.floor(y / g)); c++) {
        for (let q = 0; q < nt; q++) {
          for (let lane = 0; lane < 32; lane++) {
            if (b.getUint16(((c * nt + q) * 32 + lane) * 2, true) !== elementBits(y * bs + 4 * c + (lane >> 3), x * bs + 8 * q + (lane & 7), ...B_K)) bad++;
          }
        }
      }
      expect(bad, `core (${x},${y}) inputs`).toBe(0);
      // C, as 8 x 8 tiles, bit for bit
      const cb = mem(m, x, y, img, 'c_block', bs * bs * 4);
      for (let i = 0; i < bs; i++) {
        for (let j = 0; j < bs; j++) {
          const got = cb.getFloat32((((i >> 3) * nt + (j >> 3)) * 64 + (i & 7) * 8 + (j & 7)) * 4, true);
          const want = ref[(y * bs + i) * n + x * bs + j]!;
          if (!Object.is(got, want) && mismatches++ < 5) expect.fail(`core (${x},${y}) C[${i}][${j}] = ${got}, reference ${want}`);
        }
      }
      kernelCycles = Math.max(kernelCycles, Number(mem(m, x, y, img, 'kernel_cycles', 8).getBigUint64(0, true)));
    }
  }
  expect(mismatches).toBe(0);
  expect(stats.matrix.macs).toBe(n * n * n);
  expect(out).toBe(`summa ${p}x${p} bf16 -> fp32: kernel cycles ${Number(mem(m, 0, 0, img, 'kernel_cycles', 8).getBigUint64(0, true))}\n`);
  return { kernelCycles, stats, out };
}

function report(name: string, s: MeshStats, extra: Record<string, unknown> = {}): void {
  const ipc = s.instructions / (s.cycles * s.cores);
  console.log(
    `${name}: ${JSON.stringify({ cycles: s.cycles, instructions: s.instructions, ipcPerCore: Number(ipc.toFixed(3)), networkBytes: s.network.bytes, messages: s.network.messages, matrixUtilisation: s.matrix.utilisation, macs: s.matrix.macs, busiest: s.network.busiestLinks[0], ...extra })}`,
  );
}

describe('summa.dasm: distributed bf16 GEMM over the DMA engines', () => {
  it('4x4 mesh, 128x128 blocks (N = 512): every C block bit for bit, at >= 79% of the matrix peak', async () => {
    const { kernelCycles, stats } = await checkSumma(4, 128);
    const n = 512;
    const peak = (n * n * n) / (256 * 16 * kernelCycles); // of 16 cores' matrix units, start barrier to last store
    report('summa 4x4 bs128', stats, { kernelCycles, kernelPeakFraction: Number(peak.toFixed(4)), wholeRunPeakFraction: Number(((n * n * n) / (256 * 16 * stats.cycles)).toFixed(4)), wallSeconds: stats.wallSeconds });
    // measured 40,626 (0.8066; core (0,0), which prints, 40,117); before the broadcast trees, 41,206
    expect(peak).toBeGreaterThanOrEqual(0.79);
    // every block goes down its line's tree (see lineHops), 32 KiB per tree edge over |x - x'| links;
    // all blocks are made in place, so nothing is copied to itself: 4 rows (A) and 4 columns (B) of 14
    // link-crossings of 32 KiB
    expect(lineHops(4)).toBe(14);
    expect(stats.network.bytes).toBe(2 * 4 * lineHops(4) * 32768);
  }, 30_000);

  it('3x3 mesh, 32x32 blocks: the last pass has one step', async () => {
    const { stats, kernelCycles } = await checkSumma(3, 32);
    report('summa 3x3 bs32', stats, { kernelCycles });
  });

  it('6x6 mesh, 32x32 blocks: three passes, so panels are reused after credits', async () => {
    const { stats, kernelCycles } = await checkSumma(6, 32);
    report('summa 6x6 bs32', stats, { kernelCycles });
  });

  it('5x5 mesh, 32x32 blocks, one step per pass: five passes over two panels', async () => {
    await checkSumma(5, 32, 1);
  });

  it('5x5 mesh, one step per pass, cores near (0,0) much slower: the credits hold the fast owners back', async () => {
    // without the credit waits, the owners of later steps send into panels the slow cores still read
    await checkSumma(5, 32, 1, 300);
  });

  it('4x4 mesh, 64x64 blocks, four steps per pass: every block first, then one pass', async () => {
    await checkSumma(4, 64, 4);
  });

  it('the broadcast trees: every core of the line gets each block once, from one parent, at most ceil(log2 P) sends from its owner', () => {
    for (let p = 1; p <= 32; p++) {
      for (let s = 0; s < p; s++) {
        const parent = new Map<number, number>();
        for (let pos = 0; pos < p; pos++) {
          for (const c of treeChildren(p, s, pos)) {
            expect(c >= 0 && c < p && c !== s && !parent.has(c), `P ${p} owner ${s}: ${pos} -> ${c}`).toBe(true);
            parent.set(c, pos);
          }
        }
        expect(parent.size).toBe(p - 1);
        let hops = 0;
        for (const [c, from] of parent) {
          hops += Math.abs(c - from);
          let depth = 1;
          for (let up = from; up !== s; up = parent.get(up)!) depth++;
          expect(depth).toBeLessThanOrEqual(Math.ceil(Math.log2(p)));
        }
        expect(hops).toBe(treeHops(p, s));
      }
    }
  });

  it('1x1 mesh: no network at all', async () => {
    const { stats } = await checkSumma(1, 32);
    expect(stats.network.bytes).toBe(0);
  });

  it('refuses a mesh that is not square', async () => {
    const { o, out } = await runMesh(build('summa', '.equ BS, 32\n'), 2, 1);
    expect(o).toEqual({ kind: 'exit', code: 2 });
    expect(out).toMatch(/needs a square mesh/);
  });

  it('.equ P, 2 on a 3x2 mesh: the 2 x 2 square computes, the other two cores exit at once', async () => {
    await checkSumma(2, 32, 2, 0, meshPreset(3, 2));
  });

  it('refuses a P larger than the mesh is high', async () => {
    const { o, out } = await runMesh(build('summa', '.equ P, 3\n.equ BS, 32\n'), 3, 2);
    expect(o).toEqual({ kind: 'exit', code: 2 });
    expect(out).toMatch(/needs a square mesh/);
  });

  it('D1 die, P = 17 (the largest full square; (17,14)..(17,19) are disabled), 64x64 blocks (N = 1088): every C block bit for bit', async () => {
    const p = 17, bs = 64, n = p * bs;
    const { kernelCycles, stats } = await checkSumma(p, bs, 2, 0, D1_DIE);
    const ideal = (n * n * n) / (256 * p * p); // every matrix unit of the square busy from start to end
    const peak = ideal / kernelCycles;
    report('summa die P=17 bs64', stats, { kernelCycles, kernelPeakFraction: Number(peak.toFixed(4)), wallSeconds: stats.wallSeconds });
    // Measured 29,104 over all cores (0.598 of the peak; core (0,0), which prints, 25,246). With the
    // owner sending its block to all 16 others (an owner on the diagonal: 2 x 16 blocks of 8 KiB
    // through its one SRAM read port, 4,096 cycles, against 2,048 cycles of a pass's matrix work at
    // best) it was 38,628 (0.451). Now each block goes down a tree (every core sends it at most twice)
    // and what is left is the pass-0 start (the trees' depth), the forwarders' work between the matrix
    // instructions, and a pass's own cost (2,845 cycles for 2,048 of matrix work).
    expect(kernelCycles).toBeGreaterThan(ideal);
    expect(peak).toBeGreaterThanOrEqual(0.58);
    // every block goes down its line's tree (lineHops): 8 KiB per tree edge over |x - x'| links; the
    // copies a core makes to itself (blocks not made in place) cross no link
    expect(lineHops(17)).toBe(492);
    expect(stats.network.bytes).toBe(2 * p * lineHops(p) * bs * bs * 2);
    expect(stats.cores).toBe(354);
  }, 60_000);

  // Not run by default (about half a minute of emulation, more for the reference): SUMMA_BIG=1.
  it.runIf(process.env.SUMMA_BIG)('D1 die, P = 16, 128x128 blocks (N = 2048): every C block bit for bit', async () => {
    const p = 16, bs = 128, n = p * bs;
    const { kernelCycles, stats } = await checkSumma(p, bs, 2, 0, D1_DIE);
    const peak = (n * n * n) / (256 * p * p * kernelCycles);
    report('summa die P=16 bs128', stats, { kernelCycles, kernelPeakFraction: Number(peak.toFixed(4)), wallSeconds: stats.wallSeconds });
    // measured 165,283 (0.793); before the broadcast trees 182,515 (0.718)
    expect(peak).toBeGreaterThanOrEqual(0.78);
    expect(lineHops(16)).toBe(424);
    expect(stats.network.bytes).toBe(2 * p * lineHops(p) * bs * bs * 2);
  }, 300_000);
});

// ---- scatter.dasm ----------------------------------------------------------------------------------------

const tensorByte = (r: number, b: number): number => (29 * r + 13 * b + (r ^ b)) & 0xff;

async function checkScatter(w: number, h: number): Promise<{ stats: MeshStats; times: bigint[][]; out: string }> {
  const img = build('scatter');
  const { m, o, out, stats } = await runMesh(img, w, h, 'scatter.dasm');
  expect(o).toEqual({ kind: 'exit', code: 0 });
  const n = w * h;
  const r = n - 1;
  // core (0,0)'s tensor
  const t = mem(m, 0, 0, img, 'tensor', 64 * 256);
  for (let row = 0; row < 64; row++) for (let b = 0; b < 256; b++) expect(t.getUint8(row * 256 + b)).toBe(tensorByte(row, b));
  const sums: number[][] = [];
  const times: bigint[][] = [];
  for (let id = 0; id < n; id++) {
    const x = id % w, y = Math.floor(id / w);
    expect(mem(m, x, y, img, 'status', 8).getBigUint64(0, true)).toBe(0n);
    times.push([0, 1, 2].map((i) => mem(m, x, y, img, 'times', 8, 8 * i).getBigUint64(0, true)));
    if (id === 0) continue;
    // every piece k = id - 1 + j R in slot j, rows at a pitch of 128 with zero padding; slots past the
    // last piece untouched
    const inbox = mem(m, x, y, img, 'inbox', 16 * 2048);
    const sum = new Array<number>(64).fill(0);
    for (let j = 0; j < 16; j++) {
      const k = id - 1 + j * r;
      for (let i = 0; i < 16; i++) {
        for (let b = 0; b < 128; b++) {
          const got = inbox.getUint8(j * 2048 + i * 128 + b);
          const want = k < 16 && b < 64 ? tensorByte(16 * (k >> 2) + i, 64 * (k & 3) + b) : 0;
          if (got !== want) expect.fail(`core ${id} slot ${j} row ${i} byte ${b}: ${got}, expected ${want}`);
          if (k < 16 && b < 64) sum[b] = (sum[b]! + got) & 0xff;
        }
      }
    }
    const result = mem(m, x, y, img, 'result', 64);
    for (let b = 0; b < 64; b++) expect(result.getUint8(b)).toBe(sum[b]);
    sums.push(sum);
  }
  // what the gather brought back to (0,0): row i-1 = core i's result row
  const g = mem(m, 0, 0, img, 'gathered', 64 * r);
  for (let i = 0; i < r; i++) for (let b = 0; b < 64; b++) expect(g.getUint8(i * 64 + b)).toBe(sums[i]![b]);
  return { stats, times, out };
}

describe('scatter.dasm: a list-parser scatter of 2D pieces and a gather', () => {
  it('4x4 mesh: one piece per receiver (core 1 gets two), every byte and the gathered rows', async () => {
    const { stats, times, out } = await checkScatter(4, 4);
    const start = times[0]![0]!;
    const landed = Math.max(...times.slice(1).map((t) => Number(t[0]! - start)));
    const scatter = Number(times[0]![1]! - start);
    const gather = Number(times[0]![2]! - times[0]![1]!);
    expect(out).toBe(`scatter: 16 pieces, cycles ${scatter}, gather cycles ${gather}\n`);
    report('scatter 4x4', stats, { lastPieceLanded: landed, scatterCycles: scatter, gatherCycles: gather });
    // 16 KiB leave (0,0) a 64-byte row per cycle: the last piece cannot land before 256 cycles
    expect(landed).toBeGreaterThanOrEqual(256);
    expect(stats.perCore[0]!.sent).toBeGreaterThanOrEqual(16 * 1024);
  });

  it('2x1 mesh: all 16 pieces to one core', async () => {
    await checkScatter(2, 1);
  });

  it('5x4 mesh: more receivers than pieces', async () => {
    await checkScatter(5, 4);
  });
});

// ---- a descriptor list that loops ------------------------------------------------------------------------

// Core (0,0) links three descriptors d0 -> d1 -> d2 -> d1 (local copies of 64 bytes), starts the list
// parser on d0 and waits for a semaphore nobody posts; the other cores exit.
const LOOPING = `
  .text
  .globl _start
_start:
  csrr t0, coreid
  bnez t0, quit
  la s0, descs
  la t1, src
  la t2, dst
  li t3, 64
  li t4, 1
  mv t5, s0
  li t6, 3
1:
  sd t1, 0(t5)
  sd t2, 8(t5)
  sw t3, 16(t5)
  sw t4, 20(t5)
  sd zero, 24(t5)
  sd zero, 32(t5)
  sd zero, 40(t5)
  sd zero, 48(t5)
  addi a0, t5, 64
  sd a0, 56(t5)
  addi t5, t5, 64
  addi t6, t6, -1
  bnez t6, 1b
  addi a0, s0, 64
  sd a0, 128 + 56(s0)
  dma.list s0
  li a0, 5
  li a1, 1
  swait a0, a1
quit:
  li a0, 0
  li a7, 93
  ecall
  .bss
  .p2align 6
descs: .zero 192
src: .zero 64
dst: .zero 64
`;

describe('list parser', () => {
  it('a descriptor list that comes back to an earlier descriptor ends the run with an engine fault', async () => {
    const { image, diagnostics } = assemble([{ path: 'loop.dasm', text: LOOPING }]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { o } = await runMesh(image!, 2, 2, 'loop.dasm');
    expect(o.kind).toBe('engine');
    if (o.kind !== 'engine') return;
    expect(o.core).toBe(0);
    expect(o.engine).toBe('list-parser');
    expect(o.why).toMatch(/loops/);
    const descs = image!.symbols.find((s) => s.name === 'descs')!.value;
    expect([descs, descs + 64n, descs + 128n]).toContain(o.desc);
  });
});
