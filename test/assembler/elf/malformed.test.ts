// Malformed and hostile ELF files: every truncation, each header field broken on its own, and random
// mutations of valid files (ours and gcc's). The reader answers with a diagnostic naming the problem,
// never throws, and whatever image it does return can be disassembled without throwing either.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../assembler/index.js';
import { readElf } from '../../../assembler/elf/read.js';
import { writeElf } from '../../../assembler/elf/write.js';
import { listing } from '../../../objdump/objdump.js';
import { missing } from '../../helpers/tools.js';
import { gccBuild } from './gnu.js';

const SOURCE = '_start: li a0, 1\n la a1, m\n ecall\n j _start\n .data\nm: .word 5\n .bss\n .zero 64\n';
const good = (() => {
  const { image, diagnostics } = assemble([{ path: 'f.dasm', text: SOURCE }]);
  expect(diagnostics).toEqual([]);
  return writeElf(image!);
})();

function error(bytes: Uint8Array): { code: string; message: string } {
  const r = readElf(bytes, 'x.elf');
  if ('image' in r) throw new Error('expected the file to be rejected');
  expect(r.diagnostics).toHaveLength(1);
  return { code: r.diagnostics[0]!.code, message: r.diagnostics[0]!.message };
}

function patched(at: number, value: number, size: 1 | 2 | 4 | 8): Uint8Array {
  const b = good.slice();
  const v = new DataView(b.buffer);
  if (size === 1) v.setUint8(at, value);
  else if (size === 2) v.setUint16(at, value, true);
  else if (size === 4) v.setUint32(at, value, true);
  else v.setBigUint64(at, BigInt(value), true);
  return b;
}

const u16 = (b: Uint8Array, at: number) => new DataView(b.buffer).getUint16(at, true);
const u64 = (b: Uint8Array, at: number) => Number(new DataView(b.buffer).getBigUint64(at, true));
const PHOFF = u64(good, 32);
const SHOFF = u64(good, 40);

/** Never throws; an image, if any, disassembles without throwing. */
function survives(bytes: Uint8Array): void {
  const r = readElf(bytes, 'fuzz.elf');
  if ('diagnostics' in r) {
    expect(r.diagnostics.length).toBeGreaterThan(0);
    return;
  }
  listing(r.image, 'fuzz.elf', { aliases: true, source: false });
}

describe('malformed ELF files', () => {
  it('every truncation of a valid file is rejected with a message saying what is missing', () => {
    const seen = new Set<string>();
    for (let cut = 0; cut < good.length; cut++) {
      const e = error(good.slice(0, cut));
      expect(e.message).toMatch(/^(not an ELF file|truncated ELF header|the program headers extend|segment \d+ extends|the section headers extend|section \d+ extends)/);
      seen.add(e.message.replace(/ \(.*$/, '').replace(/\d+/g, 'N'));
    }
    expect([...seen].sort()).toEqual([
      'not an ELF file',
      'segment N extends past the end of the file',
      'the program headers extend past the end of the file',
      'the section headers extend past the end of the file',
      'truncated ELF header',
    ]);
  });

  it('names the broken header field', () => {
    const cases: [Uint8Array, RegExp][] = [
      [patched(6, 2, 1), /^ELF version 2 is not supported/],
      [patched(16, 3, 2), /^ELF type 3 is not an executable/],
      [patched(18, 183, 2), /^ELF machine is AArch64 \(183\), expected RISC-V \(243\)$/],
      [patched(18, 9999, 2), /^ELF machine is 9999, expected RISC-V/],
      [patched(54, 32, 2), /^program header size 32 is not 56$/],
      [patched(56, 5000, 2), /^implausible header counts \(5000 program headers/],
      [patched(56, 900, 2), /^the program headers extend past the end of the file$/],
      [patched(58, 40, 2), /^section header size 40 is not 64$/],
      [patched(60, 60000, 2), /^implausible header counts/],
      [patched(32, 2 ** 40, 8), /^the program headers extend past the end of the file$/],
      [patched(40, good.length - 8, 8), /^the section headers extend past the end of the file$/],
      [patched(PHOFF + 8, 0x100000, 8), /^segment 0 extends past the end of the file \(offset 1048576 \+ \d+ > \d+\)$/],
      [patched(PHOFF + 32, 0x10000, 8), /^segment 0 has more file bytes \(65536\) than memory bytes/],
      [patched(PHOFF + 40, 2 ** 40, 8), /^segment 0 is implausibly large/],
      [patched(PHOFF, 6, 4), /^the ELF has no loadable segment$|^segment 1/],
      [patched(SHOFF + 64 + 32, 2 ** 33, 8), /^section 1 is implausibly large/],
      [patched(SHOFF + 64 + 24, 2 ** 30, 8), /^section 1 extends past the end of the file$/],
    ];
    for (const [bytes, want] of cases) expect(error(bytes).message).toMatch(want);
  });

  it('warns about the compressed-instruction flag and reads the file anyway', () => {
    const r = readElf(patched(48, 1, 4), 'rvc.elf');
    expect('image' in r && r.warnings.map((w) => [w.severity, w.code])).toEqual([['warning', 'elf-rvc']]);
  });

  it('a broken line table is a warning: the program still loads, without lines', () => {
    const image = assemble([{ path: 'f.dasm', text: SOURCE }]).image!;
    const bytes = writeElf(image);
    const names = new TextDecoder('latin1').decode(bytes);
    // Corrupt the line table's version field (right after its unit length).
    const shoff = u64(bytes, 40);
    const shnum = u16(bytes, 60);
    const strOff = u64(bytes, shoff + 64 * u16(bytes, 62) + 24);
    let lineAt = -1;
    for (let k = 0; k < shnum; k++) {
      const nameOff = new DataView(bytes.buffer).getUint32(shoff + 64 * k, true);
      if (names.startsWith('.debug_line\0', strOff + nameOff)) lineAt = u64(bytes, shoff + 64 * k + 24);
    }
    expect(lineAt).toBeGreaterThan(0);
    bytes[lineAt + 4] = 99;
    const r = readElf(bytes, 'dl.elf');
    if (!('image' in r)) throw new Error(r.diagnostics[0]!.message);
    expect(r.image.lines).toEqual([]);
    expect(r.warnings.map((w) => w.message)).toEqual(['ignoring the line table: unsupported DWARF line table version 99']);
  });

  it('survives random mutations of a valid file', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { minLength: 1, maxLength: 16 }), (edits) => {
        const bytes = good.slice();
        for (const [at, v] of edits) bytes[at] = v;
        survives(bytes);
      }),
      { numRuns: 2000, seed: 21 },
    );
  });

  it('survives random bytes after a valid ELF header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), (tail) => {
        const bytes = new Uint8Array(64 + tail.length);
        bytes.set(good.subarray(0, 64));
        bytes.set(tail, 64);
        survives(bytes);
      }),
      { numRuns: 1000, seed: 22 },
    );
  });
});

const gcc = missing('gnuAs', 'gcc');
describe.skipIf(gcc !== '')(`mutated gcc-built executables${gcc}`, () => {
  it('survives random mutations and truncations', () => {
    const elf = new Uint8Array(readFileSync(gccBuild('words.c', '-g')));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(elf.length - 1), fc.nat(255)), { maxLength: 8 }), fc.nat(elf.length), (edits, cut) => {
        const bytes = elf.slice(0, Math.max(cut, 1));
        for (const [at, v] of edits) if (at < bytes.length) bytes[at] = v;
        survives(bytes);
      }),
      { numRuns: 1500, seed: 23 },
    );
  });
});
