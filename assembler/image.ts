// A linked program in memory: what the assembler produces, the ELF writer stores, the ELF reader gives
// back and the emulator loads. Addresses are absolute (D1 has no virtual memory).

export interface SectionFlags {
  alloc: boolean;
  write: boolean;
  exec: boolean;
}

export interface Section {
  name: string;
  addr: bigint;
  /** Contents; empty for NOBITS sections such as .bss. */
  bytes: Uint8Array;
  /** Size in memory (bytes.length, or the .bss size). */
  size: number;
  nobits: boolean;
  flags: SectionFlags;
  align: number;
}

export type SymbolType = 'notype' | 'func' | 'object' | 'section' | 'file';

export interface SymbolDef {
  name: string;
  value: bigint;
  size: number;
  global: boolean;
  type: SymbolType;
  /** Section the symbol is defined in; undefined for absolute symbols (.equ). */
  section?: string;
}

/** One row of the line table: the instruction at addr came from file:line. */
export interface LineEntry {
  addr: bigint;
  file: string;
  line: number;
}

/** A loadable segment (ELF PT_LOAD): memsz - data.length bytes of zeros follow the data. */
export interface Segment {
  vaddr: bigint;
  data: Uint8Array;
  memsz: number;
  flags: SectionFlags;
}

export interface Image {
  entry: bigint;
  sections: Section[];
  segments: Segment[];
  symbols: SymbolDef[];
  lines: LineEntry[];
}
