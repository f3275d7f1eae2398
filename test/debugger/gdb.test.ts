// The GDB remote stub (`d1 run --gdb`) with gdb-multiarch as a real client: it connects, reads the
// RISC-V 64 target description, breaks at a label (source lines from d1's DWARF), reads registers and
// memory, steps, sets a watchpoint, continues to the exit. And hostile input: malformed packets, bad
// checksums, huge lengths and addresses outside SRAM get error replies; the stub stays up.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { d1, D1_BIN, missing, PROGRAMS, sh, tempDir } from '../helpers/tools.js';

const skip = missing('gdbMultiarch');

/** Start `d1 run --gdb 127.0.0.1:0 elf` and resolve with the port it listens on. */
function startStub(elf: string, machine: string[] = []): Promise<{ child: ChildProcessWithoutNullStreams; port: number; out: () => string }> {
  const child = spawn(process.execPath, [D1_BIN, 'run', '--gdb', '127.0.0.1:0', ...machine, elf]);
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      const m = /waiting for gdb on 127\.0\.0\.1:(\d+)/.exec(err);
      if (m) resolve({ child, port: Number(m[1]), out: () => out });
    });
    child.on('close', () => reject(new Error(`d1 run --gdb ended: ${err}`)));
  });
}

function build(name: string): string {
  const dir = tempDir('d1-gdb-');
  const elf = join(dir, `${name}.elf`);
  expect(d1(['as', join(PROGRAMS, `${name}.dasm`), '-o', elf]).code).toBe(0);
  return elf;
}

