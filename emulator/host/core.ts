// The host side of one emulated core: instantiates the wasm core (compiled once per process); a Core is
// the view of one core of an instance (emulator/host/mesh.ts makes and runs them, a one-core run being a
// 1x1 machine): it loads an Image into SRAM, runs the core alone within its window, and gives typed
// access to registers, pc, memory and counters. This is the Debug API's base: the CLI, the debugger and
// the tests use it, never the linear memory directly.
import { diag, type Diagnostic } from '../../assembler/diagnostics.js';
import type { Image } from '../../assembler/image.js';
import { D1_CORE } from '../presets.js';
import { distWasm, optimized, SHARED_MEMORY } from './wasm.js';
import { BlockCompiler } from './jit/index.js';
import { copyPages, restorePages, type Pages } from './pages.js';
import { CAUSE, CORE_NET_FIELDS, CYCLE_MODEL, ENGINE, ENGINE_BYTES, HIT, LAYOUT, MESH_CFG, STOP, THREAD_STATE, TICKS_PER_CYCLE, WATCH_HIT, WATCH_WHAT } from '../layout.js';
import { STALLS } from '../../isa/timing.js';

export interface CoreExports {
  memory: WebAssembly.Memory;
  run(limit: bigint): number;
  runWindows(windows: number, auto: boolean, limit: bigint): number;
  /** A machine of several instances: n windows as one speculation (0: ran through, to be settled; else 1
   * + the windows before the one it was stopped in, undone already). */
  lockstep(n: number, limit: bigint): number;
  settle(keep: boolean): void;
  release(slot: number, thread: number, time: bigint): void;
  runnableCores(): number;
  liveCores(): number;
  earliest(): bigint;
  nextWindowEnd(earliest: bigint): bigint;
  netWindow(drain: boolean): number;
  heapMin(): bigint;
  initCores(cores: number): void;
  allLive(cores: number): void;
  selectCore(slot: number): void;
  invalidateAll(): void;
  invalidateRange(addr: number, len: number): void;
  setBreakpoint(addr: number, on: boolean): void;
  setWatch(isStore: boolean, lo: bigint, hi: bigint): void;
  setJit(on: boolean, tag: number, threshold: number): void;
}

export type StopReason =
  | { kind: 'limit' }
  | { kind: 'ecall' }
  | { kind: 'ebreak'; pc: bigint }
  | { kind: 'breakpoint'; pc: bigint }
  /** A load or store touched a watch range: watching before the access (the gdb stub), the instruction at
   * pc has not run yet; watching after it (Core.watchAfter), the instruction at pc or the message `by`
   * has read or written it, or posted to or taken from semaphore `addr` (`sems`: every watched semaphore
   * it did that to, a bit each). */
  | { kind: 'watch'; access: 'read' | 'write' | 'semaphore'; pc: bigint; addr: bigint; size: number; by?: Delivery; sems?: number }
  | { kind: 'fault'; cause: FaultCause; pc: bigint; addr: bigint; word?: number };

/** A message that made a watch hit: what it was, the core it came from, the core and pc of the
 * instruction behind it (for an engine's message, the one that started the engine), and its arrival. */
export interface Delivery {
  message: (typeof MESSAGE_NAMES)[number];
  from: number;
  origin: number;
  pc: bigint;
  cycle: number;
}

/** What each message kind (MSG_KIND) is, in words. */
export const MESSAGE_NAMES = ['message', 'remote store', 'remote load', 'load reply', 'semaphore post', 'engine transfer', 'engine fetch', 'engine read'] as const;

export type FaultCause = 'illegal' | 'fetch' | 'load' | 'store' | 'csr' | 'misaligned' | 'format' | 'deadlock' | 'sync' | 'remote';

export type StallCause = (typeof STALLS)[number];

/** What a core did in one profiling region (Core.regions). */
export interface RegionProfile {
  region: number;
  instructions: number;
  cycles: number;
  stalls: Partial<Record<StallCause, number>>;
  loadBytes: number;
  storeBytes: number;
}

export interface ThreadInfo {
  thread: number;
  state: 'running' | 'waiting' | 'free';
  /** What a waiting thread waits for: a thread (join), a semaphore's number, a barrier, a remote core's answer. */
  waitKind?: WaitKind;
  waitFor?: number;
  /** The semaphore count it needs, the barrier's group, the remote address. */
  waitArg?: bigint;
  pc: bigint;
  instret: bigint;
  clock: number;
  stalls: Record<StallCause, number>;
}

