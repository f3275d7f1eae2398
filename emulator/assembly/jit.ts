// The block compiler's side of the core (docs/machine.md, "Block compiler"). The host (emulator/host/jit)
// translates a hot stretch of a core's code into a WebAssembly function with the same effect on the
// architectural state and the cycle model as the interpreter, and puts it in this instance's function
// table. Here: counting taken branches to find hot targets, asking the host for a target's block, and
// linking it in: the target's predecoded record becomes OP_JIT, which the loop turns into a call.
import * as L from './generated/layout';
import { predecode } from './generated/decode';
import { coreAt, predecAt, sramAt, touchLines } from './state';

/** The host's compiler: the block starting at pc of the core whose block is at `core`, as
 * table index << 8 | length of its entry's stretch, or 0 when nothing there can be compiled. The host
 * marks the code lines the block holds. */
// @ts-ignore: decorator
@external('env', 'jitBlock') declare function jitBlock(core: u32, pc: u32): u32;

/** Compiled blocks run (in the debugging build too: their loads and stores at or past the lowest watched
 * address go back to the interpreter, which checks them). */
let on: bool = false;
/** This instance's tag: a block entry written by another instance over the same memory is not ours. */
let tag: u16 = 0;
/** Taken branches to a target (its hash bucket) before the target's block is compiled. */
let threshold: u16 = 32;

export function setJit(enable: bool, instanceTag: u32, hot: u32): void {
  on = enable;
  tag = <u16>instanceTag;
  threshold = <u16>min(hot, 0xfffe);
}

/** A taken branch or jump arrived at pc: count it, and link the block there once it is hot. */
// @ts-ignore: decorator
@inline export function arrived(pc: u64): void {
  if (!on) return;
  const d = predecAt + (<usize>pc << 2);
  if (load<u16>(d, L.REC_OP) == <u16>L.OP_JIT) return;
  const h = L.JIT_HOT + ((<usize>(pc >> 2) & (L.JIT_HOT_COUNT - 1)) << 1);
  const c = load<u16>(h);
  if (c < threshold) store<u16>(h, c + 1);
  else link(pc, d, h);
}

function link(pc: u64, d: usize, h: usize): void {
  const r = jitBlock(<u32>coreAt, <u32>pc);
  if (r == 0) {
    store<u16>(h, 0); // ask again after as many more arrivals
    return;
  }
  store<u16>(d, <u16>L.OP_JIT, L.REC_OP);
  store<u16>(d, <u16>(r & 0xff), L.REC_RD);
  store<u16>(d, tag, L.REC_RS1);
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
