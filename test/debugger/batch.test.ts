// d1 debug in batch mode over the example programs: breakpoints stop at the right lines, registers
// and memory read back the right values, stepping and finishing land where gdb would, bad input gets a
// message and the session goes on.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { d1, PROGRAMS, tempDir } from '../helpers/tools.js';

function debug(program: string, commands: string[]) {
  const dir = tempDir('d1-debug-');
  const script = join(dir, 'cmds');
  writeFileSync(script, `${commands.join('\n')}\n`);
  return d1(['debug', '--batch', '-x', script, join(PROGRAMS, program)]);
}

describe('d1 debug --batch', () => {
  it('breaks at a label, shows the source line and registers, finishes and continues to the exit', () => {
    const r = debug('fib.dasm', ['break fib_rec', 'run', 'info registers a0', 'p $a0 + 1', 'delete', 'finish', 'continue']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Breakpoint 1 at 0x11e4 <fib_rec> at fib.dasm:43');
    expect(r.stdout).toContain('Breakpoint 1, 0x11e4 <fib_rec> at fib.dasm:43\n43\t        li      t0, 2');
    expect(r.stdout).toMatch(/^a0 +0x0000000000000018 {2}24$/m);
    expect(r.stdout).toContain('25 (0x19)');
    expect(r.stdout).toContain('fib(24) by recursion = 46368');
    expect(r.stdout).toContain('[program exited with code 0]');
  });

  it('breaks at file:line, steps by line and instruction, examines memory', () => {
    const r = debug('hello.dasm', ['break hello.dasm:12', 'run', 'next', 'stepi 2', 'info registers a1', 'x/4cb $a1', 'x/2xw message', 'continue']);
    expect(r.stdout).toContain('Breakpoint 1, 0x1000 <_start> at hello.dasm:12');
    expect(r.stdout).toContain('13\t        la      a1, message             # buffer');
    expect(r.stdout).toMatch(/0x[0-9a-f]+ <message>:\t"H"\t"e"\t"l"\t"l"/);
    expect(r.stdout).toMatch(/<message>:\t0x6c6c6548\t0x7266206f/);
    expect(r.stdout).toContain('Hello from a Dojo D1 core!');
  });

  it('reports bad commands, expressions, addresses and lines without stopping the session', () => {
    const r = debug('hello.dasm', ['frobnicate', 'p 1 +', 'x/4xw 0x200000', 'break hello.dasm:2', 'break nosuch', 'info registers pc']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Undefined command: "frobnicate". Try "help".');
    expect(r.stdout).toContain("cannot read expression '1 +'");
    expect(r.stdout).toContain('cannot access memory at 0x200000: outside SRAM');
    expect(r.stdout).toContain('no code at hello.dasm:2');
    expect(r.stdout).toContain("no symbol 'nosuch' in the program");
    expect(r.stdout).toMatch(/^pc +0x0000000000001000/m);
  });

  it('help lists every command', () => {
    const r = debug('hello.dasm', ['help']);
    for (const c of ['break', 'continue', 'stepi', 'next', 'finish', 'info', 'print', 'x ', 'list', 'disassemble', 'backtrace']) expect(r.stdout).toContain(c);
  });
});
