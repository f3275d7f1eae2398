// The block compiler's translator (docs/machine.md, "Block compiler"): a stretch of a core's predecoded
// records, from a branch target on, becomes one WebAssembly function with exactly the interpreter's
// effect, instruction by instruction: the same registers, memory, predecoded-record invalidation, cycle
// model (emulator/gen timingSource: dependencies, units, SRAM ports, decode share, branch redirects) and
// counts. Guest registers and their ready times live in wasm locals inside the block.
//
// A block runs from its entry through not-taken conditional branches, up to JIT_MAX_BLOCK instructions; it
// ends at a jump, at an instruction it does not translate, or at a taken branch, returning where it went
// (a branch back to its entry loops inside while the thread's clock stays at or before switchAt and the
// budget allows another pass, as the interpreter would go on). An instruction that would fault or reach
// another core (a load or store outside SRAM, a jump to a bad target) is left to the interpreter: the block
// returns just before it with nothing of it done, and the interpreter runs it.
//
// The function: (core: i32, room: i64) -> i64, returning npc | count << 32 | taken << 63.
import { CYCLE_MODEL, LAYOUT, ticksOf } from '../../layout.js';
import { D1_CORE } from '../../presets.js';
import { INSTRUCTIONS } from '../../../isa/table.js';
import { REDIRECT_PENALTY, TIMING } from '../../../isa/timing.js';
import type { Instr } from '../../../isa/types.js';
import { Body, I32, I64, OP, uleb } from './wasm.js';

/** A predecoded record (emulator/gen RECORD): op id, register slots (byte offsets), immediates. */
export interface Rec {
  op: number;
  rd: number;
  rs1: number;
  aux: number;
  imm: bigint;
}

/** The globals a block imports from the core (module "core"), in this order. */
export const GLOBALS = ['clk', 'iu', 'au', 'lp', 'sp', 'sDep', 'sSram', 'sBranch', 'decodeShare', 'switchAt'] as const;
const G = Object.fromEntries(GLOBALS.map((g, k) => [g, k])) as Record<(typeof GLOBALS)[number], number>;
/** The functions a block imports from the core: a store into a code line that a block covers. */
export const FUNCTIONS = [{ name: 'codeWritten', params: [I32, I32], results: [] as number[] }];
const CODE_WRITTEN = 0;
const MULHU = FUNCTIONS.length + 1;

// Locals: the two parameters, x0..x31 and the x0 sink (values, then ready times), then the model's.
const CORE = 0, ROOM = 1;
const VAL = (r: number) => 2 + r;
const RDY = (r: number) => 35 + r;
const MODEL = { clk: 68, iu: 69, au: 70, lp: 71, sp: 72, sDep: 73, sSram: 74, sBranch: 75, decodeShare: 76, switchAt: 77 } as const;
const T = 78, R = 79, A = 80, B = 81, BASE = 82, LOADS = 83, STORES = 84, RET = 85;
/** The i32 local after them: which sub-block runs next. */
const STATE = 86;
const M32 = 0xffffffffn;

const byOp = new Map<number, Instr>(INSTRUCTIONS.map((i) => [i.id + 1, i]));

const ticks = (cycles: number): bigint => BigInt(ticksOf(cycles));

