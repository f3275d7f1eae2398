// Hardware threads (docs/machine.md, "Threads"): up to four per core, each with a state block (saved x
// registers and pc, vector registers, format table, stalls). The running thread's x registers, ready
// times and stall counters live at fixed addresses (REGS, XREADY, STALLS) so the hot loop needs no base
// register; switching threads swaps them with the blocks. The scheduler runs the thread whose clock is
// lowest, letting a thread run ahead of the others by at most SKEW cycles, so runs are deterministic.
import * as L from './generated/layout';
import { RACES, TIMING } from './generated/build';
import { raceSync, raceSyncLog } from './races';
import { coreAt, currentSlot, setThreadBlock, tb, threadState, useThread } from './state';
import { wake } from './mesh';
import { clock } from './timing';
import { markRegionStart } from './regions';
import { firstEnd, keepThread, speculating, spoiled } from './speculate';

/** The running thread switches when its clock passes this (another thread is further behind). */
export let switchAt: i64 = i64.MAX_VALUE;
/**
 * Ticks between two instructions of one thread at decode: the core decodes DECODE_WIDTH a cycle, a thread
 * at most THREAD_DECODE_WIDTH, so with n threads running each gets max(1/THREAD_DECODE_WIDTH,
 * n/DECODE_WIDTH) cycles per instruction (the 8 decode slots shared evenly).
 */
export let decodeShare: i64 = L.TICKS / L.THREAD_DECODE_WIDTH;

function updateDecodeShare(): void {
  // the functional build: an instruction is a cycle, all of it decode (no stall of any cause)
  if (!TIMING) {
    decodeShare = L.TICKS;
    return;
  }
  let n: i64 = 0;
  for (let t: u32 = 0; t < L.THREAD_COUNT; t++) if (threadState(coreAt, t) == RUNNING) n++;
  const shared = n * L.TICKS / L.DECODE_WIDTH;
  const alone = L.TICKS / L.THREAD_DECODE_WIDTH;
  decodeShare = shared > alone ? shared : alone;
}

/** Core instructions retired when the running thread was switched in (for per-thread instret). */
let nIn: u64 = 0;
/** Core instructions retired when the running thread's decode time was last added up. */
let nDecoded: u64 = 0;

/** Add the running thread's decode ticks since the last time (before decodeShare changes or it stops). */
function countDecode(n: u64): void {
  store<i64>(tb + L.T_DECODE, load<i64>(tb + L.T_DECODE) + <i64>(n - nDecoded) * decodeShare);
  nDecoded = n;
}

const SKEW: i64 = 32 * L.TICKS;
const FREE = L.THREAD_FREE;
const RUNNING = L.THREAD_RUNNING;
const WAITING = L.THREAD_WAITING;

// @ts-ignore: decorator
@inline export function block(t: u32): usize { return coreAt + L.CORE_THREADS + <usize>t * L.THREAD_BLOCK; }
// @ts-ignore: decorator
@inline export function current(): u32 { return load<u32>(L.CUR_THREAD); }

/** Thread 0 running at pc with everything else free (after reset and load). */
export function resetThreads(): void {
  setThreadBlock(block(0));
  store<u32>(L.CUR_THREAD, 0);
  useThread(coreAt, 0);
  store<u32>(tb + L.T_STATE, RUNNING);
}

/** Called by run() on entry: restore the scheduler's view of memory. */
export function enter(n: u64): void {
  smallEnd = firstEnd;
  setThreadBlock(block(current()));
  nIn = n;
  nDecoded = n;
  plan();
  updateDecodeShare();
}

/** Called by run() on exit: everything the host or a snapshot needs goes to memory. */
export function leave(n: u64): void {
  countDecode(n);
  store<u64>(tb + L.T_INSTRET, load<u64>(tb + L.T_INSTRET) + (n - nIn));
  nIn = n;
}

/** Instructions the running thread has retired, n being the core's count in this run. */
export function threadInstret(n: u64): u64 { return load<u64>(tb + L.T_INSTRET) + (n - nIn); }

/**
 * Speculating, the running thread (at clock `now`) passed the end of its window and is the only one
 * running: it goes on into the window it is in now, as schedule() would have it do, without the switch
 * (what a switch adds up, its decode time and instructions, stays linear until it next switches).
 */
export function passWindow(now: i64): bool {
  passTo = i64.MIN_VALUE;
  const last = load<i64>(L.MESH + L.MESH_WINDOW_END);
  if (!speculating || spoiled || now < smallEnd || now >= last) return false;
  const me = current();
  for (let t: u32 = 0; t < L.THREAD_COUNT; t++) if (t != me && threadState(coreAt, t) == RUNNING) return false;
  // (window ends are multiples of MESH_WINDOW: mostly the next one, found without a division)
  const next = smallEnd + load<i64>(L.MESH + L.MESH_WINDOW);
  smallEnd = now < next ? next : endOfWindowAt(now);
  switchAt = smallEnd - 1;
  passTo = last;
  return true;
}

