// The fast path must build exactly the statement the Chevrotain grammar and visitor build, on every line
// it accepts (instructions, directives, gcc output, random token soup), and it must leave everything
// else to the grammar; the lines it reads without statements (fastWord's encoded instructions,
// quickLine's data and .loc lines) must be what those statements say.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Expansion } from '../../assembler/diagnostics.js';
import { grammarTokens } from '../../assembler/expand.js';
import { fastLine, fastWord, LOC, quickLine } from '../../assembler/fastline.js';
import { assembleInstruction, constantField, encodeOp, quickEncode } from '../../assembler/insn.js';
import type { Statement } from '../../assembler/visitor.js';
import { parseLine } from '../../assembler/parser.js';
import { lexer } from '../../assembler/tokens.js';
import { toStatement } from '../../assembler/visitor.js';
import { generateAsm } from '../../bench/gen-asm.js';
import { prng } from '../../bench/prng.js';
import { INSTRUCTIONS } from '../../isa/table.js';
import { instructionCorpus } from '../gen/corpus.js';
import { liCorpus, liValues } from '../gen/corpus.js';
import { missing, PROGRAMS, sh, tempDir } from '../helpers/tools.js';

/** Every directive name (for quickLine), remembering whether it was asked about strings. */
let strings = false;
const EVERY = { has: (_: string, s: boolean) => ((strings = s), true) };

/** The statement of a line as expand.ts reads it through the grammar, or undefined for an error. */
function viaGrammar(text: string, from?: Expansion) {
  const lexed = lexer.tokenize(text);
  if (lexed.errors.length > 0) return undefined;
  const p = parseLine(grammarTokens(lexed.tokens));
  if (p.errors.length > 0) return undefined;
  try {
    return toStatement(p.cst, 'f.dasm', 7, from);
  } catch {
    return undefined; // the visitor's errors (an unknown %reloc, a misplaced @plt)
  }
}

/** The words layout makes of an instruction statement whose operands are all constant: quickEncode's
 * word, else the general path's (assembleInstruction, then encodeOp of each operation), as signed 32-bit
 * numbers. */
function layoutWords(st: Statement): number[] {
  const quick = quickEncode(st);
  if (quick !== undefined) return [quick];
  const ops = assembleInstruction(st, { constant: (e) => (e.k === 'num' ? e.v : e.k === 'un' && e.op === '-' && e.a.k === 'num' ? -e.a.v : 0n) });
  return ops.map((op) => encodeOp(op, (name, fv) => constantField(name, fv)!, st.nameLoc!) | 0);
}

/** Every line the fast path takes is the grammar's statement, and every word fastWord gives is the one
 * layout gets from that statement; returns how many lines the fast path took. */
function check(lines: string[], from?: Expansion): number {
  let taken = 0;
  for (const line of lines) {
    if (quickLine(line, 0, line.length, EVERY) === 'inert') {
      // a data line the expander may skip when it places nothing: fastLine's statement of expressions
      // or of strings
      const st = fastLine(line, 'f.dasm', 7, from);
      expect(st?.name, line).toBeDefined();
      expect(st!.labels, line).toEqual([]);
      expect(st!.operands.every((o) => o.kind === (strings ? 'string' : 'expr')), line).toBe(true);
    }
    if (quickLine(line, 0, line.length, EVERY) === 'loc') {
      // a .loc line the expander hands to the line table: fastLine's statement of those two numbers
      const st = fastLine(line, 'f.dasm', 7, from);
      expect(st?.name?.toLowerCase(), line).toBe('.loc');
      expect(st!.labels, line).toEqual([]);
      expect(st!.operands.slice(0, 2).map((o) => o.kind === 'expr' && o.e.k === 'num' && o.e.v), line).toEqual([BigInt(LOC.file), BigInt(LOC.line)]);
    }
    const word = fastWord(line, 'f.dasm', 7, from);
    if (word) {
      const st = fastLine(line, 'f.dasm', 7, from);
      expect(st, line).toBeDefined();
      expect([...word.words!], line).toEqual(layoutWords(st!));
      expect({ ...word, operands: st!.operands, words: undefined }, line).toEqual(st);
    }
    const fast = fastLine(line, 'f.dasm', 7, from);
    if (!fast) continue;
    taken++;
    const grammar = viaGrammar(line, from);
    expect(grammar, `the grammar rejects a line the fast path takes: ${JSON.stringify(line)}`).toBeDefined();
    expect(fast, line).toEqual(grammar);
  }
  return taken;
}

