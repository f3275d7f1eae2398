// Fuzzing the assembler and the ELF reader with fast-check: whatever the input, they return values
// (an image or diagnostics) and never throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { readElf } from '../../assembler/elf/read.js';
import { writeElf } from '../../assembler/elf/write.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { missing, PROGRAMS, sh, tempDir } from '../helpers/tools.js';

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

// Grammar-aware mutation of real programs (issue 15): lines of programs/*.dasm and of gcc's output for
// programs/c (when gcc is installed) duplicated, dropped,
// swapped, their numbers made extreme, hostile directives put in (a huge .rept, a runaway macro, an
// .include of a device, a long .byte list). Every mutant must end with an image or located errors, within
// the assembler's budgets (the budgets' own worst cases, seconds each, are test/assembler/source-file.test.ts').
// 240 seeded mutants; D1_FUZZ_INPUTS=N for more.
/** gcc's assembly for the C programs in programs/c (-O0 and -O2, with -g), when gcc is installed. */
function gccOutput(): { path: string; lines: string[] }[] {
  if (missing('gcc') !== '') return [];
  const out = tempDir('d1-fuzz-gcc-');
  const c = join(PROGRAMS, 'c');
  return readdirSync(c).filter((f) => f.endsWith('.c')).flatMap((f) =>
    ['-O0', '-O2'].flatMap((o) => {
      const asm = join(out, `${f}${o}.s`);
      const r = sh('riscv64-unknown-elf-gcc', [o, '-g', '-march=rv64im', '-mabi=lp64', '-ffreestanding', '-S', '-o', asm, join(c, f)]);
      return r.status === 0 ? [{ path: asm, lines: readFileSync(asm, 'utf8').split('\n') }] : [];
    }),
  );
}

describe('mutated example programs and gcc output', () => {
  const dir = join(PROGRAMS);
  const sources = [...readdirSync(dir).filter((f) => f.endsWith('.dasm')).map((f) => ({ path: join(dir, f), lines: readFileSync(join(dir, f), 'utf8').split('\n') })), ...gccOutput()];
  const HOSTILE = [
    '.rept 100000000\n nop\n.endr',
    '.macro mm a\n mm \\a\n.endm\n mm x',
    '.include "/dev/zero"',
    '.include "."',
    `.byte ${Array(20000).fill('255').join(',')}`,
    '.irp r, a0, a1, zz\n li \\r, 1\n.endr',
    ' li a0, 0xffffffffffffffffff',
    ' .zero 0x7fffffffffffffff',
    ' .align 63',
  ];
  const total = Number(process.env['D1_FUZZ_INPUTS'] ?? 240);

  it(`${total} mutants end with an image or located errors, never an exception`, () => {
    const mutants = fc.sample(
      fc.record({ file: fc.nat(sources.length - 1), ops: fc.array(fc.tuple(fc.nat(5), fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }) }),
      { numRuns: total, seed: 15 },
    );
    let images = 0;
    for (const m of mutants) {
      const { path, lines: original } = sources[m.file]!;
      const lines = [...original];
      for (const [op, a, b] of m.ops) {
        const i = a % lines.length, j = b % lines.length;
        if (op === 0) lines.splice(i, 0, lines[j]!);
        else if (op === 1) lines.splice(i, 1);
        else if (op === 2) [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        else if (op === 3) lines[i] = lines[i]!.replace(/\b\d+\b/, ['0', '-1', '4096', '0x7fffffffffffffff', '99999999999999999999'][b % 5]!);
        else lines.splice(i, 0, HOSTILE[b % HOSTILE.length]!);
      }
      const r = assemble([{ path, text: lines.join('\n') }]);
      if (r.image) images++;
      else expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      for (const d of r.diagnostics) {
        expect(d.code).not.toBe('internal');
        expect(d.message.length).toBeGreaterThan(0);
      }
    }
    expect(images).toBeGreaterThan(0); // (some mutants still assemble)
    expect(images).toBeLessThan(total);
  });
});
