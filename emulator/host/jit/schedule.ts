// The cycle model of a scalar instruction for the block compiler, written once as a list of steps over
// named values (as emulator/gen timingSource writes it for the interpreter: wait for the source registers,
// a dependency stall; the unit; the SRAM port, an SRAM stall; take them; the thread's next issue is its
// decode share later; the result is ready after the latency; a taken branch or jump redirects the front
// end). Two readers: `emitSteps` writes them as wasm over the block's locals (the general case), and
// `Schedule` runs them at compile time from a state where everything is ready at the stretch's entry,
// giving every model value as an offset from the entry clock (the static schedule a stretch uses when its
// entry state is that one: see translate.ts).
import { ticksOf } from '../../layout.js';
import { D1_CORE } from '../../presets.js';
import { REDIRECT_PENALTY, TIMING } from '../../../isa/timing.js';
import type { Instr } from '../../../isa/types.js';

/** A model value: the clock, scratch r and t, a unit's or port's next-free time, a stall total, the decode
 * share, the byte counts, or register n's ready time (a number). */
export type Value = 'clk' | 'r' | 't' | 'iu' | 'au' | 'lp' | 'sp' | 'sDep' | 'sSram' | 'sBranch' | 'share' | 'loads' | 'stores' | number;

export type Step =
  | { k: 'set'; d: Value; s: Value }
  | { k: 'max'; d: Value; s: Value }
  /** acc += max(a - b, 0) (`ge`: a >= b is known, so just a - b) */
  | { k: 'stall'; acc: Value; a: Value; b: Value; ge?: boolean }
  | { k: 'add'; d: Value; s: Value; c: bigint }
  | { k: 'addv'; d: Value; s: Value; v: Value };

const ticks = (cycles: number): bigint => BigInt(ticksOf(cycles));

/** The steps of instruction i; rs1, rs2 and rd are register numbers (rd 32: the x0 sink). */
export function steps(i: Instr, rs1: number, rs2: number, rd: number): Step[] {
  const tm = TIMING[i.timing];
  const c = D1_CORE;
  const out: Step[] = [{ k: 'set', d: 'r', s: 'clk' }];
  if (i.operands.includes('rs1')) out.push({ k: 'max', d: 'r', s: rs1 });
  if (i.operands.includes('rs2')) out.push({ k: 'max', d: 'r', s: rs2 });
  out.push({ k: 'stall', acc: 'sDep', a: 'r', b: 'clk', ge: true }, { k: 'set', d: 't', s: 'r' });
  const unit = tm.unit === 'int' ? 'iu' : 'au';
  out.push({ k: 'max', d: 't', s: unit });
  const port = tm.load ? 'lp' : tm.store ? 'sp' : undefined;
  if (port) out.push({ k: 'stall', acc: 'sSram', a: port, b: 't' }, { k: 'max', d: 't', s: port });
  const busy = i.busy ?? tm.busy ?? 1;
  out.push({ k: 'add', d: unit, s: 't', c: ticks(busy / (tm.unit === 'int' ? c.intUnits : c.addrUnits)) });
  if (port) {
    out.push({ k: 'add', d: port, s: 't', c: ticks(tm.load ? tm.load / c.sramLoadBytesPerCycle : tm.store! / c.sramStoreBytesPerCycle) });
    const count = tm.load ? 'loads' : 'stores';
    out.push({ k: 'add', d: count, s: count, c: BigInt(tm.load ?? tm.store!) });
  }
  out.push({ k: 'addv', d: 'clk', s: 't', v: 'share' });
  if (i.operands.includes('rd')) out.push({ k: 'add', d: rd, s: 't', c: ticks(tm.latency) });
  return out;
}

/** A taken branch or jump, after its instruction's steps: the front end's redirect. */
export const REDIRECT: Step[] = [
  { k: 'add', d: 'r', s: 't', c: ticks(1 + REDIRECT_PENALTY) },
  { k: 'stall', acc: 'sBranch', a: 'r', b: 'clk' },
  { k: 'max', d: 'clk', s: 'r' },
];