const compiled = new Map<string, WebAssembly.Module>();

/** Which build of the core an instance runs: the debugging build when it needs watchpoints (it can stop at
 * watched loads and stores, a little slower), the race-checking one for `--check-races`, the functional
 * one without the cycle model. */
function buildOf(watchpoints: boolean, timing: boolean, races = false): string {
  return watchpoints ? 'd1-core-watch.wasm' : races ? 'd1-core-race.wasm' : timing ? 'd1-core.wasm' : 'd1-core-fast.wasm';
}

function wasmModule(file: string): WebAssembly.Module {
  let m = compiled.get(file);
  if (!m) {
    const bytes = distWasm(file, 'the emulator core');
    // The run loop is one long call: V8 cannot swap a running baseline (Liftoff) frame for optimized
    // code, so compile the core with the optimizing tier from the start.
    m = optimized(() => new WebAssembly.Module(bytes));
    compiled.set(file, m);
  }
  return m;
}

const CAUSES: Record<number, FaultCause> = {
  [CAUSE.ILLEGAL]: 'illegal',
  [CAUSE.FETCH]: 'fetch',
  [CAUSE.LOAD]: 'load',
  [CAUSE.STORE]: 'store',
  [CAUSE.CSR]: 'csr',
  [CAUSE.MISALIGNED]: 'misaligned',
  [CAUSE.FORMAT]: 'format',
  [CAUSE.DEADLOCK]: 'deadlock',
  [CAUSE.SYNC]: 'sync',
  [CAUSE.REMOTE]: 'remote',
};

const WAIT_KINDS = ['join', 'semaphore', 'barrier', 'remote'] as const;
export type WaitKind = (typeof WAIT_KINDS)[number];

/** Instances made so far in this thread: each tags the block entries it links (emulator/assembly/jit.ts)
 * with a number of its own among the instances over the same memory, those of other threads included:
 * a thread's tags start at its `tagBase` (a worker thread's: its thread id times 1,024). */
let instances = 0;
let tagBase = 0;

/** This thread (a worker thread: emulator/host/worker.ts, lane-worker.ts) has id `threadId`: its instances
 * tag apart from the other threads'. */
export function tagInstancesOf(threadId: number): void {
  tagBase = (threadId * 0x400) % 0xfc00;
}

/** Whether hot code runs as compiled blocks: yes, unless D1_JIT=0 (the interpreter alone, for comparison). */
export function jitDefault(): boolean {
  return process.env.D1_JIT !== '0';
}

/** Taken branches to a target before its code is compiled: 1,000 (compiling a region costs about as
 * much as interpreting some hundred thousand instructions, so code that runs briefly is left to the
 * interpreter; code compiled before in the process is linked much sooner: emulator/host/jit/index.ts), or
 * D1_JIT_THRESHOLD (0 compiles every target at its first arrival: the differential tests use it to put
 * as much code as possible through the block compiler). */
function jitThreshold(): number {
  const t = Number(process.env.D1_JIT_THRESHOLD ?? 1000);
  return Number.isInteger(t) && t >= 0 ? t : 1000;
}

/** A new instance of a build of the core (by default the one `d1 run` uses; the debugging build when
 * `watchpoints`; the race-checking build when it has a `raceFlush`, which takes its full log: emulator/host/
 * races.ts) with its block compiler, compiling hot code when `jit`. */
export function instantiate(watchpoints = false, memory = newMemory(), jit = jitDefault(), timing = true, module?: WebAssembly.Module, raceFlush?: () => void, lane: LaneHooks = NO_LANE): CoreExports {
  const file = buildOf(watchpoints, timing, raceFlush !== undefined);
  const compiler = new BlockCompiler({ timing: file !== 'd1-core-fast.wasm', watch: file === 'd1-core-watch.wasm', races: file === 'd1-core-race.wasm' }, jitThreshold());
  const env = { memory, table: compiler.table, jitBlock: compiler.block, raceFlush: raceFlush ?? (() => {}), laneStart: (from: number, to: number) => lane.start(from, to), laneWait: () => lane.wait() };
  const exports = new WebAssembly.Instance(module ?? wasmModule(file), { env }).exports as unknown as CoreExports;
  compiler.attach(exports as unknown as Parameters<BlockCompiler['attach']>[0]);
  exports.setJit(jit, tagBase + (instances = (instances % 0x3ff) + 1), compiler.linkHeat);
  return exports;
}

