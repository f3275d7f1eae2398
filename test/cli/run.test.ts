// `d1 run` end to end: exit codes, the fault report (core, pc, instruction, source line, registers),
// --max-instructions, --stats/--json, Ctrl-C, and the same for `d1 objdump` listings.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { d1, D1_BIN, PROGRAMS, tempDir } from '../helpers/tools.js';

function program(text: string): string {
  const file = join(tempDir(), 'p.dasm');
  writeFileSync(file, text);
  return file;
}

describe('d1 run', () => {
  it('passes the program exit code through', () => {
    expect(d1(['run', program('_start: li a0, 42\n li a7, 93\n ecall\n')]).code).toBe(42);
  });

  it('reports a fault with pc, instruction, source line and registers, exit 134', () => {
    const r = d1(['run', program('_start:\n  li a1, 0x200000\n  ld a0, 8(a1)   # boom\n')]);
    expect(r.code).toBe(134);
    expect(r.stderr).toContain('d1: fault on core 0 thread 0: load access fault at 0x200008 (outside SRAM [0x0, 0x140000))');
    expect(r.stderr).toContain('pc 0x1004 <_start+0x4>: ld a0,8(a1)');
    expect(r.stderr).toMatch(/at .*p\.dasm:3: ld a0, 8\(a1\)   # boom/);
    expect(r.stderr).toMatch(/a1 0000000000200000/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:/);
  });

  it('reports an illegal instruction and an unknown host call', () => {
    expect(d1(['run', program('_start: .word 0xffffffff\n')]).stderr).toContain('illegal instruction 0xffffffff');
    const h = d1(['run', program('_start: li a7, 999\n ecall\n')]);
    expect(h.code).toBe(134);
    expect(h.stderr).toContain('unknown host call 999 in a7');
  });

  it('stops runaway programs at --max-instructions with exit 137', () => {
    const r = d1(['run', '--max-instructions', '1000', program('_start: j _start\n')]);
    expect(r.code).toBe(137);
    expect(r.stderr).toContain('d1: stopped on core 0 thread 0: instruction limit reached (--max-instructions)');
    expect(r.stderr).toContain('after 1000 instructions');
    expect(d1(['run', '--max-instructions', 'lots', program('_start: j _start\n')]).code).toBe(2);
  });

  it('prints statistics, and JSON for scripts', () => {
    const s = d1(['run', '--stats', join(PROGRAMS, 'hello.dasm')]);
    expect(s.stdout).toBe('Hello from a Dojo D1 core!\n');
    expect(s.stderr).toMatch(/instructions 11\ncycles {7}\d+ \(IPC [0-9.]+\)\nsimd unit .*\nmatrix units .*\nsram {9}\d+ bytes loaded, \d+ bytes stored\nstalls t0 .*\nwall time .* s\nspeed .* MIPS/);
    const j = d1(['run', '--json', join(PROGRAMS, 'hello.dasm')]);
    const stats = JSON.parse(j.stdout.split('\n').filter((l) => l.startsWith('{')).pop()!);
    expect(stats).toMatchObject({ exitCode: 0, outcome: 'exit', instructions: 11, threads: [{ thread: 0, instructions: 11 }] });
    expect(stats.cycles).toBeGreaterThan(0);
  });

  it('--no-timing: the same output, one cycle an instruction, no stalls; on a mesh too; --no-jit: the same run', () => {
    const timed = d1(['run', '--json', join(PROGRAMS, 'fib.dasm')]);
    const r = d1(['run', '--no-timing', '--json', join(PROGRAMS, 'fib.dasm')]);
    const last = (out: string) => JSON.parse(out.split('\n').filter((l) => l.startsWith('{')).pop()!);
    const [a, b] = [last(timed.stdout), last(r.stdout)];
    expect(r.stdout.split('\n').filter((l) => !l.startsWith('{'))).toEqual(timed.stdout.split('\n').filter((l) => !l.startsWith('{')));
    expect(b.instructions).toBe(a.instructions);
    expect(a.cycles).toBeGreaterThan(a.instructions); // the model's stalls
    expect(b.cycles).toBe(b.instructions);
    expect(Object.values(b.threads[0].stalls).every((v) => v === 0)).toBe(true);
    // --no-jit: the interpreter alone, the same run
    const noJit = d1(['run', '--no-jit', '--json', join(PROGRAMS, 'fib.dasm')]);
    const { wallSeconds: _a, mips: _b, ...c } = last(noJit.stdout);
    const { wallSeconds: _c, mips: _d, ...d } = a;
    expect(c).toEqual(d);
    const mesh = d1(['run', '--no-timing', '--mesh', '2x2', join(PROGRAMS, 'allreduce.dasm')]);
    expect(mesh.code).toBe(0);
    expect(mesh.stdout).toBe(d1(['run', '--mesh', '2x2', join(PROGRAMS, 'allreduce.dasm')]).stdout);
  });

  it('write to a bad fd or a buffer outside SRAM returns an error code to the program', () => {
    const r = d1(['run', program('_start: li a0, 7\n li a1, 0\n li a2, 1\n li a7, 64\n ecall\n mv s0, a0\n li a0, 1\n li a1, -1\n ecall\n add a0, a0, s0\n neg a0, a0\n li a7, 93\n ecall\n')]);
    expect(r.code).toBe(9 + 14);
  });

  it('Ctrl-C stops a run and says where it was, exit 130', async () => {
    // the program says it runs (so the handler is in place), then spins; the test waits for that line
    const spin = program('_start: li a0, 1\n la a1, msg\n li a2, 6\n li a7, 64\n ecall\nspin: j spin\n .data\nmsg: .ascii "ready\\n"\n');
    const child = spawn(process.execPath, [D1_BIN, 'run', spin]);
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    await new Promise<void>((r) => child.stdout.on('data', (b: Buffer) => b.toString().includes('ready') && r()));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(err).toContain('interrupted (Ctrl-C)');
    expect(err).toMatch(/pc 0x[0-9a-f]+ <spin>: j [0-9a-f]+ <spin>/);
  });
});

describe('d1 objdump', () => {
  it('lists symbols, instructions with aliases and, with -S, source lines', () => {
    const r = d1(['objdump', '-d', '-S', join(PROGRAMS, 'hello.dasm')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('hello.dasm:     file format elf64-littleriscv');
    expect(r.stdout).toContain('0000000000001000 <_start>:');
    expect(r.stdout).toContain('    1000:\t00100513          \tli\ta0,1');
    expect(r.stdout).toContain('        li      a0, 1                   # fd 1: stdout');
    const raw = d1(['objdump', '-d', '-M', 'no-aliases', join(PROGRAMS, 'hello.dasm')]);
    expect(raw.stdout).toContain('    1000:\t00100513          \taddi\ta0,zero,1');
  });
});

describe('d1 run --tile on worker threads', () => {
  // Every core runs `work` a while (the workers compile and link it in their dies' cores), then all but
  // core (0,0) exit, and it runs `work` alone, on the host thread (a die alone at work runs there). Its
  // block entries were linked by a worker's instance over the same memory: the host's instance must tell
  // them apart from its own (until this test, both numbered their instances from 1).
  it('gives the same output and exit code with 1 and 2 workers when one die goes on alone', () => {
    const file = program(`        .include "${join(PROGRAMS, 'lib', 'io.dasm')}"
        .text
        .globl _start
_start: li      a0, 3000
        call    work
        csrr    t0, coreid
        bnez    t0, 1f
        li      a0, 200000
        call    work
        call    print_u64
        call    newline
1:      andi    a0, a0, 0x7f
        li      a7, 93
        ecall
work:   mv      t1, a0
        li      a0, 0
2:      addi    a0, a0, 3
        xori    a0, a0, 5
        addi    t1, t1, -1
        bnez    t1, 2b
        ret
`);
    const runs = [1, 2].map((w) => d1(['run', '--tile', '--workers', String(w), file]));
    expect(runs[0]!.stderr).toBe('');
    expect(runs[0]!.stdout).toMatch(/^\d+\n$/);
    expect(runs[1]).toEqual(runs[0]);
  });
});
