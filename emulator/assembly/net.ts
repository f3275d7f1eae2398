// The network-on-chip (docs/machine.md, "Network"): messages between cores, routed X then Y over a
// router per core, each link reserved for a message's packets in the order messages are injected, and
// the three engines (DMA copy, list parser, gather) that run descriptors without their core. Messages
// wait in a heap ordered by (time, seq); netWindow() moves every message whose time falls in the window.
import * as L from './generated/layout';
import { clock as liveClock, setClock } from './generated/dispatch';
import { cfg, event, netOf, post, progress, threadAt, threadBlockOf, trace, wake } from './mesh';
import { spoil } from './speculate';
import { coreBlock, currentSlot, hitPending, invalidateWords, netAt, noteHit, setDelivering, setRd, sram, tb, trap, watched } from './state';
import { current, lowerSwitch, waitFor } from './threads';
import { RACES, WATCHPOINTS } from './generated/build';
import { raceDelivering, raceLog, raceSync, raceSyncLog, raceTouch } from './races';

// ---- global addresses -------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline export function isGlobal(a: u64): bool { return (a >> L.GLOBAL_FLAG_BIT) == 1; }
// @ts-ignore: decorator
@inline export function gx(a: u64): u32 { return <u32>(a >> L.GLOBAL_X_SHIFT) & 0xff; }
// @ts-ignore: decorator
@inline export function gy(a: u64): u32 { return <u32>(a >> L.GLOBAL_Y_SHIFT) & 0xff; }
// @ts-ignore: decorator
@inline export function offsetOf(a: u64): u64 { return a & 0xffff_ffff; }

function enabled(x: u32, y: u32): bool {
  if (x >= cfg(L.MESH_W) || y >= cfg(L.MESH_H)) return false;
  const g = y * cfg(L.MESH_W) + x;
  return (load<u8>(L.MESH + L.MESH_ENABLED + (<usize>g >> 3)) >> (g & 7) & 1) != 0;
}

/** The global core number of a global address whose `size` bytes lie in an enabled core's SRAM, or -1. */
export function coreOf(a: u64, size: u64): i32 {
  if (!isGlobal(a) || !enabled(gx(a), gy(a)) || offsetOf(a) + size > <u64>L.SRAM_SIZE) return -1;
  return <i32>(gy(a) * cfg(L.MESH_W) + gx(a));
}

export function myCore(): u32 { return load<u32>(netAt + L.C_Y) * cfg(L.MESH_W) + load<u32>(netAt + L.C_X); }

/** Router index in this partition of global core g, or -1 when g is in another partition. */
function routerOf(g: u32): i32 {
  const w = cfg(L.MESH_W);
  const x = g % w, y = g / w;
  const px = cfg(L.MESH_PX), py = cfg(L.MESH_PY);
  if (x < px || y < py || x >= px + cfg(L.MESH_PW) || y >= py + cfg(L.MESH_PH)) return -1;
  return <i32>((y - py) * cfg(L.MESH_PW) + (x - px));
}

/** The slot of global core g in this instance (it must be here and enabled). */
function slotOf(g: u32): u32 { return <u32>load<u16>(L.SLOT_MAP + (<usize>routerOf(g) << 1)) - 1; }

// ---- messages and the heap ----------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function msg(m: u32): usize { return L.MSGS + <usize>m * L.MSG_BYTES; }
// @ts-ignore: decorator
@inline function key(m: u32): i64 { return load<i64>(msg(m) + L.MSG_TIME); }

function before(a: u32, b: u32): bool {
  const ta = key(a), tb2 = key(b);
  return ta < tb2 || (ta == tb2 && load<u64>(msg(a) + L.MSG_SEQ) < load<u64>(msg(b) + L.MSG_SEQ));
}

function heapAt(i: u32): u32 { return load<u32>(L.HEAP + (<usize>i << 2)); }
function heapSet(i: u32, m: u32): void { store<u32>(L.HEAP + (<usize>i << 2), m); }

export function push(m: u32): void {
  let i = cfg(L.MESH_HEAP_N);
  store<u32>(L.MESH + L.MESH_HEAP_N, i + 1);
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!before(m, heapAt(p))) break;
    heapSet(i, heapAt(p));
    i = p;
  }
  heapSet(i, m);
  capWindow(key(m));
}

function pop(): u32 {
  const n = cfg(L.MESH_HEAP_N) - 1;
  store<u32>(L.MESH + L.MESH_HEAP_N, n);
  const top = heapAt(0);
  const last = heapAt(n);
  let i: u32 = 0;
  for (;;) {
    let c: u32 = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && before(heapAt(c + 1), heapAt(c))) c++;
    if (!before(heapAt(c), last)) break;
    heapSet(i, heapAt(c));
    i = c;
  }
  heapSet(i, last);
  return top;
}

/** Forget every message in flight (an undone speculation made them: speculate.ts). */
export function dropMessages(): void {
  while (cfg(L.MESH_HEAP_N) > 0) release(pop());
}

/** Time of the earliest message (i64 max when none). */
export function heapMin(): i64 { return cfg(L.MESH_HEAP_N) == 0 ? i64.MAX_VALUE : key(heapAt(0)); }

/** A one-core machine runs without windows until it has something in flight: then the window ends at the
 * first window boundary after the message's time (docs/machine.md, "Windows"). */
function capWindow(t: i64): void {
  if (cfg(L.MESH_W) * cfg(L.MESH_H) != 1) return;
  const q = load<i64>(L.MESH + L.MESH_WINDOW);
  const end = (t / q + 1) * q;
  if (end < load<i64>(L.MESH + L.MESH_WINDOW_END)) {
    store<i64>(L.MESH + L.MESH_WINDOW_END, end);
    lowerSwitch(end - 1);
  }
}

