// ELF64 executable writer (System V gABI "ELF-64 Object File Format"; RISC-V ELF psABI): EM_RISCV,
// little-endian, ET_EXEC, no compressed instructions, soft-float lp64. One PT_LOAD per image segment,
// placed at a file offset congruent to its address modulo 4 KiB (so qemu-riscv64 and Linux load it),
// section headers for every section, a symbol table, the psABI .riscv.attributes naming the ISA, and
// DWARF line information (see dwarf.ts). Deterministic: no timestamps; the only input besides the image
// is the current directory, recorded as DW_AT_comp_dir as GNU as does.
import { lineColumns, type Image, type Section, type SymbolDef } from '../image.js';
import { ByteWriter } from './bytes.js';
import { ELF, RISCV_ARCH, STT, type SectionHeader } from './constants.js';
import { writeDebugSections } from './dwarf.js';

type OutSection = SectionHeader;

class StringTable {
  private readonly w = new ByteWriter().u8(0);
  private readonly seen = new Map<string, number>();
  add(s: string): number {
    const hit = this.seen.get(s);
    if (hit !== undefined) return hit;
    const at = this.w.length;
    this.w.cstring(s);
    this.seen.set(s, at);
    return at;
  }
  bytes(): Uint8Array {
    return this.w.done();
  }
}

export const PRODUCER = 'd1 as';

