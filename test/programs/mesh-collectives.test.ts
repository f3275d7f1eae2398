// Multi-core kernels in programs/: the ring all-reduce (allreduce.dasm), the 2D all-reduce
// (allreduce2d.dasm) and the Jacobi stencil with halo exchange (stencil.dasm), each on a mesh against a
// reference computed here from the program's definition, with the network bytes against what the
// algorithm has to move, and determinism of the cycle counts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import type { Image } from '../../assembler/image.js';
import { Machine, type MeshOutcome } from '../../emulator/host/mesh.js';
import { meshStats, type MeshStats } from '../../emulator/host/mesh-stats.js';
import { D1_CORE, D1_DIE, machinePeaks, meshPreset, type MeshPreset } from '../../emulator/presets.js';

const PROGRAMS = fileURLToPath(new URL('../../programs/', import.meta.url));

interface Run {
  m: Machine;
  o: MeshOutcome;
  image: Image;
  stdout: string;
  stats: MeshStats;
}

/** Assemble programs/<name>.dasm (with `prefix`, e.g. .equ lines, in front) and run it on every core. */
async function runMesh(preset: MeshPreset, name: string, prefix = ''): Promise<Run> {
  const path = join(PROGRAMS, `${name}.dasm`);
  const { image, diagnostics } = assemble([{ path, text: prefix + readFileSync(path, 'utf8') }]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const m = new Machine(preset);
  expect(m.load(image!, path)).toEqual([]);
  let stdout = '';
  const o = await m.run({
    stdout: { write: (s) => (stdout += typeof s === 'string' ? s : Buffer.from(s).toString()) },
    stderr: process.stderr,
    maxCycles: 50_000_000n,
  });
  return { m, o, image: image!, stdout, stats: meshStats(m) };
}

const symbol = (image: Image, name: string): bigint => image.symbols.find((s) => s.name === name)!.value;

/** `count` int64 values from core (x, y)'s SRAM at `at`. */
function readI64(m: Machine, x: number, y: number, at: bigint, count: number): bigint[] {
  const b = m.cores.get(y * m.preset.w + x)!.core.readMem(at, 8 * count);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return Array.from({ length: count }, (_, i) => dv.getBigInt64(8 * i, true));
}

/** Enabled cores in rank order (row-major), as [x, y]. */
function ranks(p: MeshPreset): [number, number][] {
  const off = new Set(p.disabled.map(([x, y]) => y * p.w + x));
  const out: [number, number][] = [];
  for (let y = 0; y < p.h; y++) for (let x = 0; x < p.w; x++) if (!off.has(y * p.w + x)) out.push([x, y]);
  return out;
}

const hops = ([ax, ay]: [number, number], [bx, by]: [number, number]): number => Math.abs(ax - bx) + Math.abs(ay - by);

/** The sum over cores of value[i] = rank*1000 + i, summed here rank by rank. */
function sums(n: number): bigint[] {
  return Array.from({ length: 64 }, (_, i) => {
    let s = 0n;
    for (let r = 0; r < n; r++) s += BigInt(r * 1000 + i);
    return s;
  });
}

/** Elements in chunk c of a vector of len cut into n: [c*len/n, (c+1)*len/n). */
const chunkLen = (c: number, len: number, n: number): number => Math.floor(((c + 1) * len) / n) - Math.floor((c * len) / n);

/** Every core's `result` is the exact sum; rank 0 printed the checksum. */
function checkAllReduce(r: Run): void {
  expect(r.o).toEqual({ kind: 'exit', code: 0 });
  const cores = ranks(r.m.preset);
  const want = sums(cores.length);
  expect(r.stdout).toBe(`checksum ${want.reduce((a, b) => a + b, 0n)}\n`);
  const at = symbol(r.image, 'result');
  for (const [x, y] of cores) expect(readI64(r.m, x, y, at, 64), `core (${x},${y})`).toEqual(want);
}

const log = (what: string, s: MeshStats) =>
  console.log(`${what}: ${s.cores} cores, ${s.cycles} cycles, ${s.network.bytes} network bytes, ${s.network.messages} messages, ${s.instructions} instructions`);

describe('allreduce.dasm: ring all-reduce over the ranks', () => {
  /** Bytes the ring itself moves over links: core p sends all chunks but p+1 (reduce-scatter) and all but
   * p+2 (all-gather) to rank p+1, each byte over every link of the XY route. */
  function ringLinkBytes(p: MeshPreset): number {
    const cores = ranks(p);
    const n = cores.length;
    let bytes = 0;
    cores.forEach((c, r) => {
      const elements = 2 * 64 - chunkLen((r + 1) % n, 64, n) - chunkLen((r + 2) % n, 64, n);
      bytes += 8 * elements * hops(c, cores[(r + 1) % n]!);
    });
    return bytes;
  }
  /** The directory on (0,0): each other core's entry, its load request and the reply, 8 bytes each at most. */
  const directoryBound = (p: MeshPreset): number => 3 * 8 * ranks(p).reduce((a, c) => a + hops(c, [0, 0]), 0);

  it('sums exactly on every core of a 4x4 mesh, moving what the ring needs', async () => {
    const p = meshPreset(4, 4);
    const r = await runMesh(p, 'allreduce');
    checkAllReduce(r);
    log('allreduce 4x4', r.stats);
    expect(r.stats.network.bytes).toBeGreaterThanOrEqual(ringLinkBytes(p));
    expect(r.stats.network.bytes).toBeLessThanOrEqual(ringLinkBytes(p) + directoryBound(p));
    // 2 * 15 ring steps, each at least a hop's latency
    expect(r.stats.cycles).toBeGreaterThan(30 * 2);
    expect(r.stats.cycles).toBeLessThan(20_000);
  });

  it('sums exactly on every one of the 354 cores of the die (the spares are skipped by the ring)', async () => {
    const r = await runMesh(D1_DIE, 'allreduce');
    checkAllReduce(r);
    log('allreduce die', r.stats);
    expect(r.stats.cores).toBe(354);
    expect(r.stats.network.bytes).toBeGreaterThanOrEqual(ringLinkBytes(D1_DIE));
    expect(r.stats.network.bytes).toBeLessThanOrEqual(ringLinkBytes(D1_DIE) + directoryBound(D1_DIE));
    expect(r.stats.cycles).toBeGreaterThan(2 * 353 * 2);
    expect(r.stats.cycles).toBeLessThan(200_000);
  });

  it('is deterministic: two runs take the same cycles and move the same bytes', async () => {
    const a = await runMesh(meshPreset(4, 4), 'allreduce');
    const b = await runMesh(meshPreset(4, 4), 'allreduce');
    expect(b.m.cycles).toBe(a.m.cycles);
    expect(b.stats.network).toEqual(a.stats.network);
    expect(b.stats.perCore.map((c) => c.cycles)).toEqual(a.stats.perCore.map((c) => c.cycles));
  });
});

describe('allreduce2d.dasm: rows, then columns, then rows', () => {
  /** Exact link bytes: row reduce-scatter and all-gather of 64 over W, the column all-reduce of the
   * core's chunk over H; a ring's wrap crosses W-1 (H-1) links, every other step one. */
  function linkBytes(w: number, h: number): number {
    let bytes = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const row = 64 - chunkLen((x + 1) % w, 64, w) + 64 - chunkLen((x + 2) % w, 64, w);
        bytes += 8 * (w > 1 ? row : 0) * (x === w - 1 ? w - 1 : 1);
        const lc = chunkLen((x + 1) % w, 64, w);
        const col = lc - chunkLen((y + 1) % h, lc, h) + lc - chunkLen((y + 2) % h, lc, h);
        bytes += 8 * (h > 1 ? col : 0) * (y === h - 1 ? h - 1 : 1);
      }
    }
    return bytes;
  }

  for (const [w, h] of [[4, 4], [8, 6], [5, 1], [3, 7]] as const) {
    it(`sums exactly on every core of a ${w}x${h} mesh, moving exactly what the rings need`, async () => {
      const r = await runMesh(meshPreset(w, h), 'allreduce2d');
      checkAllReduce(r);
      log(`allreduce2d ${w}x${h}`, r.stats);
      expect(r.stats.network.bytes).toBe(linkBytes(w, h));
    });
  }

  it('refuses a mesh with spares (exit 2)', async () => {
    const r = await runMesh(D1_DIE, 'allreduce2d');
    expect(r.o).toEqual({ kind: 'exit', code: 2 });
  });
});

