// GNU as forms that real-world assembly (gcc -S and -g output, hand-written code) uses: register
// instructions given an immediate, sgt/sgtu, jr/jalr with an offset, `sym@plt`, GNU as's expression
// rules, `.set` redefinition, `.weak`, the section forms gcc emits, `.uleb128`/`.sleb128`, and `.file`/
// `.loc` line tables. The same forms are checked against GNU as itself in test/oracle/gnu-as.test.ts,
// the line tables in test/assembler/elf/dwarf.test.ts and test/oracle/gcc-compat.test.ts.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import type { Image } from '../../assembler/image.js';
import { GNU_EXPRESSIONS } from '../gen/corpus.js';

function build(src: string): Image {
  const { image, diagnostics } = assemble([{ path: 't.s', text: src }]);
  expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([]);
  return image!;
}

const section = (img: Image, name: string) => img.sections.find((s) => s.name === name);
const text = (src: string) => section(build(src), '.text')?.bytes;
const same = (a: string, b: string) => expect(text(a)).toEqual(text(b));
const dwords = (src: string): bigint[] => {
  const b = text(src)!;
  return Array.from({ length: b.length / 8 }, (_, k) => new DataView(b.buffer, b.byteOffset).getBigInt64(8 * k, true));
};

describe('GNU as forms', () => {
  it('register instructions given a constant immediate are the immediate instructions', () => {
    same(
      'add a0, a1, -2048\nand a0, a1, 7\nor a0, a1, -1\nxor a0, a1, 2047\nslt a0, a1, 5\nsltu a0, a1, -1\nsll a0, a1, 63\nsrl a0, a1, 1\nsra a0, a1, 5\naddw a0, a1, 1\nsllw a0, a1, 31\nsrlw a0, a1, 1\nsraw a0, a1, 2\n',
      'addi a0, a1, -2048\nandi a0, a1, 7\nori a0, a1, -1\nxori a0, a1, 2047\nslti a0, a1, 5\nsltiu a0, a1, -1\nslli a0, a1, 63\nsrli a0, a1, 1\nsrai a0, a1, 5\naddiw a0, a1, 1\nslliw a0, a1, 31\nsrliw a0, a1, 1\nsraiw a0, a1, 2\n',
    );
    same('.equ N, 5\nadd a0, a0, N + 1\nsll a0, a0, %lo(N)\n', 'addi a0, a0, 6\nslli a0, a0, 5\n');
  });

  it('sgt and sgtu swap their sources; jr and jalr take an offset; call and tail take sym@plt', () => {
    same('sgt a0, a1, a2\nsgtu a0, a1, a2\n', 'slt a0, a2, a1\nsltu a0, a2, a1\n');
    same('jr t1, -4\njalr t1, 8\njalr a0, t1, 12\n', 'jalr zero, -4(t1)\njalr ra, 8(t1)\njalr a0, 12(t1)\n');
    same('call f@plt\ntail f@plt\ncall a0, f@plt\nf: ret\n', 'call f\ntail f\ncall a0, f\nf: ret\n');
  });

  it('expressions follow GNU as: its precedence, a logical >>, -1 for a true comparison', () => {
    expect(dwords(GNU_EXPRESSIONS.map(([e]) => `.dword ${e}\n`).join(''))).toEqual(GNU_EXPRESSIONS.map(([, v]) => v));
    same('li a0, (0xffffffff80000000 >> 1)\n', 'li a0, 0x7fffffffc0000000\n');
  });

  it('.set: each use sees the value in force, and .set i, i + 1 counts', () => {
    same('.set OFF, 8\nld a0, OFF(sp)\n.set OFF, 16\nld a0, OFF(sp)\nOFF = OFF + 8\n.dword OFF\n', 'ld a0, 8(sp)\nld a0, 16(sp)\n.dword 24\n');
    same('.set i, 0\n.rept 3\n.set i, i + 1\naddi a0, a0, i\n.endr\n.if i == 3\nnop\n.endif\n', 'addi a0, a0, 1\naddi a0, a0, 2\naddi a0, a0, 3\nnop\n');
    // A symbol set to an address is not folded: `.` is where the .set is.
    same('nop\n.set here, .\nnop\nla a0, here\n', 'nop\nhere: nop\nla a0, here\n');
    expect(build('.set S, 1\n.set S, 2\n').symbols.find((s) => s.name === 'S')!.value).toBe(2n);
  });

  it('an undefined .weak symbol is 0; a global definition overrides a weak one', () => {
    expect(dwords('.weak w\n.dword w\n')).toEqual([0n]);
    const { image, diagnostics } = assemble([
      { path: 'a.s', text: '.weak f\nf: ret\n.weak g\ng: ret\n.dword f, g\n' },
      { path: 'b.s', text: '.globl f\nf: nop\n' },
    ]);
    expect(diagnostics).toEqual([]);
    expect(image!.symbols.filter((s) => s.name === 'f').map((s) => s.value)).toEqual([0x1018n]);
    const t = section(image!, '.text')!;
    const v = new DataView(t.bytes.buffer, t.bytes.byteOffset);
    expect([v.getBigUint64(8, true), v.getBigUint64(16, true)]).toEqual([0x1018n, 0x1004n]);
  });

  it('takes the section forms gcc emits', () => {
    const img = build(
      [
        '.section .note.GNU-stack,"",@progbits',
        '.section .text.startup,"ax",%progbits',
        'nop',
        '.section .rodata.str1.8,"aMS",@progbits,1',
        '.string "hi"',
        '.section .mybss,"aw",@nobits',
        'buf: .zero 16',
        '.section "quoted","aw"',
        '.dword 1',
        '.section .comment,"MS",@progbits,1',
        '.string "dropped"',
        '.text',
        '.type f, %function',
        'f: ret',
      ].join('\n'),
    );
    expect(img.sections.map((s) => `${s.name} ${s.size}`)).toEqual(['.text 8', '.rodata 3', '.data 8', '.bss 16']);
    expect(img.symbols.find((s) => s.name === 'f')!.type).toBe('func');
  });

  it('labels and data in sections that are not loaded are dropped, .uleb128 and .sleb128 encode', () => {
    const img = build('.section .debug_info,"",@progbits\n.Ldebug_info0:\n.4byte .Ldebug_abbrev0 - .Ldebug_info0\n.uleb128 .Lx - .Ly\n.text\n.uleb128 624485\n.sleb128 -123456\n.balign 4\n');
    expect([...section(img, '.text')!.bytes]).toEqual([0xe5, 0x8e, 0x26, 0xc0, 0xbb, 0x78, 0, 0]);
  });

  it('.file and .loc give the line table the C source positions', () => {
    const src = [
      '.file "x.c"',
      '.file 0 "/src" "x.c"',
      '.file 1 "x.c" md5 0x00112233445566778899aabbccddeeff',
      '.file 2 "inc" "y.h"',
      '.file 3 "/usr/include" "z.h"',
      'nop', // before any .loc: the assembly line
      '.loc 1 10 3',
      'nop',
      'nop', // still line 10
      '.loc 2 7 1 is_stmt 0 discriminator 2',
      'nop',
      '.loc 3 4 0 view .LVU3',
      'nop',
    ].join('\n');
    expect(build(src).lines.map((l) => `${l.addr.toString(16)} ${l.file}:${l.line}`)).toEqual(['1000 t.s:6', '1004 /src/x.c:10', '1008 /src/x.c:10', '100c /src/inc/y.h:7', '1010 /usr/include/z.h:4']);
  });
});

