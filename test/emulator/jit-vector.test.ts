// The block compiler on vector and matrix code (emulator/host/jit/vector.ts; docs/machine.md, "Block
// compiler"), against the interpreter alone, field by field (test/helpers/jit-diff.ts: registers and
// vector registers of every thread, accumulators, format tables, flags and vector CSRs, SRAM, the cycle
// model's totals, each thread's stalls, every statistic): seeded random loops of every vector and matrix
// instruction over every lane format (NaNs, infinities and denormals included, so flags are raised), with
// scalar code between; the same loops in several hardware threads at once (general bodies, the decode
// share of threads running together); faults met in compiled code (misaligned and outside accesses,
// lane formats an instruction does not take, changed between iterations); vector stores into the
// compiled loop itself; vext and vbcast with x registers the stretch changed; instruction limits.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import type { Image } from '../../assembler/image.js';
import { prng } from '../../bench/prng.js';
import { entryValue, FORMAT_BY_NAME } from '../../isa/numbers.js';
import { blockEntries, coreFigures, expectSameCore, expectSameRun, newCore, plain, stopFigures } from '../helpers/jit-diff.js';

function build(text: string): Image {
  const { image, diagnostics } = assemble([{ path: 'jit-vector.dasm', text }]);
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`)).toEqual([]);
  return image!;
}

const ID = (name: string) => FORMAT_BY_NAME.get(name)!.id;

/** The format table the programs use: entry -> [format, bias]. */
const TABLE: [string, number][] = [
  ['fp32', 0], ['bf16', 0], ['fp16', 0], ['cfp8_143', 7], ['cfp8_152', 15], ['shp', 15], ['uhp', 31], ['int8', 0],
  ['int16', 0], ['int32', 0], ['uint8', 0], ['uint16', 0], ['uint32', 0], ['bf16', 0], ['cfp8_143', 3], ['int32', 0],
];
const FLOATS = TABLE.flatMap(([f], k) => (FORMAT_BY_NAME.get(f)!.kind === 'int' ? [] : [k]));
const INTS = TABLE.flatMap(([f], k) => (FORMAT_BY_NAME.get(f)!.kind === 'int' ? [k] : []));
const MATRIX = TABLE.flatMap(([f], k) => (['bf16', 'fp16', 'cfp8_143', 'cfp8_152'].includes(f) ? [k] : []));
const BYTES = (entry: number) => FORMAT_BY_NAME.get(TABLE[entry]![0])!.bytes;

const setTable = TABLE.map(([f, b], k) => `        li t0, ${entryValue(ID(f), b)}\n        csrw fmt${k}, t0`).join('\n');

/**
 * A program: the format table and vsrstate set, v0..v31 and m0..m3 loaded from random bytes, then `iters`
 * rounds of `body` (s0 points at a 4 KiB data buffer, s1 at its 64-byte slot for the round; s2 counts
 * down), then exit. `threads`: the same from threads 1.. too (each on its own slice of the buffer).
 */
function program(body: string[], iters: number, seed: number, threads = 1): Image {
  const next = prng(seed);
  const words = Array.from({ length: 1024 + 256 * threads }, () => `0x${next().toString(16)}`);
  const run = `
vloop:  la s0, data
        slli t0, a0, 10
        add s0, s0, t0
        ${setTable.split('\n').join('\n')}
        li t0, ${seed}
        csrw vsrstate, t0
        .irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        vld v\\r, \\r * 64 % 1024(s0)
        .endr
        .irp m, 0, 1, 2, 3
        .irp p, 0, 1, 2, 3
        mset m\\m, v\\p, \\p
        .endr
        .endr
        li s2, ${iters}
        li s3, 0
1:      andi t0, s3, 15
        slli t0, t0, 6
        add s1, s0, t0
${body.join('\n')}
        addi s3, s3, 1
        addi s2, s2, -1
        bnez s2, 1b
        ret`;
  const spawn = Array.from({ length: threads - 1 }, (_, t) => `        la t0, worker\n        li t1, ${t + 1}\n        tspawn s${4 + t}, t0, t1`).join('\n');
  const join = Array.from({ length: threads - 1 }, (_, t) => `        tjoin s${4 + t}`).join('\n');
  return build(`        .text
        .globl _start
_start:
${spawn}
        li a0, 0
        call vloop
${join}
        li a0, 0
        li a7, 93
        ecall
worker: call vloop
        texit
${run}
        .data
        .p2align 6
data:   .word ${words.join(', ')}
`);
}

/** A random vector or matrix instruction (with a scalar one now and then), for the loop of program(). */
function randomOp(next: () => number): string[] {
  const pick = <T,>(xs: readonly T[]): T => xs[next() % xs.length]!;
  const v = () => `v${next() % 32}`;
  const any = () => next() % 16;
  const fmt = (e: number) => `fmt${e}`;
  const x = () => pick(['t1', 't2', 't3', 'a1', 'a2']);
  const k = next() % 40;
  if (k < 8) {
    const op = pick(['vadd', 'vsub', 'vmul', 'vfma', 'vmin', 'vmax', 'vdiv', 'vcmpeq', 'vcmplt', 'vcmple', 'vperm']);
    return [`        ${op} ${v()}, ${v()}, ${v()}, ${fmt(any())}`];
  }
  if (k < 10) return [`        ${pick(['vsll', 'vsrl', 'vsra'])} ${v()}, ${v()}, ${v()}, ${fmt(pick(INTS))}`];
  if (k < 12) return [`        ${pick(['vabs', 'vneg', 'vrelu', 'vredsum', 'vredmax', 'vredmin'])} ${v()}, ${v()}, ${fmt(any())}`];
  if (k < 13) return [`        ${pick(['vexp', 'vrsqrt'])} ${v()}, ${v()}, ${fmt(pick(FLOATS))}`];
  if (k < 15) return [`        ${pick(['vand', 'vor', 'vxor', 'vsel'])} ${v()}, ${v()}, ${v()}`, `        vmov ${v()}, ${v()}`];
  if (k < 16) return [`        vshuf ${v()}, ${v()}, ${next() % 32}, ${fmt(any())}`];
  if (k < 18) {
    const [esz, r] = pick([[8, 8], [16, 4], [32, 2], [4, 16]] as const);
    return [`        vtrn.${esz} v${r * (next() % (32 / r))}, v${r * (next() % (32 / r))}`];
  }
  if (k < 20) {
    const d = any(), s = any();
    const wide = Math.max(BYTES(d), BYTES(s)), narrow = Math.min(BYTES(d), BYTES(s));
    return [`        ${pick(['vcvt', 'vcvt.sr'])} ${v()}, ${v()}, ${fmt(d)}, ${fmt(s)}, ${next() % (wide / narrow)}`];
  }
  if (k < 22) {
    const op = pick(['vbcast', 'vins', 'vbcastl', 'vext']);
    // an x register the stretch changes first: a block must give the core its current value
    const pre = `        addi ${pick(['t1', 't2'])}, ${pick(['t1', 't2', 's3'])}, ${next() % 100}`;
    if (op === 'vbcast') return [pre, `        vbcast ${v()}, ${x()}, ${fmt(any())}`];
    if (op === 'vins') return [pre, `        vins ${v()}, ${x()}, ${x()}, ${fmt(any())}`];
    if (op === 'vbcastl') return [pre, `        vbcastl ${v()}, ${v()}, ${x()}, ${fmt(any())}`];
    return [pre, `        vext ${x()}, ${v()}, ${x()}, ${fmt(any())}`, `        add t3, t3, ${x()}`];
  }
  if (k < 26) return [`        vld ${v()}, ${64 * (next() % 16)}(s0)`];
  if (k < 28) return [`        vst ${v()}, 0(s1)`];
  if (k < 34) return [`        mma m${next() % 4}, ${v()}, ${v()}, ${fmt(pick(MATRIX))}`];
  if (k < 35) return [`        mzero m${next() % 4}`];
  if (k < 37) return [`        mget ${v()}, m${next() % 4}, ${next() % 4}`];
  if (k < 38) return [`        mset m${next() % 4}, ${v()}, ${next() % 4}`];
  return [`        ${pick(['add', 'xor', 'mul'])} ${pick(['t1', 't2', 'a1'])}, ${x()}, ${x()}`];
}

const randomBody = (next: () => number, length: number) => Array.from({ length }, () => randomOp(next)).flat();

describe('vector and matrix code in compiled blocks: the same run as the interpreter alone', () => {
  // Loops long enough to be compiled at threshold 0 and 1 (the random bodies run past JIT_MAX_BLOCK, so
  // stretches continue straight into the next one), on one thread and on four.
  const SEEDS = Number(process.env.D1_JIT_VECTOR_PROGRAMS ?? 32);
  for (let s = 0; s < SEEDS; s++) {
    const seed = 7100 + s;
    const threads = s % 4 === 3 ? 4 : 1;
    it(`random loop ${seed} (${threads} thread${threads > 1 ? 's' : ''}, threshold ${s % 2})`, async () => {
      const next = prng(seed);
      const image = program(randomBody(next, 30 + (next() % 60)), 30, seed, threads);
      const { interp, jit } = await expectSameRun(image, `seed ${seed}`, undefined, s % 2);
      expect(interp.result.outcome, `seed ${seed}`).toEqual({ kind: 'exit', code: 0 });
      expect(blockEntries(jit.core)).toBeGreaterThan(0);
      // vector instructions were run by compiled code: the interpreter alone shows them all in its counts
      expect(interp.core.model().vectorInsns).toBeGreaterThan(30 * 20);
    });
  }

  it('the functional build (--no-timing): random loops', async () => {
    for (const seed of [7201, 7202, 7203]) {
      const next = prng(seed);
      await expectSameRun(program(randomBody(next, 80), 10, seed), `seed ${seed}, --no-timing`, undefined, 0, false);
    }
  });

  it('a GEMM-like software-pipelined kernel: loads two steps ahead, four accumulators, mget/vtrn/vst out', async () => {
    const step = (a: number, b: number, na: number, nb: number) => `
        vld v${na}, 128(s1)
        mma m0, v${a}, v${b}, fmt1
        vld v${na + 1}, 192(s1)
        mma m1, v${a}, v${b + 1}, fmt1
        vld v${nb}, 256(s0)
        mma m2, v${a + 1}, v${b}, fmt1
        vld v${nb + 1}, 320(s0)
        mma m3, v${a + 1}, v${b + 1}, fmt1`;
    const body = [
      ...Array.from({ length: 8 }, (_, i) => step(i % 2 ? 4 : 0, i % 2 ? 6 : 2, i % 2 ? 0 : 4, i % 2 ? 2 : 6)),
      '        mget v16, m0, 0', '        mget v17, m1, 0', '        vtrn.32 v16, v16', '        vst v16, 0(s1)', '        vst v17, 64(s0)', '        mzero m0',
    ];
    const image = program(body, 40, 9001);
    const { interp } = await expectSameRun(image, 'pipelined', undefined, 0);
    await expectSameRun(program(body, 40, 9001), 'pipelined, threshold 1', undefined, 1);
    expect(interp.core.model().matrixOps).toBe(40 * 8 * 4);

  });

  it('mma on a few registers, rewritten between: operands widened once are used again only while unchanged', async () => {
    // (emulator/host/jit/vector.ts Widened) a loop whose static body holds: an operand used again, the
    // same register as both operands, in another format entry and format, written by a load, a bitwise
    // instruction, an mget and a transpose between. Lanes kept to sign, exponent 2^-1 and mantissa (no
    // infinities or NaNs, which would hide a wrong operand).
    const sane = (r: string) => [`        vand ${r}, ${r}, v4`, `        vor ${r}, ${r}, v5`];
    const body = [
      '        li t0, 0x807f807f', '        vbcast v4, t0, fmt12', '        li t0, 0x3f003f00', '        vbcast v5, t0, fmt12',
      '        vld v0, 0(s1)', ...sane('v0'), '        vld v1, 64(s1)', ...sane('v1'), ...sane('v2'), ...sane('v3'),
      '        bnez s3, 3f', '        mzero m0', '        mzero m1', '        mzero m2', '        mzero m3', '3:',
      '        mma m0, v0, v1, fmt1', '        mma m1, v0, v2, fmt1', '        vld v0, 128(s1)', ...sane('v0'), '        mma m2, v0, v1, fmt1',
      '        vxor v1, v1, v3', '        mma m3, v1, v1, fmt1', '        mma m0, v2, v0, fmt13', '        mma m1, v0, v0, fmt2',
      '        mget v2, m1, 0', ...sane('v2'), '        mma m2, v2, v3, fmt1', '        vtrn.32 v2, v2', '        mma m3, v2, v3, fmt1',
    ];
    const { jit } = await expectSameRun(program(body, 300, 9101), 'few registers', undefined, 1);
    expect(blockEntries(jit.core)).toBeGreaterThan(0);
  });
});

describe('faults met in compiled vector code: the same instruction, state and statistics', () => {
  /** A hot loop of `body` that, from round 20 on, does `then` first (which makes an instruction fault). */
  const faulting = (then: string, body: string) => program([
    '        li t0, 20',
    '        blt s3, t0, 2f',
    then,
    '2:',
    body,
  ], 40, 4242);

  const cases: [string, string, string][] = [
    ['a misaligned vld', '        addi s1, s1, 4', '        vld v1, 0(s1)\n        vadd v2, v1, v1, fmt9'],
    ['a vst outside SRAM', '        li s1, 0x140000', '        vadd v2, v1, v1, fmt9\n        vst v2, 0(s1)'],
    ['an mma on a format the matrix units do not take (fmt1 set to int32)', `        li t0, ${entryValue(ID('int32'), 0)}\n        csrw fmt1, t0`, '        mma m1, v2, v3, fmt1\n        vadd v4, v4, v5, fmt9'],
    ['vexp on an integer format', `        li t0, ${entryValue(ID('int16'), 0)}\n        csrw fmt0, t0`, '        vmul v6, v7, v8, fmt9\n        vexp v6, v6, fmt0'],
    ['vsll on a float format', `        li t0, ${entryValue(ID('fp16'), 0)}\n        csrw fmt9, t0`, '        vsll v6, v7, v8, fmt9'],
    ['an entry naming no format', '        li t0, 0x3f\n        csrw fmt2, t0', '        vadd v6, v7, v8, fmt2'],
    ['a vcvt part beyond the wider side (an entry made wider)', `        li t0, ${entryValue(ID('fp32'), 0)}\n        csrw fmt3, t0`, '        vcvt v6, v7, fmt0, fmt3, 3'],
    ['a vtrn whose register group is not aligned', '        vtrn.8 v8, v3', '        vadd v1, v1, v2, fmt9'],
  ];
  for (const [what, then, body] of cases) {
    it(what, async () => {
      const { interp } = await expectSameRun(faulting(then, body), what, undefined, 0);
      expect(interp.result.outcome.kind, what).toBe('fault');
      await expectSameRun(faulting(then, body), `${what}, threshold 1`, undefined, 1);
    });
  }

});

describe('vector stores into compiled code, and instruction limits', () => {
  it('a vst in a hot loop overwrites the loop\'s own next line of code (the change shows at once)', async () => {
    // the loop's second code line (a nop sled with an addi) is replaced from round 30 on by the line after
    // the loop (the same but adding 5)
    const image = build(`        .text
        .globl _start
_start: la s0, newline
        vld v1, 0(s0)
        la s1, line2
        li s2, 60
        li a0, 0
        j loop
        .balign 64
loop:   addi s2, s2, -1
        li t0, 30
        bne s2, t0, 1f
        vst v1, 0(s1)
1:      vadd v2, v2, v1, fmt0
        .balign 64
line2:  addi a0, a0, 1
        .rept 15
        nop
        .endr
        bnez s2, loop
        li a7, 93
        ecall
        .balign 64
newline: addi a0, a0, 5
        .rept 15
        nop
        .endr
`);
    const { interp, jit } = await expectSameRun(image, 'vst into the loop', undefined, 0);
    expect(interp.core.getReg(10)).toBe(29n + 31n * 5n); // rounds 59..31 before the store, 30..0 after
    expect(blockEntries(jit.core)).toBeGreaterThan(0);
  });

  it('run(n) again and again through vector code: the same stop, pc and counts after every call', async () => {
    const next = prng(99);
    const image = program(randomBody(next, 70), 8, 99);
    const cores = [false, true].map((jit) => {
      const c = newCore(jit);
      expect(c.load(image)).toEqual([]);
      return c;
    });
    const trails = cores.map((c) => {
      const seen: unknown[] = [];
      for (let k = 0; k < 400; k++) {
        const stop = c.runRaw(BigInt(1 + (k % 13)));
        seen.push(stopFigures(stop), plain({ pc: c.pc, instret: c.instret, cycles: c.cycles }));
        if (typeof stop === 'string' || stop.kind !== 'limit') break;
      }
      seen.push(stopFigures(c.runRaw(10_000_000n)));
      return seen;
    });
    expect(trails[1]).toEqual(trails[0]);
    expectSameCore(cores[0]!, cores[1]!, 'run(n) through vector code');
    expect(coreFigures(cores[1]!)).toEqual(coreFigures(cores[0]!));
  });
});
