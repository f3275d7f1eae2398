// Access to the architectural state of the core from exec functions (Spike's state_t): registers
// through the predecoded record's slots, the extra-cycle counter, faults, and predecode invalidation.
import * as L from './generated/layout';
import { RACES, WATCHPOINTS } from './generated/build';
import { raceAccess } from './races';
import { logLine, speculating } from './speculate';

/** Address of the destination register (writes to x0 land in a sink slot, so x0 always reads 0). */
// @ts-ignore: decorator
@inline export function rdAddr(d: usize): usize { return L.REGS + <usize>load<u16>(d, L.REC_RD); }
// @ts-ignore: decorator
@inline export function setRd(d: usize, v: i64): void { store<i64>(rdAddr(d), v); }
// @ts-ignore: decorator
@inline export function x1(d: usize): i64 { return load<i64>(L.REGS + <usize>load<u16>(d, L.REC_RS1)); }
// @ts-ignore: decorator
@inline export function x2(d: usize): i64 { return load<i64>(L.REGS + <usize>load<u16>(d, L.REC_AUX)); }
/** True when the rs1 field is x0 (its slot offset is 0). */
// @ts-ignore: decorator
@inline export function rs1IsZero(d: usize): bool { return load<u16>(d, L.REC_RS1) == 0; }
// @ts-ignore: decorator
@inline export function rdIsZero(d: usize): bool { return load<u16>(d, L.REC_RD) == <u16>(L.X0_SINK << 3); }
// @ts-ignore: decorator
@inline export function imm(d: usize): i64 { return load<i64>(d, L.REC_IMM); }
/** The second immediate operand (e.g. zimm of csrrwi), when the instruction has no rs2. */
// @ts-ignore: decorator
@inline export function aux(d: usize): u32 { return <u32>load<u16>(d, L.REC_AUX); }

/** Base address of the running thread's state block (threads.ts switches it). */
export let tb: usize = L.CORES + L.CORE_THREADS;
export function setThreadBlock(b: usize): void { tb = b; }

/** The selected core's block and its regions (selectCore switches them). */
export let coreAt: usize = L.CORES;
export let sramAt: usize = L.CORES + L.CORE_SRAM;
export let predecAt: usize = L.CORES + L.CORE_PREDEC;
export let breaksAt: usize = L.CORES + L.CORE_BREAKS;
export let netAt: usize = L.CORES + L.CORE_NET;
export let linesAt: usize = L.CORES + L.CORE_CODELINES;

// @ts-ignore: decorator
@inline export function coreBlock(slot: u32): usize { return L.CORES + <usize>slot * L.CORE_BYTES; }
// @ts-ignore: decorator
@inline export function currentSlot(): u32 { return load<u32>(L.MESH + L.MESH_CUR); }

/**
 * Make `slot` the running core: its hot state (registers, pc, clock, cycle model, accumulators) goes to
 * the fixed STATE addresses the loop uses, the previous core's back to its block.
 */
export function selectCore(slot: u32): void {
  const cur = currentSlot();
  // the bases are set even when the core is already selected: another instance over the same (shared)
  // memory may have selected it (emulator/host/workers.ts)
  setBases(slot);
  if (slot == cur) return;
  // (none is current after a lane parked its core: emulator/assembly/mesh.ts park)
  if (cur != 0xffffffff) memory.copy(coreBlock(cur) + L.CORE_SAVE, L.REGS, L.SWAP_BYTES);
  memory.copy(L.REGS, coreBlock(slot) + L.CORE_SAVE, L.SWAP_BYTES);
  store<u32>(L.MESH + L.MESH_CUR, slot);
}

export function setBases(slot: u32): void {
  coreAt = coreBlock(slot);
  sramAt = coreAt + L.CORE_SRAM;
  predecAt = coreAt + L.CORE_PREDEC;
  breaksAt = coreAt + L.CORE_BREAKS;
  netAt = coreAt + L.CORE_NET;
  linesAt = coreAt + L.CORE_CODELINES;
}

