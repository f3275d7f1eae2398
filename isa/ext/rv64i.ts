// RV64I base integer instruction set (RISC-V unprivileged spec, chapters 2 "RV32I" and 4 "RV64I").
import type { InstrDef, TimingClass, InstrFlags } from '../types.js';
import { OPCODES as O } from '../formats.js';

const EXT = 'rv64i';
const row =
  (manual: string) =>
  (
    mnemonic: string,
    format: string,
    fixed: Record<string, number>,
    syntax: string,
    timing: TimingClass,
    summary: string,
    flags?: InstrFlags,
  ): InstrDef => ({ mnemonic, ext: EXT, format, fixed, syntax, timing, summary, manual, flags });

const rv32 = row('RV32I 2.4-2.8');
const rv64 = row('RV64I 4.2-4.4');

const R = 'rd, rs1, rs2';
const I = 'rd, rs1, imm12';
const LD = 'rd, imm12(rs1)';
const ST = 'rs2, simm12(rs1)';
const BR = 'rs1, rs2, bimm';
const L = { mayLoad: true };
const S = { mayStore: true };
const B = { branch: true };

export const RV64I: InstrDef[] = [
  rv32('lui', 'U', { opcode: O.LUI }, 'rd, imm20', 'alu', 'rd = sext(imm20 << 12)'),
  rv32('auipc', 'U', { opcode: O.AUIPC }, 'rd, imm20', 'alu', 'rd = pc + sext(imm20 << 12)'),
  rv32('jal', 'J', { opcode: O.JAL }, 'rd, jimm', 'jump', 'rd = pc + 4; pc += offset', { jump: true }),
  rv32('jalr', 'I', { opcode: O.JALR, funct3: 0 }, LD, 'jump', 'rd = pc + 4; pc = (rs1 + imm) & ~1', { jump: true }),
  rv32('beq', 'B', { opcode: O.BRANCH, funct3: 0 }, BR, 'branch', 'branch if rs1 == rs2', B),
  rv32('bne', 'B', { opcode: O.BRANCH, funct3: 1 }, BR, 'branch', 'branch if rs1 != rs2', B),
  rv32('blt', 'B', { opcode: O.BRANCH, funct3: 4 }, BR, 'branch', 'branch if rs1 < rs2, signed', B),
  rv32('bge', 'B', { opcode: O.BRANCH, funct3: 5 }, BR, 'branch', 'branch if rs1 >= rs2, signed', B),
  rv32('bltu', 'B', { opcode: O.BRANCH, funct3: 6 }, BR, 'branch', 'branch if rs1 < rs2, unsigned', B),
  rv32('bgeu', 'B', { opcode: O.BRANCH, funct3: 7 }, BR, 'branch', 'branch if rs1 >= rs2, unsigned', B),
  rv32('lb', 'I', { opcode: O.LOAD, funct3: 0 }, LD, 'load', 'rd = sext(mem8[rs1 + imm])', L),
  rv32('lh', 'I', { opcode: O.LOAD, funct3: 1 }, LD, 'load', 'rd = sext(mem16[rs1 + imm])', L),
  rv32('lw', 'I', { opcode: O.LOAD, funct3: 2 }, LD, 'load', 'rd = sext(mem32[rs1 + imm])', L),
  rv64('ld', 'I', { opcode: O.LOAD, funct3: 3 }, LD, 'load', 'rd = mem64[rs1 + imm]', L),
  rv32('lbu', 'I', { opcode: O.LOAD, funct3: 4 }, LD, 'load', 'rd = zext(mem8[rs1 + imm])', L),
  rv32('lhu', 'I', { opcode: O.LOAD, funct3: 5 }, LD, 'load', 'rd = zext(mem16[rs1 + imm])', L),
  rv64('lwu', 'I', { opcode: O.LOAD, funct3: 6 }, LD, 'load', 'rd = zext(mem32[rs1 + imm])', L),
  rv32('sb', 'S', { opcode: O.STORE, funct3: 0 }, ST, 'store', 'mem8[rs1 + imm] = rs2', S),
  rv32('sh', 'S', { opcode: O.STORE, funct3: 1 }, ST, 'store', 'mem16[rs1 + imm] = rs2', S),
  rv32('sw', 'S', { opcode: O.STORE, funct3: 2 }, ST, 'store', 'mem32[rs1 + imm] = rs2', S),
  rv64('sd', 'S', { opcode: O.STORE, funct3: 3 }, ST, 'store', 'mem64[rs1 + imm] = rs2', S),
  rv32('addi', 'I', { opcode: O.OP_IMM, funct3: 0 }, I, 'alu', 'rd = rs1 + imm'),
  rv32('slti', 'I', { opcode: O.OP_IMM, funct3: 2 }, I, 'alu', 'rd = rs1 < imm, signed'),
  rv32('sltiu', 'I', { opcode: O.OP_IMM, funct3: 3 }, I, 'alu', 'rd = rs1 < sext(imm), unsigned'),
  rv32('xori', 'I', { opcode: O.OP_IMM, funct3: 4 }, I, 'alu', 'rd = rs1 ^ imm'),
  rv32('ori', 'I', { opcode: O.OP_IMM, funct3: 6 }, I, 'alu', 'rd = rs1 | imm'),
  rv32('andi', 'I', { opcode: O.OP_IMM, funct3: 7 }, I, 'alu', 'rd = rs1 & imm'),
  rv64('slli', 'I_SH6', { opcode: O.OP_IMM, funct3: 1, funct6: 0x00 }, 'rd, rs1, shamt6', 'alu', 'rd = rs1 << shamt'),
  rv64('srli', 'I_SH6', { opcode: O.OP_IMM, funct3: 5, funct6: 0x00 }, 'rd, rs1, shamt6', 'alu', 'rd = rs1 >> shamt, logical'),
  rv64('srai', 'I_SH6', { opcode: O.OP_IMM, funct3: 5, funct6: 0x10 }, 'rd, rs1, shamt6', 'alu', 'rd = rs1 >> shamt, arithmetic'),
  rv32('add', 'R', { opcode: O.OP, funct3: 0, funct7: 0x00 }, R, 'alu', 'rd = rs1 + rs2'),
  rv32('sub', 'R', { opcode: O.OP, funct3: 0, funct7: 0x20 }, R, 'alu', 'rd = rs1 - rs2'),
  rv32('sll', 'R', { opcode: O.OP, funct3: 1, funct7: 0x00 }, R, 'alu', 'rd = rs1 << rs2[5:0]'),
  rv32('slt', 'R', { opcode: O.OP, funct3: 2, funct7: 0x00 }, R, 'alu', 'rd = rs1 < rs2, signed'),
  rv32('sltu', 'R', { opcode: O.OP, funct3: 3, funct7: 0x00 }, R, 'alu', 'rd = rs1 < rs2, unsigned'),
  rv32('xor', 'R', { opcode: O.OP, funct3: 4, funct7: 0x00 }, R, 'alu', 'rd = rs1 ^ rs2'),
  rv32('srl', 'R', { opcode: O.OP, funct3: 5, funct7: 0x00 }, R, 'alu', 'rd = rs1 >> rs2[5:0], logical'),
  rv32('sra', 'R', { opcode: O.OP, funct3: 5, funct7: 0x20 }, R, 'alu', 'rd = rs1 >> rs2[5:0], arithmetic'),
  rv32('or', 'R', { opcode: O.OP, funct3: 6, funct7: 0x00 }, R, 'alu', 'rd = rs1 | rs2'),
  rv32('and', 'R', { opcode: O.OP, funct3: 7, funct7: 0x00 }, R, 'alu', 'rd = rs1 & rs2'),
  rv64('addiw', 'I', { opcode: O.OP_IMM_32, funct3: 0 }, I, 'alu', 'rd = sext32(rs1 + imm)'),
  rv64('slliw', 'I_SH5', { opcode: O.OP_IMM_32, funct3: 1, funct7: 0x00 }, 'rd, rs1, shamt5', 'alu', 'rd = sext32(rs1 << shamt)'),
  rv64('srliw', 'I_SH5', { opcode: O.OP_IMM_32, funct3: 5, funct7: 0x00 }, 'rd, rs1, shamt5', 'alu', 'rd = sext32(rs1[31:0] >> shamt), logical'),
  rv64('sraiw', 'I_SH5', { opcode: O.OP_IMM_32, funct3: 5, funct7: 0x20 }, 'rd, rs1, shamt5', 'alu', 'rd = sext32(rs1[31:0] >> shamt), arithmetic'),
  rv64('addw', 'R', { opcode: O.OP_32, funct3: 0, funct7: 0x00 }, R, 'alu', 'rd = sext32(rs1 + rs2)'),
  rv64('subw', 'R', { opcode: O.OP_32, funct3: 0, funct7: 0x20 }, R, 'alu', 'rd = sext32(rs1 - rs2)'),
  rv64('sllw', 'R', { opcode: O.OP_32, funct3: 1, funct7: 0x00 }, R, 'alu', 'rd = sext32(rs1 << rs2[4:0])'),
  rv64('srlw', 'R', { opcode: O.OP_32, funct3: 5, funct7: 0x00 }, R, 'alu', 'rd = sext32(rs1[31:0] >> rs2[4:0]), logical'),
  rv64('sraw', 'R', { opcode: O.OP_32, funct3: 5, funct7: 0x20 }, R, 'alu', 'rd = sext32(rs1[31:0] >> rs2[4:0]), arithmetic'),
  rv32('fence', 'FENCE', { opcode: O.MISC_MEM, funct3: 0, fm: 0, rd: 0, rs1: 0 }, 'pred, succ', 'fence', 'order memory accesses (a no-op on one core)'),
  rv32('fence.tso', 'FENCE', { opcode: O.MISC_MEM, funct3: 0, fm: 8, rd: 0, rs1: 0, pred: 3, succ: 3 }, '', 'fence', 'total-store-order fence (a no-op on one core)'),
  rv32('ecall', 'I', { opcode: O.SYSTEM, funct3: 0, rd: 0, rs1: 0, imm12: 0 }, '', 'system', 'call the host (a7 = call number, see docs/machine.md)', { system: true }),
  rv32('ebreak', 'I', { opcode: O.SYSTEM, funct3: 0, rd: 0, rs1: 0, imm12: 1 }, '', 'system', 'stop in the debugger, or fault without one', { system: true }),
];

/** The conditional branch taken exactly when the given one is not (funct3 bit 0 flipped): GNU as turns a
 * branch whose target is out of range into the inverse branch over a `jal` (binutils tc-riscv.c
 * md_convert_frag_branch). */
export const INVERSE_BRANCH: Readonly<Record<string, string>> = { beq: 'bne', bne: 'beq', blt: 'bge', bge: 'blt', bltu: 'bgeu', bgeu: 'bltu' };
