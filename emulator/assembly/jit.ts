// The block compiler's side of the core (docs/machine.md, "Block compiler"). The host (emulator/host/jit)
// translates a hot stretch of a core's code into a WebAssembly function with the same effect on the
// architectural state and the cycle model as the interpreter, and puts it in this instance's function
// table. Here: counting taken branches to find hot targets, asking the host for a target's block, and
// linking it in: the target's predecoded record becomes OP_JIT, which the loop turns into a call.
import * as L from './generated/layout';
import { predecode } from './generated/decode';
import { execute, redirect, timing } from './generated/dispatch';
import { coreAt, predecAt, sramAt, touchLines } from './state';
import { invalidateBytes } from './vector';

/** The host's compiler: the block starting at pc of the core whose block is at `core`, as
 * table index << 8 | length of its entry's stretch, or 0 when nothing there can be compiled. The host
 * marks the code lines the block holds. With GENERAL set in pc: the block with general bodies (see
 * called). */
// @ts-ignore: decorator
@external('env', 'jitBlock') declare function jitBlock(core: u32, pc: u32): u32;

/** Compiled blocks run (in the debugging build too: their loads and stores at or past the lowest watched
 * address go back to the interpreter, which checks them). */
let on: bool = false;
/** This instance's tag: a block entry written by another instance over the same memory is not ours. */
let tag: u16 = 0;
/** Heat (taken branches to a target, its hash bucket) before the target's block is asked for. */
let threshold: u16 = 32;

export function setJit(enable: bool, instanceTag: u32, hot: u32): void {
  on = enable;
  tag = <u16>instanceTag;
  threshold = <u16>min(hot, 0xfffe);
}

// @ts-ignore: decorator
@inline function hotAt(pc: u64): usize { return L.JIT_HOT + ((<usize>(pc >> 2) & (L.JIT_HOT_COUNT - 1)) << 1); }

/** A taken branch or jump arrived at pc (or a block left there): count it, and link the block there once
 * it is hot. */
// @ts-ignore: decorator
@inline export function arrived(pc: u64): void {
  if (!on) return;
  const d = predecAt + (<usize>pc << 2);
  if (load<u16>(d, L.REC_OP) == <u16>L.OP_JIT) return;
  const h = hotAt(pc);
  const c = load<u16>(h);
  if (c < threshold) store<u16>(h, c + 1);
  else link(pc, d, h);
}

/** The interpreter ran `count` instructions from pc (where a branch arrived or a block left), `vector` of
 * them vector-side, before the next taken branch or block. Compiling pays once the interpreter has spent
 * on code some multiple of what compiling it costs; both grow with its length, so a target's heat counts
 * arrivals (passes), whatever their length; but a vector instruction costs the interpreter some ten times
 * a scalar one, so a pass counts up to 8 more by the share of vector instructions in it (its block is
 * asked for at the next arrival). */
// @ts-ignore: decorator
@inline export function ran(pc: u64, count: u64, vector: u64): void {
  const heat = count == 0 ? 0 : (vector << 3) / count;
  if (!on || heat == 0) return;
  const h = hotAt(pc);
  const c = <u64>load<u16>(h) + heat;
  store<u16>(h, <u16>(c < <u64>threshold ? c : <u64>threshold));
}

function link(pc: u64, d: usize, h: usize): void {
  const r = jitBlock(<u32>coreAt, <u32>pc);
  if (r == 0) {
    store<u16>(h, 0); // ask again after as many more arrivals
    return;
  }
  enter(d, r);
}

/** pc | GENERAL asks the host for a block with general bodies. */
const GENERAL: u32 = 0x80000000;
/** A block's record of failed entry checks (in its entry record, aux): FAIL more each time, one less for
 * each 64 instructions it ran otherwise; at FAILS the block is compiled again with general bodies. A
 * block that fails more than about once in 1,000 instructions gets them; one entered now and then in
 * another state (a loop entered afresh) does not. */
const FAIL: u32 = 16;
const FAILS: u32 = 64;

/**
 * The block entered at d (pc) returned after `done` instructions: `failed`, it left where one of its
 * stretches found the model otherwise than its static schedule assumes (a block is first compiled without
 * general bodies, which run the model wherever it is: the interpreter ran the stretch instead).
 */
// @ts-ignore: decorator
@inline export function called(pc: u64, d: usize, failed: bool, done: u64): void {
  if (!failed) {
    const n = <u32>load<u16>(d, L.REC_AUX);
    if (n != 0) {
      const less = <u32>min<u64>(done >> 6, 0xffff) + 1;
      store<u16>(d, <u16>(n > less ? n - less : 0), L.REC_AUX);
    }
  } else fail(pc, d);
}

function fail(pc: u64, d: usize): void {
  if (load<u16>(d, L.REC_OP) != <u16>L.OP_JIT) return;
  const n = <u32>load<u16>(d, L.REC_AUX) + FAIL;
  store<u16>(d, <u16>min(n, 0xffff), L.REC_AUX);
  if (n < FAILS) return;
  const r = jitBlock(<u32>coreAt, <u32>pc | GENERAL);
  if (r != 0) enter(d, r);
}