type Emit = (b: Body, x: Rec, pc: bigint) => void;
const x1 = (b: Body, x: Rec) => (x.rs1 === 0 ? b.i64(0n) : b.get(VAL(x.rs1 >> 3)));
const x2 = (b: Body, x: Rec) => (x.aux === 0 ? b.i64(0n) : b.get(VAL(x.aux >> 3)));
const rr = (op: number, w = false): Emit => (b, x) => {
  x1(b, x); x2(b, x); b.op(op);
  if (w) b.op(OP.i64_extend32_s);
};
const ri = (op: number, w = false): Emit => (b, x) => {
  x1(b, x); b.i64(x.imm).op(op);
  if (w) b.op(OP.i64_extend32_s);
};
const cmp = (op: number, imm: boolean): Emit => (b, x) => {
  x1(b, x);
  if (imm) b.i64(x.imm);
  else x2(b, x);
  b.op(op, OP.i64_extend_i32_u);
};
/** rs1 and rs2 into A and B (32-bit forms: sign- or zero-extended first). */
const ab = (b: Body, x: Rec, ext?: 's' | 'u') => {
  x1(b, x);
  if (ext === 's') b.op(OP.i64_extend32_s);
  if (ext === 'u') b.i64(M32).op(OP.i64_and);
  b.set(A);
  x2(b, x);
  if (ext === 's') b.op(OP.i64_extend32_s);
  if (ext === 'u') b.i64(M32).op(OP.i64_and);
  b.set(B);
};
/** b == 0 ? zero : (then), for division and remainder (RISC-V's results; wasm would trap). */
const byZero = (b: Body, zero: () => void, then: () => void) => {
  b.get(B).op(OP.i64_eqz).open(OP.if, I64);
  zero();
  b.op(OP.else);
  then();
  b.end();
};
const mulh = (signedA: boolean, signedB: boolean): Emit => (b, x) => {
  ab(b, x);
  b.get(A).get(B).op(OP.call, MULHU);
  if (signedA) b.get(B).i64(0n).get(A).i64(0n).op(OP.i64_lt_s, OP.select, OP.i64_sub);
  if (signedB) b.get(A).i64(0n).get(B).i64(0n).op(OP.i64_lt_s, OP.select, OP.i64_sub);
};

/** The value each translated instruction writes to rd (RISC-V unprivileged spec, chapters 2, 4 and 13;
 * the interpreter's emulator/assembly/exec/rv64i.ts and rv64m.ts). */
const VALUE: Record<string, Emit> = {
  lui: (b, x) => b.i64(BigInt.asIntN(32, x.imm << 12n)),
  auipc: (b, x, pc) => b.i64(pc + BigInt.asIntN(32, x.imm << 12n)),
  addi: ri(OP.i64_add), xori: ri(OP.i64_xor), ori: ri(OP.i64_or), andi: ri(OP.i64_and),
  slli: ri(OP.i64_shl), srli: ri(OP.i64_shr_u), srai: ri(OP.i64_shr_s),
  slti: cmp(OP.i64_lt_s, true), sltiu: cmp(OP.i64_lt_u, true), slt: cmp(OP.i64_lt_s, false), sltu: cmp(OP.i64_lt_u, false),
  add: rr(OP.i64_add), sub: rr(OP.i64_sub), sll: rr(OP.i64_shl), xor: rr(OP.i64_xor), srl: rr(OP.i64_shr_u),
  sra: rr(OP.i64_shr_s), or: rr(OP.i64_or), and: rr(OP.i64_and), mul: rr(OP.i64_mul),
  addiw: ri(OP.i64_add, true), addw: rr(OP.i64_add, true), subw: rr(OP.i64_sub, true), mulw: rr(OP.i64_mul, true),
  slliw: ri(OP.i64_shl, true),
  srliw: (b, x) => { x1(b, x); b.i64(M32).op(OP.i64_and).i64(x.imm).op(OP.i64_shr_u, OP.i64_extend32_s); },
  sraiw: (b, x) => { x1(b, x); b.op(OP.i64_extend32_s).i64(x.imm).op(OP.i64_shr_s); },
  sllw: (b, x) => { x1(b, x); x2(b, x); b.i64(31n).op(OP.i64_and, OP.i64_shl, OP.i64_extend32_s); },
  srlw: (b, x) => { x1(b, x); b.i64(M32).op(OP.i64_and); x2(b, x); b.i64(31n).op(OP.i64_and, OP.i64_shr_u, OP.i64_extend32_s); },
  sraw: (b, x) => { x1(b, x); b.op(OP.i64_extend32_s); x2(b, x); b.i64(31n).op(OP.i64_and, OP.i64_shr_s); },
  mulhu: mulh(false, false), mulh: mulh(true, true), mulhsu: mulh(true, false),
  div: (b, x) => {
    ab(b, x);
    byZero(b, () => b.i64(-1n), () => {
      b.get(A).i64(-(1n << 63n)).op(OP.i64_eq).get(B).i64(-1n).op(OP.i64_eq, OP.i32_and).open(OP.if, I64);
      b.get(A).op(OP.else).get(A).get(B).op(OP.i64_div_s).end();
    });
  },
  divu: (b, x) => { ab(b, x); byZero(b, () => b.i64(-1n), () => b.get(A).get(B).op(OP.i64_div_u)); },
  // wasm's rem_s gives 0 for MIN % -1, as RISC-V does
  rem: (b, x) => { ab(b, x); byZero(b, () => b.get(A), () => b.get(A).get(B).op(OP.i64_rem_s)); },
  remu: (b, x) => { ab(b, x); byZero(b, () => b.get(A), () => b.get(A).get(B).op(OP.i64_rem_u)); },
  // 32-bit forms on sign-extended (or zero-extended) operands: 64-bit division cannot overflow there
  divw: (b, x) => { ab(b, x, 's'); byZero(b, () => b.i64(-1n), () => b.get(A).get(B).op(OP.i64_div_s, OP.i64_extend32_s)); },
  divuw: (b, x) => { ab(b, x, 'u'); byZero(b, () => b.i64(-1n), () => b.get(A).get(B).op(OP.i64_div_u, OP.i64_extend32_s)); },
  remw: (b, x) => { ab(b, x, 's'); byZero(b, () => b.get(A), () => b.get(A).get(B).op(OP.i64_rem_s)); },
  remuw: (b, x) => { ab(b, x, 'u'); byZero(b, () => b.get(A).op(OP.i64_extend32_s), () => b.get(A).get(B).op(OP.i64_rem_u, OP.i64_extend32_s)); },
};

