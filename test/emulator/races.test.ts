// The race checker (`d1 run --check-races`, docs/machine.md "Races"; emulator/host/races.ts and the
// race-checking build's log, emulator/assembly/races.ts): planted races are reported with both accesses'
// cores, threads and source lines, the bytes and the kind; the same programs synchronised by a semaphore,
// a barrier or the end of a transfer report nothing; every mesh kernel of programs/ is race-free; and a
// checked run is the same run: output, cycles and every statistic as without the checker, with or without
// compiled blocks, on any number of worker threads.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import type { Image } from '../../assembler/image.js';
import { Machine } from '../../emulator/host/mesh.js';
import { meshStats } from '../../emulator/host/mesh-stats.js';
import { RaceChecker, raceReport, sourceLineOf, type Race } from '../../emulator/host/races.js';
import { meshPreset, type MeshPreset } from '../../emulator/presets.js';
import { plain } from '../helpers/jit-diff.js';
import { d1, PROGRAMS, tempDir } from '../helpers/tools.js';

const PATH = 'race.dasm';

function build(text: string, path = PATH): Image {
  const { image, diagnostics } = assemble([{ path, text }]);
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`)).toEqual([]);
  return image!;
}

/** The line of `text` that holds `marker` (1-based), as reports name it. */
function lineOf(text: string, marker: string): string {
  const i = text.split('\n').findIndex((l) => l.includes(marker));
  expect(i).toBeGreaterThanOrEqual(0);
  return `${PATH}:${i + 1}`;
}

interface Run {
  m: Machine;
  races: Race[];
  checker?: RaceChecker;
  figures: unknown;
}

/** Run an image on a machine, checking races or not; its figures: everything a run shows but the wall time. */
async function run(image: Image, preset: MeshPreset, opts: { races?: boolean; jit?: boolean; workers?: number; pages?: number; path?: string } = {}): Promise<Run> {
  const checker = opts.races === false ? undefined : new RaceChecker(sourceLineOf(() => image), opts.pages);
  const m = new Machine(preset, { ...(checker ? { races: checker } : {}), ...(opts.jit !== undefined ? { jit: opts.jit } : {}) });
  expect(m.load(image, opts.path ?? PATH)).toEqual([]);
  const out: string[] = [];
  const sink = { write: (b: Uint8Array | string) => out.push(Buffer.from(b).toString('latin1')) };
  const o = await m.run({ stdout: sink, stderr: sink, maxCycles: 50_000_000n, ...(opts.workers ? { workers: opts.workers } : {}) });
  const { wallSeconds: _w, mips: _m, ...stats } = meshStats(m);
  const figures = plain({ o, out: out.join(''), cycles: m.cycles, instructions: m.instructions, exits: [...m.exits], stats, links: m.links() });
  return { m, races: checker?.races() ?? [], ...(checker ? { checker } : {}), figures };
}

const EXIT = `
        li      a0, 0
        li      a7, 93
        ecall`;

// Cores (0,0) and (1,0) store a word into (2,0)'s `word`; (2,0) waits for their posts to its semaphore 0.
// FIX 0: nothing orders the two stores; 1: (2,0) lets (1,0) go (its semaphore 1) when it has (0,0)'s
// word; 2: the three meet at a barrier between the stores. Other cores exit.
const stores = (fix: number) => `
        .equ    FIX, ${fix}
        .text
        .globl  _start
_start:
        csrr    s0, corex
        csrr    t0, corey
        bnez    t0, out
        li      t0, 1
        slli    s1, t0, 48
        li      t0, 2
        slli    t0, t0, 32
        or      s1, s1, t0              # (2,0)'s global base
        li      t4, 1
        li      t3, 0
        li      t0, 2
        beq     s0, t0, owner
        bgt     s0, t0, out
        .if FIX == 1
        beqz    s0, 1f
        li      t3, 1
        swait   t3, t4                  # (1,0): (2,0) has the first word
        .endif
        .if FIX == 2
        beqz    s0, 1f
        li      t0, -1
        barrier t0                      # (1,0): after (0,0)'s word is in
        .endif
1:      la      t1, word
        or      t1, t1, s1
        addi    t2, s0, 10
        sd      t2, 0(t1)               # STORE
        spost   s1, t4                  # (2,0)'s semaphore 0
        .if FIX == 2
        bnez    s0, out
        li      t0, -1
        barrier t0
        .endif
        j       out
owner:
        .if FIX == 0
        li      t4, 2
        .endif
        swait   t3, t4                  # the first word (both: FIX 0)
        .if FIX == 1
        li      t0, (1 << 48) | (1 << 32) | 1   # (1,0)'s semaphore 1
        spost   t0, t4
        swait   t3, t4
        .endif
        .if FIX == 2
        li      t0, -1
        barrier t0
        swait   t3, t4
        .endif
        ld      a1, word                # READ
out:${EXIT}
        .data
        .align  3
word:   .dword  0
`;

// The last core of row 0 copies (0,0)'s `src` into its `dst` by DMA (on one core: its own src) and loads
// dst[1]: before the copy has ended (FIX 0), or after waiting for it (1).
const inFlight = (fix: number) => `
        .equ    FIX, ${fix}
        .text
        .globl  _start
_start:
        csrr    s0, corex
        csrr    t0, meshw
        addi    t0, t0, -1
        bne     s0, t0, out
        li      t4, 1
        la      a0, desc
        la      t0, src
        li      t1, 1
        slli    t1, t1, 48
        or      t0, t0, t1              # (0,0)'s src
        sd      t0, 0(a0)
        la      t0, dst
        sd      t0, 8(a0)
        li      t0, 256
        sw      t0, 16(a0)
        sw      t4, 20(a0)
        li      t0, 2
        sd      t0, 40(a0)              # then our semaphore 2
        sw      t4, 48(a0)
        li      t3, 2
        dma.copy a0                     # DMA
        .if FIX
        swait   t3, t4
        .endif
        ld      a1, dst + 8             # READ
        .if FIX == 0
        swait   t3, t4
        .endif
out:${EXIT}
        .data
        .align  6
desc:   .zero   64
src:    .fill   32, 8, 7
dst:    .zero   256
`;

// Core (1,0) starts two transfers into its `dst`: from (0,0)'s `src` on its DMA engine, then from its own
// `src2` on its list parser (on its DMA engine too: ENGINE dma.copy), and waits for both. FIX 1: it waits
// for the first before it starts the second. SAME 1: src2 holds what src does (the second changes nothing).
const overlap = (fix: number, same = 0, engine = 'dma.list') => `
        .equ    FIX, ${fix}
        .text
        .globl  _start
_start:
        csrr    s0, corex
        li      t4, 1
        beqz    s0, out
        li      t1, 1
        slli    t1, t1, 48              # (0,0)'s global base
        la      a0, desc0
        la      t0, src
        or      t0, t0, t1
        call    fill
        la      a0, desc1
        la      t0, src2
        call    fill
        li      t3, 2
        la      a0, desc0
        dma.copy a0                     # FIRST
        .if FIX
        swait   t3, t4
        .endif
        la      a0, desc1
        ${engine} a0                     # SECOND
        .if FIX == 0
        swait   t3, t4
        .endif
        swait   t3, t4
out:${EXIT}
fill:   sd      t0, 0(a0)               # a descriptor at a0: 256 bytes from t0 to dst, then semaphore 2
        la      t0, dst
        sd      t0, 8(a0)
        li      t0, 256
        sw      t0, 16(a0)
        sw      t4, 20(a0)
        li      t0, 2
        sd      t0, 40(a0)
        sw      t4, 48(a0)
        ret
        .data
        .align  6
desc0:  .zero   64
desc1:  .zero   64
src:    .fill   32, 8, 7
src2:   .fill   32, 8, ${same ? 7 : 9}
dst:    .zero   256
`;

/** (x,y) as a global core number on a W-wide mesh. */
const at = (x: number, y: number, w: number) => y * w + x;

describe('planted races are reported, and the synchronised programs report none', () => {
  it('two cores store to the same word of a third: write-write, both stores named', async () => {
    const text = stores(0);
    const r = await run(build(text), meshPreset(3, 1));
    expect(r.races).toHaveLength(1);
    const [race] = r.races;
    expect(race).toMatchObject({ kind: 'write-write', core: at(2, 0, 3), hi: race!.lo + 8, first: { access: 'remote store', thread: 0 }, second: { access: 'remote store', thread: 0 } });
    expect(new Set([race!.first.core, race!.second.core])).toEqual(new Set([at(0, 0, 3), at(1, 0, 3)]));
    const image = build(text);
    expect(race!.lo).toBe(Number(image.symbols.find((s) => s.name === 'word')!.value));
    const report = raceReport(r.m, r.checker!, () => image, () => undefined);
    expect(report).toContain(`d1: data race (write-write) on core (2,0) at 0x0001_0002_0000_${race!.lo.toString(16).padStart(4, '0')}, 8 bytes:`);
    expect(report.match(new RegExp(`at ${lineOf(text, '# STORE')}`, 'g'))).toHaveLength(2);
    expect(report).toMatch(/remote store by core \(0,0\) thread 0\n.*sd t2,0\(t1\)/);
    expect(report).toMatch(/remote store by core \(1,0\) thread 0\n.*sd t2,0\(t1\)/);
  });

  it('the same stores ordered by a semaphore, or by a barrier: none', async () => {
    for (const fix of [1, 2]) {
      const r = await run(build(stores(fix)), meshPreset(3, 1));
      expect(r.figures).toMatchObject({ o: { kind: 'exit', code: 0 } });
      expect(r.races).toEqual([]);
    }
  });

  it('a core reads a buffer while a DMA into it is in flight: read-write, the load and the transfer named', async () => {
    const text = inFlight(0);
    for (const preset of [meshPreset(2, 1), meshPreset(1, 1)]) {
      const r = await run(build(text), preset);
      const me = preset.w - 1;
      expect(r.races).toHaveLength(1);
      expect(r.races[0]).toMatchObject({ kind: 'read-write', core: me, hi: r.races[0]!.lo + 8, first: { access: 'load', core: me, thread: 0 }, second: { access: 'write', engine: 'DMA engine', core: me, thread: 0 } });
      const report = raceReport(r.m, r.checker!, () => build(text), () => undefined);
      expect(report).toContain(`load by core (${me},0) thread 0`);
      expect(report).toContain(`at ${lineOf(text, '# READ')}`);
      expect(report).toMatch(/DMA engine of core \(\d,0\) writes \(descriptor 0x[0-9a-f]+, started by thread 0\)\n.*dma\.copy a0/);
      expect(report).toContain(`at ${lineOf(text, '# DMA')}`);
    }
  });

  it('the same load after waiting for the transfer: none (on a mesh and on one core)', async () => {
    for (const preset of [meshPreset(2, 1), meshPreset(1, 1)]) expect((await run(build(inFlight(1)), preset)).races).toEqual([]);
  });

  it('overlapping descriptors in flight at once: DMA overlap, on two engines or one', async () => {
    for (const engine of ['dma.list', 'dma.copy']) {
      const text = overlap(0, 0, engine);
      const r = await run(build(text), meshPreset(2, 1));
      expect(r.races).toHaveLength(1);
      expect(r.races[0]).toMatchObject({ kind: 'DMA overlap', core: 1, hi: r.races[0]!.lo + 256, first: { access: 'write' }, second: { access: 'write' } });
      const lines = [r.races[0]!.first, r.races[0]!.second].map((a) => sourceLineOf(() => build(text))(a.core, a.pc)).sort();
      expect(lines).toEqual([lineOf(text, '# FIRST'), lineOf(text, '# SECOND')].sort());
    }
  });

  it('the second transfer after the first has ended, or writing the same bytes again: none', async () => {
    for (const text of [overlap(1), overlap(1, 0, 'dma.copy'), overlap(0, 1)]) expect((await run(build(text), meshPreset(2, 1))).races).toEqual([]);
  });

  it('programs/summa.dasm without the credit waits that hold an owner back until its panel is free: races', async () => {
    const path = join(PROGRAMS, 'summa.dasm');
    const text = readFileSync(path, 'utf8');
    const credits = '        addi    t1, t1, -1\n        swait   t0, t1\n3:';
    expect(text).toContain(credits);
    const changed = `.equ BS, 32\n.equ G, 1\n${text.replace(credits, '        li      t1, 0\n        swait   t0, t1\n3:')}`;
    const image = build(changed, path);
    const r = await run(image, meshPreset(5, 5), { path });
    expect(r.figures).toMatchObject({ o: { kind: 'exit', code: 0 } });
    expect(r.races.map((x) => x.kind)).toContain('DMA overlap');
    expect(r.races.map((x) => x.kind)).toContain('read-write');
    const line = sourceLineOf(() => image);
    // each race has one side a list parser's transfer, started at a dma.list
    const source = (a: { core: number; pc: number }) => changed.split('\n')[Number(line(a.core, a.pc).split(':').pop()) - 1]!;
    for (const x of r.races) expect([x.first, x.second].some((a) => a.engine === 'list parser' && /dma\.list/.test(source(a)))).toBe(true);
  });

  it('a shadow at its limit checks no more bytes and says so', async () => {
    const r = await run(build(inFlight(0)), meshPreset(2, 1), { pages: 0 });
    expect(r.races).toEqual([]);
    expect(r.checker!.capped).toBe(true);
    expect(raceReport(r.m, r.checker!, () => build(inFlight(0)), () => undefined)).toContain('d1: note: the race checker tracks at most 0 ');
  });
});

describe('checking changes nothing', () => {
  const kernels = ['allreduce', 'allreduce2d', 'summa', 'scatter', 'stencil', 'bisection'];
  for (const name of kernels) {
    it(`programs/${name}.dasm on a 4 x 4 mesh: no races, the same run as without the checker`, async () => {
      const path = join(PROGRAMS, `${name}.dasm`);
      const image = build(readFileSync(path, 'utf8'), path);
      const plainRun = await run(image, meshPreset(4, 4), { races: false, path });
      const checked = await run(image, meshPreset(4, 4), { path });
      expect(checked.races).toEqual([]);
      expect(checked.figures).toEqual(plainRun.figures);
      expect(plainRun.figures).toMatchObject({ o: { kind: 'exit', code: 0 } });
    });
  }

  it('with and without compiled blocks: the same run and the same races', async () => {
    const saved = process.env['D1_JIT_THRESHOLD'];
    process.env['D1_JIT_THRESHOLD'] = '0';
    try {
      const stencil = join(PROGRAMS, 'stencil.dasm');
      for (const [image, preset, path] of [[build(stores(0)), meshPreset(3, 1), PATH], [build(inFlight(0)), meshPreset(2, 1), PATH], [build(readFileSync(stencil, 'utf8'), stencil), meshPreset(4, 4), stencil]] as const) {
        const [interp, jit] = [await run(image, preset, { jit: false, path }), await run(image, preset, { jit: true, path })];
        expect(jit.figures).toEqual(interp.figures);
        expect(jit.races).toEqual(interp.races);
      }
    } finally {
      if (saved === undefined) delete process.env['D1_JIT_THRESHOLD'];
      else process.env['D1_JIT_THRESHOLD'] = saved;
    }
  });

  it('a machine of several instances, on one worker thread or two: the same races and figures', async () => {
    const preset = { ...meshPreset(4, 2), name: 'dies-2x2', dieW: 2, dieH: 2 };
    const image = build(stores(0));
    const one = await run(image, preset, { workers: 1 });
    const two = await run(image, preset, { workers: 2 });
    expect(one.races).toHaveLength(1);
    expect(two.races).toEqual(one.races);
    expect(two.figures).toEqual(one.figures);
    expect(one.figures).toEqual((await run(image, preset, { races: false })).figures);
  });
});

describe('d1 run --check-races', () => {
  it('reports, exits 66 and puts the races in --json; a clean run keeps its code and its figures', () => {
    const dir = tempDir();
    const racy = join(dir, 'racy.dasm');
    writeFileSync(racy, stores(0));
    const r = d1(['run', '--mesh', '3x1', '--check-races', racy]);
    expect(r.code).toBe(66);
    expect(r.stderr).toMatch(/d1: data race \(write-write\) on core \(2,0\) at 0x0001_0002_0000_[0-9a-f]{4}, 8 bytes:\n {2}remote store by core \(0,0\) thread 0\n {4}pc 0x[0-9a-f]+ <_start\+0x[0-9a-f]+>: sd t2,0\(t1\)\n {4}at .*racy\.dasm:\d+: sd +t2, 0\(t1\) +# STORE\n/);
    const j = JSON.parse(d1(['run', '--mesh', '3x1', '--check-races', '--json', racy]).stdout.trim().split('\n').pop()!);
    expect(j.exitCode).toBe(66);
    expect(j.races).toMatchObject({ found: 1, more: 0, capped: false, reports: [{ kind: 'write-write', core: [2, 0], bytes: 8, first: { access: 'remote store', thread: 0 }, second: { access: 'remote store' } }] });
    expect(j.races.reports[0].first.line).toMatch(/racy\.dasm:\d+$/);

    const stencil = join(PROGRAMS, 'stencil.dasm');
    const last = (out: string) => JSON.parse(out.trim().split('\n').pop()!);
    const checked = d1(['run', '--mesh', '4x4', '--json', '--check-races', stencil]);
    const unchecked = d1(['run', '--mesh', '4x4', '--json', stencil]);
    expect(checked.code).toBe(0);
    expect(checked.stderr).toContain('d1: no data races found');
    const { races, wallSeconds: _a, mips: _b, ...a } = last(checked.stdout);
    const { wallSeconds: _c, mips: _d, ...b } = last(unchecked.stdout);
    expect(races).toEqual({ found: 0, reports: [], more: 0, capped: false });
    expect(a).toEqual(b);
  });

  it('on one core it checks the core against its engines; --no-timing is refused; --help documents it', () => {
    const file = join(tempDir(), 'dma.dasm');
    writeFileSync(file, inFlight(0));
    const r = d1(['run', '--check-races', file]);
    expect(r.code).toBe(66);
    expect(r.stderr).toContain('d1: data race (read-write) on core (0,0)');
    expect(d1(['run', '--check-races', '--no-timing', file]).code).toBe(2);
    const help = d1(['run', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--check-races');
    expect(help).toContain('66 data races found');
  });
});
