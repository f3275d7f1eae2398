// The cycle model of an instruction for the block compiler, written once as a list of steps over named
// values (as emulator/gen timingSource writes it for the interpreter: wait for the source registers, a
// dependency stall; the vector issue slot and the unit (a SIMD, vector memory or matrix unit stall); the
// SRAM port, an SRAM stall; take them; the thread's next issue is its decode share later; the results are
// ready after the latency; the counts; a taken branch or jump redirects the front end). Two readers:
// `emitSteps` writes them as wasm over the block's locals (the general case), and `Schedule` runs them at
// compile time from an assumed entry state (every value read an offset from the entry clock), giving
// every model value as an offset from the entry clock (the static schedule a stretch uses when its entry
// state is that one: see translate.ts).
import { ticksOf } from '../../layout.js';
import { D1_CORE } from '../../presets.js';
import { immediate } from '../../record.js';
import { REDIRECT_PENALTY, TIMING } from '../../../isa/timing.js';
import type { Instr } from '../../../isa/types.js';
import type { Rec } from './semantics.js';

/** A model value: the clock, scratch r and t, a unit's or port's next-free time (matrix unit n: `mu<n>`),
 * accumulator n's ready time (`acc<n>`), a stall total, the decode share, a count, or a register's ready
 * time: x register n (0..32, 32 the x0 sink) as n, vector register n as VREG + n. */
export type Value =
  | 'clk' | 'r' | 't' | 'iu' | 'au' | 'lp' | 'sp' | 'vi' | 'su' | 'vm' | `mu${0 | 1 | 2 | 3}` | `acc${0 | 1 | 2 | 3}`
  | 'sDep' | 'sSram' | 'sBranch' | 'sSimd' | 'sMatrix' | 'share'
  | 'loads' | 'stores' | 'simdBusy' | 'matrixBusy' | 'matrixOps' | 'vinsns'
  | number;

/** Vector register n's ready time is the value VREG + n. */
export const VREG = 64;

export type Step =
  | { k: 'set'; d: Value; s: Value }
  | { k: 'max'; d: Value; s: Value }
  /** acc += max(a - b, 0) (`ge`: a >= b is known, so just a - b) */
  | { k: 'stall'; acc: Value; a: Value; b: Value; ge?: boolean }
  | { k: 'add'; d: Value; s: Value; c: bigint }
  | { k: 'addv'; d: Value; s: Value; v: Value };

const ticks = (cycles: number): bigint => BigInt(ticksOf(cycles));

/** The steps of instruction i with predecoded record x (docs/machine.md, "Cycle model"; the interpreter's
 * are emulator/gen timingSource, which these follow step for step). */
