// GNU as's `.insn` directive (assembler/insn-directive.ts) against GNU as (binutils-riscv64-unknown-elf):
// a corpus of every form, random field values per form in one GNU run per batch, and the errors. d1 links
// executables and writes no objects, so a relocation is compared by what it becomes: the corpus links with
// a second file that defines its undefined symbol, and branches to other sections, far labels and local
// labels are linked by GNU ld and by d1 to the same bytes; and GNU gives the corpus the relocations it
// gives the same instructions written with their mnemonics, which d1 links as GNU does (oracle/gnu-as).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { formatDiagnostic } from '../../assembler/diagnostics.js';
import type { Image } from '../../assembler/image.js';
import { OPCODES } from '../../isa/formats.js';
import { ABI_NAMES } from '../../isa/registers.js';
import { disassembly } from '../../objdump/objdump.js';
import { d1, gnuBuild, gnuSection, missing, sh, tempDir } from '../helpers/tools.js';

const skip = missing('gnuAs');

/** Each `.insn` line and the same instruction written with its mnemonic (GNU must relocate both alike). */
const PAIRS: [insn: string, mnemonic: string][] = [
  ['.insn r OP, 0, 0, a0, a1, a2', 'add a0, a1, a2'],
  ['.insn r OP, 0, 32, a0, a1, a2', 'sub a0, a1, a2'],
  ['.insn r 0x33, 7, 1, x31, x0, x5', 'remu t6, zero, t0'],
  ['.insn r OP_32, 0, 1, t0, t1, t2', 'mulw t0, t1, t2'],
  ['.insn i OP_IMM, 0, a0, a1, -2048', 'addi a0, a1, -2048'],
  ['.insn i OP_IMM, 7, s0, fp, 2047', 'andi s0, s0, 2047'],
  ['.insn i OP_IMM_32, 0, a0, a1, -1', 'addiw a0, a1, -1'],
  ['.insn i LOAD, 3, a0, 8(a1)', 'ld a0, 8(a1)'],
  ['.insn i LOAD, 4, a0, (a1)', 'lbu a0, (a1)'],
  ['.insn i JALR, 0, ra, -2048(t0)', 'jalr ra, -2048(t0)'],
  ['.insn i SYSTEM, 0, x0, x0, 1', 'ebreak'],
  ['.insn i OP_IMM, 0, a0, a1, %lo(data_sym)', 'addi a0, a1, %lo(data_sym)'],
  ['.insn i LOAD, 3, a0, %lo(data_sym)(a1)', 'ld a0, %lo(data_sym)(a1)'],
  ['.insn s STORE, 3, a0, -8(sp)', 'sd a0, -8(sp)'],
  ['.insn s STORE, 0, zero, 2047(a1)', 'sb zero, 2047(a1)'],
  ['.insn s STORE, 2, a0, (a1)', 'sw a0, (a1)'],
  ['.insn s STORE, 3, a0, %lo(data_sym)(a1)', 'sd a0, %lo(data_sym)(a1)'],
  ['.insn u LUI, a0, 0', 'lui a0, 0'],
  ['.insn u LUI, a0, 0xfffff', 'lui a0, 0xfffff'],
  ['.insn u AUIPC, t0, 0x80000', 'auipc t0, 0x80000'],
  ['.insn u LUI, a0, %hi(data_sym)', 'lui a0, %hi(data_sym)'],
  ['.insn b BRANCH, 0, a0, a1, back', 'beq a0, a1, back'],
  ['.insn sb BRANCH, 1, a0, a1, fwd', 'bne a0, a1, fwd'],
  ['.insn b BRANCH, 4, a0, zero, 1f', 'blt a0, zero, 1f'],
  ['1: .insn b BRANCH, 7, zero, a0, 1b', '1: bgeu zero, a0, 1b'],
  ['.insn b BRANCH, 5, a0, a1, . + 8', 'bge a0, a1, . + 8'],
  ['.insn b BRANCH, 6, a0, a1, other', 'bltu a0, a1, other'],
  ['.insn b BRANCH, 0, a0, a1, extern_sym', 'beq a0, a1, extern_sym'],
  ['.insn b BRANCH, 1, a0, a1, far', 'bne a0, a1, far'],
  ['.insn j JAL, ra, back', 'jal ra, back'],
  ['.insn uj JAL, zero, fwd', 'jal zero, fwd'],
  ['.insn j JAL, x0, 2f', 'j 2f'],
  ['2: .insn j JAL, ra, other', '2: jal ra, other'],
  ['.insn j JAL, ra, extern_sym', 'jal ra, extern_sym'],
  ['.insn j JAL, ra, far', 'jal ra, far'],
  ['.insn b BRANCH, 0, a0, a1, 0x1000', 'beq a0, a1, 0x1000'],
  ['.insn j JAL, ra, 0x1000', 'jal ra, 0x1000'],
  ['.insn b BRANCH, 5, a0, a1, weak_sym', 'bge a0, a1, weak_sym'],
  ['.insn j JAL, ra, weak_sym', 'jal ra, weak_sym'],
  ['.insn 0x00c58533', 'add a0, a1, a2'],
  ['.insn 4, 0x00000013', 'nop'],
  ['.insn 4, 0xfffffff3', 'csrrci t6, 0xfff, 31'],
];

