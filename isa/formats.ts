// Instruction formats: which fields make up a 32-bit word (RISC-V unprivileged spec, chapter 2.2-2.3).
// Listed MSB first, as the spec draws them. isa/check.ts proves each format covers bits 31..0 exactly once.

export const FORMATS: Record<string, string[]> = {
  R: ['funct7', 'rs2', 'rs1', 'funct3', 'rd', 'opcode'],
  I: ['imm12', 'rs1', 'funct3', 'rd', 'opcode'],
  S: ['simm12', 'rs2', 'rs1', 'funct3', 'opcode'],
  B: ['bimm', 'rs2', 'rs1', 'funct3', 'opcode'],
  U: ['imm20', 'rd', 'opcode'],
  J: ['jimm', 'rd', 'opcode'],
  /** Three sources (the F extension's fused multiply-add); only `.insn r4` writes it here. */
  R4: ['rs3', 'funct2', 'rs2', 'rs1', 'funct3', 'rd', 'opcode'],
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
  // Dojo D1 vector and matrix formats (docs/machine.md, "Vector unit").
  /** Vector-vector: two source vectors, one format-table entry. */
  VV: ['funct3v', 'fmt', 'vs2', 'vs1', 'funct3', 'vd', 'opcode'],
  /** Vector load, I-type shape. */
  VI: ['imm12', 'rs1', 'funct3', 'vd', 'opcode'],
  /** Vector store, S-type shape. */
  VS: ['simm12', 'vs2', 'rs1', 'funct3', 'opcode'],
  /** Vector destination, two scalar sources. */
  VX: ['funct3v', 'fmt', 'rs2', 'rs1', 'funct3', 'vd', 'opcode'],
  /** Vector destination, scalar base and index vector. */
  VXV: ['funct3v', 'fmt', 'vs2', 'rs1', 'funct3', 'vd', 'opcode'],
  /** Vector to store, two scalar sources. */
  VXS: ['funct3v', 'fmt', 'rs2', 'rs1', 'funct3', 'vs3', 'opcode'],
  /** Vector destination, vector and scalar sources. */
  VVX: ['funct3v', 'fmt', 'rs2', 'vs1', 'funct3', 'vd', 'opcode'],
  /** Scalar destination, vector and scalar sources. */
  XV: ['funct3v', 'fmt', 'rs2', 'vs1', 'funct3', 'rd', 'opcode'],
  /** Format conversion: destination and source format-table entries, part of the wider side. */
  VC: ['b31', 'part', 'fmt', 'srb', 'sfmt', 'vs1', 'funct3', 'vd', 'opcode'],
  /** Lane permutation by an immediate pattern. */
  VP: ['funct3v', 'fmt', 'pat5', 'vs1', 'funct3', 'vd', 'opcode'],
  /** Matrix multiply-accumulate into an accumulator. */
  MMA: ['funct3v', 'fmt', 'vs2', 'vs1', 'funct3', 'pad3a', 'acc', 'opcode'],
  /** Accumulator rows to a vector register. */
  MGET: ['funct3v', 'pad4', 'pad3c', 'mpart', 'pad3b', 'acc1', 'funct3', 'vd', 'opcode'],
  /** A vector register to accumulator rows. */
  MSET: ['funct3v', 'pad4', 'pad3c', 'mpart', 'vs1', 'funct3', 'pad3a', 'acc', 'opcode'],
};

/** RISC-V major opcodes (spec table 24.1, "RISC-V base opcode map"), named as GNU as's `.insn` names them;
 * those of extensions d1 lacks (F, A, V) only serve `.insn`. */
export const OPCODES = {
  LOAD: 0x03,
  LOAD_FP: 0x07,
  CUSTOM_0: 0x0b,
  MISC_MEM: 0x0f,
  OP_IMM: 0x13,
  AUIPC: 0x17,
  OP_IMM_32: 0x1b,
  STORE: 0x23,
  STORE_FP: 0x27,
  CUSTOM_1: 0x2b,
  AMO: 0x2f,
  OP: 0x33,
  LUI: 0x37,
  OP_32: 0x3b,
  MADD: 0x43,
  MSUB: 0x47,
  NMSUB: 0x4b,
  NMADD: 0x4f,
  OP_FP: 0x53,
  OP_V: 0x57,
  CUSTOM_2: 0x5b,
  BRANCH: 0x63,
  JALR: 0x67,
  JAL: 0x6f,
  SYSTEM: 0x73,
  CUSTOM_3: 0x7b,
} as const;

/** Major opcodes reserved for the Dojo D1 extensions (the RISC-V custom-0..3 space). */
export const RESERVED_FOR_D1 = ['CUSTOM_0', 'CUSTOM_1', 'CUSTOM_2', 'CUSTOM_3'] as const;
