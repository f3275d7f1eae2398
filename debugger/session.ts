// A debugging session over one core (docs/debugger.md): breakpoints, stepping by instruction and by
// source line, continue/finish, and the program's host calls, all through the Core API. Breakpoints
// cost nothing while running: the core turns a breakpointed word into a break when it decodes it.
import type { Image, LineEntry } from '../assembler/image.js';
import { decode } from '../isa/codec.js';
import { Core, type Delivery, type StopReason } from '../emulator/host/core.js';
import { LAYOUT } from '../emulator/layout.js';
import { lineFor } from '../emulator/host/report.js';
import { hostCall, type Sink } from '../emulator/host/run.js';
import { History, type Snapshot } from './history.js';
import { Machine } from '../emulator/host/mesh.js';
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

const MESH_REVERSE: Stop = { kind: 'fault', message: 'reverse execution works on one-core machines (not yet on a mesh)' };

/** Instructions run between checks for Ctrl-C and the limit. */
const SLICE = 1_000_000n;

const discard: Sink = { write: () => true };

/** The unsigned number bytes hold, little-endian. */
export function littleEndian(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

export class Session {
  /** The core the commands look at: the only one, or on a mesh the selected one (`core X,Y`). */
  core: Core;
  /** A mesh: the whole machine, and the selected core's global number. */
  machine: Machine | undefined;
  focus = 0;
  readonly breakpoints: Breakpoint[] = [];
  readonly watchpoints: Watchpoint[] = [];
  state: SessionState = 'ready';
  /** The program's exit code once state is 'exited'. */
  exitCode = 0;
  private nextId = 1;
  /** Where the program last stopped: a breakpoint there is stepped over when it resumes. */
  private stoppedAt: bigint | undefined;
  interrupted = false;
  /** Report a watchpoint before the access instead of after it (gdb's remote protocol on RISC-V expects
   * that: gdb then steps the instruction itself). */
  watchBeforeAccess = false;
  /** Evaluates a breakpoint condition (set by the command layer, which owns expressions). */
  condition?: (expr: string) => boolean;
  /** Snapshots of the core for going backwards (one-core machines). */
  private readonly history: History;
  /** While replaying to go backwards, the program's output was already seen: it is not written again. */
  private replaying = false;

  constructor(
    readonly image: Image,
    /** Where the program's output goes (the TUI points it at its console). */
    public io: { stdout: Sink; stderr: Sink },
    readonly maxInstructions: bigint = 10_000_000_000n,
    /** A machine of many cores (docs/debugger.md, "Cores"); one core when absent. */
    readonly preset?: MeshPreset,
  ) {
    this.core = new Core({ watchpoints: !preset });
    this.history = new History(this.core);
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
    for (const [g, { core }] of this.machine.cores) ok = core.setBreakpoint(addr, this.breakpoints.some((b) => b.addrs.includes(addr) && b.enabled && (b.core === undefined || b.core === g))) && ok;
    return ok;
  }

  /** Load the program afresh (breakpoints stay). */
  restart(): void {
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
      return;
    }
    const errors = this.core.load(this.image);
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
    for (const b of this.breakpoints) for (const a of b.addrs) this.core.setBreakpoint(a, b.enabled);
    this.applyWatches();
    this.state = 'ready';
    this.stoppedAt = undefined;
    this.history.start();
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
    const on = off ? [] : this.watchpoints.filter((w) => w.enabled);
    const instances = this.machine ? this.machine.parts.map((p) => p.cores[0]!) : [this.core];
    for (const isStore of [false, true]) {
      const ws = on.filter((w) => !w.sem && (w.kind === 'awatch' || (w.kind === 'watch') === isStore));
      const lo = ws.reduce((m, w) => (w.addr < m ? w.addr : m), 1n << 62n);
      const hi = ws.reduce((m, w) => (w.addr + BigInt(w.len) > m ? w.addr + BigInt(w.len) : m), 0n);
      for (const c of instances) c.setWatch(isStore, lo, hi);
    }
    for (const c of instances) c.watchAfter(!this.watchBeforeAccess);
    for (const g of this.watchedCores()) this.coreAt(g).setSemWatch(on.filter((w) => w.sem && (w.core ?? g) === g).reduce((m, w) => m | (1 << Number(w.addr)), 0));
    this.remember();
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
    const r = this.machine ? this.core.runRaw(1n) : this.core.run(1n);
    this.applyWatches();
    if (typeof r === 'string' || r.kind !== 'limit') return { kind: 'fault', message: `stopped in a watched access: ${typeof r === 'string' ? r : r.kind}` };
    for (const [k, w] of touched.entries()) {
      const value = this.watchValue(w);
      if (w.kind === 'watch' && value === old[k]) continue;
      w.hits++;
      return { kind: 'watchpoint', wp: w, ...(stop.access === 'write' ? { old: old[k]! } : {}), value };
    }
    return undefined;
  }

  line(pc = this.core.pc): LineEntry | undefined {
    return lineFor(this.image.lines, pc);
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
    this.state = 'stopped';
    let left = limit;
    while (left > 0n) {
      const pc = this.core.pc;
      const armed = pc === this.stoppedAt && this.armedAt(pc);
      if (armed) this.core.setBreakpoint(pc, false);
      const before = this.core.instret;
      if (!this.replaying) this.history.record();
      const due = this.history.untilDue();
      const budget = armed ? 1n : this.replaying || left < due ? left : due;
      const stop = this.core.run(budget > 0n ? budget : 1n);
      if (armed) this.core.setBreakpoint(pc, true);
      this.stoppedAt = undefined;
      left -= this.core.instret - before;
      switch (stop.kind) {
        case 'limit':
          continue;
        case 'ecall': {
          const r = hostCall(this.core, this.replaying ? { stdout: discard, stderr: discard } : this.io);
          if (r.exit !== undefined) {
            this.state = 'exited';
            this.exitCode = r.exit;
            return { kind: 'exit', code: r.exit };
          }
          if (r.unknown !== undefined) {
            this.state = 'faulted';
            return { kind: 'fault', message: `unknown host call ${r.unknown} in a7` };
          }
          continue;
        }
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
  private readonly parked = new Map<number, bigint>();

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
        core.setBreakpoint(at, false);
        const r = m.stepCore(g, 1n, this.io);
        this.rearm(at);
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
      const r = m.stepCore(this.focus, left, this.io);
      if (r.kind === 'step') return undefined;
      left -= core.instret - before;
      const stop = this.meshStop(m, r);
      if (stop) return stop;
      // a breakpoint whose condition does not hold, or a watch hit that does not fire: go on
    }
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
          const at = r.stop.pc;
          this.parked.set(r.core, at);
          const bp = this.breakpoints.find((b) => b.addrs.includes(at) && b.enabled && (b.core === undefined || b.core === r.core));
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

  /** Step to the next source line; over calls when `over` (gdb's next), into them otherwise (step). */
  stepLine(over: boolean): Stop {
    const start = this.line();
    const key = (l?: LineEntry) => (l ? `${l.file}:${l.line}` : '');
    for (let i = 0; i < 1_000_000; i++) {
      const stop = this.stepOver(over);
      if (stop.kind !== 'step') return stop;
      const exact = this.image.lines.find((l) => l.addr === this.core.pc);
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
    this.history.restoreBefore(target);
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

  /** Step back n instructions (gdb's reverse-stepi). */
  reverseStepi(n = 1n): Stop {
    if (this.machine) return MESH_REVERSE;
    const now = this.core.instret;
    if (this.state === 'ready' || now === 0n) return { kind: 'fault', message: 'already at the start of the program' };
    this.state = 'stopped';
    this.replayTo(now > n ? now - n : 0n);
    return { kind: 'step' };
  }

  /** Step back to the beginning of the previous source line (gdb's reverse-step). */
  reverseStep(): Stop {
    if (this.machine) return MESH_REVERSE;
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
    if (this.machine) return MESH_REVERSE;
    const now = this.core.instret;
    if (this.state === 'ready' || now === 0n) return { kind: 'fault', message: 'already at the start of the program' };
    this.state = 'stopped';
    const snaps = this.history.before(now);
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
    this.core.restore(from.data);
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

  inSram(addr: bigint, len = 4): boolean {
    return this.core.inSram(addr, len);
  }
}