const LOADS_BY: Record<string, [number, number]> = {
  lb: [OP.i64_load8_s, 1], lh: [OP.i64_load16_s, 2], lw: [OP.i64_load32_s, 4], ld: [OP.i64_load, 8],
  lbu: [OP.i64_load8_u, 1], lhu: [OP.i64_load16_u, 2], lwu: [OP.i64_load32_u, 4],
};
const STORES_BY: Record<string, [number, number]> = { sb: [OP.i64_store8, 1], sh: [OP.i64_store16, 2], sw: [OP.i64_store32, 4], sd: [OP.i64_store, 8] };
const BRANCHES: Record<string, number> = { beq: OP.i64_eq, bne: OP.i64_ne, blt: OP.i64_lt_s, bge: OP.i64_ge_s, bltu: OP.i64_lt_u, bgeu: OP.i64_ge_u };
const PLAIN = new Set(['fence', 'fence.tso']);

/** Whether the block compiler translates this op. */
export function translatable(op: number): boolean {
  const m = byOp.get(op)?.mnemonic;
  return m !== undefined && (m in VALUE || m in LOADS_BY || m in STORES_BY || m in BRANCHES || m === 'jal' || m === 'jalr' || PLAIN.has(m));
}

const validTarget = (t: bigint) => t >= 0n && t < BigInt(LAYOUT.SRAM_SIZE) && (t & 3n) === 0n;

type Insn = { pc: bigint; x: Rec; i: Instr };

/** A region's sub-block: straight-line code from `pc` through not-taken branches. */
interface Sub {
  pc: bigint;
  insns: Insn[];
}

export interface Block {
  /** Instructions on the longest path of the entry's sub-block (the budget a call needs). */
  length: number;
  /** The SRAM byte ranges [start, end) whose words the region holds (its code lines). */
  ranges: [number, number][];
  /** The function's body and locals, and whether it calls the mulhu helper. */
  locals: number[];
  body: number[];
  usesMulhu: boolean;
}

/** A region reaches branch targets this far from its entry, in bytes, and holds at most this much. */
const REACH = 4096n;
const MAX_SUBS = 48;
const MAX_INSNS = 768;

const directTarget = (i: Instr): boolean => i.mnemonic in BRANCHES || i.mnemonic === 'jal';

