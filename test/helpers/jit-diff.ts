// Helpers of the block compiler's differential test (test/emulator/jit-diff.test.ts): everything a core
// shows (registers of every thread, pc, counters, cycle model, statistics, semaphores, engines, vector
// state, the whole SRAM and the saved state a snapshot holds), taken so two runs can be compared, with
// the first differing byte of a snapshot named by the region it lies in; running an image both ways;
// and how many block entries a core holds (so a test can tell that the block compiler took part).
import { expect } from 'vitest';
import type { Image } from '../../assembler/image.js';
import { coreRegions, type Core, type CoreExports, type StopReason } from '../../emulator/host/core.js';
import { oneCore, type Machine } from '../../emulator/host/mesh.js';
import { runLoaded, type RunResult } from '../../emulator/host/run.js';
import { coreStats } from '../../emulator/host/stats.js';
import { OP_JIT } from '../../emulator/gen/index.js';
import { LAYOUT } from '../../emulator/layout.js';
import { D1_CORE } from '../../emulator/presets.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** JSON-friendly copies of values holding bigints (toEqual compares them either way; messages read better). */
export function plain<T>(v: T): unknown {
  return JSON.parse(JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x)));
}

/** The figures of a core, as an object to compare with toEqual (SRAM and the snapshot separately). */
export function coreFigures(core: Core): Record<string, unknown> {
  const threads = Array.from({ length: D1_CORE.threads }, (_, t) => ({
    x: Array.from({ length: 32 }, (_, i) => core.getReg(i, t).toString(16)),
    v: Array.from({ length: 32 }, (_, i) => hex(core.getVreg(i, t))),
    fmt: Array.from({ length: 16 }, (_, n) => core.getFormatEntry(n, t)),
    vflags: core.vflags(t),
    csr: (['vsrstate', 'vtbase', 'vtrows', 'vtcols', 'vtstride'] as const).map((c) => core.vectorCsr(c, t).toString(16)),
  }));
  return plain({
    pc: core.pc,
    thread: core.thread,
    instret: core.instret,
    cycles: core.cycles,
    info: core.threads(),
    threads,
    acc: Array.from({ length: D1_CORE.matrixUnits }, (_, n) => hex(new Uint8Array(core.getAccumulator(n).buffer))),
    model: core.model(),
    stats: coreStats(core),
    semaphores: core.semaphores(),
    engines: core.engines(),
  }) as Record<string, unknown>;
}

/** Where byte `at` of a Core.snapshot() lies: the hot state, the accumulators, a thread block, the
 * network block, SRAM (Core.snapshot: the hot state, then the core block from CORE_ACC on). */
export function snapshotPlace(at: number): string {
  const hot = LAYOUT.SWAP_BYTES;
  if (at < hot) return `hot state +0x${at.toString(16)} (REGS ${at < 0x110 ? `x${at >> 3}` : ''})`;
  const rest = at - hot + LAYOUT.CORE_ACC;
  if (rest < LAYOUT.CORE_THREADS) return `accumulators +0x${(rest - LAYOUT.CORE_ACC).toString(16)}`;
  if (rest >= LAYOUT.CORE_SRAM) return `SRAM 0x${(rest - LAYOUT.CORE_SRAM).toString(16)}`;
  if (rest >= LAYOUT.CORE_NET) return `network block +0x${(rest - LAYOUT.CORE_NET).toString(16)}`;
  const t = Math.floor((rest - LAYOUT.CORE_THREADS) / LAYOUT.THREAD_BLOCK);
  return `thread ${t} block +0x${((rest - LAYOUT.CORE_THREADS) % LAYOUT.THREAD_BLOCK).toString(16)}`;
}

/** Expect two byte strings to be equal, naming the first difference (and how many bytes differ). */
export function expectSameBytes(a: Uint8Array, b: Uint8Array, what: string, place: (at: number) => string = (at) => `byte 0x${at.toString(16)}`): void {
  expect(b.length, `${what}: length`).toBe(a.length);
  if (Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0) return;
  let first = -1;
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      if (first < 0) first = i;
      count++;
    }
  }
  const around = (x: Uint8Array) => hex(x.subarray(first - (first % 8), first - (first % 8) + 8));
  expect.fail(`${what}: ${count} bytes differ, the first at ${place(first)}: interpreter ${around(a)}, jit ${around(b)}`);
}

