// Where the time went on one core (docs/machine.md, "Cycle model" and "Statistics"): cycles, instructions
// per thread, utilisation of the SIMD and matrix units, SRAM traffic and stall cycles by cause, from the
// cycle model's counters. `d1 run --stats` prints it, `--json` writes it.
import { STALLS } from '../../isa/timing.js';
import { D1_CORE } from '../presets.js';
import type { Core, RegionProfile, StallCause } from './core.js';
import type { RunResult } from './run.js';

export interface CoreStats {
  cycles: number;
  instructions: number;
  ipc: number;
  threads: { thread: number; instructions: number; stalls: Record<StallCause, number> }[];
  simd: { busyCycles: number; utilisation: number };
  matrix: { ops: number; macs: number; utilisation: number };
  vectorInstructions: number;
  sram: { loadBytes: number; storeBytes: number };
  /** Per profiling region (the region CSR), when the program marked any. */
  regions?: RegionProfile[];
}

/** The regions of a profile, when a program marked any (region 0 alone is the whole run). */
export function markedRegions(regions: RegionProfile[]): RegionProfile[] | undefined {
  return regions.some((r) => r.region !== 0) ? regions : undefined;
}

/** Regions added up over cores (a machine's profile). */
export function sumRegions(all: RegionProfile[][]): RegionProfile[] {
  const by = new Map<number, RegionProfile>();
  for (const r of all.flat()) {
    const t = by.get(r.region) ?? { region: r.region, instructions: 0, cycles: 0, stalls: {}, loadBytes: 0, storeBytes: 0 };
    t.instructions += r.instructions;
    t.cycles += r.cycles;
    t.loadBytes += r.loadBytes;
    t.storeBytes += r.storeBytes;
    for (const [c, v] of Object.entries(r.stalls) as [StallCause, number][]) t.stalls[c] = (t.stalls[c] ?? 0) + v;
    by.set(r.region, t);
  }
  return [...by.values()].sort((a, b) => a.region - b.region);
}

/** One line a region: instructions, cycles, IPC, the stalls there were, SRAM bytes. */
export function formatRegions(regions: RegionProfile[], cycles = 'cycles'): string[] {
  return regions.map((r) => {
    const stalls = (Object.entries(r.stalls) as [StallCause, number][]).filter(([, v]) => v > 0).map(([c, v]) => `${c} ${Math.round(v)}`);
    const ipc = r.cycles > 0 ? r.instructions / r.cycles : 0;
    return `region ${String(r.region).padEnd(5)} ${r.instructions} instructions, ${Math.round(r.cycles)} ${cycles} (IPC ${ipc.toFixed(2)}); stalls ${stalls.join(', ') || 'none'}; ${r.loadBytes} bytes loaded, ${r.storeBytes} stored`;
  });
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** `d1 run --json`: how the run ended, where the time went, and how fast it ran. */
export function runJson(r: RunResult) {
  return {
    exitCode: r.exitCode,
    outcome: r.outcome.kind,
    ...coreStats(r.core),
    wallSeconds: Number(r.stats.wallSeconds.toFixed(6)),
    mips: Number(r.stats.mips.toFixed(1)),
  };
}

export function coreStats(core: Core): CoreStats {
  const cycles = Number(core.cycles);
  const m = core.model();
  const { m: mm, n, k } = D1_CORE.matrixShape;
  const instructions = Number(core.instret);
  return {
    cycles,
    instructions,
    ipc: round(cycles > 0 ? instructions / cycles : 0),
    threads: core
      .threads()
      .filter((t) => t.instret > 0n || t.state !== 'free')
      .map((t) => ({ thread: t.thread, instructions: Number(t.instret), stalls: Object.fromEntries(STALLS.map((c) => [c, Math.round(t.stalls[c])])) as Record<StallCause, number> })),
    simd: { busyCycles: m.simdBusy, utilisation: round(cycles > 0 ? m.simdBusy / cycles : 0) },
    matrix: { ops: m.matrixOps, macs: m.matrixOps * mm * n * k, utilisation: round(cycles > 0 ? m.matrixBusy / (D1_CORE.matrixUnits * cycles) : 0) },
    vectorInstructions: m.vectorInsns,
    sram: { loadBytes: m.loadBytes, storeBytes: m.storeBytes },
    ...((r) => (r ? { regions: r } : {}))(markedRegions(core.regions())),
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function formatStats(s: CoreStats): string {
  const lines = [
    `instructions ${s.instructions}${s.threads.length > 1 ? ` (${s.threads.map((t) => `thread ${t.thread}: ${t.instructions}`).join(', ')})` : ''}`,
    `cycles       ${s.cycles} (IPC ${s.ipc.toFixed(2)})`,
    `simd unit    ${pct(s.simd.utilisation)} busy (${s.simd.busyCycles} cycles), ${s.vectorInstructions} vector instructions`,
    `matrix units ${pct(s.matrix.utilisation)} busy, ${s.matrix.ops} ops (${s.matrix.macs} MACs)`,
    `sram         ${s.sram.loadBytes} bytes loaded, ${s.sram.storeBytes} bytes stored`,
  ];
  for (const t of s.threads) {
    const stalls = STALLS.filter((c) => t.stalls[c] > 0).map((c) => `${c} ${t.stalls[c]}`);
    lines.push(`stalls t${t.thread}    ${stalls.length > 0 ? stalls.join(', ') : 'none'}`);
  }
  if (s.regions) lines.push(...formatRegions(s.regions));
  return lines.join('\n');
}
