// d1 objdump against GNU objdump -d -M no-aliases on the same GNU-built ELF: for the whole generated
// corpus (every instruction, boundary operands), every line's address, word, mnemonic and operands must
// agree (GNU's trailing `# address` comments aside).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readElf } from '../../assembler/elf/read.js';
import { listing } from '../../objdump/objdump.js';
import { instructionCorpus } from '../gen/corpus.js';
import { gnuBuild, missing, sh, tempDir } from '../helpers/tools.js';

const skip = missing('gnuAs');

const insnLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => /^\s+[0-9a-f]+:\t/.test(l))
    .map((l) => l.replace(/\s+#.*$/, '').replace(/\s+$/, ''));

/** GNU names CSRs d1 does not define (ustatus, ...) and d1 names its own (coreid, ...): compare CSR
 * instructions without the CSR operand. GNU also prints its canonical `unimp` word by that name. */
function comparable(line: string): string {
  const m = /^(.*\t)(csrr[swc]i?)\t([^,]+),([^,]+),(.*)$/.exec(line);
  return m ? `${m[1]}${m[2]}\t${m[3]},<csr>,${m[5]}` : line;
}

describe.skipIf(skip !== '')(`d1 objdump -M no-aliases agrees with GNU objdump${skip}`, () => {
  it('on every line of the instruction corpus', () => {
    const dir = tempDir('d1-objdump-');
    const gnu = gnuBuild(instructionCorpus(5), dir);
    expect(gnu.error).toBeUndefined();
    const theirs = insnLines(sh('riscv64-unknown-elf-objdump', ['-d', '-M', 'no-aliases', gnu.elf!]).stdout);
    const r = readElf(new Uint8Array(readFileSync(gnu.elf!)), gnu.elf!);
    if (!('image' in r)) throw new Error(r.diagnostics[0]!.message);
    const ours = insnLines(listing(r.image, 'gnu.elf', { aliases: false, source: false }));
    expect(ours.length).toBe(theirs.length);
    const diffs = ours
      .map((l, k) => [comparable(l), comparable(theirs[k]!)])
      .filter(([a, b]) => a !== b && !(b!.endsWith('\tunimp') && a!.includes('c0001073')));
    expect(diffs.slice(0, 10)).toEqual([]);
  });
});
