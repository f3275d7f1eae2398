// Fuzzing the assembler and the ELF reader with fast-check: whatever the input, they return values
// (an image or diagnostics) and never throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { readElf } from '../../assembler/elf/read.js';
import { writeElf } from '../../assembler/elf/write.js';

const PIECES = ['addi', 'a0', ',', 'x31', '(', ')', '%hi', '%pcrel_lo', '1b', '1:', 'lbl:', '.macro', '.endm', '.rept', '.endr', '.if', '.endif',
  '.include', '"s"', "'c'", '.word', '.zero', '.section', '@progbits', '-', '<<', '0x7fffffffffffffff', '99999999999999999999', '\n', ';', '#', '\\', '.', 'li', 'call', 'la', 'sd', '8(sp)', 'csrr', 'cycle', '.equ', '=', '.align', '.string'];

const never = (text: string) => {
  const r = assemble([{ path: 'fuzz.dasm', text }], { readFile: () => undefined });
  expect(Array.isArray(r.diagnostics)).toBe(true);
  if (!r.image) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  for (const d of r.diagnostics) expect(d.code).not.toBe('internal');
};

describe('fuzzing', () => {
  it('the assembler never throws on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), never), { numRuns: 400 });
  });

  it('the assembler never throws on random token soup', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }), (toks) => never(toks.join(' '))), { numRuns: 600 });
  });

  it('the ELF reader never throws on mutated valid ELFs', () => {
    const { image } = assemble([{ path: 'f.dasm', text: '_start: li a0, 1\n la a1, m\n ecall\n .data\nm: .word 5\n.bss\n.zero 64\n' }]);
    const good = writeElf(image!);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { maxLength: 12 }), fc.nat(good.length), (edits, cut) => {
        const bytes = good.slice(0, Math.max(cut, 1));
        for (const [at, v] of edits) if (at < bytes.length) bytes[at] = v;
        const r = readElf(bytes, 'fuzz.elf');
        expect('image' in r || r.diagnostics.length > 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('the ELF reader never throws on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (b) => 'diagnostics' in readElf(b, 'r.elf') || true), { numRuns: 500 });
  });
});