/** A free message record, or -1 when all are in flight. */
function alloc(): i32 {
  store<u32>(L.MESH + L.MESH_IN_USE, cfg(L.MESH_IN_USE) + 1);
  const f = cfg(L.MESH_FREE);
  if (f != 0) {
    store<u32>(L.MESH + L.MESH_FREE, load<u32>(msg(f - 1) + L.MSG_NEXT));
    return <i32>(f - 1);
  }
  const fresh = cfg(L.MESH_FRESH);
  if (<usize>fresh >= L.MSG_COUNT) unreachable(); // MSG_RESERVE keeps records for the network's own messages
  store<u32>(L.MESH + L.MESH_FRESH, fresh + 1);
  return <i32>fresh;
}

function release(m: u32): void {
  store<u32>(L.MESH + L.MESH_IN_USE, cfg(L.MESH_IN_USE) - 1);
  store<u32>(msg(m) + L.MSG_NEXT, cfg(L.MESH_FREE));
  store<u32>(L.MESH + L.MESH_FREE, m + 1);
}

/** Room for `n` more messages from a core or an engine, past the records the network keeps for its own
 * (a core's instruction retries, an engine waits, when there is not). */
export function room(n: u32): bool { return <usize>(cfg(L.MESH_IN_USE) + n) + L.MSG_RESERVE <= L.MSG_COUNT; }

/** What is behind the messages made from now on (make() stamps it on each): the core and pc of the
 * instruction that caused them, and where their flow starts in the trace: who sends them on their core
 * (SENDER kind << 8 | thread or engine) and when. */
let causeCore: u32 = 0, causePc: u64 = 0, causeSender: u32 = 0, causeTime: i64 = 0;

function cause(core: u32, pc: u64, sender: u32, time: i64): void {
  causeCore = core;
  causePc = pc;
  causeSender = sender;
  causeTime = time;
}

/** The running thread's instruction at pc sends messages at `time`. */
function causedBy(pc: u64, time: i64): void { cause(myCore(), pc, (L.SENDER_THREAD << 8) | current(), time); }

/** A new message from core `slot` of this instance (its global number `from`), at `time`. */
function make(kind: usize, slot: u32, from: u32, to: u32, time: i64, size: u32): u32 {
  spoil(); // (a speculation stops at a message: speculate.ts)
  const m = <u32>alloc();
  const h = msg(m);
  const seqAt = netOf(slot) + L.C_SEQ;
  const seq = load<u64>(seqAt);
  store<u64>(seqAt, seq + 1);
  store<i64>(h + L.MSG_TIME, time);
  store<u64>(h + L.MSG_SEQ, (<u64>from << 40) | seq);
  store<u16>(h + L.MSG_KIND, <u16>kind);
  store<u16>(h + L.MSG_SIZE, <u16>size);
  store<u32>(h + L.MSG_SRC, from);
  store<u32>(h + L.MSG_DST, to);
  store<u32>(h + L.MSG_AT, from);
  store<u8>(h + L.MSG_STAGE, <u8>L.STAGE_INJECT);
  store<u8>(h + L.MSG_FLAGS, 0);
  store<u16>(h + L.MSG_POSTN, 0);
  store<u64>(h + L.MSG_PC, causePc);
  store<u32>(h + L.MSG_ORIGIN, causeCore);
  store<u32>(h + L.MSG_SENDER, causeSender);
  store<i64>(h + L.MSG_SENT, causeTime);
  const sent = netOf(slot) + L.C_SENT;
  store<f64>(sent, load<f64>(sent) + <f64>size);
  if (RACES && kind != L.KIND_ENGINE) {
    raceLog(L.RK_SEND, <u32>kind, slot, causeSender, 0, causePc, (<u64>from << 40) | seq);
    // a thread's post to another core orders what it did before
    if (kind == L.KIND_POST && causeSender >> 8 == L.SENDER_THREAD) raceSync(slot, causeSender & 0xff);
  }
  return m;
}

// @ts-ignore: decorator
@inline function payload(m: u32): usize { return msg(m) + L.MSG_HEADER; }

// ---- routing ------------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function link(router: u32, dir: usize): usize { return L.LINKS + (<usize>router * L.LINK_COUNT + dir) * L.LINK_BYTES; }

/** Reserve a link for `ticks` from `t` (or when it is free); returns the start. */
function reserve(l: usize, t: i64, ticks: i64, bytes: u32): i64 {
  const free = load<i64>(l);
  const s = t > free ? t : free;
  store<i64>(l, s + ticks);
  store<i64>(l + 8, load<i64>(l + 8) + ticks);
  store<f64>(l + 16, load<f64>(l + 16) + <f64>bytes);
  store<f64>(l + 24, load<f64>(l + 24) + 1);
  book(l, s, ticks);
  return s;
}

// ---- link load by window, for the trace ---------------------------------------------------------------

/** Link l's ring of busy ticks by window (LINK_RING windows; window k at k % LINK_RING). */
// @ts-ignore: decorator
@inline function ringOf(l: usize): usize { return L.LINK_LOAD + (l - L.LINKS) / L.LINK_BYTES * L.LINK_RING * 8; }
// @ts-ignore: decorator
@inline function ringAt(ring: usize, k: i64): usize { return ring + (<usize>(k % <i64>L.LINK_RING) << 3); }

/** While tracing, book link l busy for [s, s + ticks) in the windows that interval covers. Reservations
 * only go forward in time; what lies past the ring goes to its last window and is carried on from there
 * when it is reported (the time a link is booked ahead is taken to follow on without gaps). */
