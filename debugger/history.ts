// The snapshots reverse execution goes back to (docs/debugger.md, "Reverse execution"): on one core, the
// core's whole state every EVERY instructions retired, at most MAX of them (older ones thinned, the start
// kept); on a machine of many cores, checkpoints of the machine and every call the session made to run it.
import type { Core, CoreCheckpoint } from '../emulator/host/core.js';
import type { Machine, MachineSnapshot } from '../emulator/host/mesh.js';
import { pageBytes } from '../emulator/host/pages.js';

/** Instructions between snapshots (each the state and the pages of SRAM that changed since the one before:
 * Core.checkpoint). Compiled code runs some 2,000 M instructions a second, so going back replays at most
 * about a millisecond's worth. */
const EVERY = 2_000_000n;
const MAX = 128;

export interface Snapshot {
  at: bigint;
  data: CoreCheckpoint;
}

export class History {
  private list: Snapshot[] = [];
  private readonly core: Core;

  /** The history of a machine of one core. */
  constructor(private readonly machine: Machine) {
    this.core = machine.core();
  }

  /** Forget everything; the present (the start of the program) is the first snapshot. */
  start(): void {
    this.list = [{ at: this.core.instret, data: this.core.checkpoint() }];
  }

  /** Take a snapshot if one is due. */
  record(): void {
    const last = this.list[this.list.length - 1]!;
    const now = this.core.instret;
    if (now < last.at + EVERY) return;
    this.list.push({ at: now, data: this.core.checkpoint(last.data) });
    if (this.list.length > MAX) this.list = this.list.filter((_, i) => i === 0 || i % 2 === 1 || i === this.list.length - 1);
  }

  /** Instructions until the next snapshot is due. */
  untilDue(): bigint {
    return this.list[this.list.length - 1]!.at + EVERY - this.core.instret;
  }

  /** Restore the latest snapshot at or before `target` and drop the later ones (the future is re-recorded). */
  restoreBefore(target: bigint): void {
    let k = this.list.length - 1;
    while (k > 0 && this.list[k]!.at > target) k--;
    this.machine.restoreCore(0, this.list[k]!.data);
    this.list.length = k + 1;
  }

  /** The snapshots taken before `now`, oldest first. */
  before(now: bigint): Snapshot[] {
    return this.list.filter((s) => s.at < now);
  }
}

/** The watch state of a machine's cores: the load and store ranges of every instance, each core's watched
 * semaphores (a bit each, by global number), and whether hits stop after the access. */
export interface WatchConfig {
  load: readonly [bigint, bigint];
  store: readonly [bigint, bigint];
  sems: ReadonlyMap<number, number>;
  after: boolean;
}

/** What ended a call, armed alone when the call is done again: nothing else armed then stopped it first. */
export type Until = { kind: 'break'; core: number; pc: bigint } | { kind: 'watch'; watch: WatchConfig };

/** A call the session made to run a machine: Machine.stepCore, or (`raw`) Core.runRaw of one core. */
export interface Call {
  core: number;
  n: bigint;
  until?: Until;
  /** The pc of a breakpoint of the core's that it stepped over (not armed during the call). */
  over?: bigint;
  raw?: boolean;
  /** Instructions the core retired in it. */
  ran: bigint;
  /** The session's cores stopped at a breakpoint when it was made (core, pc). */
  parked: readonly (readonly [number, bigint])[];
}

export interface Checkpoint {
  /** The calls made before it. */
  call: number;
  machine: MachineSnapshot;
  /** Each core's instructions retired, by global number. */
  instret: BigUint64Array;
  parked: readonly (readonly [number, bigint])[];
}

/** Checkpoints a machine keeps at most. */
const MAX_CHECKPOINTS = 64;

/**
 * The past of a machine of many cores. Emulation is deterministic, so the calls made since a checkpoint,
 * done again from it, bring the machine back to exactly any point since. A checkpoint is taken before a
 * call once the machine has run `spacing` times as long as the last checkpoint took (it copies only the
 * pages that changed, but compares them all: some 0.1 s on a die), at most MAX_CHECKPOINTS of them (older
 * ones thinned, the start kept).
 */
export class MeshHistory {
  readonly calls: Call[] = [];
  points: Checkpoint[] = [];
  /** Off while the session runs the past over to look for breakpoint hits: nothing is added. */
  recording = true;
  spacing = 5;
  /** Seconds run since the last checkpoint, and how long that one took. */
  private running = 0;
  private cost = 0;

  constructor(private readonly machine: Machine) {}

  /** Take a checkpoint if one is due (and the machine is between windows) before a call: before a short one
   * (a step of a few instructions, which should answer at once) only after twenty times as long; `start`:
   * the first. */
  checkpoint(parked: ReadonlyMap<number, bigint>, when: 'start' | 'long' | 'short'): void {
    const last = this.points[this.points.length - 1];
    const due = this.spacing * this.cost * (when === 'short' ? 20 : 1);
    if (when !== 'start' && (!this.recording || !last || this.calls.length === last.call || this.running < due)) return;
    const t = performance.now();
    const machine = this.machine.snapshot(last?.machine);
    if (!machine) return;
    const instret = new BigUint64Array(this.machine.preset.w * this.machine.preset.h);
    for (const [g, { core }] of this.machine.cores) instret[g] = core.instret;
    this.points.push({ call: this.calls.length, machine, instret, parked: [...parked] });
    if (this.points.length > MAX_CHECKPOINTS) this.points = this.points.filter((_, i) => i === 0 || i % 2 === 1 || i === this.points.length - 1);
    this.cost = (performance.now() - t) / 1000;
    this.running = 0;
  }

  /** A call was made and ran `seconds`. */
  add(call: Call, seconds = 0): void {
    if (!this.recording) return;
    this.calls.push(call);
    this.running += seconds;
  }

  /** Return the machine to checkpoint k; `forget`: the calls and checkpoints after it go (the future is
   * recorded again). */
  restore(k: number, forget: boolean): Checkpoint {
    const p = this.points[k]!;
    this.machine.restore(p.machine);
    if (forget) {
      this.points.length = k + 1;
      this.calls.length = p.call;
      this.running = 0;
    }
    return p;
  }

  /** The latest checkpoint at which core g had retired at most n instructions. */
  before(g: number, n: bigint): number {
    let k = this.points.length - 1;
    while (k > 0 && this.points[k]!.instret[g]! > n) k--;
    return k;
  }

  /** Bytes the checkpoints hold. */
  bytes(): number {
    return pageBytes(this.points.flatMap((p) => p.machine.memory));
  }
}
