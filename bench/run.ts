// `npm run bench`: performance figures, each with a reference measured in the same run on the same
// input: emulator MIPS against qemu-riscv64, assembler lines/s against GNU as, start-up time of
// `d1 run hello`, the bf16 GEMM's emulated MACs/s against a JS GEMM, the playground in Chromium against
// the command line. Prints a table (and `--json`).
// Targets (issue 11, on a 2-core machine): single core >= 0.5x qemu-riscv64 (geometric mean of five
// kernels), >= 1.0x with --no-timing; a die >= 0.9x one core; the sparse tile 20x faster than before the
// block compiler; GEMM >= 5 G MAC/s; `d1 run hello` < 0.3 s; a die < 1 GB, a tile < 4 GB; the assembler
// (issue 12) >= 1.0x GNU as in lines/s. Figures, not pass/fail: the tests do not time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { assemble } from '../assembler/index.js';
import { writeElf } from '../assembler/elf/write.js';
import type { Image } from '../assembler/image.js';
import { packageRoot } from '../cli/root.js';
import { runProgram } from '../emulator/host/run.js';
import { Session } from '../debugger/session.js';
import { generateAsm } from './gen-asm.js';
import { generateC } from './gen-c.js';
import { D1_DIE } from '../emulator/presets.js';
import { oneCore } from '../emulator/host/mesh.js';
import { simdGemm } from './simd-gemm.js';
import { inlineIncludes, pageMips } from './web.js';

interface Row {
  name: string;
  value: number;
  unit: string;
  reference?: { name: string; value: number };
  ratio?: number;
  target?: string;
}

const root = packageRoot();
const tmp = mkdtempSync(join(tmpdir(), 'd1-bench-'));
const rows: Row[] = [];
const json = process.argv.includes('--json');

function have(tool: string): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The fastest of `runs` calls of fn, in seconds. */
async function bestOf(runs: number, fn: () => unknown): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return best;
}

function timeCommand(cmd: string, args: string[], runs = 3): Promise<number> {
  return bestOf(runs, () => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0 && r.status !== null && cmd !== 'qemu-riscv64') throw new Error(`${cmd} failed: ${r.stderr}`);
  });
}

function build(name: string, text: string): Image {
  const { image, diagnostics } = assemble([{ path: join(root, 'programs', `${name}.bench.dasm`), text }]);
  if (!image) throw new Error(`${name}: ${diagnostics.map((d) => d.message).join('; ')}`);
  return image;
}

const sink = { write: () => true };

/** Single-core workloads: with the cycle model and without (--no-timing), against qemu-riscv64 on the
 * same ELF; and the interpreter alone (no block compiler) for the first. Their ratios are kept for the
 * geometric means. */
const ratios: { timed: number[]; untimed: number[] } = { timed: [], untimed: [] };

async function emulatorWorkload(name: string, program: string, knobs: string, interpreter = false): Promise<number> {
  const image = build(name, `${knobs}\n        .include "${program}.dasm"\n`);
  const elf = join(tmp, `${name}.elf`);
  writeFileSync(elf, writeElf(image), { mode: 0o755 });
  const q = have('qemu-riscv64') ? await timeCommand('qemu-riscv64', [elf]) : undefined;
  let timedMips = 0;
  const modes: ('timed' | 'untimed' | 'interpreter')[] = ['timed', 'untimed', ...(interpreter ? (['interpreter'] as const) : [])];
  for (const mode of modes) {
    let instructions = 0;
    const best = await bestOf(3, async () => {
      const machine = oneCore({ timing: mode !== 'untimed', jit: mode !== 'interpreter' });
      instructions = Number((await runProgram(image, { stdout: sink, stderr: sink }, machine)).stats.instructions);
    });
    const mips = instructions / best / 1e6;
    const label = mode === 'timed' ? '' : mode === 'untimed' ? ', --no-timing' : ', interpreter alone';
    const row: Row = { name: `emulator: ${name}${label} (${(instructions / 1e6).toFixed(0)} M instructions)`, value: mips, unit: 'MIPS' };
    if (mode === 'timed') timedMips = mips;
    if (mode === 'interpreter') {
      row.reference = { name: 'block compiler', value: timedMips };
      row.ratio = mips / timedMips;
    } else if (q !== undefined) {
      const qmips = instructions / q / 1e6;
      row.reference = { name: 'qemu-riscv64', value: qmips };
      row.ratio = mips / qmips;
      ratios[mode].push(row.ratio);
    }
    rows.push(row);
  }
  return timedMips;
}

