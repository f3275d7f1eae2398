// A machine of cores (docs/machine.md, "Mesh"; one core is a 1x1 machine): one wasm instance per partition
// (a die, or the whole of a small mesh), loading, and the run: windows of every instance, host calls, the
// messages between instances, barriers, the end (every core exited), faults, deadlock and the cycle limit.
import { performance } from 'node:perf_hooks';
import type { Diagnostic } from '../../assembler/diagnostics.js';
import type { Image } from '../../assembler/image.js';
import { CORE_NET_FIELDS, EVENT, EVENT_FIELDS, LAYOUT, LINK, MESH_CFG, STOP, TICKS_PER_CYCLE, TRACE_FIELDS, TRACE_KIND } from '../layout.js';
import { meshPreset, NOC, type MeshPreset } from '../presets.js';
import { enabledCores, writeConfig, type Partition } from './config.js';
import { Core, coreRegions, instantiate, jitDefault, newMemory, NO_LANE, type CoreCheckpoint, type CoreExports, type LaneHooks, type StopReason } from './core.js';
import { copyPages, restorePages, type Pages } from './pages.js';
import { hitSlot, markExited, NO_LIMIT, raceLog, turn, type PartTurn } from './part.js';
import type { Point, RaceChecker } from './races.js';
import { hostCall, type Sink } from './run.js';
import { WorkerPool } from './workers.js';
import { Lane } from './lanes.js';

const I64_MAX = (1n << 63n) - 1n;
const TICKS = BigInt(TICKS_PER_CYCLE);
const ENGINES = ['DMA', 'list-parser', 'gather'] as const;
const ENGINE_FAULTS: Record<number, string> = {
  1: 'the descriptor list loops: this descriptor comes round again',
  2: 'a descriptor, a source or a destination lies outside SRAM or the mesh',
  3: 'a source or destination is on a disabled core',
  4: 'the descriptor is not 8-byte aligned',
  5: 'a gather row is longer than 1024 bytes',
};

/** One wasm instance and the cores it holds. */
export interface Part {
  rect: Partition;
  /** The instance's shared memory, and the host's instance over it. */
  memory: WebAssembly.Memory;
  wasm: CoreExports;
  /** Global core number of each slot, and a Core view of each. */
  globals: number[];
  cores: Core[];
  /** Its configuration and counters (MESH_CFG), read and written between windows. */
  cfg: CfgView;
  /** Its way to a second lane (emulator/host/lanes.ts), when one runs. */
  lane: LaneHooks;
}

export type MeshOutcome =
  | { kind: 'exit'; code: number }
  | { kind: 'limit' }
  | { kind: 'interrupted' }
  | { kind: 'stop'; core: number; stop: Exclude<StopReason, { kind: 'limit' } | { kind: 'ecall' }> }
  | { kind: 'hostcall'; core: number; number: bigint; pc: bigint }
  | { kind: 'engine'; core: number; engine: string; why: string; desc: bigint; pc: bigint }
  | { kind: 'barrier'; core: number; why: string }
  | { kind: 'deadlock' };

export interface MeshRunOptions {
  stdout: Sink;
  stderr: Sink;
  maxCycles?: bigint;
  interrupted?: () => boolean;
  /** Called about every 0.2 s with the machine's time in cycles (progress on a TTY). */
  progress?: (cycles: bigint) => void;
  /** Threads that run the instances of a machine of several (a tile); 1: the host thread alone. */
  workers?: number;
  /** A die on two lanes: wait until the second lane takes part before the first window (by default the
   * run starts at once and the lane joins when its worker is ready; the results are the same). */
  awaitLanes?: boolean;
}

/**
 * A thread's wait (who: thread, detail: WAIT kind), an engine's descriptor (who: ENGINE_KIND), a thread's
 * stretch in a profiling region (who: thread, detail: the region), a message delivered to `core` (who:
 * MSG_KIND, detail: bytes, start..end: its time on the core's SRAM write port, arg: the pc behind it, and
 * `message`), a semaphore's new value (who: the semaphore, detail: the value, at start), or the load of
 * the links of the router of `core` in a window (`busy`: ticks per link, LINK order); times in ticks.
 * (emulator/layout.ts TRACE_FIELDS.)
 */
export interface TraceRecord {
  kind: 'wait' | 'engine' | 'region' | 'message' | 'semaphore' | 'links';
  core: number;
  who: number;
  detail: number;
  start: bigint;
  end: bigint;
  arg: bigint;
  /** A message: the core it came from, who sent it there (SENDER kind << 8 | thread or engine) and when
   * (its flow's start), the core of the instruction behind it, its address or semaphore. */
  message?: { from: number; sender: number; sent: bigint; origin: number; target: number };
  busy?: number[];
}

/** Trace records a machine keeps at most (`trace()`); past them the trace notes how many it left out. */
export const TRACE_LIMIT = 200_000;

interface Arrival {
  part: Part;
  slot: number;
  thread: number;
  time: bigint;
  /** The race checker's point of the thread at its arrival. */
  race?: Point;
}

/** A machine's state, for going back in time (the debugger: docs/debugger.md, "Reverse execution"). */
export interface MachineSnapshot {
  /** Each instance's network and configuration, and its cores' state and SRAM (not what is rebuilt from
   * them, predecoded records and compiled code, nor the breakpoint marks), page by page. */
  memory: Pages[];
  /** What the host keeps between windows. */
  exits: [number, number][];
  barriers: [bigint, [number, Arrival][]][];
  done: Part[];
  started: boolean;
  now: bigint;
  traced: number;
  leftOut: Machine['traceLeftOut'];
}

