// The block compiler's translator (docs/machine.md, "Block compiler"): the code a core reaches from a hot
// branch target becomes one WebAssembly function with exactly the interpreter's effect, instruction by
// instruction: the same registers, memory, predecoded-record invalidation, cycle model and counts.
//
// A region is a set of sub-blocks: straight-line stretches from a target through not-taken conditional
// branches, up to JIT_MAX_BLOCK instructions, ending at a jump or at an instruction not translated. The
// region holds the entry's sub-block and those at the targets of its direct branches and jumps within
// REACH, and theirs. Control passes between sub-blocks inside the function (a switch on the sub-block
// number) where the interpreter would go on too: after a taken branch only while the thread's clock is at
// or before switchAt, and only when the next sub-block's longest path fits in the instruction budget.
// Otherwise the function returns where it went. An instruction that would fault or reach another core (a
// load or store outside SRAM, a jump to a bad target) is left to the interpreter: the function returns
// just before it, with nothing of it done.
//
// Guest registers and their ready times, and the cycle model, live in locals. Each sub-block has two
// bodies: the general one runs the model's steps instruction by instruction (schedule.ts); the static one,
// taken when everything the stretch reads is ready at its entry and the decode share is a lone thread's,
// runs the instructions alone and sets the model from offsets computed at compile time where it leaves.
//
// The function: (core: i32, room: i64) -> i64, returning npc | count << 32 | taken << 63.
import { CYCLE_MODEL, LAYOUT, MESH_CFG, ticksOf } from '../../layout.js';
import { D1_CORE } from '../../presets.js';
import { TIMING } from '../../../isa/timing.js';
import type { Instr } from '../../../isa/types.js';
import { Body, I32, I64, OP, uleb } from './wasm.js';
import { A, BASE, CORE, FLOOR, local, LOCAL_TYPES, LOOPED, MARK, MODEL, RDY, RET, ROOM, STATE, VAL } from './locals.js';
import { BRANCHES, byOp, LOADS_BY, STORES_BY, translatable, VALUE, x1, x2, type Rec } from './semantics.js';
import { isHeld, passes, planOf, REDIRECT, steps, TOTALS, type Step, type Value } from './schedule.js';

/** The globals a block imports from the core (module "core"), in this order, and the locals they go to. */
export const GLOBALS = ['clk', 'iu', 'au', 'lp', 'sp', 'sDep', 'sSram', 'sBranch', 'decodeShare', 'switchAt'] as const;
const IN_LOCAL: Record<(typeof GLOBALS)[number], number> = { ...MODEL, decodeShare: MODEL.share };
/** The functions a block imports from the core: a store into a code line that compiled code holds. */
export const FUNCTIONS = [{ name: 'codeWritten', params: [I32, I32], results: [I32] }];
const CODE_WRITTEN = 0;

/** A region reaches branch targets this far from its entry, in bytes, and holds at most this much. */
const REACH = 4096n;
const MAX_SUBS = 16;
const MAX_INSNS = 256;
/** A lone thread's decode share (emulator/assembly/threads.ts decodeShare), which static schedules assume. */
const ALONE = BigInt(ticksOf(1 / D1_CORE.threadDecodeWidth));

/** An instruction of a sub-block; `target`: where a branch or jump goes when known at compile time (a
 * jalr's too, when its base register holds a constant the stretch set, as `call` and `tail` do). */
type Insn = { pc: bigint; x: Rec; i: Instr; target?: bigint };
interface Sub {
  pc: bigint;
  insns: Insn[];
}

export interface Block {
  /** Instructions on the longest path of the entry's sub-block (the budget a call needs). */
  length: number;
  /** The SRAM byte ranges [start, end) whose words the region holds (its code lines). */
  ranges: [number, number][];
  locals: number[];
  body: number[];
  usesMulhu: boolean;
}

const validTarget = (t: bigint) => t >= 0n && t < BigInt(LAYOUT.SRAM_SIZE) && (t & 3n) === 0n;
const reg = (slot: number) => slot >> 3;
const SINK = LAYOUT.X0_SINK;
/** The model a block follows: the cycle model's steps of each instruction and of a redirect, or the
 * functional build's (no cycle model: an instruction counts one cycle). */
interface Model {
  timing: boolean;
  of(insn: Insn): Step[];
  redirect: Step[];
}
const ONE_CYCLE: Step[] = [{ k: 'add', d: 'clk', s: 'clk', c: BigInt(ticksOf(1)) }];
const modelOf = (timing: boolean): Model => ({
  timing,
  of: ({ x, i }) => (timing ? steps(i, reg(x.rs1), reg(x.aux), reg(x.rd)) : ONE_CYCLE),
  redirect: timing ? REDIRECT : [],
});
/** A call's return point: the word after a jump that links (writes rd). */
const links = ({ x, i }: Insn): boolean => !!i.flags?.jump && reg(x.rd) !== SINK;

