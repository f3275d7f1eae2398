// What a compiled block imports from its core instance (module "core"; emulator/assembly/index.ts
// exports them): the cycle model's and the scheduler's globals, which the block keeps in locals while it
// runs, and the functions it calls.
import { I32, I64 } from './wasm.js';

/** The globals, in this order: the running thread's clock, the shared units' and ports' next-free times,
 * its stall totals, its decode share (read only) and switch point, the end of the speculative window the
 * core is in and until when a lone thread passes windows' ends in the block (emulator/assembly/threads.ts
 * smallEnd, passTo: read only), and its thread block (read only). */
export const GLOBALS = [
  ...(['clk', 'iu', 'au', 'lp', 'sp', 'vi', 'su', 'vm', 'sDep', 'sSram', 'sBranch', 'sSimd', 'sMatrix', 'decodeShare', 'switchAt', 'smallEnd', 'passTo'] as const).map((name) => ({ name, type: I64 })),
  { name: 'tb' as const, type: I32 },
];
export type GlobalName = (typeof GLOBALS)[number]['name'];

/** The functions: a store into a line not marked with the epoch, before it (emulator/assembly/jit.ts
 * codeWritten: whether it dropped compiled code); a vector or matrix instruction's semantics (jit.ts vexec), and mma's directly (the hot
 * one: emulator/assembly/exec/d1m.ts mma); an instruction's cycle model and a redirect's, the
 * interpreter's own (jit.ts vtime, vredirect: general bodies run them), and a stretch's up to where a
 * static body leaves it (jit.ts vreplay); what a vst does besides writing where words were decoded or
 * compiled code is (jit.ts vstored); a lone thread passing a speculative window's end
 * (emulator/assembly/threads.ts passWindow: the block goes on instead of returning to the loop). */
export const FUNCTIONS = [
  { name: 'codeWritten', params: [I32, I32], results: [I32] },
  { name: 'vexec', params: [I64, I64, I64], results: [I64] },
  { name: 'mma', params: [I32, I32, I32, I32, I32], results: [I32] },
  { name: 'vtime', params: [I64, I64], results: [I64] },
  { name: 'vredirect', params: [I64], results: [] as number[] },
  { name: 'vstored', params: [I32], results: [I32] },
  { name: 'vreplay', params: [I32, I32], results: [] as number[] },
  { name: 'passWindow', params: [I64], results: [I32] },
];
export const CODE_WRITTEN = 0, VEXEC = 1, MMA = 2, VTIME = 3, VREDIRECT = 4, VSTORED = 5, VREPLAY = 6, PASS_WINDOW = 7;
/** The mulhu helper's function index in a block's module (after the imported functions and the block). */
export const MULHU = FUNCTIONS.length + 1;
