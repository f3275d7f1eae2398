// d1 objdump against GNU objdump (binutils-riscv64-unknown-elf) on the same ELF files: every instruction
// of the table and every printed alias with boundary and random operands, random words, whole listings
// of d1-built and gcc-built programs with and without -S, and layout corners (runs of zeros, files
// without symbols). The differences we keep on purpose are spelled out in `explained` and tested to
// still occur, so the list cannot go stale.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { readElf } from '../../assembler/elf/read.js';
import { writeElf } from '../../assembler/elf/write.js';
import type { Image } from '../../assembler/image.js';
import { CSR_BY_NUMBER, CSRS } from '../../isa/csr.js';
import { decode, encode } from '../../isa/codec.js';
import { disassembly, listing } from '../../objdump/objdump.js';
import { instructionCorpus } from '../gen/corpus.js';
import { d1, gnuBuild, missing, PROGRAMS, sh, tempDir } from '../helpers/tools.js';
import { aliasWords, instructionWords, randomWords, TEXT_BASE, wordsImage } from './corpus.js';

const skip = missing('gnuAs');
const gccSkip = missing('gnuAs', 'gcc');

const insnLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => /^\s+[0-9a-f]+:\t/.test(l))
    .map((l) => l.replace(/\s+#.*$/, '').replace(/\s+$/, ''));

function read(file: string): Image {
  const r = readElf(new Uint8Array(readFileSync(file)), file);
  if (!('image' in r)) throw new Error(r.diagnostics[0]!.message);
  return r.image;
}

function build(source: string): Image {
  const { image, diagnostics } = assemble([{ path: join(PROGRAMS, source) }]);
  expect(diagnostics).toEqual([]);
  return image!;
}

/** Ours and GNU's listing of one image, written through our ELF writer. */
function both(image: Image, flags: string[], name = 'prog.elf'): { ours: string; gnu: string; file: string } {
  const file = join(tempDir('d1-objdump-'), name);
  writeFileSync(file, writeElf(image));
  const gnu = sh('riscv64-unknown-elf-objdump', ['-d', ...flags, file]);
  expect(gnu.stderr).toBe('');
  const ours = listing(read(file), file, { aliases: !flags.includes('no-aliases'), source: flags.includes('-S'), sourceLine });
  return { ours, gnu: gnu.stdout, file };
}

function sourceLine(file: string, line: number): string | undefined {
  try {
    return readFileSync(file, 'latin1').split('\n')[line - 1];
  } catch {
    return undefined;
  }
}

/** Kinds of line where we differ from GNU objdump 2.40 on purpose. */
type Difference = 'fence-empty-set' | 'immediate-mnemonic' | 'unimp' | 'csr-name';

/** D1's own CSRs (GNU prints their numbers). */
const D1_CSRS = new Map(CSRS.filter((c) => c.d1).map((c) => [c.name, c.number]));

/**
 * Why two instruction lines differ, if on purpose: a fence with an empty set prints `0` (GNU: `unknown`,
 * which no assembler reads back); with aliases on, GNU names immediate instructions after their register
 * forms (`add a0,a0,1`, `addw`, `csrrw a0,cycle,1`) where d1 keeps `addi`, `addiw`, `csrrwi`; GNU prints
 * its `unimp` word by that name even with -M no-aliases; CSRs: d1 names only the ones D1 has, GNU
 * names every standard one but not D1's.
 */
function explained(ours: string, gnu: string): Difference | undefined {
  if (gnu.replace(/\bunknown\b/g, '0') === ours) return 'fence-empty-set';
  const o = ours.split('\t');
  const g = gnu.split('\t');
  if (o[0] !== g[0] || o[1] !== g[1]) return undefined;
  if (g[2] === 'unimp' && o[1]!.startsWith('c0001073')) return 'unimp';
  if ((o[2] === `${g[2]}i` || o[2] === g[2]!.replace(/w$/, 'iw')) && o.slice(3).join('\t') === g.slice(3).join('\t')) return 'immediate-mnemonic';
  const oa = (o[3] ?? '').split(',');
  const ga = (g[3] ?? '').split(',');
  const at = oa.findIndex((x, k) => x !== ga[k]);
  if (o[2] === g[2] && /^csrr/.test(o[2]!) && at === 1 && oa.length === ga.length && oa.every((x, k) => k === at || x === ga[k])) {
    const [mine, theirs] = [oa[1]!, ga[1]!];
    if (/^0x[0-9a-f]+$/.test(mine) && !CSR_BY_NUMBER.has(Number(mine)) && /^[a-z]/.test(theirs)) return 'csr-name';
    if (D1_CSRS.has(mine) && theirs === `0x${D1_CSRS.get(mine)!.toString(16)}`) return 'csr-name';
  }
  return undefined;
}

/** Line-by-line comparison; returns the unexplained differences and the explained kinds seen. */
function compare(ours: string, gnu: string): { diffs: string[]; seen: Set<Difference> } {
  const a = ours.split('\n');
  const b = gnu.split('\n');
  const diffs: string[] = [];
  const seen = new Set<Difference>();
  if (a.length !== b.length) diffs.push(`${a.length} lines, GNU has ${b.length}`);
  for (let k = 0; k < Math.min(a.length, b.length) && diffs.length < 12; k++) {
    if (a[k] === b[k]) continue;
    const why = explained(a[k]!, b[k]!);
    if (why) seen.add(why);
    else diffs.push(`d1:  ${a[k]}\nGNU: ${b[k]}`);
  }
  return { diffs, seen };
}

/** Corpus words with CSR operands limited to the CSRs GNU and D1 both name the same way. */
function corpusWords(): number[] {
  const shared = CSRS.filter((c) => !c.d1).map((c) => c.number);
  return [...instructionWords(), ...aliasWords()].map((w) => {
    const d = decode(w)!;
    if (!('csr' in d.ops)) return w;
    const r = encode(d.instr, { ...d.ops, csr: shared[d.ops['csr']! % shared.length]! });
    return 'word' in r ? r.word : w;
  });
}

describe.skipIf(skip !== '')(`d1 objdump agrees with GNU objdump${skip}`, () => {
  it('-M no-aliases on every line of the GNU-built instruction corpus', () => {
    const dir = tempDir('d1-objdump-');
    const gnu = gnuBuild(instructionCorpus(5), dir);
    expect(gnu.error).toBeUndefined();
    const theirs = insnLines(sh('riscv64-unknown-elf-objdump', ['-d', '-M', 'no-aliases', gnu.elf!]).stdout);
    const ours = insnLines(listing(read(gnu.elf!), 'gnu.elf', { aliases: false, source: false }));
    expect(ours.length).toBe(theirs.length);
    // GNU names CSRs D1 does not define, and D1 names its own: compare CSR instructions without them.
    const comparable = (line: string) => line.replace(/^(.*\tcsrr[swc]i?\t[^,]+,)[^,]+,/, '$1<csr>,');
    const diffs = ours.map((l, k) => [comparable(l), comparable(theirs[k]!)]).filter(([a, b]) => a !== b && !explained(a!, b!));
    expect(diffs.slice(0, 10)).toEqual([]);
  });

  it('on every table instruction and printed alias, in both modes, `# address` comments included', () => {
    const image = wordsImage(corpusWords());
    const raw = both(image, ['-M', 'no-aliases']);
    const plain = compare(raw.ours, raw.gnu);
    expect(plain.diffs).toEqual([]);
    const aliased = both(image, []);
    const pretty = compare(aliased.ours, aliased.gnu);
    expect(pretty.diffs).toEqual([]);
    // The explained differences are real: each shows up in this corpus.
    expect([...plain.seen, ...pretty.seen].sort()).toEqual(['fence-empty-set', 'fence-empty-set', 'immediate-mnemonic', 'unimp']);
    expect(aliased.ours).toMatch(/\tjalr\t-?\d+\(\w+\)/);
    expect(aliased.ours).toMatch(/\tzext\.b\t/);
  });

  it('on random words: the same line for each, decoded or .4byte (the file declares rv64im_zicsr)', () => {
    const words = randomWords(4000);
    const { ours, gnu } = both(wordsImage(words, 100000), ['-M', 'no-aliases']);
    const a = insnLines(ours);
    const b = insnLines(gnu);
    expect(a.length).toBe(words.length);
    expect(b.length).toBe(words.length);
    const diffs = a.filter((l, k) => l !== b[k] && !explained(l, b[k]!)).map((l) => `d1 ${l} / GNU ${b[a.indexOf(l)]}`);
    expect(diffs.slice(0, 10)).toEqual([]);
    expect(a.filter((l) => !l.includes('\t.4byte\t')).length).toBeGreaterThan(1000);
  });

  for (const p of ['fib.dasm', 'sort.dasm', 'matmul.dasm']) {
    it(`whole listing of ${p}, -M no-aliases, with and without -S`, () => {
      const image = build(p);
      for (const flags of [['-M', 'no-aliases'], ['-S', '-M', 'no-aliases']]) {
        const { ours, gnu } = both(image, flags);
        expect(ours).toBe(gnu);
      }
    });
  }

  it('CSRs: D1 names its own, GNU names standard ones D1 does not have', () => {
    const words = [0xcc0, 0xcc5, 0x001, 0x300].map((csr) => encode(decode(0xc0002573)!.instr, { rd: 10, rs1: 0, csr }));
    const { ours, gnu } = both(wordsImage(words.map((r) => ('word' in r ? r.word : 0))), []);
    expect(insnLines(ours).map((l) => l.split('\t')[3])).toEqual(['a0,coreid', 'a0,meshh', 'a0,0x1', 'a0,0x300']);
    expect(insnLines(gnu).map((l) => l.split('\t').slice(2).join(' '))).toEqual(['csrr a0,0xcc0', 'csrr a0,0xcc5', 'csrr a0,fflags', 'csrr a0,mstatus']);
  });

  it('runs of zeros, symbols sharing an address, an address below every symbol', () => {
    const nop = encode(decode(0x13)!.instr, { rd: 0, rs1: 0, imm12: 0 });
    const n = 'word' in nop ? nop.word : 0;
    const image = wordsImage([n, 0, 0, n, 0, 0, 0, n, 0, 0, n, n, n, 0, 0], 4);
    image.symbols.push({ name: 'alias_of_start', value: TEXT_BASE, size: 0, global: false, type: 'notype', section: '.text' });
    image.symbols.push({ name: 'CONST', value: 8n, size: 0, global: false, type: 'notype' });
    for (const flags of [[], ['-M', 'no-aliases']]) {
      const { ours, gnu } = both(image, flags);
      expect(ours).toBe(gnu);
      expect(ours).toContain('\t...\n');
    }
  });

  it('d1 as and d1 objdump -S from the command line, with sources in a relative folder', () => {
    const dir = tempDir('d1-objdump-cli-');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'x.dasm'), '# x\n        .globl _start\n_start:\n        li a0, 3\n1:      addi a0, a0, -1\n        bnez a0, 1b\n        li a7, 93\n        ecall\n');
    expect(d1(['as', 'src/x.dasm', '-o', 'x.elf'], { cwd: dir }).code).toBe(0);
    for (const flags of [['-S'], ['-S', '-M', 'no-aliases']]) {
      const ours = d1(['objdump', '-d', ...flags, 'x.elf'], { cwd: dir });
      expect(ours.code).toBe(0);
      const gnu = sh('riscv64-unknown-elf-objdump', ['-d', ...flags, 'x.elf'], { cwd: dir }).stdout;
      if (flags.length === 1) expect(compare(ours.stdout, gnu).diffs).toEqual([]);
      else expect(ours.stdout).toBe(gnu);
      expect(ours.stdout).toContain('# x\n        .globl _start\n_start:\n        li a0, 3\n    1000:');
    }
  });

  it('a file without symbols prints targets as 0x... and blocks under the section name', () => {
    const asm = assemble([{ path: 'n.dasm', text: '_start: beqz a0, 1f\n nop\n1: j _start\n' }]).image!;
    asm.symbols = [];
    const { ours, gnu } = both(asm, []);
    expect(ours).toBe(gnu);
    expect(ours).toContain('<.text>:');
    expect(ours).toContain('beqz\ta0,0x1008');
  });
});