function book(l: usize, s: i64, ticks: i64): void {
  if (cfg(L.MESH_TRACE_ON) == 0 || ticks <= 0) return;
  const q = load<i64>(L.MESH + L.MESH_WINDOW);
  const base = load<i64>(L.MESH + L.MESH_LINK_BASE);
  const last = base + <i64>L.LINK_RING - 1;
  const ring = ringOf(l);
  // (a message from another instance may have been reserved in a window already reported: count it now)
  let a = s > base * q ? s : base * q;
  const e = a + ticks;
  let k = a / q;
  while (a < e) {
    if (k > last) k = last;
    const b = k == last || (k + 1) * q > e ? e : (k + 1) * q;
    store<i64>(ringAt(ring, k), load<i64>(ringAt(ring, k)) + b - a);
    a = b;
    k++;
  }
  if (k - 1 > load<i64>(L.MESH + L.MESH_LINK_TOP)) store<i64>(L.MESH + L.MESH_LINK_TOP, k - 1);
}

/** Trace records of the links' load in every window that ends by `end` (all of it for i64 max): one per
 * router with a busy link, its links' busy ticks in the window. */
function reportLinks(end: i64): void {
  if (cfg(L.MESH_TRACE_ON) == 0) return;
  const q = load<i64>(L.MESH + L.MESH_WINDOW);
  const upTo = end == i64.MAX_VALUE ? end : end / q;
  let base = load<i64>(L.MESH + L.MESH_LINK_BASE);
  let top = load<i64>(L.MESH + L.MESH_LINK_TOP);
  const routers = cfg(L.MESH_PW) * cfg(L.MESH_PH);
  for (; base < upTo && base <= top; base++) {
    for (let r: u32 = 0; r < routers; r++) {
      let busy = false;
      for (let dir: usize = 0; dir < L.LINK_COUNT; dir++) busy = busy || load<i64>(ringAt(ringOf(link(r, dir)), base)) != 0;
      if (!busy) continue;
      const rec = trace(L.TRACE_LINKS, r, 0, 0, base * q, (base + 1) * q, 0);
      for (let dir: usize = 0; dir < L.LINK_COUNT; dir++) {
        const at = ringAt(ringOf(link(r, dir)), base);
        let v = load<i64>(at);
        store<i64>(at, 0);
        if (v > q) {
          // booked past the ring: the rest follows in the next window
          store<i64>(ringAt(ringOf(link(r, dir)), base + 1), load<i64>(ringAt(ringOf(link(r, dir)), base + 1)) + v - q);
          if (base + 1 > top) top = base + 1;
          v = q;
        }
        if (rec != 0) store<u32>(rec + L.TR_BUSY + (dir << 2), <u32>v);
      }
    }
  }
  if (base > top && upTo != i64.MAX_VALUE) base = upTo;
  store<i64>(L.MESH + L.MESH_LINK_BASE, base);
  store<i64>(L.MESH + L.MESH_LINK_TOP, top);
}

/** Move an injected message as far as it goes: to its destination's SRAM write port (then it waits in the
 * heap for its arrival time), or out of this partition (then it waits in the outbox for the host). */
function route(m: u32): void {
  const h = msg(m);
  const w = cfg(L.MESH_W);
  const size = <u32>load<u16>(h + L.MSG_SIZE);
  const packets: i64 = size == 0 ? 1 : <i64>((size + 63) >> 6);
  const hop = load<i64>(L.MESH + L.MESH_HOP);
  const pkt = load<i64>(L.MESH + L.MESH_LINK_TICKS);
  const dieW = cfg(L.MESH_DIE_W), dieH = cfg(L.MESH_DIE_H);
  const dst = load<u32>(h + L.MSG_DST);
  const dx = dst % w, dy = dst / w;
  let at = load<u32>(h + L.MSG_AT);
  let t = load<i64>(h + L.MSG_TIME);
  if (routerOf(at) < 0) {
    outbox(m); // it waited for room in the outbox
    return;
  }
  // the tail: when the message's last packet has left the link it last crossed
  let tail = t;
  if ((load<u8>(h + L.MSG_FLAGS) & <u8>L.MF_INJECTED) == 0) {
    const s = reserve(link(<u32>routerOf(at), L.LINK_INJECT), t, packets * pkt, size);
    tail = s + packets * pkt;
    t = s + pkt;
    store<u8>(h + L.MSG_FLAGS, load<u8>(h + L.MSG_FLAGS) | <u8>L.MF_INJECTED);
  }
  for (;;) {
    const x = at % w, y = at / w;
    if (x == dx && y == dy) break;
    let dir: usize, nx = x, ny = y;
    let edge = false;
    if (x < dx) { dir = L.LINK_EAST; nx = x + 1; edge = nx % dieW == 0; }
    else if (x > dx) { dir = L.LINK_WEST; nx = x - 1; edge = x % dieW == 0; }
    else if (y < dy) { dir = L.LINK_SOUTH; ny = y + 1; edge = ny % dieH == 0; }
    else { dir = L.LINK_NORTH; ny = y - 1; edge = y % dieH == 0; }
    const each = edge ? load<i64>(L.MESH + (dir <= L.LINK_WEST ? L.MESH_EDGE_X_TICKS : L.MESH_EDGE_Y_TICKS)) : pkt;
    const l = link(<u32>routerOf(at), dir);
    const s = reserve(l, t, packets * each, size);
    // wormhole: the link is held until the tail, right behind the packets before it, has crossed it
    let end = s + packets * each;
    if (tail + each > end) end = tail + each;
    store<i64>(l, end);
    tail = end;
    t = s + hop + (edge ? load<i64>(L.MESH + L.MESH_EDGE_HOP) : 0);
    at = ny * w + nx;
    if (routerOf(at) < 0) {
      store<u32>(h + L.MSG_AT, at);
      store<i64>(h + L.MSG_TIME, t);
      outbox(m);
      return;
    }
  }
  const s = reserve(link(<u32>routerOf(at), L.LINK_EJECT), t, packets * pkt, size);
  let arrive = s + packets * pkt;
  if (tail + pkt > arrive) arrive = tail + pkt;
  store<i64>(h + L.MSG_EJECT, s);
  store<u32>(h + L.MSG_AT, at);
  store<i64>(h + L.MSG_TIME, arrive);
  store<u8>(h + L.MSG_STAGE, <u8>L.STAGE_ARRIVE);
  push(m);
}