/**
 * Until the thread's clock reaches this, passing the next window's end is what passWindow would do: move
 * smallEnd on by a window and switchAt with it (compiled blocks do that themselves: emulator/host/jit
 * translate.ts). Set when passWindow lets a lone thread go on; i64.MIN_VALUE from whatever may change
 * that (another thread of the core running, the scheduler's plan, the speculation spoiled).
 */
export let passTo: i64 = i64.MIN_VALUE;

/** Another thread of core `slot` runs now (emulator/assembly/mesh.ts wake). */
export function noLonger(): void { passTo = i64.MIN_VALUE; }

/** Switch at the next chance (a speculation was spoiled: speculate.ts). */
export function switchNow(): void {
  switchAt = i64.MIN_VALUE;
  passTo = i64.MIN_VALUE;
}

/** A message is due before the window would end (one-core machines): switch no later than t. */
export function lowerSwitch(t: i64): void {
  if (t < switchAt) switchAt = t;
  passTo = i64.MIN_VALUE;
}

/** Set by schedule() when the core stops for now: STOP_WINDOW or STOP_BLOCKED (mesh runs), else 0. */
export let stopWhy: u32 = 0;
export function clearStop(): void { stopWhy = 0; }

/** While windows run speculatively (speculate.ts), the end of the one the core is in: the threads switch
 * and the core's time passes its end as they would with the windows one at a time. */
export let smallEnd: i64 = 0;

/** The end of the window that time t falls in (windows are multiples of MESH_WINDOW). */
function endOfWindowAt(t: i64): i64 {
  const q = load<i64>(L.MESH + L.MESH_WINDOW);
  return (t / q + 1) * q;
}

/** The end of the window the core is in. */
export function windowEnd(): i64 { return speculating ? smallEnd : load<i64>(L.MESH + L.MESH_WINDOW_END); }

/** switchAt for the running thread: SKEW past the lowest clock of the other running threads, and never
 * past the end of the window. */
function plan(): void {
  passTo = i64.MIN_VALUE;
  let low: i64 = i64.MAX_VALUE;
  const me = current();
  for (let t: u32 = 0; t < L.THREAD_COUNT; t++) {
    if (t == me || threadState(coreAt, t) != RUNNING) continue;
    const c = load<i64>(block(t) + L.T_CLOCK);
    if (c < low) low = c;
  }
  switchAt = low == i64.MAX_VALUE ? low : low + SKEW;
  const end = windowEnd();
  if (switchAt >= end) switchAt = end - 1;
}

/** Bytes of the x registers with the x0 sink (and of their ready times), and of the stall counters. */
const XBYTES: usize = (L.X0_SINK + 1) << 3;
const STALL_BYTES: usize = L.STALL_COUNT << 3;

/** The running thread's pc, clock and counts to its block (its registers stay hot: see saveRegs). */
function save(pc: u64, n: u64): void {
  countDecode(n);
  store<u64>(tb + L.T_PC, pc);
  store<i64>(tb + L.T_CLOCK, clock());
  store<u64>(tb + L.T_INSTRET, load<u64>(tb + L.T_INSTRET) + (n - nIn));
}

/** The running thread's registers, ready times and stalls to its block (it is switched out). */
function saveRegs(): void {
  memory.copy(tb + L.T_XSAVE, L.REGS, XBYTES);
  memory.copy(tb + L.T_XREADY, L.XREADY, XBYTES);
  memory.copy(tb + L.T_STALLS, L.STALLS, STALL_BYTES);
}

/** Make thread t the running one; when it already is, its registers are hot and stay. */
function restore(t: u32, n: u64): u64 {
  if (t != current()) {
    saveRegs();
    store<u32>(L.CUR_THREAD, t);
    setThreadBlock(block(t));
    memory.copy(L.REGS, tb + L.T_XSAVE, XBYTES);
    memory.copy(L.XREADY, tb + L.T_XREADY, XBYTES);
    memory.copy(L.STALLS, tb + L.T_STALLS, STALL_BYTES);
  }
  store<i64>(L.CLOCK, load<i64>(tb + L.T_CLOCK));
  nIn = n;
  nDecoded = n;
  plan();
  updateDecodeShare();
  return load<u64>(tb + L.T_PC);
}

/**
 * Save the running thread (resuming at pc) and switch to the running thread with the lowest clock (the
 * lowest number among equals). Returns its pc, or TRAP with a DEADLOCK fault when none can run.
 */