/** The core's linear memory: shared, so worker threads can run the cores of an instance the host made
 * (emulator/host/workers.ts), where shared memory exists (not in a page that is not cross-origin
 * isolated); it grows up to 4 GiB, one page at a time as cores need it. */
export function newMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 128, maximum: 65536, shared: SHARED_MEMORY });
}

/** The compiled build of the core (worker threads are given it, not compiling it again). */
export function coreModule(watchpoints: boolean, timing: boolean, races = false): WebAssembly.Module {
  return wasmModule(buildOf(watchpoints, timing, races));
}

/** The second lane's build of the core (emulator/host/lanes.ts). */
export function laneModule(timing: boolean): WebAssembly.Module {
  return wasmModule(timing ? 'd1-core-lane.wasm' : 'd1-core-fast-lane.wasm');
}

/** An instance's way to its second lane (the laneStart and laneWait it imports: emulator/host/lanes.ts). */
export interface LaneHooks {
  start(from: number, to: number): void;
  wait(): number;
}

/** No second lane (an instance whose configuration never turns lanes on never calls these). */
export const NO_LANE: LaneHooks = {
  start: () => {
    throw new Error('no second lane');
  },
  wait: () => 0,
};

/** Where a core's regions are in its instance's linear memory. */
export function coreRegions(slot: number) {
  const base = LAYOUT.CORES + slot * LAYOUT.CORE_BYTES;
  return { base, sram: base + LAYOUT.CORE_SRAM, threads: base + LAYOUT.CORE_THREADS, net: base + LAYOUT.CORE_NET };
}

/** A core's state at some point (Core.checkpoint). */
export interface CoreCheckpoint {
  hot: Uint8Array;
  pages: Pages;
}

export class Core {
  private readonly wasm: CoreExports;
  private view!: DataView;
  /** This core's slot in its instance, and where its SRAM and thread blocks are. */
  readonly slot: number;
  private readonly sramAt: number;
  private readonly threadsAt: number;

  /** The view of core `slot` of an instance (`watchpoints`: the instance is the debugging build, where
   * setWatch works), which emulator/host/mesh.ts owns and configures. */
  constructor(private readonly opts: { watchpoints?: boolean; instance: CoreExports; slot: number }) {
    this.slot = opts.slot;
    const r = coreRegions(this.slot);
    this.sramAt = r.sram;
    this.threadsAt = r.threads;
    this.wasm = opts.instance;
    this.view = new DataView(this.wasm.memory.buffer);
  }

  /** Linear memory, with this core's hot state at the fixed addresses (the instance switches to it). */
  private get dv(): DataView {
    this.wasm.selectCore(this.slot);
    if (this.view.buffer !== this.wasm.memory.buffer) this.view = new DataView(this.wasm.memory.buffer);
    return this.view;
  }

  /** Copy the image's segments into SRAM, set pc to its entry and sp to the top of SRAM; errors name the
   * offending segment. */
  load(image: Image, file = 'program'): Diagnostic[] {
    const errors: Diagnostic[] = [];
    const end = BigInt(LAYOUT.SRAM_SIZE);
    image.segments.forEach((s, k) => {
      if (s.vaddr < 0n || s.vaddr + BigInt(s.memsz) > end || s.data.length > s.memsz) {
        errors.push(diag('segment-outside-sram', `segment ${k} at 0x${s.vaddr.toString(16)} (${s.memsz} bytes) lies outside SRAM [0x0, 0x${end.toString(16)})`, { file }));
      }
    });
    if (image.entry >= end || image.entry % 4n !== 0n) {
      errors.push(diag('bad-entry', `entry point 0x${image.entry.toString(16)} is not a word-aligned SRAM address`, { file }));
    }
    if (errors.length > 0) return errors;
    // Fresh, SRAM and its predecoded records are zero: only the segments' data need writing (unless
    // segments overlap). Not touching the rest (a large .bss) leaves its pages untouched.
    const zero = this.clean && image.segments.every((s, k) => image.segments.every((t, j) => j === k || s.vaddr + BigInt(s.memsz) <= t.vaddr || t.vaddr + BigInt(t.memsz) <= s.vaddr));
    this.clean = false;
    for (const s of image.segments) {
      const at = this.sramAt + Number(s.vaddr);
      if (!zero) new Uint8Array(this.wasm.memory.buffer, at, s.memsz).fill(0);
      new Uint8Array(this.wasm.memory.buffer, at, s.data.length).set(s.data);
      this.dv; // selects this core
      if (!zero) this.wasm.invalidateRange(Number(s.vaddr), s.memsz);
    }
    this.pc = image.entry;
    this.setReg(2, BigInt(D1_CORE.stackTop));
    return [];
  }