/** Record a fault (or ecall/ebreak) and return the TRAP marker for the loop. */
export function trap(cause: u32, addr: u64): u64 {
  store<u32>(L.FAULT_CAUSE, cause);
  store<u64>(L.FAULT_ADDR, addr);
  return L.TRAP;
}

/**
 * A control transfer to `target`: the next pc, or TRAP if it is outside SRAM or not word-aligned (the
 * fault is reported at the jump, as RISC-V's instruction-address-misaligned exception is).
 */
// @ts-ignore: decorator
@inline export function jumpTo(target: u64): u64 {
  return target >= <u64>L.SRAM_SIZE || (target & 3) != 0 ? trap(L.CAUSE_FETCH, target) : target;
}

/** Debugger watch ranges [lo, hi) for loads and for stores (empty when lo >= hi: the default), and the
 * lowest watched address (in memory, WATCH_FLOOR: cheaper to read in the loop than a global): an access
 * that ends at or below it needs no further check. */
let readLo: u64 = u64.MAX_VALUE, readHi: u64 = 0, writeLo: u64 = u64.MAX_VALUE, writeHi: u64 = 0;
export function setWatch(isStore: bool, lo: u64, hi: u64): void {
  if (isStore) {
    writeLo = lo;
    writeHi = hi;
  } else {
    readLo = lo;
    readHi = hi;
  }
  const r = readLo < readHi ? readLo : u64.MAX_VALUE;
  const w = writeLo < writeHi ? writeLo : u64.MAX_VALUE;
  store<u64>(L.MESH + L.MESH_WATCH_FLOOR, r < w ? r : w);
}

/** [a, a + size) touches the load (or store) watch range. */
export function watched(isStore: bool, a: u64, size: u64): bool {
  return isStore ? a < writeHi && a + size > writeLo : a < readHi && a + size > readLo;
}

/**
 * Address in linear memory of an SRAM access of `size` bytes at a, or 0 if any byte is outside SRAM or
 * (in the debugging build, WATCHPOINTS) the access touches a debugger watch range and watches stop before
 * the access. A watch hit then leaves WATCH_HIT | size in FAULT_WORD: the caller traps with its load/store
 * cause before the access happens, and the host tells the two apart. Watching after the access
 * (MESH_WATCH_AFTER), the access goes ahead and leaves a HIT record: the loop stops after the instruction.
 * In the race-checking build (RACES) the access may be logged (races.ts).
 */
// @ts-ignore: decorator
@inline export function sram(a: u64, size: u64, isStore: bool): usize {
  if (RACES) {
    if (a > <u64>L.SRAM_SIZE - size) return 0;
    raceAccess(a, size, isStore);
    return sramAt + <usize>a;
  }
  // (a + size cannot wrap: a is inside SRAM when the second test runs)
  if (!WATCHPOINTS) return a > <u64>L.SRAM_SIZE - size ? 0 : sramAt + <usize>a;
  return a > <u64>L.SRAM_SIZE - size || a + size > load<u64>(L.MESH + L.MESH_WATCH_FLOOR) ? checkedSram(a, size, isStore) : sramAt + <usize>a;
}

function checkedSram(a: u64, size: u64, isStore: bool): usize {
  if (a > <u64>L.SRAM_SIZE - size) return 0;
  if (watched(isStore, a, size)) {
    if (load<u32>(L.MESH + L.MESH_WATCH_AFTER) != 0) {
      noteHit(isStore ? L.WATCH_WRITE : L.WATCH_READ, currentSlot(), a, <u32>size);
      return sramAt + <usize>a;
    }
    store<u32>(L.FAULT_WORD, L.WATCH_HIT | <u32>size);
    return 0;
  }
  return sramAt + <usize>a;
}

/** The message being delivered (its header's address; 0 while instructions run): the cause of a watch hit. */
let delivering: usize = 0;
export function setDelivering(h: usize): void { delivering = h; }

// @ts-ignore: decorator
@inline function hitAt(field: usize): usize { return L.MESH + L.MESH_HIT + field; }

