// One-instruction pseudo-instructions (RISC-V unprivileged spec, chapter 25 "RISC-V Assembly Programmer's
// Handbook", tables 25.2-25.3). Each row names its base instruction by writing the expansion; the
// assembler substitutes operands, the disassembler matches the expansion in reverse (first match wins,
// so more specific rows come first). Multi-instruction pseudos (li, la, lla, call, tail, load/store of a
// symbol) need relocations and live in assembler/insn.ts.
import type { AliasDef } from './types.js';

const a = (mnemonic: string, syntax: string, expands: string, opts: Partial<AliasDef> = {}): AliasDef => ({
  mnemonic,
  syntax,
  expands,
  ...opts,
});

/** The pseudo-instructions of more than one instruction (assembler/insn.ts expands them). */
export const MULTI_PSEUDOS = ['li', 'la', 'lla', 'call', 'tail', 'jump'] as const;

const R_IMM = { parseOnly: true, constant: true };

export const ALIASES: AliasDef[] = [
  a('nop', '', 'addi x0, x0, 0'),
  a('li', 'rd, imm12', 'addi rd, x0, imm12', { printOnly: true }),
  a('mv', 'rd, rs1', 'addi rd, rs1, 0'),
  a('not', 'rd, rs1', 'xori rd, rs1, -1'),
  a('zext.b', 'rd, rs1', 'andi rd, rs1, 255'),
  a('neg', 'rd, rs2', 'sub rd, x0, rs2'),
  a('negw', 'rd, rs2', 'subw rd, x0, rs2'),
  a('sext.w', 'rd, rs1', 'addiw rd, rs1, 0'),
  a('seqz', 'rd, rs1', 'sltiu rd, rs1, 1'),
  a('snez', 'rd, rs2', 'sltu rd, x0, rs2'),
  a('sltz', 'rd, rs1', 'slt rd, rs1, x0'),
  a('sgtz', 'rd, rs2', 'slt rd, x0, rs2'),
  a('sgt', 'rd, rs2, rs1', 'slt rd, rs1, rs2', { parseOnly: true }),
  a('sgtu', 'rd, rs2, rs1', 'sltu rd, rs1, rs2', { parseOnly: true }),
  a('beqz', 'rs1, bimm', 'beq rs1, x0, bimm'),
  a('bnez', 'rs1, bimm', 'bne rs1, x0, bimm'),
  a('blez', 'rs2, bimm', 'bge x0, rs2, bimm'),
  a('bgez', 'rs1, bimm', 'bge rs1, x0, bimm'),
  a('bltz', 'rs1, bimm', 'blt rs1, x0, bimm'),
  a('bgtz', 'rs2, bimm', 'blt x0, rs2, bimm'),
  a('bgt', 'rs2, rs1, bimm', 'blt rs1, rs2, bimm', { parseOnly: true }),
  a('ble', 'rs2, rs1, bimm', 'bge rs1, rs2, bimm', { parseOnly: true }),
  a('bgtu', 'rs2, rs1, bimm', 'bltu rs1, rs2, bimm', { parseOnly: true }),
  a('bleu', 'rs2, rs1, bimm', 'bgeu rs1, rs2, bimm', { parseOnly: true }),
  a('j', 'jimm', 'jal x0, jimm'),
  a('jal', 'jimm', 'jal x1, jimm'),
  a('ret', '', 'jalr x0, 0(x1)'),
  a('jr', 'rs1', 'jalr x0, 0(rs1)'),
  a('jalr', 'rs1', 'jalr x1, 0(rs1)'),
  a('jalr', 'rd, rs1', 'jalr rd, 0(rs1)'),
  a('jr', 'imm12(rs1)', 'jalr x0, imm12(rs1)'),
  a('jalr', 'imm12(rs1)', 'jalr x1, imm12(rs1)'),
  a('jalr', 'rd, rs1, imm12', 'jalr rd, imm12(rs1)', { parseOnly: true, constant: true }),
  a('jalr', 'rs1, imm12', 'jalr x1, imm12(rs1)', { parseOnly: true, constant: true }),
  a('jr', 'rs1, imm12', 'jalr x0, imm12(rs1)', { parseOnly: true, constant: true }),
  a('fence', '', 'fence 15, 15'),
  // GNU's guaranteed-illegal instruction: a write to the read-only cycle CSR.
  a('unimp', '', 'csrrw x0, 0xc00, x0'),
  a('rdcycle', 'rd', 'csrrs rd, 0xc00, x0'),
  a('rdtime', 'rd', 'csrrs rd, 0xc01, x0'),
  a('rdinstret', 'rd', 'csrrs rd, 0xc02, x0'),
  a('csrr', 'rd, csr', 'csrrs rd, csr, x0'),
  a('csrw', 'csr, rs1', 'csrrw x0, csr, rs1'),
  a('csrs', 'csr, rs1', 'csrrs x0, csr, rs1'),
  a('csrc', 'csr, rs1', 'csrrc x0, csr, rs1'),
  a('csrwi', 'csr, zimm', 'csrrwi x0, csr, zimm'),
  a('csrsi', 'csr, zimm', 'csrrsi x0, csr, zimm'),
  a('csrci', 'csr, zimm', 'csrrci x0, csr, zimm'),
  // GNU as accepts the register forms with an immediate operand and picks the immediate instruction.
  a('csrw', 'csr, zimm', 'csrrwi x0, csr, zimm', { parseOnly: true }),
  a('csrs', 'csr, zimm', 'csrrsi x0, csr, zimm', { parseOnly: true }),
  a('csrc', 'csr, zimm', 'csrrci x0, csr, zimm', { parseOnly: true }),
  a('csrrw', 'rd, csr, zimm', 'csrrwi rd, csr, zimm', { parseOnly: true }),
  a('csrrs', 'rd, csr, zimm', 'csrrsi rd, csr, zimm', { parseOnly: true }),
  a('csrrc', 'rd, csr, zimm', 'csrrci rd, csr, zimm', { parseOnly: true }),
  // So do the integer register instructions that have an immediate form, for a constant immediate.
  a('add', 'rd, rs1, imm12', 'addi rd, rs1, imm12', R_IMM),
  a('and', 'rd, rs1, imm12', 'andi rd, rs1, imm12', R_IMM),
  a('or', 'rd, rs1, imm12', 'ori rd, rs1, imm12', R_IMM),
  a('xor', 'rd, rs1, imm12', 'xori rd, rs1, imm12', R_IMM),
  a('slt', 'rd, rs1, imm12', 'slti rd, rs1, imm12', R_IMM),
  a('sltu', 'rd, rs1, imm12', 'sltiu rd, rs1, imm12', R_IMM),
  a('sll', 'rd, rs1, shamt6', 'slli rd, rs1, shamt6', R_IMM),
  a('srl', 'rd, rs1, shamt6', 'srli rd, rs1, shamt6', R_IMM),
  a('sra', 'rd, rs1, shamt6', 'srai rd, rs1, shamt6', R_IMM),
  a('addw', 'rd, rs1, imm12', 'addiw rd, rs1, imm12', R_IMM),
  a('sllw', 'rd, rs1, shamt5', 'slliw rd, rs1, shamt5', R_IMM),
  a('srlw', 'rd, rs1, shamt5', 'srliw rd, rs1, shamt5', R_IMM),
  a('sraw', 'rd, rs1, shamt5', 'sraiw rd, rs1, shamt5', R_IMM),
];