export function schedule(pc: u64, n: u64): u64 {
  save(pc, n);
  let best: i32 = -1;
  let low: i64 = i64.MAX_VALUE;
  for (let t: u32 = 0; t < L.THREAD_COUNT; t++) {
    if (threadState(coreAt, t) != RUNNING) continue;
    const c = load<i64>(block(t) + L.T_CLOCK);
    if (best < 0 || c < low) {
      best = <i32>t;
      low = c;
    }
  }
  if (best < 0) {
    for (let t: u32 = 0; t < L.THREAD_COUNT; t++) {
      const b = block(t);
      if (threadState(coreAt, t) == WAITING && load<u32>(b + L.T_WAIT_KIND) != L.WAIT_JOIN) {
        // something outside the core (the network, a semaphore post, a barrier) can wake it
        stopWhy = L.STOP_BLOCKED;
        return restore(current(), n);
      }
    }
    store<u32>(L.FAULT_CAUSE, L.CAUSE_DEADLOCK);
    store<u64>(L.FAULT_ADDR, pc);
    return L.TRAP;
  }
  if (spoiled) stopWhy = L.STOP_WINDOW;
  else if (low >= windowEnd()) {
    // speculating, the next window the core has something in follows at once (those between pass it by)
    if (speculating && low < load<i64>(L.MESH + L.MESH_WINDOW_END)) smallEnd = endOfWindowAt(low);
    else stopWhy = L.STOP_WINDOW;
  }
  return restore(<u32>best, n);
}

/** tspawn: the lowest free thread starts at `entry` with a0 = arg, sp below the others' stacks, the
 * spawner's format table, and the spawner's clock. Returns its number, or -1. */
export function spawn(entry: u64, arg: u64, n: u64): i64 {
  for (let t: u32 = 1; t < L.THREAD_COUNT; t++) {
    const b = block(t);
    if (threadState(coreAt, t) != FREE) continue;
    if (speculating) keepThread(coreAt, t);
    memory.fill(b, 0, L.THREAD_BLOCK);
    store<u64>(b + L.T_XSAVE + (2 << 3), <u64>L.STACK_TOP - <u64>t * L.THREAD_STACK);
    store<u64>(b + L.T_XSAVE + (10 << 3), arg);
    store<u64>(b + L.T_PC, entry);
    store<i64>(b + L.T_CLOCK, clock());
    store<i64>(b + L.T_START, clock());
    markRegionStart(b, 0, clock(), b + L.T_STALLS); // in region 0 from now (its block is all zero)
    memory.copy(b + L.T_FMT_TABLE, tb + L.T_FMT_TABLE, L.T_VFLAGS - L.T_FMT_TABLE);
    countDecode(n); // the share changes now
    useThread(coreAt, t);
    store<u32>(b + L.T_STATE, RUNNING);
    if (RACES) {
      raceSyncLog(L.RK_SPAWN, t, currentSlot(), current(), 0, 0);
      raceSync(currentSlot(), t);
    }
    plan();
    updateDecodeShare();
    return <i64>t;
  }
  return -1;
}

/** texit: the running thread stops; threads joining it continue from its clock (the wait counts as a
 * dependency stall). */
export function exit(): void {
  const me = current();
  store<u32>(tb + L.T_STATE, FREE);
  for (let t: u32 = 0; t < L.THREAD_COUNT; t++) {
    const b = block(t);
    if (threadState(coreAt, t) == WAITING && load<u32>(b + L.T_WAIT_KIND) == L.WAIT_JOIN && load<u32>(b + L.T_WAIT_FOR) == me) {
      if (RACES) raceSyncLog(L.RK_JOIN, me, currentSlot(), t, 0, 0);
      wake(currentSlot(), t, clock(), L.STALL_DEPENDENCY);
    }
  }
}

/** The running thread waits (kind WAIT_*, for what, with what argument); the caller returns SWITCH. */
export function waitFor(kind: u32, what: u32, arg: u64): void {
  store<u32>(tb + L.T_STATE, WAITING);
  store<u32>(tb + L.T_WAIT_KIND, kind);
  store<u32>(tb + L.T_WAIT_FOR, what);
  store<u64>(tb + L.T_WAIT_ARG, arg);
}

/** tjoin: true if the running thread must wait for thread `t` (then it is marked waiting). */
export function join(t: u64): bool {
  if (t >= <u64>L.THREAD_COUNT || t == <u64>current()) return false;
  if (threadState(coreAt, <u32>t) == FREE) {
    if (RACES) raceSyncLog(L.RK_JOIN, <u32>t, currentSlot(), current(), 0, 0);
    return false;
  }
  waitFor(L.WAIT_JOIN, <u32>t, 0);
  return true;
}
