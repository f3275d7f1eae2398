// Property tests of the ELF writer and reader over random programs (fast-check, fixed seeds): reading
// back what was written gives the same program, line table included with file names as given; GNU
// readelf accepts every such file and GNU objdump decodes the same line table from it.
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readElf } from '../../../assembler/elf/read.js';
import { writeElf } from '../../../assembler/elf/write.js';
import type { Image, LineEntry } from '../../../assembler/image.js';
import { missing, sh, tempDir } from '../../helpers/tools.js';
import { arbImage } from './arb.js';
import { decodedRows } from './gnu.js';

const byAddr = (rows: LineEntry[]) => [...rows].sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
const symbolText = (i: Image) => i.symbols.map((s) => `${s.name}|${s.value}|${s.size}|${s.global}|${s.type}|${s.section ?? '*ABS*'}`).sort();

function readBack(bytes: Uint8Array): Image {
  const r = readElf(bytes, 'p.elf');
  if ('diagnostics' in r) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  expect(r.warnings).toEqual([]);
  return r.image;
}

describe('ELF write/read round trip on random programs', () => {
  it('gives back entry, segments, sections, symbols and lines', () => {
    fc.assert(
      fc.property(arbImage, (image) => {
        const back = readBack(writeElf(image));
        expect(back.entry).toBe(image.entry);
        expect(back.segments).toEqual(image.segments);
        expect(back.sections).toEqual(image.sections);
        expect(symbolText(back)).toEqual(symbolText(image));
        expect(back.lines).toEqual(byAddr(image.lines));
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('places every segment at a file offset congruent to its address modulo 4 KiB', () => {
    fc.assert(
      fc.property(arbImage, (image) => {
        const bytes = writeElf(image);
        const v = new DataView(bytes.buffer);
        const phoff = Number(v.getBigUint64(32, true));
        for (let k = 0; k < v.getUint16(56, true); k++) {
          const at = phoff + 56 * k;
          expect(v.getBigUint64(at + 8, true) % 0x1000n).toBe(v.getBigUint64(at + 16, true) % 0x1000n);
          expect(v.getBigUint64(at + 48, true)).toBe(0x1000n);
        }
      }),
      { numRuns: 100, seed: 12 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(arbImage, (image) => {
        expect(writeElf(image)).toEqual(writeElf(image));
      }),
      { numRuns: 50, seed: 13 },
    );
  });
});

const gnu = missing('gnuAs');
describe.skipIf(gnu !== '')(`GNU binutils on random programs${gnu}`, () => {
  it('readelf -a -W reads them without a warning; objdump --dwarf=decodedline finds our rows', () => {
    const dir = tempDir('d1-elf-');
    fc.assert(
      fc.property(arbImage, (image) => {
        const file = join(dir, 'p.elf');
        writeFileSync(file, writeElf(image));
        const r = sh('riscv64-unknown-elf-readelf', ['-a', '-W', file]);
        expect(r.status).toBe(0);
        expect(r.stderr).toBe('');
        expect(r.stdout).not.toMatch(/warning|corrupt|invalid/i);
        const decoded = sh('riscv64-unknown-elf-objdump', ['--dwarf=decodedline', file]);
        expect(decoded.stderr).toBe('');
        expect(decodedRows(decoded.stdout)).toEqual(byAddr(image.lines).map((l) => `${basename(l.file)} ${l.line} 0x${l.addr.toString(16)}`));
      }),
      { numRuns: 25, seed: 14 },
    );
  });
});
