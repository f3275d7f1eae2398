// Semantics of the D1 data-movement and synchronisation instructions (isa/ext/d1n.ts; docs/machine.md,
// "Mesh"). They are timing class `system`, so the thread's clock is in memory (timing.ts clock()).
import * as L from '../generated/layout';
import { event, post, semAt, semChanged } from '../mesh';
import { isGlobal, postRemote, room, startEngine } from '../net';
import { currentSlot, setRd, trap, x1, x2 } from '../state';
import { current, waitFor } from '../threads';
import { clock } from '../timing';
import { RACES } from '../generated/build';
import { raceSyncLog } from '../races';

function syncFault(pc: u64, why: usize): u64 {
  store<u32>(L.FAULT_WORD, <u32>why);
  return trap(L.CAUSE_SYNC, pc);
}

export function exec_swait(d: usize, pc: u64, n: u64): u64 {
  const s = <u64>x1(d);
  if (s >= <u64>L.SEM_COUNT) return syncFault(pc, L.SYNC_SEMAPHORE);
  const want = <u32>x2(d);
  const at = semAt(currentSlot(), <u32>s);
  const have = load<u32>(at);
  if (have >= want) {
    store<u32>(at, have - want);
    if (RACES) raceSyncLog(L.RK_TAKE, <u32>s, currentSlot(), current(), want, 0);
    semChanged(currentSlot(), <u32>s, have, clock());
    return pc + 4;
  }
  waitFor(L.WAIT_SEMAPHORE, <u32>s, want);
  return L.SWITCH;
}

export function exec_spost(d: usize, pc: u64, n: u64): u64 {
  const ref = <u64>x1(d);
  if ((ref & 0xffff_ffff) >= <u64>L.SEM_COUNT || (!isGlobal(ref) && ref >= <u64>L.SEM_COUNT)) return syncFault(pc, L.SYNC_SEMAPHORE);
  if (!isGlobal(ref)) {
    post(currentSlot(), <u32>ref, <u32>x2(d), clock());
    return pc + 4;
  }
  return postRemote(pc, ref, <u32>x2(d), clock()) ? pc + 4 : L.RETRY;
}

export function exec_sget(d: usize, pc: u64, n: u64): u64 {
  const s = <u64>x1(d);
  if (s >= <u64>L.SEM_COUNT) return syncFault(pc, L.SYNC_SEMAPHORE);
  setRd(d, <i64>load<u32>(semAt(currentSlot(), <u32>s)));
  return pc + 4;
}

export function exec_barrier(d: usize, pc: u64, n: u64): u64 {
  const g = <u64>x1(d);
  if (g != u64.MAX_VALUE) {
    const x0 = <u32>(g & 0xff), y0 = <u32>((g >> 8) & 0xff), x1v = <u32>((g >> 16) & 0xff), y1 = <u32>((g >> 24) & 0xff);
    const w = load<u32>(L.MESH + L.MESH_W), h = load<u32>(L.MESH + L.MESH_H);
    if ((g >> 32) != 0 || x0 > x1v || y0 > y1 || x1v >= w || y1 >= h) return syncFault(pc, L.SYNC_GROUP);
  }
  if (!event(L.EVENT_BARRIER, currentSlot(), current(), 0, g, <u64>clock())) return L.RETRY;
  waitFor(L.WAIT_BARRIER, 0, g);
  return L.SWITCH;
}

function engine(d: usize, pc: u64, e: usize): u64 {
  if (!room(1)) return L.RETRY; // the network is full: run it again next window
  return startEngine(<u32>e, <u64>x1(d), pc, clock()) ? pc + 4 : syncFault(pc, L.SYNC_QUEUE_FULL);
}

export function exec_dma_copy(d: usize, pc: u64, n: u64): u64 { return engine(d, pc, L.ENGINE_DMA); }
export function exec_dma_list(d: usize, pc: u64, n: u64): u64 { return engine(d, pc, L.ENGINE_LIST); }
export function exec_dma_gather(d: usize, pc: u64, n: u64): u64 { return engine(d, pc, L.ENGINE_GATHER); }
