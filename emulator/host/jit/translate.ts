// The block compiler's translator (docs/machine.md, "Block compiler"): the code a core reaches from a hot
// branch target becomes one WebAssembly function with exactly the interpreter's effect, instruction by
// instruction: the same registers, memory, predecoded-record invalidation, cycle model and counts.
//
// The function runs a region's sub-blocks (region.ts), passing between them inside (a switch on the
// sub-block number) where the interpreter would go on too: after a taken branch only while the thread's
// clock is at or before switchAt, and only when the next sub-block's longest path fits in the instruction
// budget. Otherwise it returns where it went. An instruction that would fault or reach another core (a
// load or store outside SRAM, a misaligned vector access, a jump to a bad target, a lane format the
// instruction does not take) is left to the interpreter: the function returns just before it, with
// nothing of it done.
//
// Guest registers live in locals; the cycle model stays where the interpreter keeps it (model.ts). Each
// sub-block has a static body, taken when the decode share is a lone thread's and every value the stretch
// reads before writing it is where its plan assumes (at or before the entry clock, or exactly as many
// ticks past it as assumed): it runs the instructions alone and sets the model from offsets computed at
// compile time (schedule.ts) where it leaves the stretch (where it leaves before the stretch's end, the
// core replays the model of the instructions done: emulator/assembly/jit.ts vreplay). The entry's stretch
// assumes the state the core is in when the region is compiled; a stretch reached from another assumes
// the state that one's static body leaves there. Where the check fails, a general body runs the
// interpreter's model instruction by instruction (jit.ts vtime); a region is first compiled without them
// (such a stretch is left to the interpreter, the block's exit saying so) and compiled again with them if
// that keeps happening (jit.ts called).
//
// The function: (core: i32, room: i64) -> i64, returning npc | count << 32 | failed << 62 | taken << 63.
import { LAYOUT, MESH_CFG, ticksOf } from '../../layout.js';
import { immediate } from '../../record.js';
import { D1_CORE } from '../../presets.js';
import { Body, I32, I64, OP, uleb } from './wasm.js';
import { CODE_WRITTEN, PASS_WINDOW, VREDIRECT, VREPLAY, VSTORED, VTIME } from './imports.js';
import { A, BASE, CLK0, CORE, EXIT, FLOOR, ISSUED, LOCAL_TYPES, LOOPED, MARK, RET, ROOM, STATE, TAKEN, TB, VAL, ZERO } from './locals.js';
import { add, global, read, setGlobal, stateShift, write } from './model.js';
import { discover, links, modelOf, reg } from './region.js';
import { BRANCHES, LOADS_BY, STORES_BY, VALUE, x1, x2, type Rec } from './semantics.js';
import { isHeld, offsetsAt, passes, planOf, TOTALS, type Plan, type Value } from './schedule.js';
import { afterCall, call, callMma, move, vectorKind, WIDEN_BOTH, Widened } from './vector.js';

export { FUNCTIONS, GLOBALS } from './imports.js';

/** A lone thread's decode share (emulator/assembly/threads.ts decodeShare), which static schedules assume. */
const ALONE = BigInt(ticksOf(1 / D1_CORE.threadDecodeWidth));

export interface Block {
  /** Instructions on the longest path of the entry's sub-block (the budget a call needs). */
  length: number;
  /** The SRAM byte ranges [start, end) whose words the region holds (its code lines). */
  ranges: [number, number][];
  locals: number[];
  body: number[];
  usesMulhu: boolean;
  /** The state its entry's static schedule assumes (offsets past the clock of the values past it). */
  entry: ReadonlyMap<Value, bigint>;
  /** Where a stretch of it cut at its length goes on straight outside it (past the region's limits), and
   * the model's state its static body leaves there (offsets past the clock): code that runs when this
   * does, compiled ahead (emulator/host/jit/index.ts). */
  next?: { pc: bigint; state: Map<Value, bigint> };
}

/**
 * Translate the region at `entry`, reading predecoded records with `rec`; it takes in only targets
 * that execution has `reached` (code never run stays out). `observe` gives the core's model state now
 * (where a value is, in ticks past the clock): the entry's static schedule assumes it. `general`: with
 * general bodies. Null when the entry's instruction cannot be translated.
 */