  /** Whether the core block (SRAM, thread blocks, records) is as a new instance has it (all zero): nothing
   * ran or wrote there since, so load() need not clear what it writes. */
  private clean = true;

  /** Run this core alone, at most `limit` instructions and never past the window's end (Machine.stepCore
   * drives the rest of the machine: the window's end, the network, barriers, host calls). */
  runRaw(limit: bigint): StopReason | 'window' | 'blocked' {
    this.clean = false;
    this.wasm.selectCore(this.slot);
    const stop = this.wasm.run(limit);
    return stop === STOP.WINDOW ? 'window' : stop === STOP.BLOCKED ? 'blocked' : this.decodeStop(stop);
  }

  /** A stop code of the wasm core (STOP) as a StopReason, with the fault's details. */
  decodeStop(stop: number): StopReason {
    if (stop === STOP.LIMIT) return { kind: 'limit' };
    if (stop === STOP.ECALL) return { kind: 'ecall' };
    const pc = this.pc;
    if (stop === STOP.WATCH) return this.takeHit();
    if (stop === STOP.EBREAK) return { kind: 'ebreak', pc };
    if (stop === STOP.BREAKPOINT) return { kind: 'breakpoint', pc };
    const cause = CAUSES[this.dv.getUint32(LAYOUT.FAULT_CAUSE, true)] ?? 'illegal';
    const addr = this.dv.getBigUint64(LAYOUT.FAULT_ADDR, true);
    const fw = this.dv.getUint32(LAYOUT.FAULT_WORD, true);
    if ((cause === 'load' || cause === 'store') && this.inSram(addr, 1) && fw & WATCH_HIT) {
      this.dv.setUint32(LAYOUT.FAULT_WORD, 0, true);
      return { kind: 'watch', access: cause === 'load' ? 'read' : 'write', pc, addr, size: fw & 0xff };
    }
    const word = cause === 'illegal' || cause === 'csr' || cause === 'format' || cause === 'sync' ? this.dv.getUint32(LAYOUT.FAULT_WORD, true) : undefined;
    return { kind: 'fault', cause, pc, addr, ...(word !== undefined ? { word } : {}) };
  }

  /** The instance's watch hit (STOP.WATCH), taken: the host has seen it. */
  private takeHit(): StopReason {
    const dv = new DataView(this.wasm.memory.buffer, LAYOUT.MESH + MESH_CFG.HIT, 52);
    const what = dv.getUint32(HIT.WHAT, true);
    dv.setUint32(HIT.WHAT, 0, true);
    const kind = dv.getUint32(HIT.MSG, true);
    const hit = {
      kind: 'watch' as const,
      access: what === WATCH_WHAT.SEMAPHORE ? ('semaphore' as const) : what === WATCH_WHAT.WRITE ? ('write' as const) : ('read' as const),
      addr: dv.getBigUint64(HIT.ADDR, true),
      size: dv.getUint32(HIT.SIZE, true),
      sems: dv.getUint32(HIT.SEMS, true),
    };
    if (kind === 0) return { ...hit, pc: dv.getBigUint64(HIT.PC, true) };
    const by: Delivery = {
      message: MESSAGE_NAMES[kind] ?? 'message',
      from: dv.getUint32(HIT.FROM, true),
      origin: dv.getUint32(HIT.ORIGIN, true),
      pc: dv.getBigUint64(HIT.PC, true),
      cycle: Number(dv.getBigInt64(HIT.TIME, true)) / TICKS_PER_CYCLE,
    };
    return { ...hit, pc: this.pc, by };
  }

  /** Watch hits stop after the access that made them, messages from the network included (the
   * debugger), or before a core's own load or store (the default: the gdb stub). For the whole instance. */
  watchAfter(on: boolean): void {
    new DataView(this.wasm.memory.buffer).setUint32(LAYOUT.MESH + MESH_CFG.WATCH_AFTER, on ? 1 : 0, true);
  }

  /** Watch this core's semaphores whose bits are set (a change of one is a watch hit; watching after). */
  setSemWatch(mask: number): void {
    new DataView(this.wasm.memory.buffer, coreRegions(this.slot).net).setUint32(CORE_NET_FIELDS.SEM_WATCH, mask >>> 0, true);
  }

