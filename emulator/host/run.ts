// Running a program to completion on one core, a machine of one core (emulator/host/mesh.ts, which serves
// the host calls: docs/machine.md "Host calls"): the instruction limit, interruption (Ctrl-C) between
// slices, and statistics.
import { performance } from 'node:perf_hooks';
import type { Image } from '../../assembler/image.js';
import type { Core, StopReason } from './core.js';
import { oneCore, type Machine, type MeshOutcome } from './mesh.js';

/** Exit codes of `d1 run` when the program did not exit by itself (docs/machine.md "Exit codes"). */
/** `d1 run`'s own exit codes (docs/machine.md, "Exit codes"); RACES replaces the program's exit code when
 * `--check-races` found a race. */
export const EXIT = { BAD_INPUT: 1, RACES: 66, INTERRUPTED: 130, FAULT: 134, LIMIT: 137 } as const;

/** Host call numbers (a7), the Linux/RISC-V ones. */
export const HOSTCALL = { WRITE: 64, EXIT: 93, EXIT_GROUP: 94 } as const;
const EBADF = -9n;
const EFAULT = -14n;

/** Instructions run between checks for Ctrl-C (about 0.05 s of emulation). */
const SLICE = 20_000_000n;

export type Outcome =
  | { kind: 'exit'; code: number }
  | { kind: 'limit' }
  | { kind: 'interrupted' }
  | { kind: 'hostcall'; number: bigint; pc: bigint }
  | Exclude<StopReason, { kind: 'limit' } | { kind: 'ecall' }>;

export interface Stats {
  instructions: bigint;
  cycles: bigint;
  wallSeconds: number;
  mips: number;
}

export interface RunResult {
  exitCode: number;
  outcome: Outcome;
  stats: Stats;
  core: Core;
}

export interface Sink {
  write(chunk: Uint8Array | string): unknown;
}

export interface RunOptions {
  maxInstructions?: bigint;
  stdout: Sink;
  stderr: Sink;
  /** Polled between slices; true stops the run (Ctrl-C). */
  interrupted?: () => boolean;
}

/** Serve one ecall; returns the exit code if the program asked to exit. */
export function hostCall(core: Core, opts: Pick<RunOptions, 'stdout' | 'stderr'>): { exit?: number; unknown?: bigint } {
  const a7 = core.getReg(17);
  if (a7 === BigInt(HOSTCALL.EXIT) || a7 === BigInt(HOSTCALL.EXIT_GROUP)) return { exit: Number(core.getReg(10) & 0xffn) };
  if (a7 === BigInt(HOSTCALL.WRITE)) {
    const fd = core.getReg(10);
    const buf = core.getReg(11);
    const len = core.getReg(12);
    if (fd !== 1n && fd !== 2n) core.setReg(10, EBADF);
    else if (len > 0x7fffffffn || !core.inSram(buf, Number(len))) core.setReg(10, EFAULT);
    else {
      (fd === 1n ? opts.stdout : opts.stderr).write(core.readMem(buf, Number(len)));
      core.setReg(10, len);
    }
    return {};
  }
  return { unknown: a7 };
}

export async function runProgram(image: Image, opts: RunOptions, machine = oneCore()): Promise<RunResult> {
  const errors = machine.load(image, 'program');
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
  return runLoaded(machine, opts);
}

/** Run an already loaded machine of one core until it exits, faults, hits the limit or is interrupted. */
export async function runLoaded(machine: Machine, opts: RunOptions): Promise<RunResult> {
  const core = machine.core();
  const limit = opts.maxInstructions;
  const start = performance.now();
  const startInstret = core.instret;
  let outcome: Outcome | undefined;
  while (!outcome) {
    const done = core.instret - startInstret;
    if (limit !== undefined && done >= limit) {
      outcome = { kind: 'limit' };
      break;
    }
    const budget = limit === undefined ? SLICE : limit - done < SLICE ? limit - done : SLICE;
    const r = machine.stepCore(0, budget, opts);
    if (r.kind !== 'step') outcome = oneCoreOutcome(r, core);
    else if (opts.interrupted) {
      await new Promise((r) => setImmediate(r));
      if (opts.interrupted()) outcome = { kind: 'interrupted' };
    }
  }
  const wallSeconds = (performance.now() - start) / 1000;
  const instructions = core.instret - startInstret;
  const stats: Stats = { instructions, cycles: core.cycles, wallSeconds, mips: wallSeconds > 0 ? Number(instructions) / wallSeconds / 1e6 : 0 };
  const exitCode =
    outcome.kind === 'exit' ? outcome.code : outcome.kind === 'limit' ? EXIT.LIMIT : outcome.kind === 'interrupted' ? EXIT.INTERRUPTED : EXIT.FAULT;
  return { exitCode, outcome, stats, core };
}

/** How a machine of one core stopped, as a stop of its core: an engine's fault is a remote-access fault at
 * its descriptor, a deadlock a fault where the core waits. (Its barriers cannot be misused: each of its
 * groups is the core alone.) */
function oneCoreOutcome(r: MeshOutcome, core: Core): Outcome {
  switch (r.kind) {
    case 'stop':
      return r.stop;
    case 'hostcall':
      return { kind: 'hostcall', number: r.number, pc: r.pc };
    case 'engine':
      return { kind: 'fault', cause: 'remote', pc: r.pc, addr: r.desc };
    case 'deadlock':
      return { kind: 'fault', cause: 'deadlock', pc: core.pc, addr: core.pc };
    case 'barrier':
      throw new Error(`barrier misuse on one core: ${r.why}`);
    default:
      return r;
  }
}
