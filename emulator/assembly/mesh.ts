// Many cores in one instance (docs/machine.md, "Mesh"): running every core of the instance up to the end
// of a window, waking waiting threads, semaphores, barrier arrivals, and the core's place in the mesh.
// The network between cores is net.ts; the host drives windows and resolves barriers (host/mesh.ts).
import * as L from './generated/layout';
import { run } from './loop';
import { coreBlock, currentSlot, noteSemaphore, selectCore, threadState } from './state';
import { RACES, WATCHPOINTS } from './generated/build';
import { racePost, raceSync, raceSyncLog } from './races';
import { heapMin, netWindow } from './net';
import { noLonger, windowEnd } from './threads';
import { begin, commit, hold, join, keep, speculateFor, speculating, spoil, spoiled, undo } from './speculate';

// @ts-ignore: decorator
@inline export function cfg(off: usize): u32 { return load<u32>(L.MESH + off); }
// @ts-ignore: decorator
@inline export function netOf(slot: u32): usize { return coreBlock(slot) + L.CORE_NET; }
// @ts-ignore: decorator
@inline export function threadBlockOf(slot: u32, t: u32): usize { return coreBlock(slot) + L.CORE_THREADS + <usize>t * L.THREAD_BLOCK; }

/** Where a hot-state value (an address in STATE) of core `slot` is now: STATE if it runs, else its save area. */
export function hotOf(slot: u32, at: usize): usize {
  return slot == currentSlot() ? at : coreBlock(slot) + L.CORE_SAVE + (at - L.REGS);
}

/** The thread whose registers are in core `slot`'s hot state. */
export function curThreadOf(slot: u32): u32 { return load<u32>(hotOf(slot, L.CUR_THREAD)); }

/** Where a per-thread value is: in the hot state for the core's current thread (`hot`), else its block. */
export function threadAt(slot: u32, t: u32, hot: usize, inBlock: usize): usize {
  return t == curThreadOf(slot) ? hotOf(slot, hot) : threadBlockOf(slot, t) + inBlock;
}

/** Set when an instruction retired, a message moved or a thread woke in this window. */
export function progress(): void { store<u32>(L.MESH + L.MESH_PROGRESS, 1); }

/** Cores that reached the window's end with a thread still running (in the last runCores). */
let ranCores: u32 = 0;
/** A thread woke during the network's part of the window. */
let woke = false;
/** Cores retired instructions in this window (seen before its network part). */
let retired = false;
/** The network's part of the window stopped at a watch hit (the debugging build): the next call goes on
 * with it. */
let inNetwork = false;

/** The next record of a buffer the host reads (its base, capacity, record size and the MESH offset of
 * its fill count), or 0 when it is full. */
function nextRecord(base: usize, capacity: usize, size: usize, fill: usize): usize {
  const n = cfg(fill);
  if (<usize>n >= capacity) return 0;
  store<u32>(L.MESH + fill, n + 1);
  return base + <usize>n * size;
}

/** Keep a trace record (when tracing; a full buffer drops it, and counts it): its address, for the fields
 * past ARG that some kinds have, or 0. */
export function trace(kind: u32, slot: u32, who: u32, detail: u32, start: i64, end: i64, arg: u64): usize {
  if (cfg(L.MESH_TRACE_ON) == 0) return 0;
  const r = nextRecord(L.TRACE, L.TRACE_COUNT, L.TRACE_BYTES, L.MESH_TRACE_N);
  if (r == 0) {
    store<u32>(L.MESH + L.MESH_TRACE_LOST, cfg(L.MESH_TRACE_LOST) + 1);
    return 0;
  }
  store<u32>(r + L.TR_KIND, kind);
  store<u32>(r + L.TR_SLOT, slot);
  store<u32>(r + L.TR_WHO, who);
  store<u32>(r + L.TR_DETAIL, detail);
  store<i64>(r + L.TR_START, start);
  store<i64>(r + L.TR_END, end);
  store<u64>(r + L.TR_ARG, arg);
  return r;
}

