// ELF64 reader for the loader, objdump and the debugger: RISC-V executables made by d1 or GNU tools.
// Everything is validated and reported as a Diagnostic; malformed input never throws.
import { diag, type Diagnostic } from '../diagnostics.js';
import type { Image, Section, Segment, SymbolDef, SymbolType, LineEntry } from '../image.js';
import { ByteReader, stringAt } from './bytes.js';
import { ELF, MACHINE_NAMES, type SectionHeader } from './constants.js';
import { readDebugLine } from './dwarf.js';

const MAX_HEADERS = 4096;
const TYPES: Record<number, SymbolType> = { 0: 'notype', 1: 'object', 2: 'func', 3: 'section', 4: 'file' };

type Shdr = SectionHeader;

export function readElf(bytes: Uint8Array, file: string): { image: Image; warnings: Diagnostic[] } | { diagnostics: Diagnostic[] } {
  const fail = (code: string, message: string) => ({ diagnostics: [diag(code, message, { file })] });
  try {
    if (bytes.length < 4 || ELF.MAGIC.some((b, i) => bytes[i] !== b)) return fail('elf-magic', 'not an ELF file (bad magic number)');
    if (bytes.length < ELF.EHDR_SIZE) return fail('elf-truncated', `truncated ELF header (${bytes.length} bytes, need ${ELF.EHDR_SIZE})`);
    if (bytes[4] !== ELF.CLASS64) return fail('elf-class', `ELF class ${bytes[4] === 1 ? '32-bit' : bytes[4]} is not supported: D1 programs are 64-bit (ELFCLASS64)`);
    if (bytes[5] !== ELF.DATA_LE) return fail('elf-endian', 'big-endian ELF is not supported: RISC-V is little-endian');
    const r = new ByteReader(bytes, 16);
    const type = r.u16();
    const machine = r.u16();
    if (machine !== ELF.EM_RISCV) return fail('elf-machine', `ELF machine is ${MACHINE_NAMES[machine] ?? String(machine)}, expected RISC-V (243)`);
    if (type !== ELF.ET_EXEC) return fail('elf-type', `ELF type ${type} is not an executable (ET_EXEC); link it first (relocatable objects and shared objects cannot run)`);
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
    const warnings: Diagnostic[] = [];
    if (flags & ELF.EF_RISCV_RVC) {
      warnings.push(diag('elf-rvc', 'the ELF says it may contain compressed (RVC) instructions, which D1 does not have; a compressed instruction will fault as illegal', { file }, 'warning'));
    }
    if (phnum > MAX_HEADERS || shnum > MAX_HEADERS) return fail('elf-counts', `implausible header counts (${phnum} program headers, ${shnum} sections)`);
    if (phnum > 0 && phentsize !== ELF.PHDR_SIZE) return fail('elf-phentsize', `program header size ${phentsize} is not ${ELF.PHDR_SIZE}`);
    if (phoff + phnum * ELF.PHDR_SIZE > bytes.length) return fail('elf-truncated', 'the program headers extend past the end of the file');

    const segments: Segment[] = [];
    for (let i = 0; i < phnum; i++) {
      const p = new ByteReader(bytes, phoff + i * ELF.PHDR_SIZE);
      const ptype = p.u32();
      const pflags = p.u32();
      const offset = Number(p.u64());
      const vaddr = p.u64();
      p.u64();
      const filesz = Number(p.u64());
      const memsz = Number(p.u64());
      if (ptype !== ELF.PT_LOAD) continue;
      if (offset + filesz > bytes.length) return fail('elf-truncated', `segment ${i} extends past the end of the file (offset ${offset} + ${filesz} > ${bytes.length})`);
      if (filesz > memsz) return fail('elf-segment', `segment ${i} has more file bytes (${filesz}) than memory bytes (${memsz})`);
      segments.push({ vaddr, data: bytes.slice(offset, offset + filesz), memsz, flags: { alloc: true, write: (pflags & ELF.PF_W) !== 0, exec: (pflags & ELF.PF_X) !== 0 } });
    }
    if (segments.length === 0) return fail('elf-empty', 'the ELF has no loadable segment');

    const shdrs: Shdr[] = [];
    if (shnum > 0 && shoff > 0) {
      if (shentsize !== ELF.SHDR_SIZE) return fail('elf-shentsize', `section header size ${shentsize} is not ${ELF.SHDR_SIZE}`);
      if (shoff + shnum * ELF.SHDR_SIZE > bytes.length) return fail('elf-truncated', 'the section headers extend past the end of the file');
      const raw: (Shdr & { nameOff: number })[] = [];
      for (let i = 0; i < shnum; i++) {
        const s = new ByteReader(bytes, shoff + i * ELF.SHDR_SIZE);
        const nameOff = s.u32();
        const stype = s.u32();
        const sflags = Number(s.u64());
        const addr = s.u64();
        const offset = Number(s.u64());
        const size = Number(s.u64());
        const link = s.u32();
        const info = s.u32();
        const align = Number(s.u64());
        const entsize = Number(s.u64());
        if (stype !== ELF.SHT_NOBITS && stype !== 0 && offset + size > bytes.length) return fail('elf-truncated', `section ${i} extends past the end of the file`);
        raw.push({ nameOff, name: '', type: stype, flags: sflags, addr, offset, size, link, info, align, entsize });
      }
      const names = raw[shstrndx];
      const table = names ? bytes.subarray(names.offset, names.offset + names.size) : new Uint8Array();
      for (const s of raw) shdrs.push({ ...s, name: stringAt(table, s.nameOff) });
    }

    const content = (s: Shdr) => bytes.subarray(s.offset, s.offset + s.size);
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

    const symbols: SymbolDef[] = [];
    for (const s of shdrs.filter((x) => x.type === ELF.SHT_SYMTAB)) {
      const strs = shdrs[s.link] ? content(shdrs[s.link]!) : new Uint8Array();
      const count = Math.floor(s.size / ELF.SYM_SIZE);
      for (let i = 1; i < count; i++) {
        const y = new ByteReader(bytes, s.offset + i * ELF.SYM_SIZE);
        const name = stringAt(strs, y.u32());
        const info = y.u8();
        y.u8();
        const shndx = y.u16();
        const value = y.u64();
        const size = Number(y.u64());
        const stype = TYPES[info & 0xf] ?? 'notype';
        if (!name || stype === 'section' || stype === 'file') continue;
        const sec = shndx > 0 && shndx < shdrs.length ? shdrs[shndx]!.name : undefined;
        symbols.push({ name, value, size, global: info >> 4 !== ELF.STB_LOCAL, type: stype, ...(sec ? { section: sec } : {}) });
      }
    }

    let lines: LineEntry[] = [];
    const dl = shdrs.find((s) => s.name === '.debug_line');
    if (dl) {
      const ls = shdrs.find((s) => s.name === '.debug_line_str');
      const st = shdrs.find((s) => s.name === '.debug_str');
      try {
        lines = readDebugLine(content(dl), ls && content(ls), st && content(st));
        lines.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
      } catch (e) {
        warnings.push(diag('dwarf', `ignoring the line table: ${e instanceof Error ? e.message : String(e)}`, { file }, 'warning'));
      }
    }
    return { image: { entry, sections, segments, symbols, lines }, warnings };
  } catch (e) {
    return fail('elf-malformed', `malformed ELF: ${e instanceof Error ? e.message : String(e)}`);
  }
}
