// Speculative windows (docs/machine.md, "Windows"): while nothing is in flight, the cores of an instance
// run several windows in one turn each, as if the network's part between them were there (it has nothing
// to do). That holds until a core sends a message, arrives at a barrier, starts an engine or stops (a host
// call, a fault): then every core goes back to where the turn began and the window runs again, alone. A
// core keeps what it needs to go back in its undo area (LAYOUT.CORE_UNDO): its save area, semaphores and
// counters, the blocks of its threads, and each SRAM line it writes, copied before the first write (the
// stores' slow path, state.ts touchLines, calls logLine). Running windows this way gives the same
// registers, memory, cycles and statistics as one window at a time; only the emulator's speed differs.
import * as L from './generated/layout';
import { coreBlock, currentSlot, invalidateWords, resetMarks, threadState } from './state';
import { dropMessages } from './net';
import { switchNow } from './threads';

/** A speculation is running (its windows end at MESH_WINDOW_END; the first of them at firstEnd). */
export let speculating = false;
/** Something a speculation cannot go past happened: the cores stop, and the turn is undone. */
export let spoiled = false;
/** The end of the speculation's first window. */
export let firstEnd: i64 = 0;
/** The speculation's number (a core's undo area is for the one whose number it holds): counted in memory
 * (MESH_SPEC_GEN), so that numbers stay unique whatever instance over it begins one. */
let generation: u32 = 0;

/** Windows the next speculation may take (doubling while they succeed), and windows to run one at a time
 * before the next try (doubling while they fail). */
let span: u32 = 4;
let wait: u32 = 0;
let failures: u32 = 0;
const MOST: u32 = 1024;

// @ts-ignore: decorator
@inline function cfg(off: usize): u32 { return load<u32>(L.MESH + off); }
// @ts-ignore: decorator
@inline function count(off: usize, n: u32): void { store<u32>(L.MESH + off, cfg(off) + n); }
// @ts-ignore: decorator
@inline function epoch(): u32 { return cfg(L.MESH_SPEC_EPOCH); }
// @ts-ignore: decorator
@inline function undoOf(slot: u32): usize { return coreBlock(slot) + L.CORE_UNDO; }

/**
 * How many windows the turn's next window may be (1: an ordinary one), at most `most`; from 2 on, a
 * speculation begins: MESH_WINDOW_END moves to the end of the last of them.
 */
export function speculateFor(most: u32): u32 {
  if (cfg(L.MESH_SPEC_ON) == 0 || cfg(L.MESH_TRACE_ON) != 0 || cfg(L.MESH_W) * cfg(L.MESH_H) == 1) return 1;
  if ((cfg(L.MESH_HEAP_N) | cfg(L.MESH_IN_N) | cfg(L.MESH_OUT_N) | cfg(L.MESH_EVENT_N)) != 0) return 1;
  if (wait > 0) {
    wait--;
    return 1;
  }
  const n = span < most ? span : most;
  return n < 2 ? 1 : begin(n);
}

/** A speculation of n windows from the window about to run (MESH_WINDOW_END moves to the last one's end). */
export function begin(n: u32): u32 {
  const q = load<i64>(L.MESH + L.MESH_WINDOW);
  firstEnd = load<i64>(L.MESH + L.MESH_WINDOW_END);
  store<i64>(L.MESH + L.MESH_WINDOW_END, firstEnd + <i64>(n - 1) * q);
  nextEpoch();
  generation = cfg(L.MESH_SPEC_GEN) + 1;
  store<u32>(L.MESH + L.MESH_SPEC_GEN, generation);
  store<u32>(L.MESH + L.MESH_SPEC_N, n);
  store<i64>(L.MESH + L.MESH_SPEC_FIRST, firstEnd);
  speculating = true;
  spoiled = false;
  return n;
}

/** The second lane (mesh.ts laneRun) takes part in the speculation the first lane began (MESH_SPEC_*). */
export function join(): void {
  firstEnd = load<i64>(L.MESH + L.MESH_SPEC_FIRST);
  generation = cfg(L.MESH_SPEC_GEN);
  speculating = true;
  spoiled = false;
}

