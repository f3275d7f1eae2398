// A debugging session over a machine of one core or many (docs/debugger.md): breakpoints, stepping by
// instruction and by source line, continue/finish, and the program's host calls, all through the Core API.
// Breakpoints cost nothing while running: the core turns a breakpointed word into a break when it decodes it.
import { basename } from 'node:path';
import type { Image, LineEntry, MacroCall } from '../assembler/image.js';
import { decode } from '../isa/codec.js';
import type { Core, Delivery, StopReason } from '../emulator/host/core.js';
import { LAYOUT } from '../emulator/layout.js';
import { lineFor } from '../emulator/host/report.js';
import type { Sink } from '../emulator/host/run.js';
import { History, MeshHistory, type Call, type Snapshot, type Until, type WatchConfig } from './history.js';
import { Machine, oneCore, type MeshOutcome } from '../emulator/host/mesh.js';
import type { MeshPreset } from '../emulator/presets.js';

export interface Breakpoint {
  id: number;
  /** Its first location. */
  addr: bigint;
  /** Every location: one, or for a line of a macro or repetition body each place it was expanded to. */
  addrs: bigint[];
  /** How the user named it, e.g. `fib.dasm:12` or `loop`. */
  where: string;
  enabled: boolean;
  temporary: boolean;
  hits: number;
  /** Stop only when this expression is non-zero (`break LOC if EXPR`). */
  condition?: string;
  /** On a mesh: the one core (global number) it applies to; all cores when absent. */
  core?: number;
}

/** A watchpoint on [addr, addr + len): `watch` stops when a store changes it, `rwatch` when a load reads
 * it, `awatch` on either; the session stops after the instruction (as gdb does), or after the message from
 * the network that did it. A semaphore watchpoint (`sem`, addr its number) stops when it is posted to or
 * taken from. */
export interface Watchpoint {
  id: number;
  kind: 'watch' | 'rwatch' | 'awatch';
  addr: bigint;
  len: number;
  what: string;
  enabled: boolean;
  hits: number;
  sem?: boolean;
  /** On a mesh: the one core (global number) it watches; every core when absent. */
  core?: number;
}

export type SessionState = 'ready' | 'stopped' | 'exited' | 'faulted';

/** A watchpoint that fired, with the value it had and has. */
export interface WatchHit {
  wp: Watchpoint;
  old?: bigint;
  value: bigint;
}

export type Stop =
  | { kind: 'step' }
  | { kind: 'breakpoint'; bp: Breakpoint }
  /** `core`: on a mesh, the core whose memory or semaphore it is; `by`: the message that did it; `also`:
   * other watchpoints the same access fired. */
  | { kind: 'watchpoint'; wp: Watchpoint; old?: bigint; value: bigint; core?: number; by?: Delivery; also?: WatchHit[] }
  | { kind: 'exit'; code: number }
  /** `waiting`: the selected core waits (a deadlock): it is shown at the instruction it waits in. */
  | { kind: 'fault'; message: string; waiting?: boolean }
  | { kind: 'limit' }
  | { kind: 'interrupted' };

/** Instructions run between checks for Ctrl-C and the limit. */
const SLICE = 1_000_000n;

/** On a mesh, the selected core's instructions per call to the machine: the history can take a checkpoint
 * between two. */
const CHUNK = 10_000n;

const discard: Sink = { write: () => true };
const quiet = { stdout: discard, stderr: discard };

const NO_HISTORY: Stop = { kind: 'fault', message: 'reverse execution works on one core, a mesh and a die (not on a machine of several dies)' };

/** What a call to run a machine gives. */
type Outcome = { kind: 'step' } | MeshOutcome;

/** Both watch states at once (a recorded call's stop armed besides the session's watchpoints). */
function joinWatches(a: WatchConfig, b: WatchConfig): WatchConfig {
  const span = (x: readonly [bigint, bigint], y: readonly [bigint, bigint]) => [x[0] < y[0] ? x[0] : y[0], x[1] > y[1] ? x[1] : y[1]] as const;
  const sems = new Map(a.sems);
  for (const [g, mask] of b.sems) sems.set(g, (sems.get(g) ?? 0) | mask);
  return { load: span(a.load, b.load), store: span(a.store, b.store), sems, after: a.after };
}

/** Is a machine's stop the one that ended a recorded call (a watch hit: one its watch state made)? */
function endedBy(r: Outcome, until: Until | undefined): boolean {
  if (r.kind !== 'stop' || !until) return false;
  if (until.kind === 'break') return r.stop.kind === 'breakpoint' && r.core === until.core && r.stop.pc === until.pc;
  if (r.stop.kind !== 'watch') return false;
  const { access, addr, size, sems = 0 } = r.stop;
  const [lo, hi] = access === 'read' ? until.watch.load : until.watch.store;
  return access === 'semaphore' ? ((until.watch.sems.get(r.core) ?? 0) & sems) !== 0 : addr < hi && addr + BigInt(size) > lo;
}