/** Lines of the kinds gcc -S writes, each of which the fast path must take. */
const GCC_LINES = [
  '\t.file\t"c2.c"',
  '\t.option nopic',
  '\t.attribute arch, "rv64i2p1_m2p0"',
  '\t.attribute unaligned_access, 0',
  '\t.text',
  '.Ltext0:',
  '\t.cfi_sections\t.debug_frame',
  '\t.file 0 "/tmp/asb" "c2.c"',
  '\t.file 1 "/usr/include/csmith/safe_math.h"',
  '\t.file 2 "dir" "x.c" md5 0x0123456789abcdef0123456789abcdef',
  '\t.align\t1',
  '\t.p2align 4',
  '\t.globl\tmain',
  '\t.type\tmain, @function',
  '\t.type\tg_5, %object',
  'main:',
  '.LFB12:',
  '\t.loc 1 27 1',
  '\t.loc 1 27 1 is_stmt 0 discriminator 2',
  '\t.loc 2 5 3 view .LVU12',
  '\t.cfi_startproc',
  '\t.cfi_def_cfa_offset 16',
  '\t.cfi_offset 1, -8',
  '\taddi\tsp,sp,-16',
  '\tsd\tra,8(sp)',
  '\tlui\ta5,%hi(g_345)',
  '\tld\ta0,%lo(g_345)(a5)',
  '\tsw\ta5,%lo(crc32_context+4)(s4)',
  '\tlui\ta4,%hi(.LC0+8)',
  '.L3:',
  '1:\tauipc\ta0,%pcrel_hi(sym)',
  '\taddi\ta0,a0,%pcrel_lo(1b)',
  '\tcall\ttransparent_crc.constprop.0',
  '\tcall\tputs@plt',
  '\ttail\tf',
  '\tla\ta0,.LANCHOR0',
  '\tli\ta0,-1',
  '\tbne\ta5,zero,.L3',
  '\tjr\tra',
  '\t.size\tmain, .-main',
  '\t.section\t.rodata.str1.8,"aMS",@progbits,1',
  '\t.section\t.sbss,"aw",@nobits',
  '\t.section\t.note.GNU-stack,"",@progbits',
  '\t.section\t.debug_info,"",@progbits',
  '\t.set\t.LANCHOR0,. + 0',
  '\t.string\t"checksum = %X\\n"',
  '\t.string\t"\\377g"',
  '\t.ascii\t"a\\"b\\\\c\\0\\x41\\101"',
  '\t.string\t"caf\u00e9"',
  '\t.string\t""',
  '\t.zero\t4',
  '\t.byte\t0x5',
  '\t.2byte\t0x5',
  '\t.4byte\t.Ldebug_info0+74634',
  '\t.4byte\t.LVL104-.LVL103',
  '\t.8byte\t.LFB12',
  '\t.dword\tg_5+8',
  '\t.uleb128 0x2d',
  '\t.sleb128 -8',
  '\t.half\t-1',
  '\t.word\t-559038737',
  '\t.ident\t"GCC: (13.2.0-11+deb13u1+11+b1) 13.2.0"',
  '\t.weak\tw',
  '\t.comm\tbuf,64,8',
  '\t.local\tx',
  '\t.equ\tN, 4*(3+1)<<2',
  '\t.word (1 + 2) * -3, ~4 | 8 & 9 ^ 10, 1 << 3 >> 1, 7 / 2 % 3, !0, 1 || 0 && 1',
  '\t.word 1 == 1, 1 != 2, 1 <> 2, 1 < 2, 2 > 1, 1 <= 1, 2 >= 3, 3 ! 4, - - 5, +6, (x), ((y)+1)',
];