/** A new epoch for the marks of the code lines; after 127 of them every core's marks start again. */
function nextEpoch(): void {
  let e = epoch() + 1;
  if (e > 0x7f) {
    e = 1;
    for (let s: u32 = 0; s < cfg(L.MESH_CORES); s++) resetMarks(coreBlock(s), <u8>L.CODE_MARK);
  }
  store<u32>(L.MESH + L.MESH_SPEC_EPOCH, e);
}

/** Stop the speculation at the next chance (the running core stops at its next taken branch). */
export function spoil(): void {
  if (!speculating) return;
  spoiled = true;
  switchNow();
}

/** Keep what core `slot` has now, before it runs in the speculation. */
export function keep(slot: u32): void {
  const c = coreBlock(slot), u = undoOf(slot);
  store<u32>(c + L.CORE_NET + L.C_UNDO_TAG, generation);
  store<u32>(u + L.U_LINES, 0);
  memory.copy(u + L.UNDO_STATE, c, L.CORE_THREADS);
  if (slot == currentSlot()) memory.copy(u + L.UNDO_STATE, L.REGS, L.SWAP_BYTES); // (its hot state is there)
  memory.copy(u + L.UNDO_NET, c + L.CORE_NET, L.UNDO_NET_BYTES);
  let threads: u32 = 0;
  for (let t: u32 = 0; t < L.THREAD_COUNT; t++) {
    const b = c + L.CORE_THREADS + <usize>t * L.THREAD_BLOCK;
    if (threadState(c, t) == L.THREAD_FREE) continue;
    threads |= 1 << t;
    memory.copy(threadCopy(u, t), b, L.THREAD_BLOCK);
  }
  store<u32>(u + L.U_THREADS, threads);
}

// @ts-ignore: decorator
@inline function threadCopy(u: usize, t: u32): usize { return u + L.UNDO_THREADS + <usize>t * L.THREAD_BLOCK; }

/** Thread block t of the core at `core` is about to change although it was free (tspawn). */
export function keepThread(core: usize, t: u32): void {
  const u = core + L.CORE_UNDO;
  const kept = load<u32>(u + L.U_THREADS);
  if ((kept >> t & 1) != 0) return; // (spawned before in this speculation: its block as it was is kept)
  store<u32>(u + L.U_THREADS, kept | (1 << t));
  memory.copy(threadCopy(u, t), core + L.CORE_THREADS + <usize>t * L.THREAD_BLOCK, L.THREAD_BLOCK);
}

/** SRAM line `line` of the core at `core` is about to be written for the first time in this speculation:
 * its bytes go to the copy at the log entry's index (the pages touched are as few as the lines logged). A
 * line of zeros (data never written before, mostly) is logged as such (ZERO_LINE) and not copied. */
export function logLine(core: usize, line: usize): void {
  const u = core + L.CORE_UNDO;
  const n = load<u32>(u + L.U_LINES);
  const at = core + L.CORE_SRAM + (line << 6);
  const zero = !v128.any_true(v128.or(v128.or(v128.load(at), v128.load(at, 16)), v128.or(v128.load(at, 32), v128.load(at, 48))));
  store<u16>(u + L.UNDO_LOG + (<usize>n << 1), <u16>(zero ? line | ZERO_LINE : line));
  store<u32>(u + L.U_LINES, n + 1);
  if (!zero) memory.copy(u + L.UNDO_SHADOW + (<usize>n << 6), at, L.CODE_LINE);
}

/** A line logged with this bit held zeros (SRAM has fewer than 2^15 lines). */
const ZERO_LINE: usize = 0x8000;

/** The speculation's windows are done and nothing stopped it: what the cores did stands. */
export function commit(): void {
  speculating = false;
  settle(true);
  failures = 0;
  wait = 0;
  span = span * 2 < MOST ? span * 2 : MOST;
}

/** The speculation's windows are done and nothing stopped it: it ends, and stays to be settled (a
 * machine of several instances: lockstep in emulator/assembly/mesh.ts). */