  /**
   * Stop before the instruction at addr executes (no cost while running: the predecoded record of that
   * word becomes a break). Returns false for an address outside SRAM or not word-aligned.
   */
  setBreakpoint(addr: bigint, on: boolean): boolean {
    if (addr % 4n !== 0n || !this.inSram(addr, 4)) return false;
    this.wasm.selectCore(this.slot);
    this.wasm.setBreakpoint(Number(addr), on);
    return true;
  }

  /** Stop before any load (isStore false) or store touching [lo, hi); lo >= hi removes the range. */
  setWatch(isStore: boolean, lo: bigint, hi: bigint): void {
    if (!this.opts.watchpoints) throw new Error('watchpoints need the debugging build of the core: a machine made with { watchpoints: true }');
    this.wasm.setWatch(isStore, BigInt.asUintN(64, lo), BigInt.asUintN(64, hi));
  }

  get pc(): bigint {
    return this.dv.getBigUint64(LAYOUT.PC, true);
  }

  set pc(v: bigint) {
    this.dv.setBigUint64(LAYOUT.PC, BigInt.asUintN(64, v), true);
  }

  /** x register i of a thread (default: the current one; a stopped thread's are in its block). */
  getReg(i: number, thread = this.thread): bigint {
    if (i === 0) return 0n;
    const base = thread === this.thread ? LAYOUT.REGS : this.block(thread) + LAYOUT.T_XSAVE;
    return this.dv.getBigUint64(base + 8 * i, true);
  }

  /** A CSR's value as the program would read it, for the debugger (D1 vector CSRs of a thread). */
  vectorCsr(name: 'vsrstate' | 'vtbase' | 'vtrows' | 'vtcols' | 'vtstride', thread = this.thread): bigint {
    const at = { vsrstate: LAYOUT.T_VSRSTATE, vtbase: LAYOUT.T_VTBASE, vtrows: LAYOUT.T_VTROWS, vtcols: LAYOUT.T_VTCOLS, vtstride: LAYOUT.T_VTSTRIDE }[name];
    return this.dv.getBigUint64(this.block(thread) + at, true);
  }

  setReg(i: number, v: bigint): void {
    if (i !== 0) this.dv.setBigUint64(LAYOUT.REGS + 8 * i, BigInt.asUintN(64, v), true);
  }

  /** The thread whose registers REGS holds (the one that ran last). */
  get thread(): number {
    return this.dv.getUint32(LAYOUT.CUR_THREAD, true);
  }

  private block(thread: number): number {
    return this.threadsAt + LAYOUT.THREAD_BLOCK * thread;
  }

  /** Whether a thread has run since the core was loaded (CORE_NET USED). The block of one that has not is
   * all zero and is not read: its page may never have been touched, and a first touch is costly. */
  private used(thread: number): boolean {
    return ((new DataView(this.wasm.memory.buffer, coreRegions(this.slot).net).getUint32(CORE_NET_FIELDS.USED, true) >>> thread) & 1) === 1;
  }

  /** A copy of vector register v0..v31 (VREG_BYTES) of a thread (default: the current one). */
  getVreg(i: number, thread = this.thread): Uint8Array {
    const at = this.block(thread) + LAYOUT.T_VREGS + LAYOUT.VREG_BYTES * i;
    return new Uint8Array(this.wasm.memory.buffer, at, LAYOUT.VREG_BYTES).slice();
  }

  /** Format-table entry n (fmt0..fmt15): format id | bias << 8. */
  getFormatEntry(n: number, thread = this.thread): number {
    return this.dv.getUint32(this.block(thread) + LAYOUT.T_FMT_TABLE + 4 * n, true);
  }

  setFormatEntry(n: number, v: number, thread = this.thread): void {
    this.clean = false;
    this.dv.setUint32(this.block(thread) + LAYOUT.T_FMT_TABLE + 4 * n, v, true);
  }

  /** The sticky lane flags (vflags) of a thread. */
  vflags(thread = this.thread): number {
    return this.dv.getUint32(this.block(thread) + LAYOUT.T_VFLAGS, true);
  }

  /** The 8x8 fp32 values of matrix accumulator m0..m3, row-major. */
  getAccumulator(n: number): Float32Array {
    const at = coreRegions(this.slot).base + LAYOUT.CORE_ACC + LAYOUT.ACC_BYTES * n;
    return new Float32Array(this.wasm.memory.buffer.slice(at, at + LAYOUT.ACC_BYTES));
  }

