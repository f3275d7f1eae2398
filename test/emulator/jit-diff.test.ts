// The block compiler (emulator/host/jit, emulator/assembly/jit.ts) against the interpreter alone: every
// run with compiled blocks must end in exactly the state of the same run without them: registers of every
// thread, pc, memory (all of SRAM, and everything Core.snapshot() holds), output, exit code, the cycle
// count and every statistic (coreStats, the cycle model's totals, each thread's counts and stalls,
// meshStats and the links of a mesh). The compiler runs at threshold 0 (D1_JIT_THRESHOLD=0: every branch
// target is compiled at its first arrival, so as much code as possible goes through it) and, for most
// programs, again at threshold 1 (fewer, larger regions). Covered: every program in programs/ on one core,
// seeded random RV64IM programs (test/gen/random-program.ts), programs written here for the compiler's
// edge cases (self-modifying code, instruction limits, faults, misaligned and outside jumps, calls and
// returns, the M extension's corner cases, x0, loads and stores of every size, the cycle model in loops,
// hardware threads, breakpoints and snapshots, large regions), and mesh programs on a 4 x 4 mesh.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import type { Image } from '../../assembler/image.js';
import type { Core, StopReason } from '../../emulator/host/core.js';
import { Machine } from '../../emulator/host/mesh.js';
import { meshStats } from '../../emulator/host/mesh-stats.js';
import { meshPreset } from '../../emulator/presets.js';
import { DUMP_BYTES, ProgramGenerator } from '../gen/random-program.js';
import { PROGRAMS } from '../helpers/tools.js';
import { blockEntries, coreFigures, expectSameBytes, expectSameCore, expectSameRun, newCore, newMachine, Output, plain, runFigures, runImage, snapshotPlace, stopFigures } from '../helpers/jit-diff.js';

let saved: string | undefined;
beforeAll(() => {
  saved = process.env['D1_JIT_THRESHOLD'];
  process.env['D1_JIT_THRESHOLD'] = '0';
});
afterAll(() => {
  if (saved === undefined) delete process.env['D1_JIT_THRESHOLD'];
  else process.env['D1_JIT_THRESHOLD'] = saved;
});

