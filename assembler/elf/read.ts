// ELF64 reader for the loader, objdump and the debugger (System V gABI "ELF-64 Object File Format"; RISC-V
// ELF psABI): RISC-V executables made by d1 or by GNU ld/gcc. Everything is validated and reported as a
// Diagnostic; malformed input never throws. Whether the segments fit in SRAM is the loader's question.
// The compressed-instruction flag (EF_RISCV_RVC) is a warning, not an error: such a file may still hold
// only 32-bit instructions, and a compressed one faults as illegal when it runs.
import { diag, type Diagnostic } from '../diagnostics.js';
import type { Image, LineEntry, Section, Segment, SymbolDef, SymbolType } from '../image.js';
import { ByteReader, stringAt } from './bytes.js';
import { ELF, MACHINE_NAMES, type SectionHeader } from './constants.js';
import { readDebugLine } from './dwarf.js';

const MAX_HEADERS = 4096;
/** Larger segments or sections are surely corrupt (and would not stay exact as JS numbers). */
const MAX_SIZE = 2 ** 32;
const TYPES: Record<number, SymbolType> = { 0: 'notype', 1: 'object', 2: 'func', 3: 'section', 4: 'file' };

/** A reason to reject the file; thrown inside the reader only, returned as a Diagnostic. */
class Malformed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Header {
  entry: bigint;
  flags: number;
  phoff: number;
  phnum: number;
  shoff: number;
  shnum: number;
  shstrndx: number;
}

export type ReadResult = { image: Image; warnings: Diagnostic[] } | { diagnostics: Diagnostic[] };

export function readElf(bytes: Uint8Array, file: string): ReadResult {
  try {
    const h = header(bytes);
    const warnings: Diagnostic[] = [];
    if (h.flags & ELF.EF_RISCV_RVC) {
      warnings.push(diag('elf-rvc', 'the ELF says it may contain compressed (RVC) instructions, which D1 does not have; a compressed instruction will fault as illegal', { file }, 'warning'));
    }
    const segments = loadSegments(bytes, h);
    const shdrs = sectionHeaders(bytes, h);
    const content = (s: SectionHeader) => bytes.subarray(s.offset, s.offset + s.size);
    const sections: Section[] = shdrs
      .filter((s) => s.flags & ELF.SHF_ALLOC)
      .map((s) => ({
        name: s.name,
        addr: s.addr,
        bytes: s.type === ELF.SHT_NOBITS ? new Uint8Array(0) : content(s).slice(),
        size: s.size,
        nobits: s.type === ELF.SHT_NOBITS,
        flags: { alloc: true, write: (s.flags & ELF.SHF_WRITE) !== 0, exec: (s.flags & ELF.SHF_EXECINSTR) !== 0 },
        align: s.align,
      }));
    const symbols = shdrs.filter((s) => s.type === ELF.SHT_SYMTAB).flatMap((s) => readSymbols(bytes, s, shdrs));

    let lines: LineEntry[] = [];
    const find = (name: string) => shdrs.find((s) => s.name === name && s.type !== ELF.SHT_NOBITS);
    const dl = find('.debug_line');
    if (dl) {
      const ls = find('.debug_line_str');
      const st = find('.debug_str');
      try {
        lines = readDebugLine(content(dl), ls && content(ls), st && content(st));
        lines.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
      } catch (e) {
        warnings.push(diag('dwarf', `ignoring the line table: ${e instanceof Error ? e.message : String(e)}`, { file }, 'warning'));
      }
    }
    return { image: { entry: h.entry, sections, segments, symbols, lines }, warnings };
  } catch (e) {
    if (e instanceof Malformed) return { diagnostics: [diag(e.code, e.message, { file })] };
    // A read past the end that no check above caught: still the file's fault, still no stack trace.
    return { diagnostics: [diag('elf-malformed', `malformed ELF: ${e instanceof Error ? e.message : String(e)}`, { file })] };
  }
}

function header(bytes: Uint8Array): Header {
  if (bytes.length < 4 || ELF.MAGIC.some((b, i) => bytes[i] !== b)) throw new Malformed('elf-magic', 'not an ELF file (bad magic number)');
  if (bytes.length < ELF.EHDR_SIZE) throw new Malformed('elf-truncated', `truncated ELF header (${bytes.length} bytes, need ${ELF.EHDR_SIZE})`);
  if (bytes[4] !== ELF.CLASS64) throw new Malformed('elf-class', `ELF class ${bytes[4] === 1 ? '32-bit' : bytes[4]} is not supported: D1 programs are 64-bit (ELFCLASS64)`);
  if (bytes[5] !== ELF.DATA_LE) throw new Malformed('elf-endian', 'big-endian ELF is not supported: RISC-V is little-endian');
  if (bytes[6] !== ELF.VERSION) throw new Malformed('elf-version', `ELF version ${bytes[6]} is not supported (expected ${ELF.VERSION})`);
  const r = new ByteReader(bytes, 16);
  const type = r.u16();
  const machine = r.u16();
  if (machine !== ELF.EM_RISCV) throw new Malformed('elf-machine', `ELF machine is ${MACHINE_NAMES[machine] ?? String(machine)}, expected RISC-V (243)`);
  if (type !== ELF.ET_EXEC) throw new Malformed('elf-type', `ELF type ${type} is not an executable (ET_EXEC); link it first (relocatable objects and shared objects cannot run)`);
  r.u32();
  const entry = r.u64();
  const phoff = Number(r.u64());
  const shoff = Number(r.u64());
  const flags = r.u32();
  r.u16();
  const phentsize = r.u16();
  const phnum = r.u16();
  const shentsize = r.u16();
  const shnum = r.u16();
  const shstrndx = r.u16();
  if (phnum > MAX_HEADERS || shnum > MAX_HEADERS) throw new Malformed('elf-counts', `implausible header counts (${phnum} program headers, ${shnum} sections)`);
  if (phnum > 0 && phentsize !== ELF.PHDR_SIZE) throw new Malformed('elf-phentsize', `program header size ${phentsize} is not ${ELF.PHDR_SIZE}`);
  if (phoff + phnum * ELF.PHDR_SIZE > bytes.length) throw new Malformed('elf-truncated', 'the program headers extend past the end of the file');
  if (shnum > 0 && shoff > 0 && shentsize !== ELF.SHDR_SIZE) throw new Malformed('elf-shentsize', `section header size ${shentsize} is not ${ELF.SHDR_SIZE}`);
  return { entry, flags, phoff, phnum, shoff, shnum, shstrndx };
}

