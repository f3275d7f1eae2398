// The cycle model's state outside the run loop (docs/machine.md, "Cycle model"). While the loop runs,
// generated/dispatch.ts (written by emulator/gen from isa/timing.ts) keeps the running thread's clock, the
// shared resources' next-free times and the stalls in its globals; between runs they rest in linear memory
// (CLOCK, RESOURCES, STALLS), where threads.ts, the CSR reads and the host find them. The host computes
// a run's cycle count from that state alone, so it does not depend on how the run was sliced.
import * as L from './generated/layout';

// @ts-ignore: decorator
@inline function res(r: usize): f64 { return load<f64>(L.RESOURCES + r); }

/** The running thread's clock (ticks). */
// @ts-ignore: decorator
@inline export function clock(): i64 { return load<i64>(L.CLOCK); }

/** Add to a per-core total (busy cycles, bytes, counts). */
// @ts-ignore: decorator
@inline export function count(r: usize, v: f64): void { store<f64>(L.RESOURCES + r, res(r) + v); }
