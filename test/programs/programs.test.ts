// The example programs, end to end: assembled from programs/*.dasm and run; output, exit code,
// instruction and cycle counts must equal programs/golden/<name>.json. The golden outputs were checked
// against independent references when they were made: the same sources assembled by GNU as and run on
// qemu-riscv64 (also done here when those are installed), and Python's zlib.crc32 and plain integer
// arithmetic for crc32, matmul and sort. Refresh with D1_UPDATE_GOLDEN=1 only after such a check.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { runProgram } from '../../emulator/host/run.js';

const PROGRAMS = fileURLToPath(new URL('../../programs/', import.meta.url));
const NAMES = ['hello', 'fib', 'sort', 'crc32', 'matmul'];
const UPDATE = process.env['D1_UPDATE_GOLDEN'] === '1';
const have = (t: string) => spawnSync(t, ['--version'], { stdio: 'ignore' }).status === 0;
const GNU = have('riscv64-unknown-elf-as') && have('qemu-riscv64');

interface Golden {
  stdout: string;
  exitCode: number;
  instructions: number;
  cycles: number;
}

async function run(name: string) {
  const path = join(PROGRAMS, `${name}.dasm`);
  const { image, diagnostics } = assemble([{ path }]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  let out = '';
  const stdout = { write: (s: string | Uint8Array) => ((out += typeof s === 'string' ? s : Buffer.from(s).toString('latin1')), true) };
  const r = await runProgram(image!, { stdout: stdout as unknown as NodeJS.WritableStream, stderr: process.stderr });
  return { stdout: out, exitCode: r.exitCode, instructions: Number(r.stats.instructions), cycles: Number(r.stats.cycles) };
}

describe('programs', () => {
  for (const name of NAMES) {
    it(`${name} matches its golden output`, async () => {
      const got = await run(name);
      const file = join(PROGRAMS, 'golden', `${name}.json`);
      if (UPDATE || !existsSync(file)) writeFileSync(file, `${JSON.stringify(got, null, 2)}\n`);
      const golden = JSON.parse(readFileSync(file, 'utf8')) as Golden;
      expect(got).toEqual(golden);
    });

    it(`${name} is deterministic: a second run gives the same counts`, async () => {
      expect(await run(name)).toEqual(await run(name));
    });

    it.skipIf(!GNU)(`${name}: GNU as + qemu-riscv64 print the same${GNU ? '' : ' (skipped: install binutils-riscv64-unknown-elf and qemu-user)'}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'd1-prog-'));
      const as = spawnSync('riscv64-unknown-elf-as', ['-march=rv64im', '-mno-relax', `${name}.dasm`, '-o', join(dir, 'p.o')], { cwd: PROGRAMS, encoding: 'utf8' });
      expect(as.stderr).toBe('');
      const ld = spawnSync('riscv64-unknown-elf-ld', ['-Ttext=0x1000', join(dir, 'p.o'), '-o', join(dir, 'p')], { encoding: 'utf8' });
      expect(ld.stderr).toBe('');
      const q = spawnSync('qemu-riscv64', [join(dir, 'p')], { encoding: 'latin1' });
      const ours = await run(name);
      expect(ours.stdout).toBe(q.stdout);
      expect(ours.exitCode).toBe(q.status);
    });
  }
});
