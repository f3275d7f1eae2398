// gcc compatibility (gcc-riscv64-unknown-elf, qemu-user): freestanding C programs from programs/c/
// compiled by riscv64-unknown-elf-gcc -O2 -S and assembled by d1 as must run on d1 exactly like the same
// program built entirely by GNU and run on qemu-riscv64; d1 run also runs the GNU-built ELF. Outputs are
// checked against programs/c/<name>.expected (made by the GNU build on QEMU). gcc -g output (`.file`, `.loc`,
// debugging sections) assembles too, and d1's line table maps each instruction to the C line GNU as does.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { readElf } from '../../assembler/elf/read.js';
import { d1, gnuBuild, missing, PROGRAMS, sh, tempDir } from '../helpers/tools.js';
import { lineAt } from '../assembler/elf/gnu.js';

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

const debugSkip = missing('gcc', 'gnuAs');
describe.skipIf(debugSkip !== '')(`gcc -g output gets GNU as's line table${debugSkip}`, () => {
  for (const name of NAMES) {
    it(`${name}.c: every instruction of every function has the C line GNU as gives it; d1 objdump -S shows it`, () => {
      const dir = tempDir(`d1-gcc-g-${name}-`);
      for (const debug of ['-gdwarf-4', '-gdwarf-5']) {
        for (const opt of ['-O0', '-O2']) {
          const asm = join(dir, `${name}${debug}${opt}.s`);
          const s = sh('riscv64-unknown-elf-gcc', [...GCC.filter((f) => f !== '-O2'), opt, debug, '-S', '-o', asm, join(C, `${name}.c`)]);
          expect(s.status, s.stderr).toBe(0);
          const { image, diagnostics } = assemble([{ path: asm }]);
          expect(diagnostics).toEqual([]);
          const built = gnuBuild(readFileSync(asm, 'latin1'), dir);
          if (built.error) throw new Error(built.error);
          const r = readElf(new Uint8Array(readFileSync(built.elf!)), built.elf!);
          if (!('image' in r)) throw new Error(r.diagnostics[0]!.message);
          // GNU ld orders .text.startup first: compare function by function.
          const diffs: string[] = [];
          const funcs = image!.symbols.filter((f) => f.type === 'func' && f.size > 0);
          expect(funcs.length).toBeGreaterThan(2);
          for (const f of funcs) {
            const g = r.image.symbols.find((x) => x.name === f.name)!;
            for (let off = 0n; off < BigInt(f.size); off += 4n) {
              const ours = lineAt(image!.lines, f.value + off);
              const gnu = lineAt(r.image.lines, g.value + off);
              if (ours !== gnu) diffs.push(`${debug} ${opt} ${f.name}+${off}: d1 ${ours}, GNU ${gnu}`);
            }
          }
          expect(diffs.slice(0, 10)).toEqual([]);
        }
      }
      const elf = join(dir, `${name}.elf`);
      expect(d1(['as', join(dir, `${name}-gdwarf-5-O2.s`), '-o', elf]).code).toBe(0);
      const listing = d1(['objdump', '-d', '-S', elf]).stdout;
      const main = readFileSync(join(C, `${name}.c`), 'latin1').split('\n').find((l) => /^(int|void) main\(/.test(l))!;
      expect(listing).toContain(main);
    });
  }
});
