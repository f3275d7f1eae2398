// ELF64 and DWARF constants used by the writer and the reader (System V gABI, "ELF-64 Object File
// Format"; RISC-V ELF psABI; DWARF 3 and 5 standards, sections 6.2 "Line Number Information" and 7.5).

export const ELF = {
  MAGIC: [0x7f, 0x45, 0x4c, 0x46],
  CLASS64: 2,
  DATA_LE: 1,
  VERSION: 1,
  ET_EXEC: 2,
  EM_RISCV: 243,
  EHDR_SIZE: 64,
  PHDR_SIZE: 56,
  SHDR_SIZE: 64,
  SYM_SIZE: 24,
  PT_LOAD: 1,
  PF_X: 1,
  PF_W: 2,
  PF_R: 4,
  SHT_PROGBITS: 1,
  SHT_SYMTAB: 2,
  SHT_STRTAB: 3,
  SHT_NOBITS: 8,
  SHF_WRITE: 1,
  SHF_ALLOC: 2,
  SHF_EXECINSTR: 4,
  SHN_ABS: 0xfff1,
  STB_LOCAL: 0,
  STB_GLOBAL: 1,
  STB_WEAK: 2,
  EF_RISCV_RVC: 1,
  PAGE: 0x1000,
  /** RISC-V psABI "Attributes": section type, the 'A' format version, the file tag, Tag_RISCV_arch. */
  SHT_RISCV_ATTRIBUTES: 0x70000003,
  ATTR_FORMAT: 0x41,
  ATTR_FILE: 1,
  TAG_RISCV_ARCH: 5,
} as const;

/** The ISA string D1 programs declare (.riscv.attributes), so GNU tools decode them as RV64IM + Zicsr
 * (and not as compressed or floating-point instructions). */
export const RISCV_ARCH = 'rv64i2p1_m2p0_zicsr2p0';

/** One section header (gABI Elf64_Shdr), with its name resolved. */
export interface SectionHeader {
  name: string;
  type: number;
  flags: number;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: number;
  entsize: number;
}

export const STT = { notype: 0, object: 1, func: 2, section: 3, file: 4 } as const;

/** Machine numbers worth naming in an error message. */
export const MACHINE_NAMES: Record<number, string> = {
  3: 'x86 (3)',
  8: 'MIPS (8)',
  20: 'PowerPC (20)',
  40: 'ARM (40)',
  62: 'x86-64 (62)',
  183: 'AArch64 (183)',
  243: 'RISC-V (243)',
  247: 'BPF (247)',
  258: 'LoongArch (258)',
};

export const DW = {
  LNS_copy: 1,
  LNS_advance_pc: 2,
  LNS_advance_line: 3,
  LNS_set_file: 4,
  LNS_set_column: 5,
  LNS_negate_stmt: 6,
  LNS_set_basic_block: 7,
  LNS_const_add_pc: 8,
  LNS_fixed_advance_pc: 9,
  LNS_set_prologue_end: 10,
  LNS_set_epilogue_begin: 11,
  LNS_set_isa: 12,
  LNE_end_sequence: 1,
  LNE_set_address: 2,
  LNE_define_file: 3,
  TAG_compile_unit: 0x11,
  AT_name: 0x03,
  AT_stmt_list: 0x10,
  AT_low_pc: 0x11,
  AT_high_pc: 0x12,
  AT_language: 0x13,
  AT_comp_dir: 0x1b,
  AT_producer: 0x25,
  FORM_addr: 0x01,
  FORM_data2: 0x05,
  FORM_data4: 0x06,
  FORM_data8: 0x07,
  FORM_string: 0x08,
  FORM_block: 0x09,
  FORM_data1: 0x0b,
  FORM_udata: 0x0f,
  FORM_strp: 0x0e,
  FORM_line_strp: 0x1f,
  FORM_data16: 0x1e,
  FORM_block1: 0x0a,
  FORM_strx: 0x1a,
  FORM_strx1: 0x25,
  FORM_strx2: 0x26,
  FORM_strx4: 0x28,
  LNCT_path: 1,
  LNCT_directory_index: 2,
  LANG_Mips_Assembler: 0x8001,
} as const;
