// Running one instance's cores for a while, the same code in the host thread and in a worker thread
// (emulator/host/workers.ts): windows until the host has something to do, host calls served on the way
// (their output kept, in order, for the host to write), exits marked in memory.
import { CORE_NET_FIELDS, HIT, LAYOUT, MESH_CFG, STOP } from '../layout.js';
import { Core, coreRegions, type CoreExports } from './core.js';
import { hostCall } from './run.js';

/** What a part did in one turn. */
export interface PartTurn {
  /** Output of the host calls, in order (fd 1 or 2). */
  output: { fd: number; bytes: Uint8Array }[];
  /** Cores (slots) that exited, with their codes. */
  exits: [number, number][];
  /** How the turn ended: the window(s) done, no core can run, or a core stopped (STOP code, slot). */
  end: 'window' | 'blocked' | { stop: number; slot: number } | { hostcall: bigint; slot: number; pc: bigint };
  /** In a worker thread, the race checker's log as the instance filled it up (emulator/host/races.ts). */
  races?: Uint8Array[];
}

/** Run `windows` windows of an instance (`auto`: it chooses the next windows itself). */
export function turn(wasm: CoreExports, cores: Core[], windows: number, auto: boolean): PartTurn {
  const output: PartTurn['output'] = [];
  const exits: [number, number][] = [];
  const sink = (fd: number) => ({ write: (chunk: Uint8Array | string) => output.push({ fd, bytes: typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk }) });
  const io = { stdout: sink(1), stderr: sink(2) };
  for (;;) {
    const r = wasm.runWindows(windows, auto, NO_LIMIT);
    if (r === STOP.WINDOW) return { output, exits, end: 'window' };
    if (r === STOP.BLOCKED) return { output, exits, end: 'blocked' };
    const slot = r === STOP.WATCH ? hitSlot(wasm) : currentSlot(wasm);
    if (r !== STOP.ECALL) return { output, exits, end: { stop: r, slot } };
    const core = cores[slot]!;
    const h = hostCall(core, io);
    if (h.unknown !== undefined) return { output, exits, end: { hostcall: h.unknown, slot, pc: core.pc - 4n } };
    if (h.exit !== undefined) {
      markExited(wasm, slot, h.exit);
      exits.push([slot, h.exit]);
    }
  }
}

/** A turn's bound on instructions: none (a turn ends at the windows' end or a stop). */
export const NO_LIMIT = 1n << 40n;

/** Core `slot` has exited with `code`: it runs no more (its SRAM stays, messages still arrive). */
export function markExited(wasm: CoreExports, slot: number, code: number): void {
  const net = new DataView(wasm.memory.buffer, coreRegions(slot).net);
  net.setUint32(CORE_NET_FIELDS.HALT, 1, true);
  net.setUint32(CORE_NET_FIELDS.EXIT_CODE, code, true);
}

function currentSlot(wasm: CoreExports): number {
  return new DataView(wasm.memory.buffer).getUint32(LAYOUT.MESH + MESH_CFG.CUR, true);
}

/** A copy of an instance's full race log (the race-checking build's raceFlush; emulator/host/races.ts). */
export function raceLog(memory: WebAssembly.Memory): Uint8Array {
  return new Uint8Array(memory.buffer, LAYOUT.RACE_LOG, LAYOUT.RACE_COUNT * LAYOUT.RACE_BYTES).slice();
}

/** The core of the instance's watch hit (STOP.WATCH: a message's destination, or the core that ran). */
export function hitSlot(wasm: CoreExports): number {
  return new DataView(wasm.memory.buffer).getUint32(LAYOUT.MESH + MESH_CFG.HIT + HIT.SLOT, true);
}