export function translate(
  entry: bigint,
  rec: (pc: bigint) => Rec,
  reached: (pc: bigint) => boolean = () => true,
  build: { timing: boolean; watch: boolean; races?: boolean } = { timing: true, watch: false },
  observe: (v: Value) => bigint = () => 0n,
  general = true,
): Block | null {
  const { timing, watch } = build;
  const races = !!build.races;
  const model = modelOf(timing);
  /** General bodies (`general`; not in the functional build, whose schedules always hold): else a stretch
   * whose entry check fails is left to the interpreter. */
  const generals = timing && general;
  const subs = discover(entry, rec, reached, races);
  if (subs[0]!.insns.length === 0) return null;
  const all = subs.flatMap((s) => s.insns);
  const subAt = new Map<bigint, number>();
  subs.forEach((s, k) => s.insns.length > 0 && subAt.set(s.pc, k));
  /** Where a jalr with an unknown target may land inside: the region's return points (a few, tried in turn). */
  const returns = [...new Set(all.filter(links).map(({ pc }) => pc + 4n))].filter((t) => subAt.has(t)).slice(0, 8);

  // registers read and written
  const regs = new Set<number>(), writes = new Set<number>();
  for (const { x, i } of all) {
    if (i.operands.includes('rs1')) regs.add(reg(x.rs1));
    if (i.operands.includes('rs2')) regs.add(reg(x.aux));
    if (i.operands.includes('rd')) {
      regs.add(reg(x.rd));
      writes.add(reg(x.rd));
    }
  }
  const b = new Body();
  for (const r of [...regs].sort((p, q) => p - q)) if (r !== 0) b.i32(0).mem(OP.i64_load, LAYOUT.REGS + stateShift + 8 * r).set(VAL(r));
  global(b, 'tb');
  b.set(TB);
  b.zero128().set(ZERO);
  // the debugging build: the lowest address a watch range covers (all ones when none)
  if (watch) b.i32(0).mem(OP.i64_load, LAYOUT.MESH + MESH_CFG.WATCH_FLOOR).set(FLOOR);
  // the race-checking build: the running thread's mark (emulator/assembly/races.ts)
  if (races) b.i32(1).i32(0).mem(OP.i32_load, LAYOUT.CUR_THREAD + stateShift).op(OP.i32_shl).set(MARK);

  // Static schedules: the entry's stretch assumes the state now; another, the state the static body of
  // the stretch that added it leaves where it goes on to it (a return point assumes nothing past the clock)
  const planAll = (entryAssumed: ReadonlyMap<Value, bigint>): Plan[] => {
    const plans: Plan[] = [];
    subs.forEach((sub, k) => {
      const from = sub.from && plans[sub.from.sub]!;
      const assumed = k === 0 ? entryAssumed : from ? offsetsAt(from, sub.from!.taken ? from.taken[sub.from!.k]! : from.after[sub.from!.k]!) : new Map<Value, bigint>();
      // (the state after every instruction is wanted where a static body sets it there itself: a stretch
      // that may loop on itself, or the functional build's)
      const backs = sub.insns.flatMap((s, j) => (s.target === sub.pc ? [j] : []));
      const every = !model.timing || backs.length > 0;
      const plan = (a: ReadonlyMap<Value, bigint>) => planOf(sub.insns.map((insn) => ({ steps: model.of(insn), redirects: !!(insn.i.flags?.branch || insn.i.flags?.jump) })), model.redirect, ALONE, a, every);
      let p = plan(assumed);
      // A stretch that loops on itself assumes the state it leaves when it goes round (its steady state,
      // which a few rounds reach from the one it was first found in): then it goes round statically.
      for (let round = 0; backs.length === 1 && model.timing && round < 8 && !passes(p, p.taken[backs[0]!]!, p); round++) {
        p = plan(offsetsAt(p, p.taken[backs[0]!]!));
      }
      plans.push(p);
    });
    return plans;
  };
  const observed = new Map<Value, bigint>();
  for (const insn of subs[0]!.insns) {
    for (const s of model.of(insn)) {
      for (const v of s.k === 'stall' ? [s.a, s.b] : [s.s, s.d]) if (isHeld(v) && !observed.has(v)) observed.set(v, observe(v));
    }
  }
  let plans = planAll(observed);
  // A loop through several stretches back to the entry: the entry's stretch assumes the state the loop
  // comes back with (a few rounds reach its steady state), so that it goes round statically.
  for (let round = 0; model.timing && round < 8; round++) {
    const back = subs.flatMap((s, j) => s.insns.flatMap((insn, k) => (insn.target === entry && j > 0 ? [plans[j]!.taken[k] && offsetsAt(plans[j]!, plans[j]!.taken[k]!)] : [])))[0];
    if (!back) break;
    const p0 = plans[0]!;
    if ([...p0.inputs].every((v) => (back.get(v) ?? -1n) === (p0.assumed.get(v) ?? 0n))) break;
    plans = planAll(back);
  }
  const entryState = plans[0]!.assumed;

  const OUT = b.depth;
  b.open(OP.block, I64);
  const TOP = b.depth;
  b.open(OP.loop);
  // The switch: three cases a sub-block (its entry check, its static body, its general body); STATE j runs
  // sub-block j's check, n + j its static body directly (where its entry state is known to pass), 2n + j
  // its general body (where the check fails; where there are none, the check leaves to the interpreter)
  const n = subs.length;
  const caseAt: number[] = [];
  for (let c = 3 * n - 1; c >= 0; c--) {
    caseAt[c] = b.depth;
    b.open(OP.block);
  }
  b.get(STATE).op(OP.br_table);
  uleb(b.code, 3 * n);
  for (let k = 0; k < 3 * n; k++) uleb(b.code, k < n ? 3 * k : k < 2 * n ? 3 * (k - n) + 1 : 3 * (k - 2 * n) + 2);
  uleb(b.code, 0);

  /** Leave the function: npc (a constant, or a local holding it), `done` instructions of this pass;
   * `failed`: a stretch's entry check failed where there is no general body (the interpreter runs it). */
  const exit = (npc: bigint | number, done: number, taken: boolean, failed = false) => {
    const flags = (taken ? 1n << 63n : 0n) | (failed ? 1n << 62n : 0n);
    if (typeof npc === 'bigint') b.i64(npc | flags);
    else {
      b.get(npc);
      if (flags) b.i64(flags).op(OP.i64_or);
    }
    b.get(BASE).i64(BigInt(done)).op(OP.i64_add).i64(32n).op(OP.i64_shl, OP.i64_or);
    b.br(OUT);
  };
  /**
   * Go on at `target` after `done` instructions of sub-block `from`: inside when the interpreter would.
   * From a static body (`state`: the model's state there), straight into the target's static body when
   * its entry check is known to pass (into this body's own loop, `again`, when the target is its start).
   */
  /** Push whether the thread goes on after a taken branch, its clock being what `clock` pushes: as the
   * interpreter's loop has it, at or before switchAt, or past the end of a speculative window that a lone
   * thread passes (emulator/assembly/threads.ts passWindow, called here as the loop would call it). */
  const goesOn = (clock: () => void) => {
    const windowTicks = () => b.i32(0).mem(OP.i64_load, LAYOUT.MESH + MESH_CFG.WINDOW);
    clock();
    global(b, 'switchAt');
    b.op(OP.i64_le_s).open(OP.if, I32).i32(1).op(OP.else);
    // the next window's end, while passTo says passWindow would just move on to it; else passWindow
    clock();
    global(b, 'passTo');
    b.op(OP.i64_lt_s);
    clock();
    global(b, 'smallEnd');
    windowTicks();
    b.op(OP.i64_add, OP.i64_lt_s, OP.i32_and).open(OP.if, I32);
    global(b, 'smallEnd');
    windowTicks();
    b.op(OP.i64_add);
    setGlobal(b, 'smallEnd');
    global(b, 'smallEnd');
    b.i64(1n).op(OP.i64_sub);
    setGlobal(b, 'switchAt');
    b.i32(1).op(OP.else);
    clock();
    b.op(OP.call, PASS_WINDOW).end().end();
  };
  const next = (target: bigint, done: number, taken: boolean, from: number, state?: Map<Value, bigint>, again?: number) => {
    const j = subAt.get(target);
    if (j !== undefined) {
      if (taken) {
        read(b, 'clk');
        global(b, 'switchAt');
        b.op(OP.i64_le_s);
      }
      b.get(BASE).i64(BigInt(done + subs[j]!.insns.length)).op(OP.i64_add).get(ROOM).op(OP.i64_le_u);
      if (taken) b.op(OP.i32_and);
      b.open(OP.if);
      b.get(BASE).i64(BigInt(done)).op(OP.i64_add).set(BASE);
      const ready = state !== undefined && passes(plans[from]!, state, plans[j]!);
      if (ready && j === from && again !== undefined) {
        read(b, 'clk');
        b.set(CLK0).br(again);
      } else {
        // (how it got there, for a stretch that leaves at its check: emulator/assembly/loop.ts)
        if (!ready && !generals) b.i32(taken ? 1 : 0).set(TAKEN);
        b.i32(ready ? n + j : j).set(STATE).br(TOP);
      }
      b.end();
    }
    exit(target, done, taken);
  };

  /**
   * A sub-block's instructions. `general`: the general body, which runs the interpreter's model (on its
   * state) instruction by instruction; otherwise the static body, where `sync(point)` sets the model to
   * its state at that point before the code leaves the stretch: after k instructions ({ k }), or after
   * instruction k taken ({ k, taken }).
   */
  const body = (k0: number, general: boolean) => {
    const sub = subs[k0]!;
    const plan = plans[k0]!;
    /** The static body's model state at a point: after k instructions, or after instruction k taken. */
    const at = (p: { k: number; taken?: boolean }) => (p.taken ? plan.taken[p.k]! : plan.after[p.k]!);
    // A static body that branches back to its start from one place (kb) with its entry check passing
    // there loops without setting the model each time round: only the clock and the totals move on, and
    // LOOPED says that the values the loop writes are the last round's (the clock then less a round).
    const backs = general ? [] : sub.insns.flatMap((s, k) => (s.target === sub.pc && (s.i.flags?.branch || s.i.flags?.jump) && passes(plan, plan.taken[k]!, plan) ? [k] : []));
    const kb = backs.length === 1 ? backs[0]! : undefined;
    const round = kb !== undefined ? plan.taken[kb]! : undefined;
    const sync = (p: { k: number; taken?: boolean }) => {
      if (general) return;
      const state = at(p);
      if (round) {
        for (const [v, off] of round) {
          if (state.has(v) || !isHeld(v)) continue;
          b.get(LOOPED).open(OP.if);
          write(b, v, () => b.get(CLK0).i64(off - round.get('clk')!).op(OP.i64_add));
          b.end();
        }
      }
      setModel(b, state);
    };
    /** Go on after a point, with what the static body knows there. */
    const go = (target: bigint, p: { k: number; taken?: boolean }, done: number, taken: boolean) =>
      next(target, done, taken, k0, general ? undefined : at(p), AGAIN);
    // Leaving before instruction k (or right after a store into code: k the one after it). The general
    // body just leaves. The static body has to set the model to its state there first: the core replays
    // the model of instructions 0..k-1 (the interpreter's, jit.ts vreplay) on the entry state, which the
    // model still holds, after COLD (EXIT = k). A static body that loops on itself (the model is a round
    // behind), or the functional build's, sets the state at the point itself, out of the straight line
    // (after COLD too; `leaving` the points, EXIT the index).
    const leaving: { k: number; pc: bigint }[] = [];
    const replays = !general && model.timing && !round;
    const leaveAt = (k: number, pc: bigint) => {
      if (general) exit(pc, k, false);
      else if (replays) b.i32(k).set(EXIT).br(COLD);
      else b.i32(leaving.push({ k, pc }) - 1).set(EXIT).br(COLD);
    };
    /** Leave before instruction k (at pc) when `cond` (an i32 it pushes) holds (a branch out of the
     * straight line, in a replaying static body: no block to merge back from). */
    const leaveIf = (k: number, pc: bigint, cond: () => void) => {
      if (replays) {
        b.i32(k).set(EXIT);
        cond();
        b.br(COLD, OP.br_if);
        return;
      }
      cond();
      b.open(OP.if);
      leaveAt(k, pc);
      b.end();
    };
    /** A store into code lines that compiled code holds (the condition on the stack, tested before the
     * store): `store` does it (and drops the core's compiled code), then the block leaves after it. In a
     * replaying static body the model of instructions 0..k (the store's too) is replayed first, while the
     * stretch's words are still the ones it was compiled from. */
    const intoCode = (k: number, pc: bigint, store: () => void) => {
      b.open(OP.if);
      if (replays) b.i32(Number(sub.pc)).i32(k + 1).op(OP.call, VREPLAY);
      store();
      if (replays || general) exit(pc + 4n, k + 1, false);
      else leaveAt(k + 1, pc + 4n);
      b.end();
    };
    /** mma's operands widened along the stretch (a general body widens every time). */
    const widened = new Widened();
    const COLD = b.depth;
    b.open(OP.block);
    if (round) b.i32(0).set(LOOPED);
    const AGAIN = b.depth;
    b.open(OP.loop);
    /** The address rs1 + imm into A; leave before this instruction when [A, A + size) is not in SRAM (or,
     * in the debugging build, may touch a watch range: the interpreter checks it, emulator/assembly/state.ts
     * sram; or, in the race-checking build, the interpreter is to log it: the thread's mark is set in the
     * first or last granule, emulator/assembly/races.ts). */
    const address = (x: Rec, size: number, k: number, pc: bigint, store: boolean, aligned = false) => {
      leaveIf(k, pc, () => {
        x1(b, x);
        b.i64(x.imm).op(OP.i64_add).tee(A).i64(BigInt(LAYOUT.SRAM_SIZE - size)).op(OP.i64_gt_u);
        // (a vector access: misaligned faults; aligned outside SRAM is another core's, or faults)
        if (aligned) b.get(A).i64(BigInt(size - 1)).op(OP.i64_and, OP.i64_eqz, OP.i32_eqz, OP.i32_or);
        if (watch) b.get(A).i64(BigInt(size)).op(OP.i64_add).get(FLOOR).op(OP.i64_gt_u, OP.i32_or);
      });
      if (!races) return;
      leaveIf(k, pc, () => {
        for (const off of [0n, BigInt(size - 1)]) b.get(CORE).get(A).i64(off).op(OP.i64_add, OP.i32_wrap_i64).i32(3).op(OP.i32_shr_u, OP.i32_add).mem(OP.i32_load8_u, LAYOUT.CORE_RACEMAP);
        b.op(OP.i32_or).get(MARK);
        if (store) b.i32(4).op(OP.i32_shl);
        b.op(OP.i32_and);
      });
    };
    sub.insns.forEach((insn, k) => {
      const { pc, x, i } = insn;
      const m = i.mnemonic;
      // checks that leave before the instruction come first: nothing of it has happened yet
      if (m in LOADS_BY) address(x, LOADS_BY[m]![1], k, pc, false);
      if (m in STORES_BY) address(x, STORES_BY[m]![1], k, pc, true);
      if (m === 'vld') address(x, LAYOUT.VREG_BYTES, k, pc, false, true);
      if (m === 'vst') address(x, LAYOUT.VREG_BYTES, k, pc, true, true);
      const vector = vectorKind(i, races);
      if (vector === 'call') {
        // the core's semantics, which return TRAP with nothing done when the instruction faults (its lane
        // format, a register group): the interpreter runs it then
        leaveIf(k, pc, () => {
          call(b, i, x, pc);
          b.i64(-1n).op(OP.i64_eq);
        });
        afterCall(b, i, x);
      } else if (vector === 'mma') {
        const wide = general ? WIDEN_BOTH : widened.mma(x.rs1, x.aux, immediate(i, x, 'fmt'));
        leaveIf(k, pc, () => {
          callMma(b, i, x, wide);
          b.op(OP.i32_eqz);
        });
      }
      if (vector === 'move' && i.operands.includes('vd')) widened.wrote(x.rd);
      else if (vector === 'call') widened.reset();
      if (m === 'jalr' && insn.target === undefined) {
        leaveIf(k, pc, () => {
          x1(b, x);
          b.i64(x.imm).op(OP.i64_add).i64(-2n).op(OP.i64_and).tee(A).i64(BigInt(LAYOUT.SRAM_SIZE)).op(OP.i64_ge_u);
          b.get(A).i64(3n).op(OP.i64_and, OP.i64_eqz, OP.i32_eqz, OP.i32_or);
        });
      }
      if (general) {
        // the model: the interpreter's, on its state
        const r = BigInt(x.op) | (BigInt(x.rd) << 16n) | (BigInt(x.rs1) << 32n) | (BigInt(x.aux) << 48n);
        b.i64(r).i64(x.imm).op(OP.call, VTIME);
        if (i.flags?.branch || i.flags?.jump) b.set(ISSUED);
        else b.op(OP.drop);
      }
      if (vector === 'move' && m === 'vst') {
        // into a line not marked with the epoch (compiled code holds it, or a speculation has not logged it
        // yet): first the core forgets the records, drops its compiled code or logs the line (jit.ts
        // vstored); where it dropped compiled code, the block stores and leaves. Elsewhere, where words were
        // decoded, the core forgets their records after the store.
        const vstored = () => b.get(A).op(OP.i32_wrap_i64, OP.call, VSTORED, OP.drop);
        b.get(CORE).get(A).op(OP.i32_wrap_i64).i32(6).op(OP.i32_shr_u, OP.i32_add).mem(OP.i32_load8_u, LAYOUT.CORE_CODELINES);
        epoch(b);
        b.op(OP.i32_xor).open(OP.if);
        b.get(A).op(OP.i32_wrap_i64, OP.call, VSTORED);
        intoCode(k, pc, () => move(b, i, x));
        b.end();
        move(b, i, x);
        decodedAt(b, 0n);
        b.open(OP.if);
        vstored();
        b.end();
      } else if (vector === 'move') {
        move(b, i, x);
      } else if (m in VALUE) {
        VALUE[m]!(b, x, pc);
        b.set(VAL(reg(x.rd)));
      } else if (m in LOADS_BY) {
        b.get(CORE).get(A).op(OP.i32_wrap_i64, OP.i32_add).mem(LOADS_BY[m]![0], LAYOUT.CORE_SRAM).set(VAL(reg(x.rd)));
      } else if (m in STORES_BY) {
        const size = STORES_BY[m]![1];
        const store = () => {
          b.get(CORE).get(A).op(OP.i32_wrap_i64, OP.i32_add);
          x2(b, x);
          b.mem(STORES_BY[m]![0], LAYOUT.CORE_SRAM);
          // forget the predecoded records of the words written, where words were decoded
          // (emulator/assembly/state.ts invalidate)
          decodedAt(b, 0n);
          if (size > 1) {
            decodedAt(b, BigInt(size - 1));
            b.op(OP.i32_or);
          }
          b.open(OP.if);
          for (const off of size === 8 ? [0n, 4n, 7n] : size === 1 ? [0n] : [0n, BigInt(size - 1)]) {
            b.get(CORE).get(A).i64(off).op(OP.i64_add, OP.i32_wrap_i64).i32(2).op(OP.i32_shr_u).i32(4).op(OP.i32_shl, OP.i32_add).i32(0).mem(OP.i32_store16, LAYOUT.CORE_PREDEC);
          }
          b.end();
        };
        // a line not marked with the epoch (compiled code holds it, or a speculation has not logged it yet:
        // emulator/assembly/speculate.ts): the slow path first (state.ts touchLines); when that dropped the
        // core's compiled code, store and leave (this block may be it)
        b.get(CORE).get(A).op(OP.i32_wrap_i64).i32(6).op(OP.i32_shr_u, OP.i32_add).mem(OP.i32_load8_u, LAYOUT.CORE_CODELINES);
        epoch(b);
        b.op(OP.i32_xor);
        b.get(CORE).get(A).i64(BigInt(size - 1)).op(OP.i64_add, OP.i32_wrap_i64).i32(6).op(OP.i32_shr_u, OP.i32_add).mem(OP.i32_load8_u, LAYOUT.CORE_CODELINES);
        epoch(b);
        b.op(OP.i32_xor, OP.i32_or).open(OP.if);
        b.get(A).op(OP.i32_wrap_i64).i32(size).op(OP.call, CODE_WRITTEN);
        intoCode(k, pc, store);
        b.end();
        store();
      } else if (m in BRANCHES) {
        const target = pc + x.imm;
        if (target !== pc + 4n) {
          x1(b, x); x2(b, x); b.op(BRANCHES[m]!).open(OP.if);
          if (general) b.get(ISSUED).op(OP.call, VREDIRECT);
          if (k === kb) {
            // round again when the interpreter would go on here (its clock at or before switchAt, the
            // budget), moving only the clock and the totals
            goesOn(() => b.get(CLK0).i64(round!.get('clk')!).op(OP.i64_add));
            b.get(BASE).i64(BigInt(k + 1 + sub.insns.length)).op(OP.i64_add).get(ROOM).op(OP.i64_le_u, OP.i32_and).open(OP.if);
            addTotals(b, round!);
            b.get(CLK0).i64(round!.get('clk')!).op(OP.i64_add).set(CLK0);
            write(b, 'clk', () => b.get(CLK0));
            b.i32(1).set(LOOPED).get(BASE).i64(BigInt(k + 1)).op(OP.i64_add).set(BASE).br(AGAIN);
            b.end();
          }
          sync({ k, taken: true });
          go(target, { k, taken: true }, k + 1, true);
          b.end();
        }
      } else if (m === 'jal' || m === 'jalr') {
        if (general) b.get(ISSUED).op(OP.call, VREDIRECT);
        sync({ k, taken: true });
        b.i64(pc + 4n).set(VAL(reg(x.rd)));
        if (insn.target !== undefined) go(insn.target, { k, taken: true }, k + 1, insn.target !== pc + 4n);
        else {
          // taken unless it lands on the next word; inside when it lands on a sub-block's start
          b.get(A).i64(pc + 4n).op(OP.i64_ne).open(OP.if);
          for (const t of returns) {
            if (t === pc + 4n) continue;
            b.get(A).i64(t).op(OP.i64_eq).open(OP.if);
            go(t, { k, taken: true }, k + 1, true);
            b.end();
          }
          exit(A, k + 1, true);
          b.end();
          go(pc + 4n, { k, taken: true }, k + 1, false);
        }
      }
    });
    const last = sub.insns[sub.insns.length - 1]!;
    if (!last.i.flags?.jump) {
      sync({ k: sub.insns.length });
      go(last.pc + 4n, { k: sub.insns.length }, sub.insns.length, false);
    }
    b.end(); // loop
    b.end(); // COLD: replay the model up to instruction EXIT and leave there, or a switch on EXIT
    if (general) return;
    if (replays) {
      b.i32(Number(sub.pc)).get(EXIT).op(OP.call, VREPLAY);
      b.i64(sub.pc).get(EXIT).op(OP.i64_extend_i32_u).tee(A).i64(2n).op(OP.i64_shl, OP.i64_add);
      b.get(BASE).get(A).op(OP.i64_add).i64(32n).op(OP.i64_shl, OP.i64_or);
      b.br(OUT);
      return;
    }
    if (leaving.length === 0) return;
    const cases: number[] = [];
    for (let c = leaving.length - 1; c >= 0; c--) {
      cases[c] = b.depth;
      b.open(OP.block);
    }
    b.get(EXIT).op(OP.br_table);
    uleb(b.code, leaving.length - 1);
    for (let c = 0; c < leaving.length; c++) uleb(b.code, b.depth - 1 - cases[c]!);
    leaving.forEach(({ k, pc }) => {
      b.end();
      sync({ k });
      exit(pc, k, false);
    });
  };

  subs.forEach((sub, k) => {
    // the entry check: the static body when the decode share is a lone thread's and every input is where
    // the plan assumes it (at or before the clock, or exactly so many ticks past it)
    b.end();
    if (sub.insns.length === 0) {
      exit(sub.pc, 0, false); // (a target not translated: never entered)
      b.end();
      b.end();
      return;
    }
    read(b, 'clk');
    b.set(CLK0);
    if (model.timing) {
      read(b, 'share');
      b.i64(ALONE).op(OP.i64_eq);
      for (const v of plans[k]!.inputs) {
        const a = plans[k]!.assumed.get(v);
        read(b, v);
        b.get(CLK0);
        if (a === undefined) b.op(OP.i64_le_s, OP.i32_and);
        else b.op(OP.i64_sub).i64(a).op(OP.i64_eq, OP.i32_and);
      }
      b.br(caseAt[3 * k + 1]!, OP.br_if);
      if (generals) b.i32(2 * n + k).set(STATE).br(TOP);
      else {
        // leave to the interpreter, taken if a taken branch led here (it may switch threads there)
        b.i64(sub.pc | (1n << 62n)).get(TAKEN).op(OP.i64_extend_i32_u).i64(63n).op(OP.i64_shl, OP.i64_or);
        b.get(BASE).i64(32n).op(OP.i64_shl, OP.i64_or);
        b.br(OUT);
      }
    } else b.br(caseAt[3 * k + 1]!); // (the functional build's schedule holds always: no general body)
    b.end();
    // the static body (entered here from its check, or directly: STATE n + k)
    read(b, 'clk');
    b.set(CLK0);
    body(k, false);
    b.end();
    if (generals) body(k, true);
    else b.op(OP.unreachable);
  });
  b.end(); // loop
  b.op(OP.unreachable);
  b.end(); // block
  b.set(RET);

  // write back the registers written
  for (const r of writes) b.i32(0).get(VAL(r)).mem(OP.i64_store, LAYOUT.REGS + stateShift + 8 * r);
  b.get(RET);
  const cut = subs.findIndex((s) => s.insns.length === LAYOUT.JIT_MAX_BLOCK && !s.insns.at(-1)!.i.flags?.jump && !subAt.has(s.pc + 4n * BigInt(LAYOUT.JIT_MAX_BLOCK)));
  return {
    length: subs[0]!.insns.length,
    ranges: subs.filter((s) => s.insns.length > 0).map((s) => [Number(s.pc), Number(s.pc) + 4 * s.insns.length]),
    locals: LOCAL_TYPES,
    body: b.code,
    usesMulhu: all.some(({ i }) => i.mnemonic.startsWith('mulh')),
    entry: entryState,
    ...(cut >= 0 ? { next: { pc: subs[cut]!.pc + 4n * BigInt(LAYOUT.JIT_MAX_BLOCK), state: offsetsAt(plans[cut]!, plans[cut]!.after[LAYOUT.JIT_MAX_BLOCK]!) } } : {}),
  };
}