describe('GNU as forms of compiled C', () => {
  it('a conditional branch out of range is the inverse branch over a jal, and labels after it move', () => {
    same('beq a0, a1, far\n.zero 4096\nfar: ret\n', 'bne a0, a1, .+8\nj far\n.zero 4096\nfar: ret\n');
    same('back: .zero 4100\nbgeu a0, a1, back\nret\n', 'back: .zero 4100\nbltu a0, a1, .+8\nj back\nret\n');
    // `.` in the target is still the branch's own address
    same('bnez a0, .+5000\n.zero 5000\n', 'beqz a0, .+8\nj .+4996\n.zero 5000\n');
    // in range: the short branch
    expect(text('beq a0, a1, near\n.zero 4088\nnear: ret\n')!.length).toBe(4 + 4088 + 4);
  });

  it('register names are symbols where an address is expected (C globals t0, s1, fp), registers elsewhere', () => {
    same('la a0, t0\nld a1, s1\nsd a0, fp, t1\nlui a5, %hi(fp)\nsd a0, %lo(fp)(a5)\njal t0\nbeqz a0, s1\nadd a0, a1, t0\n.data\nt0: .dword 1\ns1: .dword 2\nfp: .dword 3\n',
      'la a0, x0_\nld a1, x1_\nsd a0, x2_, t1\nlui a5, %hi(x2_)\nsd a0, %lo(x2_)(a5)\njal x0_\nbeqz a0, x1_\nadd a0, a1, x5\n.data\nx0_: .dword 1\nx1_: .dword 2\nx2_: .dword 3\n');
    const { diagnostics } = assemble([{ path: 't.s', text: 'la a0, t0\n' }]);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual(["1:8 undefined symbol 't0' ('t0' is a register name, but where an address is expected it names a symbol, as in GNU as)"]);
  });

  it('.comm is one object across files unless a file defines it; .lcomm and .local commons stay in their file', () => {
    const link = (files: Record<string, string>) => {
      const { image, diagnostics } = assemble(Object.entries(files).map(([path, text]) => ({ path, text })));
      expect(diagnostics).toEqual([]);
      return image!.symbols.filter((s) => ['buf', 'tmp'].includes(s.name)).map((s) => `${s.name} ${s.size} ${s.global ? 'g' : 'l'} ${s.value.toString(16)}`);
    };
    expect(link({ 'a.s': '.comm buf, 8, 8\n.lcomm tmp, 4\n.bss\n.zero 4\n', 'b.s': '.comm buf, 24\n.local tmp\n.comm tmp, 4, 4\n' })).toEqual(['tmp 4 l 1000', 'tmp 4 l 1008', 'buf 24 g 1010']);
    expect(link({ 'a.s': '.comm buf, 8, 8\n', 'b.s': '.globl buf\n.data\nbuf: .dword 7\n.size buf, 8\n' })).toEqual(['buf 8 g 1000']);
  });

  it('.size f, .-f counts only f\'s own section when other sections were used in between', () => {
    const img = build('.text\nf: nop\n.section .text.startup,"ax",@progbits\nmain: nop\nnop\n.text\nnop\n.size f, .-f\n.section .text.startup\n.size main, .-main\n');
    expect(img.symbols.filter((s) => s.name === 'f' || s.name === 'main').map((s) => `${s.name} ${s.size} ${s.value.toString(16)}`)).toEqual(['f 8 1000', 'main 8 1008']);
  });
});
