// The shape of one row of the instruction table, and of the derived, checked table entries.

/** Timing classes; their latencies live in isa/timing.ts. */
export type TimingClass =
  | 'alu' | 'mul' | 'div' | 'load' | 'store' | 'branch' | 'jump' | 'csr' | 'system' | 'fence'
  | 'valu' | 'vfma' | 'vlong' | 'vperm' | 'vload' | 'vstore' | 'vgather' | 'vscatter' | 'vmove' | 'macc' | 'matrix';

export interface InstrFlags {
  mayLoad?: boolean;
  mayStore?: boolean;
  /** Conditional branch (target in a pcrel field). */
  branch?: boolean;
  /** Unconditional control transfer (jal, jalr). */
  jump?: boolean;
  /** Stops the run loop and hands control to the host (ecall, ebreak). */
  system?: boolean;
  /** Reads its destination vector register too (multiply-add, select, merging conversions, lane insert). */
  readsDest?: boolean;
}

/** One instruction as written in isa/ext/*.ts. */
export interface InstrDef {
  mnemonic: string;
  /** Extension name, e.g. 'rv64i'. */
  ext: string;
  /** Key of FORMATS. */
  format: string;
  /** Values of the fields that are fixed for this instruction. */
  fixed: Record<string, number>;
  /** Assembly operand syntax, naming fields: 'rd, rs1, imm12' or 'rd, imm12(rs1)'. Empty for none. */
  syntax: string;
  timing: TimingClass;
  /** Cycles the unit stays busy when it differs from the class's (e.g. a transpose of R registers: R). */
  busy?: number;
  /** Reads vs1 .. vs1+group-1 and writes vd .. vd+group-1 (the transposes). */
  group?: number;
  summary: string;
  /** Section of the manual the instruction comes from. */
  manual: string;
  flags?: InstrFlags;
}

/** A table entry after loading: the definition plus what is derived from it. */
export interface Instr extends InstrDef {
  /** Operand field names in syntax order. */
  operands: string[];
  match: number;
  mask: number;
  /** Name of the emulator's semantics function: exec_<mnemonic with . replaced by _>. */
  exec: string;
  /** Index in the table; the emulator's opcode number is index + 1 (0 means "not decoded"). */
  id: number;
}

/**
 * A pseudo-instruction that is exactly one base instruction with some operands fixed. The expansion is
 * written as assembly, naming the pseudo's operands; the disassembler uses the same row in reverse.
 */
export interface AliasDef {
  mnemonic: string;
  syntax: string;
  expands: string;
  /** Only used to print disassembly, never accepted by the assembler as a one-instruction form. */
  printOnly?: boolean;
  /** Only accepted by the assembler; the disassembler does not print it. */
  parseOnly?: boolean;
  /** The immediate must be a constant known where the line is (numbers and symbols set before it), as GNU
   * as requires of a register instruction given an immediate (`add a0, a0, 1`). */
  constant?: boolean;
}
