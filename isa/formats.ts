// Instruction formats: which fields make up a 32-bit word (RISC-V unprivileged spec, chapter 2.2-2.3).
// Listed MSB first, as the spec draws them. isa/check.ts proves each format covers bits 31..0 exactly once.

export const FORMATS: Record<string, string[]> = {
  R: ['funct7', 'rs2', 'rs1', 'funct3', 'rd', 'opcode'],
  I: ['imm12', 'rs1', 'funct3', 'rd', 'opcode'],
  S: ['simm12', 'rs2', 'rs1', 'funct3', 'opcode'],
  B: ['bimm', 'rs2', 'rs1', 'funct3', 'opcode'],
  U: ['imm20', 'rd', 'opcode'],
  J: ['jimm', 'rd', 'opcode'],
  /** RV64 shift by immediate: 6-bit shamt. */
  I_SH6: ['funct6', 'shamt6', 'rs1', 'funct3', 'rd', 'opcode'],
  /** RV64 word shift by immediate: 5-bit shamt. */
  I_SH5: ['funct7', 'shamt5', 'rs1', 'funct3', 'rd', 'opcode'],
  /** Zicsr, register source. */
  CSR: ['csr', 'rs1', 'funct3', 'rd', 'opcode'],
  /** Zicsr, 5-bit immediate source. */
  CSRI: ['csr', 'zimm', 'funct3', 'rd', 'opcode'],
  /** FENCE: fm, predecessor and successor sets. */
  FENCE: ['fm', 'pred', 'succ', 'rs1', 'funct3', 'rd', 'opcode'],
};

/** RISC-V major opcodes (spec table 24.1, "RISC-V base opcode map"). */
export const OPCODES = {
  LOAD: 0x03,
  CUSTOM_0: 0x0b,
  MISC_MEM: 0x0f,
  OP_IMM: 0x13,
  AUIPC: 0x17,
  OP_IMM_32: 0x1b,
  STORE: 0x23,
  CUSTOM_1: 0x2b,
  OP: 0x33,
  LUI: 0x37,
  OP_32: 0x3b,
  CUSTOM_2: 0x5b,
  BRANCH: 0x63,
  JALR: 0x67,
  JAL: 0x6f,
  SYSTEM: 0x73,
  CUSTOM_3: 0x7b,
} as const;

/** Major opcodes reserved for the Dojo D1 extensions (the RISC-V custom-0..3 space). */
export const RESERVED_FOR_D1 = ['CUSTOM_0', 'CUSTOM_1', 'CUSTOM_2', 'CUSTOM_3'] as const;