/** A watch hit (WATCH_* what, the core, address or semaphore, bytes), caused by the message being delivered
 * or by the running instruction (run() adds its pc). The first one stands until the host takes it. */
export function noteHit(what: u32, slot: u32, addr: u64, size: u32): void {
  if (load<u32>(hitAt(L.HIT_WHAT)) != 0) return;
  store<u32>(hitAt(L.HIT_WHAT), what);
  store<u32>(hitAt(L.HIT_SLOT), slot);
  store<u64>(hitAt(L.HIT_ADDR), addr);
  store<u32>(hitAt(L.HIT_SIZE), size);
  store<u32>(hitAt(L.HIT_SEMS), 0);
  const h = delivering;
  store<u32>(hitAt(L.HIT_MSG), h == 0 ? 0 : <u32>load<u16>(h + L.MSG_KIND));
  if (h == 0) return;
  store<u32>(hitAt(L.HIT_FROM), load<u32>(h + L.MSG_SRC));
  store<u32>(hitAt(L.HIT_ORIGIN), load<u32>(h + L.MSG_ORIGIN));
  store<u64>(hitAt(L.HIT_PC), load<u64>(h + L.MSG_PC));
  store<i64>(hitAt(L.HIT_TIME), load<i64>(h + L.MSG_TIME));
}

/** The access being made posts to or takes from watched semaphore n of core `slot`. */
export function noteSemaphore(slot: u32, n: u32): void {
  noteHit(L.WATCH_SEMAPHORE, slot, n, 4);
  if (load<u32>(hitAt(L.HIT_SLOT)) == slot) store<u32>(hitAt(L.HIT_SEMS), load<u32>(hitAt(L.HIT_SEMS)) | (1 << n));
}

/** A watch hit waits for the host (the debugging build watching after accesses). */
// @ts-ignore: decorator
@inline export function hitPending(): bool { return load<u32>(hitAt(L.HIT_WHAT)) != 0; }

/** The running instruction at pc made the pending hit. */
export function hitByInstruction(pc: u64): void {
  store<u64>(hitAt(L.HIT_PC), pc);
  store<u32>(hitAt(L.HIT_ORIGIN), load<u32>(netAt + L.C_Y) * load<u32>(L.MESH + L.MESH_W) + load<u32>(netAt + L.C_X));
}

/** A store is about to change [a, a + size): forget the predecoded records of the words it touches, and
 * the compiled blocks that may cover them; while windows run speculatively, log the lines first written. */
// @ts-ignore: decorator
@inline export function invalidate(a: u64, size: u64): void {
  if (decoded(coreAt, a) | decoded(coreAt, a + size - 1)) {
    store<u16>(predecAt + (<usize>(a >> 2) << 4), 0);
    if (size == 8) store<u16>(predecAt + (<usize>((a + 4) >> 2) << 4), 0);
    store<u16>(predecAt + (<usize>((a + size - 1) >> 2) << 4), 0);
  }
  const e = load<u8>(L.MESH + L.MESH_SPEC_EPOCH);
  if ((load<u8>(linesAt + <usize>(a >> 6)) ^ e) | (load<u8>(linesAt + <usize>((a + size - 1) >> 6)) ^ e)) touchLines(coreAt, a, size);
}

/** Whether words around SRAM address a of the core at `core` have been decoded (have records to forget). */
// @ts-ignore: decorator
@inline export function decoded(core: usize, a: u64): u8 { return load<u8>(core + L.CORE_DECODED + <usize>(a / <u64>L.DECODED_SPAN)); }

/** Forget the predecoded records of [a, a + len) of the core whose block is at `core`, and its compiled
 * blocks that may cover those bytes (writes by vector stores, the network, engines and the host). */