function build(text: string, path = 'jit-diff.dasm'): Image {
  const { image, diagnostics } = assemble([{ path, text }]);
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`)).toEqual([]);
  return image!;
}

const program = (name: string, prefix = ''): Image => {
  const path = join(PROGRAMS, `${name}.dasm`);
  return build(prefix + readFileSync(path, 'utf8'), path);
};

describe('programs/*.dasm on one core: the same run with and without compiled blocks', () => {
  const names = readdirSync(PROGRAMS).filter((f) => f.endsWith('.dasm')).map((f) => f.slice(0, -5)).sort();

  it('finds the programs', () => {
    expect(names).toEqual(expect.arrayContaining(['hello', 'fib', 'sort', 'crc32', 'matmul', 'gemm', 'quantize', 'softmax', 'transpose', 'allreduce', 'stencil', 'summa']));
  });

  // At threshold 0 a region holds the targets reached by its first arrival; at 1 it is made at the second,
  // when more of them have been reached: fewer, larger regions. Compiled regions are kept per process by
  // their words and place, so the second pass moves the code one word on (a nop before it) to have its
  // own regions.
  for (const name of names) {
    for (const threshold of [0, 1]) {
      it(`${name}${threshold ? ', threshold 1 (larger regions)' : ''}`, async () => {
        const image = program(name, threshold ? '        .text\n        nop\n' : '');
        const { interp, jit } = await expectSameRun(image, name, undefined, threshold);
        expect(blockEntries(interp.core)).toBe(0);
        // the compiler took part wherever the program took a branch
        if (interp.result.stats.instructions > 100n) expect(blockEntries(jit.core)).toBeGreaterThan(0);
      });
    }
  }
});

describe('programs/*.dasm on one core, the functional build (--no-timing): the same run with and without compiled blocks', () => {
  const names = readdirSync(PROGRAMS).filter((f) => f.endsWith('.dasm')).map((f) => f.slice(0, -5)).sort();
  for (const name of names) {
    it(name, async () => {
      const { interp, jit } = await expectSameRun(program(name), `${name}, --no-timing`, undefined, undefined, false);
      // one cycle an instruction (of each thread: threads run side by side)
      if (interp.core.threads().filter((t) => t.instret > 0n).length === 1) expect(interp.result.stats.cycles).toBe(interp.result.stats.instructions);
      if (interp.result.stats.instructions > 100n) expect(blockEntries(jit.core)).toBeGreaterThan(0);
    });
  }
});

describe('seeded random RV64IM programs (test/gen/random-program.ts): the same output, exit code, cycles and statistics', () => {
  // Every program's code is compiled, which costs far more than running it (tens of ms a program): the
  // default count keeps this file quick; D1_JIT_PROGRAMS=N runs more (the same seed: the first ones are
  // these). Batches alternate between threshold 0 and 1 (regions made at the first arrival, or at the
  // second with more of their targets reached).
  const TOTAL = Number(process.env['D1_JIT_PROGRAMS'] ?? 400);
  const BATCH = 50;
  const SEED = 20261123;
  it(`on ${TOTAL} programs (seed ${SEED})`, async () => {
    const gen = new ProgramGenerator(SEED);
    let checked = 0;
    for (let first = 0; first < TOTAL; first += BATCH) {
      const count = Math.min(BATCH, TOTAL - first);
      const { text } = gen.file(first, count);
      const image = build(text, `random-${first}.s`);
      const interp = await runImage(image, false);
      const jit = await runImage(image, true, undefined, (first / BATCH) % 2);
      expect(interp.result.exitCode).toBe(0);
      expect(interp.stdout.length).toBe(count * DUMP_BYTES);
      expect(runFigures(jit), `programs ${first}..${first + count - 1}`).toEqual(runFigures(interp));
      expectSameCore(interp.core, jit.core, `programs ${first}..${first + count - 1}`);
      expect(blockEntries(jit.core)).toBeGreaterThan(0);
      checked += count;
      await new Promise((r) => setImmediate(r)); // let vitest's worker talk between batches
    }
    expect(checked).toBe(TOTAL);
  });
});

// ---- programs for the compiler's edge cases ------------------------------------------------------------

/** The programs of prog(), built again one word further on: same() runs them a second time so, at
 * threshold 1, with regions of their own (see the programs above). */
const moved = new WeakMap<Image, () => Image>();

/** A program: `body` from _start, then exit(a0); then `rest` (functions, data); `nops` words before it. */
const prog = (body: string, rest = '', nops = 0): Image => {
  const image = build(`        .text\n        .globl _start\n${'        nop\n'.repeat(nops)}_start:\n${body}\n        li a7, 93\n        ecall\n${rest}\n`);
  if (nops === 0) moved.set(image, () => prog(body, rest, 1));
  return image;
};

/** write(1, a1, a2) as a function (clobbers a0, a7). */
const WRITE = `write_out:\n        li a0, 1\n        li a7, 64\n        ecall\n        ret\n`;

const M64 = (v: bigint) => BigInt.asUintN(64, v);
const S64 = (v: bigint) => BigInt.asIntN(64, v);
const S32 = (v: bigint) => BigInt.asIntN(32, v);
const U32 = (v: bigint) => BigInt.asUintN(32, v);
const MIN64 = -(1n << 63n);

/** Run both ways, expect the same everything, and give the interpreter's run to check behaviour on; a
 * program of prog() again one word on at threshold 1. */
async function same(image: Image, what: string, maxInstructions?: bigint) {
  const { interp, jit } = await expectSameRun(image, what, maxInstructions);
  const again = moved.get(image);
  if (again) await expectSameRun(again(), `${what} (one word on, threshold 1)`, maxInstructions, 1);
  return { interp, jit, a0: interp.core.getReg(10) };
}

describe('self-modifying code: stores into compiled code take effect exactly when they would without compilation', () => {
  it('a store patches an instruction the loop ran before it (the change shows from the next iteration)', async () => {
    const { interp, a0 } = await same(prog(`
        la s0, patch
        lw s3, newword
        li s1, 100
        li a0, 0
loop:
patch:  addi a0, a0, 1
        addi s1, s1, -1
        li t0, 50
        bne s1, t0, 1f
        sw s3, 0(s0)
1:      bnez s1, loop`, `newword: addi a0, a0, 3`), 'patch behind');
    expect(a0).toBe(50n + 50n * 3n);
    expect(interp.result.exitCode).toBe(200);
  });

  it('a store patches the very next instruction of its straight-line stretch (it runs patched at once)', async () => {
    const { a0 } = await same(prog(`
        la s0, patch
        lw s3, newword
        li s1, 60
        li a0, 0
loop:   li t0, 30
        bne s1, t0, patch
        sw s3, 0(s0)
patch:  addi a0, a0, 1
        addi s1, s1, -1
        bnez s1, loop`, `newword: addi a0, a0, 100`), 'patch ahead');
    expect(a0).toBe(30n + 30n * 100n);
  });

  it('a store patches a function that is compiled on its own (called from the loop)', async () => {
    const { a0 } = await same(prog(`
        la s0, f
        lw s3, newword
        li s1, 100
        li a0, 0
loop:   call f
        addi s1, s1, -1
        li t0, 50
        bne s1, t0, 1f
        sw s3, 0(s0)
1:      bnez s1, loop`, `f:      addi a0, a0, 1\n        ret\nnewword: addi a0, a0, 7`), 'patch a callee');
    expect(a0).toBe(50n + 50n * 7n);
  });

  it('sb and sh patch parts of instruction words; a misaligned sd rewrites two instructions across a code line', async () => {
    const { a0, interp } = await same(prog(`
        la s0, p_b
        la s2, p_h
        la s4, p_d
        ld s5, newpair
        li s1, 90
        li a0, 0
        li a1, 0
        li a2, 0
loop:   call body
        addi s1, s1, -1
        li t0, 60
        bne s1, t0, 1f
        lbu t1, 2(s0)           # p_b: addi a0, a0, 1 -> 3 (imm bit 1 is bit 5 of byte 2)
        ori t1, t1, 0x20
        sb t1, 2(s0)
1:      li t0, 30
        bne s1, t0, 2f
        lhu t1, 2(s2)           # p_h: addi a2, a2, 1 -> 9 (imm is bits 4.. of the high half)
        addi t1, t1, 0x80
        sh t1, 2(s2)
        sd s5, 0(s4)            # p_d, p_d + 4: the last word of a code line and the first of the next
2:      bnez s1, loop`, `
        .balign 64
body:
p_b:    addi a0, a0, 1
p_h:    addi a2, a2, 1
        .rept 13
        nop
        .endr
p_d:    addi a1, a1, 1
        addi a1, a1, 1
        ret
newpair: addi a1, a1, 5
        addi a1, a1, 9`), 'partial patches');
    expect(a0).toBe(30n + 60n * 3n);
    expect(interp.core.getReg(11)).toBe(60n * 2n + 30n * 14n);
    expect(interp.core.getReg(12)).toBe(60n + 30n * 9n);
  });

  it('an instruction toggled between two encodings every iteration (compiled code for both comes and goes)', async () => {
    const { a0 } = await same(prog(`
        la s0, patch
        li t1, 2 << 20          # addi's immediate 1 <-> 3
        li s1, 300
        li a0, 0
loop:
patch:  addi a0, a0, 1
        lw t0, 0(s0)
        xor t0, t0, t1
        sw t0, 0(s0)
        addi s1, s1, -1
        bnez s1, loop`), 'toggle');
    expect(a0).toBe(150n * 1n + 150n * 3n);
  });

  it('vector stores (which only the interpreter runs) copy a new function over a compiled one', async () => {
    const { a0 } = await same(prog(`
        la s0, g
        la s2, g2
        li s1, 100
        li a0, 0
loop:   call g
        addi s1, s1, -1
        li t0, 50
        bne s1, t0, 1f
        vld v1, 0(s2)
        vst v1, 0(s0)
1:      bnez s1, loop`, `
        .balign 64
g:      addi a0, a0, 1
        ret
        .rept 14
        nop
        .endr
g2:     addi a0, a0, 10
        ret
        .rept 14
        nop
        .endr`), 'vst over code');
    expect(a0).toBe(50n + 50n * 10n);
  });

  it('one hardware thread patches the loop another is running', async () => {
    const { interp } = await same(prog(`
        la t0, spinner
        tspawn s1, t0, zero
        la t0, patcher
        tspawn s2, t0, zero
        tjoin s1
        tjoin s2
        la a1, count
        li a2, 8
        call write_out
        li a0, 0`, `${WRITE}
spinner:
        li s1, 0
1:      addi s1, s1, 1
patch:  addi t2, x0, 0
        beqz t2, 1b
        la t0, count
        sd s1, 0(t0)
        texit
patcher:
        li t1, 500
2:      addi t1, t1, -1
        bnez t1, 2b
        lw t4, newword
        la t5, patch
        sw t4, 0(t5)
        texit
newword: addi t2, x0, 1
        .data
count:  .dword 0`), 'cross-thread patch');
    const n = interp.stdout.readBigUInt64LE(0);
    expect(n).toBeGreaterThan(100n); // the spinner went round until the patch landed
  });

  it('the host writes an instruction into compiled code between runs (as d1 debug does)', async () => {
    const image = prog(`
        li s1, 400
        li a0, 0
loop:
patch:  addi a0, a0, 1
        addi s1, s1, -1
        bnez s1, loop`, `newword: addi a0, a0, 5`);
    const patch = image.symbols.find((s) => s.name === 'patch')!.value;
    const word = (c: Core) => c.readMem(image.symbols.find((s) => s.name === 'newword')!.value, 4);
    const cores = [false, true].map((jit) => {
      const c = newCore(jit);
      expect(c.load(image)).toEqual([]);
      return c;
    });
    const stops = cores.map((c) => {
      const first = c.runRaw(333n);
      c.writeMem(patch, word(c));
      return [first, c.runRaw(1_000_000n)].map(stopFigures);
    });
    expect(stops[1]).toEqual(stops[0]);
    expect(stops[0]).toEqual([{ kind: 'limit' }, { kind: 'ecall' }]);
    expectSameCore(cores[0]!, cores[1]!, 'host patch');
    // 333 instructions: 2 of set-up, 110 iterations and the add of the 111th; then 289 adds of 5
    expect(cores[0]!.getReg(10)).toBe(111n + 289n * 5n);
  });
});

describe('instruction limits (Machine.stepCore(limit) on one core, --max-instructions): compiled code stops at exactly the same instruction', () => {
  // nested loops, calls and returns, loads and stores: blocks of many lengths, and regions whose inner
  // branches the budget cuts
  const nested = () => prog(`
        la s3, buf
        li s0, 0
        li s1, 12
outer:  li s2, 9
inner:  add s0, s0, s2
        xor s0, s0, s1
        call mix
        addi s2, s2, -1
        bnez s2, inner
        sd s0, 0(s3)
        addi s3, s3, 8
        addi s1, s1, -1
        bnez s1, outer
        li s2, 200
2:      addi s0, s0, 7
        xor s0, s0, s2
        sd s0, 0(s3)
        ld t0, 0(s3)
        add s0, s0, t0
        addi s2, s2, -1
        bnez s2, 2b
        mv a0, s0`, `
mix:    slli t0, s0, 3
        srli t1, s0, 5
        add s0, t0, t1
        ld t2, 0(s3)
        add s0, s0, t2
        mul t2, s0, s2
        sd t2, 0(s3)
        beqz s2, 1f
        addi s0, s0, 1
1:      ret
        .data
buf:    .zero 256`);

  // and a tight loop
  const tight = () => prog(`
        li s1, 700
        li a0, 0
1:      addi a0, a0, 1
        addi s1, s1, -1
        bnez s1, 1b`);
  const SUBJECTS: [string, () => Image][] = [['nested loops', nested], ['a tight loop', tight]];

  /** What one stop shows without SRAM: pc, counts, the cycle model, the current thread's registers. */
  const light = (c: Core) => plain({ pc: c.pc, instret: c.instret, cycles: c.cycles, info: c.threads(), x: Array.from({ length: 32 }, (_, i) => c.getReg(i)) });

  for (const [what, image] of SUBJECTS) {
    for (const [chunk, threshold] of [[1n, 0], [7n, 0], [100n, 0], [1001n, 0], [7n, 1], [100n, 1]] as const) {
      it(`${what}: run(${chunk}) again and again${threshold ? ' (one word on, threshold 1)' : ''}: the same stop, pc, counts and registers after every call, the same state at the end`, async () => {
        const img = threshold ? moved.get(image())!() : image();
        const machines = [false, true].map((jit) => {
          const m = newMachine(jit, threshold);
          expect(m.load(img)).toEqual([]);
          return m;
        });
        const cores = machines.map((m) => m.core());
        const io = { stdout: new Output().sink, stderr: new Output().sink };
        let calls = 0;
        for (;;) {
          const before = cores[0]!.instret;
          const stops = machines.map((m) => plain(m.stepCore(0, chunk, io)));
          calls++;
          expect(stops[1], `call ${calls}`).toEqual(stops[0]);
          expect(light(cores[1]!), `after call ${calls}`).toEqual(light(cores[0]!));
          if ((stops[0] as { kind: string }).kind !== 'step') break;
          expect(cores[0]!.instret - before).toBe(chunk);
        }
        expect(calls).toBeGreaterThan(1); // (the programs run about 2,000 and 3,000 instructions)
        expectSameCore(cores[0]!, cores[1]!, `run(${chunk})`);
        // and the run in pieces ends where one run of the interpreter does
        const whole = await runImage(img, false);
        expect(coreFigures(cores[1]!)).toEqual(coreFigures(whole.core));
        expectSameBytes(whole.core.snapshot(), cores[1]!.snapshot(), 'pieces vs whole', snapshotPlace);
      });
    }
  }

  it('--max-instructions: the same limit stop (exit 137) and state at each of several limits', async () => {
    const img = nested();
    const total = (await runImage(img, false)).result.stats.instructions;
    for (const limit of [1n, 2n, 7n, 100n, 1001n, total - 1n]) {
      const { interp } = await same(img, `limit ${limit}`, limit);
      expect(interp.result.exitCode).toBe(137);
      expect(interp.result.stats.instructions).toBe(limit);
    }
  });
});

describe('faults inside hot loops: the same fault, pc, address and state', () => {
  // The loop accesses the addresses of a table: runs of good ones (the ends of SRAM, misaligned ones, the
  // core's own global address, which compiled code leaves to the interpreter) between bad ones. At each
  // fault the host steps over the access (pc + 4) and the run goes on, so the loop faults again and
  // again once hot. (The program's data is at 0x2000: the stores go elsewhere.)
  const SRAM = 0x140000n;
  const ACCESSES: [string, number, boolean][] = [
    ['lb', 1, false], ['lh', 2, false], ['lw', 4, false], ['ld', 8, false], ['lbu', 1, false], ['lhu', 2, false], ['lwu', 4, false],
    ['sb', 1, true], ['sh', 2, true], ['sw', 4, true], ['sd', 8, true],
  ];
  const bads = (size: number) => [SRAM - BigInt(size) + 1n, SRAM, -1n, -BigInt(size), 1n << 32n, (1n << 32n) + 0x8000n, (1n << 48n) | (1n << 32n), 1n << 63n];
  const table = (size: number) => {
    const good = [0x8000n, 0x8001n, SRAM - BigInt(size), 0x9003n, (1n << 48n) | 0x8100n, SRAM - BigInt(size) - 1n, 0x13ff00n];
    const run = (n: number) => Array.from({ length: n }, (_, i) => good[i % good.length]!);
    return [...run(100), ...bads(size).flatMap((bad) => [bad, ...run(20)])];
  };
  const faulting = (op: string, size: number, store: boolean) => prog(`
        la s0, addrs
        li s1, ${table(size).length}
loop:   ld t1, 0(s0)
        addi s0, s0, 8
        addi s2, s2, 3
at:     ${store ? `${op} s2, 0(t1)` : `${op} t2, 0(t1)`}
        add s3, s3, t2
        addi s1, s1, -1
        bnez s1, loop
        mv a0, s3`, `        .data\n        .balign 8\naddrs:\n${table(size).map((a) => `        .dword ${M64(a)}`).join('\n')}`);

  /** Run to the end, stepping over load and store faults; every stop and the state there. */
  function drive(core: Core): unknown[] {
    const seen: unknown[] = [];
    for (;;) {
      const stop = core.runRaw(1_000_000n) as StopReason;
      seen.push(stopFigures(stop), plain({ pc: core.pc, instret: core.instret, cycles: core.cycles }));
      if (stop.kind === 'fault' && (stop.cause === 'load' || stop.cause === 'store' || stop.cause === 'remote')) core.pc += 4n;
      else if (stop.kind === 'ecall' && core.getReg(17) !== 93n) continue;
      else return seen;
    }
  }

  for (const [op, size, store] of ACCESSES) {
    it(`${op}: past the end of SRAM, below 0, above 4 GiB, on a core that is not there`, async () => {
      const img = faulting(op, size, store);
      const cores = [false, true].map((jit) => {
        const c = newCore(jit);
        expect(c.load(img)).toEqual([]);
        return c;
      });
      const [interp, jit] = cores.map(drive);
      expect(jit).toEqual(interp);
      expectSameCore(cores[0]!, cores[1]!, op);
      // and at threshold 1, one word on
      const again = [false, true].map((on) => {
        const c = newCore(on, 1);
        expect(c.load(moved.get(img)!())).toEqual([]);
        return c;
      });
      expect(drive(again[1]!)).toEqual(drive(again[0]!));
      expectSameCore(again[0]!, again[1]!, `${op}, threshold 1`);
      expect(blockEntries(cores[1]!)).toBeGreaterThan(0);
      const at = img.symbols.find((s) => s.name === 'at')!.value;
      const faults = (interp as { kind: string; pc?: string; addr?: string }[]).filter((s) => s.kind === 'fault');
      expect(faults.map((f) => f.addr)).toEqual(bads(size).map((b) => `${M64(b)}n`));
      expect(faults.every((f) => f.pc === `${at}n`)).toBe(true);
      expect(interp.at(-2)).toEqual({ kind: 'ecall' });
    });
  }
});

describe('jumps and branches inside hot loops: misaligned and outside targets, targets on the next word', () => {
  /** Call `target` + t1 in a loop; t1 is `off` when s1 reaches 40. */
  const jumping = (off: bigint) => prog(`
        li s1, 100
        li s0, 0
loop:   li t1, 0
        li t0, 40
        bne s1, t0, 1f
        li t1, ${off}
1:      la t0, target
        add t0, t0, t1
at:     jalr ra, 0(t0)
        addi s1, s1, -1
        bnez s1, loop
        mv a0, s0`, `
target: addi s0, s0, 1
        ret`);

  it('jalr to a target + 1 (bit 0 is cleared: fine), + 2 (misaligned) and outside SRAM', async () => {
    const ok = await same(jumping(1n), 'jalr +1');
    expect(ok.a0).toBe(100n);
    for (const off of [2n, 3n, 0x140000n, -0x2000n, 1n << 32n]) {
      const img = jumping(off);
      const { interp } = await same(img, `jalr +${off}`);
      const at = img.symbols.find((s) => s.name === 'at')!.value;
      const target = img.symbols.find((s) => s.name === 'target')!.value;
      expect(interp.result.outcome).toEqual({ kind: 'fault', cause: 'fetch', pc: at, addr: M64((target + off) & ~1n) });
      expect(interp.core.getReg(1)).toBe(at + 4n); // ra: from the last good call; the faulting jalr wrote nothing
    }
  });

  it('jalr whose rd is its rs1, jalr and jal to the next word, branches to the next word (taken and not)', async () => {
    const { a0 } = await same(prog(`
        li s1, 200
        li a0, 0
loop:   la t0, f
        jalr t0, 0(t0)          # rd = rs1: the link is written after the target is read
        la t1, 1f
        jalr t2, 0(t1)          # to the next word
1:      jal t3, 2f              # to the next word
2:      beq s1, s1, 3f          # taken, to the next word
3:      bne s1, s1, 4f          # not taken, to the next word
4:      sub t4, t2, t1          # the links: the next words (0 added)
        add a0, a0, t4
        la t5, 2b
        sub t5, t3, t5
        add a0, a0, t5
        addi s1, s1, -1
        bnez s1, loop`, `f:      addi a0, a0, 1\n        jr t0`), 'next-word control');
    expect(a0).toBe(200n);
  });

  it('a conditional branch to a misaligned target: not taken while hot, then taken (a fetch fault)', async () => {
    // bne s1, s2, .+6 (no assembler writes that: encoded here)
    const off = 6;
    const imm = off & 0x1fff;
    const bne = ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (18 << 20) | (9 << 15) | (1 << 12) | (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63) >>> 0;
    const img = prog(`
        li s1, 100
        li s2, 100
        li a0, 0
loop:   addi a0, a0, 1
        li t0, 30
        bne s1, t0, 1f
        li s2, 7
1:
at:     .word ${bne}
        addi s1, s1, -1
        mv s2, s1
        bnez s1, loop`);
    const { interp } = await same(img, 'branch to a misaligned target');
    const at = img.symbols.find((s) => s.name === 'at')!.value;
    expect(interp.result.outcome).toEqual({ kind: 'fault', cause: 'fetch', pc: at, addr: at + 6n });
    expect(interp.core.getReg(10)).toBe(71n);
  });
});

describe('calls and returns: targets known at compile time, and returns to where ra says', () => {
  it('a jalr reached both from its auipc and by a jump with another base (the target is not the auipc\'s)', async () => {
    const { a0 } = await same(prog(`
        li s1, 101
        li a0, 0
loop:   andi t0, s1, 1
        beqz t0, pair
        la t1, g
        addi t1, t1, -24
        j mid
pair:   auipc t1, 0
mid:    jalr ra, 24(t1)         # from pair: f; from the j: g
        addi s1, s1, -1
        bnez s1, loop
        j done
        nop
f:      addi a0, a0, 1
        ret
g:      addi a0, a0, 100
        ret
done:`), 'jalr with two bases');
    expect(a0).toBe(50n * 1n + 51n * 100n);
  });

  it('a callee that returns past its return point (ra + 4) on some calls; two call sites of one function', async () => {
    const { a0 } = await same(prog(`
        li s1, 100
        li a0, 0
loop:   call h
        addi a0, a0, 1          # skipped when h returns to ra + 4
        call k
        addi s1, s1, -1
        call k
        bnez s1, loop`, `
h:      andi t0, s1, 1
        beqz t0, 1f
        addi ra, ra, 4
1:      ret
k:      addi a0, a0, 1000
        ret`), 'returns');
    expect(a0).toBe(50n + 200n * 1000n);
  });

  it('tail calls, a call through a register, recursion', async () => {
    const { a0 } = await same(prog(`
        li s1, 40
        li a0, 0
loop:   la t3, t_fn
        jalr t3
        li a1, 9
        call fib
        add a0, a0, a1
        addi s1, s1, -1
        bnez s1, loop`, `
t_fn:   addi a0, a0, 2
        tail u_fn
u_fn:   addi a0, a0, 3
        ret
fib:    li t0, 2
        blt a1, t0, 1f
        addi sp, sp, -16
        sd ra, 0(sp)
        sd a1, 8(sp)
        addi a1, a1, -1
        call fib
        ld t1, 8(sp)
        sd a1, 8(sp)
        addi a1, t1, -2
        call fib
        ld t1, 8(sp)
        add a1, a1, t1
        ld ra, 0(sp)
        addi sp, sp, 16
1:      ret`), 'calls');
    expect(a0).toBe(40n * (5n + 34n));
  });
});

describe('RV64M corner cases in a loop: division by zero and overflow, high products, 32-bit forms', () => {
  const OPS = ['mul', 'mulh', 'mulhsu', 'mulhu', 'mulw', 'div', 'divu', 'rem', 'remu', 'divw', 'divuw', 'remw', 'remuw'] as const;
  const ref: Record<(typeof OPS)[number], (a: bigint, b: bigint) => bigint> = {
    mul: (a, b) => a * b,
    mulh: (a, b) => (S64(a) * S64(b)) >> 64n,
    mulhsu: (a, b) => (S64(a) * M64(b)) >> 64n,
    mulhu: (a, b) => (M64(a) * M64(b)) >> 64n,
    mulw: (a, b) => S32(a * b),
    div: (a, b) => (b === 0n ? -1n : S64(a) === MIN64 && S64(b) === -1n ? MIN64 : S64(a) / S64(b)),
    divu: (a, b) => (b === 0n ? -1n : M64(a) / M64(b)),
    rem: (a, b) => (b === 0n ? a : S64(a) === MIN64 && S64(b) === -1n ? 0n : S64(a) % S64(b)),
    remu: (a, b) => (b === 0n ? a : M64(a) % M64(b)),
    divw: (a, b) => (S32(b) === 0n ? -1n : S32(S32(a) / S32(b))),
    divuw: (a, b) => (U32(b) === 0n ? -1n : S32(U32(a) / U32(b))),
    remw: (a, b) => (S32(b) === 0n ? S32(a) : S32(S32(a) % S32(b))),
    remuw: (a, b) => (U32(b) === 0n ? S32(a) : S32(U32(a) % U32(b))),
  };
  const POOL = [0n, 1n, -1n, 2n, -2n, 3n, -7n, MIN64, -MIN64 - 1n, 0x7fffffffn, -0x80000000n, 0x80000000n, 0xffffffffn, 0x1_0000_0000n, 0x1_0000_0001n, -0x1_0000_0000n, 0x123456789abcdefn, -0x0fedcba987654321n];
  const pairs = POOL.flatMap((a) => POOL.map((b) => [a, b] as const));

  it(`every op on ${pairs.length} operand pairs, also with rd = rs1 = rs2 and rd = x0`, async () => {
    const image = prog(`
        la s0, pairs
        la s1, out
        li s2, ${pairs.length}
loop:   ld a1, 0(s0)
        ld a2, 8(s0)
${OPS.map((op, k) => `        ${op} t0, a1, a2\n        sd t0, ${8 * k}(s1)`).join('\n')}
${OPS.map((op) => `        ${op} x0, a1, a2`).join('\n')}
        mv t1, a1
        mulh t1, t1, t1
        sd t1, ${8 * OPS.length}(s1)
        mv t1, a2
        divw t1, t1, t1
        sd t1, ${8 * OPS.length + 8}(s1)
        sd x0, ${8 * OPS.length + 16}(s1)
        addi s0, s0, 16
        addi s1, s1, ${8 * OPS.length + 24}
        addi s2, s2, -1
        bnez s2, loop
        la a1, out
        li a2, ${pairs.length * (8 * OPS.length + 24)}
        call write_out
        li a0, 0`, `${WRITE}
        .data
        .balign 8
pairs:
${pairs.map(([a, b]) => `        .dword ${M64(a)}, ${M64(b)}`).join('\n')}
        .bss
out:    .zero ${pairs.length * (8 * OPS.length + 24)}`);
    const { interp } = await same(image, 'M extension');
    const out = interp.stdout;
    pairs.forEach(([a, b], i) => {
      const at = i * (8 * OPS.length + 24);
      OPS.forEach((op, k) => {
        expect(out.readBigUInt64LE(at + 8 * k), `${op} ${a}, ${b}`).toBe(M64(ref[op](a, b)));
      });
      expect(out.readBigUInt64LE(at + 8 * OPS.length)).toBe(M64(ref.mulh(a, a)));
      expect(out.readBigUInt64LE(at + 8 * OPS.length + 8)).toBe(M64(ref.divw(b, b)));
      expect(out.readBigUInt64LE(at + 8 * OPS.length + 16)).toBe(0n);
    });
  });
});

describe('x0, and loads and stores of every size, signed and unsigned, aligned or not', () => {
  it('writes to x0 (ALU, loads, jumps, lui, auipc) leave it 0 and cost what they cost', async () => {
    const { a0 } = await same(prog(`
        la s0, buf
        li s1, 150
        li a0, 0
loop:   addi x0, x0, 5
        add x0, s1, s1
        lui x0, 0x12345
        auipc x0, 0x1
        ld x0, 0(s0)
        lb x0, 3(s0)
        mul x0, s1, s1
        jal x0, 1f
1:      add t0, x0, x0
        or t1, x0, s1
        sd x0, 8(s0)
        ld t2, 8(s0)
        add a0, a0, t0
        add a0, a0, t2
        add a0, a0, t1
        addi s1, s1, -1
        bnez s1, loop`, `        .data\nbuf:    .dword -1, -1`), 'x0');
    expect(a0).toBe((150n * 151n) / 2n);
  });

  it('loads of every size at every offset of a line, stores of every size at every offset', async () => {
    const bytes = Array.from({ length: 72 }, (_, i) => (0x80 + i * 37) & 0xff);
    const LOADS = ['lb', 'lbu', 'lh', 'lhu', 'lw', 'lwu', 'ld'];
    const STORES: [string, number][] = [['sb', 1], ['sh', 2], ['sw', 4], ['sd', 8]];
    const image = prog(`
        la s0, src
        la s1, out
        la s3, dst
        li s2, 64
        li s4, 0x8182838485868788
loop:
${LOADS.map((op, k) => `        ${op} t0, 0(s0)\n        sd t0, ${8 * k}(s1)`).join('\n')}
${STORES.map(([op], k) => `        ${op} s4, ${80 * k}(s3)`).join('\n')}
        addi s4, s4, 0x11
        addi s0, s0, 1
        addi s1, s1, ${8 * LOADS.length}
        addi s3, s3, 1
        addi s2, s2, -1
        bnez s2, loop
        la a1, out
        li a2, ${64 * 8 * LOADS.length + 4 * 80}
        call write_out
        li a0, 0`, `${WRITE}
        .data
src:    .byte ${bytes.join(', ')}
        .bss
out:    .zero ${64 * 8 * LOADS.length}
dst:    .zero ${4 * 80}`);
    const { interp } = await same(image, 'loads and stores');
    const out = interp.stdout;
    const src = Buffer.from(bytes);
    for (let o = 0; o < 64; o++) {
      const want = [src.readInt8(o), src.readUInt8(o), src.readInt16LE(o), src.readUInt16LE(o), src.readInt32LE(o), src.readUInt32LE(o), src.readBigInt64LE(o)].map((v) => M64(BigInt(v)));
      expect(LOADS.map((_, k) => out.readBigUInt64LE(8 * (o * LOADS.length + k))), `offset ${o}`).toEqual(want);
    }
    const dst = Buffer.alloc(4 * 80);
    for (let o = 0; o < 64; o++) {
      const v = M64(0x8182838485868788n + 0x11n * BigInt(o));
      STORES.forEach(([, size], k) => {
        for (let j = 0; j < size; j++) dst[80 * k + o + j] = Number((v >> BigInt(8 * j)) & 0xffn);
      });
    }
    expect(out.subarray(64 * 8 * LOADS.length).toString('hex')).toBe(dst.toString('hex'));
  });
});

describe('the cycle model in hot loops: latencies carried round a loop, busy units, SRAM ports', () => {
  const LOOPS: [string, string, number][] = [
    ['a multiply carried round', 'mul t0, t0, t1', 3],
    ['a division carried round', 'div t0, t0, t1', 20],
    ['independent divisions (the units are not pipelined)', 'div t3, t4, t1\n        divu t5, t4, t1', 10],
    ['a load chasing a pointer', 'ld t6, 0(t6)', 3],
    ['loads and stores through the ports', 'ld t3, 0(s0)\n        sd t3, 8(s0)\n        ld t4, 16(s0)\n        sw t4, 24(s0)', 1],
    ['a value carried through memory', 'ld t3, 0(s0)\n        addi t3, t3, 1\n        sd t3, 0(s0)', 3],
    ['four independent adds', 'addi a1, a1, 1\n        addi a2, a2, 1\n        addi a3, a3, 1\n        addi a4, a4, 1', 1],
    ['a taken branch inside', 'andi t3, t2, 1\n        beqz t3, 9f\n        mul t4, t4, t1\n9:', 1],
  ];
  /** Each loop of LOOPS run `n` times between two rdcycles; the cycles it took stored at 8k(s1). */
  const timedLoops = (n: number) =>
    LOOPS.map(([, body], k) => `        li t2, ${n}
        li t0, 12345
        rdcycle s2
${k}0:     ${body}
        addi t2, t2, -1
        bnez t2, ${k}0b
        rdcycle s3
        sub s3, s3, s2
        sd s3, ${8 * k}(s1)`).join('\n');
  it('the same cycles per loop (rdcycle around each), the same stalls', async () => {
    const { interp } = await same(prog(`
        la s0, buf
        la s1, out
        li t1, 3
        la t6, buf
        sd t6, 0(t6)
${timedLoops(200)}
        la a1, out
        li a2, ${8 * LOOPS.length}
        call write_out
        li a0, 0`, `${WRITE}
        .data
        .balign 64
buf:    .zero 64
out:    .zero ${8 * LOOPS.length}`), 'latencies');
    LOOPS.forEach(([what, , least], k) => {
      expect(Number(interp.stdout.readBigUInt64LE(8 * k)), what).toBeGreaterThanOrEqual(199 * least); // (rdcycle reads the issue clock: the last result may still be on its way)
    });
  });

  it('the same loops in four threads at once', async () => {
    const { interp } = await same(prog(`
        la s4, worker
        li t1, 1
        tspawn s5, s4, t1
        li t1, 2
        tspawn s6, s4, t1
        li t1, 3
        tspawn s7, s4, t1
        li a0, 0
        call loops
        tjoin s5
        tjoin s6
        tjoin s7
        la a1, out
        li a2, ${4 * 8 * LOOPS.length}
        call write_out
        li a0, 0`, `${WRITE}
worker: call loops
        texit
loops:  la s0, buf
        slli t0, a0, 6
        add s0, s0, t0
        la s1, out
        li t0, ${8 * LOOPS.length}
        mul t0, t0, a0
        add s1, s1, t0
        li t1, 3
        mv t6, s0
        sd t6, 0(t6)
${timedLoops(100)}
        ret
        .data
        .balign 64
buf:    .zero 256
out:    .zero ${4 * 8 * LOOPS.length}`), 'latencies, four threads');
    expect(interp.core.threads().every((t) => t.instret > 1000n)).toBe(true);
  });
});

describe('counters read inside hot loops (rdcycle, rdinstret, rdtime) see the same model', () => {
  it('stores them every iteration, after loads, multiplies and taken branches', async () => {
    const { interp } = await same(prog(`
        la s0, out
        la s3, buf
        li s1, 100
loop:   ld t0, 0(s3)
        mul t1, t0, s1
        sd t1, 8(s3)
        rdcycle t2
        rdinstret t3
        rdtime t4
        sd t2, 0(s0)
        sd t3, 8(s0)
        sd t4, 16(s0)
        andi t5, s1, 3
        beqz t5, 1f
        mul t1, t1, t1
        div t1, t1, s1
1:      addi s0, s0, 24
        addi s1, s1, -1
        bnez s1, loop
        la a1, out
        li a2, 2400
        call write_out
        li a0, 0`, `${WRITE}\n        .data\nbuf:    .dword 7, 0\n        .bss\nout:    .zero 2400`), 'counters');
    const cycles = Array.from({ length: 100 }, (_, i) => interp.stdout.readBigUInt64LE(24 * i));
    expect(cycles.every((c, i) => i === 0 || c > cycles[i - 1]!)).toBe(true);
  });
});

describe('hardware threads running hot loops at once', () => {
  // Four threads in the same code (the same compiled blocks, each thread's registers), for different
  // lengths, so the decode share changes as they finish; loads, stores, multiplies, divisions and the
  // counters; thread 0 joins the others and prints what each left.
  const work = `
work:   la t6, results
        slli t0, a0, 6
        add t6, t6, t0
        addi t1, a0, 1
        li t2, 90
        mul t1, t1, t2
        li t3, 0x9e3779b97f4a7c15
        addi t4, a0, 1
1:      mul t4, t4, t3
        addi t4, t4, 1
        srli t5, t4, 29
        xor t4, t4, t5
        ld t0, 0(t6)
        add t0, t0, t4
        sd t0, 0(t6)
        divu t5, t4, t1
        sw t5, 8(t6)
        andi t5, t4, 7
        beqz t5, 2f
        lhu t5, 10(t6)
        sh t5, 12(t6)
2:      rdcycle t5
        sd t5, 16(t6)
        rdinstret t5
        sd t5, 24(t6)
        csrr t5, threadid
        sd t5, 32(t6)
        addi t1, t1, -1
        bnez t1, 1b
        slli t1, a0, 5
        addi t1, t1, 40
3:      addi t2, t2, 3          # a loop on itself
        addi t1, t1, -1
        bnez t1, 3b
        sd t2, 48(t6)
        sd sp, 40(t6)
        ret`;

  it('four threads, one loop: the same results, cycles, per-thread counts and stalls', async () => {
    const { interp, jit } = await same(prog(`
        la s4, worker
        li t1, 1
        tspawn s1, s4, t1
        li t1, 2
        tspawn s2, s4, t1
        li t1, 3
        tspawn s3, s4, t1
        li a0, 0
        call work
        tjoin s1
        tjoin s2
        tjoin s3
        la a1, results
        li a2, 256
        call write_out
        li a0, 0`, `${WRITE}
worker: call work
        texit
${work}
        .bss
        .balign 64
results: .zero 256`), 'threads');
    const info = interp.core.threads();
    expect(info.map((t) => t.instret > 1000n)).toEqual([true, true, true, true]);
    expect(Array.from({ length: 4 }, (_, t) => interp.stdout.readBigUInt64LE(64 * t + 32))).toEqual([0n, 1n, 2n, 3n]);
    expect(blockEntries(jit.core)).toBeGreaterThan(0);
  });

  it('threads started and joined while others run (the decode share changes under compiled loops)', async () => {
    await same(prog(`
        la s4, worker
        li s5, 6
3:      li t1, 3
        tspawn s1, s4, t1
        li t1, 0
        tspawn s2, s4, t1
        li a0, 1
        call work
        tjoin s2
        li t1, 2
        tspawn s2, s4, t1
        tjoin s1
        tjoin s2
        addi s5, s5, -1
        bnez s5, 3b
        la a1, results
        li a2, 256
        call write_out
        li a0, 0`, `${WRITE}
worker: call work
        texit
${work}
        .bss
        .balign 64
results: .zero 256`), 'threads come and go');
  });
});

describe('the debugger view: breakpoints in compiled code, snapshots and restores', () => {
  const image = () => prog(`
        li s1, 500
        li a0, 0
        la s0, buf
loop:   addi a0, a0, 3
        sd a0, 0(s0)
mid:    xori a0, a0, 5
        ld t0, 0(s0)
        add a0, a0, t0
        addi s1, s1, -1
        bnez s1, loop`, `        .data\nbuf:    .dword 0`);

  it('a breakpoint set in a hot loop stops both at the same instruction; cleared, the runs go on alike', async () => {
    const img = image();
    const mid = img.symbols.find((s) => s.name === 'mid')!.value;
    const cores = [false, true].map((jit) => {
      const c = newCore(jit);
      expect(c.load(img)).toEqual([]);
      return c;
    });
    const trail = cores.map((c) => {
      const seen: unknown[] = [stopFigures(c.runRaw(1000n))];
      expect(c.setBreakpoint(mid, true)).toBe(true);
      for (let k = 0; k < 3; k++) {
        seen.push(stopFigures(c.runRaw(1_000_000n)), plain({ pc: c.pc, instret: c.instret, cycles: c.cycles }));
        c.setBreakpoint(mid, false);
        seen.push(stopFigures(c.runRaw(1n))); // step over it
        c.setBreakpoint(mid, true);
        seen.push(stopFigures(c.runRaw(700n)));
      }
      c.setBreakpoint(mid, false);
      seen.push(stopFigures(c.runRaw(1_000_000n)));
      return seen;
    });
    expect(trail[1]).toEqual(trail[0]);
    expect(trail[0]![1]).toEqual({ kind: 'breakpoint', pc: `${mid}n` });
    expect(trail[0]!.at(-1)).toEqual({ kind: 'ecall' });
    expectSameCore(cores[0]!, cores[1]!, 'breakpoints');
  });

  it('restore() of a checkpoint taken mid-loop, after code and data changed, runs on as before', async () => {
    const img = image();
    const mid = img.symbols.find((s) => s.name === 'mid')!.value;
    const cores = [false, true].map((jit) => {
      const c = newCore(jit);
      expect(c.load(img)).toEqual([]);
      return c;
    });
    const figures = cores.map((c) => {
      c.runRaw(1200n);
      const snap = c.checkpoint();
      c.runRaw(333n);
      c.writeMem(mid, c.readMem(mid + 4n, 4)); // patch the loop, then go back before it
      c.runRaw(500n);
      c.restore(snap);
      const stop = c.runRaw(1_000_000n);
      return [stopFigures(stop), coreFigures(c)];
    });
    expect(figures[1]).toEqual(figures[0]);
    const whole = await runImage(img, false);
    expect(figures[0]![1]).toEqual(coreFigures(whole.core));
    expectSameCore(cores[0]!, cores[1]!, 'restore');
  });
});

describe('large regions: code the interpreter runs, compiled code must run too', () => {
  // A loop of 40 forward branches each over one instruction (if-then skips): at threshold 1 a region of
  // 40 sub-blocks. (Until e8d927f a loop of 26 of them failed: a block's module was built by spreading
  // its bytes into push(), a RangeError once a region's code passed about 120 KB, and a region's code
  // grows with the square of its chained sub-blocks.)
  it('a loop of 40 skips over one instruction each', async () => {
    const skips = Array.from({ length: 40 }, (_, k) => `        bnez t0, 1f\n        addi a0, a0, ${k}\n1:`).join('\n');
    const { a0 } = await same(prog(`
        li s1, 40
        li a0, 0
loop:   andi t0, s1, 1
${skips}
        addi s1, s1, -1
        bnez s1, loop`), 'skips');
    expect(a0).toBe(20n * 780n);
  });

  // A region holds up to 768 instructions over up to 48 stretches; here 12 stretches of 63 stores, each
  // ending in a taken branch over one word to the next (so one region holds them all), in a loop.
  it('a loop of 12 x 63 stores, each stretch branching to the next', async () => {
    const stretches = Array.from({ length: 12 }, (_, k) => `        .rept 63\n        sd t0, 8(t1)\n        .endr\n        bne t2, x0, s${k}_end\n        nop\ns${k}_end:`).join('\n');
    const { interp } = await same(prog(`
        la t1, buf
        li t2, 1
        li s0, 3
top:    addi t0, t0, 1
${stretches}
        addi s0, s0, -1
        bnez s0, top
        li a0, 0`, `        .data\nbuf:    .zero 64`), 'many stores');
    expect(interp.result.exitCode).toBe(0);
    expect(interp.core.readMem(interp.core.getReg(6) + 8n, 1)[0]).toBe(3);
  });
});

describe('mesh programs on a 4 x 4 mesh: the same output, cycles, per-core statistics and state', () => {
  async function runMesh(image: Image, path: string, jit: boolean, threshold?: number) {
    const saved = process.env['D1_JIT_THRESHOLD'];
    if (threshold !== undefined) process.env['D1_JIT_THRESHOLD'] = String(threshold);
    const m = new Machine(meshPreset(4, 4), { jit });
    if (saved === undefined) delete process.env['D1_JIT_THRESHOLD'];
    else process.env['D1_JIT_THRESHOLD'] = saved;
    expect(m.load(image, path)).toEqual([]);
    m.trace();
    const out = new Output();
    const err = new Output();
    const o = await m.run({ stdout: out.sink, stderr: err.sink, maxCycles: 50_000_000n });
    return { m, o, stdout: out.bytes().toString('latin1'), stderr: err.bytes().toString('latin1') };
  }
  type MeshRun = Awaited<ReturnType<typeof runMesh>>;
  const figures = (r: MeshRun) => {
    const { wallSeconds: _w, mips: _m, ...stats } = meshStats(r.m);
    return plain({ outcome: r.o, stdout: r.stdout, stderr: r.stderr, cycles: r.m.cycles, instructions: r.m.instructions, exits: [...r.m.exits], stats, links: r.m.links(), trace: r.m.traceRecords });
  };

  async function expectSameMesh(image: Image, path: string, threshold?: number): Promise<MeshRun> {
    const interp = await runMesh(image, path, false);
    const jit = await runMesh(image, path, true, threshold);
    expect(figures(jit)).toEqual(figures(interp));
    let entries = 0;
    for (const [g, { core }] of interp.m.cores) {
      expectSameCore(core, jit.m.cores.get(g)!.core, `core ${interp.m.name(g)}`);
      entries += blockEntries(jit.m.cores.get(g)!.core);
    }
    expect(entries).toBeGreaterThan(0);
    return interp;
  }

  for (const [name, threshold] of [['allreduce', 0], ['stencil', 0], ['allreduce2d', 0], ['scatter', 0], ['bisection', 0], ['allreduce', 1], ['stencil', 1]] as const) {
    it(`${name}${threshold ? ' (one word on, threshold 1)' : ''}`, async () => {
      const path = join(PROGRAMS, `${name}.dasm`);
      const r = await expectSameMesh(program(name, threshold ? '        .text\n        nop\n' : ''), path, threshold);
      expect(r.o).toEqual({ kind: 'exit', code: 0 });
      expect(r.m.cores.size).toBe(16);
    });
  }

  it('a core patches the hot loop of another by a remote store', async () => {
    const image = prog(`
        csrr t0, coreid
        beqz t0, writer
        li t1, 5
        beq t0, t1, spinner
        li a0, 0
        li a7, 93
        ecall
spinner:
        li s1, 0
1:      addi s1, s1, 1
patch:  addi t2, x0, 0
        beqz t2, 1b
        la a1, count
        sd s1, 0(a1)
        li a2, 8
        call write_out
        li a0, 0
        li a7, 93
        ecall
writer: li t1, 3000
2:      addi t1, t1, -1
        bnez t1, 2b
        lw t4, newword
        la t5, patch
        li t6, (1 << 48) | (1 << 40) | (1 << 32)     # core (1,1): coreid 5
        or t5, t5, t6
        sw t4, 0(t5)
        li a0, 0`, `${WRITE}
newword: addi t2, x0, 1
        .data
count:  .dword 0`);
    const r = await expectSameMesh(image, 'remote-patch.dasm');
    expect(r.o).toEqual({ kind: 'exit', code: 0 });
    expect(Buffer.from(r.stdout, 'latin1').readBigUInt64LE(0)).toBeGreaterThan(1000n);
  });

  it('cores polling a flag in hot loops, set by remote stores (data lands at the end of a window)', async () => {
    // core k > 0 spins until its flag is set; core 0 sets the flags one by one, 500 iterations apart;
    // each spinner prints its core number and how many times it went round
    const image = prog(`
        csrr s0, coreid
        beqz s0, setter
        la t1, flag
        li s1, 0
1:      addi s1, s1, 1
        ld t2, 0(t1)
        beqz t2, 1b
        la a1, count
        sd s1, 0(a1)
        sd s0, 8(a1)
        li a2, 16
        call write_out
        li a0, 0
        li a7, 93
        ecall
setter: li s2, 1
        la s3, flag
2:      li t1, 500
3:      addi t1, t1, -1
        bnez t1, 3b
        andi t3, s2, 3          # core (s2 & 3, s2 >> 2)
        srli t4, s2, 2
        slli t3, t3, 32
        slli t4, t4, 40
        or t5, t3, t4
        li t6, 1 << 48
        or t5, t5, t6
        or t5, t5, s3
        sd s2, 0(t5)
        addi s2, s2, 1
        li t1, 16
        bne s2, t1, 2b
        li a0, 0`, `${WRITE}
        .data
        .balign 8
flag:   .dword 0
count:  .dword 0, 0`);
    const r = await expectSameMesh(image, 'flags.dasm');
    expect(r.o).toEqual({ kind: 'exit', code: 0 });
    const out = Buffer.from(r.stdout, 'latin1');
    expect(out.length).toBe(15 * 16);
    const counts = new Map(Array.from({ length: 15 }, (_, i) => [out.readBigUInt64LE(16 * i + 8), out.readBigUInt64LE(16 * i)]));
    expect([...counts.keys()].sort((a, b) => Number(a - b))).toEqual(Array.from({ length: 15 }, (_, i) => BigInt(i + 1)));
    expect(counts.get(15n)!).toBeGreaterThan(counts.get(1n)!);
  });

  it('a hot loop whose first instruction is a remote load (the block leaves before it every time round)', async () => {
    // core 1 polls core 0's flag with remote loads at the head of its loop; core 0 sets it after a while
    const image = prog(`
        csrr s0, coreid
        beqz s0, setter
        li t6, 1
        bne s0, t6, done
        la t1, flag
        li t6, 1 << 48          # core (0,0)
        or t1, t1, t6
        li s1, 0
1:      ld t2, 0(t1)
        addi s1, s1, 1
        beqz t2, 1b
        la a1, count
        sd s1, 0(a1)
        li a2, 8
        call write_out
done:   li a0, 0
        li a7, 93
        ecall
setter: li t1, 20000
2:      addi t1, t1, -1
        bnez t1, 2b
        la t3, flag
        li t4, 1
        sd t4, 0(t3)
        li a0, 0`, `${WRITE}
        .data
        .balign 8
flag:   .dword 0
count:  .dword 0`);
    const r = await expectSameMesh(image, 'remote-head.dasm', 0);
    expect(r.o).toEqual({ kind: 'exit', code: 0 });
    expect(Buffer.from(r.stdout, 'latin1').readBigUInt64LE(0)).toBeGreaterThan(10n);
  });
});