/** The bf16 GEMM: emulated multiply-accumulates per second against a plain JS GEMM of the same size
 * and formats (bf16 inputs, fp32 accumulation) run in this process. Target: ratio >= 0.25.
 * Side by side in one session (2 CPUs shared with other work, old and new builds alternated, this
 * workload's runs after a warm-up of the core): warm 4.19-4.56 G MAC/s before vld and the bitwise
 * instructions became WebAssembly and mma stopped widening operands it had widened already, 4.62-4.91 G
 * after (+8-9%), the wasm SIMD GEMM 7.4-8.1 G in the quieter rounds; the best of the first two runs
 * swung with the engine's background compiling (0.4-1.3 G either way on that loaded machine). What is
 * left of a warm run: mma's binary64 arithmetic ~55%, the compiled blocks' own code ~22% (vld copies,
 * mma calls, stretch entries and exits), the interpreter ~5% (pack_a: 192 passes a run, never hot
 * enough within one), lane operations called from blocks ~4%, instantiating the blocks ~3%. */
async function gemmWorkload(): Promise<void> {
  const repeat = 6;
  const image = build('gemm', `.equ REPEAT, ${repeat}\n        .include "gemm.dasm"\n`);
  let vector = 0;
  const best = await bestOf(2, async () => {
    vector = (await runProgram(image, { stdout: sink, stderr: sink })).core.model().vectorInsns;
  });
  const n = 256;
  const macs = n * n * n * repeat;
  // The reference: bf16 bits widened to fp32 by a shift, fp32 products and sums.
  const a = new Uint16Array(n * n).map((_, i) => 0x3f80 + (i % 97));
  const b = new Uint16Array(n * n).map((_, i) => 0xbf00 + (i % 89));
  const wide = new Uint32Array(1);
  const f = new Float32Array(wide.buffer);
  const toF = (h: number) => ((wide[0] = h << 16), f[0]!);
  const ref = await bestOf(3, () => {
    const bf = Float32Array.from(b, toF);
    const c = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        const x = toF(a[i * n + k]!);
        for (let j = 0; j < n; j++) c[i * n + j] = Math.fround(c[i * n + j]! + Math.fround(x * bf[k * n + j]!));
      }
    }
  });
  const value = macs / best;
  rows.push({ name: `emulator: gemm.dasm 256^3 bf16 x${repeat} (MACs/s)`, value, unit: 'MAC/s', reference: { name: 'JS GEMM', value: (n * n * n) / ref }, ratio: value / ((n * n * n) / ref), target: '>= 5 G MAC/s' });
  const simd = simdGemm(n, a, b, 3);
  rows.push({ name: 'emulator: gemm.dasm against a plain wasm SIMD GEMM (MACs/s)', value, unit: 'MAC/s', reference: { name: 'wasm SIMD GEMM', value: (n * n * n) / simd.seconds }, ratio: value / ((n * n * n) / simd.seconds) });
  rows.push({ name: 'emulator: vector instructions (gemm.dasm)', value: vector / best, unit: 'insn/s' });
  // The same once its compiled code is warm: the two runs above include compiling the kernel and the
  // engine optimizing that code in the background (on a 2-core machine, next to the run).
  const warm = await bestOf(6, () => runProgram(image, { stdout: sink, stderr: sink }));
  rows.push({ name: 'emulator: gemm.dasm, compiled code warm (best of 6 more runs)', value: macs / warm, unit: 'MAC/s', reference: { name: 'wasm SIMD GEMM', value: (n * n * n) / simd.seconds }, ratio: macs / warm / ((n * n * n) / simd.seconds) });
}

/** Running under the debugger (breakpoints set but not hit, snapshots for reverse execution) against the
 * plain run of the same program; how long one `stepi` takes; going back on a die. Target: at most 2x the
 * plain run. */