/** Whether the unit an instruction's steps reserve is a scalar one (the block compiler translates only those). */
export const scalar = (i: Instr): boolean => TIMING[i.timing].unit === 'int' || TIMING[i.timing].unit === 'addr';

/** What a stretch's static schedule assumes and produces (offsets from the entry clock, in ticks). */
export class Schedule {
  /** Values read before the stretch writes them: the entry state must have them at or before the clock. */
  readonly inputs = new Set<Value>();
  /** Values the stretch has written so far, with their offsets. */
  readonly v = new Map<Value, bigint>();

  constructor(readonly share: bigint) {
    this.v.set('clk', 0n);
  }

  private get(x: Value): bigint {
    if (x === 'share') return this.share;
    const have = this.v.get(x);
    if (have !== undefined) return have;
    // read before written: ready at the entry (a stall total or a count starts from nothing here)
    if (x !== 'sDep' && x !== 'sSram' && x !== 'sBranch' && x !== 'loads' && x !== 'stores') this.inputs.add(x);
    return 0n;
  }

  run(list: Step[]): this {
    for (const s of list) {
      if (s.k === 'set') this.v.set(s.d, this.get(s.s));
      else if (s.k === 'max') {
        const a = this.get(s.d), b = this.get(s.s);
        this.v.set(s.d, a > b ? a : b);
      } else if (s.k === 'stall') {
        const d = this.get(s.a) - this.get(s.b);
        this.v.set(s.acc, this.get(s.acc) + (d > 0n ? d : 0n));
      } else if (s.k === 'add') this.v.set(s.d, this.get(s.s) + s.c);
      else this.v.set(s.d, this.get(s.s) + this.get(s.v));
    }
    return this;
  }

  /** The state now, to go on from (a copy). */
  snapshot(): Map<Value, bigint> {
    return new Map(this.v);
  }

  clone(): Schedule {
    const c = new Schedule(this.share);
    for (const [k, x] of this.v) c.v.set(k, x);
    for (const x of this.inputs) c.inputs.add(x);
    return c;
  }
}

/** The totals a stretch adds to (stall causes, byte counts), not values it holds from one instruction to
 * the next. */
export const TOTALS = new Set<Value>(['sDep', 'sSram', 'sBranch', 'loads', 'stores']);
/** A value the model keeps from one instruction to the next (not a total, not scratch, not the clock). */
export const isHeld = (v: Value): boolean => !TOTALS.has(v) && v !== 'clk' && v !== 'r' && v !== 't' && v !== 'share';

/** A stretch's static schedule: what it reads at entry, and the model's offsets after each instruction
 * (after[k]: k done) and after each taken branch or jump (taken[k]). */
export interface Plan {
  inputs: Set<Value>;
  after: Map<Value, bigint>[];
  taken: Map<Value, bigint>[];
}

/** The static schedule of a stretch: each instruction's steps, and whether it can redirect the front end
 * (a branch or jump); `redirect` the steps of a redirect; `share` the decode share it assumes. */
export function planOf(insns: { steps: Step[]; redirects: boolean }[], redirect: Step[], share: bigint): Plan {
  const s = new Schedule(share);
  const after = [s.snapshot()];
  const taken: Map<Value, bigint>[] = [];
  for (const insn of insns) {
    s.run(insn.steps);
    taken.push(insn.redirects ? s.clone().run(redirect).snapshot() : new Map());
    after.push(s.snapshot());
  }
  return { inputs: s.inputs, after, taken };
}

/** Whether a static body's state (of plan `from`) passes the entry check of plan `to`: every input of
 * `to` at or before the clock. A value the state has not written is as it was at `from`'s entry: at or
 * before that clock if `from` read it, unknown otherwise. */
export function passes(from: Plan, state: Map<Value, bigint>, to: Plan): boolean {
  const clk = state.get('clk')!;
  for (const v of to.inputs) {
    const x = state.get(v) ?? (from.inputs.has(v) ? 0n : undefined);
    if (x === undefined || x > clk) return false;
  }
  return true;
}
