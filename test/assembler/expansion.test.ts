// Lines that macros and repetitions make are the lines of their bodies (issues 12 and 13): a diagnostic
// names the body line, its text and a caret, then the chain of expansions it came from (which macro call,
// which iteration with which value, bounded for deep nesting); the line table maps each instruction an
// expansion made to its body line, in the file the body is in.
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, type Diagnostic } from '../../assembler/diagnostics.js';
import { readElf } from '../../assembler/elf/read.js';
import { writeElf } from '../../assembler/elf/write.js';
import { assemble } from '../../assembler/index.js';
import { listing } from '../../objdump/objdump.js';

/** Assemble t.dasm (and files it includes, from `extra`) in memory. */
function asm(src: string, extra: Record<string, string> = {}) {
  const files: Record<string, string> = { 't.dasm': src, ...extra };
  return assemble([{ path: 't.dasm', text: src }], { readFile: (p) => files[p] });
}

const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === 'error');
const show = (d: Diagnostic, files: Record<string, string>) => formatDiagnostic(d, (f) => files[f]);

describe('diagnostics in macro and repetition bodies', () => {
  it('name the body line, show it with a caret, and say which macro call made it', () => {
    const src = ['.macro pair r', '        addi \\r, \\r, 1', '        frob \\r', '.endm', '_start:', '        pair a0', '        pair a1', ''].join('\n');
    const ds = errors(asm(src).diagnostics);
    expect(ds.map((d) => [d.file, d.line, d.column])).toEqual([['t.dasm', 3, 9], ['t.dasm', 3, 9]]);
    expect(ds.map((d) => d.notes)).toEqual([["in macro 'pair' invoked at t.dasm:6"], ["in macro 'pair' invoked at t.dasm:7"]]);
    expect(show(ds[1]!, { 't.dasm': src })).toBe(
      "t.dasm:3:9: error: unknown instruction 'frob'\n         frob \\r\n         ^~~~\nt.dasm:3:9: note: in macro 'pair' invoked at t.dasm:7",
    );
  });

  it('name the iteration of .irp, .irpc and .rept, with the value of the symbol', () => {
    const src = ['.irp reg, a0, a1, a2', '        addi \\reg, \\reg, 4096', '.endr', '.irpc c, 89', '        addi a\\c, a0, 1', '.endr', '.rept 2', '        frob', '.endr', ''].join('\n');
    const ds = errors(asm(src).diagnostics);
    const at = (line: number) => ds.filter((d) => d.line === line).map((d) => d.notes);
    expect(at(2)).toEqual([['in .irp at t.dasm:1, iteration 1 (reg = a0)'], ['in .irp at t.dasm:1, iteration 2 (reg = a1)'], ['in .irp at t.dasm:1, iteration 3 (reg = a2)']]);
    // found when encoding, after the expansion; the column is the body's (the values are shorter than \reg)
    expect(ds.find((d) => d.line === 2)).toMatchObject({ column: 26, span: 4, code: 'imm-range' });
    expect(at(5)).toEqual([['in .irpc at t.dasm:4, iteration 1 (c = 8)'], ['in .irpc at t.dasm:4, iteration 2 (c = 9)']]);
    expect(at(8)).toEqual([['in .rept at t.dasm:7, iteration 1'], ['in .rept at t.dasm:7, iteration 2']]);
  });

  it('put the caret under the body text: after a substituted argument, and on a bad argument itself', () => {
    const src = ['.macro put dst, v', '        addi \\dst, \\dst, \\v+4096', '.endm', '        put a0, 1', '        put x99, 1', ''].join('\n');
    const ds = errors(asm(src).diagnostics);
    expect(ds.map((d) => show(d, { 't.dasm': src }).split('\n').slice(0, 3))).toEqual([
      ["t.dasm:2:14: error: 'x99' is not a register (x0..x31)", '         addi \\dst, \\dst, \\v+4096', '              ^~~~'],
      ['t.dasm:2:26: error: addi: 12-bit signed immediate: 4097 is out of range -2048..2047', '         addi \\dst, \\dst, \\v+4096', '                          ^~~~~~~'],
    ]);
    // an .irp in a macro: both substitutions undone
    const nested = ['.macro m val', '.irp reg, a0', '  addi \\reg, \\val, \\val+4096', '.endr', '.endm', ' m a1', ''].join('\n');
    const [d] = errors(asm(nested).diagnostics);
    expect(d).toMatchObject({ line: 3, column: 20, span: 4, code: 'undefined-symbol' });
  });

  it('give the whole chain of nested expansions, innermost first', () => {
    const src = ['.macro inner v', '    .irp r, a0, a1', '        li \\r, \\v', '    .endr', '.endm', '.macro outer', '        inner nope+', '.endm', '_start:', '        outer', ''].join('\n');
    const ds = errors(asm(src).diagnostics);
    expect(ds.length).toBeGreaterThan(0);
    expect(ds[0]).toMatchObject({ file: 't.dasm', line: 3 });
    expect(ds[0]!.notes).toEqual(["in .irp at t.dasm:2, iteration 1 (r = a0)", "in macro 'inner' invoked at t.dasm:7", "in macro 'outer' invoked at t.dasm:10"]);
  });

  it('bound a deep chain: the innermost three, how many more, the outermost', () => {
    const src = ['.macro down n', '.if \\n', '        down \\n-1', '.else', '        frob', '.endif', '.endm', '        down 9', ''].join('\n');
    const [d] = errors(asm(src).diagnostics);
    expect(d).toMatchObject({ line: 5, column: 9 });
    expect(d!.notes).toEqual(["in macro 'down' invoked at t.dasm:3", "in macro 'down' invoked at t.dasm:3", "in macro 'down' invoked at t.dasm:3", '... 6 more ...', "in macro 'down' invoked at t.dasm:8"]);
  });

  it('a macro defined in an included file: its body lines are lines of that file, the include is in the chain', () => {
    const inc = ['# helpers', '.macro twice r', '        addi \\r, \\r, 1', '        frob \\r', '.endm', ''].join('\n');
    const src = ['        .include "inc.dasm"', '_start:', '        twice a0', ''].join('\n');
    const [d] = errors(asm(src, { 'inc.dasm': inc }).diagnostics);
    expect(d).toMatchObject({ file: 'inc.dasm', line: 4, column: 9 });
    expect(d!.notes).toEqual(["in macro 'twice' invoked at t.dasm:3"]);
    // an error in the included file itself names the include
    const [e] = errors(asm(src, { 'inc.dasm': `${inc}        frob\n` }).diagnostics);
    expect(e).toMatchObject({ file: 'inc.dasm', line: 6 });
    expect(e!.notes).toEqual(['in .include "inc.dasm" at t.dasm:1']);
  });

  it('the same body text in two places keeps each its own line; block comments keep the numbering', () => {
    const src = ['.macro a', '        frob', '.endm', '.macro b', '', '        frob', '.endm', '        a', '        b', '.rept 1 /* one', '   two */', '        frob', '.endr', ''].join('\n');
    expect(errors(asm(src).diagnostics).map((d) => d.line)).toEqual([2, 6, 12]);
  });
});