export function invalidateWords(core: usize, a: u64, len: u64): void {
  if (len == 0) return;
  // span by span: one with no decoded word has no record to forget
  const span = <u64>L.DECODED_SPAN;
  for (let at = a, end = a + len; at < end; at = (at / span + 1) * span) {
    if (decoded(core, at) == 0) continue;
    const to = min(end, (at / span + 1) * span);
    const first = <usize>(at >> 2);
    const last = <usize>((to - 1) >> 2);
    memory.fill(core + L.CORE_PREDEC + (first << 4), 0, (last - first + 1) << 4);
  }
  touchLines(core, a, len);
}

/**
 * Bytes [a, a + len) of a core are about to be written (or were, by the network, an engine or the host):
 * the slow path of a store to lines not marked with the epoch (LAYOUT.CORE_CODELINES). When compiled code
 * holds any of them, every block entry of the core goes stale (the generation moves on; jit.ts links
 * blocks again, from the new words, when they are next hot): the result is true. While windows run
 * speculatively, a line first written in this speculation is logged before. Each line ends marked with
 * the epoch.
 */
export function touchLines(core: usize, a: u64, len: u64): bool {
  const lines = core + L.CORE_CODELINES;
  const e = load<u8>(L.MESH + L.MESH_SPEC_EPOCH);
  const last = <usize>((a + len - 1) >> 6);
  let hit = false;
  for (let line = <usize>(a >> 6); line <= last; line++) {
    const m = load<u8>(lines + line);
    if (m == e) continue;
    if (speculating && (<u32>m & 0x7f) != <u32>e) logLine(core, line);
    if ((<u32>m & <u32>L.CODE_MARK) != 0) hit = true;
    store<u8>(lines + line, e);
  }
  markedLines(core, <usize>(a >> 6), last);
  if (hit) store<u32>(core + L.CORE_CODEGEN, load<u32>(core + L.CORE_CODEGEN) + 1);
  return hit;
}

/** Thread t's state (THREAD_*) on the core at `core`: free, without a look at its block, while the core
 * has not used it (C_USED; a first touch of a page is costly, and most cores run one thread). */
// @ts-ignore: decorator
@inline export function threadState(core: usize, t: u32): u32 {
  if ((load<u32>(core + L.CORE_NET + L.C_USED) >> t & 1) == 0) return L.THREAD_FREE;
  return load<u32>(core + L.CORE_THREADS + <usize>t * L.THREAD_BLOCK + L.T_STATE);
}

/** Thread t of the core at `core` runs (it starts, or starts again): its state is in its block now. */
// @ts-ignore: decorator
@inline export function useThread(core: usize, t: u32): void {
  store<u32>(core + L.CORE_NET + L.C_USED, load<u32>(core + L.CORE_NET + L.C_USED) | (1 << t));
}

/** The marks of lines first..last of the core at `core` may be non-zero now (LAYOUT.CORE_MARKED). */
// @ts-ignore: decorator
@inline export function markedLines(core: usize, first: usize, last: usize): void {
  const chunks = (<u32>2 << <u32>(last / L.MARK_CHUNK)) - (<u32>1 << <u32>(first / L.MARK_CHUNK));
  store<u8>(core + L.CORE_MARKED, load<u8>(core + L.CORE_MARKED) | <u8>chunks);
}

/** Each mark of the core at `core`'s lines that may be non-zero becomes mark & keep (LAYOUT.CORE_MARKED:
 * the clear chunks stay untouched); with keep 0 they are all clear again. */
export function resetMarks(core: usize, keep: u8): void {
  const marked = <u32>load<u8>(core + L.CORE_MARKED);
  const lines = core + L.CORE_CODELINES, k = i8x16.splat(keep);
  for (let c: usize = 0; c * L.MARK_CHUNK < L.SRAM_SIZE / L.CODE_LINE; c++) {
    if ((marked >> <u32>c & 1) == 0) continue;
    const end = min((c + 1) * L.MARK_CHUNK, L.SRAM_SIZE / L.CODE_LINE);
    for (let i = c * L.MARK_CHUNK; i < end; i += 16) v128.store(lines + i, v128.and(v128.load(lines + i), k));
  }
  if (keep == 0) store<u8>(core + L.CORE_MARKED, 0);
}