function outbox(m: u32): void {
  const n = cfg(L.MESH_OUT_N);
  if (<usize>n >= L.BOX_COUNT) {
    // the host empties the outbox every window: leave in the next one
    const end = load<i64>(L.MESH + L.MESH_WINDOW_END);
    if (load<i64>(msg(m) + L.MSG_TIME) < end) store<i64>(msg(m) + L.MSG_TIME, end);
    push(m);
    return;
  }
  memory.copy(L.OUTBOX + <usize>n * L.MSG_BYTES, msg(m), L.MSG_BYTES);
  store<u32>(L.MESH + L.MESH_OUT_N, n + 1);
  release(m);
}

/** Take the messages the host put in the inbox (they continue their route here). */
function takeInbox(): void {
  const n = cfg(L.MESH_IN_N);
  for (let i: u32 = 0; i < n; i++) {
    const m = <u32>alloc();
    memory.copy(msg(m), L.INBOX + <usize>i * L.MSG_BYTES, L.MSG_BYTES);
    push(m);
  }
  store<u32>(L.MESH + L.MESH_IN_N, 0);
}

// ---- arrival ------------------------------------------------------------------------------------------

function invalidateCore(slot: u32, a: u64, len: u64): void { invalidateWords(coreBlock(slot), a, len); }

function sramOf(slot: u32): usize { return coreBlock(slot) + L.CORE_SRAM; }

function received(slot: u32, size: u32): void {
  const r = netOf(slot) + L.C_RECEIVED;
  store<f64>(r, load<f64>(r) + <f64>size);
}

/** Post `count` to semaphore reference `ref` (global core address | number) from core `slot` at `time`. */
function postFrom(slot: u32, ref: u64, count: u32, time: i64): void {
  const me = load<u32>(netOf(slot) + L.C_Y) * cfg(L.MESH_W) + load<u32>(netOf(slot) + L.C_X);
  const n = <u32>(ref & 0xff);
  const target = isGlobal(ref) ? gy(ref) * cfg(L.MESH_W) + gx(ref) : me;
  if (target == me) {
    post(slot, n, count, time);
    return;
  }
  const m = make(L.KIND_POST, slot, me, target, time, 0);
  store<u64>(msg(m) + L.MSG_AUX, n);
  store<u64>(msg(m) + L.MSG_AUX2, count);
  push(m);
}

/** The debugging build watching after accesses: a message that reads or writes a watch range of core
 * `slot` is a hit. */
function watchDelivery(slot: u32, isStore: bool, a: u64, n: u32): void {
  if (WATCHPOINTS && cfg(L.MESH_WATCH_AFTER) != 0 && watched(isStore, a, <u64>n)) noteHit(isStore ? L.WATCH_WRITE : L.WATCH_READ, slot, a, n);
}

/** The trace record of a message delivered to core `slot`: when it held the SRAM write port, and where
 * it came from. */
function traceMessage(h: usize, slot: u32, kind: usize, size: u32): void {
  const packets: i64 = size == 0 ? 1 : <i64>((size + 63) >> 6);
  const s = load<i64>(h + L.MSG_EJECT);
  const r = trace(L.TRACE_MESSAGE, slot, <u32>kind, size, s, s + packets * load<i64>(L.MESH + L.MESH_LINK_TICKS), load<u64>(h + L.MSG_PC));
  if (r == 0) return;
  store<u32>(r + L.TR_FROM, load<u32>(h + L.MSG_SRC));
  store<u32>(r + L.TR_SENDER, load<u32>(h + L.MSG_SENDER));
  store<i64>(r + L.TR_SENT, load<i64>(h + L.MSG_SENT));
  store<u32>(r + L.TR_ORIGIN, load<u32>(h + L.MSG_ORIGIN));
  store<u32>(r + L.TR_TARGET, <u32>load<u64>(h + (kind == L.KIND_POST || kind == L.KIND_FETCH ? L.MSG_AUX : L.MSG_ADDR)));
}

/** For the race checker: message h takes effect at core `slot`: a load or a fetch reads the bytes it names
 * there; a store or a piece of a transfer writes them, in runs of granules it changes or leaves as they
 * are (PUT records after the ARRIVE). */
function raceArrive(h: usize, slot: u32, kind: usize, size: u32): void {
  const reads = kind == L.KIND_LOAD || kind == L.KIND_FETCH;
  const a = reads ? load<u64>(h + (kind == L.KIND_LOAD ? L.MSG_ADDR : L.MSG_AUX)) : load<u64>(h + L.MSG_ADDR);
  const n = reads ? load<u32>(h + L.MSG_NEXT) : 0;
  raceLog(L.RK_ARRIVE, <u32>kind, slot, 0, n, a, load<u64>(h + L.MSG_SEQ));
  raceTouch(slot, a, n);
  if ((kind != L.KIND_STORE && kind != L.KIND_CHUNK) || (a & L.VREG_SPACE) != 0 || size == 0) return;
  const from = h + L.MSG_HEADER, to = sramOf(slot) + <usize>a;
  let start: u32 = 0, same = false;
  for (let i: u32 = 0; i < size; ) {
    const end = min(size, <u32>(((a + <u64>i) | 7) + 1 - a)); // the end of this granule's bytes
    let eq = true;
    for (let k = i; k < end; k++) if (load<u8>(from + <usize>k) != load<u8>(to + <usize>k)) eq = false;
    if (i > 0 && eq != same) {
      raceLog(L.RK_PUT, same ? 0 : 1, slot, 0, i - start, a + <u64>start, 0);
      start = i;
    }
    same = eq;
    i = end;
  }
  raceLog(L.RK_PUT, same ? 0 : 1, slot, 0, size - start, a + <u64>start, 0);
  raceTouch(slot, a, size);
}