/** Partitions of a machine: the whole mesh when it fits one instance, else one per die. */
export function partitionsOf(m: MeshPreset): Partition[] {
  if (m.w * m.h <= LAYOUT.MAX_CORES && m.w <= m.dieW && m.h <= m.dieH) return [{ x: 0, y: 0, w: m.w, h: m.h }];
  const out: Partition[] = [];
  for (let y = 0; y < m.h; y += m.dieH) for (let x = 0; x < m.w; x += m.dieW) out.push({ x, y, w: Math.min(m.dieW, m.w - x), h: Math.min(m.dieH, m.h - y) });
  return out;
}

/**
 * An instance's MESH_CFG fields, read and written between windows many times a second: typed arrays
 * (a DataView over shared memory is several times slower in V8). Little-endian, as wasm memory is.
 */
class CfgView {
  private readonly u32: Uint32Array;
  private readonly i64: BigInt64Array;
  constructor(buffer: ArrayBufferLike) {
    this.u32 = new Uint32Array(buffer, LAYOUT.MESH, 0x40);
    this.i64 = new BigInt64Array(buffer, LAYOUT.MESH, 0x20);
  }
  getUint32(off: number, _le?: boolean): number {
    return this.u32[off >> 2]!;
  }
  setUint32(off: number, v: number, _le?: boolean): void {
    this.u32[off >> 2] = v;
  }
  getBigInt64(off: number, _le?: boolean): bigint {
    return this.i64[off >> 3]!;
  }
  setBigInt64(off: number, v: bigint, _le?: boolean): void {
    this.i64[off >> 3] = v;
  }
}

/** Windows a speculation across the instances of a machine (lockstep) takes at most. */
const LOCKSTEP_MOST = 128;

/** Nothing in flight in an instance (no message, nothing for the host), speculation allowed, no trace. */
function quiet(c: CfgView): boolean {
  const pending = c.getUint32(MESH_CFG.HEAP_N) + c.getUint32(MESH_CFG.IN_N) + c.getUint32(MESH_CFG.OUT_N) + c.getUint32(MESH_CFG.EVENT_N);
  return pending === 0 && c.getUint32(MESH_CFG.SPEC_ON) !== 0 && c.getUint32(MESH_CFG.TRACE_ON) === 0;
}

/** How a machine's instances are built (Machine's constructor says what each means). */
export interface MachineOptions {
  watchpoints?: boolean;
  jit?: boolean;
  timing?: boolean;
  races?: RaceChecker;
  speculate?: boolean;
}

/** A machine of one core (`d1 run` and `d1 debug` without a mesh): a 1x1 mesh. */
export function oneCore(opts: MachineOptions = {}): Machine {
  return new Machine(meshPreset(1, 1), opts);
}

/** What drain() gives for an empty buffer. */
const NOTHING = { dv: new DataView(new ArrayBuffer(0)), at: [] as number[] };

export class Machine {
  readonly parts: Part[];
  /** Every enabled core by global number. */
  readonly cores = new Map<number, { part: Part; slot: number; core: Core }>();
  /** The program's exit code per core that has exited. */
  readonly exits = new Map<number, number>();
  private readonly barriers = new Map<bigint, Map<number, Arrival>>();
  wallSeconds = 0;
  /** Trace records (with `trace()` on), in the order the emulator made them. */
  readonly traceRecords: TraceRecord[] = [];
  /** Records not kept: past the limit (the earliest start among them), and lost when a window made more
   * than an instance's buffer holds. */
  readonly traceLeftOut = { overLimit: 0, from: undefined as bigint | undefined, lost: 0 };
  private tracing = false;
  private traceLimit = TRACE_LIMIT;

  /** Keep trace records from now on (for `--trace`), at most `limit` of them. */
  trace(limit = TRACE_LIMIT): void {
    this.tracing = true;
    this.traceLimit = limit;
    for (const p of this.parts) p.cfg.setUint32(MESH_CFG.TRACE_ON, 1, true);
  }

  /** The records an instance left in one of its buffers (base, record size, MESH offset of the fill
   * count), as a view and each record's offset in it; the buffer is emptied. */
  private drain(p: Part, base: number, size: number, fill: number): { dv: DataView; at: number[] } {
    const cfg = p.cfg;
    const n = cfg.getUint32(fill, true);
    if (n === 0) return NOTHING;
    cfg.setUint32(fill, 0, true);
    return { dv: new DataView(p.wasm.memory.buffer, base, n * size), at: Array.from({ length: n }, (_, i) => i * size) };
  }

  private takeTrace(): void {
    if (!this.tracing) return;
    for (const p of this.parts) {
      const cfg = p.cfg;
      this.traceLeftOut.lost += cfg.getUint32(MESH_CFG.TRACE_LOST, true);
      cfg.setUint32(MESH_CFG.TRACE_LOST, 0, true);
      const { dv, at: records } = this.drain(p, LAYOUT.TRACE, LAYOUT.TRACE_BYTES, MESH_CFG.TRACE_N);
      for (const at of records) {
        const f = (k: keyof typeof TRACE_FIELDS) => at + TRACE_FIELDS[k];
        const kind = (['wait', 'engine', 'region', 'message', 'semaphore', 'links'] as const)[dv.getUint32(f('KIND'), true) - TRACE_KIND.WAIT]!;
        const slot = dv.getUint32(f('SLOT'), true);
        const start = dv.getBigInt64(f('START'), true);
        if (this.traceRecords.length >= this.traceLimit) {
          this.traceLeftOut.overLimit++;
          if (this.traceLeftOut.from === undefined || start < this.traceLeftOut.from) this.traceLeftOut.from = start;
          continue;
        }
        // (a links record names a router of the instance, which may be a disabled core's)
        const core = kind === 'links' ? (p.rect.y + Math.floor(slot / p.rect.w)) * this.preset.w + p.rect.x + (slot % p.rect.w) : p.globals[slot]!;
        this.traceRecords.push({
          kind,
          core,
          who: dv.getUint32(f('WHO'), true),
          detail: dv.getUint32(f('DETAIL'), true),
          start,
          end: dv.getBigInt64(f('END'), true),
          arg: dv.getBigUint64(f('ARG'), true),
          ...(kind === 'message'
            ? { message: { from: dv.getUint32(f('FROM'), true), sender: dv.getUint32(f('SENDER'), true), sent: dv.getBigInt64(f('SENT'), true), origin: dv.getUint32(f('ORIGIN'), true), target: dv.getUint32(f('TARGET'), true) } }
            : {}),
          ...(kind === 'links' ? { busy: Array.from({ length: LAYOUT.LINK_COUNT }, (_, i) => dv.getUint32(f('BUSY') + 4 * i, true)) } : {}),
        });
      }
    }
  }