/** Expect two cores (the interpreter's first) to show exactly the same state. */
export function expectSameCore(interp: Core, jit: Core, what: string): void {
  expect(coreFigures(jit), `${what}: core figures`).toEqual(coreFigures(interp));
  expectSameBytes(interp.readMem(0n, LAYOUT.SRAM_SIZE), jit.readMem(0n, LAYOUT.SRAM_SIZE), `${what}: SRAM`, (at) => `SRAM 0x${at.toString(16)}`);
  expectSameBytes(interp.snapshot(), jit.snapshot(), `${what}: snapshot`, snapshotPlace);
}

/** Block entries (predecoded records of op OP_JIT) a core holds now: the block compiler linked code there. */
export function blockEntries(core: Core): number {
  const wasm = (core as unknown as { wasm: CoreExports }).wasm;
  const at = coreRegions(core.slot).base + LAYOUT.CORE_PREDEC;
  const ops = new Uint16Array(wasm.memory.buffer, at, LAYOUT.SRAM_SIZE / 4 * 8);
  let n = 0;
  for (let i = 0; i < ops.length; i += 8) if (ops[i] === OP_JIT) n++;
  return n;
}

/** Collects what a program writes. */
export class Output {
  private readonly chunks: Buffer[] = [];
  readonly sink = { write: (s: Uint8Array | string) => (this.chunks.push(Buffer.from(typeof s === 'string' ? Buffer.from(s) : s)), true) };
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export interface Run {
  core: Core;
  result: RunResult;
  stdout: Buffer;
  stderr: Buffer;
}

/** A new one-core machine, jit on or off; `threshold`: its hotness threshold (D1_JIT_THRESHOLD while it is
 * made; by default the one the environment says); `timing` false: the functional build (--no-timing). */
export function newMachine(jit: boolean, threshold?: number, timing = true): Machine {
  if (threshold === undefined) return oneCore({ jit, timing });
  const saved = process.env['D1_JIT_THRESHOLD'];
  process.env['D1_JIT_THRESHOLD'] = String(threshold);
  try {
    return oneCore({ jit, timing });
  } finally {
    if (saved === undefined) delete process.env['D1_JIT_THRESHOLD'];
    else process.env['D1_JIT_THRESHOLD'] = saved;
  }
}

/** The core of a new one-core machine (newMachine). */
export function newCore(jit: boolean, threshold?: number, timing = true): Core {
  return newMachine(jit, threshold, timing).core();
}

/** Load an image into a new core (jit on or off) and run it as `d1 run` does. */
export async function runImage(image: Image, jit: boolean, maxInstructions?: bigint, threshold?: number, timing = true): Promise<Run> {
  const machine = newMachine(jit, threshold, timing);
  expect(machine.load(image)).toEqual([]);
  const out = new Output();
  const err = new Output();
  const result = await runLoaded(machine, { stdout: out.sink, stderr: err.sink, ...(maxInstructions !== undefined ? { maxInstructions } : {}) });
  return { core: result.core, result, stdout: out.bytes(), stderr: err.bytes() };
}

/** What a run shows besides the core (no host timings). */
export function runFigures(r: Run): unknown {
  const { instructions, cycles } = r.result.stats;
  return plain({ exitCode: r.result.exitCode, outcome: r.result.outcome, instructions, cycles, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('latin1') });
}

/** Run `image` with the interpreter alone and with the block compiler; expect the same everything. */
export async function expectSameRun(image: Image, what: string, maxInstructions?: bigint, threshold?: number, timing = true): Promise<{ interp: Run; jit: Run }> {
  const interp = await runImage(image, false, maxInstructions, undefined, timing);
  const jit = await runImage(image, true, maxInstructions, threshold, timing);
  expect(runFigures(jit), `${what}: run`).toEqual(runFigures(interp));
  expectSameCore(interp.core, jit.core, what);
  return { interp, jit };
}

/** One Core.runRaw(limit) call's stop, comparable. */
export function stopFigures(s: StopReason | 'window' | 'blocked'): unknown {
  return plain(s);
}
