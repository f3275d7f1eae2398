// csmith differential corpus (csmith, gcc-riscv64-unknown-elf, qemu-user): random C programs made by
// csmith from seeds derived from one base seed, compiled by riscv64-unknown-elf-gcc -S at -O0, -O1, -O2,
// -Os and -O3, each with and without -g (medlow and medany on alternate programs, and in turn options that
// change the form of the assembly: EXTRA). d1 as + d1 run of that assembly (the functions the CLI
// calls, here in this process) must print what the GNU build of the same assembly (gcc driving GNU as and
// ld, as in gcc-compat.test.ts) prints on qemu-riscv64, with the same exit code. The programs include
// programs/c/csmith.h, a freestanding stand-in for csmith's runtime, and print csmith's checksum.
// A csmith program may loop for ever: a case whose d1 build runs past LIMIT instructions is run again
// from the GNU build on d1; when that too runs past the limit, the program is discarded (its remaining
// cases are not run), deterministically. qemu gets a timeout only as a guard against hanging the suite.
// D1_CSMITH=N runs N cases (default 300), D1_CSMITH_SEED=S changes the base seed.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { readElf } from '../../assembler/elf/read.js';
import { writeElf } from '../../assembler/elf/write.js';
import { runProgram, type RunResult } from '../../emulator/host/run.js';
import { missing, PROGRAMS, tempDir } from '../helpers/tools.js';

const CSMITH_INCLUDE = '/usr/include/csmith';
const skip = missing('csmith', 'gcc', 'gnuAs', 'qemu') || (existsSync(join(CSMITH_INCLUDE, 'safe_math.h')) ? '' : ` (skipped: ${CSMITH_INCLUDE}/safe_math.h is missing; install the Debian package libcsmith-dev)`);
const CASES = Number(process.env['D1_CSMITH'] ?? 300);
const SEED = Number(process.env['D1_CSMITH_SEED'] ?? 20260412);
const LIMIT = 20_000_000n;
const QEMU_TIMEOUT_MS = 120_000;
const WORKERS = 3; // programs in flight: gcc and qemu run in child processes while d1 runs here

const CSMITH = ['--no-argc', '--max-funcs', '4', '--max-block-depth', '3', '--max-expr-complexity', '6', '--quiet', '--concise'];
const ARCH = ['-march=rv64im', '-mabi=lp64', '-ffreestanding', '-mno-relax'];
const CC = [...ARCH, '-w', '-I', join(PROGRAMS, 'c'), '-idirafter', CSMITH_INCLUDE];
const LINK = [...ARCH, '-Wl,--no-relax', '-nostdlib', '-static'];
const FLAGS = ['-O0', '-O1', '-O2', '-Os', '-O3'].flatMap((o) => [[o], [o, '-g']]);
/** Options that change the form of gcc's assembly, one set a pair of programs, in turn. */
const EXTRA = [[], ['-mno-explicit-relocs'], ['-fcommon', '-fno-zero-initialized-in-bss'], ['-ffunction-sections', '-fdata-sections'], ['-fPIC'], ['-mno-strict-align'], ['-fverbose-asm']];

/** The csmith seed of program i: a bijective 32-bit mix of the base seed and i. */
function programSeed(i: number): number {
  let h = (SEED + Math.imul(i + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

interface Proc {
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function run(cmd: string, args: string[], opts: { timeout?: number; cwd?: string } = {}): Promise<Proc> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'latin1', maxBuffer: 64 << 20, timeout: 300_000, ...opts }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ status, stdout, stderr, timedOut: !!err?.killed });
    });
  });
}

/** d1 run of an ELF file's bytes, at most LIMIT instructions. */
async function d1Run(bytes: Uint8Array, path: string): Promise<{ out: string; err: string; r: RunResult } | { error: string }> {
  const elf = readElf(bytes, path);
  if (!('image' in elf)) return { error: `d1 cannot read ${path}: ${elf.diagnostics[0]?.message}` };
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (to: Buffer[]) => ({ write: (b: Uint8Array | string) => to.push(Buffer.from(b as Uint8Array)) });
  const r = await runProgram(elf.image, { maxInstructions: LIMIT, stdout: sink(out), stderr: sink(err) });
  return { out: Buffer.concat(out).toString('latin1'), err: Buffer.concat(err).toString('latin1'), r };
}

/** Remove the files of a case that passed or was discarded. */
const drop = (name: string) => ['.s', '.elf', '.gnu.elf'].forEach((ext) => rmSync(`${name}${ext}`, { force: true }));

