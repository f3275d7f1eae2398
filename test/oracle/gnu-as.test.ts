// d1 as against GNU as (binutils-riscv64-unknown-elf), byte for byte: every instruction of the table
// with boundary and random operands, every pseudo-instruction, extreme branch distances, and `li` of
// many 64-bit values (byte-exact, which implies the same value and the same instruction count; the
// values are also checked by running them on the emulator).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readElf } from '../../assembler/elf/read.js';
import { assemble } from '../../assembler/index.js';
import type { Image } from '../../assembler/image.js';
import { oneCore } from '../../emulator/host/mesh.js';
import { runLoaded } from '../../emulator/host/run.js';
import { extremesCorpora, GNU_EXPRESSIONS, instructionCorpus, liCorpus, liValues, relaxationCorpus } from '../gen/corpus.js';
import { d1, gnuBuild, gnuSection, missing, sh, tempDir } from '../helpers/tools.js';

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

  it('on conditional branches out of range: the inverse branch over a jal, sizes settled as GNU settles them', () => {
    const seeds = Number(process.env.D1_RELAX_SEEDS ?? 12);
    let relaxed = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      for (const edges of [false, true]) {
        const source = relaxationCorpus(seed, edges);
        expect(compare(source), `seed ${seed}${edges ? ', distances at the edge' : ''}`).toEqual([]);
        // (the corpora do relax: count branches over the next instruction followed by a jal)
        const text = ours(source).sections.find((s) => s.name === '.text')!.bytes;
        const w = (k: number) => new DataView(text.buffer, text.byteOffset).getUint32(k, true);
        for (let k = 0; k + 8 <= text.length; k += 4) if ((w(k) & 0xfe000f7f) === 0x463 && (w(k + 4) & 0xfff) === 0x6f) relaxed++;
      }
    }
    expect(relaxed).toBeGreaterThan(4 * seeds);
  }, 600_000);

  it('on branches GNU always relaxes: to another section, an undefined weak symbol, an absolute address', () => {
    const lines = [
      '        .text',
      '        .globl _start',
      '_start: beq a0, a1, other',
      '        bne a0, a1, 0x1010',
      '        .weak w',
      '        blt a0, a1, w',
      '        beq a0, a1, .+8',
      '        bgeu a0, a1, .-4',
      '        j other',
      '        ret',
      '        .section .text.other,"ax",@progbits',
      'other:  ret',
    ];
    expect(compare(`${lines.join('\n')}\n`)).toEqual([]);
  });

  it('on register names used as symbols (C globals named t0, s1, fp), registers staying registers', () => {
    const lines = [
      '        .text',
      '        .globl _start',
      '_start: la a0, t0',
      '        lla a1, s1',
      '        lui a5, %hi(fp)',
      '        sd a0, %lo(fp)(a5)',
      '        ld a0, %lo(ra)(a5)',
      '        ld a0, t0',
      '        lw a1, s1+4',
      '        sd a0, fp, t1',
      '        beq a0, a1, t0',
      '        bnez a0, s1',
      '        j fp',
      '        jal t0',
      '        jal ra, s1',
      '        call a0',
      '        tail fp',
      '        jalr t0',
      '        add a0, a1, t0',
      '        ld a0, 0(t0)',
      '        ret',
      '        .section .text.other,"ax",@progbits',
      't0:     ret',
      's1:     ret',
      'fp:     ret',
      'ra:     ret',
      'a0:     .dword t0, s1 + 8',
    ];
    expect(compare(`${lines.join('\n')}\n`)).toEqual([]);
  });

  it('on li of boundary and random 64-bit values', async () => {
    const values = liValues(7);
    expect(compare(liCorpus(values))).toEqual([]);
    // And the registers really get the values: run each li on the emulator.
    const body = values.map((v) => `        li a0, ${v}\n        sd a0, 0(s0)\n        addi s0, s0, 8`).join('\n');
    const image = ours(`        .text\n_start:\n        la s0, out\n${body}\n        li a7, 93\n        li a0, 0\n        ecall\n        .bss\nout:    .zero ${8 * values.length}\n`);
    const machine = oneCore();
    const core = machine.core();
    expect(machine.load(image)).toEqual([]);
    const r = await runLoaded(machine, { stdout: process.stdout, stderr: process.stderr });
    expect(r.outcome).toEqual({ kind: 'exit', code: 0 });
    const out = image.symbols.find((s) => s.name === 'out')!.value;
    const mem = new DataView(core.readMem(out, 8 * values.length).buffer);
    values.forEach((v, k) => expect(mem.getBigInt64(8 * k, true), `li ${v}`).toBe(v));
  });
});

