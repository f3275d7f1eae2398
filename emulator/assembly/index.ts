// The wasm core's exports: the ABI between the core and the host (emulator/host/core.ts).
import * as L from './generated/layout';

import { resetThreads } from './threads';

export { run } from './loop';
export { setWatch } from './state';

/** Make sure the linear memory holds every region of the layout (the first time: no watchpoints). */
function ensureMemory(): void {
  const have = <usize>memory.size();
  if (have < L.PAGES) {
    memory.grow(<i32>(L.PAGES - have));
    store<u64>(L.WATCH_FLOOR, u64.MAX_VALUE);
  }
}

const SENTINEL: usize = L.PREDEC + (L.SRAM_SIZE << 2);

/** Power-on reset: state, SRAM and predecoded records all zero. */
export function reset(): void {
  ensureMemory();
  memory.fill(L.REGS, 0, SENTINEL - L.REGS);
  resetThreads();
  invalidateAll();
}

/** Forget every predecoded record (after the host wrote SRAM). */
export function invalidateAll(): void {
  memory.fill(L.PREDEC, 0, L.SRAM_SIZE << 2);
  store<u16>(SENTINEL, <u16>L.OP_FETCH_END, L.REC_OP);
}

/** Forget the predecoded records of [addr, addr + len). */
export function invalidateRange(addr: u32, len: u32): void {
  if (len == 0) return;
  const first = <usize>(addr >> 2);
  const last = <usize>((addr + len - 1) >> 2);
  memory.fill(L.PREDEC + (first << 4), 0, (last - first + 1) << 4);
}

/** Set or clear a debugger breakpoint on the word at addr (kept across reset and loads). */
export function setBreakpoint(addr: u32, on: bool): void {
  store<u8>(L.BREAKS + <usize>(addr >> 2), on ? 1 : 0);
  invalidateRange(addr & ~3, 4);
}