const show = (s: string) => JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}...` : s);

describe.skipIf(skip !== '')(`csmith programs: gcc -S | d1 as | d1 run prints what the GNU build prints on qemu${skip}`, () => {
  it(`${CASES} (program, flags) cases from base seed ${SEED}`, async () => {
    const dir = tempDir('d1-csmith-');
    const programs = Math.ceil(CASES / FLAGS.length);
    const failures: { program: number; text: string }[] = [];
    let discarded = 0;
    let notRun = 0;
    const started = Date.now();

    /** Check the cases of program i; failures are collected, the files of failing cases kept. */
    async function program(i: number): Promise<void> {
      const seed = programSeed(i);
      const options = [`-mcmodel=${i % 2 === 0 ? 'medlow' : 'medany'}`, ...EXTRA[Math.floor(i / 2) % EXTRA.length]!];
      const flagSets = FLAGS.slice(0, Math.min(FLAGS.length, CASES - i * FLAGS.length));
      const c = join(dir, `s${seed}.c`);
      const fail = (text: string) => failures.push({ program: i, text: `csmith --seed ${seed} ${text} (files in ${dir})` });
      const gen = await run('csmith', ['--seed', String(seed), ...CSMITH, '-o', c], { cwd: dir }); // it writes platform.info there
      if (gen.status !== 0) return void fail(`failed: ${gen.stderr}`);
      let clean = true;
      for (const [k, flags] of flagSets.entries()) {
        const name = join(dir, `s${seed}${flags.join('')}`);
        const what = [...flags, ...options].join(' ');
        const s = await run('riscv64-unknown-elf-gcc', [...CC, ...options, ...flags, '-S', '-o', `${name}.s`, c]);
        if (s.status !== 0) {
          clean = false;
          fail(`${what}: gcc -S failed: ${s.stderr.slice(0, 500)}`);
          continue;
        }
        const gnuElf = `${name}.gnu.elf`;
        const link = await run('riscv64-unknown-elf-gcc', [...LINK, '-o', gnuElf, `${name}.s`]);
        if (link.status !== 0) {
          clean = false;
          fail(`${what}: the GNU build failed: ${link.stderr.slice(0, 500)}`);
          continue;
        }
        const { image, diagnostics } = assemble([{ path: `${name}.s` }]);
        if (!image || diagnostics.length > 0) {
          clean = false;
          fail(`${what}: d1 as ${name}.s: ${diagnostics.slice(0, 3).map((d) => `${d.line}: ${d.message}`).join('; ')}`);
          continue;
        }
        const bytes = writeElf(image);
        writeFileSync(`${name}.elf`, bytes, { mode: 0o755 });
        const ours = await d1Run(bytes, `${name}.elf`);
        if ('error' in ours) {
          clean = false;
          fail(`${what}: ${ours.error}`);
          continue;
        }
        if (ours.r.outcome.kind === 'limit') {
          const theirs = await d1Run(new Uint8Array(readFileSync(gnuElf)), gnuElf);
          if (!('error' in theirs) && theirs.r.outcome.kind === 'limit') {
            drop(name);
            discarded++;
            notRun += flagSets.length - k;
            break;
          }
          clean = false;
          fail(`${what}: d1's build ran past ${LIMIT} instructions, the GNU build did not on d1: ${'error' in theirs ? theirs.error : `exit ${theirs.r.exitCode}`}`);
          continue;
        }
        const q = await run('qemu-riscv64', [gnuElf], { timeout: QEMU_TIMEOUT_MS });
        if (q.timedOut) {
          clean = false;
          fail(`${what}: qemu did not finish in ${QEMU_TIMEOUT_MS / 1000} s; d1 finished in ${ours.r.stats.instructions} instructions`);
        } else if (ours.out !== q.stdout || ours.err !== q.stderr || ours.r.exitCode !== q.status) {
          clean = false;
          fail(
            `${what}: d1 printed ${show(ours.out)} (stderr ${show(ours.err)}) and exited ${ours.r.exitCode} (${ours.r.outcome.kind}); ` +
              `the GNU build on qemu printed ${show(q.stdout)} (stderr ${show(q.stderr)}) and exited ${q.status}`,
          );
        } else drop(name);
      }
      if (clean) rmSync(c, { force: true });
    }

    let next = 0;
    const worker = async () => {
      while (next < programs) await program(next++);
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));

    const ran = CASES - notRun;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `csmith corpus (base seed ${SEED}): ${programs} programs, ${ran} cases run, ${discarded} programs discarded ` +
        `(the GNU build runs past ${LIMIT} instructions; ${notRun} cases not run), ${failures.length} failures, ${seconds} s`,
    );
    if (failures.length === 0) rmSync(dir, { recursive: true, force: true });
    failures.sort((a, b) => a.program - b.program);
    expect(failures.map((f) => f.text).slice(0, 20)).toEqual([]);
    // Most csmith programs end: a corpus that discards most of them checks little.
    if (programs >= 10) expect(discarded).toBeLessThan(programs / 2);
  });
});
