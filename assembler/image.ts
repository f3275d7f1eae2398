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

/** The code a macro call made (assembler/macro-calls.ts): [addr, end), called at file:line. */
export interface MacroCall {
  addr: bigint;
  end: bigint;
  file: string;
  line: number;
}

export interface Image {
  entry: bigint;
  sections: Section[];
  segments: Segment[];
  symbols: SymbolDef[];
  lines: LineEntry[];
  /** Where the code of each macro call is, by address, an enclosing call's before the calls inside it
   * that start at the same address (the assembler's; absent when there are none, and in a program read
   * from an ELF file). */
  macroCalls?: MacroCall[];
  /** The same rows in columns, when the assembler made the image (the ELF writer reads these). */
  lineColumns?: LineColumns;
}

/** Line table rows in columns: a row per instruction or datum, so a large program has millions; as
 * objects they are made only when someone reads Image.lines. file[k] indexes files. */
export interface LineColumns {
  addr: ArrayLike<number>;
  line: ArrayLike<number>;
  file: ArrayLike<number>;
  files: string[];
}

/** An image whose `lines` are made from `columns` when first read. */
export function withLineColumns(image: Omit<Image, 'lines' | 'lineColumns'>, columns: LineColumns): Image {
  let lines: LineEntry[] | undefined;
  return {
    ...image,
    lineColumns: columns,
    get lines(): LineEntry[] {
      return (lines ??= Array.from(columns.addr, (a, k) => ({ addr: BigInt(a), file: columns.files[columns.file[k]!]!, line: columns.line[k]! })));
    },
  };
}

/** The columns of an image's line table. */
export function lineColumns(image: Image): LineColumns {
  if (image.lineColumns) return image.lineColumns;
  const files = [...new Set(image.lines.map((l) => l.file))];
  const index = new Map(files.map((f, k) => [f, k]));
  return { addr: image.lines.map((l) => Number(l.addr)), line: image.lines.map((l) => l.line), file: image.lines.map((l) => index.get(l.file)!), files };
}