/** A waiting thread runs again from `time` (or its own clock if later); the wait counts as `cause` stalls. */
export function wake(slot: u32, t: u32, time: i64, cause: usize): void {
  const b = threadBlockOf(slot, t);
  store<u32>(b + L.T_STATE, L.THREAD_RUNNING);
  noLonger();
  const ca = threadAt(slot, t, L.CLOCK, L.T_CLOCK);
  const c = load<i64>(ca);
  const kind = load<u32>(b + L.T_WAIT_KIND);
  trace(L.TRACE_WAIT, slot, t, kind, c, time > c ? time : c, kind == L.WAIT_BARRIER || kind == L.WAIT_REMOTE ? load<u64>(b + L.T_WAIT_ARG) : <u64>load<u32>(b + L.T_WAIT_FOR));
  if (c < time) {
    store<i64>(ca, time);
    const sa = threadAt(slot, t, L.STALLS + (cause << 3), L.T_STALLS + (cause << 3));
    store<i64>(sa, load<i64>(sa) + time - c);
  }
  woke = true;
  progress();
}

// @ts-ignore: decorator
@inline export function semAt(slot: u32, n: u32): usize { return netOf(slot) + L.C_SEMS + (<usize>n << 2); }

/** Semaphore n of core `slot` was posted to or taken from at `time` (it was `old`): the trace's counter
 * when its value changed, and the debugger's semaphore watchpoints. */
export function semChanged(slot: u32, n: u32, old: u32, time: i64): void {
  const v = load<u32>(semAt(slot, n));
  if (v != old) trace(L.TRACE_SEMAPHORE, slot, n, v, time, time, 0);
  if (WATCHPOINTS && (load<u32>(netOf(slot) + L.C_SEM_WATCH) >> n & 1) != 0) noteSemaphore(slot, n);
}

/** Add `count` to semaphore n of core `slot` at `time`; waiting threads whose count is now there take it
 * and run (lowest thread first). */
export function post(slot: u32, n: u32, count: u32, time: i64): void {
  if (RACES) racePost(slot, n, count);
  const at = semAt(slot, n);
  const old = load<u32>(at);
  store<u32>(at, old + count);
  for (let t: u32 = 0; t < L.THREAD_COUNT; t++) {
    const b = threadBlockOf(slot, t);
    if (threadState(coreBlock(slot), t) != L.THREAD_WAITING || load<u32>(b + L.T_WAIT_KIND) != L.WAIT_SEMAPHORE || load<u32>(b + L.T_WAIT_FOR) != n) continue;
    const want = <u32>load<u64>(b + L.T_WAIT_ARG);
    const have = load<u32>(at);
    if (have < want) continue;
    store<u32>(at, have - want);
    if (RACES) raceSyncLog(L.RK_TAKE, n, slot, t, want, 0);
    wake(slot, t, time, L.STALL_SEMAPHORE);
  }
  semChanged(slot, n, old, time);
}

/** A host event (EVENT_*); false when the buffer is full. */
export function event(kind: usize, slot: u32, thread: u32, code: u32, arg0: u64, arg1: u64): bool {
  spoil();
  const e = nextRecord(L.EVENTS, L.EVENT_COUNT, L.EVENT_BYTES, L.MESH_EVENT_N);
  if (e == 0) return false;
  store<u32>(e + L.EV_KIND, <u32>kind);
  store<u32>(e + L.EV_SLOT, slot);
  store<u32>(e + L.EV_THREAD, thread);
  store<u32>(e + L.EV_CODE, code);
  store<u64>(e + L.EV_ARG0, arg0);
  store<u64>(e + L.EV_ARG1, arg1);
  return true;
}

/** The host resolved a barrier: thread t of core `slot` runs on from `time`. */
export function release(slot: u32, t: u32, time: i64): void {
  if (RACES) raceSync(slot, t);
  wake(slot, t, time, L.STALL_BARRIER);
}

/** The next core to run in this window (runCores resumes there after a stop the host handled). */
let resume: u32 = 0;
/** Windows the window being run stands for (more than one: speculate.ts). */
let span: u32 = 1;

/**
 * Run every core that has not halted up to the window's end (MESH_WINDOW_END), in slot order. Returns
 * STOP_WINDOW when all are there, or the first other stop (ecall, fault, breakpoint) with that core
 * selected: the host handles it and calls again, and that core goes on.
 */
export function runCores(limit: u64): u32 {
  if (resume == 0) dropHalted();
  const live = cfg(L.MESH_LIVE_N);
  while (resume < live) {
    const why = runOne(liveAt(resume), limit);
    if (why != L.STOP_WINDOW && why != SPOILED) return why; // (the host serves it; the core goes on after)
    resume++;
    if (why == SPOILED) return L.STOP_WINDOW; // (runWindows undoes the speculation)
  }
  resume = 0;
  return L.STOP_WINDOW;
}

