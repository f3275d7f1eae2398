// Profiling regions (docs/machine.md "Statistics"): a thread writes the region CSR; --stats/--json give
// instructions, cycles, stalls and SRAM bytes per region. The regions add up to the run, each counts
// exactly its own instructions (the csrw that enters a region is its first), threads keep their own,
// compiled code and the interpreter give the same profile, and a machine sums its cores'.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { Machine, oneCore } from '../../emulator/host/mesh.js';
import { meshStats } from '../../emulator/host/mesh-stats.js';
import { runLoaded } from '../../emulator/host/run.js';
import { coreStats } from '../../emulator/host/stats.js';
import { meshPreset } from '../../emulator/presets.js';
import { traceJson } from '../../emulator/host/trace.js';

const sink = { write: () => true };

function image(text: string) {
  const { image, diagnostics } = assemble([{ path: 'regions.dasm', text }]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return image!;
}

const LOOPS = `
_start: csrwi region, 1
        li t0, 1000
1:      addi t0, t0, -1
        bnez t0, 1b
        csrwi region, 2
        la t3, buf
        li t0, 100
2:      ld t1, 0(t3)
        sd t1, 8(t3)
        addi t0, t0, -1
        bnez t0, 2b
        csrwi region, 0
        li a0, 0
        li a7, 93
        ecall
        .data
buf:    .zero 16
`;

async function profile(text: string, jit: boolean) {
  const machine = oneCore({ jit });
  const core = machine.core();
  expect(machine.load(image(text))).toEqual([]);
  await runLoaded(machine, { stdout: sink, stderr: sink });
  return core;
}

describe('profiling regions', () => {
  it('each region counts its own instructions, cycles and bytes; together they make the run', async () => {
    const core = await profile(LOOPS, true);
    const s = coreStats(core);
    const r = new Map(s.regions!.map((x) => [x.region, x]));
    expect(r.get(1)!.instructions).toBe(1 + 2 * 1000 + 1); // li, the loop, the csrwi that leaves
    expect(r.get(2)!.instructions).toBe(3 + 4 * 100 + 1); // la (two), li, the loop, the csrwi
    expect(r.get(0)!.instructions).toBe(s.instructions - r.get(1)!.instructions - r.get(2)!.instructions);
    expect(r.get(2)!.loadBytes).toBe(800);
    expect(r.get(2)!.storeBytes).toBe(800);
    expect(r.get(1)!.loadBytes).toBe(0);
    const cycles = [...r.values()].reduce((a, x) => a + x.cycles, 0);
    expect(cycles).toBeGreaterThan(s.cycles - 10); // (the run ends when everything pending is done)
    expect(cycles).toBeLessThanOrEqual(s.cycles);
    expect(r.get(1)!.stalls.branch).toBeGreaterThan(0); // a taken branch a round
  });

  it('compiled code and the interpreter give the same profile', async () => {
    expect(coreStats(await profile(LOOPS, true)).regions).toEqual(coreStats(await profile(LOOPS, false)).regions);
  });

  it('threads keep their own regions; a program that marks none has no region table', async () => {
    const two = await profile(`
_start: la t0, worker
        li t1, 0
        tspawn s0, t0, t1
        csrwi region, 3
        li t2, 50
1:      addi t2, t2, -1
        bnez t2, 1b
        tjoin s0
        li a0, 0
        li a7, 93
        ecall
worker: csrwi region, 4
        li t2, 20
2:      addi t2, t2, -1
        bnez t2, 2b
        texit
`, true);
    const r = new Map(coreStats(two).regions!.map((x) => [x.region, x]));
    expect(r.get(4)!.instructions).toBe(1 + 1 + 2 * 20 + 1); // csrwi, li, the loop, texit
    expect(r.get(3)!.instructions).toBe(1 + 1 + 2 * 50 + 1 + 3);
    expect(coreStats(await profile('_start: li a0, 0\n li a7, 93\n ecall\n', true)).regions).toBeUndefined();
  });

  it('a machine sums its cores; the trace has each stretch a thread spent in a region', async () => {
    const m = new Machine(meshPreset(2, 2));
    expect(m.load(image(LOOPS), 'regions.dasm')).toEqual([]);
    m.trace();
    expect((await m.run({ stdout: sink, stderr: sink })).kind).toBe('exit');
    const events = (JSON.parse(traceJson(m)) as { traceEvents: { cat?: string; name: string; pid: number; dur: number }[] }).traceEvents.filter((e) => e.cat === 'region');
    // every core: region 0 (to the first csrwi), region 1, region 2
    expect(events.map((e) => `${e.pid} ${e.name}`).sort()).toEqual([1, 2, 3, 4].flatMap((p) => [`${p} region 0`, `${p} region 1`, `${p} region 2`]));
    expect(events.every((e) => e.dur >= 0)).toBe(true);
    const r = new Map(meshStats(m).regions!.map((x) => [x.region, x]));
    expect(r.get(1)!.instructions).toBe(4 * 2002);
    expect(r.get(2)!.loadBytes).toBe(4 * 800);
  });
});