/** The sub-blocks of the region at `entry` (the first is the entry's; one with no instructions is a target
 * the region does not translate). */
function discover(entry: bigint, rec: (pc: bigint) => Rec, reached: (pc: bigint) => boolean): Sub[] {
  const subs: Sub[] = [];
  const index = new Set<bigint>([entry]);
  const starts = [entry];
  let total = 0;
  for (let k = 0; k < starts.length; k++) {
    const insns: Insn[] = [];
    // registers holding constants this stretch set (lui, auipc, addi of one)
    const known = new Map<number, bigint>([[0, 0n]]);
    for (let pc = starts[k]!; insns.length < LAYOUT.JIT_MAX_BLOCK && pc < BigInt(LAYOUT.SRAM_SIZE); pc += 4n) {
      const x = rec(pc);
      if (!translatable(x.op)) break;
      const i = byOp.get(x.op)!;
      const m = i.mnemonic;
      const base = known.get(reg(x.rs1));
      const target = m in BRANCHES || m === 'jal' ? pc + x.imm : m === 'jalr' && base !== undefined ? BigInt.asIntN(64, base + x.imm) & ~1n : undefined;
      if (target !== undefined && !validTarget(target)) break; // the interpreter faults there
      insns.push({ pc, x, i, ...(target !== undefined ? { target } : {}) });
      if (i.flags?.jump) break;
      const rd = reg(x.rd);
      if (!i.operands.includes('rd')) continue;
      if (m === 'lui') known.set(rd, BigInt.asIntN(32, x.imm << 12n));
      else if (m === 'auipc') known.set(rd, pc + BigInt.asIntN(32, x.imm << 12n));
      else if (m === 'addi' && base !== undefined) known.set(rd, BigInt.asIntN(64, base + x.imm));
      else known.delete(rd);
      known.set(0, 0n);
    }
    subs.push({ pc: starts[k]!, insns });
    total += insns.length;
    const add = (t: bigint) => {
      if (index.has(t) || !reached(t) || t < entry - REACH || t >= entry + REACH || starts.length >= MAX_SUBS || total >= MAX_INSNS) return;
      index.add(t);
      starts.push(t);
    };
    for (const insn of insns) {
      if (insn.target !== undefined) add(insn.target);
      // a jalr to a return point (the callee's return) goes on inside when it is in the region
      if (links(insn)) add(insn.pc + 4n);
    }
  }
  return subs;
}

/** The model's steps as wasm over the block's locals. */
function emitSteps(b: Body, list: Step[]): void {
  for (const s of list) {
    if (s.k === 'set') b.get(local(s.s)).set(local(s.d));
    else if (s.k === 'max') {
      const [d, x] = [local(s.d), local(s.s)];
      b.get(x).get(d).get(x).get(d).op(OP.i64_gt_s, OP.select).set(d);
    } else if (s.k === 'stall') {
      const [acc, a, c] = [local(s.acc), local(s.a), local(s.b)];
      b.get(acc).get(a).get(c).op(OP.i64_sub);
      if (!s.ge) b.i64(0n).get(a).get(c).op(OP.i64_gt_s, OP.select);
      b.op(OP.i64_add).set(acc);
    } else if (s.k === 'add') b.get(local(s.s)).i64(s.c).op(OP.i64_add).set(local(s.d));
    else b.get(local(s.s)).get(local(s.v)).op(OP.i64_add).set(local(s.d));
  }
}

/** Translate the region at `entry`, reading predecoded records with `rec`; it takes in only targets
 * that execution has `reached` (code never run stays out). Null when the entry's instruction cannot be
 * translated. */