  /**
   * The profile by region (the region CSR; docs/machine.md "Statistics"): for each region any thread has
   * been in, the instructions, cycles, stall cycles by cause (issue stalls are not counted by region) and
   * SRAM bytes of the core while its threads were in it, the stretches still open included.
   */
  regions(): RegionProfile[] {
    const dv = this.dv;
    const cur = this.thread;
    const at = (r: number) => coreRegions(this.slot).base + LAYOUT.CORE_REGIONS + r * LAYOUT.REGION_BYTES;
    const rows = Array.from({ length: LAYOUT.REGION_COUNT }, (_, r) => ({
      instret: dv.getBigUint64(at(r) + LAYOUT.REGION_INSTRET, true),
      ticks: dv.getBigInt64(at(r) + LAYOUT.REGION_CYCLES, true),
      loads: dv.getFloat64(at(r) + LAYOUT.REGION_LOADS, true),
      stores: dv.getFloat64(at(r) + LAYOUT.REGION_STORES, true),
      stalls: STALLS.map((_, k) => dv.getBigInt64(at(r) + LAYOUT.REGION_STALLS + 8 * k, true)),
      open: false,
    }));
    const model = this.model();
    for (let t = 0; t < D1_CORE.threads; t++) {
      if (!this.used(t)) continue;
      const b = this.block(t);
      const state = dv.getUint32(b + LAYOUT.T_STATE, true);
      if (state === THREAD_STATE.FREE && dv.getBigUint64(b + LAYOUT.T_INSTRET, true) === 0n) continue;
      const row = rows[Number(dv.getBigUint64(b + LAYOUT.T_REGION, true)) % LAYOUT.REGION_COUNT]!;
      const stallsAt = t === cur ? LAYOUT.STALLS : b + LAYOUT.T_STALLS;
      row.instret += dv.getBigUint64(b + LAYOUT.T_INSTRET, true) - dv.getBigUint64(b + LAYOUT.T_REGION_INSTRET, true);
      row.ticks += dv.getBigInt64(t === cur ? LAYOUT.CLOCK : b + LAYOUT.T_CLOCK, true) - dv.getBigInt64(b + LAYOUT.T_REGION_CLOCK, true);
      row.loads += model.loadBytes - dv.getFloat64(b + LAYOUT.T_REGION_LOADS, true);
      row.stores += model.storeBytes - dv.getFloat64(b + LAYOUT.T_REGION_STORES, true);
      STALLS.forEach((_, k) => (row.stalls[k]! += dv.getBigInt64(stallsAt + 8 * k, true) - dv.getBigInt64(b + LAYOUT.T_REGION_STALLS + 8 * k, true)));
      row.open = true;
    }
    const cycles = (t: bigint) => Number(t) / TICKS_PER_CYCLE;
    return rows.flatMap((r, region) =>
      r.instret > 0n || r.open
        ? [{ region, instructions: Number(r.instret), cycles: cycles(r.ticks), stalls: Object.fromEntries(STALLS.filter((c) => c !== 'issue').map((c) => [c, cycles(r.stalls[STALLS.indexOf(c)]!)])) as Partial<Record<StallCause, number>>, loadBytes: r.loads, storeBytes: r.stores }]
        : [],
    );
  }

  /** Each hardware thread: state, pc, instructions retired, issue clock and stall cycles by cause. */
  threads(): ThreadInfo[] {
    const cur = this.thread;
    return Array.from({ length: D1_CORE.threads }, (_, t): ThreadInfo => {
      if (!this.used(t)) return { thread: t, state: 'free', pc: 0n, instret: 0n, clock: 0, stalls: Object.fromEntries(STALLS.map((k) => [k, 0])) as Record<StallCause, number> };
      const b = this.block(t);
      const code = this.dv.getUint32(b + LAYOUT.T_STATE, true);
      const stallsAt = t === cur ? LAYOUT.STALLS : b + LAYOUT.T_STALLS;
      const ticks = (at: number) => this.dv.getBigInt64(at, true);
      const clock = ticks(t === cur ? LAYOUT.CLOCK : b + LAYOUT.T_CLOCK);
      const counted = STALLS.map((_, i) => ticks(stallsAt + 8 * i));
      // Issue stalls are not added up per instruction (that costs speed): they are what the clock's
      // advance leaves after decode and every other cause.
      const issue = STALLS.indexOf('issue');
      const rest = clock - ticks(b + LAYOUT.T_START) - ticks(b + LAYOUT.T_DECODE) - counted.reduce((a, v, i) => (i === issue ? a : a + v), 0n);
      counted[issue] = code === THREAD_STATE.FREE && clock === 0n ? 0n : rest > 0n ? rest : 0n;
      return {
        thread: t,
        state: code === THREAD_STATE.RUNNING ? 'running' : code === THREAD_STATE.WAITING ? 'waiting' : 'free',
        ...(code === THREAD_STATE.WAITING
          ? {
              waitKind: WAIT_KINDS[this.dv.getUint32(b + LAYOUT.T_WAIT_KIND, true)] ?? 'join',
              waitFor: this.dv.getUint32(b + LAYOUT.T_WAIT_FOR, true),
              waitArg: this.dv.getBigUint64(b + LAYOUT.T_WAIT_ARG, true),
            }
          : {}),
        pc: t === cur ? this.pc : this.dv.getBigUint64(b + LAYOUT.T_PC, true),
        instret: this.dv.getBigUint64(b + LAYOUT.T_INSTRET, true),
        clock: Number(clock) / TICKS_PER_CYCLE,
        stalls: Object.fromEntries(STALLS.map((k, i) => [k, Number(counted[i]) / TICKS_PER_CYCLE])) as Record<StallCause, number>,
      };
    });
  }