/** A message takes effect; false when it must wait and stays in the heap (its TIME moved on). */
function arrive(m: u32): bool {
  const h = msg(m);
  const kind = <usize>load<u16>(h + L.MSG_KIND);
  const slot = slotOf(load<u32>(h + L.MSG_DST));
  const t = load<i64>(h + L.MSG_TIME);
  const size = <u32>load<u16>(h + L.MSG_SIZE);
  const me = load<u32>(h + L.MSG_DST);
  received(slot, size);
  if (RACES && kind != L.KIND_ENGINE) raceArrive(h, slot, kind, size);
  if (kind != L.KIND_ENGINE) {
    traceMessage(h, slot, kind, size);
    // what this message sends on (a reply, a piece, a post) comes from the network here, for its cause
    cause(load<u32>(h + L.MSG_ORIGIN), load<u64>(h + L.MSG_PC), L.SENDER_NETWORK << 8, load<i64>(h + L.MSG_EJECT));
  }
  if (kind == L.KIND_STORE || kind == L.KIND_CHUNK) {
    const a = load<u64>(h + L.MSG_ADDR);
    if ((a & L.VREG_SPACE) != 0) {
      // a gather into a thread's vector registers (always in its block)
      memory.copy(threadBlockOf(slot, <u32>(a >> 16) & 0xff) + L.T_VREGS + <usize>(a & 0xffff), payload(m), size);
    } else {
      memory.copy(sramOf(slot) + <usize>a, payload(m), size);
      invalidateCore(slot, a, size);
      watchDelivery(slot, true, a, size);
    }
    const n = load<u16>(h + L.MSG_POSTN);
    if (kind == L.KIND_CHUNK && n != 0) postFrom(slot, load<u64>(h + L.MSG_AUX), n, t);
  } else if (kind == L.KIND_LOAD) {
    // answer from this core's SRAM one cycle later (its SRAM read port)
    const n = load<u32>(h + L.MSG_NEXT);
    watchDelivery(slot, false, load<u64>(h + L.MSG_ADDR), n);
    const r = make(L.KIND_LOAD_REPLY, slot, me, load<u32>(h + L.MSG_SRC), t + L.TICKS, n);
    memory.copy(payload(r), sramOf(slot) + <usize>load<u64>(h + L.MSG_ADDR), n);
    store<u64>(msg(r) + L.MSG_AUX, load<u64>(h + L.MSG_AUX));
    push(r);
  } else if (kind == L.KIND_LOAD_REPLY) {
    const aux = load<u64>(h + L.MSG_AUX);
    const t2 = <u32>(aux & 0xff);
    const off = <usize>((aux >> 8) & 0xffff);
    if ((aux >> 40) & 1) {
      memory.copy(threadBlockOf(slot, t2) + L.T_VREGS + off, payload(m), size);
    } else {
      const v = loadSized(payload(m), size, ((aux >> 32) & 1) != 0);
      if (off != (<usize>L.X0_SINK << 3)) store<i64>(threadAt(slot, t2, L.REGS + off, L.T_XSAVE + off), v);
    }
    wake(slot, t2, t, L.STALL_NETWORK);
  } else if (kind == L.KIND_POST) {
    post(slot, <u32>load<u64>(h + L.MSG_AUX), <u32>load<u64>(h + L.MSG_AUX2), t);
  } else if (kind == L.KIND_FETCH) {
    // an engine elsewhere wants this piece: read it here and send it on to its destination
    const dst = load<u64>(h + L.MSG_ADDR);
    const n = load<u32>(h + L.MSG_NEXT); // the piece's size (a FETCH itself carries no data)
    watchDelivery(slot, false, load<u64>(h + L.MSG_AUX), n);
    const c = make(L.KIND_CHUNK, slot, me, gy(dst) * cfg(L.MESH_W) + gx(dst), t + L.TICKS, n);
    memory.copy(payload(c), sramOf(slot) + <usize>load<u64>(h + L.MSG_AUX), n);
    store<u64>(msg(c) + L.MSG_ADDR, offsetOf(dst));
    store<u64>(msg(c) + L.MSG_AUX, load<u64>(h + L.MSG_AUX2));
    store<u16>(msg(c) + L.MSG_POSTN, load<u16>(h + L.MSG_POSTN));
    push(c);
  } else if (kind == L.KIND_ENGINE) {
    if (!engineStep(slot, <u32>load<u64>(h + L.MSG_AUX), t)) {
      // no room in the network: this step comes back later
      store<i64>(h + L.MSG_TIME, t + ENGINE_BACKOFF * L.TICKS);
      return false;
    }
  }
  return true;
}

/**
 * Everything the network does up to the window's end, in (time, seq) order: messages from other
 * partitions join, injected messages are routed, arrived ones take effect (which may send more).
 * With `drain`, everything left, whatever its time (the machine has stopped). Returns STOP_WINDOW, or
 * STOP_WATCH right after a message that made a watch hit (the debugging build): call it again to go on.
 */
export function netWindow(drain: bool): u32 {
  takeInbox();
  if (WATCHPOINTS) store<u32>(L.MESH + L.MESH_HIT + L.HIT_WHAT, 0); // (one left by a faulting instruction)
  const end = load<i64>(L.MESH + L.MESH_WINDOW_END);
  while (cfg(L.MESH_HEAP_N) > 0 && (drain || heapMin() < end)) {
    const m = pop();
    progress();
    if (load<u8>(msg(m) + L.MSG_STAGE) == <u8>L.STAGE_INJECT) {
      route(m);
      continue;
    }
    if (WATCHPOINTS) setDelivering(msg(m));
    if (RACES) raceDelivering(true);
    const done = arrive(m);
    if (RACES) raceDelivering(false);
    if (WATCHPOINTS) setDelivering(0);
    if (done) release(m);
    else push(m);
    if (WATCHPOINTS && hitPending()) return L.STOP_WATCH;
  }
  reportLinks(drain ? i64.MAX_VALUE : end);
  return L.STOP_WINDOW;
}

