// Speculative windows (emulator/assembly/speculate.ts, docs/machine.md "Windows") against windows one at a
// time: every mesh run must end in exactly the same state either way: output, outcome, cycles, every
// statistic, the links, and each core's registers of every thread, SRAM, semaphores, engines and cycle
// model. Covered: the mesh programs in programs/, crc32 on a die, and programs written here so that
// speculations are undone at awkward moments: a core patching its own code and then sending, vector
// stores, threads spawned and joined with local semaphores, a fault, a cycle limit, the functional build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import type { Image } from '../../assembler/image.js';
import { Machine } from '../../emulator/host/mesh.js';
import { coreRegions } from '../../emulator/host/core.js';
import { LAYOUT, MESH_CFG } from '../../emulator/layout.js';
import { meshStats } from '../../emulator/host/mesh-stats.js';
import { D1_DIE, meshPreset, type MeshPreset } from '../../emulator/presets.js';
import { PROGRAMS } from '../helpers/tools.js';
import { expectSameCore, Output, plain } from '../helpers/jit-diff.js';

function build(text: string, path = join(PROGRAMS, 'speculate.dasm')): Image {
  const { image, diagnostics } = assemble([{ path, text }]);
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`)).toEqual([]);
  return image!;
}

const program = (name: string, prefix = ''): Image => build(prefix + readFileSync(join(PROGRAMS, `${name}.dasm`), 'utf8'), join(PROGRAMS, `${name}.dasm`));

interface Options {
  timing?: boolean;
  maxCycles?: bigint;
  /** Worker threads for a machine of several instances. */
  workers?: number;
  /** Two lanes: start at once and let the second join when ready (default: wait for it). */
  joinLate?: boolean;
}

async function runMesh(image: Image, preset: MeshPreset, speculate: boolean, o: Options) {
  const m = new Machine(preset, { speculate, ...(o.timing === false ? { timing: false } : {}) });
  expect(m.load(image, 'speculate.dasm')).toEqual([]);
  const out = new Output();
  const err = new Output();
  const outcome = await m.run({ stdout: out.sink, stderr: err.sink, maxCycles: o.maxCycles ?? 50_000_000n, ...(o.workers ? { workers: o.workers, awaitLanes: !o.joinLate } : {}) });
  const { wallSeconds: _w, mips: _m, ...stats } = meshStats(m);
  const figures = plain({ outcome, stdout: out.bytes().toString('latin1'), stderr: err.bytes().toString('latin1'), cycles: m.cycles, instructions: m.instructions, exits: [...m.exits], stats, links: m.links() });
  return { m, outcome, figures };
}

/** Run both ways; expect the same everything; give the speculative run and what it speculated. */
async function expectSame(image: Image, preset: MeshPreset, o: Options = {}) {
  const plainRun = await runMesh(image, preset, false, o);
  const spec = await runMesh(image, preset, true, o);
  expect(spec.figures).toEqual(plainRun.figures);
  for (const [g, { core }] of plainRun.m.cores) expectSameCore(core, spec.m.cores.get(g)!.core, `core ${plainRun.m.name(g)}`);
  expect(plainRun.m.speculation).toEqual({ runs: 0, windows: 0, undone: 0, onLanes: 0 });
  return { ...spec, speculation: spec.m.speculation };
}

describe('mesh programs: the same run with windows one at a time and speculatively', () => {
  for (const [name, prefix] of [['allreduce', ''], ['allreduce2d', ''], ['stencil', ''], ['scatter', ''], ['bisection', ''], ['summa', '.equ BS, 32\n'], ['summa', '']] as const) {
    it(`${name}${prefix ? ` (${prefix.trim()})` : ''} on a 4 x 4 mesh`, async () => {
      const r = await expectSame(program(name, prefix), meshPreset(4, 4));
      expect(r.outcome).toEqual({ kind: 'exit', code: 0 });
    });
  }

  it('stencil and summa run long stretches speculatively (and have some undone)', async () => {
    for (const image of [program('stencil'), program('summa')]) {
      const { speculation } = await expectSame(image, meshPreset(4, 4));
      expect(speculation.runs).toBeGreaterThan(0);
      expect(speculation.windows).toBeGreaterThan(4 * speculation.runs);
      expect(speculation.undone).toBeGreaterThan(0);
    }
  });

  it('crc32 on every core of a die: nearly all of it speculative', async () => {
    const r = await expectSame(build('.equ LEN, 16384\n.equ REPEAT, 1\n        .include "crc32.dasm"\n'), D1_DIE);
    expect(r.outcome).toEqual({ kind: 'exit', code: 0 });
    const windows = Number(r.m.cycles) / 256;
    expect(r.speculation.windows).toBeGreaterThan(0.8 * windows);
  });
});

/** Each core computes for a while, patching its own loop halfway through and storing into a buffer with
 * scalar and vector stores; core 0 sends a remote store and a post to core 1 every 1500 iterations
 * (speculations end there); each core prints its results at the end. `extra` runs first on each core. */
const WORKER = (extra = '', x = 1) => `
        .include "lib/io.dasm"
        .text
        .globl _start
_start:
${extra}
        csrr    s0, coreid
        la      s1, patch
        lw      s2, newword
        li      s3, 6000
        li      a0, 0
        li      s4, 1 << 48             # core (0,0)
        li      t0, ${x} << 32
        or      s4, s4, t0              # core (x,0)
        la      t0, inbox
        or      s4, s4, t0
loop:
patch:  addi    a0, a0, 1
        addi    s3, s3, -1
        li      t0, 3000
        bne     s3, t0, 1f
        sw      s2, 0(s1)               # from here on the loop adds 3
1:      la      t1, buf
        andi    t2, s3, 127
        slli    t2, t2, 3
        add     t1, t1, t2
        sd      a0, 0(t1)
        andi    t2, s3, 63
        bnez    t2, 2f
        vld     v1, 0(t1)
        la      t3, vbuf
        andi    t4, s3, 0x3c0
        add     t3, t3, t4
        vst     v1, 0(t3)
2:      bnez    s0, 3f
        li      t2, 1500
        remu    t2, s3, t2
        bnez    t2, 3f
        sd      a0, 0(s4)               # to core 1's inbox
        li      t5, 1 << 48
        li      t6, ${x} << 32
        or      t5, t5, t6
        ori     t5, t5, 3               # semaphore 3 of core x
        li      t6, 1
        spost   t5, t6
3:      bnez    s3, loop
        mv      s5, a0
        call    print_u64
        call    newline
        la      t1, buf
        li      t2, 0
        li      t3, 128
4:      ld      t4, 0(t1)
        add     t2, t2, t4
        addi    t1, t1, 8
        addi    t3, t3, -1
        bnez    t3, 4b
        mv      a0, t2
        call    print_u64
        call    newline
        ld      a0, inbox
        call    print_u64
        call    newline
        andi    a0, s5, 0x7f
        li      a7, 93
        ecall
newword: addi   a0, a0, 3
        .data
        .balign 64
buf:    .zero   1024
vbuf:   .zero   1024
inbox:  .dword  0
`;

/** Prepended to WORKER: thread 0 spawns a helper thread twice (the same thread's block, spawned twice in
 * a speculation), each time waiting on a local semaphore the helper posts and joining it. */
const THREADS = `
        la      a0, helper
        li      a1, 50
        tspawn  s7, a0, a1
        li      t0, 0
        li      t1, 1
        swait   t0, t1                  # the helper posts semaphore 0 when done
        tjoin   s7
        la      a0, helper              # again: the same thread's block, spawned twice in a speculation
        li      a1, 60
        tspawn  s7, a0, a1
        li      t0, 0
        li      t1, 1
        swait   t0, t1
        tjoin   s7
        j       _main
helper: li      t2, 4000
1:      addi    a0, a0, 7
        addi    t2, t2, -1
        bnez    t2, 1b
        li      t0, 0
        li      t1, 1
        spost   t0, t1
        texit
_main:`;

/** Prepended to WORKER: core `core` runs a little, then meets an illegal instruction. */
const FAULT = (core: number) => `
        csrr    t0, coreid
        li      t1, ${core}
        bne     t0, t1, 9f
        li      t2, 2500
1:      addi    t2, t2, -1
        bnez    t2, 1b
        .word   0                       # an illegal instruction
9:`;

describe('programs written to undo speculations at awkward moments', () => {
  it('self-modifying code, scalar and vector stores, remote stores and posts in the middle of the compute', async () => {
    const r = await expectSame(build(WORKER()), meshPreset(2, 2));
    expect(r.outcome).toEqual({ kind: 'exit', code: (3000 + 3000 * 3) & 0x7f });
    expect(r.speculation.runs).toBeGreaterThan(0);
    expect(r.speculation.undone).toBeGreaterThan(2);
  });

  it('the functional build (--no-timing)', async () => {
    const r = await expectSame(build(WORKER()), meshPreset(2, 2), { timing: false });
    expect(r.speculation.runs).toBeGreaterThan(0);
  });

  it('hardware threads: one spawned twice in a speculation, local semaphores between them, joins', async () => {

    const r = await expectSame(build(WORKER(THREADS)), meshPreset(2, 2));
    expect(r.outcome).toEqual({ kind: 'exit', code: (3000 + 3000 * 3) & 0x7f });
    expect(r.m.cores.get(0)!.core.threads().filter((t) => t.instret > 0n).length).toBe(2);
  });

  it('a fault on one core in the middle of a speculation', async () => {

    const r = await expectSame(build(WORKER(FAULT(2))), meshPreset(2, 2));
    expect(r.outcome).toMatchObject({ kind: 'stop', core: 2 });
  });

  it('a cycle limit reached in the middle of the compute', async () => {
    const r = await expectSame(build(WORKER()), meshPreset(2, 2), { maxCycles: 20_000n });
    expect(r.outcome).toEqual({ kind: 'limit' });
  });
});

/** Each core stores into a new SRAM line every iteration (a 512 KiB stretch), with a short loop between;
 * core 0 sends core 1 a remote store every 40 iterations, so speculations keep ending and beginning. */
const ROLLING = `
        .text
        .globl _start
_start:
        csrr    s0, coreid
        la      s1, rolling
        li      s3, 8000
        li      s4, 1 << 48 | 1 << 32   # core (1,0)
        la      t0, inbox
        or      s4, s4, t0
loop:   sd      s3, 0(s1)
        addi    s1, s1, 64
        li      t0, 30
1:      addi    t0, t0, -1
        bnez    t0, 1b
        bnez    s0, 2f
        li      t1, 40
        remu    t1, s3, t1
        bnez    t1, 2f
        sd      s3, 0(s4)
2:      addi    s3, s3, -1
        bnez    s3, loop
        li      a0, 0
        li      a7, 93
        ecall
        .data
inbox:  .dword  0
        .bss
        .balign 64
rolling: .zero  8000 * 64
`;

describe('the speculation epoch (layout.ts CORE_CODELINES)', () => {
  it('starts again after 127 speculations with no line marked from before (whose next write would go unlogged)', async () => {
    const r = await expectSame(build(ROLLING), meshPreset(2, 2));
    expect(r.outcome).toEqual({ kind: 'exit', code: 0 });
    expect(r.speculation.runs + r.speculation.undone).toBeGreaterThan(127);
    const memory = new Uint8Array(r.m.parts[0]!.memory.buffer);
    const epoch = new DataView(memory.buffer).getUint32(LAYOUT.MESH + MESH_CFG.SPEC_EPOCH, true);
    const late: string[] = [];
    for (const [g, { slot }] of r.m.cores) {
      const lines = coreRegions(slot).base + LAYOUT.CORE_CODELINES;
      for (let line = 0; line < LAYOUT.SRAM_SIZE / LAYOUT.CODE_LINE; line++) {
        if ((memory[lines + line]! & ~LAYOUT.CODE_MARK) > epoch) late.push(`core ${r.m.name(g)} line ${line}: ${memory[lines + line]! & ~LAYOUT.CODE_MARK}`);
      }
    }
    expect(late.slice(0, 5), `marks above the epoch ${epoch}`).toEqual([]);
  });
});

/** Four dies of 4 x 4 cores: a machine of four instances, whose windows run in lockstep. */
const FOUR_DIES: MeshPreset = { name: 'four-dies', w: 8, h: 8, dieW: 4, dieH: 4, disabled: [] };

describe('a machine of several instances: the instances speculate together (lockstep)', () => {
  for (const [name, prefix] of [['allreduce', ''], ['stencil', ''], ['summa', '.equ BS, 32\n']] as const) {
    it(`${name}${prefix ? ` (${prefix.trim()})` : ''} on four dies`, async () => {
      const r = await expectSame(program(name, prefix), FOUR_DIES);
      expect(r.outcome).toEqual({ kind: 'exit', code: 0 });
    });
  }

  it('crc32 on every core of four dies, in this thread and on 2 worker threads: nearly all of it speculative', async () => {
    const image = build('.equ LEN, 16384\n.equ REPEAT, 1\n        .include "crc32.dasm"\n');
    const one = await expectSame(image, FOUR_DIES);
    expect(one.outcome).toEqual({ kind: 'exit', code: 0 });
    expect(one.speculation.windows).toBeGreaterThan(0.8 * (Number(one.m.cycles) / 256) * FOUR_DIES.w * FOUR_DIES.h / 16);
    const two = await expectSame(image, FOUR_DIES, { workers: 2 });
    expect(two.figures).toEqual(one.figures);
    expect(two.speculation).toEqual(one.speculation);
  });

  it('remote stores and posts across a die edge in the middle of the compute, self-modifying code, vector stores', async () => {
    for (const workers of [1, 2]) {
      const r = await expectSame(build(WORKER('', 4)), FOUR_DIES, { workers });
      expect(r.outcome).toEqual({ kind: 'exit', code: (3000 + 3000 * 3) & 0x7f });
      expect(r.speculation.runs).toBeGreaterThan(0);
      expect(r.speculation.undone).toBeGreaterThan(2);
    }
  });
});

/** The cores of a one-instance machine's speculations on two lanes (emulator/host/lanes.ts, `workers: 2`):
 * the same results as one lane and as no speculation; the lanes were used. */
describe("a die's speculative windows on two lanes", () => {
  it('crc32 on every core of a die: the same run on one lane and on two', async () => {
    const image = build('.equ LEN, 16384\n.equ REPEAT, 1\n        .include "crc32.dasm"\n');
    const one = await expectSame(image, D1_DIE);
    const two = await expectSame(image, D1_DIE, { workers: 2 });
    expect(two.figures).toEqual(one.figures);
    expect(one.speculation.onLanes).toBe(0);
    expect(two.speculation.onLanes).toBeGreaterThan(0);
    // as `d1 run` does it: the second lane joins when its worker is ready, some speculations in
    const late = await expectSame(image, D1_DIE, { workers: 2, joinLate: true });
    expect(late.figures).toEqual(one.figures);
  });

  it('remote stores and posts from a core of the first lane to one of the second, self-modifying code, vector stores', async () => {
    for (const timing of [true, false]) {
      const r = await expectSame(build(WORKER('', 12)), meshPreset(16, 1), { workers: 2, timing });
      expect(r.outcome).toEqual({ kind: 'exit', code: (3000 + 3000 * 3) & 0x7f });
      expect(r.speculation.onLanes).toBeGreaterThan(0);
      expect(r.speculation.undone).toBeGreaterThan(2);
    }
  });

  it('hardware threads, a fault on a core of the second lane, a cycle limit', async () => {


    const r = await expectSame(build(WORKER(THREADS)), meshPreset(2, 2), { workers: 2 });
    expect(r.outcome).toEqual({ kind: 'exit', code: (3000 + 3000 * 3) & 0x7f });
    expect(r.speculation.onLanes).toBeGreaterThan(0);
    const f = await expectSame(build(WORKER(FAULT(3))), meshPreset(2, 2), { workers: 2 });
    expect(f.outcome).toMatchObject({ kind: 'stop', core: 3 });
    const l = await expectSame(build(WORKER()), meshPreset(2, 2), { workers: 2, maxCycles: 20_000n });
    expect(l.outcome).toEqual({ kind: 'limit' });
  });
});
