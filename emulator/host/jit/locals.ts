// The locals of a compiled block's function (emulator/host/jit/translate.ts): its two parameters, the
// guest's x0..x31 and the x0 sink, scratch, the clock at the running stretch's entry, and the sub-block
// switch. The cycle model is not in locals: it stays where the interpreter keeps it (the core's globals
// and memory), so that general bodies run the interpreter's own model and a function has few locals
// (which keeps the engine's optimizing compile of large functions quick).
import { I32, I64, V128 } from './wasm.js';

export const CORE = 0, ROOM = 1;
export const VAL = (r: number) => 2 + r;
export const A = 35, B = 36, BASE = 37, RET = 38;
/** The clock when the running stretch was entered (a static body's model is offsets from it). */
export const CLK0 = 39;
/** The debugging build's lowest watched address. */
export const FLOOR = 40;
/** A general body's branch or jump: its issue time (for the redirect). */
export const ISSUED = 41;
/** Which sub-block runs next, and whether a static body has gone round its loop. */
export const STATE = 42, LOOPED = 43;
/** The race-checking build: the running thread's mark in a granule's byte of marks (1 << thread). */
export const MARK = 44;
/** The running thread's block (emulator/assembly/state.ts tb): its vector registers and ready times. */
export const TB = 45;
/** Scratch: an address in linear memory. */
export const P = 46;
/** Where a static body leaves: the instruction (replaying), or its switch of leaving points. */
export const EXIT = 47;
/** Whether the running stretch was entered by a taken branch (1) or straight (0). */
export const TAKEN = 48;
/** (v128) Zeros: vector registers and accumulators cleared. */
export const ZERO = 49;
/** The declared locals after the parameters: i64 up to ISSUED, then i32, then the v128. */
export const LOCAL_TYPES = [...Array<number>(ISSUED - 1).fill(I64), ...Array<number>(TAKEN - ISSUED).fill(I32), V128];
