// d1 as against GNU as (binutils-riscv64-unknown-elf), byte for byte: every instruction of the table
// with boundary and random operands, every pseudo-instruction, extreme branch distances, and `li` of
// many 64-bit values (byte-exact, which implies the same value and the same instruction count; the
// values are also checked by running them on the emulator).
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import type { Image } from '../../assembler/image.js';
import { Core } from '../../emulator/host/core.js';
import { runLoaded } from '../../emulator/host/run.js';
import { extremesCorpora, GNU_EXPRESSIONS, instructionCorpus, liCorpus, liValues } from '../gen/corpus.js';
import { gnuBuild, gnuSection, missing, tempDir } from '../helpers/tools.js';

const skip = missing('gnuAs');

function ours(source: string): Image {
  const { image, diagnostics } = assemble([{ path: 'corpus.s', text: source }]);
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column}: ${d.message}`)).toEqual([]);
  return image!;
}

/** Compare .text with GNU's and describe the first differing words with their source lines. */
function compare(source: string): string[] {
  const dir = tempDir('d1-gnu-as-');
  const gnu = gnuBuild(source, dir);
  if (gnu.error) throw new Error(`GNU as rejected the corpus:\n${gnu.error.slice(0, 2000)}`);
  const theirs = gnuSection(gnu.elf!, '.text', dir);
  const image = ours(source);
  const text = image.sections.find((s) => s.name === '.text')!.bytes;
  const lines = source.split('\n');
  const mismatches: string[] = [];
  if (text.length !== theirs.length) mismatches.push(`.text is ${text.length} bytes, GNU's is ${theirs.length}`);
  const a = new DataView(text.buffer, text.byteOffset);
  const b = new DataView(theirs.buffer, theirs.byteOffset);
  for (let off = 0; off + 4 <= Math.min(text.length, theirs.length) && mismatches.length < 20; off += 4) {
    const x = a.getUint32(off, true);
    const y = b.getUint32(off, true);
    if (x === y) continue;
    const row = image.lines.filter((l) => l.addr <= 0x1000n + BigInt(off)).pop();
    mismatches.push(`0x${(0x1000 + off).toString(16)}: ${row ? lines[row.line - 1]!.trim() : '?'}: d1 ${x.toString(16).padStart(8, '0')}, GNU ${y.toString(16).padStart(8, '0')}`);
  }
  return mismatches;
}

describe.skipIf(skip !== '')(`d1 as matches GNU as byte for byte${skip}`, () => {
  it('on every instruction and pseudo-instruction with boundary and random operands', () => {
    for (const seed of [1, 2, 3]) expect(compare(instructionCorpus(seed))).toEqual([]);
  });

  it('on the GNU forms of real-world assembly: expressions, .set, @plt, .weak, section directives, LEB128', () => {
    const lines = [
      '        .text',
      '        .globl _start',
      '_start:',
      ...GNU_EXPRESSIONS.map(([e]) => `        .dword ${e}`),
      '        li a0, (0xffffffff80000000 >> 1)',
      '        .set OFF, 8',
      '        ld a0, OFF(sp)',
      '        .set OFF, 16',
      '        ld a0, OFF(sp)',
      '        .set i, 0',
      '        .rept 4',
      '        .set i, i + 1',
      '        addi a0, a0, i',
      '        .endr',
      '        call f@plt',
      '        tail f@plt',
      '        call a0, f@plt',
      '        .weak w', // GNU ld turns a call of an undefined weak symbol into `jalr 0(zero)`; la and data agree
      '        la a0, w',
      '        .dword w',
      '        .section .note.GNU-stack,"",@progbits',
      '        .section .comment,"MS",@progbits,1',
      '        .string "not loaded"',
      '        .text',
      '        .uleb128 624485',
      '        .sleb128 -123456',
      '        .uleb128 127',
      '        .sleb128 -1',
      'f:      ret',
      '        .section .text.x,"ax",%progbits',
      '        .type x, %function',
      'x:      sgt a0, a1, a2',
    ];
    expect(compare(`${lines.join('\n')}\n`)).toEqual([]);
  });

  it('on branches and jumps at their extreme distances', () => {
    for (const c of extremesCorpora()) expect(compare(c)).toEqual([]);
  });

  it('on li of boundary and random 64-bit values', async () => {
    const values = liValues(7);
    expect(compare(liCorpus(values))).toEqual([]);
    // And the registers really get the values: run each li on the emulator.
    const body = values.map((v) => `        li a0, ${v}\n        sd a0, 0(s0)\n        addi s0, s0, 8`).join('\n');
    const image = ours(`        .text\n_start:\n        la s0, out\n${body}\n        li a7, 93\n        li a0, 0\n        ecall\n        .bss\nout:    .zero ${8 * values.length}\n`);
    const core = new Core();
    expect(core.load(image)).toEqual([]);
    const r = await runLoaded(core, { stdout: process.stdout, stderr: process.stderr });
    expect(r.outcome).toEqual({ kind: 'exit', code: 0 });
    const out = image.symbols.find((s) => s.name === 'out')!.value;
    const mem = new DataView(core.readMem(out, 8 * values.length).buffer);
    values.forEach((v, k) => expect(mem.getBigInt64(8 * k, true), `li ${v}`).toBe(v));
  });
});