describe('stencil.dasm: Jacobi smoothing with halo exchange', () => {
  /** The whole domain after `t` steps, from the program's definition. */
  function reference(W: number, H: number, t: number): number[][] {
    let u = Array.from({ length: H }, (_, Y) => Array.from({ length: W }, (_, X) => ((X * X + 3 * Y * Y + 7 * X * Y + X + 5 * Y) % 1021) * 64));
    const at = (g: number[][], X: number, Y: number) => (X < 0 || Y < 0 || X >= W || Y >= H ? 0 : g[Y]![X]!);
    for (let s = 0; s < t; s++) {
      const g = u;
      u = g.map((row, Y) => row.map((c, X) => Math.floor((4 * c + at(g, X, Y - 1) + at(g, X, Y + 1) + at(g, X - 1, Y) + at(g, X + 1, Y)) / 8)));
    }
    return u;
  }

  async function check(w: number, h: number, prefix = ''): Promise<Run> {
    const r = await runMesh(meshPreset(w, h), 'stencil', prefix);
    expect(r.o).toEqual({ kind: 'exit', code: 0 });
    const B = Number(symbol(r.image, 'B'));
    const T = Number(symbol(r.image, 'T'));
    const C0 = Number(symbol(r.image, 'C0'));
    const ROW = Number(symbol(r.image, 'ROW'));
    const ref = reference(w * B, h * B, T);
    const cell = (X: number, Y: number) => (X < 0 || Y < 0 || X >= w * B || Y >= h * B ? 0n : BigInt(ref[Y]![X]!));
    const grid = symbol(r.image, T % 2 === 0 ? 'grid0' : 'grid1');
    let total = 0n;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const g = readI64(r.m, x, y, grid, (B + 2) * ROW);
        const got = (i: number, j: number) => g[i * ROW + j]!; // grid row i (1..B), column j
        for (let i = 0; i <= B + 1; i++) {
          for (let j = C0 - 1; j <= C0 + B; j++) {
            const corner = (i === 0 || i === B + 1) && (j === C0 - 1 || j === C0 + B);
            if (corner) continue; // a 4-point stencil needs no corner halos
            const want = cell(x * B + j - C0, y * B + i - 1);
            if (got(i, j) !== want) expect.fail(`core (${x},${y}) grid[${i}][${j}] = ${got(i, j)}, reference ${want}`);
            if (i >= 1 && i <= B && j >= C0 && j < C0 + B) total += want;
          }
        }
      }
    }
    expect(r.stdout).toBe(`checksum ${total}\n`);
    // each of the T+1 exchanges sends one edge of B int64 over each directed neighbour link (one hop);
    // then every core's block sum goes to (0,0)
    const pairs = 2 * (w - 1) * h + 2 * w * (h - 1);
    let sumHops = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) sumHops += x + y;
    expect(r.stats.network.bytes).toBe((T + 1) * pairs * B * 8 + 8 * sumHops);
    return r;
  }

  it('matches the reference on a 4x4 mesh of 32x32 blocks after 8 steps, halos included', async () => {
    const r = await check(4, 4);
    log('stencil 4x4', r.stats);
    expect(r.stats.cycles).toBeLessThan(400_000);
  });

  it('matches the reference on a 3x2 mesh of 16x16 blocks after 5 steps (odd: the result is in grid1)', async () => {
    const r = await check(3, 2, '.equ B, 16\n.equ T, 5\n');
    log('stencil 3x2 B=16 T=5', r.stats);
  });

  it('is deterministic: two runs take the same cycles', async () => {
    const a = await runMesh(meshPreset(4, 4), 'stencil');
    const b = await runMesh(meshPreset(4, 4), 'stencil');
    expect(b.m.cycles).toBe(a.m.cycles);
    expect(b.stats.network).toEqual(a.stats.network);
    expect(b.stats.perCore.map((c) => c.cycles)).toEqual(a.stats.perCore.map((c) => c.cycles));
  });
});

