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
import { CYCLE_MODEL, LAYOUT, ticksOf } from '../../layout.js';
import { D1_CORE } from '../../presets.js';
import { TIMING } from '../../../isa/timing.js';
import type { Instr } from '../../../isa/types.js';
import { Body, I32, I64, OP, uleb } from './wasm.js';
import { A, BASE, CORE, local, LOCAL_TYPES, MODEL, RDY, RET, ROOM, STATE, VAL } from './locals.js';
import { BRANCHES, byOp, LOADS_BY, STORES_BY, translatable, VALUE, x1, x2, type Rec } from './semantics.js';
import { REDIRECT, Schedule, steps, type Step, type Value } from './schedule.js';

/** The globals a block imports from the core (module "core"), in this order, and the locals they go to. */
export const GLOBALS = ['clk', 'iu', 'au', 'lp', 'sp', 'sDep', 'sSram', 'sBranch', 'decodeShare', 'switchAt'] as const;
const IN_LOCAL: Record<(typeof GLOBALS)[number], number> = { ...MODEL, decodeShare: MODEL.share };
/** The functions a block imports from the core: a store into a code line that compiled code holds. */
export const FUNCTIONS = [{ name: 'codeWritten', params: [I32, I32], results: [] as number[] }];
const CODE_WRITTEN = 0;

/** A region reaches branch targets this far from its entry, in bytes, and holds at most this much. */
const REACH = 4096n;
const MAX_SUBS = 48;
const MAX_INSNS = 768;
/** A lone thread's decode share (emulator/assembly/threads.ts decodeShare), which static schedules assume. */
const ALONE = BigInt(ticksOf(1 / D1_CORE.threadDecodeWidth));

type Insn = { pc: bigint; x: Rec; i: Instr };
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
const direct = (i: Instr): boolean => i.mnemonic in BRANCHES || i.mnemonic === 'jal';
const reg = (slot: number) => slot >> 3;
const stepsOf = ({ x, i }: Insn): Step[] => steps(i, reg(x.rs1), reg(x.aux), reg(x.rd));

/** The sub-blocks of the region at `entry` (the first is the entry's; one with no instructions is a target
 * the region does not translate). */
