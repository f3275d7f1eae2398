// Malformed .dasm: every case gives located errors (file:line:col, a message naming the rule), all
// errors of a file in one run, a non-zero exit from `d1 as`, and never a stack trace.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { formatDiagnostic } from '../../assembler/diagnostics.js';
import { d1, tempDir } from '../helpers/tools.js';

interface Case {
  name: string;
  src: string;
  /** Expected errors: line, column and a message fragment. */
  errors: [number, number, RegExp][];
  extra?: Record<string, string>;
}

const CASES: Case[] = [
  { name: 'unknown mnemonic', src: 'adx a0, a1, a2\n', errors: [[1, 1, /unknown instruction 'adx'/]] },
  { name: 'format-table entry out of range', src: 'vadd v1, v2, v3, fmt16\n', errors: [[1, 18, /'fmt16' is not a format-table entry \(fmt0\.\.fmt15\)/]] },
  { name: 'format-table entry number too large', src: 'vadd v1, v2, v3, 16\n', errors: [[1, 18, /format-table entry.*16 is out of range 0\.\.15/]] },
  { name: 'x register where a vector register goes', src: 'vadd v1, a2, v3, fmt0\n', errors: [[1, 10, /expected a vector register \(v0\.\.v31\), got register 'a2'/]] },
  { name: 'vector register where an x register goes', src: 'vld v1, 0(v2)\n', errors: [[1, 9, /expected a register/]] },
  { name: 'unknown accumulator', src: 'mzero m4\n', errors: [[1, 7, /expected a matrix accumulator \(m0\.\.m3\)/]] },
  { name: 'exponent bias out of range', src: '.cfp8_143 64, 1.0\n', errors: [[1, 11, /exponent bias 64 is out of range 0\.\.63/]] },
  { name: 'configurable float without a bias', src: '.shp\n', errors: [[1, 1, /\.shp expects the exponent bias/]] },
  { name: 'float literal in an instruction', src: 'addi a0, a0, 1.5\n', errors: [[1, 14, /floating-point number '1\.5' where an integer is needed/]] },
  { name: 'unknown lane-format directive', src: '.cfp9 3, 1.0\n', errors: [[1, 1, /unknown directive '\.cfp9'/]] },
  { name: 'bad register x32', src: 'add a0, x32, a1\n', errors: [[1, 9, /'x32' is not a register \(x0\.\.x31\)/]] },
  { name: 'register where an immediate goes', src: 'addi a0, a0, a1\n', errors: [[1, 14, /expected an immediate, got register 'a1'/]] },
  { name: 'immediate where a register goes', src: 'add a0, 5, a1\n', errors: [[1, 9, /expected a register/]] },
  { name: 'immediate too large', src: 'addi a0, a0, 4096\n', errors: [[1, 14, /4096 is out of range -2048\.\.2047/]] },
  { name: 'immediate too small', src: 'addi a0, a0, -2049\n', errors: [[1, 14, /-2049 is out of range -2048\.\.2047/]] },
  { name: 'shift amount out of range', src: 'slli a0, a0, 64\n', errors: [[1, 14, /64 is out of range 0\.\.63/]] },
  { name: 'word shift amount out of range', src: 'slliw a0, a0, 32\n', errors: [[1, 15, /32 is out of range 0\.\.31/]] },
  { name: 'lui immediate out of range', src: 'lui a0, 0x100000\n', errors: [[1, 9, /out of range 0\.\.1048575/]] },
  { name: 'too few operands', src: 'add a0, a1\n', errors: [[1, 5, /wrong number of operands for 'add' \(2\)/]] },
  { name: 'too many operands', src: 'ret a0\n', errors: [[1, 5, /wrong number of operands for 'ret'/]] },
  { name: 'missing comma', src: 'add a0 a1, a2\n', errors: [[1, 8, /syntax error: unexpected 'a1' \(missing comma\?\)/]] },
  { name: 'undefined symbol', src: 'j nowhere\n', errors: [[1, 3, /undefined symbol 'nowhere'/]] },
  { name: 'undefined local label', src: '1: j 2f\n', errors: [[1, 6, /undefined symbol '2'/]] },
  { name: 'duplicate label', src: 'main: nop\nmain: nop\n', errors: [[2, 1, /duplicate symbol 'main' \(first defined at t\.dasm:1\)/]] },
  { name: 'unterminated string', src: '.ascii "abc\n', errors: [[1, 8, /unterminated string/]] },
  { name: 'unknown directive', src: '.frobnicate 3\n', errors: [[1, 1, /unknown directive '\.frobnicate'/]] },
  { name: 'string where a number goes', src: '.word "x"\n', errors: [[1, 7, /\.word expects expressions/]] },
  // A conditional branch out of range becomes a branch over a jal (GNU as); a jal out of range stays an error.
  { name: 'jump out of range', src: 'j far\n.zero 1048576\nfar: nop\n', errors: [[1, 3, /out of range: offset 1048580 is not in -1048576\.\.1048574/]] },
  { name: 'relaxed branch whose jump is out of range', src: 'beq a0, a1, far\n.zero 1048576\nfar: nop\n', errors: [[1, 13, /out of range: offset 1048580 is not in -1048576\.\.1048574/]] },
  { name: 'misaligned branch target', src: 'beq a0, a1, 0x1003\n', errors: [[1, 13, /not a multiple of 2/]] },
  { name: 'macro recursion', src: '.macro m\nm\n.endm\nm\n', errors: [[2, 1, /macro recursion deeper than 1000/]] },
  { name: 'macro without .endm', src: '.macro m\nnop\n', errors: [[1, 1, /\.macro without \.endm/]] },
  { name: 'stray .endr', src: '.endr\n', errors: [[1, 1, /\.endr without a matching/]] },
  { name: '.if without .endif', src: '.if 1\nnop\n', errors: [[0, 0, /\.if without \.endif/]] },
  { name: '.else without .if', src: '.else\n', errors: [[1, 1, /\.else without \.if/]] },
  { name: 'include cycle', src: '.include "b.dasm"\n', extra: { 'b.dasm': '.include "t.dasm"\n' }, errors: [[1, 10, /\.include cycle: t\.dasm -> b\.dasm -> t\.dasm/]] },
  { name: 'missing include', src: '.include "nope.dasm"\n', errors: [[1, 10, /cannot read included file 'nope\.dasm'/]] },
  { name: 'binary garbage', src: '\u0000\u0001\u0002\u00ff\u00fe\n', errors: [[1, 1, /unexpected character \(byte 0x00\)/]] },
  { name: 'very long line', src: `addi a0, a0, ${'1+'.repeat(50000)}1x\n`, errors: [[1, 100015, /syntax error/]] },
  { name: 'division by zero', src: '.word 1/0\n', errors: [[1, 7, /division by zero/]] },
  { name: 'bad fence set', src: 'fence rwx, w\n', errors: [[1, 7, /expected a fence set/]] },
  { name: 'unknown relocation operator', src: 'lui a0, %high(x)\n', errors: [[1, 9, /unknown relocation operator '%high'/]] },
  { name: 'li of an address', src: 'li a0, here\nhere: nop\n', errors: [[1, 8, /li needs a constant value/]] },
  { name: 'data in .bss', src: '.bss\n.word 1\n', errors: [[2, 1, /data in \.bss/]] },
  { name: 'section larger than SRAM', src: '.zero 0x200000\n', errors: [[1, 7, /out of range 0\.\.1310720/]] },
  { name: 'code growing past SRAM', src: '.zero 1310716\nnop\nnop\nj 1f\n1: nop\n', errors: [[3, 1, /section \.text grows past 1310720 bytes/]] },
  { name: 'circular .equ', src: '.equ a, b\n.equ b, a\n.word a\n', errors: [[2, 9, /defined in terms of itself/]] },
  { name: 'several errors in one file', src: 'adx a0\nnop\naddi a0, a0, 9999\nj nowhere\n', errors: [[1, 1, /unknown instruction/], [3, 14, /out of range/]] },
  { name: 'bad .rept count', src: '.rept -1\nnop\n.endr\n', errors: [[1, 1, /\.rept count -1 is out of range/]] },
  { name: '@plt outside call and tail', src: 'la a0, f@plt\nf: ret\n', errors: [[1, 9, /'@plt' is only allowed on the target of call and tail/]] },
  { name: 'unknown symbol suffix', src: 'call f@got\nf: ret\n', errors: [[1, 7, /unknown symbol suffix '@got'/]] },
  { name: '.loc of an undeclared file', src: '.file 1 "x.c"\n.loc 3 1\n', errors: [[2, 6, /file number 3 is not declared by a \.file/]] },
  { name: 'code using a label of a section that is not loaded', src: '.section .debug_info,"",@progbits\n.Ld: .byte 0\n.text\nla a0, .Ld\n', errors: [[4, 8, /'\.Ld' is a label in a section that is not loaded/]] },
  { name: 'register instruction given a symbol', src: 'add a0, a0, sym\nsym: ret\n', errors: [[1, 13, /expected a register, got an expression/]] },
  { name: 'jalr offset that is not a constant yet', src: 'jalr ra, t1, f\nf: ret\n', errors: [[1, 14, /expected a constant defined before this line/]] },
];