/**
 * Translate the region at `entry`, reading records with `rec`: the sub-block at the entry, and the
 * sub-blocks at the targets of its direct branches and jumps within REACH, and theirs, up to MAX_SUBS and
 * MAX_INSNS. Control passes between sub-blocks inside the function (a switch on the sub-block number)
 * when the interpreter would go on there too. Null when the entry's instruction cannot be translated.
 */
export function translate(entry: bigint, rec: (pc: bigint) => Rec | null): Block | null {
  const subs: Sub[] = [];
  const index = new Map<bigint, number>([[entry, 0]]);
  const starts = [entry];
  let total = 0;
  for (let k = 0; k < starts.length; k++) {
    const insns: Insn[] = [];
    for (let pc = starts[k]!; insns.length < LAYOUT.JIT_MAX_BLOCK && pc < BigInt(LAYOUT.SRAM_SIZE); pc += 4n) {
      if (insns.length > 0 && index.has(pc)) break; // another sub-block starts here: go on there
      const x = rec(pc);
      if (!x || !translatable(x.op)) break;
      const i = byOp.get(x.op)!;
      if (directTarget(i) && !validTarget(pc + x.imm)) break;
      insns.push({ pc, x, i });
      if (i.flags?.jump) break;
    }
    subs.push({ pc: starts[k]!, insns });
    total += insns.length;
    for (const { pc, x, i } of insns) {
      const t = pc + x.imm;
      if (!directTarget(i) || index.has(t) || t < entry - REACH || t >= entry + REACH) continue;
      if (starts.length >= MAX_SUBS || total >= MAX_INSNS) continue;
      index.set(t, starts.length);
      starts.push(t);
    }
  }
  if (subs[0]!.insns.length === 0) return null;
  const all = subs.flatMap((s) => s.insns);
  /** The sub-block that runs at pc, if it has code. */
  const subAt = (pc: bigint): number | undefined => {
    const k = index.get(pc);
    return k !== undefined && subs[k]!.insns.length > 0 ? k : undefined;
  };

  // registers: read (values and ready times) and written
  const reads = new Set<number>(), writes = new Set<number>();
  for (const { x, i } of all) {
    if (i.operands.includes('rs1')) reads.add(x.rs1 >> 3);
    if (i.operands.includes('rs2')) reads.add(x.aux >> 3);
    if (i.operands.includes('rd')) writes.add(x.rd >> 3);
  }
  const b = new Body();
  const used = [...new Set([...reads, ...writes])].sort((p, q) => p - q);
  for (const r of used) {
    if (r !== 0) b.i32(0).mem(OP.i64_load, LAYOUT.REGS + 8 * r).set(VAL(r));
    b.i32(0).mem(OP.i64_load, LAYOUT.XREADY + 8 * r).set(RDY(r));
  }
  for (const g of GLOBALS) b.gget(G[g]).set(MODEL[g]);

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
  /**
   * Go on at `target` after `done` instructions of this sub-block: inside the function when it is one of
   * its sub-blocks and the interpreter would go on there too (after a taken branch, only while the
   * thread's clock is at or before switchAt; and only when the sub-block's longest path fits in the
   * budget), else leave.
   */
  const next = (target: bigint, done: number, taken: boolean) => {
    const j = subAt(target);
    if (j !== undefined) {
      if (taken) b.get(MODEL.clk).get(MODEL.switchAt).op(OP.i64_le_s);
      b.get(BASE).i64(BigInt(done + subs[j]!.insns.length)).op(OP.i64_add).get(ROOM).op(OP.i64_le_u);
      if (taken) b.op(OP.i32_and);
      b.open(OP.if);
      b.get(BASE).i64(BigInt(done)).op(OP.i64_add).set(BASE).i32(j).set(STATE).br(TOP);
      b.end();
    }
    exit(target, done, taken);
  };
  /** The address rs1 + imm into A; leave before this instruction when [A, A + size) is not in SRAM. */
  const address = (x: Rec, size: number, k: number, pc: bigint) => {
    x1(b, x);
    b.i64(x.imm).op(OP.i64_add).tee(A).i64(BigInt(LAYOUT.SRAM_SIZE - size)).op(OP.i64_gt_u).open(OP.if);
    exit(pc, k, false);
    b.end();
  };
  /** A taken branch or jump: the front end's redirect (emulator/gen timingSource). */
  const redirect = () => {
    b.get(T).i64(ticks(1 + REDIRECT_PENALTY)).op(OP.i64_add).set(R);
    b.get(MODEL.sBranch).get(R).get(MODEL.clk).op(OP.i64_sub).i64(0n).get(R).get(MODEL.clk).op(OP.i64_gt_s, OP.select, OP.i64_add).set(MODEL.sBranch);
    b.get(R).get(MODEL.clk).get(R).get(MODEL.clk).op(OP.i64_gt_s, OP.select).set(MODEL.clk);
  };

  for (const sub of subs) {
    b.end(); // this sub-block's case of the switch starts here
    sub.insns.forEach(({ pc, x, i }, k) => {
      const m = i.mnemonic;
      // checks that leave before the instruction come first: nothing of it has happened yet
      if (m in LOADS_BY) address(x, LOADS_BY[m]![1], k, pc);
      if (m in STORES_BY) address(x, STORES_BY[m]![1], k, pc);
      if (m === 'jalr') {
        x1(b, x);
        b.i64(x.imm).op(OP.i64_add).i64(-2n).op(OP.i64_and).tee(A).i64(BigInt(LAYOUT.SRAM_SIZE)).op(OP.i64_ge_u);
        b.get(A).i64(3n).op(OP.i64_and, OP.i64_eqz, OP.i32_eqz, OP.i32_or).open(OP.if);
        exit(pc, k, false);
        b.end();
      }
      timing(b, x, i);
      if (m in VALUE) {
        VALUE[m]!(b, x, pc);
        b.set(VAL(x.rd >> 3));
      } else if (m in LOADS_BY) {
        b.get(CORE).get(A).op(OP.i32_wrap_i64, OP.i32_add).mem(LOADS_BY[m]![0], LAYOUT.CORE_SRAM).set(VAL(x.rd >> 3));
      } else if (m in STORES_BY) {
        const size = STORES_BY[m]![1];
        b.get(CORE).get(A).op(OP.i32_wrap_i64, OP.i32_add);
        x2(b, x);
        b.mem(STORES_BY[m]![0], LAYOUT.CORE_SRAM);
        // forget the predecoded records of the words written (emulator/assembly/state.ts invalidate)
        const words = size === 8 ? [0n, 4n, 7n] : size === 1 ? [0n] : [0n, BigInt(size - 1)];
        for (const off of words) {
          b.get(CORE).get(A).i64(off).op(OP.i64_add, OP.i32_wrap_i64).i32(2).op(OP.i32_shr_u).i32(4).op(OP.i32_shl, OP.i32_add).i32(0).mem(OP.i32_store16, LAYOUT.CORE_PREDEC);
        }
        // a code line that compiled code covers: drop the core's compiled code, and leave (this may be it)
        b.get(CORE).get(A).op(OP.i32_wrap_i64).i32(6).op(OP.i32_shr_u, OP.i32_add).mem(OP.i32_load8_u, LAYOUT.CORE_CODELINES);
        b.get(CORE).get(A).i64(BigInt(size - 1)).op(OP.i64_add, OP.i32_wrap_i64).i32(6).op(OP.i32_shr_u, OP.i32_add).mem(OP.i32_load8_u, LAYOUT.CORE_CODELINES);
        b.op(OP.i32_or).open(OP.if);
        b.get(A).op(OP.i32_wrap_i64).i32(size).op(OP.call, CODE_WRITTEN);
        exit(pc + 4n, k + 1, false);
        b.end();
      } else if (m in BRANCHES) {
        const target = pc + x.imm;
        if (target !== pc + 4n) {
          x1(b, x); x2(b, x); b.op(BRANCHES[m]!).open(OP.if);
          redirect();
          next(target, k + 1, true);
          b.end();
        }
      } else if (m === 'jal' || m === 'jalr') {
        redirect();
        b.i64(pc + 4n).set(VAL(x.rd >> 3));
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
    const last = sub.insns[sub.insns.length - 1];
    if (!last) exit(sub.pc, 0, false); // (a target with nothing to translate: never entered)
    else if (!last.i.flags?.jump) next(last.pc + 4n, sub.insns.length, false);
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
  for (const g of GLOBALS) if (g !== 'decodeShare' && g !== 'switchAt') b.get(MODEL[g]).gset(G[g]);
  const add = (local: number, at: number) => {
    b.i32(0).i32(0).mem(OP.f64_load, at).get(local).op(OP.f64_convert_i64_u, OP.f64_add).mem(OP.f64_store, at);
  };
  if (all.some(({ i }) => TIMING[i.timing].load)) add(LOADS, LAYOUT.RESOURCES + CYCLE_MODEL.LOAD_BYTES);
  if (all.some(({ i }) => TIMING[i.timing].store)) add(STORES, LAYOUT.RESOURCES + CYCLE_MODEL.STORE_BYTES);
  b.get(RET);
  return {
    length: subs[0]!.insns.length,
    ranges: subs.filter((s) => s.insns.length > 0).map((s) => [Number(s.pc), Number(s.pc) + 4 * s.insns.length]),
    locals: [...Array<number>(RET - 1).fill(I64), I32],
    body: b.code,
    usesMulhu: all.some(({ i }) => i.mnemonic.startsWith('mulh')),
  };
}

/**
 * The cycle model of one scalar instruction, as emulator/gen timingSource writes it for the interpreter:
 * wait for the source registers (a dependency stall), the unit, and the SRAM port (an SRAM stall); take
 * them; the thread's next issue is its decode share later; the result is ready after the latency. Leaves
 * the issue time in T.
 */
function timing(b: Body, x: Rec, i: Instr): void {
  const tm = TIMING[i.timing];
  const c = D1_CORE;
  const max = (into: number, other: number) => b.get(other).get(into).get(other).get(into).op(OP.i64_gt_s, OP.select).set(into);
  b.get(MODEL.clk).set(R);
  if (i.operands.includes('rs1')) max(R, RDY(x.rs1 >> 3));
  if (i.operands.includes('rs2')) max(R, RDY(x.aux >> 3));
  // r never falls below clk: the stall is their difference
  b.get(MODEL.sDep).get(R).get(MODEL.clk).op(OP.i64_sub, OP.i64_add).set(MODEL.sDep);
  b.get(R).set(T);
  const busy = i.busy ?? tm.busy ?? 1;
  const unit = tm.unit === 'int' ? MODEL.iu : MODEL.au;
  max(T, unit);
  const port = tm.load ? MODEL.lp : tm.store ? MODEL.sp : undefined;
  if (port !== undefined) {
    // sSram += max(port - t, 0); t = max(t, port)
    b.get(MODEL.sSram).get(port).get(T).op(OP.i64_sub).i64(0n).get(port).get(T).op(OP.i64_gt_s, OP.select, OP.i64_add).set(MODEL.sSram);
    max(T, port);
  }
  b.get(T).i64(ticks(busy / (tm.unit === 'int' ? c.intUnits : c.addrUnits))).op(OP.i64_add).set(unit);
  if (port !== undefined) {
    const occ = tm.load ? tm.load / c.sramLoadBytesPerCycle : tm.store! / c.sramStoreBytesPerCycle;
    b.get(T).i64(ticks(occ)).op(OP.i64_add).set(port);
    const count = tm.load ? LOADS : STORES;
    b.get(count).i64(BigInt(tm.load ?? tm.store!)).op(OP.i64_add).set(count);
  }
  b.get(T).get(MODEL.decodeShare).op(OP.i64_add).set(MODEL.clk);
  if (i.operands.includes('rd')) b.get(T).i64(ticks(tm.latency)).op(OP.i64_add).set(RDY(x.rd >> 3));
}
