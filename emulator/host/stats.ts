// Where the time went on one core (docs/machine.md, "Cycle model" and "Statistics"): cycles, instructions
// per thread, utilisation of the SIMD and matrix units, SRAM traffic and stall cycles by cause, from the
// cycle model's counters. `d1 run --stats` prints it, `--json` writes it.
import { STALLS } from '../../isa/timing.js';
import { D1_CORE } from '../presets.js';
import type { Core, StallCause } from './core.js';

export interface CoreStats {
  cycles: number;
  instructions: number;
  ipc: number;
  threads: { thread: number; instructions: number; stalls: Record<StallCause, number> }[];
  simd: { busyCycles: number; utilisation: number };
  matrix: { ops: number; macs: number; utilisation: number };
  vectorInstructions: number;
  sram: { loadBytes: number; storeBytes: number };
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

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
  return lines.join('\n');
}