/** Two files sharing a common `buf` (8 and 16 bytes: one 16-byte object), each with its own `.lcomm tmp`
 * and `.local` common `count`, and functions whose `.size .-f` comes after other sections were used. */
const SEVERAL_FILES = {
  'a.s': `        .text
        .globl _start
        .type _start, @function
_start: call fill
        la a1, buf
        li a0, 1
        li a2, 16
        li a7, 64
        ecall
        la t0, tmp
        li t1, 5
        sd t1, 0(t0)
        call other
        la t0, tmp
        ld t1, 0(t0)
        add a0, a0, t1
        la t0, count
        ld t1, 0(t0)
        add a0, a0, t1
        .section .rodata
        .string "interleaved"
        .text
        li a7, 93
        ecall
        .size _start, .-_start
        .comm buf, 8, 8
        .lcomm tmp, 8
        .local count
        .comm count, 8, 8
`,
  'b.s': `        .text
        .globl fill, other
        .type fill, @function
fill:   la t0, buf
        li t1, 0
1:      addi t2, t1, 65
        add t3, t0, t1
        sb t2, 0(t3)
        addi t1, t1, 1
        li t4, 16
        blt t1, t4, 1b
        la t0, count
        li t1, 3
        sd t1, 0(t0)
        .section .text.cold,"ax",@progbits
cold:   nop
        nop
        .text
        ret
        .size fill, .-fill
        .type other, @function
other:  la t0, tmp
        li t1, 7
        sd t1, 0(t0)
        mv a0, t1
        ret
        .size other, .-other
        .comm buf, 16, 16
        .lcomm tmp, 8
        .local count
        .comm count, 8, 8
`,
};

describe.skipIf(skip !== '')(`d1 as links several files as GNU as and ld do${skip}`, () => {
  it('.comm is one object across files (the largest), .lcomm and .local commons one per file, .size after other sections', () => {
    const dir = tempDir('d1-gnu-files-');
    const paths = Object.entries(SEVERAL_FILES).map(([name, text]) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    });
    for (const p of paths) expect(sh('riscv64-unknown-elf-as', ['-march=rv64im', '-mno-relax', p, '-o', `${p}.o`]).status).toBe(0);
    const gnuElf = join(dir, 'gnu.elf');
    expect(sh('riscv64-unknown-elf-ld', ['-Ttext=0x1000', '--no-relax', ...paths.map((p) => `${p}.o`), '-o', gnuElf]).stderr).toBe('');
    const ourElf = join(dir, 'd1.elf');
    expect(d1(['as', ...paths, '-o', ourElf]).stderr).toBe('');
    const [gnu, ours] = [gnuElf, ourElf].map((elf) => d1(['run', elf]));
    expect(gnu).toEqual({ code: 12, stdout: 'ABCDEFGHIJKLMNOP', stderr: '' });
    expect(ours).toEqual(gnu);
    const sizes = (elf: string) => {
      const r = readElf(new Uint8Array(readFileSync(elf)), elf);
      if (!('image' in r)) throw new Error(r.diagnostics[0]!.message);
      return r.image.symbols.filter((x) => x.size > 0).map((x) => `${x.name} ${x.size} ${x.global ? 'global' : 'local'}`).sort();
    };
    expect(sizes(ourElf)).toEqual(sizes(gnuElf));
    expect(sizes(ourElf)).toContain('buf 16 global');
  });
});