// @ts-ignore: decorator
@inline function liveAt(i: u32): u32 { return <u32>load<u16>(L.MESH + L.MESH_LIVE + (<usize>i << 1)); }

/** Every core of the instance is live (initCores, reset). */
export function allLive(cores: u32): void {
  for (let s: u32 = 0; s < cores; s++) store<u16>(L.MESH + L.MESH_LIVE + (<usize>s << 1), <u16>s);
  store<u32>(L.MESH + L.MESH_LIVE_N, cores);
}

/** Take the cores that have exited off the live list (keeping slot order: output stays in order). */
function dropHalted(): void {
  const n = cfg(L.MESH_LIVE_N);
  let k: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const s = liveAt(i);
    if (load<u32>(netOf(s) + L.C_HALT) != 0) continue;
    store<u16>(L.MESH + L.MESH_LIVE + (<usize>k << 1), <u16>s);
    k++;
  }
  store<u32>(L.MESH + L.MESH_LIVE_N, k);
}

/** Cores of this instance that have not exited. */
export function liveCores(): u32 {
  let n: u32 = 0;
  const live = cfg(L.MESH_LIVE_N);
  for (let i: u32 = 0; i < live; i++) if (load<u32>(netOf(liveAt(i)) + L.C_HALT) == 0) n++;
  return n;
}

/**
 * No thread of core s runs and one waits for something outside the core (the network, a semaphore, a
 * barrier): running it would only find that out (threads.ts schedule), so the window passes it by
 * without switching to it. (Threads that all wait for each other are left to run(), which reports the
 * deadlock.)
 */
function waitsOutside(s: u32): bool {
  let outside = false;
  for (let t: u32 = 0; t < L.THREAD_COUNT; t++) {
    const b = threadBlockOf(s, t);
    const state = threadState(coreBlock(s), t);
    if (state == L.THREAD_RUNNING) return false;
    if (state == L.THREAD_WAITING && load<u32>(b + L.T_WAIT_KIND) != L.WAIT_JOIN) outside = true;
  }
  return outside;
}

/** Cores of this instance with a thread that can run (0: every core halted or waiting). */
export function runnableCores(): u32 {
  let n: u32 = 0;
  const live = cfg(L.MESH_LIVE_N);
  for (let i: u32 = 0; i < live; i++) {
    const s = liveAt(i);
    if (load<u32>(netOf(s) + L.C_HALT) != 0) continue;
    for (let t: u32 = 0; t < L.THREAD_COUNT; t++) {
      if (threadState(coreBlock(s), t) == L.THREAD_RUNNING) {
        n++;
        break;
      }
    }
  }
  return n;
}

/** The lowest clock of a running thread in this instance (i64 max when none): windows can skip ahead. */
export function earliestClock(): i64 {
  let low = i64.MAX_VALUE;
  const live = cfg(L.MESH_LIVE_N);
  for (let i: u32 = 0; i < live; i++) {
    const s = liveAt(i);
    if (load<u32>(netOf(s) + L.C_HALT) != 0) continue;
    for (let t: u32 = 0; t < L.THREAD_COUNT; t++) {
      if (threadState(coreBlock(s), t) != L.THREAD_RUNNING) continue;
      const c = load<i64>(threadAt(s, t, L.CLOCK, L.T_CLOCK));
      if (c < low) low = c;
    }
  }
  return low;
}

/**
 * The window after this one: the next multiple of the window length, or, when every running thread and
 * every message is further ahead, the window that holds the earliest of them (nothing happens between).
 * A one-core machine has no windows while nothing is in flight.
 */
export function nextWindowEnd(earliest: i64): i64 {
  const q = load<i64>(L.MESH + L.MESH_WINDOW);
  const end = load<i64>(L.MESH + L.MESH_WINDOW_END);
  if (cfg(L.MESH_W) * cfg(L.MESH_H) == 1) return heapMin() == i64.MAX_VALUE ? i64.MAX_VALUE : (heapMin() / q + 1) * q;
  if (earliest == i64.MAX_VALUE || earliest < end) return end + q;
  return (earliest / q + 1) * q;
}

/** The earliest thing that will happen in this instance: a running thread's clock or a message. */
export function earliest(): i64 {
  const a = earliestClock(), b = heapMin();
  return a < b ? a : b;
}