function run(c: Case) {
  const files: Record<string, string> = { 't.dasm': c.src, ...c.extra };
  return assemble([{ path: 't.dasm', text: c.src }], { readFile: (p) => files[p.split('/').pop()!] });
}

describe('malformed .dasm gives located errors', () => {
  it('has at least 30 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(30));
  for (const c of CASES) {
    it(c.name, () => {
      const { image, diagnostics } = run(c);
      expect(image).toBeUndefined();
      const errors = diagnostics.filter((d) => d.severity === 'error');
      expect(errors.filter((d) => d.code === 'internal')).toEqual([]);
      for (const [line, column, msg] of c.errors) {
        const hit = errors.find((d) => d.line === line && msg.test(d.message));
        expect(hit, `expected ${line}:${column} ${msg}, got ${errors.map((d) => `${d.line}:${d.column} ${d.message}`).join(' | ')}`).toBeDefined();
        if (column > 0) expect(hit!.column).toBe(column);
        expect(hit!.code).not.toBe('internal');
      }
    });
  }

  it('prints file:line:col, the source line and a caret', () => {
    const { diagnostics } = assemble([{ path: 'x.dasm', text: 'nop\naddi a0, a0, 4096\n' }]);
    const text = formatDiagnostic(diagnostics[0]!, () => 'nop\naddi a0, a0, 4096\n');
    expect(text).toBe("x.dasm:2:14: error: addi: 12-bit signed immediate: 4096 is out of range -2048..2047\n addi a0, a0, 4096\n              ^~~~");
  });

  it('d1 as exits 1 with the message and no stack trace; an empty file is a valid empty program', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.dasm'), 'add a0, x99, a1\n');
    const r = d1(['as', join(dir, 'bad.dasm'), '-o', join(dir, 'bad.elf')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("bad.dasm:1:9: error: 'x99' is not a register (x0..x31)");
    expect(r.stderr).toContain(' add a0, x99, a1\n         ^~~');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    writeFileSync(join(dir, 'empty.dasm'), '');
    expect(d1(['as', join(dir, 'empty.dasm'), '-o', join(dir, 'empty.elf')]).code).toBe(0);
    const missingFile = d1(['as', join(dir, 'nope.dasm')]);
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toMatch(/cannot read/);
  });
});