async function debuggerWorkload(): Promise<void> {
  const image = build('crc32-debug', '.equ LEN, 262144\n.equ REPEAT, 200\n        .include "crc32.dasm"\n');
  const plain = await bestOf(2, () => runProgram(image, { stdout: sink, stderr: sink }));
  const debugged = await bestOf(2, () => {
    const s = new Session(image, { stdout: sink, stderr: sink });
    s.addBreakpoint(image.symbols.find((x) => x.name === 'print_u64')!.value + 0x100000n, 'never'); // armed, never reached
    const stop = s.continue();
    if (stop.kind !== 'exit') throw new Error(`debugger benchmark: ${stop.kind}`);
  });
  const s = new Session(image, { stdout: sink, stderr: sink });
  s.stepi(1_000_000n);
  const step = ((await bestOf(2, () => {
    for (let k = 0; k < 100; k++) s.stepi(1n);
  })) * 1000) / 100; // ms per stepi
  rows.push({ name: 'debugger: crc32 under d1 debug, no breakpoint hit (s)', value: debugged, unit: 's', reference: { name: 'plain run', value: plain }, ratio: debugged / plain, target: '<= 2x the plain run' });
  rows.push({ name: 'debugger: one stepi (ms)', value: step, unit: 'ms', target: '< 50 ms' });
  // on a die: the selected core steps; every 256 cycles the other 353 cores run their window
  const die = new Session(build('crc32-die', '.equ LEN, 4096\n.equ REPEAT, 1\n        .include "crc32.dasm"\n'), { stdout: sink, stderr: sink }, undefined, D1_DIE);
  die.stepi(1000n);
  let worst = 0;
  const dieStep = ((await bestOf(2, () => {
    for (let k = 0; k < 1000; k++) {
      const t = performance.now();
      die.stepi(1n);
      worst = Math.max(worst, performance.now() - t);
    }
  })) * 1000) / 1000;
  rows.push({ name: 'debugger: one stepi on a die, mean (ms)', value: dieStep, unit: 'ms', target: '< 50 ms' });
  rows.push({ name: 'debugger: one stepi on a die, slowest of 2000 (ms)', value: worst, unit: 'ms', target: '< 50 ms' });
  // reverse-continue on a die: from the end of crc32 on every core back to (0,0)'s call of crc32 on the data,
  // some 1 M cycles before; and what the checkpoints held by then
  const rc = new Session(build('crc32-die-reverse', '.equ LEN, 65536\n.equ REPEAT, 1\n        .include "crc32.dasm"\n'), { stdout: sink, stderr: sink }, undefined, D1_DIE);
  rc.addBreakpoint(rc.image.symbols.find((x) => x.name === 'crc32')!.value, 'crc32', false, 0);
  rc.continue(); // crc32 of the check string
  rc.continue(); // of the data
  const hit = rc.machine!.cycles;
  if (rc.continue().kind !== 'exit') throw new Error('debugger benchmark: crc32 on a die did not exit');
  const held = rc.meshHistory!.bytes();
  const back = performance.now();
  const stop = rc.reverseContinue();
  const reverse = (performance.now() - back) / 1000;
  if (stop.kind !== 'breakpoint' || rc.machine!.cycles !== hit) throw new Error('debugger benchmark: reverse-continue on a die did not land on the hit');
  rows.push({ name: 'debugger: reverse-continue on a die, back ~1 M cycles (s)', value: reverse, unit: 's', target: '< 5 s' });
  rows.push({ name: 'debugger: checkpoints on a die at the end of that run (MB)', value: held / 1e6, unit: 'MB', target: '< 1 GB' });
}

/** The assembler against GNU as (issue 12), lines per second, on a generated file and on gcc output (a
 * generated C program, gcc -S -O2 -g): end to end as a user runs it (`d1 as` with Node's start-up,
 * against `riscv64-unknown-elf-as`), and in this process (assemble and writeElf, after a warm-up run).
 * The generated file is as large as fits the SRAM (d1 as links). Target: >= 1.0x GNU as.
 * On the 2-core machine, before and after issue 12 (GNU as: 0.84 to 1.15 M lines/s): generated, 184 k
 * -> 257 k lines/s end to end, 261 k -> 415 k in process; gcc output, 175 k -> 391 k end to end,
 * 253 k -> 727 k in process. A second pass (GNU as 0.88 to 1.28 M lines/s; best of 10, side by side):
 * generated 270 k -> 363 k end to end, 571 k -> 775 k in process; gcc output 443 k -> 532 k end to
 * end, 999 k -> 1,174 k in process. End to end, Node's start-up and the JIT's first compiles (a third
 * of the instructions of a 50 k-line run) are most of what is left. A third pass (fastWord encodes `li`
 * of a 32-bit value, words and field bits stay small integers, one shape for the ISA table's entries, an
 * ASCII source is not UTF-8 decoded; old and new builds side by side, best of 7-10, on a VM loaded by
 * other work): generated, in process 808 k -> 1,098 k lines/s (GNU as 897 k: 0.90x -> 1.22x; in a
 * quieter minute 1,027 k -> 1,230 k against 914 k, 1.12x -> 1.35x), end to end 182 k -> 209 k (240 k ->
 * 263 k); gcc output unchanged (1.24-1.27 M in process against GNU's 0.70 M, ~410 k end to end). In
 * process, what is left is the general path's objects for each label and branch (statement, operands,
 * machine operation, frags: a quarter of such a line's time is the collector's) and a map insert for
 * each label; end to end, Node's start-up and module loading (~0.22 s for a one-line file, GNU as
 * 0.015 s) and the first run's cold JIT (2-3x a warm run). */