/** A window's cores start to run: nothing has run or moved in it yet. */
function startWindow(): void {
  ranCores = 0;
  store<u32>(L.MESH + L.MESH_PROGRESS, 0);
}

// ---- lanes: a speculation's cores on two threads (emulator/host/lanes.ts) ---------------------------------

/** The host's second lane: a worker thread's instance over this memory (the lane build: its hot state one
 * STATE block further on) runs live cores of [from, to) of the speculation begun here (laneRun); laneWait
 * blocks until it is done and gives what laneRun returned. */
// @ts-ignore: decorator
@external('env', 'laneStart') declare function laneStart(from: u32, to: u32): void;
// @ts-ignore: decorator
@external('env', 'laneWait') declare function laneWait(): u32;

/** Where the second lane's cores stopped the speculation (the end of that window), else i64.MAX_VALUE. */
let laneReached: i64 = i64.MAX_VALUE;
const NONE: u32 = 0xffffffff;
const LANE_RAN: u32 = 0x80000000;
/** runOne: the core's turn spoiled the speculation. */
const SPOILED: u32 = 0xfffffffe;

/** The cores' part of a speculation: with lanes on (MESH_LANE_ON), this lane and the second claim the live
 * cores from either end (claim). Each core's turn is its own, whoever runs it; what happens is the same
 * as on one lane, only sooner. */
function runSpeculation(limit: u64): u32 {
  laneReached = i64.MAX_VALUE;
  if (cfg(L.MESH_LANE_ON) == 0 || resume != 0) return runCores(limit);
  dropHalted();
  const live = cfg(L.MESH_LIVE_N);
  park(); // (the other lane may run the core whose hot state is here)
  atomic.store<u32>(L.MESH + L.MESH_LANE_CLAIMED, 0);
  laneStart(0, live);
  store<u32>(L.MESH + L.MESH_SPEC_LANES, cfg(L.MESH_SPEC_LANES) + 1);
  let why: u32 = L.STOP_WINDOW;
  for (let i: u32 = 0; claim(live); i++) {
    why = runOne(liveAt(i), limit);
    if (why == L.STOP_WINDOW) continue;
    stopClaims();
    if (why == SPOILED) why = L.STOP_WINDOW; // (runWindows sees `spoiled`)
    break;
  }
  const other = laneWait();
  if ((other & LANE_RAN) != 0) ranCores++;
  if ((other & ~LANE_RAN) != 0) laneReached = load<i64>(L.MESH + L.MESH_SPEC_FIRST) + <i64>((other & ~LANE_RAN) - 1) * load<i64>(L.MESH + L.MESH_WINDOW);
  resume = 0;
  return why;
}

/**
 * A lane claims the next of the `live` cores: the first lane takes them from the front, the second from
 * the back, until every one is claimed (so a core mostly stays on its lane from one speculation to the
 * next, and the lanes end together). Which lane runs a core changes nothing of what it does.
 */
function claim(live: u32): bool { return atomic.add<u32>(L.MESH + L.MESH_LANE_CLAIMED, 1) < live; }

/** A core stopped the speculation: no more are claimed (the other lane finishes the one it runs). */
function stopClaims(): void { atomic.store<u32>(L.MESH + L.MESH_LANE_CLAIMED, 1 << 30); }

/** Core s's turn in the window (or the speculation): STOP_WINDOW (done, or nothing to run), SPOILED (it
 * stopped the speculation), or why it stopped. */
function runOne(s: u32, limit: u64): u32 {
  if (load<u32>(netOf(s) + L.C_HALT) != 0 || waitsOutside(s)) return L.STOP_WINDOW;
  if (speculating) keep(s);
  selectCore(s);
  const why = run(limit);
  if (why == L.STOP_WINDOW || why == L.STOP_BLOCKED) {
    if (why == L.STOP_WINDOW) ranCores++;
    return spoiled ? SPOILED : L.STOP_WINDOW;
  }
  return why;
}

/**
 * The second lane (this instance is the lane build): live cores of [from, to) of the speculation the first
 * lane began take their turns, from the back, as long as it claims them (claim). Returns 0, or 1 + the
 * windows before the one where a core stopped it (its end is what the first lane undoes from), with
 * LANE_RAN set when a core ran. The first lane settles the speculation for both; this one's hot state
 * goes back to its core's block.
 */
