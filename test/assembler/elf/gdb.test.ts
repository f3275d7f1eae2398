// gdb reads the DWARF line table d1 writes: addresses map to file:line, file:line maps to addresses,
// for sources named by absolute path and in folders relative to where `d1 as` ran (DW_AT_comp_dir).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { d1, PROGRAMS, sh, tempDir } from '../../helpers/tools.js';

const hasGdb = spawnSync('gdb', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasGdb) process.stderr.write('d1 tests: (skipped: install the Debian package gdb)\n');

const gdb = (elf: string, cmds: string[], cwd?: string) => sh('gdb', ['-nx', '-batch', ...cmds.flatMap((c) => ['-ex', c]), elf], cwd ? { cwd } : {});

describe.skipIf(!hasGdb)(`gdb 13 reads d1's line tables${hasGdb ? '' : ' (skipped: install the Debian package gdb)'}`, () => {
  it('for a program assembled from an absolute path', () => {
    const dir = tempDir('d1-gdb-');
    const elf = join(dir, 'fib.elf');
    expect(d1(['as', join(PROGRAMS, 'fib.dasm'), '-o', elf]).code).toBe(0);
    const r = gdb(elf, ['info line _start', 'info line *0x1144']);
    expect(r.stdout).toContain(`Line 11 of "${join(PROGRAMS, 'fib.dasm')}" starts at address 0x1140 <_start>`);
    expect(r.stdout).toContain(`Line 12 of "${join(PROGRAMS, 'fib.dasm')}" starts at address 0x1144 <_start+4>`);
  });

  it('for sources in a relative folder, listed from the compile directory', () => {
    const dir = tempDir('d1-gdb-');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'x.dasm'), '# x\n_start:\n        li a0, 3\n        li a7, 93\n        ecall\n');
    expect(d1(['as', 'src/x.dasm', '-o', 'x.elf'], { cwd: dir }).code).toBe(0);
    const r = gdb(join(dir, 'x.elf'), ['info line *0x1004', 'list src/x.dasm:4,4'], tempDir('d1-gdb-elsewhere-'));
    expect(r.stdout).toContain('Line 4 of "src/x.dasm" starts at address 0x1004');
    expect(r.stdout).toMatch(/^4\s+li a7, 93$/m);
  });

  it('for code a macro made: each instruction of each expansion at its body line', () => {
    const dir = tempDir('d1-gdb-');
    writeFileSync(join(dir, 'm.dasm'), '.macro two r\n        addi \\r, \\r, 1\n        addi \\r, \\r, 2\n.endm\n_start: two a0\n        two a1\n        ecall\n');
    expect(d1(['as', 'm.dasm', '-o', 'm.elf'], { cwd: dir }).code).toBe(0);
    const r = gdb(join(dir, 'm.elf'), ['info line *0x1004', 'info line *0x1008', 'info line *0x100c', 'info line m.dasm:7'], dir);
    expect(r.stdout).toContain('Line 3 of "m.dasm" starts at address 0x1004 <_start+4> and ends at 0x1008 <_start+8>.');
    expect(r.stdout).toContain('Line 2 of "m.dasm" starts at address 0x1008 <_start+8> and ends at 0x100c <_start+12>.');
    expect(r.stdout).toContain('Line 3 of "m.dasm" starts at address 0x100c <_start+12> and ends at 0x1010 <_start+16>.');
    expect(r.stdout).toContain('Line 7 of "m.dasm" starts at address 0x1010 <_start+16>');
  });
});
