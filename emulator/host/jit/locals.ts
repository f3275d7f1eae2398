// The locals of a compiled block's function (emulator/host/jit/translate.ts): its two parameters, the
// guest's x0..x31 and the x0 sink (values, then ready times), the cycle model's values, scratch, and the
// sub-block switch.
import { I32, I64 } from './wasm.js';
import type { Value } from './schedule.js';

export const CORE = 0, ROOM = 1;
export const VAL = (r: number) => 2 + r;
export const RDY = (r: number) => 35 + r;
const NAMED = { clk: 68, iu: 69, au: 70, lp: 71, sp: 72, sDep: 73, sSram: 74, sBranch: 75, share: 76, switchAt: 77, r: 78, t: 79, loads: 80, stores: 81 } as const;
export const MODEL = NAMED;
export const A = 82, B = 83, BASE = 84, RET = 85;
/** (i64, declared after the i32s) The debugging build's lowest watched address. */
export const FLOOR = 88;
/** Which sub-block runs next (i32), and whether a static body has gone round its loop (i32). */
export const STATE = 86, LOOPED = 87;
/** (i32) The race-checking build: the running thread's mark in a granule's byte of marks (1 << thread). */
export const MARK = 89;
/** The declared locals after the parameters. */
export const LOCAL_TYPES = [...Array<number>(RET - 1).fill(I64), I32, I32, I64, I32];

/** The local holding a model value. */
export const local = (v: Value): number => (typeof v === 'number' ? RDY(v) : NAMED[v]);