export function laneRun(from: u32, to: u32, limit: u64): u32 {
  join();
  ranCores = 0;
  let out: u32 = 0;
  for (let i = to; i > from && claim(to); i--) {
    if (runOne(liveAt(i - 1), limit) == L.STOP_WINDOW) continue;
    stopClaims();
    out = 1 + <u32>((windowEnd() - load<i64>(L.MESH + L.MESH_SPEC_FIRST)) / load<i64>(L.MESH + L.MESH_WINDOW));
    break;
  }
  hold();
  park();
  return out | (ranCores > 0 ? LANE_RAN : 0);
}

/** The running core's hot state goes back to its block, and no core is current (another lane may run it). */
export function park(): void {
  const cur = currentSlot();
  if (cur == NONE) return;
  memory.copy(coreBlock(cur) + L.CORE_SAVE, L.REGS, L.SWAP_BYTES);
  store<u32>(L.MESH + L.MESH_CUR, NONE);
}

/**
 * A machine of several instances (emulator/host/mesh.ts) runs windows in lockstep; while nothing is in
 * flight in any of them, the host asks each instance at work for the same n windows as one speculation.
 * Returns 0 when every core ran them through: the speculation then waits for the host to settle it
 * (speculate.ts settle: kept when every instance ran them through, else undone). Otherwise a core stopped
 * it (a message, an event, a host call, a fault), and the instance has gone back already: 1 + the windows
 * before the one that core was in. (The network's part of the windows has nothing to do.)
 */
export function lockstep(n: u32, limit: u64): u32 {
  if (WATCHPOINTS || RACES) return 1; // (these builds run one window at a time)
  startWindow();
  begin(n);
  const why = runCores(limit);
  if (!spoiled && why == L.STOP_WINDOW) {
    hold();
    return 0;
  }
  const clean = undo(windowEnd());
  resume = 0;
  return 1 + clean;
}

/**
 * Run up to `windows` windows: every core, then the network, then the next window (chosen here when
 * `auto`; else the host sets MESH_WINDOW_END, as it does for machines of several instances). Returns
 * STOP_WINDOW when the host has something to do (events, outbox) or the windows are done, STOP_BLOCKED
 * when no core can run and nothing is in flight, or a core's stop (ecall, fault, breakpoint).
 */
export function runWindows(windows: u32, auto: bool, limit: u64): u32 {
  for (let w: u32 = 0; w < windows; w += span) {
    if (!inNetwork) {
      if (resume == 0) {
        startWindow();
        // (the debugging and race-checking builds run one window at a time)
        span = auto && !WATCHPOINTS && !RACES ? speculateFor(windows - w) : 1;
      }
      let why = speculating ? runSpeculation(limit) : runCores(limit);
      while (speculating) {
        // (the end of the window the core that stopped the speculation was in, on either lane)
        let reached = spoiled || why != L.STOP_WINDOW ? windowEnd() : i64.MAX_VALUE;
        if (laneReached < reached) reached = laneReached;
        if (reached == i64.MAX_VALUE) {
          commit();
          break;
        }
        const clean = undo(reached);
        resume = 0;
        startWindow();
        span = clean >= 2 ? begin(clean) : 1;
        why = speculating ? runSpeculation(limit) : runCores(limit);
      }
      if (why != L.STOP_WINDOW) return why;
      retired = load<u32>(L.MESH + L.MESH_PROGRESS) != 0;
      woke = false;
    }
    inNetwork = netWindow(false) != L.STOP_WINDOW;
    if (inNetwork) return L.STOP_WATCH;
    if (!auto) return L.STOP_WINDOW;
    if (ranCores == 0 && !woke && heapMin() == i64.MAX_VALUE) return L.STOP_BLOCKED;
    // while cores retire instructions the next window follows; when none did, skip to the earliest event
    const q = load<i64>(L.MESH + L.MESH_WINDOW);
    const solo = cfg(L.MESH_W) * cfg(L.MESH_H) == 1;
    store<i64>(L.MESH + L.MESH_WINDOW_END, retired && !solo ? load<i64>(L.MESH + L.MESH_WINDOW_END) + q : nextWindowEnd(earliest()));
    if (cfg(L.MESH_EVENT_N) > 0 || cfg(L.MESH_OUT_N) > 0 || <usize>cfg(L.MESH_TRACE_N) > L.TRACE_COUNT / 2) return L.STOP_WINDOW;
  }
  return L.STOP_WINDOW;
}