export function steps(i: Instr, x: Rec): Step[] {
  const tm = TIMING[i.timing];
  const c = D1_CORE;
  const xreg = (slot: number): Value => slot >> 3;
  const vreg = (slot: number, k = 0): Value => VREG + (((slot >> 6) + k) & 31);
  const acc = (name: string) => `acc${immediate(i, x, name)}` as Value;
  const out: Step[] = [{ k: 'set', d: 'r', s: 'clk' }];
  for (const o of i.operands) {
    if (o === 'rs1') out.push({ k: 'max', d: 'r', s: xreg(x.rs1) });
    else if (o === 'rs2') out.push({ k: 'max', d: 'r', s: xreg(x.aux) });
    else if (o === 'vs1') out.push({ k: 'max', d: 'r', s: vreg(x.rs1) });
    else if (o === 'vs2') out.push({ k: 'max', d: 'r', s: vreg(x.aux) });
    else if (o === 'vs3' || (o === 'vd' && i.flags?.readsDest)) out.push({ k: 'max', d: 'r', s: vreg(x.rd) });
    else if (o === 'acc1') out.push({ k: 'max', d: 'r', s: acc('acc1') });
  }
  // a register group (vtrn): every register of the source group
  for (let k = 1; k < (i.group ?? 1); k++) out.push({ k: 'max', d: 'r', s: vreg(x.rs1, k) });
  out.push({ k: 'stall', acc: 'sDep', a: 'r', b: 'clk', ge: true }, { k: 'set', d: 't', s: 'r' });
  const busy = i.busy ?? tm.busy ?? (tm.unit === 'matrix' ? c.matrixCycles : 1);
  const takes: Step[] = [];
  if (tm.unit === 'int' || tm.unit === 'addr') {
    const unit = tm.unit === 'int' ? 'iu' : 'au';
    out.push({ k: 'max', d: 't', s: unit });
    takes.push({ k: 'add', d: unit, s: 't', c: ticks(busy / (tm.unit === 'int' ? c.intUnits : c.addrUnits)) });
  } else {
    out.push({ k: 'max', d: 't', s: 'vi' });
    takes.push({ k: 'add', d: 'vi', s: 't', c: ticks(1 / c.vectorIssue) });
    const [unit, stall, occupied]: [Value, Value, number] =
      tm.unit === 'matrix' ? [`mu${immediate(i, x, i.operands.includes('acc1') ? 'acc1' : 'acc')}` as Value, 'sMatrix', busy]
      : tm.unit === 'simd' ? ['su', 'sSimd', busy] : ['vm', 'sSram', busy / c.vectorMemPipes];
    out.push({ k: 'stall', acc: stall, a: unit, b: 't' }, { k: 'max', d: 't', s: unit });
    takes.push({ k: 'add', d: unit, s: 't', c: ticks(occupied) });
  }
  const port = tm.load ? 'lp' : tm.store ? 'sp' : undefined;
  if (port) {
    out.push({ k: 'stall', acc: 'sSram', a: port, b: 't' }, { k: 'max', d: 't', s: port });
    takes.push({ k: 'add', d: port, s: 't', c: ticks(tm.load ? tm.load / c.sramLoadBytesPerCycle : tm.store! / c.sramStoreBytesPerCycle) });
  }
  out.push(...takes, { k: 'addv', d: 'clk', s: 't', v: 'share' });
  const lat = ticks(tm.latency);
  if (i.operands.includes('rd')) out.push({ k: 'add', d: xreg(x.rd), s: 't', c: lat });
  else if (i.operands.includes('vd')) for (let k = 0; k < (i.group ?? 1); k++) out.push({ k: 'add', d: vreg(x.rd, k), s: 't', c: lat });
  if (i.operands.includes('acc')) out.push({ k: 'add', d: acc('acc'), s: 't', c: lat });
  const count = (v: Value, by: number) => out.push({ k: 'add', d: v, s: v, c: BigInt(by) });
  if (tm.unit === 'simd') count('simdBusy', busy);
  if (tm.unit === 'matrix' && i.mnemonic === 'mma') {
    count('matrixBusy', busy);
    count('matrixOps', 1);
  }
  if (tm.load) count('loads', tm.load);
  if (tm.store) count('stores', tm.store);
  if (tm.unit !== 'int' && tm.unit !== 'addr') count('vinsns', 1);
  return out;
}

/** A taken branch or jump, after its instruction's steps: the front end's redirect. */
export const REDIRECT: Step[] = [
  { k: 'add', d: 'r', s: 't', c: ticks(1 + REDIRECT_PENALTY) },
  { k: 'stall', acc: 'sBranch', a: 'r', b: 'clk' },
  { k: 'max', d: 'clk', s: 'r' },
];

/** What a stretch's static schedule assumes and produces (offsets from the entry clock, in ticks). */
export class Schedule {
  /** Values read before the stretch writes them: the entry state must have them where `assumed` says. */
  readonly inputs = new Set<Value>();
  /** Values the stretch has written so far, with their offsets. */
  readonly v = new Map<Value, bigint>();

  /** `assumed`: the entry offsets of values read before written that are past the entry clock (every
   * other such value at or before it, which the model treats alike: it only ever takes the later of a
   * value and a time at or after the clock). */
  constructor(readonly share: bigint, readonly assumed: ReadonlyMap<Value, bigint> = new Map()) {
    this.v.set('clk', 0n);
  }

