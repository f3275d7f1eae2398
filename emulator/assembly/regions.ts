// Profiling regions (docs/machine.md, "Statistics"): a thread writes the region CSR to say which part of
// the program it is in; the core adds up, per region, what its threads did while in it (instructions,
// cycles, stalls by cause, SRAM bytes). A switch closes the thread's stretch in its old region; the host
// adds the stretches still open when it reads the table (emulator/host/core.ts regions).
import * as L from './generated/layout';
import { modelStore } from './generated/dispatch';
import { coreAt, currentSlot, tb } from './state';
import { trace } from './mesh';
import { current, threadInstret } from './threads';
import { clock } from './timing';

/** The running thread (n instructions into this run) enters region r (0..REGION_COUNT-1). */
export function enterRegion(r: u64, n: u64): void {
  modelStore(); // the running thread's stall counters to memory
  const row = coreAt + L.CORE_REGIONS + <usize>load<u64>(tb + L.T_REGION) * L.REGION_BYTES;
  const instret = threadInstret(n);
  const loads = load<f64>(L.RESOURCES + L.CM_LOAD_BYTES), stores = load<f64>(L.RESOURCES + L.CM_STORE_BYTES);
  store<u64>(row + L.REGION_INSTRET, load<u64>(row + L.REGION_INSTRET) + instret - load<u64>(tb + L.T_REGION_INSTRET));
  store<i64>(row + L.REGION_CYCLES, load<i64>(row + L.REGION_CYCLES) + clock() - load<i64>(tb + L.T_REGION_CLOCK));
  store<f64>(row + L.REGION_LOADS, load<f64>(row + L.REGION_LOADS) + loads - load<f64>(tb + L.T_REGION_LOADS));
  store<f64>(row + L.REGION_STORES, load<f64>(row + L.REGION_STORES) + stores - load<f64>(tb + L.T_REGION_STORES));
  for (let k: usize = 0; k < L.STALL_COUNT; k++) {
    const at = row + L.REGION_STALLS + (k << 3);
    store<i64>(at, load<i64>(at) + load<i64>(L.STALLS + (k << 3)) - load<i64>(tb + L.T_REGION_STALLS + (k << 3)));
  }
  trace(L.TRACE_REGION, currentSlot(), current(), <u32>load<u64>(tb + L.T_REGION), load<i64>(tb + L.T_REGION_CLOCK), clock(), 0);
  store<u64>(tb + L.T_REGION, r);
  markRegionStart(tb, instret, clock(), L.STALLS);
}

/** A thread (block b) starts a stretch now: its counters (stalls at `stalls`) and the core's bytes. */
export function markRegionStart(b: usize, instret: u64, now: i64, stalls: usize): void {
  store<u64>(b + L.T_REGION_INSTRET, instret);
  store<i64>(b + L.T_REGION_CLOCK, now);
  store<f64>(b + L.T_REGION_LOADS, load<f64>(L.RESOURCES + L.CM_LOAD_BYTES));
  store<f64>(b + L.T_REGION_STORES, load<f64>(L.RESOURCES + L.CM_STORE_BYTES));
  memory.copy(b + L.T_REGION_STALLS, stalls, L.STALL_COUNT << 3);
}
