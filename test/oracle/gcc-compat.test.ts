// gcc compatibility (gcc-riscv64-unknown-elf, qemu-user): freestanding C programs from programs/c/
// compiled by riscv64-unknown-elf-gcc -O2 -S and assembled by d1 as must run on d1 exactly like the same
// program built entirely by GNU and run on qemu-riscv64; d1 run also runs the GNU-built ELF. Outputs are
// checked against programs/c/<name>.expected (made by the GNU build on QEMU).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { d1, missing, PROGRAMS, sh, tempDir } from '../helpers/tools.js';

const skip = missing('gcc', 'gnuAs', 'qemu');
const C = join(PROGRAMS, 'c');
const NAMES = readdirSync(C).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2));
const GCC = ['-O2', '-march=rv64im', '-mabi=lp64', '-ffreestanding', '-mno-relax'];

describe.skipIf(skip !== '')(`gcc output runs on d1 like GNU-built code on QEMU${skip}`, () => {
  it('has at least three C programs', () => expect(NAMES.length).toBeGreaterThanOrEqual(3));

  for (const name of NAMES) {
    it(`${name}.c: gcc -S | d1 as | d1 run, GNU build on qemu, GNU build on d1 run agree`, () => {
      const dir = tempDir(`d1-gcc-${name}-`);
      const src = join(C, `${name}.c`);
      const expected = readFileSync(join(C, `${name}.expected`), 'latin1');

      const gnuElf = join(dir, `${name}.gnu.elf`);
      const build = sh('riscv64-unknown-elf-gcc', [...GCC, '-Wl,--no-relax', '-nostdlib', '-static', '-o', gnuElf, src]);
      expect(build.status, build.stderr).toBe(0);
      const q = sh('qemu-riscv64', [gnuElf]);
      expect(q.stdout).toBe(expected);

      for (const model of ['medlow', 'medany']) {
        const asm = join(dir, `${name}.${model}.s`);
        const s = sh('riscv64-unknown-elf-gcc', [...GCC, `-mcmodel=${model}`, '-S', '-o', asm, src]);
        expect(s.status, s.stderr).toBe(0);
        const elf = join(dir, `${name}.${model}.elf`);
        const as = d1(['as', asm, '-o', elf]);
        expect(as.stderr).toBe('');
        expect(as.code).toBe(0);
        const ours = d1(['run', elf]);
        expect(ours.stdout).toBe(expected);
        expect(ours.code).toBe(q.status);
      }

      const onD1 = d1(['run', gnuElf]);
      expect(onD1.stdout).toBe(expected);
      expect(onD1.code).toBe(q.status);
    });
  }
});
