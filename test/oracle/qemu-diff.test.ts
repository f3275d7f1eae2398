// Differential test against QEMU (qemu-user): seeded random RV64IM programs, assembled once by d1 as
// into one ELF per batch, run by d1 and by qemu-riscv64; their register dumps and exit codes must be
// identical. 10,000 programs by default; D1_QEMU_PROGRAMS=N asks for more (or fewer).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { writeElf } from '../../assembler/elf/write.js';
import { ABI_NAMES } from '../../isa/registers.js';
import { runProgram } from '../../emulator/host/run.js';
import { DUMP_BYTES, ProgramGenerator } from '../gen/random-program.js';
import { missing, sh, tempDir } from '../helpers/tools.js';

const skip = missing('qemu');
const TOTAL = Number(process.env['D1_QEMU_PROGRAMS'] ?? 10_000);
const BATCH = 250;
const SEED = 20261123;

describe.skipIf(skip !== '')(`d1 run matches qemu-riscv64${skip}`, () => {
  it(`on ${TOTAL} random RV64IM programs (seed ${SEED})`, async () => {
    const gen = new ProgramGenerator(SEED);
    const dir = tempDir('d1-qemu-');
    let checked = 0;
    for (let first = 0; first < TOTAL; first += BATCH) {
      const count = Math.min(BATCH, TOTAL - first);
      const { text, programs } = gen.file(first, count);
      const { image, diagnostics } = assemble([{ path: join(dir, 'batch.s'), text }]);
      expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`)).toEqual([]);
      const elf = join(dir, `batch${first}.elf`);
      writeFileSync(elf, writeElf(image!), { mode: 0o755 });

      const q = sh('qemu-riscv64', [elf]);
      const chunks: Buffer[] = [];
      const r = await runProgram(image!, { stdout: { write: (b: Uint8Array | string) => chunks.push(Buffer.from(b as Uint8Array)) }, stderr: process.stderr });
      const ours = Buffer.concat(chunks);
      const theirs = Buffer.from(q.stdout, 'latin1');
      if (!ours.equals(theirs) || r.exitCode !== q.status) {
        const at = [...ours].findIndex((b, i) => b !== theirs[i]);
        const k = Math.floor(Math.max(0, at) / DUMP_BYTES);
        const reg = Math.floor((Math.max(0, at) % DUMP_BYTES) / 8) + 1;
        const file = join(dir, `failing-program-${first + k}.s`);
        writeFileSync(file, programs[k] ?? text);
        const word = (b: Buffer) => (b.length >= at + 8 ? b.readBigUInt64LE(at - (at % 8)).toString(16) : 'missing');
        expect.fail(
          `program ${first + k} (seed ${SEED}) differs in x${reg} (${ABI_NAMES[reg]}): d1 ${word(ours)}, qemu ${word(theirs)}; ` +
            `exit codes d1 ${r.exitCode}, qemu ${q.status}; program written to ${file}`,
        );
      }
      checked += count;
    }
    expect(checked).toBe(TOTAL);
  });
});