describe('bisection.dasm: the die\'s bisection bandwidth, achieved', () => {
  it('moves 11.8 MB across the middle of an 18 x 20 die at the modelled 2.56 TB/s (64 B per cycle per link)', async () => {
    const path = join(PROGRAMS, 'bisection.dasm');
    const { image, diagnostics } = assemble([{ path, text: readFileSync(path, 'utf8') }]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const preset = { ...D1_DIE, disabled: [] as [number, number][] };
    const m = new Machine(preset);
    m.load(image!, path);
    const o = await m.run({ stdout: { write: () => true }, stderr: process.stderr });
    expect(o).toEqual({ kind: 'exit', code: 0 });
    const at = image!.symbols.find((s) => s.name === 'arrived')!.value;
    let last = 0n;
    for (let y = 0; y < 20; y++) {
      for (let x = 9; x < 18; x++) {
        const t = new DataView(m.cores.get(y * 18 + x)!.core.readMem(at, 8).buffer).getBigUint64(0, true);
        if (t > last) last = t;
      }
    }
    const bytes = 9 * 20 * 65536;
    const floor = bytes / (20 * 64); // every row's traffic through its one middle link
    expect(Number(last)).toBeGreaterThanOrEqual(floor);
    expect(Number(last)).toBeLessThan(floor * 1.03);
    const achieved = (bytes / Number(last)) * D1_CORE.clockHz;
    expect(achieved / machinePeaks(preset).bisectionBytesPerSecond.x).toBeGreaterThan(0.97);
    for (let y = 0; y < 20; y++) expect(m.links().find((l) => l.x === 8 && l.y === y && l.dir === 'EAST')!.bytes).toBe(9 * 65536);
  }, 30_000);
});
