// The predecoded record (docs/machine.md, "Block compiler"): where the decoder (emulator/gen writes it)
// puts each operand of an instruction, and how the block compiler reads an immediate operand back.
import { FIELDS } from '../isa/fields.js';
import type { Instr } from '../isa/types.js';

/** Predecoded record: op u16 @0, rd u16 @2, rs1 u16 @4, aux u16 @6 (rs2 or a second immediate), imm i64 @8. */
export const RECORD = { OP: 0, RD: 2, RS1: 4, AUX: 6, IMM: 8 } as const;

/** Register fields by the record slot they use (RISC-V's rd/rs1/rs2 places). */
const REG_SLOT: Record<string, 'rd' | 'rs1' | 'aux'> = { rd: 'rd', vd: 'rd', vs3: 'rd', rs1: 'rs1', vs1: 'rs1', rs2: 'aux', vs2: 'aux' };
const isReg = (o: string): boolean => FIELDS[o]!.kind === 'xreg' || FIELDS[o]!.kind === 'vreg';

/**
 * Where each operand goes in the record: registers in their slots (x registers as byte offsets from
 * REGS, vector registers from VREGS), then the immediates: one in imm, a second in aux when no register
 * uses it; otherwise all of them packed into imm, 16 bits each in operand order.
 */
export function slots(i: Instr): Slots {
  let s = slotsOf.get(i);
  if (!s) slotsOf.set(i, (s = layout(i)));
  return s;
}
type Slots = { reg: Record<string, 'rd' | 'rs1' | 'aux'>; imm?: string; aux?: string; packed?: string[] };
const slotsOf = new WeakMap<Instr, Slots>();

function layout(i: Instr): Slots {
  const reg: Record<string, 'rd' | 'rs1' | 'aux'> = {};
  const imms: string[] = [];
  for (const o of i.operands) {
    if (isReg(o)) reg[o] = REG_SLOT[o]!;
    else imms.push(o);
  }
  const auxFree = !Object.values(reg).includes('aux');
  if (imms.length > 2 || (imms.length === 2 && !auxFree)) {
    if (imms.length > 4) throw new Error(`${i.mnemonic}: more than four immediate operands do not fit the predecoded record`);
    return { reg, packed: imms };
  }
  return { reg, imm: imms[0], aux: imms[1] };
}

/** The value of immediate operand `name` of instruction i in a record (as the generated accessors
 * <exec>_<name>(d) of emulator/assembly/generated/operands.ts read it: the low 32 bits). */
export function immediate(i: Instr, rec: { aux: number; imm: bigint }, name: string): number {
  const s = slots(i);
  const k = s.packed?.indexOf(name) ?? -1;
  if (k >= 0) return Number((rec.imm >> BigInt(16 * k)) & 0xffffn);
  if (s.imm === name) return Number(BigInt.asUintN(32, rec.imm));
  if (s.aux === name) return rec.aux;
  throw new Error(`${i.mnemonic} has no immediate operand ${name}`);
}