  /** The race checker's log, taken from the instances as they filled it up (by instance), for `races`. */
  private readonly raceLogs: Uint8Array[][] = [];

  /** `watchpoints`: the debugging build of the core, whose watch ranges apply to every core of an instance;
   * `jit`: hot code runs as compiled blocks (the default; docs/machine.md "Block compiler"); `races`: the
   * race-checking build, whose log goes to this checker (`d1 run --check-races`); `speculate: false`:
   * windows run one at a time, never speculatively (the same results, slower: for checking that). */
  constructor(readonly preset: MeshPreset, private readonly opts: MachineOptions = {}) {
    this.parts = partitionsOf(preset).map((rect, i) => {
      const memory = newMemory();
      const logs: Uint8Array[] = (this.raceLogs[i] = []);
      const flush = opts.races ? () => logs.push(raceLog(memory)) : undefined;
      const lane = { ...NO_LANE };
      const wasm = instantiate(!!opts.watchpoints, memory, opts.jit ?? jitDefault(), opts.timing ?? true, undefined, flush, lane);
      // the instance sets each core up (growing its memory), then the configuration goes in
      const enabled = new Set(enabledCores(preset));
      let n = 0;
      for (let y = rect.y; y < rect.y + rect.h; y++) for (let x = rect.x; x < rect.x + rect.w; x++) if (enabled.has(y * preset.w + x)) n++;
      wasm.initCores(n);
      const globals = writeConfig(wasm.memory.buffer, preset, rect);
      new DataView(wasm.memory.buffer).setUint32(LAYOUT.MESH + MESH_CFG.SPEC_ON, opts.speculate === false ? 0 : 1, true);
      const cores = globals.map((_, slot) => new Core({ instance: wasm, slot, ...(opts.watchpoints ? { watchpoints: true } : {}) }));
      // (the view is kept: the instance's memory has all its cores' pages now, and grows no more)
      const part: Part = { rect, memory, wasm, globals, cores, cfg: new CfgView(wasm.memory.buffer), lane };
      globals.forEach((g, slot) => this.cores.set(g, { part, slot, core: cores[slot]! }));
      return part;
    });
  }

