// Where a compiled block finds the cycle model (docs/machine.md, "Cycle model"): in the same places as the
// interpreter (emulator/gen MODEL_STATE and timingSource): the core's globals (the running thread's clock,
// the shared units' and ports' next-free times, its stall totals, its decode share), memory (x register
// ready times at XREADY, vector register ready times in the thread block, the matrix units' next-free
// times and the accumulators' ready times in RESOURCES) and the f64 totals in RESOURCES. A static body
// writes its state there where it leaves a stretch; a general body runs the interpreter's model there.
import { CYCLE_MODEL, LAYOUT } from '../../layout.js';
import { GLOBALS } from './imports.js';
import { TB } from './locals.js';
import { VREG, type Value } from './schedule.js';
import { Body, OP } from './wasm.js';

/** Where the running core's hot state is, past LAYOUT's addresses: 0, or a second lane's STATE block (a
 * worker thread running a die's second lane compiles for its instance: emulator/host/lanes.ts). */
export let stateShift = 0;
export function useLane(lane: number): void {
  stateShift = lane * LAYOUT.LANE_BYTES;
}

type Home = { global: number } | { tb: boolean; at: number } | { f64: number };

const GLOBAL_OF: Partial<Record<string, string>> = { share: 'decodeShare' };

/** The f64 totals in RESOURCES that the interpreter adds each instruction's counts to, by model value. */
const TOTAL_AT: Partial<Record<string, number>> = {
  loads: CYCLE_MODEL.LOAD_BYTES, stores: CYCLE_MODEL.STORE_BYTES, simdBusy: CYCLE_MODEL.SIMD_BUSY,
  matrixBusy: CYCLE_MODEL.MATRIX_BUSY, matrixOps: CYCLE_MODEL.MATRIX_OPS, vinsns: CYCLE_MODEL.VECTOR_INSNS,
};

/** Where model value v is kept. */
export function homeOf(v: 'clk'): { global: number };
export function homeOf(v: Value): Home;
export function homeOf(v: Value): Home {
  if (typeof v === 'number') return v >= VREG ? { tb: true, at: LAYOUT.T_VREADY + 8 * (v - VREG) } : { tb: false, at: LAYOUT.XREADY + stateShift + 8 * v };
  if (v.startsWith('mu')) return { tb: false, at: LAYOUT.RESOURCES + stateShift + CYCLE_MODEL.MATRIX + 8 * Number(v.slice(2)) };
  if (v.startsWith('acc')) return { tb: false, at: LAYOUT.RESOURCES + stateShift + CYCLE_MODEL.ACC_READY + 8 * Number(v.slice(3)) };
  const total = TOTAL_AT[v];
  if (total !== undefined) return { f64: LAYOUT.RESOURCES + stateShift + total };
  const name = GLOBAL_OF[v] ?? v;
  const global = GLOBALS.findIndex((g) => g.name === name);
  if (global < 0) throw new Error(`the cycle model's ${String(v)} has no home`);
  return { global };
}

/** Push one of the core's globals that a block reads (its switch point, its thread block). */
export function global(b: Body, name: (typeof GLOBALS)[number]['name']): void {
  b.gget(GLOBALS.findIndex((g) => g.name === name));
}

/** Set a scheduler's global (switchAt, smallEnd) to what is on the stack. */
export function setGlobal(b: Body, name: 'switchAt' | 'smallEnd'): void {
  b.gset(GLOBALS.findIndex((g) => g.name === name));
}

/** Push a model value (i64 ticks; not a count). */
export function read(b: Body, v: Value): void {
  const h = homeOf(v);
  if ('global' in h) b.gget(h.global);
  else if ('at' in h) (h.tb ? b.get(TB) : b.i32(0)).mem(OP.i64_load, h.at);
  else throw new Error(`the cycle model's ${String(v)} is a count`);
}

/** Set a model value (i64 ticks; not a count) to what `value` pushes. */
export function write(b: Body, v: Value, value: () => void): void {
  const h = homeOf(v);
  if ('global' in h) {
    value();
    b.gset(h.global);
  } else if ('at' in h) {
    if (h.tb) b.get(TB);
    else b.i32(0);
    value();
    b.mem(OP.i64_store, h.at);
  } else throw new Error(`the cycle model's ${String(v)} is a count`);
}

/** Add `by` to a total: a stall total (i64 ticks) or a count (an f64, as the interpreter adds them:
 * whole numbers, so the sum is exact in any order). */
export function add(b: Body, v: Value, by: bigint): void {
  const h = homeOf(v);
  if ('f64' in h) b.i32(0).i32(0).mem(OP.f64_load, h.f64).f64(Number(by)).op(OP.f64_add).mem(OP.f64_store, h.f64);
  else write(b, v, () => {
    read(b, v);
    b.i64(by).op(OP.i64_add);
  });
}