export function writeElf(image: Image): Uint8Array {
  const w = new ByteWriter();
  const phnum = image.segments.length;
  w.zeros(ELF.EHDR_SIZE + ELF.PHDR_SIZE * phnum);

  // Segment contents.
  const segOffsets: number[] = [];
  for (const s of image.segments) {
    const want = Number(s.vaddr % BigInt(ELF.PAGE));
    if (s.data.length === 0) {
      // Nothing to map from the file (.bss only): point into the headers, as GNU ld does; qemu-user
      // refuses a zero-length mapping at an offset past the headers.
      segOffsets.push(want);
      continue;
    }
    const pad = (want - (w.length % ELF.PAGE) + ELF.PAGE) % ELF.PAGE;
    w.zeros(pad);
    segOffsets.push(w.length);
    w.bytes(s.data);
  }

  const shstr = new StringTable();
  const sections: OutSection[] = [{ name: '', type: 0, flags: 0, addr: 0n, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 }];
  const sectionIndex = new Map<string, number>();
  for (const s of image.sections) {
    sectionIndex.set(s.name, sections.length);
    sections.push({
      name: s.name,
      type: s.nobits ? ELF.SHT_NOBITS : ELF.SHT_PROGBITS,
      flags: (s.flags.alloc ? ELF.SHF_ALLOC : 0) | (s.flags.write ? ELF.SHF_WRITE : 0) | (s.flags.exec ? ELF.SHF_EXECINSTR : 0),
      addr: s.addr,
      offset: fileOffsetOf(s, image, segOffsets, w.length),
      size: s.size,
      link: 0,
      info: 0,
      align: s.align,
      entsize: 0,
    });
  }

  const addRaw = (name: string, type: number, bytes: Uint8Array, align = 1, extra: Partial<OutSection> = {}): number => {
    w.align(align);
    sections.push({ name, type, flags: 0, addr: 0n, offset: w.length, size: bytes.length, link: 0, info: 0, align, entsize: 0, ...extra });
    w.bytes(bytes);
    return sections.length - 1;
  };

  addRaw('.riscv.attributes', ELF.SHT_RISCV_ATTRIBUTES, attributes());

  // DWARF line information for the executable sections.
  const text = image.sections.filter((s) => s.flags.exec);
  const lines = lineColumns(image);
  if (text.length > 0 && lines.addr.length > 0) {
    const low = text.reduce((m, s) => (s.addr < m ? s.addr : m), text[0]!.addr);
    const high = text.reduce((m, s) => (s.addr + BigInt(s.size) > m ? s.addr + BigInt(s.size) : m), 0n);
    const dbg = writeDebugSections(lines, low, high, PRODUCER);
    addRaw('.debug_aranges', ELF.SHT_PROGBITS, dbg.debug_aranges);
    addRaw('.debug_info', ELF.SHT_PROGBITS, dbg.debug_info);
    addRaw('.debug_abbrev', ELF.SHT_PROGBITS, dbg.debug_abbrev);
    addRaw('.debug_line', ELF.SHT_PROGBITS, dbg.debug_line);
  }

  // Symbol table: a section symbol per section, as GNU ld writes, then the other locals (gABI: locals
  // first), then globals.
  const strtab = new StringTable();
  const sectionSyms: SymbolDef[] = image.sections.map((s) => ({ name: '', value: s.addr, size: 0, global: false, type: 'section', section: s.name }));
  const locals = [...sectionSyms, ...image.symbols.filter((s) => !s.global)];
  const ordered = [...locals, ...image.symbols.filter((s) => s.global)];
  const firstGlobal = 1 + locals.length;
  // (fixed-size entries, written in place: a large program has many symbols)
  const syms = new Uint8Array(ELF.SYM_SIZE * (1 + ordered.length));
  const view = new DataView(syms.buffer);
  for (let k = 0; k < ordered.length; k++) {
    const s = ordered[k]!;
    const at = ELF.SYM_SIZE * (1 + k);
    view.setUint32(at, s.name === '' ? 0 : strtab.add(s.name), true);
    view.setUint8(at + 4, ((s.global ? ELF.STB_GLOBAL : ELF.STB_LOCAL) << 4) | STT[s.type]);
    view.setUint16(at + 6, s.section !== undefined ? (sectionIndex.get(s.section) ?? ELF.SHN_ABS) : ELF.SHN_ABS, true);
    view.setBigUint64(at + 8, s.value, true);
    view.setBigUint64(at + 16, BigInt(s.size), true);
  }
  const strIndex = sections.length + 1;
  addRaw('.symtab', ELF.SHT_SYMTAB, syms, 8, { link: strIndex, info: firstGlobal, entsize: ELF.SYM_SIZE });
  addRaw('.strtab', ELF.SHT_STRTAB, strtab.bytes());
  const shstrIndex = sections.length;
  for (const s of sections) shstr.add(s.name);
  shstr.add('.shstrtab');
  sections.push({ name: '.shstrtab', type: ELF.SHT_STRTAB, flags: 0, addr: 0n, offset: 0, size: 0, link: 0, info: 0, align: 1, entsize: 0 });
  const shstrBytes = shstr.bytes();
  sections[shstrIndex]!.offset = w.length;
  sections[shstrIndex]!.size = shstrBytes.length;
  w.bytes(shstrBytes);

  w.align(8);
  const shoff = w.length;
  for (const s of sections) {
    w.u32(s.name === '' ? 0 : shstr.add(s.name)).u32(s.type).u64(s.flags).u64(s.addr).u64(s.offset).u64(s.size);
    w.u32(s.link).u32(s.info).u64(s.align).u64(s.entsize);
  }

  const out = w.done();
  const h = new ByteWriter();
  h.bytes(Uint8Array.from(ELF.MAGIC)).u8(ELF.CLASS64).u8(ELF.DATA_LE).u8(ELF.VERSION).zeros(9);
  h.u16(ELF.ET_EXEC).u16(ELF.EM_RISCV).u32(ELF.VERSION).u64(image.entry).u64(ELF.EHDR_SIZE).u64(shoff);
  h.u32(0).u16(ELF.EHDR_SIZE).u16(ELF.PHDR_SIZE).u16(phnum).u16(ELF.SHDR_SIZE).u16(sections.length).u16(shstrIndex);
  image.segments.forEach((s, k) => {
    const flags = ELF.PF_R | (s.flags.write ? ELF.PF_W : 0) | (s.flags.exec ? ELF.PF_X : 0);
    h.u32(ELF.PT_LOAD).u32(flags).u64(segOffsets[k]!).u64(s.vaddr).u64(s.vaddr).u64(s.data.length).u64(s.memsz).u64(ELF.PAGE);
  });
  out.set(h.done(), 0);
  return out;
}

/** The psABI attributes section: vendor "riscv", file scope, Tag_RISCV_arch. */
function attributes(): Uint8Array {
  const file = new ByteWriter().uleb(ELF.TAG_RISCV_ARCH).cstring(RISCV_ARCH).done();
  const vendor = new ByteWriter().cstring('riscv').uleb(ELF.ATTR_FILE).u32(5 + file.length).bytes(file).done();
  return new ByteWriter().u8(ELF.ATTR_FORMAT).u32(4 + vendor.length).bytes(vendor).done();
}

/** File offset of a section: inside the segment that holds it (NOBITS: where it would start). */
function fileOffsetOf(s: Section, image: Image, segOffsets: number[], fallback: number): number {
  const k = image.segments.findIndex((g) => s.addr >= g.vaddr && s.addr <= g.vaddr + BigInt(g.memsz));
  if (k < 0) return fallback;
  const seg = image.segments[k]!;
  return segOffsets[k]! + Math.min(Number(s.addr - seg.vaddr), seg.data.length);
}