describe.skipIf(gccSkip !== '')(`d1 objdump on gcc-built executables${gccSkip}`, () => {
  it('prints the same listing as GNU objdump for a gcc -O2 -g program; -S shows the right file', () => {
    const dir = tempDir('d1-objdump-gcc-');
    const elf = join(dir, 'primes.elf');
    const cc = sh('riscv64-unknown-elf-gcc', ['-O2', '-g', '-march=rv64im', '-mabi=lp64', '-nostdlib', '-static', '-ffreestanding', '-o', elf, join(PROGRAMS, 'c', 'primes.c')]);
    expect(cc.status, cc.stderr).toBe(0);
    const image = read(elf);
    for (const flags of [['-M', 'no-aliases'], []]) {
      const gnu = sh('riscv64-unknown-elf-objdump', ['-d', ...flags, elf]).stdout;
      const ours = listing(image, elf, { aliases: flags.length === 0, source: false });
      if (flags.length > 0) expect(ours).toBe(gnu);
      else expect(compare(ours, gnu).diffs).toEqual([]);
    }
    // objdump 2.40 reads DWARF 5 file numbers off by one here and shows primes.c lines for code from
    // rt.h (its own --dwarf=decodedline says rt.h); d1 shows rt.h's put_str.
    const withSource = listing(image, elf, { aliases: true, source: true, sourceLine });
    const putStr = withSource.slice(withSource.indexOf('<put_str>:'));
    expect(putStr.split('\n').slice(1, 4).join('\n')).toMatch(/put_str\(const char \*s\)/);
  });
});

