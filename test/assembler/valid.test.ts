// What the assembler accepts beyond single instructions: each construct assembles to the same bytes as
// the plain code written out by hand, and linking several files resolves globals across them.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import type { Image } from '../../assembler/image.js';

function text(src: string, files: Record<string, string> = {}): Uint8Array {
  const all: Record<string, string> = { 'main.dasm': src, ...files };
  const { image, diagnostics } = assemble([{ path: 'main.dasm', text: src }], { readFile: (p) => all[p.split('/').pop()!] });
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([]);
  return image!.sections.find((s) => s.name === '.text')?.bytes ?? new Uint8Array();
}

const same = (a: string, b: string, files?: Record<string, string>) => expect(text(a, files)).toEqual(text(b));

describe('assembler constructs', () => {
  it('encodes instructions as the spec says', () => {
    const words = new DataView(text('addi a0, a0, 1\nsd ra, 8(sp)\necall\nfence\n').buffer);
    expect([0, 4, 8, 12].map((o) => words.getUint32(o, true))).toEqual([0x00150513, 0x00113423, 0x00000073, 0x0ff0000f]);
  });
  it('macros with named, default and \\@ arguments', () => {
    same('.macro inc r, n=1\n addi \\r, \\r, \\n\n.endm\ninc a0\ninc a1, 5\n', 'addi a0, a0, 1\naddi a1, a1, 5\n');
    same('.macro twice x\n\\x\n\\x\n.endm\ntwice nop\n', 'nop\nnop\n');
  });
  it('.rept, .irp and .irpc', () => {
    same('.rept 3\nnop\n.endr\n', 'nop\nnop\nnop\n');
    same('.irp r, a0, a1\nmv \\r, zero\n.endr\n', 'mv a0, zero\nmv a1, zero\n');
    same('.irpc n, 123\naddi a0, a0, \\n\n.endr\n', 'addi a0, a0, 1\naddi a0, a0, 2\naddi a0, a0, 3\n');
  });
  it('conditionals see .equ symbols defined so far', () => {
    same('.equ W, 8\n.if W == 8\nld a0, 0(a1)\n.elseif W == 4\nlw a0, 0(a1)\n.else\nlb a0, 0(a1)\n.endif\n', 'ld a0, 0(a1)\n');
    same('.ifdef NOPE\nnop\n.else\nret\n.endif\n.ifndef NOPE\nret\n.endif\n', 'ret\nret\n');
  });
  it('includes, relative to the including file', () => {
    same('.include "inc.dasm"\nnop\n', 'ret\nnop\n', { 'inc.dasm': 'ret\n' });
  });
  it('numeric local labels and GNU-precedence expressions', () => {
    same('1: j 1f\n1: j 1b\n1:\n', 'j .+4\nj .\n'); // 1b on a labelled line is that label
    same('li a0, 1 + 2 * 3 << 1\nli a1, (1 | 2) ^ 4 & 6\nli a2, -8 / 3\nli a3, 7 % -3\nli a4, 010 + 0b11 + 0x10 + \'A\'\n', 'li a0, 13\nli a1, 6\nli a2, -2\nli a3, 1\nli a4, 92\n');
  });
  it('%hi/%lo and %pcrel_hi/%pcrel_lo reach the same address as la', () => {
    same('.Lx: auipc a0, %pcrel_hi(t)\naddi a0, a0, %pcrel_lo(.Lx)\nt: nop\n', 'la a0, t\nt: nop\n');
    same('lui a0, %hi(0x12345fff)\naddi a0, a0, %lo(0x12345fff)\n', 'lui a0, 0x12346\naddi a0, a0, -1\n');
  });
  it('alignment pads .text with nops, and so does the end of a code section (to its alignment, as GNU as)', () => {
    same('nop\n.p2align 3\nret\n', 'nop\nnop\nret\nnop\n');
    same('nop\n.balign 16\nret\n', 'nop\nnop\nnop\nnop\nret\nnop\nnop\nnop\n');
  });

  it('links several files: globals across files, locals stay local, _start is the entry', () => {
    const { image, diagnostics } = assemble([
      { path: 'a.dasm', text: '.globl _start\n_start: call f\nhelper: ret\n' },
      { path: 'b.dasm', text: '.globl f\nf: j helper\nhelper: ret\n.data\nv: .dword f\n' },
    ]);
    expect(diagnostics).toEqual([]);
    const img = image as Image;
    const sym = (n: string) => img.symbols.filter((s) => s.name === n);
    expect(img.entry).toBe(0x1000n);
    expect(sym('f')[0]!.value).toBe(0x100cn);
    expect(sym('helper').map((s) => s.value)).toEqual([0x1008n, 0x1010n]);
    const data = img.sections.find((s) => s.name === '.data')!;
    expect(data.addr).toBe(0x2000n);
    expect(new DataView(data.bytes.buffer).getBigUint64(0, true)).toBe(0x100cn);
    expect(img.lines.find((l) => l.addr === 0x100cn)).toMatchObject({ file: 'b.dasm', line: 2 });
  });

  it('reports a duplicate global and an undefined global across files', () => {
    const r = assemble([
      { path: 'a.dasm', text: '.globl g\ng: nop\n' },
      { path: 'b.dasm', text: '.globl g\ng: nop\n.globl h\n' },
    ]);
    expect(r.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`)).toEqual([
      "b.dasm:2 duplicate global symbol 'g' (first defined at a.dasm:2)",
      "b.dasm:3 global symbol 'h' is never defined",
    ]);
  });
});