async function assemblerWorkload(lines: number, functions: number): Promise<void> {
  const inputs: { what: string; file: string }[] = [];
  const generated = join(tmp, 'big.s');
  writeFileSync(generated, generateAsm(lines));
  inputs.push({ what: 'generated', file: generated });
  if (have('riscv64-unknown-elf-gcc')) {
    const c = join(tmp, 'big.c');
    writeFileSync(c, generateC(functions));
    const gcc = join(tmp, 'gcc.s');
    const r = spawnSync('riscv64-unknown-elf-gcc', ['-S', '-O2', '-g', '-march=rv64im', '-mabi=lp64', '-ffreestanding', '-w', c, '-o', gcc], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gcc -S of the benchmark program failed: ${r.stderr}`);
    inputs.push({ what: 'gcc -O2 -g output', file: gcc });
  }
  const gnu = have('riscv64-unknown-elf-as');
  for (const { what, file } of inputs) {
    const text = readFileSync(file, 'utf8');
    const n = text.split('\n').length - 1;
    const label = `assembler: ${what}, ${n.toLocaleString('en-US')} lines`;
    const g = gnu ? n / (await timeCommand('riscv64-unknown-elf-as', ['-march=rv64im_zicsr_zifencei', '-mno-relax', file, '-o', join(tmp, 'big.o')])) : undefined;
    const endToEnd = n / (await timeCommand(process.execPath, [join(root, 'bin', 'd1.js'), 'as', file, '-o', join(tmp, 'big.elf')]));
    const once = () => {
      const { image, diagnostics } = assemble([{ path: file, text }]);
      if (!image) throw new Error(`assembler benchmark input rejected: ${diagnostics[0]?.message}`);
      writeElf(image);
    };
    once(); // a warm-up run for the JIT
    const inProcess = n / (await bestOf(3, once));
    for (const [how, value] of [['end to end', endToEnd], ['in process', inProcess]] as const) {
      const row: Row = { name: `${label}, ${how} (lines/s)`, value, unit: 'lines/s', target: '>= 1.0x GNU as' };
      if (g !== undefined) {
        row.reference = { name: 'GNU as', value: g };
        row.ratio = value / g;
      }
      rows.push(row);
    }
  }
}

/** Aggregate emulated instructions per second of a compute-bound kernel on every core of a machine, with
 * 1 and 2 worker threads, and the peak memory of the process (each run in a process of its own, the
 * better of two). The die runs its kernel 64 times (about 7.5 G instructions, so that the block
 * compiler's warm-up in a fresh process, on each lane, counts little), on one thread and on two lanes
 * (emulator/host/lanes.ts), and once (190 M: a short run, warm-up included); the tile 16 times (3.1 G).
 * The long die run is also set against one core doing all of its work (the same kernel, 354 x 64 times)
 * in a process of its own. Targets: die >= 0.9x the single-core MIPS, with 2 lanes >= 1.6x one, die < 1
 * GB, the tile runs.
 * On this VM a first touch of a page costs 15-30 us (a fault the hypervisor serves too), so the pages a
 * core touches count: a core touching 14 pages of its block, not 19-39 (docs/machine.md, "Pages a core
 * touches"), took the die from 13,817 pages to 7,793 and, side by side with the build before, the sparse
 * tile from 1.57-1.71 s to 0.86-0.92 s, the tile from 697-710 to 775-795 MIPS; what is left of the
 * die's gap to one core is mostly its 354 cores' own data pages (one core doing the same work touches
 * its data once). */
function meshWorkloads(singleCoreMips: number): void {
  const runs: { machine: string; len: string; repeat: number; what?: string }[] = [
    { machine: 'mesh', len: '262144', repeat: 1 },
    { machine: 'die', len: '32768', repeat: 64 },
    { machine: 'die', len: '32768', repeat: 1, what: 'short run' },
    { machine: 'tile', len: '2048', repeat: 16 },
  ];
  // the better of two runs, each in a process of its own (the figures of this 2-CPU VM vary by up to a
  // third from one run to the next; both sides of each ratio are measured the same way)
  const once = (machine: string, workers: number, len: string, repeat: number) => {
    const r = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'mesh.js'), machine, String(workers), len, String(repeat)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`mesh ${machine}: ${r.stderr}`);
    return JSON.parse(r.stdout) as { mips: number; maxRssBytes: number; cores: number; instructions: number };
  };
  const measure = (machine: string, workers: number, len: string, repeat: number) => {
    const [a, b] = [once(machine, workers, len, repeat), once(machine, workers, len, repeat)];
    return a.mips >= b.mips ? a : b;
  };
  for (const { machine, len, repeat, what } of runs) {
    const got: Record<number, ReturnType<typeof measure>> = {};
    for (const workers of machine === 'tile' || (machine === 'die' && !what) ? [1, 2] : [1]) got[workers] = measure(machine, workers, len, repeat);
    const one = got[1]!;
    const label = `${machine === 'mesh' ? '4x4 mesh' : machine}${what ? `, ${what}` : ''} (${one.cores} cores, ${(one.instructions / 1e6).toFixed(0)} M instructions)`;
    rows.push({ name: `mesh: ${label}, 1 thread`, value: one.mips, unit: 'MIPS', reference: { name: 'one core', value: singleCoreMips }, ratio: one.mips / singleCoreMips, target: machine === 'die' && !what ? 'ratio >= 0.9' : '' });
    if (machine === 'die' && !what) {
      const alone = measure('one', 1, len, repeat * one.cores);
      rows.push({ name: `mesh: ${label}, against one core running all of it in a process of its own`, value: one.mips, unit: 'MIPS', reference: { name: 'one core', value: alone.mips }, ratio: one.mips / alone.mips, target: 'ratio >= 0.9' });
    }
    if (what) continue;
    if (got[2]) rows.push({ name: `mesh: ${label}, 2 ${machine === 'die' ? 'lanes' : 'worker threads'}`, value: got[2].mips, unit: 'MIPS', reference: { name: '1 thread', value: one.mips }, ratio: got[2].mips / one.mips, target: machine === 'die' ? 'ratio >= 1.6' : 'scaling' });
    if (machine !== 'mesh') rows.push({ name: `mesh: ${machine} peak memory`, value: one.maxRssBytes / 2 ** 20, unit: 'MiB', target: machine === 'die' ? '< 1 GB' : '< 4 GB' });
  }
  // a mostly idle tile: one core reads a word from every other core, one remote load after another
  const r = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'mesh.js'), 'sparse', '1', '0'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`mesh sparse: ${r.stderr}`);
  const sparse = JSON.parse(r.stdout) as { seconds: number; cycles: number };
  rows.push({ name: `mesh: sparse tile (bench/programs/sparse.dasm, ${(sparse.cycles / 1e6).toFixed(1)} M cycles), seconds`, value: sparse.seconds, unit: 's', target: '20x faster than 13.6 s (main before issue 11)' });
}

/** Hostile-input scaling (issue 15): one .byte line of N values and an .irp over N items, at N and 10 N;
 * time should grow about 10x. */
async function scalingWorkload(): Promise<void> {
  const cases: [string, (n: number) => string][] = [
    ['.byte line', (n) => `.byte ${Array(n).fill('1').join(',')}\n`],
    ['.irp list', (n) => `.irp x,${Array(n).fill('1').join(',')}\n .byte \\x\n.endr\n`],
  ];
  for (const [what, make] of cases) {
    const time = (n: number) => {
      const text = make(n);
      return bestOf(2, () => assemble([{ path: join(tmp, 'scale.dasm'), text }]));
    };
    const small = await time(100_000);
    const large = await time(1_000_000);
    rows.push({ name: `assembler: ${what} of 1,000,000 against 100,000 (s)`, value: large, unit: 's', reference: { name: '100,000', value: small }, ratio: large / small, target: 'about 10x (linear)' });
  }
  // the worst case for the expansion budget: a macro that calls itself twice, 2^30 expansions that make nothing
  const wide = '.macro m n\n.if \\n\n m \\n-1\n m \\n-1\n.endif\n.endm\n m 30\n';
  const budget = await bestOf(2, () => assemble([{ path: join(tmp, 'wide.dasm'), text: wide }]));
  rows.push({ name: 'assembler: 2^30 expansions that make nothing, to the expansion budget (s)', value: budget, unit: 's', target: '1-2 s (4-7 s before)' });
}

/** The playground: crc32 in the page (Chromium, a Web Worker) against this process. */
async function webWorkload(): Promise<void> {
  const text = inlineIncludes(root, '.equ LEN, 262144\n.equ REPEAT, 30\n        .include "crc32.dasm"\n');
  const inPage = await pageMips(root, text, 3);
  if (inPage === undefined) return;
  const image = build('crc32-web', text);
  let instructions = 0;
  const best = await bestOf(3, async () => {
    instructions = Number((await runProgram(image, { stdout: sink, stderr: sink })).stats.instructions);
  });
  const cli = instructions / best / 1e6;
  rows.push({ name: `web: crc32 in the playground, Chromium (${(instructions / 1e6).toFixed(0)} M instructions)`, value: inPage, unit: 'MIPS', reference: { name: 'd1 run (Node)', value: cli }, ratio: inPage / cli });
}

async function startup(): Promise<void> {
  const t = await timeCommand(process.execPath, [join(root, 'bin', 'd1.js'), 'run', join(root, 'programs', 'hello.dasm')], 5);
  rows.push({ name: 'start-up: d1 run programs/hello.dasm', value: t, unit: 's', target: '< 0.3 s' });
}

function fmt(v: number): string {
  return v >= 1000 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(3);
}

async function main(): Promise<void> {
  const progress = (s: string) => process.stderr.isTTY && process.stderr.write(`bench: ${s}...\n`);
  progress('crc32');
  const single = await emulatorWorkload('crc32', 'crc32', '.equ LEN, 262144\n.equ REPEAT, 100', true);
  progress('mesh');
  meshWorkloads(single);
  progress('matmul');
  await emulatorWorkload('matmul', 'matmul', '.equ N, 96\n.equ REPEAT, 30');
  progress('sort');
  await emulatorWorkload('sort', 'sort', '.equ N, 100000\n.equ REPEAT, 12');
  progress('stream');
  await emulatorWorkload('stream', '../bench/programs/stream', '.equ N, 16384\n.equ REPEAT, 200');
  progress('muldiv');
  await emulatorWorkload('muldiv', '../bench/programs/muldiv', '.equ N, 40000');
  const geomean = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
  if (ratios.timed.length > 0) {
    rows.push({ name: 'emulator: geometric mean of the five against qemu-riscv64', value: geomean(ratios.timed), unit: 'x', target: '>= 0.5x' });
    rows.push({ name: 'emulator: geometric mean of the five, --no-timing, against qemu-riscv64', value: geomean(ratios.untimed), unit: 'x', target: '>= 1.0x' });
  }
  progress('gemm');
  await gemmWorkload();
  progress('debugger');
  await debuggerWorkload();
  progress('assembler');
  await assemblerWorkload(200_000, 1000);
  progress('scaling');
  await scalingWorkload();
  progress('start-up');
  await startup();
  progress('web');
  await webWorkload();
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const w = Math.max(...rows.map((r) => r.name.length));
  process.stdout.write(`${'benchmark'.padEnd(w)}  ${'d1'.padStart(12)}  ${'reference'.padStart(24)}  ${'ratio'.padStart(7)}  target\n`);
  for (const r of rows) {
    const ref = r.reference ? `${fmt(r.reference.value)} (${r.reference.name})` : '-';
    const ratio = r.ratio !== undefined ? `${r.ratio.toFixed(3)}x` : '-';
    process.stdout.write(`${r.name.padEnd(w)}  ${`${fmt(r.value)} ${r.unit}`.padStart(12)}  ${ref.padStart(24)}  ${ratio.padStart(7)}  ${r.target ?? ''}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
