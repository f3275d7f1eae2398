// A debugging session over one core (docs/debugger.md): breakpoints, stepping by instruction and by
// source line, continue/finish, and the program's host calls, all through the Core API. Breakpoints
// cost nothing while running: the core turns a breakpointed word into a break when it decodes it.
import type { Image, LineEntry } from '../assembler/image.js';
import { decode } from '../isa/codec.js';
import { Core } from '../emulator/host/core.js';
import { lineFor } from '../emulator/host/report.js';
import { hostCall, type Sink } from '../emulator/host/run.js';

export interface Breakpoint {
  id: number;
  addr: bigint;
  /** How the user named it, e.g. `fib.dasm:12` or `loop`. */
  where: string;
  enabled: boolean;
  temporary: boolean;
  hits: number;
}

export type SessionState = 'ready' | 'stopped' | 'exited' | 'faulted';

export type Stop =
  | { kind: 'step' }
  | { kind: 'breakpoint'; bp: Breakpoint }
  | { kind: 'exit'; code: number }
  | { kind: 'fault'; message: string }
  | { kind: 'limit' }
  | { kind: 'interrupted' };

/** Instructions run between checks for Ctrl-C and the limit. */
const SLICE = 1_000_000n;

export class Session {
  readonly core = new Core();
  readonly breakpoints: Breakpoint[] = [];
  state: SessionState = 'ready';
  private nextId = 1;
  /** Where the program last stopped: a breakpoint there is stepped over when it resumes. */
  private stoppedAt: bigint | undefined;
  interrupted = false;

  constructor(
    readonly image: Image,
    private readonly io: { stdout: Sink; stderr: Sink },
    readonly maxInstructions = 10_000_000_000n,
  ) {
    this.restart();
  }

  /** Load the program afresh (breakpoints stay). */
  restart(): void {
    const errors = this.core.load(this.image);
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
    for (const b of this.breakpoints) this.core.setBreakpoint(b.addr, b.enabled);
    this.state = 'ready';
    this.stoppedAt = undefined;
  }

  addBreakpoint(addr: bigint, where: string, temporary = false): Breakpoint | undefined {
    if (!this.core.setBreakpoint(addr, true)) return undefined;
    const bp: Breakpoint = { id: this.nextId++, addr, where, enabled: true, temporary, hits: 0 };
    this.breakpoints.push(bp);
    return bp;
  }

  deleteBreakpoint(bp: Breakpoint): void {
    this.breakpoints.splice(this.breakpoints.indexOf(bp), 1);
    if (!this.breakpoints.some((b) => b.addr === bp.addr && b.enabled)) this.core.setBreakpoint(bp.addr, false);
  }

  enableBreakpoint(bp: Breakpoint, on: boolean): void {
    bp.enabled = on;
    this.core.setBreakpoint(bp.addr, this.breakpoints.some((b) => b.addr === bp.addr && b.enabled));
  }

  line(pc = this.core.pc): LineEntry | undefined {
    return lineFor(this.image.lines, pc);
  }

  private armedAt(pc: bigint): boolean {
    return this.breakpoints.some((b) => b.addr === pc && b.enabled);
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
    this.state = 'stopped';
    let left = limit;
    while (left > 0n) {
      const pc = this.core.pc;
      const armed = pc === this.stoppedAt && this.armedAt(pc);
      if (armed) this.core.setBreakpoint(pc, false);
      const before = this.core.instret;
      const stop = this.core.run(armed ? 1n : left);
      if (armed) this.core.setBreakpoint(pc, true);
      this.stoppedAt = undefined;
      left -= this.core.instret - before;
      switch (stop.kind) {
        case 'limit':
          continue;
        case 'ecall': {
          const r = hostCall(this.core, this.io);
          if (r.exit !== undefined) {
            this.state = 'exited';
            return { kind: 'exit', code: r.exit };
          }
          if (r.unknown !== undefined) {
            this.state = 'faulted';
            return { kind: 'fault', message: `unknown host call ${r.unknown} in a7` };
          }
          continue;
        }
        case 'breakpoint': {
          const bp = this.breakpoints.find((b) => b.addr === stop.pc && b.enabled)!;
          bp.hits++;
          if (bp.temporary) this.deleteBreakpoint(bp);
          return { kind: 'breakpoint', bp };
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

  /** Execute n instructions. */
  stepi(n = 1n): Stop {
    return this.go(n) ?? { kind: 'step' };
  }

  /** Run until a breakpoint, exit, fault, Ctrl-C or the instruction limit. */
  continue(): Stop {
    this.interrupted = false;
    let budget = this.maxInstructions;
    while (budget > 0n) {
      const before = this.core.instret;
      const stop = this.go(budget < SLICE ? budget : SLICE);
      if (stop) return stop;
      budget -= this.core.instret - before;
      if (this.interrupted) return { kind: 'interrupted' };
    }
    return { kind: 'limit' };
  }

  /** Is the instruction at pc a call (jal/jalr that links into ra)? */
  isCall(pc: bigint): boolean {
    if (!this.inSram(pc)) return false;
    const d = decode(new DataView(this.core.readMem(pc, 4).buffer).getUint32(0, true));
    return !!d && (d.instr.mnemonic === 'jal' || d.instr.mnemonic === 'jalr') && d.ops['rd'] === 1;
  }

  /** Run until the instruction at addr is next (a temporary internal stop), or something else stops us. */
  runTo(addr: bigint): Stop {
    const bp = this.addBreakpoint(addr, 'internal', true);
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

  inSram(addr: bigint, len = 4): boolean {
    return this.core.inSram(addr, len);
  }
}