/** The value of a scalar load of `size` bytes at p (sign- or zero-extended). */
function loadSized(p: usize, size: u32, signed: bool): i64 {
  if (size == 1) return signed ? <i64>load<i8>(p) : <i64>load<u8>(p);
  if (size == 2) return signed ? <i64>load<i16>(p) : <i64>load<u16>(p);
  if (size == 4) return signed ? <i64>load<i32>(p) : <i64>load<u32>(p);
  return load<i64>(p);
}

// ---- remote loads and stores from the running core ----------------------------------------------------

/** A load of `size` bytes at global address a (not local SRAM): this core's own global addresses are
 * plain loads; another core's send a LOAD and the thread waits for the reply. */
export function farLoad(d: usize, pc: u64, a: u64, size: u32, signed: bool, vreg: usize): u64 {
  const g = coreOf(a, size);
  if (g < 0) return trap(isGlobal(a) ? L.CAUSE_REMOTE : L.CAUSE_LOAD, a);
  const off = offsetOf(a);
  const slot = currentSlot();
  if (<u32>g == myCore()) {
    const p = sram(off, size, false);
    if (p == 0) return trap(L.CAUSE_LOAD, off); // a watched address (the debugging build)
    if (vreg != 0) memory.copy(vreg, p, size);
    else setRd(d, loadSized(p, size, signed));
    return pc + 4;
  }
  if (!room(1)) return retry();
  if (RACES) raceWatch(slot, a, size);
  causedBy(pc, liveClock());
  // the request carries no data: the size it asks for rides in NEXT
  const m = make(L.KIND_LOAD, slot, myCore(), <u32>g, liveClock(), 0);
  store<u64>(msg(m) + L.MSG_ADDR, off);
  store<u32>(msg(m) + L.MSG_NEXT, size);
  const regOff: u64 = vreg != 0 ? <u64>(vreg - tb - L.T_VREGS) : <u64>load<u16>(d, L.REC_RD);
  store<u64>(msg(m) + L.MSG_AUX, <u64>current() | (regOff << 8) | ((signed ? 1 : 0) << 32) | ((vreg != 0 ? 1 : 0) << 40));
  push(m);
  waitFor(L.WAIT_REMOTE, <u32>g, a);
  return L.SWITCH;
}

/** A store of `size` bytes from `src` (linear memory) to global address a: posted, the thread goes on. */
export function farStore(pc: u64, a: u64, src: usize, size: u32): u64 {
  const g = coreOf(a, size);
  if (g < 0) return trap(isGlobal(a) ? L.CAUSE_REMOTE : L.CAUSE_STORE, a);
  const off = offsetOf(a);
  const slot = currentSlot();
  if (<u32>g == myCore()) {
    const p = sram(off, size, true);
    if (p == 0) return trap(L.CAUSE_STORE, off); // a watched address (the debugging build)
    invalidateCore(slot, off, size);
    memory.copy(p, src, size);
    return pc + 4;
  }
  if (!room(1)) return retry();
  if (RACES) raceWatch(slot, a, size);
  causedBy(pc, liveClock());
  const m = make(L.KIND_STORE, slot, myCore(), <u32>g, liveClock(), size);
  store<u64>(msg(m) + L.MSG_ADDR, off);
  memory.copy(payload(m), src, size);
  push(m);
  return pc + 4;
}

/** The network is full: this thread waits for the next window and runs the instruction again. */
function retry(): u64 {
  const end = load<i64>(L.MESH + L.MESH_WINDOW_END);
  const c = liveClock();
  if (end > c) {
    setClock(end);
    const at = L.STALLS + (L.STALL_NETWORK << 3);
    store<i64>(at, load<i64>(at) + end - c);
  }
  return L.RETRY;
}

/** Remote semaphore post from the running core's instruction at pc. */
export function postRemote(pc: u64, ref: u64, count: u32, time: i64): bool {
  if (!room(1)) return false;
  causedBy(pc, time);
  postFrom(currentSlot(), ref, count, time);
  return true;
}

// ---- engines ------------------------------------------------------------------------------------------

/** E_BUSY: no work; between descriptors (the next step takes one from the queue); inside one. */
const IDLE: u32 = 0, BETWEEN: u32 = 1, INSIDE: u32 = 2;

// @ts-ignore: decorator
@inline function engineAt(slot: u32, e: u32): usize { return netOf(slot) + L.C_ENGINES + <usize>e * L.ENGINE_BYTES; }

/** Queue descriptor `desc` (local address) on engine e of the running core at `time` (the caller made
 * sure the network has room); false when its queue is full. */
export function startEngine(e: u32, desc: u64, pc: u64, time: i64): bool {
  spoil();
  const slot = currentSlot();
  const en = engineAt(slot, e);
  const head = load<u32>(en + L.E_QHEAD), tail = load<u32>(en + L.E_QTAIL);
  if (tail - head >= <u32>L.E_QSIZE) return false;
  const q = en + L.E_QUEUE + (<usize>(tail % <u32>L.E_QSIZE) << 4);
  store<u64>(q, desc);
  store<u64>(q + 8, pc | (<u64>current() << 48));
  store<u32>(en + L.E_QTAIL, tail + 1);
  if (RACES) {
    raceSyncLog(L.RK_QUEUE, e, slot, current(), 0, desc);
    raceWatchDescriptor(slot, e, desc);
  }
  if (load<u32>(en + L.E_BUSY) == IDLE) {
    store<u32>(en + L.E_BUSY, BETWEEN);
    cause(myCore(), pc, (L.SENDER_ENGINE << 8) | e, time);
    stepLater(slot, e, time);
  }
  return true;
}

const RACE_ROWS: u32 = 4096;

