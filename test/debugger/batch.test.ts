// d1 debug in batch mode over the example programs: breakpoints stop at the right lines, registers
// and memory read back the right values, stepping and finishing land where gdb would, bad input gets a
// message and the session goes on.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { d1, D1_BIN, PROGRAMS, tempDir } from '../helpers/tools.js';

function debug(program: string, commands: string[]) {
  const dir = tempDir('d1-debug-');
  const script = join(dir, 'cmds');
  writeFileSync(script, `${commands.join('\n')}\n`);
  return d1(['debug', '--batch', '-x', script, join(PROGRAMS, program)]);
}

/** d1 debug --batch over a program written here (its lines) and a command script. */
function debugSource(lines: string[], commands: string[]) {
  const dir = tempDir('d1-debug-src-');
  const prog = join(dir, 'p.dasm');
  writeFileSync(prog, `${lines.join('\n')}\n`);
  const script = join(dir, 'cmds');
  writeFileSync(script, commands.join('\n'));
  return d1(['debug', '--batch', '-x', script, prog]);
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

  it('info registers names vector registers too, refuses unknown names; finish in _start is refused; threads of an exited program show it', () => {
    const r = debugSource(['_start: li t0, 5', '        li t1, 6', '        li a0, 0', '        li a7, 93', '        ecall'], [
      'break _start', 'run', 'info registers v3 t0', 'info registers foo', 'finish', 'info registers pc', 'continue', 'info threads',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/v3 as fp32 \(fmt0\):\n {2}\[ 0\] 0\.0/);
    expect(r.stdout).toMatch(/^t0 +0x0000000000000000/m);
    expect(r.stdout).toContain("info registers: no register 'foo'");
    expect(r.stdout).toContain('"finish" not meaningful in the outermost frame.');
    expect(r.stdout).toMatch(/^pc +0x0000000000001000/m); // finish did not run anything
    expect(r.stdout).toContain('[program exited with code 0]');
    expect(r.stdout).toMatch(/^\* 0 +exited +0x/m);
  });

  it('a watchpoint wider than 8 bytes shows old and new values as bytes, not one long number', () => {
    const r = debugSource(['_start: la t0, buf', '        li t1, 0x1122334455667788', '        sd t1, 24(t0)', '        li a0, 0', '        li a7, 93', '        ecall', '        .data', '        .balign 64', 'buf:    .zero 64'], ['watch buf 64', 'run', 'continue']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Old value = 64 bytes\n  +  0: 00 00');
    expect(r.stdout).toContain('New value = 64 bytes');
    expect(r.stdout).toContain('  + 16: 00 00 00 00 00 00 00 00 88 77 66 55 44 33 22 11');
    expect(r.stdout).not.toMatch(/\d{30}/);
  });

  it('gdb forms: print/FORMAT, x with size and format in either order, floats', () => {
    const r = debugSource(['_start: li t0, 0x3ff0000000000000', '        sd t0, -8(sp)', '        li t1, 0x40490fdb', '        sw t1, -12(sp)', '        li a0, 0', '        li a7, 93', '        ecall'], [
      'break *0x1000 + 4 * 6', 'run', 'p/x 255', 'p/d -1', 'p/u -1', 'p/t 5', 'p/o 8', 'p/c 65', 'p/q 1', 'x/2wx $sp - 16', 'x/2xw $sp - 16', 'x/1f $sp - 8', 'x/1wf $sp - 12', 'x/1fw $sp - 12', 'x/1bf $sp',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    for (const want of ['0xff', '-1', '18446744073709551615', '101', '010', '65 "A"']) expect(lines).toContain(want);
    expect(r.stdout).toContain("print: bad format '/q'");
    expect(r.stdout.match(/^0x13fff0:\t0x[0-9a-f]{8}\t0x[0-9a-f]{8}$/gm)?.length).toBe(2); // x/2wx and x/2xw alike
    expect(r.stdout).toMatch(/^0x13fff8:\t1$/m);
    expect(r.stdout.match(/^0x13fff4:\t3\.14159274101/gm)?.length).toBe(2);
    expect(r.stdout).toContain('floats are h (fp16), w (fp32) or g (fp64)');
  });

  it('x/s shows strings with C escapes, x/i instructions with the pc marked, as gdb does', () => {
    const r = debug('hello.dasm', ['x/s message', 'x/3i _start', 'stepi', 'x/2i $pc', 'x/s 0x7ffffff0']);
    expect(r.stdout).toContain('0x102c <message>:\t"Hello from a Dojo D1 core!\\n"');
    expect(r.stdout).toContain('=> 0x1000 <_start>:\tli a0,1\n   0x1004 <_start+0x4>:\tauipc a1,0x0\n');
    expect(r.stdout).toContain('=> 0x1004 <_start+0x4>:\tauipc a1,0x0');
    expect(r.stdout).toContain('cannot access memory at 0x7ffffff0');
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

  it('a line of a macro or .irp body: one breakpoint with a location in each expansion; step walks the body lines', () => {
    const prog = [
      '.macro bump r',            // 1
      '        addi \\r, \\r, 1', // 2
      '        addi \\r, \\r, 2', // 3
      '.endm',                    // 4
      '_start: li a0, 0',         // 5
      '        bump a0',          // 6
      '        .irp r, a1, a2',   // 7
      '        li \\r, 7',        // 8
      '        bump \\r',         // 9
      '        .endr',            // 10
      '        li a7, 93',        // 11
      '        ecall',            // 12
    ];
    const r = debugSource(prog, ['break p.dasm:3', 'info breakpoints', 'run', 'info registers a0', 'continue', 'info registers a1', 'delete', 'break _start', 'run', 'step', 'step', 'step', 'step', 'step', 'step', 'next', 'next', 'next', 'reverse-step', 'delete', 'break p.dasm:6', 'continue']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Breakpoint 1 at p.dasm:3 (3 locations)');
    expect(r.stdout).toMatch(/^1 +break +y +<MULTIPLE> +p\.dasm:3$/m);
    expect(r.stdout).toMatch(/^1\.1 +y +0x0000000000001008 +<_start\+0x8> at p\.dasm:3$/m);
    expect(r.stdout).toMatch(/^1\.3 +y +0x0000000000001020 +<_start\+0x20> at p\.dasm:3$/m);
    // the first expansion (bump a0), then the one inside .irp iteration 1 (bump a1)
    expect(r.stdout).toContain('Breakpoint 1, 0x1008 <_start+0x8> at p.dasm:3\n3\t        addi \\r, \\r, 2');
    expect(r.stdout).toMatch(/^a0 +0x0000000000000001 {2}1$/m);
    expect(r.stdout).toContain('Breakpoint 1, 0x1014 <_start+0x14> at p.dasm:3');
    expect(r.stdout).toMatch(/^a1 +0x0000000000000008 {2}8$/m);
    // stepping from _start: to the call of bump, into its body, through the .irp body and the call in it,
    // line by line; next steps over the second call of bump in the .irp
    const steps = r.stdout.slice(r.stdout.indexOf('Breakpoint 2, ')).split('\n').filter((l) => /^\d+\t/.test(l)).map((l) => Number(l.split('\t')[0]));
    expect(steps).toEqual([5, 6, 2, 3, 8, 9, 2, 3, 8, 9, 8]); // and reverse-step goes back to the line before
    expect(r.stdout).toContain('Breakpoint 3 at 0x1004 <_start+0x4> at p.dasm:6'); // a macro call's line
  });

  it('a macro call is a line: break on it stops at its first instruction, next runs the whole expansion (and calls in it), step enters it', () => {
    const prog = [
      '.macro inc r',             // 1
      '        addi \\r, \\r, 1', // 2
      '.endm',                    // 3
      '.macro twice r',           // 4
      '        inc \\r',          // 5
      '        call f',           // 6
      '        inc \\r',          // 7
      '.endm',                    // 8
      '_start: li a0, 0',         // 9
      '        twice a0',         // 10
      '        twice a0',         // 11
      '        li a7, 93',        // 12
      '        ecall',            // 13
      'f:      addi a0, a0, 10',  // 14
      '        ret',              // 15
    ];
    const r = debugSource(prog, [
      'break 10', 'info breakpoints', 'run', 'info line', 'next', 'info registers a0', 'next', 'info registers a0', // over both calls
      'run', 'step', 'step', 'step', 'next', 'next', 'step', 'next', 'delete', 'break p.dasm:5', 'run', 'info registers a0', 'step',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Breakpoint 1 at 0x1004 <_start+0x4> at p.dasm:10');
    expect(r.stdout).toMatch(/^1 +break +y +0x0000000000001004 +p\.dasm:10$/m);
    expect(r.stdout).toContain('Breakpoint 1, 0x1004 <_start+0x4> at p.dasm:10\n10\t        twice a0\n0x1004 <_start+0x4> at p.dasm:10');
    expect(r.stdout).toMatch(/^11\t        twice a0\na0 +0x000000000000000c {2}12$/m);
    expect(r.stdout).toMatch(/^12\t        li a7, 93\na0 +0x0000000000000018 {2}24$/m);
    // after the second run: step into twice (5, the call of inc), into inc (2), out to the call of f (6),
    // over f (7), over inc and out of twice (11), into the second twice (5), over inc (6)
    const second = r.stdout.slice(r.stdout.lastIndexOf('Breakpoint 1, '), r.stdout.indexOf(' at p.dasm:5 (2 locations)'));
    const steps = second.split('\n').filter((l) => /^\d+\t/.test(l)).map((l) => Number(l.split('\t')[0]));
    expect(steps).toEqual([10, 5, 2, 6, 7, 11, 5, 6]);
    // a breakpoint on a body line whose code starts where the call's does shows that line, not the call's
    expect(r.stdout).toMatch(/^Breakpoint (\d+) at p\.dasm:5 \(2 locations\)\nBreakpoint \1, 0x1004 <_start\+0x4> at p\.dasm:5\n5\t {8}inc \\r\na0 +0x0{16} {2}0$/m);
    expect(r.stdout).toMatch(/^2\t        addi \\r, \\r, 1$/m);
  });

  it('a loop in a macro body goes back to the start of the expansion: stepping stays in the body', () => {
    const prog = ['.macro spin r', '1:      addi \\r, \\r, -1', '        bnez \\r, 1b', '.endm', '_start: li a0, 2', '        spin a0', '        li a7, 93', '        ecall'];
    const r = debugSource(prog, ['break _start', 'run', 'next', 'step', 'next', 'next', 'next', 'next']);
    const steps = r.stdout.split('\n').filter((l) => /^\d+\t/.test(l)).map((l) => Number(l.split('\t')[0]));
    expect(steps).toEqual([5, 6, 2, 3, 2, 3, 7]);
  });

  it('help lists every command', () => {
    const r = debug('hello.dasm', ['help']);
    for (const c of ['break', 'continue', 'stepi', 'next', 'finish', 'info', 'print', 'x ', 'list', 'disassemble', 'backtrace']) expect(r.stdout).toContain(c);
  });
});

describe('d1 debug: the Dojo core', () => {
  it('shows vector registers as lanes, the format table and flags, accumulators and threads', () => {
    const r = debugSource([
      '_start: li t0, 1',
      '        csrw fmt1, t0              # bf16',
      '        li t0, 3 | (7 << 8)',
      '        csrw fmt2, t0              # cfp8_143 bias 7',
      '        la a0, data',
      '        vld v1, 0(a0)',
      '        vcvt v2, v1, fmt2, fmt1, 0',
      '        la a1, worker',
      '        tspawn s1, a1, zero',
      '        mzero m1',
      '        mma m1, v1, v1, fmt1',
      'stop:   tjoin s1',
      '        li a0, 0',
      '        li a7, 93',
      '        ecall',
      'worker: li a5, 42',
      '        texit',
      '        .data',
      '        .p2align 6',
      'data:   .bf16 1.5, -2, 0.25, 1000, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30',
    ], ['break stop', 'run', 'info vector v1 fmt1', 'info vector v2 fmt2', 'info formats', 'info matrix m1', 'info threads', 'info stats', 'thread 1', 'info registers a5', 'thread 0', 'info vector v1 bogus', 'thread 7', 'x/4bf16 data', 'x/2cfp8_143:99 data', 'continue']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('v1 as bf16 (fmt1):\n  [ 0] 1.5 -2.0 0.25 1000.0 3.0 4.0 5.0 6.0');
    expect(r.stdout).toContain('v2 as cfp8_143 bias 7 (fmt2):\n  [ 0] 1.5 -2.0 0.25 480.0 3.0 4.0 5.0 6.0'); // 1000 clamps to the largest value
    expect(r.stdout).toMatch(/^fmt2 +cfp8_143 +7$/m);
    expect(r.stdout).toMatch(/^vflags +0x4 \(overflow\)$/m);
    // row 0 of A (v1 as 8 x 4) times B (v1 as 4 x 8): 1.5 * 1.5 - 2 * 7 + 0.25 * 15 + 1000 * 23
    expect(r.stdout).toContain('m1 (8 x 8 fp32):\n  [0] 22992 23985');
    expect(r.stdout).toMatch(/^\* 0 +running/m);
    expect(r.stdout).toMatch(/^matrix units \d+\.\d% busy, 1 ops \(256 MACs\)$/m); // info stats
    expect(r.stdout).toMatch(/^ {2}1 +running +0x/m);
    expect(r.stdout).toContain('[Switching to thread 1 (running');
    expect(r.stdout).toMatch(/^a5 +0x0000000000000000/m); // the worker has not run yet at the tspawn's heels
    expect(r.stdout).toContain("unknown lane format 'bogus'");
    expect(r.stdout).toContain("thread: expected 0..3, got '7'");
    expect(r.stdout).toMatch(/^0x[0-9a-f]+:\t1\.5\t-2\t0\.25\t1000$/m); // x/N<lane format>
    expect(r.stdout).toContain("exponent bias '99' is out of range 0..63");
    expect(r.stdout).toContain('[program exited with code 0]');
  });
});

describe('d1 debug: watchpoints and going backwards', () => {
  it('watch stops after a store that changes the value, rwatch after a load, reverse-continue goes back to the last hit', () => {
    const r = debugSource([
      '_start: la s0, counter',
      '        li s1, 5',
      '1:      ld t0, 0(s0)',
      '        addi t0, t0, 1',
      '        sd t0, 0(s0)',
      '        sd t0, 0(s0)            # the same value again: watch does not stop',
      '        addi s1, s1, -1',
      '        bnez s1, 1b',
      '        li a0, 0',
      '        li a7, 93',
      '        ecall',
      '        .data',
      '        .p2align 3',
      'counter: .dword 40',
    ], ['watch counter', 'run', 'continue', 'info breakpoints', 'delete 1', 'rwatch counter', 'continue', 'reverse-continue', 'info registers t0', 'watch 0x200000', 'delete', 'continue']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Watchpoint 1: counter\nOld value = 40 (0x28)\nNew value = 41 (0x29)\nat 0x1018 <_start+0x18> at p.dasm:6');
    expect(r.stdout).toContain('Old value = 41 (0x29)\nNew value = 42 (0x2a)');
    expect(r.stdout).toMatch(/^1 +watch +y +0x0000000000002000 +counter \(8 bytes\) \(hit 2 times\)$/m);
    expect(r.stdout).toContain('Read watchpoint 2: counter\nValue = 42 (0x2a)\nat 0x1010');
    expect(r.stdout).toContain('Read watchpoint 2: counter\nValue = 41 (0x29)\nat 0x1010'); // back one hit
    expect(r.stdout).toMatch(/^t0 +0x0000000000000029 {2}41$/m); // the registers of that moment
    expect(r.stdout).toContain('cannot watch 8 bytes at 0x200000: outside SRAM');
    expect(r.stdout).toContain('[program exited with code 0]');
  });
});

describe('d1 debug interactively', () => {
  it('Ctrl-C interrupts a running program and the session goes on', async () => {
    const { spawn } = await import('node:child_process');
    const dir = tempDir('d1-debug-int-');
    const prog = join(dir, 'spin.dasm');
    // it says it runs, then counts in s1 for ever; the test waits for what it expects, never for a time
    writeFileSync(prog, '_start: li a0, 1\n la a1, msg\n li a2, 6\n li a7, 64\n ecall\nspin: addi s1, s1, 1\n        j spin\n .data\nmsg: .ascii "ready\\n"\n');
    const child = spawn(process.execPath, [D1_BIN, 'debug', prog], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const waitFor = (re: RegExp) => new Promise<void>((r) => {
      const check = () => re.test(out) && (child.stdout.off('data', check), r());
      child.stdout.on('data', check);
      check();
    });
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stdin.write('run\n');
    await waitFor(/ready/);
    child.kill('SIGINT');
    await waitFor(/Program interrupted/);
    child.stdin.write('info registers s1\nquit\n');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(out).toMatch(/Program interrupted at 0x[0-9a-f]+ <spin(\+0x4)?>/);
    const s1 = /s1 +0x([0-9a-f]+)/.exec(out);
    expect(s1).not.toBeNull();
    expect(BigInt(`0x${s1![1]}`)).toBeGreaterThan(0n); // it had been running
  });
});
