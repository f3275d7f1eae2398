// The RISC-V semantics the block compiler translates (RISC-V unprivileged spec, chapters 2, 4 and 13), as
// wasm over the block's locals: what each instruction writes to rd, and the loads, stores and branches.
// The interpreter's own are emulator/assembly/exec/rv64i.ts and rv64m.ts; the differential tests
// (test/emulator/jit-diff.test.ts) hold the two to the same results.
import { INSTRUCTIONS } from '../../../isa/table.js';
import type { Instr } from '../../../isa/types.js';
import { Body, I64, OP } from './wasm.js';
import { MULHU } from './imports.js';
import { A, B, VAL } from './locals.js';
import { vectorKind } from './vector.js';

/** A predecoded record (emulator/gen RECORD): op id, register slots (byte offsets), immediates. */
export interface Rec {
  op: number;
  rd: number;
  rs1: number;
  aux: number;
  imm: bigint;
}

export const byOp = new Map<number, Instr>(INSTRUCTIONS.map((i) => [i.id + 1, i]));

const M32 = 0xffffffffn;

type Emit = (b: Body, x: Rec, pc: bigint) => void;
export const x1 = (b: Body, x: Rec) => (x.rs1 === 0 ? b.i64(0n) : b.get(VAL(x.rs1 >> 3)));
export const x2 = (b: Body, x: Rec) => (x.aux === 0 ? b.i64(0n) : b.get(VAL(x.aux >> 3)));
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
export const VALUE: Record<string, Emit> = {
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

export const LOADS_BY: Record<string, [number, number]> = {
  lb: [OP.i64_load8_s, 1], lh: [OP.i64_load16_s, 2], lw: [OP.i64_load32_s, 4], ld: [OP.i64_load, 8],
  lbu: [OP.i64_load8_u, 1], lhu: [OP.i64_load16_u, 2], lwu: [OP.i64_load32_u, 4],
};
export const STORES_BY: Record<string, [number, number]> = { sb: [OP.i64_store8, 1], sh: [OP.i64_store16, 2], sw: [OP.i64_store32, 4], sd: [OP.i64_store, 8] };
export const BRANCHES: Record<string, number> = { beq: OP.i64_eq, bne: OP.i64_ne, blt: OP.i64_lt_s, bge: OP.i64_ge_s, bltu: OP.i64_lt_u, bgeu: OP.i64_ge_u };
export const PLAIN = new Set(['fence', 'fence.tso']);

/** Whether the block compiler translates this op (in the race-checking build, `races`, no vector loads
 * or stores: the interpreter logs their accesses). */
export function translatable(op: number, races = false): boolean {
  const i = byOp.get(op);
  if (i === undefined) return false;
  const m = i.mnemonic;
  return m in VALUE || m in LOADS_BY || m in STORES_BY || m in BRANCHES || m === 'jal' || m === 'jalr' || PLAIN.has(m) || vectorKind(i, races) !== undefined;
}