  /** The profiling region a thread is in (the region CSR) and since when (its clock then, ticks). */
  threadRegion(thread: number): { region: number; since: bigint } {
    const b = this.block(thread);
    return { region: Number(this.dv.getBigUint64(b + LAYOUT.T_REGION, true)), since: this.dv.getBigInt64(b + LAYOUT.T_REGION_CLOCK, true) };
  }

  /** The core's semaphores (mesh machines; all zero on one core that never posts). */
  semaphores(): number[] {
    const dv = new DataView(this.wasm.memory.buffer, coreRegions(this.slot).net);
    return Array.from({ length: LAYOUT.SEM_COUNT }, (_, i) => dv.getUint32(CORE_NET_FIELDS.SEMS + 4 * i, true));
  }

  /** The core's three engines (DMA, list parser, gather): working or not, the descriptor they work on,
   * how many wait in the queue. */
  engines(): { engine: 'dma' | 'list' | 'gather'; busy: boolean; descriptor?: bigint; queued: number }[] {
    const dv = new DataView(this.wasm.memory.buffer, coreRegions(this.slot).net);
    return (['dma', 'list', 'gather'] as const).map((engine, e) => {
      const at = CORE_NET_FIELDS.ENGINES + e * ENGINE_BYTES;
      const state = dv.getUint32(at + ENGINE.BUSY, true);
      const queued = dv.getUint32(at + ENGINE.QTAIL, true) - dv.getUint32(at + ENGINE.QHEAD, true);
      return { engine, busy: state !== 0, ...(state === 2 ? { descriptor: dv.getBigUint64(at + ENGINE.DESC, true) } : {}), queued };
    });
  }

  /** Per-core cycle-model totals. */
  model(): { simdBusy: number; matrixBusy: number; loadBytes: number; storeBytes: number; vectorInsns: number; matrixOps: number } {
    const f = (k: keyof typeof CYCLE_MODEL) => this.dv.getFloat64(LAYOUT.RESOURCES + CYCLE_MODEL[k], true);
    return { simdBusy: f('SIMD_BUSY'), matrixBusy: f('MATRIX_BUSY'), loadBytes: f('LOAD_BYTES'), storeBytes: f('STORE_BYTES'), vectorInsns: f('VECTOR_INSNS'), matrixOps: f('MATRIX_OPS') };
  }

  /** Instructions retired by all threads. */
  get instret(): bigint {
    return this.dv.getBigUint64(LAYOUT.INSTRET, true);
  }

  /**
   * The core's cycle count: when everything issued so far is done, as far as the state shows it (each
   * thread's clock, register and accumulator ready times, the units' and SRAM ports' next-free times).
   * It depends only on the state, never on how the run was divided into calls.
   */
  get cycles(): bigint {
    const tick = (at: number) => this.dv.getBigInt64(at, true);
    let t = 0n;
    const see = (v: bigint) => {
      if (v > t) t = v;
    };
    const cur = this.thread;
    for (let th = 0; th < D1_CORE.threads; th++) {
      const b = this.block(th);
      if (th !== cur && (!this.used(th) || this.dv.getUint32(b + LAYOUT.T_STATE, true) === THREAD_STATE.FREE)) continue;
      see(tick(th === cur ? LAYOUT.CLOCK : b + LAYOUT.T_CLOCK));
      for (let r = 0; r <= LAYOUT.X0_SINK; r++) see(tick((th === cur ? LAYOUT.XREADY : b + LAYOUT.T_XREADY) + 8 * r));
      for (let v = 0; v < 32; v++) see(tick(b + LAYOUT.T_VREADY + 8 * v));
    }
    for (const k of ['INT', 'ADDR', 'VISSUE', 'SIMD', 'VMEM', 'LOAD', 'STORE'] as const) see(tick(LAYOUT.RESOURCES + CYCLE_MODEL[k]));
    for (let m = 0; m < D1_CORE.matrixUnits; m++) {
      see(tick(LAYOUT.RESOURCES + CYCLE_MODEL.MATRIX + 8 * m));
      see(tick(LAYOUT.RESOURCES + CYCLE_MODEL.ACC_READY + 8 * m));
    }
    const per = BigInt(TICKS_PER_CYCLE);
    return (t + per - 1n) / per;
  }

