// The cycle model against hand-computed cases (docs/machine.md, "Cycle model"): unit throughput,
// latencies, the SIMD and matrix units, SRAM ports, branch redirects, SMT sharing, stall attribution
// and determinism. Figures are differences of rdcycle around a block of N instructions, so set-up
// instructions do not enter them.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { Core } from '../../emulator/host/core.js';
import { oneCore } from '../../emulator/host/mesh.js';
import { runLoaded } from '../../emulator/host/run.js';
import { FORMAT_BY_NAME, entryValue } from '../../isa/numbers.js';

async function exec(body: string): Promise<Core> {
  const text = `_start:\n${body}\n        ebreak\n        .data\n        .p2align 6\nbuf:    .zero 1024\n`;
  const { image, diagnostics } = assemble([{ path: 't.dasm', text }]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const machine = oneCore();
  const core = machine.core();
  machine.load(image!);
  const r = await runLoaded(machine, { stdout: { write: () => true }, stderr: { write: () => true }, maxInstructions: 10_000_000n });
  expect(r.outcome.kind).toBe('ebreak');
  return core;
}

const N = 400;
/** Cycles a block takes: rdcycle before and after (the rdcycles are independent of the block). */
async function cyclesOf(block: string, setup = ''): Promise<number> {
  const core = await exec(`${setup}\n        rdcycle s10\n        .rept ${N}\n${block}\n        .endr\n        rdcycle s11`);
  return Number(core.getReg(27) - core.getReg(26));
}

/** Within a few cycles of the model's figure (rdcycle reads the clock, not the completion of the block). */
const near = (got: number, want: number) => expect(Math.abs(got - want), `${got} cycles, expected about ${want}`).toBeLessThanOrEqual(3);

const fmt = (n: number, name: string) => `        li t0, ${entryValue(FORMAT_BY_NAME.get(name)!.id)}\n        csrw fmt${n}, t0`;

describe('scalar pipeline', () => {
  it('issues two independent integer ops per cycle (two integer units)', async () => {
    near(await cyclesOf('        add a1, a0, a0'), N / 2);
  });
  it('a dependent chain runs at its latency: 1 cycle per add, 3 per multiply', async () => {
    near(await cyclesOf('        add a0, a0, a0'), N);
    near(await cyclesOf('        mul a0, a0, a0'), 3 * N);
  });
  it('integer divide occupies one of the two integer units for 20 cycles', async () => {
    near(await cyclesOf('        div a1, a0, a2'), 10 * N);
  });
  it('a thread decodes at most four instructions per cycle', async () => {
    // alternating integer and address work: two of each per cycle would be four per cycle
    near(await cyclesOf('        add a1, a0, a0\n        sd a0, 0(sp)\n        add a2, a0, a0\n        sd a0, 8(sp)', '        addi sp, sp, -16'), N);
  });
  it('a load feeds a dependent instruction after 3 cycles', async () => {
    near(await cyclesOf('        ld a0, 0(a0)', '        la a0, buf\n        sd a0, 0(a0)'), 3 * N);
  });
  it('a taken branch costs the redirect', async () => {
    near(await cyclesOf('        j 1f\n1:'), 3 * N);
  });
});

describe('vector and matrix units', () => {
  it('one SIMD operation per cycle, two independent vector loads', async () => {
    near(await cyclesOf('        vadd v1, v2, v3, fmt0', fmt(0, 'fp32')), N);
    near(await cyclesOf('        vld v1, 0(a0)', '        la a0, buf'), N / 2);
  });
  it('a SIMD op and a vector load issue together (2-wide vector issue)', async () => {
    near(await cyclesOf('        vadd v1, v2, v3, fmt0\n        vld v4, 0(a0)', `${fmt(0, 'fp32')}\n        la a0, buf`), N);
  });
  it('two vector stores or loads per cycle (two vector issue slots, two memory pipes)', async () => {
    near(await cyclesOf('        vst v1, 0(a0)', '        la a0, buf'), N / 2);
  });
  it('mma: one per cycle over four accumulators (256 MACs/cycle), one per 4 cycles on one', async () => {
    const setup = fmt(1, 'bf16');
    near(await cyclesOf('        mma m0, v1, v2, fmt1\n        mma m1, v1, v2, fmt1\n        mma m2, v1, v2, fmt1\n        mma m3, v1, v2, fmt1', setup), 4 * N);
    near(await cyclesOf('        mma m0, v1, v2, fmt1', setup), 4 * N);
  });
  it('reports SIMD and matrix busy cycles, SRAM bytes and stalls by cause', async () => {
    const core = await exec(`${fmt(1, 'bf16')}\n        la a0, buf\n        .rept 100\n        mma m0, v1, v2, fmt1\n        vld v3, 0(a0)\n        vadd v4, v5, v5, fmt1\n        .endr`);
    const m = core.model();
    expect(m).toMatchObject({ matrixOps: 100, matrixBusy: 400, loadBytes: 6400, simdBusy: 100, vectorInsns: 300 });
    const t0 = core.threads()[0]!;
    expect(t0.stalls.matrix).toBeGreaterThan(200); // mma on one matrix unit waits ~3 cycles each
  });
});

describe('hardware threads', () => {
  const worker = (n: number) => `worker:\n        .rept ${n}\n        add a1, a0, a0\n        .endr\n        texit`;

  it('tspawn/tjoin run threads; two threads share the integer units', async () => {
    const n = 400;
    const alone = await exec(`        la a0, worker\n        tspawn s1, a0, zero\n        tjoin s1\n        ebreak\n${worker(n)}`);
    const both = await exec(`        la a0, worker\n        tspawn s1, a0, zero\n        tspawn s2, a0, zero\n        tjoin s1\n        tjoin s2\n        ebreak\n${worker(n)}`);
    expect(alone.getReg(9)).toBe(1n);
    expect(both.getReg(18)).toBe(2n);
    const one = Number(alone.cycles);
    const two = Number(both.cycles);
    expect(two - one).toBeGreaterThan(n / 2 - 20); // the second thread's n adds need n/2 more unit cycles
    expect(two).toBeLessThan(2 * one);
    expect(both.threads().map((t) => t.instret)).toEqual([6n, BigInt(n + 1), BigInt(n + 1), 0n]);
  });

  it('each thread has its own registers and stack, and reads its number', async () => {
    const core = await exec(`        la a0, child\n        li a1, 42\n        tspawn s1, a0, a1\n        tjoin s1\n        la t0, buf\n        ld s2, 0(t0)\n        ld s3, 8(t0)\n        ld s4, 16(t0)\n        ebreak\nchild:\n        la t0, buf\n        sd a0, 0(t0)\n        csrr t1, threadid\n        sd t1, 8(t0)\n        sd sp, 16(t0)\n        texit`);
    expect([core.getReg(18), core.getReg(19), core.getReg(20)]).toEqual([42n, 1n, 0x140000n - 0x4000n]);
  });

  it('a thread waiting for itself to be joined by everyone is a deadlock, reported as a fault', async () => {
    const text = `_start:\n        la a0, child\n        tspawn s1, a0, zero\n        tjoin s1\n        ebreak\nchild:\n        li a0, 0\n        tjoin a0\n        texit\n`;
    const { image } = assemble([{ path: 't.dasm', text }]);
    const machine = oneCore();
    const core = machine.core();
    machine.load(image!);
    const r = await runLoaded(machine, { stdout: { write: () => true }, stderr: { write: () => true }, maxInstructions: 1000n });
    expect(r.outcome).toMatchObject({ kind: 'fault', cause: 'deadlock' });
    expect(core.threads().slice(0, 2).map((t) => [t.state, t.waitFor])).toEqual([['waiting', 1], ['waiting', 0]]);
  });

  it('is deterministic: the same program gives the same cycles and stalls', async () => {
    const prog = `        la a0, worker\n        tspawn s1, a0, zero\n        tspawn s2, a0, zero\n        tspawn s3, a0, zero\n        tjoin s1\n        tjoin s2\n        tjoin s3\n        ebreak\nworker:\n        li t0, 300\n1:      mul a1, a1, t0\n        addi t0, t0, -1\n        bnez t0, 1b\n        texit`;
    const a = await exec(prog);
    const b = await exec(prog);
    expect(b.cycles).toBe(a.cycles);
    expect(b.threads()).toEqual(a.threads());
  });
});

describe('stall accounting', () => {
  it('charges waiting for the integer units to issue and waiting for a result to dependency', async () => {
    // 400 independent adds: two per cycle, a thread decodes four: each waits a quarter cycle for a unit
    const indep = (await exec(`        .rept ${N}\n        add a1, a0, a0\n        .endr`)).threads()[0]!.stalls;
    expect(Math.abs(indep.issue - N / 4)).toBeLessThanOrEqual(2);
    expect(indep.dependency).toBe(0);
    // 400 dependent adds: each waits for the last (latency 1) three quarters of a cycle after decode
    const chain = (await exec(`        .rept ${N}\n        add a0, a0, a0\n        .endr`)).threads()[0]!.stalls;
    expect(Math.abs(chain.dependency - (N * 3) / 4)).toBeLessThanOrEqual(2);
    expect(chain.issue).toBeLessThanOrEqual(2);
  });

  it('the causes and decode add up to each thread clock', async () => {
    const core = await exec(`        li t0, 300\n        la a4, buf\n1:      ld a1, 0(a4)\n        mul a2, a1, a1\n        div a3, a2, t0\n        addi t0, t0, -1\n        bnez t0, 1b`);
    const t = core.threads()[0]!;
    const sum = Object.values(t.stalls).reduce((a, b) => a + b, 0) + Number(t.instret) / 4;
    expect(Math.abs(sum - t.clock)).toBeLessThan(1);
  });
});