/** Whether words were decoded around SRAM address A + off (emulator/assembly/state.ts decoded), as an i32. */
/** The current speculation epoch (emulator/assembly/speculate.ts), as a line of SRAM not written in it
 * yet is not marked (LAYOUT.CORE_CODELINES). */
function epoch(b: Body): void {
  b.i32(0).mem(OP.i32_load8_u, LAYOUT.MESH + MESH_CFG.SPEC_EPOCH);
}

function decodedAt(b: Body, off: bigint): void {
  b.get(CORE).get(A);
  if (off !== 0n) b.i64(off).op(OP.i64_add);
  b.op(OP.i32_wrap_i64).i32(Math.log2(LAYOUT.DECODED_SPAN)).op(OP.i32_shr_u, OP.i32_add).mem(OP.i32_load8_u, LAYOUT.CORE_DECODED);
}

/** Add a static state's stall totals and counts. */
function addTotals(b: Body, state: Map<Value, bigint>): void {
  for (const [v, off] of state) if (TOTALS.has(v) && off !== 0n) add(b, v, off);
}

/** Set the model to a static state: offsets from the clock at the stretch's entry (CLK0), stall totals and
 * counts added, the clock moved on. */
function setModel(b: Body, state: Map<Value, bigint>): void {
  for (const [v, off] of state) if (isHeld(v)) write(b, v, () => b.get(CLK0).i64(off).op(OP.i64_add));
  addTotals(b, state);
  write(b, 'clk', () => b.get(CLK0).i64(state.get('clk')!).op(OP.i64_add));
}