function discover(entry: bigint, rec: (pc: bigint) => Rec): Sub[] {
  const subs: Sub[] = [];
  const index = new Set<bigint>([entry]);
  const starts = [entry];
  let total = 0;
  for (let k = 0; k < starts.length; k++) {
    const insns: Insn[] = [];
    for (let pc = starts[k]!; insns.length < LAYOUT.JIT_MAX_BLOCK && pc < BigInt(LAYOUT.SRAM_SIZE); pc += 4n) {
      const x = rec(pc);
      if (!translatable(x.op)) break;
      const i = byOp.get(x.op)!;
      if (direct(i) && !validTarget(pc + x.imm)) break;
      insns.push({ pc, x, i });
      if (i.flags?.jump) break;
    }
    subs.push({ pc: starts[k]!, insns });
    total += insns.length;
    for (const { pc, x, i } of insns) {
      const t = pc + x.imm;
      if (!direct(i) || index.has(t) || t < entry - REACH || t >= entry + REACH) continue;
      if (starts.length >= MAX_SUBS || total >= MAX_INSNS) continue;
      index.add(t);
      starts.push(t);
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

/** Translate the region at `entry`, reading predecoded records with `rec`. Null when the entry's
 * instruction cannot be translated. */
export function translate(entry: bigint, rec: (pc: bigint) => Rec): Block | null {
  const subs = discover(entry, rec);
  if (subs[0]!.insns.length === 0) return null;
  const all = subs.flatMap((s) => s.insns);
  const subAt = new Map<bigint, number>();
  subs.forEach((s, k) => s.insns.length > 0 && subAt.set(s.pc, k));

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

  const OUT = b.depth;
  b.open(OP.block, I64);
  const TOP = b.depth;
  b.open(OP.loop);
  for (let k = subs.length - 1; k >= 0; k--) b.open(OP.block);
  b.get(STATE).op(OP.br_table);
  uleb(b.code, subs.length - 1);
  for (let k = 0; k < subs.length; k++) uleb(b.code, k);

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
  /** Go on at `target` after `done` instructions of this sub-block: inside when the interpreter would
   * (at the label `again` when given: the start of this sub-block's body, whose entry check is known to
   * hold here). */
  const next = (target: bigint, done: number, taken: boolean, again?: number) => {
    const j = subAt.get(target);
    if (j !== undefined) {
      if (taken) b.get(MODEL.clk).get(MODEL.switchAt).op(OP.i64_le_s);
      b.get(BASE).i64(BigInt(done + subs[j]!.insns.length)).op(OP.i64_add).get(ROOM).op(OP.i64_le_u);
      if (taken) b.op(OP.i32_and);
      b.open(OP.if);
      b.get(BASE).i64(BigInt(done)).op(OP.i64_add).set(BASE);
      if (again !== undefined) b.br(again);
      else b.i32(j).set(STATE).br(TOP);
      b.end();
    }
    exit(target, done, taken);
  };

  /**
   * A sub-block's instructions. `timed`: the general body, which runs the model's steps; otherwise the
   * static body, where `sync(point)` sets the model to its state at that point before the code leaves:
   * after k instructions ({ k }), or after instruction k taken ({ k, taken }).
   */
  const body = (sub: Sub, timed: boolean, sync: (p: { k: number; taken?: boolean }) => void, again?: (k: number) => boolean) => {
    const model = (list: Step[]) => timed && emitSteps(b, list);
    const AGAIN = b.depth;
    b.open(OP.loop);
    /** The address rs1 + imm into A; leave before this instruction when [A, A + size) is not in SRAM. */
    const address = (x: Rec, size: number, k: number, pc: bigint) => {
      x1(b, x);
      b.i64(x.imm).op(OP.i64_add).tee(A).i64(BigInt(LAYOUT.SRAM_SIZE - size)).op(OP.i64_gt_u).open(OP.if);
      sync({ k });
      exit(pc, k, false);
      b.end();
    };
    sub.insns.forEach((insn, k) => {
      const { pc, x, i } = insn;
      const m = i.mnemonic;
      // checks that leave before the instruction come first: nothing of it has happened yet
      if (m in LOADS_BY) address(x, LOADS_BY[m]![1], k, pc);
      if (m in STORES_BY) address(x, STORES_BY[m]![1], k, pc);
      if (m === 'jalr') {
        x1(b, x);
        b.i64(x.imm).op(OP.i64_add).i64(-2n).op(OP.i64_and).tee(A).i64(BigInt(LAYOUT.SRAM_SIZE)).op(OP.i64_ge_u);
        b.get(A).i64(3n).op(OP.i64_and, OP.i64_eqz, OP.i32_eqz, OP.i32_or).open(OP.if);
        sync({ k });
        exit(pc, k, false);
        b.end();
      }
      model(stepsOf(insn));
      if (m in VALUE) {
        VALUE[m]!(b, x, pc);
        b.set(VAL(reg(x.rd)));
      } else if (m in LOADS_BY) {
        b.get(CORE).get(A).op(OP.i32_wrap_i64, OP.i32_add).mem(LOADS_BY[m]![0], LAYOUT.CORE_SRAM).set(VAL(reg(x.rd)));
      } else if (m in STORES_BY) {
        const size = STORES_BY[m]![1];
        b.get(CORE).get(A).op(OP.i32_wrap_i64, OP.i32_add);
        x2(b, x);
        b.mem(STORES_BY[m]![0], LAYOUT.CORE_SRAM);
        // forget the predecoded records of the words written (emulator/assembly/state.ts invalidate)
        for (const off of size === 8 ? [0n, 4n, 7n] : size === 1 ? [0n] : [0n, BigInt(size - 1)]) {
          b.get(CORE).get(A).i64(off).op(OP.i64_add, OP.i32_wrap_i64).i32(2).op(OP.i32_shr_u).i32(4).op(OP.i32_shl, OP.i32_add).i32(0).mem(OP.i32_store16, LAYOUT.CORE_PREDEC);
        }
        // a code line that compiled code holds: drop the core's compiled code, and leave (this may be it)
        b.get(CORE).get(A).op(OP.i32_wrap_i64).i32(6).op(OP.i32_shr_u, OP.i32_add).mem(OP.i32_load8_u, LAYOUT.CORE_CODELINES);
        b.get(CORE).get(A).i64(BigInt(size - 1)).op(OP.i64_add, OP.i32_wrap_i64).i32(6).op(OP.i32_shr_u, OP.i32_add).mem(OP.i32_load8_u, LAYOUT.CORE_CODELINES);
        b.op(OP.i32_or).open(OP.if);
        b.get(A).op(OP.i32_wrap_i64).i32(size).op(OP.call, CODE_WRITTEN);
        sync({ k: k + 1 });
        exit(pc + 4n, k + 1, false);
        b.end();
      } else if (m in BRANCHES) {
        const target = pc + x.imm;
        if (target !== pc + 4n) {
          x1(b, x); x2(b, x); b.op(BRANCHES[m]!).open(OP.if);
          model(REDIRECT);
          sync({ k, taken: true });
          next(target, k + 1, true, target === sub.pc && again?.(k) ? AGAIN : undefined);
          b.end();
        }
      } else if (m === 'jal' || m === 'jalr') {
        model(REDIRECT);
        sync({ k, taken: true });
        b.i64(pc + 4n).set(VAL(reg(x.rd)));
        if (m === 'jal') next(pc + x.imm, k + 1, pc + x.imm !== pc + 4n);
        else {
          // taken unless it lands on the next word
          b.get(A).i64(pc + 4n).op(OP.i64_ne).open(OP.if);
          exit(A, k + 1, true);
          b.end();
          next(pc + 4n, k + 1, false);
        }
      }
    });
    const last = sub.insns[sub.insns.length - 1]!;
    if (!last.i.flags?.jump) {
      sync({ k: sub.insns.length });
      next(last.pc + 4n, sub.insns.length, false);
    }
    b.end();
  };

  for (const sub of subs) {
    b.end(); // this sub-block's case of the switch starts here
    if (sub.insns.length === 0) {
      exit(sub.pc, 0, false); // (a target not translated: never entered)
      continue;
    }
    const plan = staticSchedule(sub);
    // the static body when the decode share is a lone thread's and every input is ready
    b.get(MODEL.share).i64(ALONE).op(OP.i64_eq);
    for (const v of plan.inputs) b.get(local(v)).get(MODEL.clk).op(OP.i64_le_s, OP.i32_and);
    b.open(OP.if);
    body(sub, false, (p) => setModel(b, p.taken ? plan.taken[p.k]! : plan.after[p.k]!), (k) => plan.again(k));
    b.op(OP.else);
    body(sub, true, () => {});
    b.end();
  }
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

/** A sub-block's static schedule: what it reads at entry, and the model's offsets after each instruction
 * (after[k]: k done) and after each taken branch or jump (taken[k]). */
function staticSchedule(sub: Sub): { inputs: Set<Value>; after: Map<Value, bigint>[]; taken: Map<Value, bigint>[]; again(k: number): boolean } {
  const s = new Schedule(ALONE);
  const after = [s.snapshot()];
  const taken: Map<Value, bigint>[] = [];
  for (const insn of sub.insns) {
    s.run(stepsOf(insn));
    if (insn.i.flags?.branch || insn.i.flags?.jump) taken.push(s.clone().run(REDIRECT).snapshot());
    else taken.push(new Map());
    after.push(s.snapshot());
  }
  // Branching back to the start from instruction k, is every input ready again (at or before the clock)?
  // (A value the stretch does not write stays as it was at entry: at or before the old clock.)
  const again = (k: number) => [...s.inputs].every((v) => (taken[k]!.get(v) ?? 0n) <= taken[k]!.get('clk')!);
  return { inputs: s.inputs, after, taken, again };
}

/** Set the model's locals to a static state: offsets from the clock at the stretch's entry (which the
 * static body leaves unchanged until here), stall totals and counts added. */
function setModel(b: Body, state: Map<Value, bigint>): void {
  for (const [v, off] of state) {
    if (v === 'clk' || v === 'r' || v === 't' || v === 'share') continue;
    if (v === 'sDep' || v === 'sSram' || v === 'sBranch' || v === 'loads' || v === 'stores') {
      if (off !== 0n) b.get(local(v)).i64(off).op(OP.i64_add).set(local(v));
    } else b.get(MODEL.clk).i64(off).op(OP.i64_add).set(local(v));
  }
  b.get(MODEL.clk).i64(state.get('clk')!).op(OP.i64_add).set(MODEL.clk);
}