describe('fast path for lines', () => {
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
    expect(check(lines) / lines.length).toBeGreaterThan(0.9);
    const words = generateAsm(3000, 5).split('\n').filter((l) => fastWord(l, 'f.dasm', 7));
    expect(words.length).toBeGreaterThan(2000);
    for (const data of lines.filter((l) => /^\s*(\w+:\s*)?\.(byte|half|word|dword|quad)/.test(l))) expect(fastLine(data, 'f.dasm', 7), data).toBeDefined();
  });

  it('takes the directives, relocations, strings and expressions of compiled code', () => {
    const from: Expansion = { what: '.irp', file: 'f.dasm', line: 3, iteration: 2, symbol: 'x', value: '1', parent: undefined };
    for (const at of [undefined, from]) {
      expect(check(GCC_LINES, at)).toBe(GCC_LINES.length);
    }
    expect(GCC_LINES.filter((l) => quickLine(l, 0, l.length, undefined) === 'loc').length).toBe(3);
    const data = GCC_LINES.filter((l) => /^\t\.(byte|2byte|4byte|8byte|dword|half|word|uleb128|sleb128)\t/.test(l));
    expect(data.filter((l) => quickLine(l, 0, l.length, EVERY) === 'inert')).toEqual(data);
  });

  it.skipIf(missing('gcc') !== '')('takes every line of gcc output for programs/c', () => {
    const dir = tempDir('d1-fastline-');
    const sources = readdirSync(join(PROGRAMS, 'c')).filter((f) => f.endsWith('.c'));
    for (const flags of [['-O2', '-g'], ['-O0', '-fverbose-asm'], ['-Os', '-fPIC']]) {
      for (const c of sources) {
        const out = join(dir, `${c}.s`);
        const r = sh('riscv64-unknown-elf-gcc', ['-S', ...flags, '-march=rv64im', '-mabi=lp64', '-ffreestanding', '-I', join(PROGRAMS, 'c'), join(PROGRAMS, 'c', c), '-o', out]);
        expect(r.status, r.stderr).toBe(0);
        const all = readFileSync(out, 'utf8').split('\n').filter((l) => !l.includes(';'));
        expect(check(all), `${c} ${flags.join(' ')}`).toBe(all.length);
      }
    }
  });

  it('agrees with the grammar on random token soup', () => {
    const rnd = prng(12);
    const pick = <T>(xs: T[]): T => xs[rnd() % xs.length]!;
    const words = ['a0', 'x1', 'sym', '.L5', '$x', '_y', '.', 'main', 'is_stmt', 'plt', 'addi', '.byte', '.loc', '.file', '.word', 'call', 'tail', 'lw', '.section', '.type', 'CALL', '.LOC'];
    const numbers = ['0', '1', '42', '08', '017', '0x1f', '0X', '0b1', '0b', '1b', '2f', '1bx', '1.5', '3e2', '99999999999999999999', '4096', '0x', '12ab'];
    const strings = ['"abc"', '"a\\n\\"b"', '"\\x41\\101"', '"\u00e9"', '"unterminated', '""', '"a;b"', '"\\', '"\\\rb"', '"\u2028"'];
    const other = ["'a'", '%hi', '%lo', '%pcrel_lo', '%progbits', '%foo', '%', '@function', '@', '@plt', '\\x', '?', '#c', '//c', ';', '/*'];
    const punct = ['(', ')', ',', ',', ':', '=', '==', '+', '-', '*', '/', '<<', '>>', '<', '>', '<=', '>=', '<>', '!=', '!', '~', '&', '&&', '|', '||', '^'];
    const token = () => {
      const r = rnd() % 10;
      return r < 3 ? pick(words) : r < 5 ? pick(numbers) : r < 6 ? pick(strings) : r < 7 ? pick(other) : pick(punct);
    };
    const space = () => pick(['', '', ' ', ' ', '\t', '  ', '\r', '\f']);
    const soup = Array.from({ length: 20000 }, () => Array.from({ length: 1 + (rnd() % 9) }, () => space() + token()).join('') + space());
    // and lines shaped like statements: labels, a name, operands of random expressions
    const expr = (depth: number): string => {
      const r = rnd() % 8;
      if (depth > 2 || r < 3) return pick([...words, ...numbers.slice(0, 10)]);
      if (r === 3) return `${pick(['-', '~', '!', '+'])}${space()}${expr(depth + 1)}`;
      if (r === 4) return `(${space()}${expr(depth + 1)}${space()})`;
      if (r === 5) return `%${pick(['hi', 'lo', 'pcrel_hi', 'LO'])}(${expr(depth + 1)})`;
      return `${expr(depth + 1)}${space()}${pick(punct.slice(7))}${space()}${expr(depth + 1)}`;
    };
    const operand = () => {
      const r = rnd() % 6;
      return r === 0 ? `${expr(1)}(${pick(['a0', 'sp', ' t1 '])})` : r === 1 ? pick(strings) : r === 2 ? pick(['@object', '%nobits', `${pick(words)}@plt`]) : expr(0);
    };
    const shaped = Array.from({ length: 20000 }, () => {
      const labels = Array.from({ length: rnd() % 2 }, () => `${pick(['L1', '1', '.Lx', '08'])}${space()}:${space()}`).join('');
      const ops = Array.from({ length: rnd() % 4 }, operand).join(pick([', ', ',', ' ']));
      return `${space()}${labels}${pick(words)} ${ops}${pick(['', ' # c', '//c'])}`;
    });
    // and instructions of registers, integers and memory operands (what fastWord reads)
    const mnemonics = [...INSTRUCTIONS.map((x) => x.mnemonic), 'li', 'mv', 'nop', 'not', 'neg', 'sext.w', 'jr', 'ret', 'ADD', 'csrr', 'fence'];
    const arg = () => {
      const r = rnd() % 7;
      const reg = pick(['a0', 'a7', 'x31', 'x32', 'fp', 'zero', 'A0', 's11', 't6', 'sym', 'v1']);
      const num = pick(['0', '-0', '7', '-2048', '2047', '4096', '0x7ff', '0xFFFFF', '-0x800', '08', '1b', '9999999999999', '99999999999999', '0x1234567890abc', '0x1234567890abcd', '- 3', '--3', '0x']);
      return r < 3 ? reg : r < 5 ? num : r === 5 ? `${num}(${space()}${reg}${space()})` : `(${reg})`;
    };
    const insns = Array.from({ length: 20000 }, () => `${space()}${pick(mnemonics)} ${Array.from({ length: rnd() % 4 }, arg).join(pick([', ', ',', ' ,']))}${pick(['', ' # c'])}`);
    check(soup);
    expect(check(shaped)).toBeGreaterThan(5000);
    check(insns);
    expect(insns.filter((l) => fastWord(l, 'f.dasm', 7)).length).toBeGreaterThan(200);
  });

  it('leaves literals it does not read, macro arguments, assignments and malformed lines to the grammar', () => {
    const lines = [".byte 'a'", '.float 1.5', 'x = 3', 'addi a0, a0, 08', '.byte \\x', '.byte 1,', 'nop; nop', 'add a0,', 'add a0 a1', 'lui a0, %foo(x)', '.word x@plt', 'call x@got', '.loc 1 -1', '.loc 1 2+3', '.byte 0b101', '.word 1 +', '.byte (1', '.p2align 4,,15'];
    for (const line of lines) expect(fastLine(line, 'f.dasm', 1), line).toBeUndefined();
  });
});