/** The unsigned number bytes hold, little-endian. */
export function littleEndian(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

export class Session {
  /** The core the commands look at: the only one, or on a mesh the selected one (`core X,Y`). */
  core!: Core;
  /** A mesh: the whole machine, and the selected core's global number. */
  machine: Machine | undefined;
  /** One core: its machine (1x1), and snapshots of the core for going backwards. */
  private one: { machine: Machine; history: History } | undefined;
  focus = 0;
  readonly breakpoints: Breakpoint[] = [];
  readonly watchpoints: Watchpoint[] = [];
  state: SessionState = 'ready';
  /** The program's exit code once state is 'exited'. */
  exitCode = 0;
  private nextId = 1;
  /** Where the program last stopped: a breakpoint there is stepped over when it resumes. */
  private stoppedAt: bigint | undefined;
  /** How a stop where macro calls start is shown, as gdb shows calls of inlined functions: on the line of
   * the outermost call, until `step` enters them one at a time (no instruction runs); `unentered` of them
   * are not entered yet. It holds while the core, its pc and instret are the recorded ones; a new stop
   * there shows every call unentered. */
  private shown: { core: Core; pc: bigint; instret: bigint; unentered: number } | undefined;
  interrupted = false;
  /** Report a watchpoint before the access instead of after it (gdb's remote protocol on RISC-V expects
   * that: gdb then steps the instruction itself). */
  watchBeforeAccess = false;
  /** Evaluates a breakpoint condition (set by the command layer, which owns expressions). */
  condition?: (expr: string) => boolean;
  /** On a mesh or a die: checkpoints of the machine and the calls that ran it since (reverse execution;
   * not on a machine of several instances, a tile, whose checkpoints would take seconds each). */
  meshHistory: MeshHistory | undefined;
  /** While replaying to go backwards, the program's output was already seen: it is not written again. */
  private replaying = false;
  /** While a mesh's past is done again exactly: none of the session's breakpoints and watchpoints is armed. */
  private quiet = false;
  /** The watch state the cores have. */
  private watching: WatchConfig | undefined;

  constructor(
    readonly image: Image,
    /** Where the program's output goes (the TUI points it at its console). */
    public io: { stdout: Sink; stderr: Sink },
    readonly maxInstructions: bigint = 10_000_000_000n,
    /** A machine of many cores (docs/debugger.md, "Cores"); one core when absent. */
    readonly preset?: MeshPreset,
  ) {
    this.restart();
  }

  /** The core and local address of `len` bytes at addr: local addresses are the selected core's; on a
   * mesh a global address (docs/machine.md, "Global addresses") names its core. Undefined when the
   * bytes are not all in one core's SRAM. */
  locate(addr: bigint, len: number): { core: Core; at: bigint } | undefined {
    const m = this.machine;
    if (m && addr >> 48n === 1n) {
      const x = Number((addr >> 32n) & 0xffn), y = Number((addr >> 40n) & 0xffn);
      const c = x < m.preset.w ? m.cores.get(y * m.preset.w + x) : undefined;
      const at = addr & 0xffff_ffffn;
      return c && c.core.inSram(at, len) ? { core: c.core, at } : undefined;
    }
    return this.core.inSram(addr, len) ? { core: this.core, at: addr } : undefined;
  }

  /** Make core g (a global number) the one the commands look at. */
  select(g: number): void {
    const c = this.machine?.cores.get(g);
    if (!c) return;
    this.focus = g;
    this.core = c.core;
    this.stoppedAt = undefined;
  }

  /** Set or clear the break mark of addr on every core a breakpoint there applies to. */
  private rearm(addr: bigint): boolean {
    if (!this.machine) return this.core.setBreakpoint(addr, this.breakpoints.some((b) => b.addrs.includes(addr) && b.enabled));
    let ok = true;
    for (const [g, { core }] of this.machine.cores) ok = core.setBreakpoint(addr, !this.quiet && !!this.breakpointAt(g, addr)) && ok;
    return ok;
  }

  /** The enabled breakpoint at addr that applies to core g (a global number). */
  private breakpointAt(g: number, addr: bigint): Breakpoint | undefined {
    return this.breakpoints.find((b) => b.addrs.includes(addr) && b.enabled && (b.core === undefined || b.core === g));
  }

  /** Load the program afresh (breakpoints stay). */
  restart(): void {
    this.shown = undefined;
    if (this.preset) {
      this.parked.clear();
      this.machine = new Machine(this.preset, { watchpoints: true });
      const errors = this.machine.load(this.image, 'program');
      if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
      this.select(this.machine.cores.has(this.focus) ? this.focus : Math.min(...this.machine.cores.keys()));
      for (const b of this.breakpoints) for (const a of b.addrs) this.rearm(a);
      this.applyWatches();
      this.state = 'ready';
      this.stoppedAt = undefined;
      this.meshHistory = this.machine.parts.length === 1 ? new MeshHistory(this.machine) : undefined;
      this.meshHistory?.checkpoint(this.parked, 'start');
      return;
    }
    const machine = oneCore({ watchpoints: true });
    const errors = machine.load(this.image, 'program');
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
    this.core = machine.core();
    this.one = { machine, history: new History(machine) };
    for (const b of this.breakpoints) for (const a of b.addrs) this.core.setBreakpoint(a, b.enabled);
    this.applyWatches();
    this.state = 'ready';
    this.stoppedAt = undefined;
    this.one.history.start();
  }

  /** A breakpoint at addr (or at each of several addresses), on every core or (on a mesh) only on core `only`. */
  addBreakpoint(at: bigint | bigint[], where: string, temporary = false, only?: number): Breakpoint | undefined {
    const addrs = typeof at === 'bigint' ? [at] : at;
    if (addrs.length === 0 || addrs.some((a) => !this.core.inSram(a, 4) || a % 4n !== 0n)) return undefined;
    const bp: Breakpoint = { id: this.nextId++, addr: addrs[0]!, addrs, where, enabled: true, temporary, hits: 0, ...(only !== undefined && this.machine ? { core: only } : {}) };
    this.breakpoints.push(bp);
    for (const a of addrs) this.rearm(a);
    return bp;
  }

  deleteBreakpoint(bp: Breakpoint): void {
    this.breakpoints.splice(this.breakpoints.indexOf(bp), 1);
    for (const a of bp.addrs) this.rearm(a);
  }

  enableBreakpoint(bp: Breakpoint, on: boolean): void {
    bp.enabled = on;
    for (const a of bp.addrs) this.rearm(a);
  }

  /** A watchpoint on `len` bytes at addr, or (`sem`) on semaphore addr; on a mesh on every core or only
   * on core `core`. */
  addWatchpoint(kind: Watchpoint['kind'], addr: bigint, len: number, what: string, opts: { sem?: boolean; core?: number } = {}): Watchpoint | undefined {
    if (opts.sem ? addr < 0n || addr >= BigInt(LAYOUT.SEM_COUNT) : len < 1 || !this.core.inSram(addr, len)) return undefined;
    const wp: Watchpoint = { id: this.nextId++, kind, addr, len: opts.sem ? 4 : len, what, enabled: true, hits: 0, ...(opts.sem ? { sem: true } : {}), ...(opts.core !== undefined && this.machine ? { core: opts.core } : {}) };
    this.watchpoints.push(wp);
    this.applyWatches();
    return wp;
  }

  deleteWatchpoint(wp: Watchpoint): void {
    this.watchpoints.splice(this.watchpoints.indexOf(wp), 1);
    this.applyWatches();
  }

  enableWatchpoint(wp: Watchpoint, on: boolean): void {
    wp.enabled = on;
    this.applyWatches();
  }

  /**
   * The cores check one range for loads and one for stores (the span of the enabled watchpoints, every
   * instance of a mesh) and a set of watched semaphores each. The debugger stops after the access, and
   * compares with the values it saw last (`seen`); the gdb stub before it.
   */
  private applyWatches(off = false): void {
    this.armWatches(this.watchConfig(off || this.quiet));
    this.remember();
  }

  /** The watch state the enabled watchpoints need (none when `off`). */
  private watchConfig(off = this.quiet): WatchConfig {
    const on = off ? [] : this.watchpoints.filter((w) => w.enabled);
    const span = (isStore: boolean) => {
      const ws = on.filter((w) => !w.sem && (w.kind === 'awatch' || (w.kind === 'watch') === isStore));
      const lo = ws.reduce((m, w) => (w.addr < m ? w.addr : m), 1n << 62n);
      const hi = ws.reduce((m, w) => (w.addr + BigInt(w.len) > m ? w.addr + BigInt(w.len) : m), 0n);
      return [lo, hi] as const;
    };
    const sems = new Map<number, number>();
    for (const w of on) if (w.sem) for (const g of this.watchedCores(w)) sems.set(g, (sems.get(g) ?? 0) | (1 << Number(w.addr)));
    return { load: span(false), store: span(true), sems, after: !this.watchBeforeAccess };
  }

  private armWatches(w: WatchConfig): void {
    const instances = this.machine ? this.machine.parts.map((p) => p.cores[0]!) : [this.core];
    for (const c of instances) {
      c.setWatch(false, ...w.load);
      c.setWatch(true, ...w.store);
      c.watchAfter(w.after);
    }
    for (const g of this.watchedCores()) this.coreAt(g).setSemWatch(w.sems.get(g) ?? 0);
    this.watching = w;
  }

  /** The cores a watchpoint watches (all when absent): global numbers, or 0 alone on one core. */
  private watchedCores(wp?: Watchpoint): number[] {
    if (!this.machine) return [0];
    return wp?.core !== undefined ? [wp.core] : [...this.machine.cores.keys()];
  }

  private coreAt(g: number): Core {
    return this.machine ? this.machine.cores.get(g)!.core : this.core;
  }

  /** The value of a watched range or semaphore, on core g (the selected one by default). */
  watchValue(wp: Watchpoint, g = this.focus): bigint {
    const c = this.coreAt(g);
    return wp.sem ? BigInt(c.semaphores()[Number(wp.addr)]!) : littleEndian(c.readMem(wp.addr, wp.len));
  }

  /** What each watchpoint last saw, by core: a hit compares with it. */
  private readonly seen = new Map<Watchpoint, Map<number, bigint>>();

  /** Note what the enabled watchpoints see now, on every core they watch or on core g alone. */
  private remember(g?: number): void {
    for (const w of this.watchpoints) {
      if (!w.enabled) continue;
      const m = this.seen.get(w) ?? new Map<number, bigint>();
      this.seen.set(w, m);
      for (const c of g === undefined ? this.watchedCores(w) : [g]) m.set(c, this.watchValue(w, c));
    }
  }

  /**
   * Core g (0 on one core) read or wrote a watch range or changed a watched semaphore, by an instruction
   * or a message from the network, and the access has happened: does a watchpoint fire (a change of value
   * for watch, a read for rwatch, either for awatch)? The gdb stub watches before the access: then the
   * access is run here first.
   */
  private watchHit(stop: Extract<StopReason, { kind: 'watch' }>, g: number): Stop | undefined {
    if (this.watchBeforeAccess) return this.watchHitBefore(stop as typeof stop & { access: 'read' | 'write' });
    const fired: WatchHit[] = [];
    for (const w of this.watchpoints) {
      if (!w.enabled || (w.core ?? g) !== g) continue;
      const old = this.seen.get(w)?.get(g);
      const value = this.watchValue(w, g);
      // (the writes of a range only rwatch watches do not stop: it says nothing of changes)
      const changed = w.kind !== 'rwatch' && old !== undefined && value !== old;
      // (a post that a waiting thread takes at once leaves a semaphore as it was: it fires all the same)
      const touched = w.sem ? (((stop.sems ?? 0) >> Number(w.addr)) & 1) === 1 : stop.access !== 'semaphore' && stop.addr < w.addr + BigInt(w.len) && stop.addr + BigInt(stop.size) > w.addr;
      const fires = w.sem ? touched || changed : w.kind === 'watch' ? changed : w.kind === 'rwatch' ? touched && stop.access === 'read' : touched || changed;
      if (!fires) continue;
      w.hits++;
      fired.push({ wp: w, ...(changed || (w.sem && old !== undefined) ? { old: old! } : {}), value });
    }
    this.remember(g);
    const [first, ...also] = fired;
    if (!first) return undefined;
    return { kind: 'watchpoint', ...first, ...(this.machine ? { core: g } : {}), ...(stop.by ? { by: stop.by } : {}), ...(also.length > 0 ? { also } : {}) };
  }

  /** The gdb stub's watchpoints: the load or store has not run yet; report it, or run it and decide. */
  private watchHitBefore(stop: { access: 'read' | 'write'; addr: bigint; size: number }): Stop | undefined {
    const touched = this.watchpoints.filter((w) => w.enabled && stop.addr < w.addr + BigInt(w.len) && stop.addr + BigInt(stop.size) > w.addr
      && (w.kind === 'awatch' || (w.kind === 'watch') === (stop.access === 'write')));
    const old = touched.map((w) => this.watchValue(w));
    if (touched.length > 0) {
      touched[0]!.hits++;
      return { kind: 'watchpoint', wp: touched[0]!, value: old[0]! };
    }
    this.applyWatches(true);
    const r = this.machine ? this.runRaw(1n) : this.one!.machine.stepCore(0, 1n, this.io);
    this.applyWatches();
    if (typeof r === 'string' || (r.kind !== 'limit' && r.kind !== 'step')) return { kind: 'fault', message: `stopped in a watched access: ${typeof r === 'string' ? r : r.kind}` };
    for (const [k, w] of touched.entries()) {
      const value = this.watchValue(w);
      if (w.kind === 'watch' && value === old[k]) continue;
      w.hits++;
      return { kind: 'watchpoint', wp: w, ...(stop.access === 'write' ? { old: old[k]! } : {}), value };
    }
    return undefined;
  }

  /** The source line of pc: at the current pc, the line of a macro call made there that is not entered
   * yet, if any; else the line table's. */
  line(pc = this.core.pc): LineEntry | undefined {
    if (pc === this.core.pc && this.image.macroCalls) {
      const n = this.unentered();
      if (n > 0) {
        const calls = this.callsAt(pc);
        const c = calls[calls.length - n]!;
        return { addr: pc, file: c.file, line: c.line };
      }
    }
    return lineFor(this.image.lines, pc);
  }

  /** The macro calls whose code starts at pc, outermost first. */
  callsAt(pc: bigint): MacroCall[] {
    const calls = this.image.macroCalls;
    if (!calls) return [];
    let lo = 0;
    let hi = calls.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (calls[mid]!.addr < pc) lo = mid + 1;
      else hi = mid;
    }
    const out: MacroCall[] = [];
    for (let k = lo; k < calls.length && calls[k]!.addr === pc; k++) out.push(calls[k]!);
    return out;
  }

  /** How many of the macro calls that start at the current pc are not entered yet (see `shown`). */
  private unentered(): number {
    const v = this.shown;
    const c = this.core;
    if (v && v.core === c && v.pc === c.pc && v.instret === c.instret) return v.unentered;
    return this.callsAt(c.pc).length;
  }

  private show(unentered: number): void {
    this.shown = { core: this.core, pc: this.core.pc, instret: this.core.instret, unentered };
  }

  /** A stop at a breakpoint set on a line is shown on that line: a macro call's, or a line of the body
   * whose code starts where the call's does (gdb does the same for a breakpoint in an inlined function). */
  private showBreakpoint(bp: Breakpoint): void {
    const m = /^(.*):(\d+)$/.exec(bp.where);
    const calls = this.callsAt(this.core.pc);
    if (!m || calls.length === 0) return;
    const line = Number(m[2]);
    const k = calls.findIndex((c) => c.line === line && basename(c.file) === basename(m[1]!));
    if (k >= 0) this.show(calls.length - k);
    else if (lineFor(this.image.lines, this.core.pc)?.line === line) this.show(0);
  }

  private armedAt(pc: bigint): boolean {
    return this.breakpoints.some((b) => b.addrs.includes(pc) && b.enabled && (b.core === undefined || b.core === this.focus));
  }

  /**
   * Run at most `limit` instructions, stepping over a breakpoint at the current pc. Host calls are served;
   * returns why it stopped, or undefined when the budget ran out.
   */
  private go(limit: bigint): Stop | undefined {
    const stop = this.goInner(limit);
    this.stoppedAt = this.core.pc;
    return stop;
  }

  private goInner(limit: bigint): Stop | undefined {
    if (this.state === 'exited' || this.state === 'faulted') return { kind: 'fault', message: 'the program is not running (use `run` to start it again)' };
    if (this.machine) return this.goMesh(this.machine, limit);
    const { machine, history } = this.one!;
    this.state = 'stopped';
    let left = limit;
    while (left > 0n) {
      const pc = this.core.pc;
      const armed = pc === this.stoppedAt && this.armedAt(pc);
      if (armed) this.core.setBreakpoint(pc, false);
      const before = this.core.instret;
      if (!this.replaying) history.record();
      const due = history.untilDue();
      const budget = armed ? 1n : this.replaying || left < due ? left : due;
      const r = machine.stepCore(0, budget > 0n ? budget : 1n, this.replaying ? quiet : this.io);
      if (armed) this.core.setBreakpoint(pc, true);
      this.stoppedAt = undefined;
      left -= this.core.instret - before;
      if (r.kind === 'step') continue;
      if (r.kind === 'exit') {
        this.state = 'exited';
        this.exitCode = r.code;
        return { kind: 'exit', code: r.code };
      }
      if (r.kind !== 'stop') {
        // (an engine's fault is a remote-access fault; the barriers of one core cannot be misused)
        this.state = 'faulted';
        const message = r.kind === 'hostcall' ? `unknown host call ${r.number} in a7` : r.kind === 'engine' ? 'remote fault' : r.kind === 'deadlock' ? 'deadlock fault' : r.kind === 'barrier' ? `barrier misuse: ${r.why}` : r.kind;
        return { kind: 'fault', message };
      }
      const stop = r.stop;
      switch (stop.kind) {
        case 'breakpoint': {
          const bp = this.breakpoints.find((b) => b.addrs.includes(stop.pc) && b.enabled)!;
          if (bp.condition && this.condition && !this.condition(bp.condition)) {
            this.stoppedAt = stop.pc; // not taken: step over it and go on
            continue;
          }
          bp.hits++;
          if (bp.temporary) this.deleteBreakpoint(bp);
          return { kind: 'breakpoint', bp };
        }
        case 'watch': {
          const at = this.core.instret;
          const hit = this.watchHit(stop, 0);
          left -= this.core.instret - at;
          if (hit) return hit;
          continue;
        }
        case 'ebreak':
          return { kind: 'fault', message: 'ebreak in the program' };
        case 'fault':
          this.state = 'faulted';
          return { kind: 'fault', message: `${stop.cause} fault${stop.cause === 'load' || stop.cause === 'store' || stop.cause === 'fetch' ? ` at 0x${stop.addr.toString(16)}` : ''}` };
      }
    }
    return undefined;
  }

  /** Cores stopped at a breakpoint (core -> pc): each steps over it before the machine goes on. */
  private parked = new Map<number, bigint>();

  /** On a mesh: the selected core runs `limit` instructions while the rest of the machine keeps up with
   * it window by window; a breakpoint on any core stops everything and selects that core. */
  private goMesh(m: Machine, limit: bigint): Stop | undefined {
    this.state = 'stopped';
    if (this.stoppedAt !== undefined && this.armedAt(this.stoppedAt)) this.parked.set(this.focus, this.stoppedAt);
    let left = limit;
    for (;;) {
      for (const [g, at] of [...this.parked]) {
        this.parked.delete(g);
        const { part, slot, core } = m.cores.get(g)!;
        if (core.pc !== at || m.halted(part, slot)) continue;
        const r = this.call(g, 1n, { over: at });
        // the selected core's step over its breakpoint is the first of the instructions it was asked for
        if (g === this.focus) left -= 1n;
        if (r.kind !== 'step') {
          const stop = this.meshStop(m, r);
          if (stop) return stop;
        }
      }
      if (left <= 0n) return undefined;
      const { core } = this;
      const before = core.instret;
      // (in pieces, between which the history can take a checkpoint; an exited core's step is the others')
      const { part, slot } = m.cores.get(this.focus)!;
      const exited = m.halted(part, slot);
      const r = this.call(this.focus, exited || left < CHUNK ? left : CHUNK);
      left -= core.instret - before;
      if (r.kind === 'step') {
        if (exited || left <= 0n) return undefined;
        continue;
      }
      const stop = this.meshStop(m, r);
      if (stop) return stop;
      // a breakpoint whose condition does not hold, or a watch hit that does not fire: go on
    }
  }

  /** Run core g of the machine n instructions (Machine.stepCore), recorded for going backwards; `over`:
   * the pc of a breakpoint of g's to step over; `until`: a recorded call's stop, armed as well. */
  private call(g: number, n: bigint, opts: { over?: bigint; until?: Until } = {}): Outcome {
    const m = this.machine!, h = this.meshHistory;
    h?.checkpoint(this.parked, n < CHUNK ? 'short' : 'long');
    const { core } = m.cores.get(g)!;
    const before = core.instret;
    const parked = [...this.parked, ...(opts.over !== undefined ? [[g, opts.over] as const] : [])];
    if (opts.over !== undefined) core.setBreakpoint(opts.over, false);
    this.arm(opts.until, true);
    const t = performance.now();
    const r = m.stepCore(g, n, this.replaying ? quiet : this.io);
    const seconds = (performance.now() - t) / 1000;
    const until: Until | undefined = r.kind !== 'stop' ? undefined : r.stop.kind === 'breakpoint' ? { kind: 'break', core: r.core, pc: r.stop.pc } : r.stop.kind === 'watch' ? { kind: 'watch', watch: this.watching! } : undefined;
    this.arm(opts.until, false);
    if (opts.over !== undefined) this.rearm(opts.over);
    h?.add({ core: g, n, ...(until ? { until } : {}), ...(opts.over !== undefined ? { over: opts.over } : {}), ran: core.instret - before, parked }, seconds);
    return r;
  }

  /** The selected core alone, n instructions within its window (the gdb stub's step over a watched access). */
  private runRaw(n: bigint): ReturnType<Core['runRaw']> {
    const before = this.core.instret;
    const r = this.core.runRaw(n);
    this.meshHistory?.add({ core: this.focus, n, raw: true, ran: this.core.instret - before, parked: [] });
    return r;
  }

  /** Arm (or disarm) the stop that ended a recorded call, besides what the session has armed. */
  private arm(until: Until | undefined, on: boolean): void {
    if (until?.kind === 'break') {
      this.machine!.cores.get(until.core)!.core.setBreakpoint(until.pc, on);
      if (!on) this.rearm(until.pc);
    } else if (until?.kind === 'watch') this.armWatches(on ? joinWatches(this.watchConfig(), until.watch) : this.watchConfig());
  }

  /** What a machine outcome means to the session (undefined: a breakpoint not taken, go on). */
  private meshStop(m: Machine, r: Exclude<ReturnType<Machine['stepCore']>, { kind: 'step' }>): Stop | undefined {
    switch (r.kind) {
      case 'exit':
        this.state = 'exited';
        this.exitCode = r.code;
        return { kind: 'exit', code: r.code };
      case 'stop': {
        if (r.stop.kind === 'watch') {
          // watch ranges apply to every core: the access is this core's (or a message's to it); a hit that
          // fires selects it
          if (this.watchBeforeAccess) this.select(r.core);
          const hit = this.watchHit(r.stop, r.core);
          if (hit) this.select(r.core);
          return hit && hit.kind === 'fault' ? ((this.state = 'faulted'), hit) : hit;
        }
        this.select(r.core);
        if (r.stop.kind === 'breakpoint') {
          this.parked.set(r.core, r.stop.pc);
          const bp = this.breakpointAt(r.core, r.stop.pc);
          if (!bp || (bp.condition && this.condition && !this.condition(bp.condition))) return undefined;
          bp.hits++;
          if (bp.temporary) this.deleteBreakpoint(bp);
          return { kind: 'breakpoint', bp };
        }
        this.state = 'faulted';
        return { kind: 'fault', message: `core ${m.name(r.core)}: ${r.stop.kind === 'fault' ? `${r.stop.cause} fault at 0x${r.stop.addr.toString(16)}` : r.stop.kind}` };
      }
      case 'deadlock':
        this.state = 'faulted';
        return { kind: 'fault', message: 'deadlock: every core waits and nothing is in flight (`info cores` shows what each waits for)', waiting: true };
      case 'barrier':
        this.state = 'faulted';
        return { kind: 'fault', message: `barrier misuse: ${r.why}` };
      case 'engine':
        this.state = 'faulted';
        this.select(r.core);
        return { kind: 'fault', message: `core ${m.name(r.core)}: ${r.engine} engine: ${r.why} (descriptor at 0x${r.desc.toString(16)})` };
      case 'hostcall':
        this.state = 'faulted';
        this.select(r.core);
        return { kind: 'fault', message: `unknown host call ${r.number} in a7` };
      default:
        return { kind: 'limit' };
    }
  }

  /** Execute n instructions. */
  stepi(n = 1n): Stop {
    return this.go(n) ?? { kind: 'step' };
  }

  /** Run slice by slice until something stops it; yields between slices (where Ctrl-C is looked at). */
  private *running(): Generator<undefined, Stop> {
    this.interrupted = false;
    let budget = this.maxInstructions;
    while (budget > 0n) {
      const before = this.core.instret;
      const stop = this.go(budget < SLICE ? budget : SLICE);
      if (stop?.kind === 'breakpoint') this.showBreakpoint(stop.bp);
      if (stop) return stop;
      budget -= this.core.instret - before;
      yield;
      if (this.interrupted) return { kind: 'interrupted' };
    }
    return { kind: 'limit' };
  }

  /** Run until a breakpoint, exit, fault, Ctrl-C or the instruction limit. */
  continue(): Stop {
    for (const g = this.running(); ; ) {
      const r = g.next();
      if (r.done) return r.value;
    }
  }

  /** As continue(), letting the event loop run between slices so Ctrl-C (interrupted) is seen. */
  async continueAsync(): Promise<Stop> {
    for (const g = this.running(); ; ) {
      const r = g.next();
      if (r.done) return r.value;
      await new Promise((res) => setImmediate(res));
    }
  }

  /** Is the instruction at pc a call (jal/jalr that links into ra)? */
  isCall(pc: bigint): boolean {
    if (!this.inSram(pc)) return false;
    const d = decode(new DataView(this.core.readMem(pc, 4).buffer).getUint32(0, true));
    return !!d && (d.instr.mnemonic === 'jal' || d.instr.mnemonic === 'jalr') && d.ops['rd'] === 1;
  }

  /** Run until the instruction at addr (or at one of several) is next (a temporary internal stop), or
   * something else stops us. */
  runTo(addr: bigint | bigint[]): Stop {
    const bp = this.addBreakpoint(addr, 'internal', true, this.focus);
    if (!bp) return this.continue();
    const stop = this.continue();
    if (this.breakpoints.includes(bp)) this.deleteBreakpoint(bp);
    return stop.kind === 'breakpoint' && stop.bp === bp ? { kind: 'step' } : stop;
  }

  /** One instruction, or a whole call when `over` and the instruction is one (gdb's nexti). */
  stepOver(over: boolean): Stop {
    const pc = this.core.pc;
    return over && this.isCall(pc) ? this.runTo(pc + 4n) : this.stepi();
  }

  /**
   * Step to the next source line; over calls when `over` (gdb's next), into them otherwise (step). On
   * the line of a macro call, `next` runs all the code the call made and `step` enters the call: it shows
   * the first line of the body, running nothing. A line where a macro call's code starts is a line to
   * stop at.
   */
  stepLine(over: boolean): Stop {
    const unentered = this.unentered();
    if (unentered > 0 && !over) {
      this.show(unentered - 1);
      return { kind: 'step' };
    }
    const here = this.callsAt(this.core.pc);
    const call = unentered > 0 ? here[here.length - unentered] : undefined;
    // the calls the step starts inside of: coming back to the start of one (a loop in its body) is not
    // coming to a call
    const unenteredHere = new Set(here.slice(here.length - unentered));
    const inside = new Set((this.image.macroCalls ?? []).filter((c) => c.addr <= this.core.pc && this.core.pc < c.end && !unenteredHere.has(c)));
    const start = this.line();
    const key = (l?: LineEntry) => (l ? `${l.file}:${l.line}` : '');
    for (let i = 0; i < 1_000_000; i++) {
      const stop = this.stepOver(over);
      if (stop.kind !== 'step') return stop;
      const pc = this.core.pc;
      if (call && pc >= call.addr && pc < call.end) continue;
      const calls = this.callsAt(pc);
      const fresh = calls.filter((c) => !inside.has(c)).length;
      if (calls.length > 0) this.show(fresh);
      if (fresh > 0) return stop;
      const exact = this.image.lines.find((l) => l.addr === pc);
      if (exact && key(exact) !== key(start)) return stop;
    }
    return { kind: 'step' };
  }

  /** Run until the current function returns (to ra). */
  finish(): Stop {
    return this.runTo(this.core.getReg(1));
  }

  /** Go back to when `target` instructions had retired: restore the latest snapshot at or before it and
   * replay to it, breakpoints ignored and output not written again. */
  private replayTo(target: bigint): void {
    this.one!.history.restoreBefore(target);
    const armed = this.breakpoints.filter((b) => b.enabled);
    for (const b of armed) for (const a of b.addrs) this.core.setBreakpoint(a, false);
    this.applyWatches(true);
    this.replaying = true;
    try {
      const n = target - this.core.instret;
      if (n > 0n) this.goInner(n);
    } finally {
      this.replaying = false;
      for (const b of armed) for (const a of b.addrs) this.core.setBreakpoint(a, true);
      this.applyWatches();
    }
    this.state = 'stopped';
    this.stoppedAt = this.core.pc;
  }

  /** Step back n instructions (gdb's reverse-stepi); on a mesh, n of the selected core's. */
  reverseStepi(n = 1n): Stop {
    const now = this.core.instret;
    if (this.state === 'ready' || now === 0n) return { kind: 'fault', message: 'already at the start of the program' };
    if (this.machine && !this.meshHistory) return NO_HISTORY;
    this.state = 'stopped';
    const target = now > n ? now - n : 0n;
    if (this.machine) this.meshBack(target);
    else this.replayTo(target);
    return { kind: 'step' };
  }

  /** Step back to the beginning of the previous source line (gdb's reverse-step). */
  reverseStep(): Stop {
    const start = this.line();
    const key = (l?: LineEntry) => (l ? `${l.file}:${l.line}` : '');
    while (this.core.instret > 0n) {
      const stop = this.reverseStepi();
      if (stop.kind !== 'step') return stop;
      const exact = this.image.lines.find((l) => l.addr === this.core.pc);
      if (exact && key(exact) !== key(start)) return stop;
    }
    return { kind: 'step' };
  }

  /** Run backwards to the previous breakpoint or watchpoint hit (gdb's reverse-continue), or to the start. */
  reverseContinue(): Stop {
    if (this.machine) return this.meshReverseContinue();
    const now = this.core.instret;
    if (this.state === 'ready' || now === 0n) return { kind: 'fault', message: 'already at the start of the program' };
    this.state = 'stopped';
    const snaps = this.one!.history.before(now);
    for (let k = snaps.length - 1; k >= 0; k--) {
      const end = k + 1 < snaps.length ? snaps[k + 1]!.at : now;
      const hits = this.hitsBetween(snaps[k]!, end);
      if (hits.length > 0) {
        const last = hits[hits.length - 1]!;
        this.replayTo(last.at);
        if (last.stop.kind === 'breakpoint') last.stop.bp.hits++;
        if (last.stop.kind === 'watchpoint') last.stop.wp.hits++;
        return last.stop;
      }
    }
    this.replayTo(0n);
    return { kind: 'fault', message: 'no breakpoint was hit before: back at the start of the program' };
  }

  /** The breakpoint stops (conditions included) between a snapshot and `end` instructions, by replay. */
  private hitsBetween(from: Snapshot, end: bigint): { at: bigint; stop: Stop }[] {
    this.one!.machine.restoreCore(0, from.data);
    this.remember();
    const hits: { at: bigint; stop: Stop }[] = [];
    const counts = [...this.breakpoints, ...this.watchpoints].map((b) => b.hits);
    this.replaying = true;
    this.stoppedAt = undefined;
    try {
      while (this.core.instret < end) {
        const stop = this.goInner(end - this.core.instret);
        this.stoppedAt = this.core.pc;
        if (stop?.kind !== 'breakpoint' && stop?.kind !== 'watchpoint') break;
        if (this.core.instret < end) hits.push({ at: this.core.instret, stop });
      }
    } finally {
      this.replaying = false;
      [...this.breakpoints, ...this.watchpoints].forEach((b, i) => (b.hits = counts[i]!));
    }
    return hits;
  }

  /**
   * On a mesh: go back to where the selected core had retired `target` instructions. The latest checkpoint
   * before is restored and the calls since are done again exactly (nothing armed but the stop that ended
   * each), up to the one in which the core gets past target, and of that one as many of the core's
   * instructions as it takes. (A core also runs in another core's calls, in the machine's windows: when
   * that is where it got past target, it runs alone from that call's start.)
   */
  private meshBack(target: bigint): void {
    const h = this.meshHistory!, g = this.focus, { core } = this;
    const k = h.before(g, target);
    const calls = h.calls.slice(h.points[k]!.call);
    const present = this.parked;
    this.replaying = true;
    this.hush(true);
    try {
      this.startAt(k);
      let upto = calls.length;
      for (const [i, c] of calls.entries()) {
        if (c.core === g && core.instret + c.ran > target) {
          upto = i;
          break;
        }
        this.redo(c);
        if (core.instret <= target) continue;
        upto = i;
        this.startAt(k);
        for (const d of calls.slice(0, i)) this.redo(d);
        break;
      }
      this.parked = new Map(upto < calls.length ? calls[upto]!.parked : present);
      if (core.instret < target) this.call(g, target - core.instret);
    } finally {
      this.hush(false);
      this.replaying = false;
    }
    this.stoppedAt = core.pc;
  }

  /**
   * On a mesh: back to the last breakpoint or watchpoint hit before the present, on any core. The stretches
   * between checkpoints are run again, newest first, with the session's breakpoints and watchpoints armed,
   * counting the hits; the first stretch with any is run again to its last one.
   */
  private meshReverseContinue(): Stop {
    const h = this.meshHistory;
    if (!h) return NO_HISTORY;
    if (this.state === 'ready' || h.calls.length === 0) return { kind: 'fault', message: 'already at the start of the program' };
    this.state = 'stopped';
    const calls = h.calls.slice();
    const points = [...this.breakpoints, ...this.watchpoints];
    const counts = points.map((b) => b.hits);
    const focus = this.focus;
    this.replaying = true;
    try {
      for (let k = points.some((b) => b.enabled) ? h.points.length - 1 : -1; k >= 0; k--) {
        const from = h.points[k]!.call;
        const to = k + 1 < h.points.length ? h.points[k + 1]!.call : calls.length;
        let hits = 0;
        h.recording = false;
        try {
          this.rerun(k, calls.slice(from, to), to === calls.length, () => (hits++, false));
        } finally {
          h.recording = true;
        }
        if (hits === 0) continue;
        let n = 0;
        const stop = this.rerun(k, calls.slice(from, to), to === calls.length, () => ++n === hits)!;
        points.forEach((b, i) => (b.hits = counts[i]!));
        if (stop.kind === 'breakpoint') stop.bp.hits++;
        if (stop.kind === 'breakpoint' && stop.bp.temporary) this.deleteBreakpoint(stop.bp);
        if (stop.kind === 'watchpoint') stop.wp.hits++;
        this.parked = new Map(stop.kind === 'breakpoint' ? [[this.focus, this.core.pc]] : []);
        this.stoppedAt = this.core.pc;
        this.remember();
        return stop;
      }
      this.startAt(0);
    } finally {
      this.replaying = false;
    }
    points.forEach((b, i) => (b.hits = counts[i]!));
    this.select(focus);
    this.stoppedAt = this.core.pc;
    return { kind: 'fault', message: 'no breakpoint was hit before: back at the start of the program' };
  }

  /**
   * Run recorded calls again from checkpoint k, with the session's breakpoints and watchpoints armed as
   * well as each call's own stop, which ends it as it did. `hit` hears of each stop of the session's that
   * fires, but the last call's own when that is the present (`present`), and returns true to stop there.
   * A stop the call did not have (a breakpoint or watchpoint set since) is stepped over and the call goes
   * on; so is a breakpoint a core sat at already at the checkpoint (it arrived before).
   */
  private rerun(k: number, calls: readonly Call[], present: boolean, hit: (stop: Stop) => boolean): Stop | undefined {
    const m = this.machine!;
    this.startAt(k);
    const sitting = new Map<number, bigint>();
    for (const [g, { core }] of m.cores) if (this.breakpointAt(g, core.pc)) sitting.set(g, core.instret);
    for (const [i, c] of calls.entries()) {
      this.parked = new Map(c.parked);
      if (c.raw) {
        this.redo(c);
        continue;
      }
      let left = c.n;
      /** A core to step over a breakpoint of the session's before the call goes on. */
      let over: readonly [number, bigint] | undefined;
      for (;;) {
        const g = over ? over[0] : c.core;
        const { core } = m.cores.get(g)!;
        const before = core.instret;
        const r = over ? this.call(g, 1n, { over: over[1], until: c.until }) : this.call(g, left, { until: c.until, ...(left === c.n && c.over !== undefined ? { over: c.over } : {}) });
        const stepped = over !== undefined;
        over = undefined;
        if (g === c.core) left -= core.instret - before;
        const own = endedBy(r, c.until);
        if (r.kind === 'stop' && (r.stop.kind === 'breakpoint' || r.stop.kind === 'watch')) {
          const again = !own && r.stop.kind === 'breakpoint' && sitting.get(r.core) === m.cores.get(r.core)!.core.instret;
          const stop = again ? undefined : this.fired(r);
          if (stop && !(own && present && i === calls.length - 1) && hit(stop)) return stop;
          if (own) break;
          if (r.stop.kind === 'breakpoint') over = [r.core, r.stop.pc];
        } else if (r.kind !== 'step' || !stepped) break;
        if (!over && left <= 0n) break;
      }
    }
    return undefined;
  }

  /** A machine's stop as a hit of the session's breakpoints or watchpoints, if it is one (a condition that
   * holds, a watchpoint that fires), its core selected; nothing else a stop does (a breakpoint's hits,
   * parking, deleting a temporary one). */
  private fired(r: Extract<Outcome, { kind: 'stop' }>): Stop | undefined {
    if (r.stop.kind === 'watch') {
      const hit = this.watchHit(r.stop, r.core);
      if (hit) this.select(r.core);
      return hit;
    }
    const bp = r.stop.kind === 'breakpoint' ? this.breakpointAt(r.core, r.stop.pc) : undefined;
    if (!bp) return undefined;
    this.select(r.core);
    return !bp.condition || !this.condition || this.condition(bp.condition) ? { kind: 'breakpoint', bp } : undefined;
  }

  /** Restore checkpoint k of a mesh; the calls after it are forgotten unless the history is not recording
   * (the session only looks at the past). */
  private startAt(k: number): void {
    const h = this.meshHistory!;
    this.parked = new Map(h.restore(k, h.recording).parked);
    this.applyWatches();
  }

  /** Do a recorded call again as it was made, its stop armed besides what the session has armed (nothing
   * while it is quiet, to do the past again exactly). */
  private redo(c: Call): void {
    const m = this.machine!;
    this.arm(c.until, true);
    if (c.raw) m.cores.get(c.core)!.core.runRaw(c.n);
    else m.stepCore(c.core, c.n, quiet);
    this.arm(c.until, false);
    this.meshHistory!.add(c);
  }

  /** Disarm the session's breakpoints and watchpoints (or arm them again), to do the past again exactly. */
  private hush(on: boolean): void {
    this.quiet = on;
    for (const a of new Set(this.breakpoints.flatMap((b) => b.addrs))) this.rearm(a);
    this.applyWatches();
  }

  inSram(addr: bigint, len = 4): boolean {
    return this.core.inSram(addr, len);
  }
}