describe('listing layout', () => {
  const image = (): Image => {
    const r = assemble([{ path: 'l.dasm', text: '_start:\n  la a0, msg\n  call f\nf: ret\n  .data\n  .word 7\nmsg: .string "hi"\n' }]);
    expect(r.diagnostics).toEqual([]);
    return r.image!;
  };

  it('follows GNU objdump: header, section, labels, address/word/text columns, target comments', () => {
    const text = listing(image(), 'l.elf', { aliases: true, source: false });
    const lines = text.split('\n');
    expect(lines.slice(0, 7)).toEqual(['', 'l.elf:     file format elf64-littleriscv', '', '', 'Disassembly of section .text:', '', '0000000000001000 <_start>:']);
    expect(text).toMatch(/^ {4}1000:\t[0-9a-f]{8} {10}\tauipc\ta0,0x\d+$/m);
    expect(text).toContain('    1004:\t00450513          \taddi\ta0,a0,4 # 2004 <msg>\n');
    expect(text).toMatch(/\tjalr\t\d+\(ra\) # 1010 <f>$/m);
    expect(text).toContain('\n0000000000001010 <f>:\n    1010:\t00008067          \tret\n');
  });

  it('-S shows each source line once, with up to five lines of context before the first', () => {
    const src = ['# one', '# two', '# three', '# four', '# five', '# six', '_start: nop', ' nop', '1: j 1b'];
    const r = assemble([{ path: 's.dasm', text: src.join('\n') }]);
    const text = listing(r.image!, 's.elf', { aliases: true, source: true, sourceLine: (_f, n) => src[n - 1] });
    expect(text).toContain('<_start>:\n# two\n# three\n# four\n# five\n# six\n_start: nop\n    1000:');
    expect(text).toContain('\n nop\n    1004:');
    expect(text).toContain('\n1: j 1b\n    1008:');
    expect(text.match(/# one/g)).toBeNull();
  });

  it('--json gives every instruction with its symbol and source line', () => {
    const [text] = disassembly(image(), true);
    expect(text!.name).toBe('.text');
    expect(text!.instructions[0]).toMatchObject({ address: '0x1000', mnemonic: 'auipc', symbol: '_start', file: 'l.dasm', line: 2 });
    expect(text!.instructions[4]).toMatchObject({ address: '0x1010', mnemonic: 'ret', symbol: 'f', line: 4 });
    expect(text!.instructions[1]).toMatchObject({ mnemonic: 'addi', operands: 'a0,a0,4', refers: '0x2004' });
  });

  it('d1 objdump --json, and an unknown -M option is an error', () => {
    const r = d1(['objdump', '--json', join(PROGRAMS, 'hello.dasm')]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { sections: { name: string; instructions: { address: string; symbol: string; line: number }[] }[] };
    expect(out.sections[0]!.name).toBe('.text');
    expect(out.sections[0]!.instructions[0]).toMatchObject({ address: '0x1000', symbol: '_start' });
    const bad = d1(['objdump', '-M', 'intel', join(PROGRAMS, 'hello.dasm')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("d1 objdump: unknown disassembler option 'intel' (known: no-aliases)\n");
  });

  it('a word that is no D1 instruction prints as .4byte', () => {
    const text = listing(wordsImage([0xfe00707b]), 'w.elf', { aliases: true, source: false });
    expect(text).toContain('    1000:\tfe00707b          \t.4byte\t0xfe00707b\n');
  });
});
