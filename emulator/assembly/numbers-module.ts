// The number-format library compiled alone (dist/d1-numbers.wasm) for the host: the assembler's data
// directives, the debugger's lane views and the tests use exactly the code the core runs.
import { nflags, srStep } from './numbers';

export { clearFlags, decode, encode, srDraw } from './numbers';

/** Flags raised since clearFlags(). */
export function flags(): u32 { return nflags; }

/** The generator's next state (SplitMix64 step). */
export function srNext(state: u64): u64 { return srStep(state); }