/** Lines without a mnemonic: custom and F/A/V opcodes, R4, expressions as fields and values. */
const ONLY_INSN = [
  '.insn r CUSTOM_0, 0, 0, zero, zero, zero',
  '.insn r CUSTOM_3, 7, 0x7f, s11, t6, fp',
  '.insn r OP_FP, 1, 2, a0, a1, a2',
  '.insn r AMO, 3, 0x10, a0, a1, a2',
  '.insn r OP_V, 7, 64, a0, a1, a2',
  '.insn r MADD, 7, 3, a0, a1, a2, a3',
  '.insn r4 NMADD, 0, 0, x0, x31, x1, x30',
  '.insn r4 0x47, 5, 1, ra, sp, gp, tp',
  '.insn r4 NMSUB, 2, 2, a5, a4, a3, a2',
  '.insn i CUSTOM_1, 6, a0, a1, %lo(data_sym)',
  '.insn i LOAD_FP, 3, a0, 16(sp)',
  '.insn i MISC_MEM, 0, x0, x0, 0x0ff',
  '.insn s STORE_FP, 2, a0, %lo(data_sym)(a1)',
  '.insn s CUSTOM_2, 7, t0, -2048(t1)',
  '.insn u CUSTOM_0, s0, 12345',
  '.insn b CUSTOM_3, 2, s0, s1, back',
  '.insn b CUSTOM_0, 3, a0, a1, extern_sym', // long: GNU inverts any branch by flipping funct3's low bit
  '.insn b 0x0b, 6, a0, a1, far',
  '.insn j CUSTOM_1, a0, back',
  '.insn j 0x7b, zero, extern_sym',
  '.insn 0x13 + 0x100',
  '.insn CODE',
  '.insn r OP, F3, 1 << 5, a0, a1, a2',
  ".insn r OP, 'a' & 7, ~0 & 0x7f, a0, a1, a2",
  '.insn i OP_IMM, (F3 + 1) % 8, a0, a1, -(1 << 11)',
  'rtype CUSTOM_2, 5, a7',
  'lab: .insn u LUI, a0, 1 ; .insn r OP, 0, 0, a0, a1, a2',
];

function corpus(lines: string[]): string {
  return [
    '        .text',
    '        .globl _start',
    '        .weak weak_sym',
    '        .set CODE, 0x0000100b',
    '        .set F3, 5',
    '        .macro rtype op, f3, rd',
    '        .insn r \\op, \\f3, 0, \\rd, a1, a2',
    '        .endm',
    '_start:',
    'back:   nop',
    ...lines.map((l) => (/^\d:/.test(l) ? l : `        ${l}`)),
    'fwd:    nop',
    '        .skip 8192',
    'far:    nop',
    'data_sym: nop',
    '        .section .text.other,"ax",@progbits',
    'other:  .insn r OP, 0, 0, a0, a1, a2',
    '        .insn b BRANCH, 0, a0, a1, back',
    '        .insn j JAL, ra, back',
    '',
  ].join('\n');
}
const EXTERN = '        .text\n        .globl extern_sym\nextern_sym: nop\n';