/** For the race checker: the bytes a descriptor reads and writes are watched from its start (a request's
 * first one when it is queued), so that what the cores there do to them before the data moves is seen. */
function raceWatchDescriptor(slot: u32, e: u32, desc: u64): void {
  if ((desc & 7) != 0 || desc + L.DESC_BYTES > <u64>L.SRAM_SIZE) return;
  const d = sramOf(slot) + <usize>desc;
  const len = load<u32>(d + L.D_LEN), rows = load<u32>(d + L.D_ROWS);
  const toV = e == <u32>L.ENGINE_GATHER && (load<u32>(d + L.D_FLAGS) & L.DF_TO_VREGS) != 0;
  // (the first rows: a descriptor of more is watched as its data comes)
  for (let r: u32 = 0; r < rows && r < RACE_ROWS; r++) {
    if (e != <u32>L.ENGINE_GATHER) raceWatch(slot, load<u64>(d + L.D_SRC) + <u64>(<i64>r * load<i64>(d + L.D_SSTRIDE)), len);
    if (!toV) raceWatch(slot, load<u64>(d + L.D_DST) + <u64>(<i64>r * load<i64>(d + L.D_DSTRIDE)), len);
  }
}

/** For the race checker: [a, a + n) (a local address of core `slot`, or a global one) is watched, when it is
 * in this instance. */
function raceWatch(slot: u32, a: u64, n: u32): void {
  const ga = globalize(slot, a);
  const g = coreOf(ga, n);
  if (g >= 0 && routerOf(<u32>g) >= 0) raceTouch(slotOf(<u32>g), offsetOf(ga), n);
}

function stepLater(slot: u32, e: u32, time: i64): void {
  const me = load<u32>(netOf(slot) + L.C_Y) * cfg(L.MESH_W) + load<u32>(netOf(slot) + L.C_X);
  const m = make(L.KIND_ENGINE, slot, me, me, time, 0);
  store<u8>(msg(m) + L.MSG_STAGE, <u8>L.STAGE_ARRIVE);
  store<u64>(msg(m) + L.MSG_AUX, e);
  push(m);
}

function engineFault(slot: u32, e: u32, code: u32, desc: u64): void {
  const en = engineAt(slot, e);
  event(L.EVENT_ENGINE_FAULT, slot, e, code, desc, load<u64>(en + L.E_PC));
  store<u32>(en + L.E_BUSY, IDLE);
}

/** Load the descriptor at local address `desc` into the engine; false (and a fault event) if it is bad. */
function loadDescriptor(slot: u32, e: u32, desc: u64): bool {
  const en = engineAt(slot, e);
  if ((desc & 7) != 0 || desc + L.DESC_BYTES > <u64>L.SRAM_SIZE) {
    engineFault(slot, e, (desc & 7) != 0 ? <u32>L.EFAULT_MISALIGNED : <u32>L.EFAULT_BAD_ADDRESS, desc);
    return false;
  }
  memory.copy(en + L.E_COPY, sramOf(slot) + <usize>desc, L.DESC_BYTES);
  store<u64>(en + L.E_DESC, desc);
  store<u32>(en + L.E_ROW, 0);
  store<u32>(en + L.E_OFFSET, 0);
  const len = load<u32>(en + L.E_COPY + L.D_LEN);
  if (e == <u32>L.ENGINE_GATHER && <usize>len > L.CHUNK_BYTES) {
    engineFault(slot, e, <u32>L.EFAULT_TOO_LONG, desc);
    return false;
  }
  return true;
}

/** A local address of core `slot` or a global one, as a global address (the engine's own core for local). */
function globalize(slot: u32, a: u64): u64 {
  if (isGlobal(a)) return a;
  return (<u64>1 << L.GLOBAL_FLAG_BIT) | (<u64>load<u32>(netOf(slot) + L.C_Y) << L.GLOBAL_Y_SHIFT) | (<u64>load<u32>(netOf(slot) + L.C_X) << L.GLOBAL_X_SHIFT) | a;
}

/** Cycles an engine waits for room among the messages before it tries again. */
const ENGINE_BACKOFF: i64 = 16;

/** The engine's next piece: send it (or ask its source for it), and come back when the engine's SRAM
 * port is free again; after a descriptor's last piece take the next one (list parser: the next field,
 * with Brent's cycle check; others: the queue). Returns false when the network has no room: the caller
 * keeps the step for later. */