export function hold(): void {
  speculating = false;
}

/**
 * The last speculation over this memory (MESH_SPEC_*), ended: it stands (`keep`), or every core that ran
 * in it goes back to what it kept, the messages made are dropped and the window ends where its first
 * window did. Any instance over the memory may settle it (emulator/host/mesh.ts, for a machine of several
 * instances, keeps an instance's speculation until every other one has run the same windows).
 */
export function settle(keep: bool): void {
  if (keep) {
    count(L.MESH_SPEC_RUNS, 1);
    count(L.MESH_SPEC_WINDOWS, cfg(L.MESH_SPEC_N));
    return;
  }
  count(L.MESH_SPEC_UNDONE, 1);
  const gen = cfg(L.MESH_SPEC_GEN);
  // (only a live core can have run in it: the live list loses a halted core only before a speculation's
  // turns, mesh.ts dropHalted; the undo pages of cores that stopped long ago stay untouched)
  for (let k: u32 = 0; k < cfg(L.MESH_LIVE_N); k++) {
    const s = <u32>load<u16>(L.MESH + L.MESH_LIVE + (<usize>k << 1));
    const c = coreBlock(s), u = undoOf(s);
    if (load<u32>(c + L.CORE_NET + L.C_UNDO_TAG) != gen) continue;
    store<u32>(c + L.CORE_NET + L.C_UNDO_TAG, 0);
    const n = load<u32>(u + L.U_LINES);
    for (let i: u32 = 0; i < n; i++) {
      const logged = <usize>load<u16>(u + L.UNDO_LOG + (<usize>i << 1)), line = logged & ~ZERO_LINE;
      if (logged == line) memory.copy(c + L.CORE_SRAM + (line << 6), u + L.UNDO_SHADOW + (<usize>i << 6), L.CODE_LINE);
      else memory.fill(c + L.CORE_SRAM + (line << 6), 0, L.CODE_LINE);
      invalidateWords(c, <u64>(line << 6), L.CODE_LINE);
    }
    memory.copy(c, u + L.UNDO_STATE, L.CORE_THREADS);
    if (s == currentSlot()) memory.copy(L.REGS, u + L.UNDO_STATE, L.SWAP_BYTES);
    memory.copy(c + L.CORE_NET, u + L.UNDO_NET, L.UNDO_NET_BYTES);
    const threads = load<u32>(u + L.U_THREADS);
    for (let t: u32 = 0; t < L.THREAD_COUNT; t++) {
      if ((threads >> t & 1) != 0) memory.copy(c + L.CORE_THREADS + <usize>t * L.THREAD_BLOCK, threadCopy(u, t), L.THREAD_BLOCK);
    }
  }
  dropMessages();
  store<u32>(L.MESH + L.MESH_OUT_N, 0);
  store<u32>(L.MESH + L.MESH_EVENT_N, 0);
  store<i64>(L.MESH + L.MESH_WINDOW_END, load<i64>(L.MESH + L.MESH_SPEC_FIRST));
}

/**
 * Undo the speculation (settle): every core that ran in it goes back. `reached`: the end of the window
 * the core that stopped it was in. Returns how many windows, from the first, no core stopped in as far as
 * the cores that ran show: the windows before that one. The caller runs them again (a speculation of
 * them when there are 2 or more: a core that had not run yet may stop it earlier), else the first window
 * alone.
 */
export function undo(reached: i64): u32 {
  const clean = <u32>((reached - firstEnd) / load<i64>(L.MESH + L.MESH_WINDOW));
  speculating = false;
  spoiled = false;
  settle(false);
  // the next speculations are as long as twice what stood here; one stopped in its first two windows
  // makes the next try wait, longer after each such failure
  span = clean < MOST / 2 ? (clean > 1 ? clean * 2 : 2) : MOST;
  if (clean >= 2) {
    failures = 0;
    return clean;
  }
  failures++;
  wait = failures < 8 ? <u32>1 << failures : 256;
  return clean;
}