export function translate(entry: bigint, rec: (pc: bigint) => Rec, reached: (pc: bigint) => boolean = () => true, build: { timing: boolean; watch: boolean; races?: boolean } = { timing: true, watch: false }): Block | null {
  const { timing, watch, races } = build;
  const model = modelOf(timing);
  const subs = discover(entry, rec, reached);
  if (subs[0]!.insns.length === 0) return null;
  const all = subs.flatMap((s) => s.insns);
  const subAt = new Map<bigint, number>();
  subs.forEach((s, k) => s.insns.length > 0 && subAt.set(s.pc, k));
  /** Where a jalr with an unknown target may land inside: the region's return points (a few, tried in turn). */
  const returns = [...new Set(all.filter(links).map(({ pc }) => pc + 4n))].filter((t) => subAt.has(t)).slice(0, 8);

  // registers read (values and ready times) and written
  const reads = new Set<number>(), writes = new Set<number>();
  for (const { x, i } of all) {
    if (i.operands.includes('rs1')) reads.add(reg(x.rs1));
    if (i.operands.includes('rs2')) reads.add(reg(x.aux));
    if (i.operands.includes('rd')) writes.add(reg(x.rd));
  }
  const b = new Body();
  for (const r of [...new Set([...reads, ...writes])].sort((p, q) => p - q)) {
    if (r !== 0) b.i32(0).mem(OP.i64_load, LAYOUT.REGS + 8 * r).set(VAL(r));
    b.i32(0).mem(OP.i64_load, LAYOUT.XREADY + 8 * r).set(RDY(r));
  }
  GLOBALS.forEach((g, k) => b.gget(k).set(IN_LOCAL[g]));
  // the debugging build: the lowest address a watch range covers (all ones when none)
  if (watch) b.i32(0).mem(OP.i64_load, LAYOUT.MESH + MESH_CFG.WATCH_FLOOR).set(FLOOR);
  // the race-checking build: the running thread's mark (emulator/assembly/races.ts)
  if (races) b.i32(1).i32(0).mem(OP.i32_load, LAYOUT.CUR_THREAD).op(OP.i32_shl).set(MARK);

  const OUT = b.depth;
  b.open(OP.block, I64);
  const TOP = b.depth;
  b.open(OP.loop);
  // The switch: three cases a sub-block (its entry check, its static body, its general body); STATE j runs
  // sub-block j's check, n + j its static body directly (where its entry state is known to pass)
  const n = subs.length;
  const caseAt: number[] = [];
  for (let c = 3 * n - 1; c >= 0; c--) {
    caseAt[c] = b.depth;
    b.open(OP.block);
  }
  b.get(STATE).op(OP.br_table);
  uleb(b.code, 2 * n);
  for (let k = 0; k < 2 * n; k++) uleb(b.code, k < n ? 3 * k : 3 * (k - n) + 1);
  uleb(b.code, 0);
  const plans = subs.map((sub) => planOf(sub.insns.map((insn) => ({ steps: model.of(insn), redirects: !!(insn.i.flags?.branch || insn.i.flags?.jump) })), model.redirect, ALONE));

  /** Leave the function: npc (a constant, or a local holding it), `done` instructions of this pass. */
  const exit = (npc: bigint | number, done: number, taken: boolean) => {
    const flags = taken ? 1n << 63n : 0n;
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
  const next = (target: bigint, done: number, taken: boolean, from: number, state?: Map<Value, bigint>, again?: number) => {
    const j = subAt.get(target);
    if (j !== undefined) {
      if (taken) b.get(MODEL.clk).get(MODEL.switchAt).op(OP.i64_le_s);
      b.get(BASE).i64(BigInt(done + subs[j]!.insns.length)).op(OP.i64_add).get(ROOM).op(OP.i64_le_u);
      if (taken) b.op(OP.i32_and);
      b.open(OP.if);
      b.get(BASE).i64(BigInt(done)).op(OP.i64_add).set(BASE);
      const ready = state !== undefined && passes(plans[from]!, state, plans[j]!);
      if (ready && j === from && again !== undefined) b.br(again);
      else b.i32(ready ? n + j : j).set(STATE).br(TOP);
      b.end();
    }
    exit(target, done, taken);
  };

  /**
   * A sub-block's instructions. `general`: the general body, which runs the model's steps; otherwise the
   * static body, where `sync(point)` sets the model to its state at that point before the code leaves:
   * after k instructions ({ k }), or after instruction k taken ({ k, taken }).
   */
  const body = (k0: number, general: boolean) => {
    const sub = subs[k0]!;
    const plan = plans[k0]!;
    const emit = (list: Step[]) => general && emitSteps(b, list);
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
          b.get(MODEL.clk).i64(off - round.get('clk')!).op(OP.i64_add).get(local(v)).get(LOOPED).op(OP.select).set(local(v));
        }
      }
      setModel(b, state);
    };
    /** Go on after a point, with what the static body knows there. */
    const go = (target: bigint, p: { k: number; taken?: boolean }, done: number, taken: boolean) =>
      next(target, done, taken, k0, general ? undefined : at(p), AGAIN);
    if (round) b.i32(0).set(LOOPED);
    const AGAIN = b.depth;
    b.open(OP.loop);
    /** The address rs1 + imm into A; leave before this instruction when [A, A + size) is not in SRAM (or,
     * in the debugging build, may touch a watch range: the interpreter checks it, emulator/assembly/state.ts
     * sram; or, in the race-checking build, the interpreter is to log it: the thread's mark is set in the
     * first or last granule, emulator/assembly/races.ts). */
    const address = (x: Rec, size: number, k: number, pc: bigint, store: boolean) => {
      const leave = () => {
        b.open(OP.if);
        sync({ k });
        exit(pc, k, false);
        b.end();
      };
      x1(b, x);
      b.i64(x.imm).op(OP.i64_add).tee(A).i64(BigInt(LAYOUT.SRAM_SIZE - size)).op(OP.i64_gt_u);
      if (watch) b.get(A).i64(BigInt(size)).op(OP.i64_add).get(FLOOR).op(OP.i64_gt_u, OP.i32_or);
      leave();
      if (!races) return;
      for (const off of [0n, BigInt(size - 1)]) b.get(CORE).get(A).i64(off).op(OP.i64_add, OP.i32_wrap_i64).i32(3).op(OP.i32_shr_u, OP.i32_add).mem(OP.i32_load8_u, LAYOUT.CORE_RACEMAP);
      b.op(OP.i32_or).get(MARK);
      if (store) b.i32(4).op(OP.i32_shl);
      b.op(OP.i32_and);
      leave();
    };
    sub.insns.forEach((insn, k) => {
      const { pc, x, i } = insn;
      const m = i.mnemonic;
      // checks that leave before the instruction come first: nothing of it has happened yet
      if (m in LOADS_BY) address(x, LOADS_BY[m]![1], k, pc, false);
      if (m in STORES_BY) address(x, STORES_BY[m]![1], k, pc, true);
      if (m === 'jalr' && insn.target === undefined) {
        x1(b, x);
        b.i64(x.imm).op(OP.i64_add).i64(-2n).op(OP.i64_and).tee(A).i64(BigInt(LAYOUT.SRAM_SIZE)).op(OP.i64_ge_u);
        b.get(A).i64(3n).op(OP.i64_and, OP.i64_eqz, OP.i32_eqz, OP.i32_or).open(OP.if);
        sync({ k });
        exit(pc, k, false);
        b.end();
      }
      emit(model.of(insn));
      if (m in VALUE) {
        VALUE[m]!(b, x, pc);
        b.set(VAL(reg(x.rd)));
      } else if (m in LOADS_BY) {
        b.get(CORE).get(A).op(OP.i32_wrap_i64, OP.i32_add).mem(LOADS_BY[m]![0], LAYOUT.CORE_SRAM).set(VAL(reg(x.rd)));
      } else if (m in STORES_BY) {
        const size = STORES_BY[m]![1];
        const write = (): void => {
          b.get(CORE).get(A).op(OP.i32_wrap_i64, OP.i32_add);
          x2(b, x);
          b.mem(STORES_BY[m]![0], LAYOUT.CORE_SRAM);
          // forget the predecoded records of the words written (emulator/assembly/state.ts invalidate)
          for (const off of size === 8 ? [0n, 4n, 7n] : size === 1 ? [0n] : [0n, BigInt(size - 1)]) {
            b.get(CORE).get(A).i64(off).op(OP.i64_add, OP.i32_wrap_i64).i32(2).op(OP.i32_shr_u).i32(4).op(OP.i32_shl, OP.i32_add).i32(0).mem(OP.i32_store16, LAYOUT.CORE_PREDEC);
          }
        };
        // a line not marked with the epoch (compiled code holds it, or a speculation has not logged it yet):
        // the slow path first (state.ts touchLines); when that dropped the core's compiled code, store and
        // leave (this block may be it)
        const epoch = (): void => void b.i32(0).mem(OP.i32_load8_u, LAYOUT.MESH + MESH_CFG.SPEC_EPOCH);
        b.get(CORE).get(A).op(OP.i32_wrap_i64).i32(6).op(OP.i32_shr_u, OP.i32_add).mem(OP.i32_load8_u, LAYOUT.CORE_CODELINES);
        epoch();
        b.op(OP.i32_xor);
        b.get(CORE).get(A).i64(BigInt(size - 1)).op(OP.i64_add, OP.i32_wrap_i64).i32(6).op(OP.i32_shr_u, OP.i32_add).mem(OP.i32_load8_u, LAYOUT.CORE_CODELINES);
        epoch();
        b.op(OP.i32_xor, OP.i32_or).open(OP.if);
        b.get(A).op(OP.i32_wrap_i64).i32(size).op(OP.call, CODE_WRITTEN).open(OP.if);
        write();
        sync({ k: k + 1 });
        exit(pc + 4n, k + 1, false);
        b.end();
        b.end();
        write();
      } else if (m in BRANCHES) {
        const target = pc + x.imm;
        if (target !== pc + 4n) {
          x1(b, x); x2(b, x); b.op(BRANCHES[m]!).open(OP.if);
          emit(model.redirect);
          if (k === kb) {
            // round again when the interpreter would go on here (its clock at or before switchAt, the
            // budget), moving only the clock and the totals
            b.get(MODEL.clk).i64(round!.get('clk')!).op(OP.i64_add).get(MODEL.switchAt).op(OP.i64_le_s);
            b.get(BASE).i64(BigInt(k + 1 + sub.insns.length)).op(OP.i64_add).get(ROOM).op(OP.i64_le_u, OP.i32_and).open(OP.if);
            addTotals(b, round!);
            b.get(MODEL.clk).i64(round!.get('clk')!).op(OP.i64_add).set(MODEL.clk);
            b.i32(1).set(LOOPED).get(BASE).i64(BigInt(k + 1)).op(OP.i64_add).set(BASE).br(AGAIN);
            b.end();
          }
          sync({ k, taken: true });
          go(target, { k, taken: true }, k + 1, true);
          b.end();
        }
      } else if (m === 'jal' || m === 'jalr') {
        emit(model.redirect);
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
    b.end();
  };

  subs.forEach((sub, k) => {
    // the entry check: the static body when the decode share is a lone thread's and every input is ready
    b.end();
    if (sub.insns.length === 0) {
      exit(sub.pc, 0, false); // (a target not translated: never entered)
      b.end();
      b.end();
      return;
    }
    if (model.timing) {
      b.get(MODEL.share).i64(ALONE).op(OP.i64_eq);
      for (const v of plans[k]!.inputs) b.get(local(v)).get(MODEL.clk).op(OP.i64_le_s, OP.i32_and);
      b.br(caseAt[3 * k + 1]!, OP.br_if).br(caseAt[3 * k + 2]!);
    } else b.br(caseAt[3 * k + 1]!); // (the functional build's schedule holds always: no general body)
    b.end();
    body(k, false);
    b.end();
    if (model.timing) body(k, true);
    else b.op(OP.unreachable);
  });
  b.end(); // loop
  b.op(OP.unreachable);
  b.end(); // block
  b.set(RET);

  // write back: registers written, the model, the byte counts (f64 totals, as the interpreter adds them)
  for (const r of writes) {
    b.i32(0).get(VAL(r)).mem(OP.i64_store, LAYOUT.REGS + 8 * r);
    b.i32(0).get(RDY(r)).mem(OP.i64_store, LAYOUT.XREADY + 8 * r);
  }
  GLOBALS.forEach((g, k) => g !== 'decodeShare' && g !== 'switchAt' && b.get(IN_LOCAL[g]).gset(k));
  const total = (v: number, at: number) => {
    b.i32(0).i32(0).mem(OP.f64_load, at).get(v).op(OP.f64_convert_i64_u, OP.f64_add).mem(OP.f64_store, at);
  };
  if (all.some(({ i }) => TIMING[i.timing].load)) total(MODEL.loads, LAYOUT.RESOURCES + CYCLE_MODEL.LOAD_BYTES);
  if (all.some(({ i }) => TIMING[i.timing].store)) total(MODEL.stores, LAYOUT.RESOURCES + CYCLE_MODEL.STORE_BYTES);
  b.get(RET);
  return {
    length: subs[0]!.insns.length,
    ranges: subs.filter((s) => s.insns.length > 0).map((s) => [Number(s.pc), Number(s.pc) + 4 * s.insns.length]),
    locals: LOCAL_TYPES,
    body: b.code,
    usesMulhu: all.some(({ i }) => i.mnemonic.startsWith('mulh')),
  };
}

/** Add a static state's stall totals and counts. */
function addTotals(b: Body, state: Map<Value, bigint>): void {
  for (const [v, off] of state) if (TOTALS.has(v) && off !== 0n) b.get(local(v)).i64(off).op(OP.i64_add).set(local(v));
}

/** Set the model's locals to a static state: offsets from the clock at the stretch's entry (which the
 * static body leaves unchanged until here), stall totals and counts added. */
function setModel(b: Body, state: Map<Value, bigint>): void {
  for (const [v, off] of state) if (isHeld(v)) b.get(MODEL.clk).i64(off).op(OP.i64_add).set(local(v));
  addTotals(b, state);
  b.get(MODEL.clk).i64(state.get('clk')!).op(OP.i64_add).set(MODEL.clk);
}