  /** The race checker's log of each instance in order: what it filled up (in a worker, or here) and what
   * it holds now. */
  private takeRaces(turns?: PartTurn[]): void {
    const races = this.opts.races;
    if (!races) return;
    this.parts.forEach((p, i) => {
      for (const chunk of [...(turns?.[i]?.races ?? []), ...this.raceLogs[i]!.splice(0)]) races.take(p.globals, new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), LAYOUT.RACE_COUNT);
      const { dv, at } = this.drain(p, LAYOUT.RACE_LOG, LAYOUT.RACE_BYTES, MESH_CFG.RACE_N);
      races.take(p.globals, dv, at.length);
    });
  }

  /** The view of core g (global number; by default core 0, the core of a one-core machine). */
  core(g = 0): Core {
    return this.cores.get(g)!.core;
  }

  xy(g: number): [number, number] {
    return [g % this.preset.w, Math.floor(g / this.preset.w)];
  }

  name(g: number): string {
    const [x, y] = this.xy(g);
    return `(${x},${y})`;
  }

  /** Cores that have a program (the others stay idle: they count as exited with 0). */
  private readonly loaded = new Set<number>();

  /** Load one image into every enabled core for which `where(x, y)` holds (default: all). */
  load(image: Image, file = 'program', where: (x: number, y: number) => boolean = () => true): Diagnostic[] {
    for (const [g, { core }] of this.cores) {
      const [x, y] = this.xy(g);
      if (!where(x, y)) continue;
      const errors = core.load(image, file);
      if (errors.length > 0) return errors;
      this.loaded.add(g);
    }
    return [];
  }

  private net(p: Part, slot: number): DataView {
    return new DataView(p.wasm.memory.buffer, coreRegions(slot).net, 0x100);
  }

  /**
   * Which instances of a machine of several have anything to do in the next window: a core with a thread
   * that can run, or a message in its network or on its way in or out. An idle one sits the window out
   * (a window's cost grows with the instances at work, not with the machine).
   */
  private busyParts(): boolean[] {
    if (this.parts.length === 1) return [true];
    return this.parts.map((p) => {
      const c = p.cfg;
      if (c.getUint32(MESH_CFG.HEAP_N, true) + c.getUint32(MESH_CFG.IN_N, true) + c.getUint32(MESH_CFG.OUT_N, true) > 0) return true;
      if (this.done.has(p)) return false;
      if (p.wasm.liveCores() === 0) {
        this.done.add(p); // (an exited core never runs again)
        return false;
      }
      // waiting cores wait for a message (in flight elsewhere) or a barrier (the host releases it)
      return p.wasm.runnableCores() > 0;
    });
  }

  /** Instances all of whose cores have exited. */
  private readonly done = new Set<Part>();

  halted(p: Part, slot: number): boolean {
    return this.net(p, slot).getUint32(CORE_NET_FIELDS.HALT, true) !== 0;
  }

  private halt(p: Part, slot: number, code: number): void {
    markExited(p.wasm, slot, code);
    this.exits.set(p.globals[slot]!, code);
  }

  /** Network bytes a core sent and received. */
  traffic(g: number): { sent: number; received: number } {
    const { part, slot } = this.cores.get(g)!;
    const n = this.net(part, slot);
    return { sent: n.getFloat64(CORE_NET_FIELDS.SENT, true), received: n.getFloat64(CORE_NET_FIELDS.RECEIVED, true) };
  }

  /** Every link that carried something: router (x, y), direction, busy cycles, bytes, messages. */
  links(): { x: number; y: number; dir: keyof typeof LINK; busy: number; bytes: number; messages: number; free: bigint }[] {
    const out = [];
    const dirs = Object.keys(LINK) as (keyof typeof LINK)[];
    for (const p of this.parts) {
      const dv = new DataView(p.wasm.memory.buffer, LAYOUT.LINKS, p.rect.w * p.rect.h * LAYOUT.LINK_COUNT * LAYOUT.LINK_BYTES);
      for (let r = 0; r < p.rect.w * p.rect.h; r++) {
        for (let l = 0; l < LAYOUT.LINK_COUNT; l++) {
          const at = (r * LAYOUT.LINK_COUNT + l) * LAYOUT.LINK_BYTES;
          const messages = dv.getFloat64(at + 24, true);
          if (messages === 0) continue;
          out.push({
            x: p.rect.x + (r % p.rect.w),
            y: p.rect.y + Math.floor(r / p.rect.w),
            dir: dirs[l]!,
            busy: Number(dv.getBigInt64(at + 8, true)) / TICKS_PER_CYCLE,
            bytes: dv.getFloat64(at + 16, true),
            messages,
            free: dv.getBigInt64(at, true),
          });
        }
      }
    }
    return out;
  }

  /** The machine's time: when the last core and the last message were done. */
  get cycles(): bigint {
    let t = 0n;
    for (const { core } of this.cores.values()) if (core.cycles > t) t = core.cycles;
    for (const l of this.links()) {
      const c = (l.free + TICKS - 1n) / TICKS;
      if (c > t) t = c;
    }
    return t;
  }

  /** Speculative windows so far (docs/machine.md, "Windows"): speculations that stood and the windows
   * they ran, speculations undone, and those whose cores ran on two lanes (tries, whether they stood). */
  get speculation(): { runs: number; windows: number; undone: number; onLanes: number } {
    const s = { runs: 0, windows: 0, undone: 0, onLanes: 0 };
    for (const p of this.parts) {
      s.runs += p.cfg.getUint32(MESH_CFG.SPEC_RUNS);
      s.windows += p.cfg.getUint32(MESH_CFG.SPEC_WINDOWS);
      s.undone += p.cfg.getUint32(MESH_CFG.SPEC_UNDONE);
      s.onLanes += p.cfg.getUint32(MESH_CFG.SPEC_LANES);
    }
    return s;
  }

  get instructions(): bigint {
    let n = 0n;
    for (const { core } of this.cores.values()) n += core.instret;
    return n;
  }

  /** The group of a barrier: enabled cores of its rectangle (all for -1). */
  members(group: bigint): number[] {
    const all = group === (1n << 64n) - 1n;
    const x0 = all ? 0 : Number(group & 0xffn), y0 = all ? 0 : Number((group >> 8n) & 0xffn);
    const x1 = all ? this.preset.w - 1 : Number((group >> 16n) & 0xffn), y1 = all ? this.preset.h - 1 : Number((group >> 24n) & 0xffn);
    const out: number[] = [];
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if (this.cores.has(y * this.preset.w + x)) out.push(y * this.preset.w + x);
    return out;
  }

  groupName(group: bigint): string {
    if (group === (1n << 64n) - 1n) return 'all cores';
    const n = (s: bigint) => Number((group >> s) & 0xffn);
    return `(${n(0n)},${n(8n)})-(${n(16n)},${n(24n)})`;
  }

  /** Barrier latency: a reduction to a corner and a broadcast back, hop by hop across the group. */
  private barrierTicks(group: bigint): bigint {
    const m = this.members(group).map((g) => this.xy(g));
    const w = Math.max(...m.map(([x]) => x)) - Math.min(...m.map(([x]) => x)) + 1;
    const h = Math.max(...m.map(([, y]) => y)) - Math.min(...m.map(([, y]) => y)) + 1;
    return BigInt(2 * (w + h - 2) * NOC.hopCycles) * TICKS;
  }

  /** Events after a window: barrier arrivals and engine faults. Returns an outcome when one ends the run,
   * and whether a barrier released its cores (a group of one core is complete at each arrival: two of its
   * threads may arrive at it one after the other). */
  private takeEvents(): { outcome?: MeshOutcome; released: boolean } {
    let released = false;
    for (const p of this.parts) {
      const { dv, at: records } = this.drain(p, LAYOUT.EVENTS, LAYOUT.EVENT_BYTES, MESH_CFG.EVENT_N);
      for (const at of records) {
        const kind = dv.getUint32(at + EVENT_FIELDS.KIND, true);
        const slot = dv.getUint32(at + EVENT_FIELDS.SLOT, true);
        const g = p.globals[slot]!;
        if (kind === EVENT.ENGINE_FAULT) {
          return {
            outcome: {
              kind: 'engine',
              core: g,
              engine: ENGINES[dv.getUint32(at + EVENT_FIELDS.THREAD, true)]!,
              why: ENGINE_FAULTS[dv.getUint32(at + EVENT_FIELDS.CODE, true)] ?? 'unknown',
              desc: dv.getBigUint64(at + EVENT_FIELDS.ARG0, true),
              pc: dv.getBigUint64(at + EVENT_FIELDS.ARG1, true),
            },
            released,
          };
        }
        const group = dv.getBigUint64(at + EVENT_FIELDS.ARG0, true);
        const time = dv.getBigUint64(at + EVENT_FIELDS.ARG1, true);
        const members = this.members(group);
        const misuse = (why: string) => ({ outcome: { kind: 'barrier' as const, core: g, why }, released });
        if (!members.includes(g)) return misuse(`core ${this.name(g)} arrived at a barrier of group ${this.groupName(group)}, which it is not in`);
        const thread = dv.getUint32(at + EVENT_FIELDS.THREAD, true);
        const arrival = (): Arrival => ({ part: p, slot, thread, time, ...(this.opts.races ? { race: this.opts.races.barrierArrival(g, thread) } : {}) });
        if (members.length === 1) {
          this.depart(group, [[g, arrival()]]);
          released = true;
          continue;
        }
        let waiting = this.barriers.get(group);
        if (!waiting) this.barriers.set(group, (waiting = new Map()));
        if (waiting.has(g)) return misuse(`core ${this.name(g)} arrived twice at the barrier of group ${this.groupName(group)} (two of its threads?)`);
        for (const [other, arrivals] of this.barriers) {
          if (other !== group && arrivals.has(g)) return misuse(`core ${this.name(g)} waits at two barriers, ${this.groupName(other)} and ${this.groupName(group)}`);
        }
        waiting.set(g, arrival());
      }
    }
    return { released };
  }

  /** Release every barrier whose group has all arrived; a group with an exited member is misuse. */
  private resolveBarriers(): { released: boolean; outcome?: MeshOutcome } {
    let released = false;
    for (const [group, waiting] of [...this.barriers]) {
      const members = this.members(group);
      const gone = members.find((g) => this.exits.has(g));
      if (gone !== undefined) {
        return { released, outcome: { kind: 'barrier', core: [...waiting.keys()][0]!, why: `the barrier of group ${this.groupName(group)} can never complete: core ${this.name(gone)} has exited (${waiting.size} of ${members.length} cores arrived)` } };
      }
      if (waiting.size < members.length) continue;
      this.depart(group, [...waiting]);
      this.barriers.delete(group);
      released = true;
    }
    return { released };
  }

  /** A barrier's cores leave: when the last arrived, plus the barrier's latency. */
  private depart(group: bigint, arrivals: [number, Arrival][]): void {
    let t = 0n;
    for (const [, a] of arrivals) if (a.time > t) t = a.time;
    t += this.barrierTicks(group);
    for (const [, a] of arrivals) a.part.wasm.release(a.slot, a.thread, t);
    this.opts.races?.barrierDeparture(arrivals.map(([core, a]) => ({ core, thread: a.thread, point: a.race! })));
  }

  /** Waiting barriers, for the deadlock report: group -> cores arrived. */
  barrierWaits(): Map<bigint, number[]> {
    return new Map([...this.barriers].map(([g, w]) => [g, [...w.keys()]]));
  }

  /** Move messages that left one instance into the next one's inbox. */
  private exchange(): boolean {
    if (this.parts.length === 1) return false;
    let moved = false;
    for (const p of this.parts) {
      const cfg = p.cfg;
      const n = cfg.getUint32(MESH_CFG.OUT_N, true);
      for (let i = 0; i < n; i++) {
        const rec = new Uint8Array(p.wasm.memory.buffer, LAYOUT.OUTBOX + i * LAYOUT.MSG_BYTES, LAYOUT.MSG_BYTES);
        const at = new DataView(rec.buffer, rec.byteOffset).getUint32(28, true);
        const [x, y] = this.xy(at);
        const q = this.parts.find((o) => x >= o.rect.x && x < o.rect.x + o.rect.w && y >= o.rect.y && y < o.rect.y + o.rect.h)!;
        const qc = q.cfg;
        const k = qc.getUint32(MESH_CFG.IN_N, true);
        if (k >= LAYOUT.BOX_COUNT) throw new Error('inbox overflow');
        new Uint8Array(q.wasm.memory.buffer, LAYOUT.INBOX + k * LAYOUT.MSG_BYTES, LAYOUT.MSG_BYTES).set(rec);
        qc.setUint32(MESH_CFG.IN_N, k + 1, true);
        moved = true;
      }
      cfg.setUint32(MESH_CFG.OUT_N, 0, true);
    }
    return moved;
  }

  private allHalted(): boolean {
    return this.exits.size === this.cores.size;
  }

  /** Before the first window: cores without a program count as exited with 0. */
  private started = false;

  private start(): void {
    if (this.started) return;
    this.started = true;
    for (const [g, { part, slot }] of this.cores) if (!this.loaded.has(g) && !this.halted(part, slot)) this.halt(part, slot, 0);
  }

  /**
   * One round: every instance's turn (up to `windows` windows of a one-instance machine; one window of
   * several, whose turns are given when worker threads ran them), then what the host does between
   * windows. `busy`: the instances at work, when the caller has just found them. Returns the outcome when
   * the run ends.
   */
  round(opts: Pick<MeshRunOptions, 'stdout' | 'stderr' | 'maxCycles'>, windows = 64, busy = this.busyParts(), given?: Map<number, PartTurn>): MeshOutcome | undefined {
    this.start();
    const multi = this.parts.length > 1;
    const limitTicks = opts.maxCycles !== undefined ? opts.maxCycles * TICKS : I64_MAX;
    let blocked = true;
    let outcome: MeshOutcome | undefined;
    const idle: PartTurn = { output: [], exits: [], end: 'blocked' };
    // One instance at work (or the only one) runs its windows on its own, choosing the next itself, until
    // the host has something to do: as the others wait for nothing, that is what lock-step would do.
    const alone = busy.filter(Boolean).length === 1 && !given ? busy.indexOf(true) : -1;
    if (alone >= 0 && opts.maxCycles !== undefined) {
      // (a turn stops about at the cycle limit, not up to `windows` windows past it)
      const c = this.parts[alone]!.cfg;
      const end = c.getBigInt64(MESH_CFG.WINDOW_END, true);
      windows = end >= limitTicks ? 1 : Math.min(windows, Number((limitTicks - end) / c.getBigInt64(MESH_CFG.WINDOW, true)) + 1);
    }
    const turns = this.parts.map((p, i) => {
      if (!busy[i]) {
        p.cfg.setUint32(MESH_CFG.PROGRESS, 0, true);
        return idle;
      }
      return given?.get(i) ?? turn(p.wasm, p.cores, alone >= 0 ? windows : 1, alone >= 0);
    });
    this.takeRaces(turns);
    for (let i = 0; i < turns.length; i++) {
      const p = this.parts[i]!, t = turns[i]!;
      if (t === idle) continue;
      for (const o of t.output) (o.fd === 1 ? opts.stdout : opts.stderr).write(o.bytes);
      for (const [slot, code] of t.exits) this.exits.set(p.globals[slot]!, code);
      if (t.end === 'window') blocked = false;
      else if (t.end !== 'blocked' && !outcome) {
        const g = p.globals[t.end.slot]!;
        const core = p.cores[t.end.slot]!;
        outcome = 'hostcall' in t.end
          ? { kind: 'hostcall', core: g, number: t.end.hostcall, pc: t.end.pc }
          : { kind: 'stop', core: g, stop: core.decodeStop(t.end.stop) as Extract<MeshOutcome, { kind: 'stop' }>['stop'] };
      }
    }
    this.settled = !outcome;
    if (outcome) return outcome;
    this.takeTrace();
    const events = this.takeEvents();
    if (events.outcome) return events.outcome;
    const moved = this.exchange();
    const resolved = this.resolveBarriers();
    if (resolved.outcome) return resolved.outcome;
    const released = events.released || resolved.released;
    if (this.allHalted()) {
      // deliver what is still in flight, then stop (a watch hit on the way stops first: the next round goes on)
      for (let i = 0; i < 64 && (i === 0 || this.exchange()); i++) {
        for (const p of this.parts) if (p.wasm.netWindow(true) === STOP.WATCH) return this.watchStop(p);
      }
      return { kind: 'exit', code: [...this.cores.keys()].map((g) => this.exits.get(g) ?? 0).find((c) => c !== 0) ?? 0 };
    }
    // while cores retire instructions the next window follows; else look for the earliest event
    const lead = this.parts[Math.max(alone, 0)]!;
    const q = lead.cfg.getBigInt64(MESH_CFG.WINDOW, true);
    const ended = lead.cfg.getBigInt64(MESH_CFG.WINDOW_END, true);
    const lockstep = multi && alone < 0;
    const progressed = this.parts.some((p, i) => busy[i] && p.cfg.getUint32(MESH_CFG.PROGRESS, true) !== 0);
    let earliest = I64_MAX;
    if (!(lockstep && progressed)) {
      // (an instance that sat the window out has nothing running and nothing in flight)
      const ran = this.parts.filter((_, i) => busy[i]);
      for (const p of ran) {
        const e = p.wasm.earliest();
        if (e < earliest) earliest = e;
      }
      const runnable = ran.some((p) => p.wasm.runnableCores() > 0);
      if (!runnable && earliest === I64_MAX && !released && !moved) return { kind: 'deadlock' };
    }
    if (lockstep) {
      const next = progressed ? ended + q : lead.wasm.nextWindowEnd(earliest);
      for (const p of this.parts) p.cfg.setBigInt64(MESH_CFG.WINDOW_END, next, true);
    } else {
      // woken by a barrier: make sure the window reaches the woken threads
      if (blocked || released) lead.cfg.setBigInt64(MESH_CFG.WINDOW_END, lead.wasm.nextWindowEnd(earliest), true);
      const next = lead.cfg.getBigInt64(MESH_CFG.WINDOW_END, true);
      if (multi) for (const p of this.parts) p.cfg.setBigInt64(MESH_CFG.WINDOW_END, next, true);
    }
    const reached = lockstep ? ended : lead.cfg.getBigInt64(MESH_CFG.WINDOW_END, true) - q;
    if ((earliest !== I64_MAX && earliest >= limitTicks) || (reached !== I64_MAX - q && reached >= limitTicks)) return { kind: 'limit' };
    this.now = earliest !== I64_MAX ? earliest : ended !== I64_MAX ? ended : 0n;
    return undefined;
  }

  /** An instance's watch hit as the run's outcome (the debugger). */
  private watchStop(p: Part): MeshOutcome {
    this.settled = false;
    const slot = hitSlot(p.wasm);
    return { kind: 'stop', core: p.globals[slot]!, stop: p.cores[slot]!.decodeStop(STOP.WATCH) as Extract<MeshOutcome, { kind: 'stop' }>['stop'] };
  }

  /** The machine's time at the last round (ticks), for progress reports. */
  private now = 0n;

  /**
   * The debugger's step, and the run of a machine of one core (`d1 run`, emulator/host/run.ts): core g runs
   * alone for up to n of its instructions (or, once it has exited, the others run n instructions); when it
   * reaches the window's end or waits, the rest of the machine runs the window (round). Cores meet only at
   * windows' ends, so the order they run in within a window changes nothing: a run stepped this way gives
   * the same results as a plain one.
   */
  stepCore(g: number, n: bigint, io: Pick<MeshRunOptions, 'stdout' | 'stderr'>): { kind: 'step' } | MeshOutcome {
    const { part, slot, core } = this.cores.get(g)!;
    this.start();
    let left = n;
    while (left > 0n) {
      if (this.halted(part, slot)) {
        const before = this.instructions;
        const o = this.round(io, 1);
        if (o) return o;
        left -= this.instructions - before;
        continue;
      }
      const before = core.instret;
      const r = core.runRaw(left);
      left -= core.instret - before;
      if (r === 'window' || r === 'blocked') {
        const o = this.round(io, 1);
        if (o) return o;
        continue;
      }
      if (r.kind === 'limit') continue;
      if (r.kind === 'ecall') {
        const h = hostCall(core, io);
        if (h.unknown !== undefined) return { kind: 'hostcall', core: g, number: h.unknown, pc: core.pc - 4n };
        if (h.exit !== undefined) {
          this.halt(part, slot, h.exit);
          // (a machine of one core stops at its exit: what is still in flight stays there, as `d1 run` on
          // one core has always done; a mesh's run delivers it)
          if (this.cores.size === 1) return { kind: 'exit', code: h.exit };
          if (this.allHalted()) {
            const o = this.round(io, 1);
            if (o) return o;
          }
        }
        continue;
      }
      return { kind: 'stop', core: g, stop: r };
    }
    return { kind: 'step' };
  }

  /** Put core g back as Core.checkpoint() saw it, for the one-core debugger's history: a machine of one core
   * keeps nothing of its own between windows but the core's exit, which is forgotten when the core had not
   * exited then (the messages in flight are not part of it). */
  restoreCore(g: number, s: CoreCheckpoint): void {
    const { part, slot, core } = this.cores.get(g)!;
    core.restore(s);
    if (this.halted(part, slot) || !this.exits.delete(g)) return;
    part.wasm.allLive(part.cores.length); // (an exited core leaves the list again at the next window)
  }

  /** False while a window is part-way through (a core stopped in an instance's turn, or in the network's
   * part): the instance keeps where it is in its globals, so the machine cannot be snapshotted then. */
  private settled = true;

  /** The regions of an instance a snapshot keeps. */
  private stateRanges(p: Part): [number, number][] {
    return [[LAYOUT.REGS, LAYOUT.CORES], ...p.cores.map((c): [number, number] => [coreRegions(c.slot).base, coreRegions(c.slot).base + LAYOUT.CORE_PREDEC])];
  }

  /**
   * The machine's state (`before`: an earlier snapshot, whose unchanged pages this one shares), or
   * undefined while a window is part-way through. Not with a race checker, whose state is its own.
   */
  snapshot(before?: MachineSnapshot): MachineSnapshot | undefined {
    if (!this.settled) return undefined;
    return {
      memory: this.parts.map((p, i) => copyPages(new Uint8Array(p.memory.buffer), this.stateRanges(p), before?.memory[i])),
      exits: [...this.exits],
      barriers: [...this.barriers].map(([g, w]) => [g, [...w].map(([c, a]) => [c, { ...a }])]),
      done: [...this.done],
      started: this.started,
      now: this.now,
      traced: this.traceRecords.length,
      leftOut: { ...this.traceLeftOut },
    };
  }

  /** Return to a snapshot: SRAM that differs drops its predecoded records and compiled code. The caller
   * sets the watch state again (it may be left empty). */
  restore(s: MachineSnapshot): void {
    this.parts.forEach((p, i) => {
      if (!this.settled) this.endWindow(p);
      const changed: [number, number][] = [];
      restorePages(new Uint8Array(p.memory.buffer), s.memory[i]!, (at, len) => changed.push([at, at + len]));
      const cur = p.cfg.getUint32(MESH_CFG.CUR, true);
      for (const [at, end] of changed) {
        if (at < LAYOUT.CORES) continue; // (the network and the configuration)
        const slot = Math.floor((at - LAYOUT.CORES) / LAYOUT.CORE_BYTES);
        const sram = coreRegions(slot).sram;
        if (end <= sram) continue;
        p.wasm.selectCore(slot);
        p.wasm.invalidateRange(Math.max(at, sram) - sram, end - Math.max(at, sram));
      }
      p.wasm.selectCore(cur);
    });
    this.exits.clear();
    for (const [g, code] of s.exits) this.exits.set(g, code);
    this.barriers.clear();
    for (const [g, w] of s.barriers) this.barriers.set(g, new Map(w.map(([c, a]) => [c, { ...a }])));
    this.done.clear();
    for (const p of s.done) this.done.add(p);
    this.started = s.started;
    this.now = s.now;
    this.traceRecords.length = s.traced;
    Object.assign(this.traceLeftOut, s.leftOut);
    this.settled = true;
  }

  /**
   * Bring an instance's run loop to the end of the window it is part-way through (where it goes on is in
   * its globals, which a snapshot does not hold) doing nothing more of it: with every core marked exited
   * and nothing watched, what is left is the network's part. (restore() then overwrites what this changed.)
   */
  private endWindow(p: Part): void {
    p.wasm.setWatch(false, 0n, 0n);
    p.wasm.setWatch(true, 0n, 0n);
    for (const c of p.cores) {
      markExited(p.wasm, c.slot, 0);
      c.setSemWatch(0);
    }
    p.wasm.runWindows(1, false, 0n);
  }

  /** Speculation across the instances: the windows of the next try, and windows to run the ordinary way
   * before it (after tries stopped in their first windows, longer after each). */
  private readonly lock = { span: 4, wait: 0, failures: 0 };

  /**
   * A machine of several instances with nothing in flight anywhere (docs/machine.md, "Speculative
   * windows"): the instances at work run the same windows, each as one speculation (in parallel on worker
   * threads). When all ran them through, they stand, and the round goes on as after an ordinary window
   * (their turns, returned). When any was stopped, the others go back too, and the windows before the
   * earliest stop are tried again (when there are 2 or more of them), else the round runs its window the
   * ordinary way (undefined).
   */
  private async lockstep(busy: boolean[], pool: WorkerPool | undefined, n: number): Promise<Map<number, PartTurn> | undefined> {
    const l = this.lock;
    const at = busy.flatMap((b, i) => (b ? [i] : []));
    while (n >= 2) {
      const results = pool ? await pool.lockstep(busy, n) : new Map(at.map((i) => [i, this.parts[i]!.wasm.lockstep(n, NO_LIMIT)]));
      let clean = Infinity;
      for (const r of results.values()) if (r > 0) clean = Math.min(clean, r - 1);
      if (clean === Infinity) {
        for (const i of at) this.parts[i]!.wasm.settle(true);
        l.span = Math.min(l.span * 2, LOCKSTEP_MOST);
        return new Map(at.map((i) => [i, { output: [], exits: [], end: 'window' as const }]));
      }
      for (const [i, r] of results) if (r === 0) this.parts[i]!.wasm.settle(false);
      l.span = Math.max(2, Math.min(2 * clean, LOCKSTEP_MOST));
      if (clean < 2) {
        l.failures++;
        l.wait = 2 ** Math.min(l.failures, 8);
        return undefined;
      }
      l.failures = 0;
      n = clean;
    }
    return undefined;
  }

  /** The windows the next lockstep speculation may take (below 2: none now). Checked before lockstep() is
   * called, so that a round with something in flight pays for no promise. */
  private lockstepSpan(maxCycles?: bigint): number {
    const l = this.lock;
    if (this.opts.watchpoints || this.opts.races || !this.parts.every((p) => quiet(p.cfg))) return 0;
    if (l.wait > 0) {
      l.wait--;
      return 0;
    }
    if (maxCycles === undefined) return l.span;
    // (the windows stop about at the cycle limit, as an instance's own do)
    const lead = this.parts[0]!.cfg;
    const end = lead.getBigInt64(MESH_CFG.WINDOW_END);
    return end >= maxCycles * TICKS ? 0 : Math.min(l.span, Number((maxCycles * TICKS - end) / lead.getBigInt64(MESH_CFG.WINDOW)) + 1);
  }

  /** Run until every core has exited, or a fault, deadlock, the cycle limit or an interrupt. */
  async run(opts: MeshRunOptions): Promise<MeshOutcome> {
    const start = performance.now();
    const multi = this.parts.length > 1;
    let outcome: MeshOutcome;
    this.start();
    const threads = opts.workers ?? 1;
    const pool = multi && threads > 1 ? await WorkerPool.start(threads, this.parts.map((p) => ({ memory: p.memory, cores: p.cores.length })), this.opts.jit ?? jitDefault(), this.opts.timing ?? true, !!this.opts.races) : undefined;
    // one instance (a die): its speculative windows' cores on two lanes (emulator/host/lanes.ts)
    const one = this.parts[0]!;
    const lanes = !multi && threads > 1 && one.cores.length > 1 && this.opts.speculate !== false && !this.opts.watchpoints && !this.opts.races;
    const lane = lanes ? Lane.start(one.memory, one.lane, this.opts.jit ?? jitDefault(), this.opts.timing ?? true) : undefined;
    if (lane && opts.awaitLanes) await lane.ready;
    try {
      outcome = await this.rounds(opts, pool);
    } finally {
      await pool?.stop();
      await lane?.stop();
    }
    this.takeTrace();
    this.takeRaces();
    this.wallSeconds += (performance.now() - start) / 1000;
    return outcome;
  }

  /** The rounds of run(), until the outcome. */
  private async rounds(opts: MeshRunOptions, pool: WorkerPool | undefined): Promise<MeshOutcome> {
    let lastPoll = performance.now();
    let outcome: MeshOutcome | undefined;
    while (!outcome) {
      const busy = this.busyParts();
      // (worker threads when several instances are at work; one alone runs in this thread)
      const several = busy.filter(Boolean).length > 1;
      const span = several ? this.lockstepSpan(opts.maxCycles) : 0;
      const given = (span >= 2 ? await this.lockstep(busy, pool, span) : undefined) ?? (several && pool ? await pool.turn(busy) : undefined);
      outcome = this.round(opts, 1024, busy, given);
      if (outcome) break;
      const now = performance.now();
      if (now - lastPoll > 200) {
        lastPoll = now;
        opts.progress?.(this.now / TICKS);
        await new Promise((r) => setImmediate(r));
        if (opts.interrupted?.()) outcome = { kind: 'interrupted' };
      }
    }
    return outcome;
  }
}