  /**
   * Everything a run depends on (registers, thread and cycle-model state, SRAM), as one array of bytes
   * (the differential tests compare them). Not the emulator's own bookkeeping kept there: the number of
   * the speculation the core's undo area is for (CORE_NET_FIELDS.UNDO_TAG) reads as 0.
   */
  snapshot(): Uint8Array {
    this.dv; // selects this core
    const hot = LAYOUT.SWAP_BYTES;
    // the core block past its saved hot state: accumulators, threads, network state, SRAM
    const from = coreRegions(this.slot).base + LAYOUT.CORE_ACC;
    const rest = this.sramAt + LAYOUT.SRAM_SIZE - from;
    const s = new Uint8Array(hot + rest);
    s.set(new Uint8Array(this.wasm.memory.buffer, LAYOUT.REGS, hot));
    s.set(new Uint8Array(this.wasm.memory.buffer, from, rest), hot);
    s.fill(0, hot + LAYOUT.CORE_NET + CORE_NET_FIELDS.UNDO_TAG - LAYOUT.CORE_ACC, hot + LAYOUT.CORE_NET + CORE_NET_FIELDS.UNDO_TAG - LAYOUT.CORE_ACC + 4);
    return s;
  }

  /**
   * What snapshot() holds, for going back in time (the debugger's one-core history): the hot state, and
   * the core block from its save area to the end of SRAM page by page, sharing the pages that `before`
   * (the checkpoint before it) has unchanged, so a checkpoint costs what changed since that one.
   * restore() returns the core to exactly this point (the predecoded records are rebuilt on demand;
   * breakpoints are kept).
   */
  checkpoint(before?: CoreCheckpoint): CoreCheckpoint {
    this.dv; // selects this core
    const mem = new Uint8Array(this.wasm.memory.buffer);
    const hot = mem.slice(LAYOUT.REGS, LAYOUT.REGS + LAYOUT.SWAP_BYTES);
    return { hot, pages: copyPages(mem, [[coreRegions(this.slot).base, this.sramAt + LAYOUT.SRAM_SIZE]], before?.pages) };
  }

  restore(c: CoreCheckpoint): void {
    this.clean = false;
    this.dv; // selects this core
    const mem = new Uint8Array(this.wasm.memory.buffer);
    // (the save area comes back too, stale as it was: the core is selected, its hot state is at REGS)
    restorePages(mem, c.pages, () => {});
    mem.set(c.hot, LAYOUT.REGS);
    this.wasm.invalidateAll();
  }

  /** True when [addr, addr + len) lies inside SRAM. */
  inSram(addr: bigint, len: number): boolean {
    return addr >= 0n && len >= 0 && addr + BigInt(len) <= BigInt(LAYOUT.SRAM_SIZE);
  }

  /** A copy of SRAM bytes; the range must be inside SRAM (see inSram). */
  readMem(addr: bigint, len: number): Uint8Array {
    if (!this.inSram(addr, len)) throw new RangeError(`[0x${addr.toString(16)}, +${len}) is outside SRAM`);
    return new Uint8Array(this.wasm.memory.buffer, this.sramAt + Number(addr), len).slice();
  }

  writeMem(addr: bigint, bytes: Uint8Array): void {
    this.clean = false;
    if (!this.inSram(addr, bytes.length)) throw new RangeError(`[0x${addr.toString(16)}, +${bytes.length}) is outside SRAM`);
    new Uint8Array(this.wasm.memory.buffer, this.sramAt + Number(addr), bytes.length).set(bytes);
    this.wasm.selectCore(this.slot);
    this.wasm.invalidateRange(Number(addr), bytes.length);
  }
}