describe('the line table of expanded code', () => {
  const src = ['.macro pair r', '        addi \\r, \\r, 1', '        addi \\r, \\r, 2', '.endm', '_start:', '        pair a0', '.irp r, a1, a2', '        li \\r, 7', '.endr', '        pair a3', '        li a7, 93', '        ecall', ''].join('\n');

  it('maps each instruction to its body line, and survives the ELF DWARF round trip', () => {
    const { image, diagnostics } = asm(src);
    expect(diagnostics).toEqual([]);
    const rows = image!.lines.map((l) => `0x${l.addr.toString(16)} ${l.file}:${l.line}`);
    expect(rows).toEqual(['0x1000 t.dasm:2', '0x1004 t.dasm:3', '0x1008 t.dasm:8', '0x100c t.dasm:8', '0x1010 t.dasm:2', '0x1014 t.dasm:3', '0x1018 t.dasm:11', '0x101c t.dasm:12']);
    const back = readElf(writeElf(image!), 't.elf');
    if (!('image' in back)) throw new Error(back.diagnostics[0]!.message);
    expect(back.image.lines.map((l) => `0x${l.addr.toString(16)} ${l.file.split('/').pop()}:${l.line}`)).toEqual(rows);
  });

  it('d1 objdump -S shows the body line above each instruction an expansion made', () => {
    const { image } = asm(src);
    const out = listing(image!, 't.elf', { aliases: true, source: true, sourceLine: (f, n) => (f === 't.dasm' ? src.split('\n')[n - 1] : undefined) });
    expect(out).toContain('        addi \\r, \\r, 1\n    1000:\t00150513          \taddi\ta0,a0,1\n');
    expect(out).toContain('        li \\r, 7\n    1008:');
    expect(out).toContain('        addi \\r, \\r, 1\n    1010:\t00168693          \taddi\ta3,a3,1\n'); // the second `pair`, shown again
  });

  it('keeps where the code of each macro call is (not of a repetition), enclosing calls first, across an .align in a body', () => {
    const nested = ['.macro one r', '        addi \\r, \\r, 1', '.endm', '.macro two r', '        one \\r', '        .align 4', '        one \\r', '.endm', '_start: two a0', '        nop', ''].join('\n');
    const calls = (text: string) => asm(text).image!.macroCalls?.map((c) => `0x${c.addr.toString(16)}-0x${c.end.toString(16)} ${c.file}:${c.line}`);
    expect(calls(src)).toEqual(['0x1000-0x1008 t.dasm:6', '0x1010-0x1018 t.dasm:10']);
    expect(calls(nested)).toEqual(['0x1000-0x1014 t.dasm:9', '0x1000-0x1004 t.dasm:5', '0x1010-0x1014 t.dasm:7']);
    expect(calls('_start: nop\n.rept 2\nnop\n.endr\n')).toBeUndefined();
    // the line table itself is the body's lines, as before
    expect(asm(nested).image!.lines.map((l) => l.line)).toEqual([2, 2, 10]);
  });

  it('a body in an included file maps to that file', () => {
    const inc = '.macro one r\n        addi \\r, \\r, 1\n.endm\n';
    const { image } = asm('        .include "inc.dasm"\n_start: one a0\n        nop\n', { 'inc.dasm': inc });
    expect(image!.lines.map((l) => `${l.file}:${l.line}`)).toEqual(['inc.dasm:2', 't.dasm:3']);
  });
});
