// The cycle model's state outside the run loop (docs/machine.md, "Cycle model"). The loop itself
// (generated/run.ts, written by emulator/gen from isa/timing.ts) keeps the running thread's clock, the
// shared resources' next-free times and the stalls in locals; between runs they rest in linear memory
// (CLOCK, RESOURCES, STALLS), where threads.ts, the CSR reads and the host find them.
import * as L from './generated/layout';
import { tb } from './state';

// @ts-ignore: decorator
@inline function res(r: usize): f64 { return load<f64>(L.RESOURCES + r); }

/** The running thread's clock (ticks). */
// @ts-ignore: decorator
@inline export function clock(): i64 { return load<i64>(L.CLOCK); }

/** Add to a per-core total (busy cycles, bytes, counts). */
// @ts-ignore: decorator
@inline export function count(r: usize, v: f64): void { store<f64>(L.RESOURCES + r, res(r) + v); }

// @ts-ignore: decorator
@inline function hi(a: i64, b: i64): i64 { return a > b ? a : b; }
// @ts-ignore: decorator
@inline function tick(r: usize): i64 { return load<i64>(L.RESOURCES + r); }

/** After a run: the horizon, the latest tick anything issued so far completes. */
export function updateHorizon(): void {
  let h = hi(tick(L.CM_HORIZON), hi(clock(), hi(tick(L.CM_LOAD), tick(L.CM_STORE))));
  for (let i: usize = 0; i < 33; i++) h = hi(h, load<i64>(L.XREADY + (i << 3)));
  for (let i: usize = 0; i < 32; i++) h = hi(h, load<i64>(tb + L.T_VREADY + (i << 3)));
  for (let i: usize = 0; i < 4; i++) h = hi(h, hi(tick(L.CM_ACC_READY + (i << 3)), tick(L.CM_MATRIX + (i << 3))));
  store<i64>(L.RESOURCES + L.CM_HORIZON, h);
}
