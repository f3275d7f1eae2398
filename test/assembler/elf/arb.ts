// fast-check arbitraries for whole programs (Image values) as the assembler could produce them: a .text
// section of words, optional .data and .bss, one load segment per part, symbols of every kind and
// binding, and a line table over .text naming files bare, in relative folders and by absolute path.
import fc from 'fast-check';
import type { Image, LineEntry, Section, Segment, SymbolDef } from '../../../assembler/image.js';

const PAGE = 0x1000;
const FILES = ['main.dasm', 'src/io.dasm', 'src/lib/str.dasm', '/abs/path/start.dasm', 'a b/with space.dasm'];

const text = fc.record({
  base: fc.integer({ min: 1, max: 0x100 }).map((p) => p * PAGE),
  words: fc.uint32Array({ minLength: 1, maxLength: 200 }),
});
const data = fc.option(fc.record({ gap: fc.integer({ min: 0, max: 3 * PAGE }).map((g) => g & ~7), bytes: fc.uint8Array({ maxLength: 300 }), bss: fc.nat(5000) }));

const symbolSeed = fc.record({
  name: fc.stringMatching(/^[A-Za-z_.$][A-Za-z0-9_.$]{0,20}$/),
  where: fc.constantFrom('text', 'data', 'bss', 'abs'),
  at: fc.nat(),
  size: fc.nat(64),
  global: fc.boolean(),
  type: fc.constantFrom('notype' as const, 'func' as const, 'object' as const),
});

const lineSeed = fc.record({ word: fc.nat(), file: fc.constantFrom(...FILES), line: fc.integer({ min: 1, max: 200000 }) });

function section(name: string, addr: bigint, bytes: Uint8Array, size: number, write: boolean, exec: boolean, nobits = false): Section {
  return { name, addr, bytes, size, nobits, flags: { alloc: true, write, exec }, align: 8 };
}

export const arbImage: fc.Arbitrary<Image> = fc
  .record({ text, data, symbols: fc.uniqueArray(symbolSeed, { selector: (s) => s.name, maxLength: 30 }), lines: fc.array(lineSeed, { maxLength: 300 }), entryWord: fc.nat() })
  .map(({ text: t, data: d, symbols: syms, lines: rows, entryWord }) => {
    const textBytes = new Uint8Array(t.words.buffer, t.words.byteOffset, t.words.byteLength).slice();
    const textAddr = BigInt(t.base);
    const sections: Section[] = [section('.text', textAddr, textBytes, textBytes.length, false, true)];
    const segments: Segment[] = [{ vaddr: textAddr, data: textBytes, memsz: textBytes.length, flags: { alloc: true, write: false, exec: true } }];
    if (d) {
      const dataAddr = textAddr + BigInt(((textBytes.length + 7) & ~7) + d.gap);
      sections.push(section('.data', dataAddr, d.bytes, d.bytes.length, true, false));
      if (d.bss > 0) sections.push(section('.bss', dataAddr + BigInt((d.bytes.length + 7) & ~7), new Uint8Array(0), d.bss, true, false, true));
      const memsz = d.bss > 0 ? ((d.bytes.length + 7) & ~7) + d.bss : d.bytes.length;
      segments.push({ vaddr: dataAddr, data: d.bytes, memsz, flags: { alloc: true, write: true, exec: false } });
    }
    const byName = new Map(sections.map((s) => [s.name.slice(1), s]));
    const symbols: SymbolDef[] = syms.map((s) => {
      const sec = byName.get(s.where);
      const value = sec ? sec.addr + BigInt(sec.size === 0 ? 0 : s.at % sec.size) : BigInt(s.at);
      return { name: s.name, value, size: s.size, global: s.global, type: s.type, ...(sec ? { section: sec.name } : {}) };
    });
    const words = textBytes.length / 4;
    const lines: LineEntry[] = rows.map((r) => ({ addr: textAddr + BigInt(4 * (r.word % words)), file: r.file, line: r.line }));
    return { entry: textAddr + BigInt(4 * (entryWord % words)), sections, segments, symbols, lines };
  });
