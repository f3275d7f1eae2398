// The fast path for plain instruction lines must build exactly the statement the Chevrotain grammar
// and visitor build, on every line it accepts; and it must leave everything else to the grammar.
import { describe, expect, it } from 'vitest';
import { fastLine } from '../../assembler/fastline.js';
import { parseLine } from '../../assembler/parser.js';
import { lexer } from '../../assembler/tokens.js';
import { toStatement } from '../../assembler/visitor.js';
import { generateAsm } from '../../bench/gen-asm.js';
import { instructionCorpus } from '../gen/corpus.js';
import { liCorpus, liValues } from '../gen/corpus.js';

function viaGrammar(text: string) {
  const lexed = lexer.tokenize(text);
  if (lexed.errors.length > 0) return undefined;
  const p = parseLine(lexed.tokens);
  return p.errors.length > 0 ? undefined : toStatement(p.cst, 'f.dasm', 7);
}

describe('fast path for instruction lines', () => {
  const lines = [
    ...instructionCorpus(9).split('\n'),
    ...generateAsm(3000, 4).split('\n'),
    ...liCorpus(liValues(3, 50)).split('\n'),
    'foo: bar: addi a0, a0, -1   # comment',
    '1: ld a0, (sp) // comment',
    '  sd ra,-8( sp )',
    'beqz a0, 1f',
    'label_only:',
    'nop',
    '.byte 1, 2, 0x7f, -1',
    'tab: .word 0x12345678, sym, 1b, -7  # comment',
    '  .dword 0xffffffffffffffff,label',
    '.half 3',
    '.word',
    '.quad 01, 0x0',
  ];

  it('builds the same statement as the grammar on every line it takes, and takes most of them', () => {
    let taken = 0;
    for (const line of lines) {
      const fast = fastLine(line, 'f.dasm', 7);
      if (!fast) continue;
      taken++;
      expect(fast, line).toEqual(viaGrammar(line));
    }
    expect(taken / lines.length).toBeGreaterThan(0.9);
    for (const data of lines.filter((l) => /^\s*(\w+:\s*)?\.(byte|half|word|dword|quad)/.test(l))) expect(fastLine(data, 'f.dasm', 7), data).toBeDefined();
  });

  it('leaves directives, expressions, strings, relocations and several statements to the grammar', () => {
    for (const line of ['.word 1+2', '.byte (1)', '.ascii "x"', '.byte 1,', 'li a0, 1+2', 'lui a0, %hi(x)', 'x = 3', 'nop; nop', ".byte 'a'", 'addi a0, a0, 08', 'li a0, (5)', 'add a0,', 'add a0 a1']) {
      expect(fastLine(line, 'f.dasm', 1), line).toBeUndefined();
    }
  });
});