/** PT_LOAD program headers, numbered as in the file (0-based) in messages. */
function loadSegments(bytes: Uint8Array, h: Header): Segment[] {
  const segments: Segment[] = [];
  for (let i = 0; i < h.phnum; i++) {
    const p = new ByteReader(bytes, h.phoff + i * ELF.PHDR_SIZE);
    const ptype = p.u32();
    const pflags = p.u32();
    const offset = Number(p.u64());
    const vaddr = p.u64();
    p.u64();
    const filesz = Number(p.u64());
    const memsz = Number(p.u64());
    if (ptype !== ELF.PT_LOAD) continue;
    if (memsz > MAX_SIZE) throw new Malformed('elf-segment', `segment ${i} is implausibly large (${memsz} bytes)`);
    if (filesz > memsz) throw new Malformed('elf-segment', `segment ${i} has more file bytes (${filesz}) than memory bytes (${memsz})`);
    if (offset + filesz > bytes.length) throw new Malformed('elf-truncated', `segment ${i} extends past the end of the file (offset ${offset} + ${filesz} > ${bytes.length})`);
    segments.push({ vaddr, data: bytes.slice(offset, offset + filesz), memsz, flags: { alloc: true, write: (pflags & ELF.PF_W) !== 0, exec: (pflags & ELF.PF_X) !== 0 } });
  }
  if (segments.length === 0) throw new Malformed('elf-empty', 'the ELF has no loadable segment');
  return segments;
}

/** All section headers with their names; sections with contents must lie inside the file. */
function sectionHeaders(bytes: Uint8Array, h: Header): SectionHeader[] {
  if (h.shnum === 0 || h.shoff === 0) return [];
  if (h.shoff + h.shnum * ELF.SHDR_SIZE > bytes.length) throw new Malformed('elf-truncated', 'the section headers extend past the end of the file');
  const raw: (SectionHeader & { nameOff: number })[] = [];
  for (let i = 0; i < h.shnum; i++) {
    const s = new ByteReader(bytes, h.shoff + i * ELF.SHDR_SIZE);
    const nameOff = s.u32();
    const type = s.u32();
    const flags = Number(s.u64());
    const addr = s.u64();
    const offset = Number(s.u64());
    const size = Number(s.u64());
    const link = s.u32();
    const info = s.u32();
    const align = Number(s.u64());
    const entsize = Number(s.u64());
    if (size > MAX_SIZE) throw new Malformed('elf-section', `section ${i} is implausibly large (${size} bytes)`);
    if (type !== ELF.SHT_NOBITS && type !== 0 && offset + size > bytes.length) throw new Malformed('elf-truncated', `section ${i} extends past the end of the file`);
    raw.push({ nameOff, name: '', type, flags, addr, offset, size, link, info, align, entsize });
  }
  const names = raw[h.shstrndx];
  const table = names && names.type === ELF.SHT_STRTAB ? bytes.subarray(names.offset, names.offset + names.size) : new Uint8Array();
  return raw.map(({ nameOff, ...s }) => ({ ...s, name: stringAt(table, nameOff) }));
}

/** Defined, named symbols of one symbol table; section and file symbols name no place in the program. */
function readSymbols(bytes: Uint8Array, table: SectionHeader, shdrs: SectionHeader[]): SymbolDef[] {
  const strs = shdrs[table.link];
  const names = strs && strs.type === ELF.SHT_STRTAB ? bytes.subarray(strs.offset, strs.offset + strs.size) : new Uint8Array();
  const out: SymbolDef[] = [];
  const count = Math.floor(table.size / ELF.SYM_SIZE);
  for (let i = 1; i < count; i++) {
    const y = new ByteReader(bytes, table.offset + i * ELF.SYM_SIZE);
    const name = stringAt(names, y.u32());
    const info = y.u8();
    y.u8();
    const shndx = y.u16();
    const value = y.u64();
    const size = Number(y.u64());
    const type = TYPES[info & 0xf] ?? 'notype';
    if (!name || shndx === 0 || type === 'section' || type === 'file') continue;
    const section = shndx < shdrs.length ? shdrs[shndx]!.name : undefined;
    out.push({ name, value, size, global: info >> 4 !== ELF.STB_LOCAL, type, ...(section ? { section } : {}) });
  }
  return out;
}