describe(`d1 run --gdb${skip}`, () => {
  it.skipIf(skip !== '')('gdb-multiarch breaks at a label, reads registers and memory, steps, watches and runs to the exit', async () => {
    const elf = build('fib');
    const { child, port, out } = await startStub(elf);
    const gdb = sh('gdb-multiarch', ['--batch', '-nx',
      '-ex', 'set architecture riscv:rv64', '-ex', `file ${elf}`, '-ex', `target remote 127.0.0.1:${port}`,
      '-ex', 'break fib_rec', '-ex', 'continue', '-ex', 'info registers a0', '-ex', 'p/x $pc',
      '-ex', 'x/2i $pc', '-ex', 'stepi', '-ex', 'info line *$pc', '-ex', 'p $sp', '-ex', 'delete',
      '-ex', 'watch *(long *)0x13fff8', '-ex', 'continue', '-ex', 'delete', '-ex', 'continue']);
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(gdb.stdout).toContain('Breakpoint 1, fib_rec () at');
    expect(gdb.stdout).toMatch(/a0\s+0x18\s+24/);
    expect(gdb.stdout).toMatch(/\$1 = 0x11e8/);
    expect(gdb.stdout).toMatch(/0x11e8 <fib_rec\+4>:\s+blt\s+a0,t0,0x/);
    expect(gdb.stdout).toMatch(/Line 45 of "[^"]*fib\.dasm"/);
    expect(gdb.stdout).toMatch(/\$2 = \(void \*\) 0x140000/);
    // the sd ra, 24(sp) after addi sp, sp, -32 writes the return address there
    expect(gdb.stdout).toMatch(/Hardware watchpoint 2: \*\(long \*\)0x13fff8\s+Old value = -?\d+\s+New value = 4528\s+fib_rec \(\) at \S*fib\.dasm:47/); // ra: stopped right after the sd
    expect(gdb.stdout).toContain('exited normally');
    expect(out()).toContain('fib(24) by recursion = 46368');
    expect(code).toBe(0);
  });

  it.skipIf(skip !== '')('shows each running hardware thread as a gdb thread with its own registers', async () => {
    const dir = tempDir('d1-gdb-threads-');
    const src = join(dir, 'thr.dasm');
    const elf = join(dir, 'thr.elf');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(src, '_start: la a0, worker\n        li a1, 7\n        tspawn s1, a0, a1\n        li s2, 5\nstop:   tjoin s1\n        li a0, 0\n        li a7, 93\n        ecall\nworker: addi a5, a0, 100\n        texit\n');
    expect(d1(['as', src, '-o', elf]).code).toBe(0);
    const { child, port } = await startStub(elf);
    const gdb = sh('gdb-multiarch', ['--batch', '-nx', '-ex', 'set architecture riscv:rv64', '-ex', `file ${elf}`, '-ex', `target remote 127.0.0.1:${port}`,
      '-ex', 'break stop', '-ex', 'continue', '-ex', 'info threads', '-ex', 'thread 2', '-ex', 'info registers a0', '-ex', 'thread 1', '-ex', 'p $s2', '-ex', 'delete', '-ex', 'continue']);
    await new Promise((r) => child.on('close', r));
    expect(gdb.stdout).toMatch(/\* 1 +Thread 1 +stop \(\)/);
    expect(gdb.stdout).toMatch(/ {2}2 +Thread 2 +worker \(\)/);
    expect(gdb.stdout).toMatch(/a0\s+0x7\s+7/); // thread 2 started with a0 = 7
    expect(gdb.stdout).toContain('$1 = 5'); // thread 1's s2
    expect(gdb.stdout).toContain('exited normally');
  });

  it.skipIf(skip !== '')('on a mesh shows every core as gdb threads, reads any core\'s registers and global memory', async () => {
    const dir = tempDir('d1-gdb-mesh-');
    const src = join(dir, 'mesh.dasm');
    const elf = join(dir, 'mesh.elf');
    const { writeFileSync } = await import('node:fs');
    // each core keeps its rank in a1 and in `mine`; core (1,0) stops at `here`
    writeFileSync(src, '_start: csrr a1, corerank\n        la t0, mine\n        sd a1, 0(t0)\n        li t1, 1\n        bne a1, t1, out\nhere:   nop\nout:    li a0, 0\n        li a7, 93\n        ecall\n        .data\n        .align 3\nmine:   .dword 0\n');
    expect(d1(['as', src, '-o', elf]).code).toBe(0);
    const { child, port } = await startStub(elf, ['--mesh', '2x2']);
    const gdb = sh('gdb-multiarch', ['--batch', '-nx', '-ex', 'set architecture riscv:rv64', '-ex', `file ${elf}`, '-ex', `target remote 127.0.0.1:${port}`,
      '-ex', 'break here', '-ex', 'continue', '-ex', 'info threads', '-ex', 'p $a1', '-ex', 'thread 4', '-ex', 'p $a1',
      '-ex', 'x/gx 0x1000000000000 + (long)&mine', '-ex', 'x/gx 0x1000100000000 + (long)&mine', '-ex', 'delete', '-ex', 'continue']);
    await new Promise((r) => child.on('close', r));
    expect(gdb.stdout).toMatch(/Thread 5 \(core \(1,0\) thread 0\) +here \(\)/);
    expect(gdb.stdout).toMatch(/Thread 13 \(core \(1,1\) thread 0\)/);
    expect(gdb.stdout).toContain('$1 = 1'); // core (1,0)'s rank
    // core (1,1) runs after (1,0) in the window: it has not started yet
    expect(gdb.stdout).toMatch(/Switching to thread 4 \(Thread 13\)\]\s+#0 +_start \(\)/);
    expect(gdb.stdout).toMatch(/0x10000[0-9a-f]{8}:\s+0x0000000000000000/); // core (0,0) stored its rank, 0
    expect(gdb.stdout).toMatch(/0x10001[0-9a-f]{8}:\s+0x0000000000000001/); // core (1,0)'s, through its global address
    expect(gdb.stdout).toContain('exited normally');
  });

  it('answers malformed and hostile packets with errors and keeps serving', async () => {
    const elf = build('hello');
    const { child, port } = await startStub(elf);
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (got += d));
    await new Promise((r) => socket.on('connect', r));
    const packet = (p: string) => `$${p}#${([...p].reduce((a, c) => a + c.charCodeAt(0), 0) & 0xff).toString(16).padStart(2, '0')}`;
    socket.write('$g#00'); // bad checksum: a NAK
    socket.write('garbage without framing');
    socket.write(packet('m140000,10')); // outside SRAM
    socket.write(packet('mffffffffffffffff,ffffffff')); // huge
    socket.write(packet('M1000,4:zz')); // bad data
    socket.write(packet('Z0,1001,4')); // not word-aligned
    socket.write(packet('pzz'));
    socket.write(packet('qXfer:features:read:target.xml:0,40'));
    socket.write(packet('?'));
    // the last packet's reply (the stop reason) says every earlier one has been answered
    await new Promise<void>((r) => {
      const done = () => /\$T05thread:1;#/.test(got) && (socket.off('data', done), r());
      socket.on('data', done);
      done();
    });
    expect(got).toContain('-');
    expect(got.match(/\$E\w\w#/g)?.length).toBeGreaterThanOrEqual(4);
    expect(got).toContain('<?xml');
    expect(got).toMatch(/\$T05thread:1;#/);
    socket.write(packet('k'));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
  });
});
