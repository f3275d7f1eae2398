// The wasm core's exports: the ABI between the core and the host (emulator/host/core.ts, mesh.ts).
import * as L from './generated/layout';

import { resetThreads } from './threads';
import { breaksAt, coreAt, invalidateWords, predecAt, resetMarks, selectCore } from './state';

export { run } from './loop';
export { setWatch, selectCore } from './state';
export { runWindows, lockstep, laneRun, release, runnableCores, liveCores, earliest, nextWindowEnd, allLive } from './mesh';
export { settle } from './speculate';
import { allLive } from './mesh';
export { netWindow, heapMin } from './net';
export { setJit, recordAt, codeWritten, vexec, vtime, vredirect, vstored, vreplay, linkAt } from './jit';
export { mma } from './exec/d1m';
// The cycle model's and the scheduler's globals that compiled blocks import (emulator/host/jit/imports.ts).
export { clk, iu, au, lp, sp, vi, su, vm, sDep, sSram, sBranch, sSimd, sMatrix } from './generated/dispatch';
export { decodeShare, switchAt, passWindow, smallEnd, passTo } from './threads';
export { tb } from './state';

/** Make sure the linear memory holds the fixed regions and `cores` core blocks (fresh pages are zero). */
function ensureMemory(cores: u32): void {
  const need = (L.CORES + <usize>cores * L.CORE_BYTES + 0xffff) >> 16;
  const have = <usize>memory.size();
  if (have < need) {
    if (memory.grow(<i32>(need - have)) < 0) unreachable();
    if (load<u64>(L.MESH + L.MESH_WATCH_FLOOR) == 0) store<u64>(L.MESH + L.MESH_WATCH_FLOOR, u64.MAX_VALUE);
  }
}

/** A fresh instance for `cores` cores (the host writes the configuration into MESH, SLOT_MAP and each
 * core's CORE_NET): thread 0 of every core runs, every sentinel record is in place. Pages nobody
 * touches stay untouched, so an idle core costs almost no memory. */
export function initCores(cores: u32): void {
  ensureMemory(cores);
  for (let s: u32 = 0; s < cores; s++) {
    selectCore(s);
    resetThreads();
    store<u16>(predecAt + (L.SRAM_SIZE << 2), <u16>L.OP_FETCH_END, L.REC_OP);
  }
  selectCore(0);
  allLive(cores);
}

/** Forget every predecoded record of the selected core (after the host wrote SRAM). */
export function invalidateAll(): void {
  // only spans where words were decoded have records (the rest of the records' pages stay untouched)
  const spans = coreAt + L.CORE_DECODED;
  for (let s: usize = 0; s < L.SRAM_SIZE / L.DECODED_SPAN; s++) {
    if (load<u8>(spans + s) == 0) continue;
    memory.fill(predecAt + ((s * L.DECODED_SPAN) << 2), 0, L.DECODED_SPAN << 2);
    store<u8>(spans + s, 0);
  }
  resetMarks(coreAt, 0);
  store<u32>(coreAt + L.CORE_CODEGEN, load<u32>(coreAt + L.CORE_CODEGEN) + 1);
  store<u16>(predecAt + (L.SRAM_SIZE << 2), <u16>L.OP_FETCH_END, L.REC_OP);
}

/** Forget the predecoded records of [addr, addr + len) of the selected core. */
export function invalidateRange(addr: u32, len: u32): void { invalidateWords(coreAt, addr, len); }

/** Set or clear a debugger breakpoint on the selected core's word at addr (kept across loads). */
export function setBreakpoint(addr: u32, on: bool): void {
  store<u8>(breaksAt + <usize>(addr >> 2), on ? 1 : 0);
  invalidateRange(addr & ~3, 4);
}