function ours(files: string[]): Image {
  const { image, diagnostics } = assemble(files.map((text, k) => ({ path: `f${k}.s`, text })));
  expect(diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
  return image!;
}

/** The first differing words of .text, d1's and GNU's, with their source lines. */
function compare(source: string, others: string[] = []): string[] {
  const dir = tempDir('d1-insn-');
  const gnu = gnuBuild(source, dir, 'gnu', others);
  if (gnu.error) throw new Error(`GNU as rejected the source:\n${gnu.error.slice(0, 2000)}`);
  const theirs = gnuSection(gnu.elf!, '.text', dir);
  const image = ours([source, ...others]);
  const text = image.sections.find((s) => s.name === '.text')!.bytes;
  const lines = source.split('\n');
  const out: string[] = [];
  if (text.length !== theirs.length) out.push(`.text is ${text.length} bytes, GNU's is ${theirs.length}`);
  const a = new DataView(text.buffer, text.byteOffset);
  const b = new DataView(theirs.buffer, theirs.byteOffset);
  for (let off = 0; off + 4 <= Math.min(text.length, theirs.length) && out.length < 20; off += 4) {
    const x = a.getUint32(off, true);
    const y = b.getUint32(off, true);
    if (x === y) continue;
    const row = image.lines.filter((l) => l.addr <= 0x1000n + BigInt(off)).pop();
    out.push(`0x${(0x1000 + off).toString(16)}: ${row ? lines[row.line - 1]!.trim() : '?'}: d1 ${x.toString(16).padStart(8, '0')}, GNU ${y.toString(16).padStart(8, '0')}`);
  }
  return out;
}

/** GNU's relocations of an object (`objdump -r`: section headers and `offset type symbol` rows). */
function relocations(source: string): string[] {
  const dir = tempDir('d1-insn-');
  expect(gnuBuild(source, dir, 'gnu', [EXTERN]).error).toBeUndefined();
  return sh('riscv64-unknown-elf-objdump', ['-r', join(dir, 'gnu.o')]).stdout.split('\n').filter((l) => /^(RELOCATION|[0-9a-f]{16} )/.test(l));
}

describe.skipIf(skip !== '')(`.insn matches GNU as${skip}`, () => {
  const insn = corpus([...PAIRS.map(([i]) => i), ...ONLY_INSN]);
  const mnemonics = corpus([...PAIRS.map(([, m]) => m), ...ONLY_INSN]);

  it('on every form: symbolic opcodes, edge values, labels back and forward, other sections, undefined and weak symbols, absolute and far targets', () => {
    expect(compare(insn, [EXTERN])).toEqual([]);
    expect(compare(mnemonics, [EXTERN])).toEqual([]);
  });

  it('GNU relocates the .insn lines as their mnemonics (so linking them is linking the base instructions)', () => {
    const theirs = relocations(insn);
    expect(theirs.filter((l) => /R_RISCV_(BRANCH|JAL|HI20|LO12_I|LO12_S)\s/.test(l)).length).toBeGreaterThan(15);
    expect(theirs).toEqual(relocations(mnemonics));
  });

  it('on random field values of every form, one GNU run per batch', () => {
    const reg = fc.integer({ min: 0, max: 31 }).chain((n) => fc.constantFrom(`x${n}`, ABI_NAMES[n]!));
    const num = (min: number, max: number) => fc.integer({ min, max }).chain((v) => fc.constantFrom(String(v), v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`));
    const names = new Map<number, string>(Object.entries(OPCODES).map(([k, v]) => [v, k]));
    // every 32-bit opcode: low bits 11, bits 4..2 not 111; by name where GNU has one
    const opcode = fc.integer({ min: 0, max: 31 }).filter((k) => (k & 7) !== 7).map((k) => (k << 2) | 3)
      .chain((v) => fc.constantFrom(names.get(v) ?? String(v), `0x${v.toString(16)}`));
    const word = fc.integer({ min: 0, max: 2 ** 30 - 1 }).map((k) => (k * 4 + 3) >>> 0).filter((w) => (w & 0x1c) !== 0x1c);
    const target = (reach: number) => fc.integer({ min: -reach / 2, max: reach / 2 }).map((k) => (k < 0 ? `. - ${-2 * k}` : `. + ${2 * k}`));
    const line = fc.oneof(
      fc.tuple(opcode, num(0, 7), num(0, 127), reg, reg, reg).map((v) => `.insn r ${v.join(', ')}`),
      fc.tuple(fc.constantFrom('r', 'r4'), opcode, num(0, 7), num(0, 3), reg, reg, reg, reg).map(([k, ...v]) => `.insn ${k} ${v.join(', ')}`),
      fc.tuple(opcode, num(0, 7), reg, reg, num(-2048, 2047)).map((v) => `.insn i ${v.join(', ')}`),
      fc.tuple(opcode, num(0, 7), reg, num(-2048, 2047), reg).map(([o, f, rd, imm, rs1]) => `.insn i ${o}, ${f}, ${rd}, ${imm}(${rs1})`),
      fc.tuple(opcode, num(0, 7), reg, num(-2048, 2047), reg).map(([o, f, rs2, imm, rs1]) => `.insn s ${o}, ${f}, ${rs2}, ${imm}(${rs1})`),
      fc.tuple(fc.constantFrom('b', 'sb'), opcode, num(0, 7), reg, reg, target(12000)).map(([k, ...v]) => `.insn ${k} ${v.join(', ')}`),
      fc.tuple(opcode, reg, num(0, 0xfffff)).map((v) => `.insn u ${v.join(', ')}`),
      fc.tuple(fc.constantFrom('j', 'uj'), opcode, reg, target(16000)).map(([k, ...v]) => `.insn ${k} ${v.join(', ')}`),
      word.map((w) => `.insn ${w}`),
      word.map((w) => `.insn 4, 0x${w.toString(16)}`),
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 400, maxLength: 400 }), (lines) => {
        const source = ['        .text', '_start: .skip 8192', ...lines.map((l) => `        ${l}`), '        .skip 8192', ''].join('\n');
        expect(compare(source)).toEqual([]);
      }),
      { numRuns: 4, endOnFailure: true },
    );
  });
});

/** `line:col: message` of each error of one source. */
function errors(src: string): string[] {
  return assemble([{ path: 't.s', text: src }]).diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`);
}

describe('.insn errors', () => {
  const CASES: [src: string, error: string][] = [
    ['.insn r OP, 8, 0, a0, a1, a2', '1:13: .insn r: funct3: 8 is out of range 0..7'],
    ['.insn r OP, -1, 0, a0, a1, a2', '1:13: .insn r: funct3: -1 is out of range 0..7'],
    ['.insn r OP, 0, 128, a0, a1, a2', '1:16: .insn r: funct7: 128 is out of range 0..127'],
    ['.insn r OP, 0, 4, a0, a1, a2, a3', '1:16: .insn r: funct2: 4 is out of range 0..3'],
    ['.insn r4 OP, 0, 0, a0, a1, a2', "1:10: wrong number of operands for '.insn r4' (6); expected '.insn r4 opcode, funct3, funct2, rd, rs1, rs2, rs3'"],
    ['.insn r 200, 0, 0, a0, a1, a2', '1:9: .insn r: opcode: 200 is out of range 0..127'],
    ['.insn r 0x30, 0, 0, a0, a1, a2', '1:9: .insn r: opcode 0x30: low two bits 00 make a 16-bit compressed instruction (d1 has no C extension; a 32-bit instruction\'s are 11)'],
    ['.insn i 0x1f, 0, a0, a1, 0', '1:9: .insn i: opcode 0x1f: bits 4..2 of 111 make an instruction longer than 32 bits (d1 has none)'],
    ['.insn r op, 0, 0, a0, a1, a2', "1:9: .insn r: the opcode must be a constant defined before this line: undefined symbol 'op'"],
    ['.insn r OP, F, 0, a0, a1, a2\n.set F, 1', "1:13: .insn r: the funct3 must be a constant defined before this line: undefined symbol 'F'"],
    ['.insn r OP, 4(a0), 0, a0, a1, a2', '1:13: .insn r: the funct3 must be a constant expression'],
    ['.insn r OP, 0, 0, a0, a1', "1:9: wrong number of operands for '.insn r' (5); expected '.insn r opcode, funct3, funct7, rd, rs1, rs2' or '.insn r opcode, funct3, funct2, rd, rs1, rs2, rs3'"],
    ['.insn r OP, 0, 0, a0, x32, a2', "1:23: 'x32' is not a register (x0..x31)"],
    ['.insn r OP, 0, 0, a0, 5, a2', '1:23: expected a register, got an expression'],
    ['.insn r OP, 0, 0, v1, a1, a2', "1:19: expected a register, got vector register 'v1'"],
    ['.insn i OP_IMM, 0, a0, a1, 2048', '1:28: .insn i: 12-bit signed immediate: 2048 is out of range -2048..2047'],
    ['.insn i LOAD, 0, a0, -2049(a1)', '1:22: .insn i: 12-bit signed immediate: -2049 is out of range -2048..2047'],
    ['.insn i OP_IMM, 0, a0, a1', "1:24: expected a memory operand 'offset(register)', got register 'a1'"],
    ['.insn s STORE, 0, a0, 2048(a1)', '1:23: .insn s: 12-bit signed store offset: 2048 is out of range -2048..2047'],
    ['.insn u LUI, a0, 0x100000', '1:18: .insn u: upper 20 bits: 1048576 is out of range 0..1048575'],
    ['.insn b BRANCH, 0, a0, a1, 0x1003', '1:28: jal: jump offset, +-1 MiB: -1 is not a multiple of 2'],
    ['.insn j JAL, a0, nowhere', "1:18: undefined symbol 'nowhere'"],
    ['.insn j JAL, ra, far\n.zero 1048576\nfar: nop', '1:18: branch target 0x101004 is out of range: offset 1048580 is not in -1048576..1048574'],
    ['.insn q OP, 0', "1:1: .insn: unknown format 'q'; expected r, r4, i, s, b, sb, u, j, uj, or a value"],
    ['.insn R OP, 0, 0, a0, a1, a2', "1:1: .insn: unknown format 'R'; expected r, r4, i, s, b, sb, u, j, uj, or a value"],
    ['.insn cr 2, 0, a0, a1', "1:1: .insn: 'cr' is a compressed (16-bit) format and d1 has no C extension; expected r, r4, i, s, b, sb, u, j, uj, or a value"],
    ['.insn r, OP, 0, 0, a0, a1, a2', "1:7: .insn: a space, not a comma, follows the format: '.insn r opcode, ...'"],
    ['.insn 2, 0x0001', '1:7: .insn: length 2 is not supported: a compressed instruction, and d1 has no C extension'],
    ['.insn 8, 0x3f', '1:7: .insn: length 8 is not supported: d1 instructions are 4 bytes'],
    ['.insn 0x12345678', "1:7: .insn: value 0x12345678: low two bits 00 make a 16-bit compressed instruction (d1 has no C extension; a 32-bit instruction's are 11)"],
    ['.insn 4, 0xffffffff', '1:10: .insn: value 0xffffffff: bits 4..2 of 111 make an instruction longer than 32 bits (d1 has none)'],
    ['.insn 0x1ffffffff3', '1:7: .insn: value 0x1ffffffff3 does not fit a 32-bit instruction'],
    ['.insn -13', '1:7: .insn: value 0xfffffffffffffff3 does not fit a 32-bit instruction'],
    ['.insn later\n.set later, 0x13', "1:7: .insn: the value must be a constant defined before this line: undefined symbol 'later'"],
    ['.insn 1, 2, 3', '1:13: .insn expects a format and its fields (.insn r opcode, funct3, funct7, rd, rs1, rs2), a value (.insn value) or a length and a value (.insn 4, value)'],
    ['.insn', '1:1: .insn expects a format and its fields (.insn r opcode, funct3, funct7, rd, rs1, rs2), a value (.insn value) or a length and a value (.insn 4, value)'],
  ];
  for (const [src, error] of CASES) {
    it(src.split('\n')[0]!, () => expect(errors(src)).toEqual([error]));
  }

  it('are all reported, each with its line and a caret under the operand, and `d1 as` fails', () => {
    const src = 'ok: .insn r OP, 0, 0, a0, a1, a2\n    .insn r OP, 9, 0, a0, a1, a2\n    .insn i OP_IMM, 0, a0, a1, 5000\n';
    const { diagnostics } = assemble([{ path: 't.s', text: src }]);
    expect(diagnostics.map((d) => formatDiagnostic(d, () => src))).toEqual([
      `t.s:2:17: error: .insn r: funct3: 9 is out of range 0..7\n ${src.split('\n')[1]}\n ${' '.repeat(16)}^`,
      `t.s:3:32: error: .insn i: 12-bit signed immediate: 5000 is out of range -2048..2047\n ${src.split('\n')[2]}\n ${' '.repeat(31)}^~~~`,
    ]);
    const dir = tempDir('d1-insn-');
    const file = join(dir, 't.s');
    writeFileSync(file, src);
    const r = d1(['as', file, '-o', join(dir, 'a.out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('t.s:2:17: error: .insn r: funct3: 9 is out of range 0..7');
  });
});

describe('.insn in d1 objdump', () => {
  it('shows the instruction a word decodes to, else `.4byte 0x...`', () => {
    const { image } = assemble([{ path: 't.s', text: '.insn r OP, 0, 1, a0, a1, a2\n.insn i LOAD_FP, 2, a0, 4(sp)\n.insn 0x0000700b\n' }]);
    expect(disassembly(image!, true)[0]!.instructions.map((i) => `${i.mnemonic} ${i.operands}`)).toEqual(['mul a0,a1,a2', '.4byte 0x412507', '.4byte 0x700b']);
  });
});