/** The host links block r (table index << 8 | length) at pc of the running core too (where the block
 * it is linking goes on straight: jitBlock). */
export function linkAt(pc: u32, r: u32): void { enter(predecAt + (<usize>pc << 2), r); }

/** Make the record at d the entry of block r (table index << 8 | length). */
function enter(d: usize, r: u32): void {
  store<u16>(d, <u16>L.OP_JIT, L.REC_OP);
  store<u16>(d, <u16>(r & 0xff), L.REC_RD);
  store<u16>(d, tag, L.REC_RS1);
  store<u16>(d, 0, L.REC_AUX);
  store<u64>(d, <u64>(r >> 8) | (<u64>load<u32>(coreAt + L.CORE_CODEGEN) << 32), L.REC_IMM);
}

/**
 * The block entry at d (pc) can run now: it is this instance's, of the core's current code generation,
 * and its longest path fits in the `room` instructions left. Otherwise the word is decoded again in
 * place (the interpreter runs it; the block is linked again at a later arrival).
 */
export function blockFits(d: usize, pc: u64, room: u64): bool {
  const fresh = <u32>(load<u64>(d, L.REC_IMM) >> 32) == load<u32>(coreAt + L.CORE_CODEGEN);
  if (fresh && load<u16>(d, L.REC_RS1) == tag && <u64>load<u16>(d, L.REC_RD) <= room) return true;
  predecode(load<u32>(sramAt + <usize>pc), d);
  return false;
}

/** The predecoded record of the word at pc of the selected core, for the host's compiler: decoded now if
 * it was not, and a copy when the word's own record is a block entry. */
export function recordAt(pc: u32): usize {
  const d = predecAt + (<usize>pc << 2);
  const op = load<u16>(d, L.REC_OP);
  if (op == 0) predecode(load<u32>(sramAt + <usize>pc), d);
  if (op != <u16>L.OP_JIT) return d;
  // decode in place (the decoder finds the word's breakpoint mark from where the record is), keep the
  // copy, put the entry back
  const a = load<u64>(d), b = load<u64>(d, 8);
  predecode(load<u32>(sramAt + <usize>pc), d);
  memory.copy(L.JIT_RECORD, d, 16);
  store<u64>(d, a);
  store<u64>(d, b, 8);
  return L.JIT_RECORD;
}

/** A compiled block is about to store into a line whose mark is not the epoch (state.ts touchLines): true
 * when that dropped the core's compiled code (the block returns right after the store). */
export function codeWritten(a: u32, size: u32): bool { return touchLines(coreAt, a, size); }

/** A vector or matrix instruction for a compiled block, which runs its cycle model: its record (op | rd <<
 * 16 | rs1 << 32 | aux << 48, and imm) at pc. Returns the next pc, or TRAP when it faults, before it changed
 * anything but the fault record (the block then leaves it to the interpreter, which faults there). */
export function vexec(rec: u64, imm: i64, pc: u64): u64 {
  store<u64>(L.JIT_EXEC, rec);
  store<i64>(L.JIT_EXEC, imm, 8);
  return execute(<u32>(rec & 0xffff), L.JIT_EXEC, pc);
}

/** The cycle model alone of an instruction of a compiled block's general body (its record as for vexec),
 * on the interpreter's model (the block has put its model there): returns the issue time. */
export function vtime(rec: u64, imm: i64): i64 {
  store<u64>(L.JIT_EXEC, rec);
  store<i64>(L.JIT_EXEC, imm, 8);
  return timing(<u32>(rec & 0xffff), L.JIT_EXEC);
}

/** A taken branch or jump of a compiled block's general body, issued at t: the front end's redirect. */
export function vredirect(t: i64): void { redirect(t); }

/** A compiled block's vst is about to write the register-aligned 64 bytes at a, where words were decoded,
 * compiled code is or a speculation has not logged the line yet: forget their records, as the
 * interpreter's does (emulator/assembly/vector.ts invalidateBytes); whether compiled code held them (its
 * generation moved on: the block leaves after the store). */
export function vstored(a: u32): bool {
  const held = (<u32>load<u8>(coreAt + L.CORE_CODELINES + (<usize>a >> 6)) & <u32>L.CODE_MARK) != 0;
  invalidateBytes(a, L.VREG_BYTES);
  return held;
}

/** A compiled block's static body leaves the stretch at pc before its instruction k (they ran, from the words
 * it was compiled from: the block leaves right after a store into its own code): the model of instructions
 * 0..k-1, the interpreter's own. */
export function vreplay(pc: u32, k: u32): void {
  for (let i: u32 = 0; i < k; i++) {
    const d = recordAt(pc + (i << 2));
    timing(<u32>load<u16>(d, L.REC_OP), d);
  }
}