  private get(x: Value): bigint {
    if (x === 'share') return this.share;
    const have = this.v.get(x);
    if (have !== undefined) return have;
    // read before written: a stall total or a count starts from nothing here
    if (TOTALS.has(x)) return 0n;
    this.inputs.add(x);
    const a = this.assumed.get(x) ?? 0n;
    return a > 0n ? a : 0n;
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
    const c = new Schedule(this.share, this.assumed);
    for (const [k, x] of this.v) c.v.set(k, x);
    for (const x of this.inputs) c.inputs.add(x);
    return c;
  }
}

/** The totals a stretch adds to (stall causes, byte counts, the vector units' counts), not values it
 * holds from one instruction to the next. */
export const TOTALS = new Set<Value>(['sDep', 'sSram', 'sBranch', 'sSimd', 'sMatrix', 'loads', 'stores', 'simdBusy', 'matrixBusy', 'matrixOps', 'vinsns']);
/** A value the model keeps from one instruction to the next (not a total, not scratch, not the clock). */
export const isHeld = (v: Value): boolean => !TOTALS.has(v) && v !== 'clk' && v !== 'r' && v !== 't' && v !== 'share';

/** A stretch's static schedule: what it reads at entry and where it assumes those values (offsets past
 * the entry clock; any other input at or before it), and the model's offsets after each instruction
 * (after[k]: k done; unless every one was wanted, only the last) and after each taken branch or jump
 * (taken[k]). */
export interface Plan {
  inputs: Set<Value>;
  assumed: ReadonlyMap<Value, bigint>;
  /** All the entry state it was given (inputs or not): what it knows of values it leaves as they were. */
  known: ReadonlyMap<Value, bigint>;
  after: Map<Value, bigint>[];
  taken: Map<Value, bigint>[];
}

/** The static schedule of a stretch: each instruction's steps, and whether it can redirect the front end
 * (a branch or jump); `redirect` the steps of a redirect; `share` the decode share it assumes; `assumed`
 * the entry state it assumes (offsets past the entry clock); `every`: the state after each instruction
 * is wanted (else after the last only; after each taken branch or jump always). */
export function planOf(insns: { steps: Step[]; redirects: boolean }[], redirect: Step[], share: bigint, assumed: ReadonlyMap<Value, bigint> = new Map(), every = true): Plan {
  const s = new Schedule(share, assumed);
  const after = [s.snapshot()];
  const taken: Map<Value, bigint>[] = [];
  insns.forEach((insn, k) => {
    s.run(insn.steps);
    taken.push(insn.redirects ? s.clone().run(redirect).snapshot() : new Map());
    after.push(every || k === insns.length - 1 ? s.snapshot() : new Map());
  });
  // (only the inputs' assumptions matter: the entry check tests those)
  const used = new Map([...assumed].filter(([v, a]) => s.inputs.has(v) && a > 0n));
  return { inputs: s.inputs, assumed: used, known: assumed, after, taken };
}

/** Where a static body's state (of plan `from`) has each held value it knows, as an offset past its clock
 * (0: at or before it): what it wrote, and what it left as it was given it (inputs as their entry check
 * requires them, others as the entry state it was planned for had them). */
export function offsetsAt(from: Plan, state: Map<Value, bigint>): Map<Value, bigint> {
  const clk = state.get('clk')!;
  const out = new Map<Value, bigint>();
  for (const [v, x] of from.known) if (isHeld(v) && !state.has(v) && !from.inputs.has(v)) out.set(v, x - clk);
  for (const v of from.inputs) if (!state.has(v)) out.set(v, (from.assumed.get(v) ?? 0n) - clk);
  for (const [v, x] of state) if (isHeld(v)) out.set(v, x - clk);
  for (const [v, x] of out) out.set(v, x > 0n ? x : 0n);
  return out;
}

/** Whether a static body's state (of plan `from`) passes the entry check of plan `to`: every input of
 * `to` exactly where `to` assumes it (at or before the clock when it assumes nothing). A value the state
 * has not written is as it was at `from`'s entry: known if `from` read it, unknown otherwise. */
export function passes(from: Plan, state: Map<Value, bigint>, to: Plan): boolean {
  const known = offsetsAt(from, state);
  for (const v of to.inputs) {
    const x = known.get(v);
    if (x === undefined || x !== (to.assumed.get(v) ?? 0n)) return false;
  }
  return true;
}
