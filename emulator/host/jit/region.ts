// The regions the block compiler translates (docs/machine.md, "Block compiler"): from a hot entry, the
// straight-line stretches (sub-blocks) it and the targets of its direct branches and jumps begin, through
// not-taken conditional branches, up to JIT_MAX_BLOCK instructions each, ending at a jump or at an
// instruction not translated; those targets within REACH of the entry that execution has reached, the
// return points of its calls, and the continuation of a stretch cut at its length; at most MAX_SUBS
// stretches and about MAX_INSNS instructions. And the cycle model's steps of each instruction.
import { LAYOUT, ticksOf } from '../../layout.js';
import type { Instr } from '../../../isa/types.js';
import { BRANCHES, byOp, translatable, type Rec } from './semantics.js';
import { REDIRECT, steps, type Step } from './schedule.js';

/** A region reaches branch targets this far from its entry, in bytes, and holds at most this much. */
const REACH = 4096n;
const MAX_SUBS = 16;
const MAX_INSNS = 128;

/** An instruction of a sub-block; `target`: where a branch or jump goes when known at compile time (a
 * jalr's too, when its base register holds a constant the stretch set, as `call` and `tail` do). */
export type Insn = { pc: bigint; x: Rec; i: Instr; target?: bigint };
export interface Sub {
  pc: bigint;
  insns: Insn[];
  /** The sub-block that added this one and where it goes on to it (after instruction k, taken or not),
   * when that is the way in to plan for (not a return point). */
  from?: { sub: number; k: number; taken: boolean };
}

const validTarget = (t: bigint) => t >= 0n && t < BigInt(LAYOUT.SRAM_SIZE) && (t & 3n) === 0n;
export const reg = (slot: number) => slot >> 3;
const SINK = LAYOUT.X0_SINK;
/** The model a block follows: the cycle model's steps of each instruction and of a redirect, or the
 * functional build's (no cycle model: an instruction counts one cycle). */
export interface Model {
  timing: boolean;
  of(insn: Insn): Step[];
  redirect: Step[];
}
const ONE_CYCLE: Step[] = [{ k: 'add', d: 'clk', s: 'clk', c: BigInt(ticksOf(1)) }];
export const modelOf = (timing: boolean): Model => {
  const memo = new WeakMap<Insn, Step[]>();
  return {
    timing,
    of: (insn) => {
      let list = memo.get(insn);
      if (!list) memo.set(insn, (list = timing ? steps(insn.i, insn.x) : ONE_CYCLE));
      return list;
    },
    redirect: timing ? REDIRECT : [],
  };
};
/** A call's return point: the word after a jump that links (writes rd). */
export const links = ({ x, i }: Insn): boolean => !!i.flags?.jump && reg(x.rd) !== SINK;

/** The sub-blocks of the region at `entry` (the first is the entry's; one with no instructions is a target
 * the region does not translate); `races`: the race-checking build's. */
export function discover(entry: bigint, rec: (pc: bigint) => Rec, reached: (pc: bigint) => boolean, races: boolean): Sub[] {
  const subs: Sub[] = [{ pc: entry, insns: [] }];
  const index = new Set<bigint>([entry]);
  const starts = [entry];
  let total = 0;
  for (let k = 0; k < starts.length; k++) {
    const insns: Insn[] = [];
    // registers holding constants this stretch set (lui, auipc, addi of one)
    const known = new Map<number, bigint>([[0, 0n]]);
    for (let pc = starts[k]!; insns.length < LAYOUT.JIT_MAX_BLOCK && pc < BigInt(LAYOUT.SRAM_SIZE); pc += 4n) {
      const x = rec(pc);
      if (!translatable(x.op, races)) break;
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
    subs[k]!.insns = insns;
    total += insns.length;
    const add = (t: bigint, from?: Sub['from'], straight = false) => {
      if (index.has(t) || (!straight && !reached(t)) || t < entry - REACH || t >= entry + REACH || starts.length >= MAX_SUBS || total >= MAX_INSNS) return;
      index.add(t);
      starts.push(t);
      subs.push({ pc: t, insns: [], ...(from ? { from } : {}) });
    };
    insns.forEach((insn, j) => {
      if (insn.target !== undefined) add(insn.target, { sub: k, k: j, taken: true });
      // a jalr to a return point (the callee's return) goes on inside when it is in the region
      if (links(insn)) add(insn.pc + 4n);
    });
    // a stretch cut at its length goes on straight (code reached when the stretch is)
    const last = insns[insns.length - 1];
    if (insns.length === LAYOUT.JIT_MAX_BLOCK && !last!.i.flags?.jump) add(last!.pc + 4n, { sub: k, k: insns.length, taken: false }, true);
  }
  return subs;
}