function engineStep(slot: u32, e: u32, t: i64): bool {
  if (!room(2)) return false;
  const en = engineAt(slot, e);
  const me = load<u32>(netOf(slot) + L.C_Y) * cfg(L.MESH_W) + load<u32>(netOf(slot) + L.C_X);
  if (load<u32>(en + L.E_BUSY) == IDLE) return true;
  if (load<u32>(en + L.E_BUSY) == BETWEEN) {
    // take the next queued descriptor
    const head = load<u32>(en + L.E_QHEAD);
    if (head == load<u32>(en + L.E_QTAIL)) {
      store<u32>(en + L.E_BUSY, IDLE);
      return true;
    }
    store<u32>(en + L.E_BUSY, INSIDE);
    // (for the trace: it starts when the last one ended, if later, so the engine's descriptors do not
    // overlap there: a thread woken in the last window may start it at an earlier time)
    if (t > load<i64>(en + L.E_T0)) store<i64>(en + L.E_T0, t);
    const q = en + L.E_QUEUE + (<usize>(head % <u32>L.E_QSIZE) << 4);
    store<u32>(en + L.E_QHEAD, head + 1);
    store<u64>(en + L.E_PC, load<u64>(q + 8) & 0xffff_ffff_ffff);
    store<u32>(en + L.E_THREAD, <u32>(load<u64>(q + 8) >> 48));
    store<u32>(en + L.E_WALKED, 0);
    store<u32>(en + L.E_POWER, 1);
    store<u64>(en + L.E_MARK, load<u64>(q));
    if (RACES) raceLog(L.RK_DESC, 1, slot, e, 0, load<u64>(q), 0);
    if (!loadDescriptor(slot, e, load<u64>(q))) return true;
  }
  cause(me, load<u64>(en + L.E_PC), (L.SENDER_ENGINE << 8) | e, t);
  const c = en + L.E_COPY;
  const len = load<u32>(c + L.D_LEN), rows = load<u32>(c + L.D_ROWS);
  let row = load<u32>(en + L.E_ROW), off = load<u32>(en + L.E_OFFSET);
  let next = t;
  if (len != 0 && rows != 0) {
    let n = len - off;
    if (<usize>n > L.CHUNK_BYTES) n = <u32>L.CHUNK_BYTES;
    // a gather into vector registers: row r lands in register dst + r of the thread that started it
    const toV = e == <u32>L.ENGINE_GATHER && (load<u32>(c + L.D_FLAGS) & L.DF_TO_VREGS) != 0;
    if (toV && (len > <u32>L.VREG_BYTES || load<u64>(c + L.D_DST) + <u64>rows > 32)) {
      engineFault(slot, e, <u32>L.EFAULT_TOO_LONG, load<u64>(en + L.E_DESC));
      return true;
    }
    let src: u64;
    const dst = toV
      ? globalize(slot, L.VREG_SPACE | (<u64>load<u32>(en + L.E_THREAD) << 16) | ((load<u64>(c + L.D_DST) + <u64>row) << L.VREG_SHIFT))
      : globalize(slot, load<u64>(c + L.D_DST) + <u64>(<i64>row * load<i64>(c + L.D_DSTRIDE)) + off);
    if (e == <u32>L.ENGINE_GATHER) {
      const table = load<u64>(c + L.D_SRC) + (<u64>row << 3);
      if (table + 8 > <u64>L.SRAM_SIZE) { engineFault(slot, e, <u32>L.EFAULT_BAD_ADDRESS, load<u64>(en + L.E_DESC)); return true; }
      src = globalize(slot, load<u64>(sramOf(slot) + <usize>table));
    } else src = globalize(slot, load<u64>(c + L.D_SRC) + <u64>(<i64>row * load<i64>(c + L.D_SSTRIDE)) + off);
    const sg = coreOf(src, n), dg = toV ? <i32>me : coreOf(dst, n);
    if (sg < 0 || dg < 0) {
      engineFault(slot, e, <u32>(isGlobal(sg < 0 ? src : dst) && !enabledAddr(sg < 0 ? src : dst) ? L.EFAULT_DISABLED : L.EFAULT_BAD_ADDRESS), load<u64>(en + L.E_DESC));
      return true;
    }
    off += n;
    if (off >= len) { off = 0; row++; }
    const last = row >= rows;
    const count = <u16>load<u32>(c + L.D_COUNT);
    let m: u32;
    if (<u32>sg == me) {
      watchDelivery(slot, false, offsetOf(src), n);
      if (RACES) {
        raceLog(L.RK_ENGINE_READ, 0, slot, e, n, offsetOf(src), 0);
        raceTouch(slot, offsetOf(src), n);
      }
      m = make(L.KIND_CHUNK, slot, me, <u32>dg, t, n);
      memory.copy(payload(m), sramOf(slot) + <usize>offsetOf(src), n);
      store<u64>(msg(m) + L.MSG_ADDR, offsetOf(dst));
      store<u64>(msg(m) + L.MSG_AUX, globalize(slot, load<u64>(c + L.D_SEM)));
    } else {
      m = make(L.KIND_FETCH, slot, me, <u32>sg, t, 0);
      store<u64>(msg(m) + L.MSG_ADDR, dst);
      store<u64>(msg(m) + L.MSG_AUX, offsetOf(src));
      store<u64>(msg(m) + L.MSG_AUX2, globalize(slot, load<u64>(c + L.D_SEM)));
      store<u32>(msg(m) + L.MSG_NEXT, n);
    }
    if (last) store<u16>(msg(m) + L.MSG_POSTN, count);
    push(m);
    // the engine moves one 64-byte packet a cycle through its core's SRAM port
    next = t + <i64>((n + 63) >> 6) * L.TICKS;
    store<u32>(en + L.E_ROW, row);
    store<u32>(en + L.E_OFFSET, off);
    if (!last) {
      stepLater(slot, e, next);
      return true;
    }
  }
  // this descriptor is done
  const t0 = load<i64>(en + L.E_T0);
  const end = next > t0 ? next : t0;
  trace(L.TRACE_ENGINE, slot, e, 0, t0, end, load<u64>(en + L.E_DESC));
  store<i64>(en + L.E_T0, end);
  if (e == <u32>L.ENGINE_LIST) {
    const nd = load<u64>(c + L.D_NEXT);
    if (nd != 0) {
      // Brent: a list that comes back to a marked descriptor loops forever
      if (nd == load<u64>(en + L.E_MARK)) { engineFault(slot, e, <u32>L.EFAULT_LOOP, nd); return true; }
      let walked = load<u32>(en + L.E_WALKED) + 1;
      const power = load<u32>(en + L.E_POWER);
      if (walked == power) {
        store<u64>(en + L.E_MARK, nd);
        store<u32>(en + L.E_POWER, power << 1);
        walked = 0;
      }
      store<u32>(en + L.E_WALKED, walked);
      if (RACES) {
        raceLog(L.RK_DESC, 0, slot, e, 0, nd, 0);
        raceWatchDescriptor(slot, e, nd);
      }
      if (!loadDescriptor(slot, e, nd)) return true;
      stepLater(slot, e, next);
      return true;
    }
  }
  store<u32>(en + L.E_BUSY, BETWEEN);
  stepLater(slot, e, next);
  return true;
}

function enabledAddr(a: u64): bool { return enabled(gx(a), gy(a)); }
