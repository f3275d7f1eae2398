// d1 nm against GNU nm (binutils-riscv64-unknown-elf) reading the same ELF that d1 as wrote: the same
// lines, sorted by name and by address, for every example program.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { d1, missing, PROGRAMS, sh, tempDir } from '../helpers/tools.js';

const skip = missing('gnuNm');

describe.skipIf(skip !== '')(`d1 nm matches riscv64-unknown-elf-nm${skip}`, () => {
  const dir = tempDir('d1-nm-');
  for (const name of readdirSync(PROGRAMS).filter((f) => f.endsWith('.dasm'))) {
    it(name, () => {
      const elf = join(dir, `${name}.elf`);
      expect(d1(['as', join(PROGRAMS, name), '-o', elf]).code).toBe(0);
      for (const flags of [[], ['-n']]) {
        const ours = d1(['nm', ...flags, elf]);
        const gnu = sh('riscv64-unknown-elf-nm', [...flags, elf], { cwd: dir });
        expect(ours.code).toBe(0);
        expect(ours.stdout).toBe(gnu.stdout);
      }
    });
  }
});

describe('d1 nm', () => {
  it('lists a .dasm source (assembled first), locals in lower case', () => {
    const r = d1(['nm', join(PROGRAMS, 'fib.dasm')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^0000000000001[0-9a-f]{3} T _start$/m);
    expect(r.stdout).toMatch(/^[0-9a-f]{16} t fib_rec$/m);
    expect(r.stdout).toMatch(/^0000000000000040 a SYS_WRITE$/m);
  });
});
