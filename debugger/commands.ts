// The debugger's commands (docs/debugger.md): one table of name, aliases, arguments and help drives
// dispatch, `help` and completion. Each command prints through `out` and never throws at the user: bad
// input gets a message and the session goes on.
import { formatMeshStats, meshStats } from '../emulator/host/mesh-stats.js';
import { coreState, infoCores, infoEngines, infoSemaphores, machineOf, MESH_LEGEND, meshGrid, NotAMesh, parseCore, whyWaiting } from './mesh.js';
import { basename } from 'node:path';
import { evaluate, ExprError, type Expr } from '../assembler/expr.js';
import { lexer } from '../assembler/tokens.js';
import { parseLine } from '../assembler/parser.js';
import { toStatement } from '../assembler/visitor.js';
import { ABI_NAMES, vreg, xreg } from '../isa/registers.js';
import { corePc, instructionText, symbolize } from '../emulator/host/report.js';
import type { Breakpoint, Session, Stop, Watchpoint } from './session.js';
import { infoFormats, infoMatrix, infoThreads, infoVector } from './dojo.js';
import { examine } from './examine.js';
import { coreStats, formatStats } from '../emulator/host/stats.js';
import { D1_CORE } from '../emulator/presets.js';

export interface Context {
  session: Session;
  out: (text: string) => void;
  /** Text of a source line, when the file can be read. */
  source: (file: string, line: number) => string | undefined;
  displays: string[];
  quit: boolean;
  /** Where `list` continues. */
  listFrom?: { file: string; line: number };
  /** The hardware thread whose registers the commands show (`thread N`). */
  thread?: number;
  /** Interactive: long runs yield to the event loop so Ctrl-C can stop them. */
  interactive?: boolean;
}

/** A command context over a session. Breakpoint conditions are evaluated in it: one that cannot be
 * evaluated stops the program (as gdb does), with a message. */
export function newContext(session: Session, out: (text: string) => void, source: Context['source']): Context {
  const ctx: Context = { session, out, source, displays: [], quit: false };
  session.condition = (expr) => {
    try {
      return evalExpr(ctx, expr) !== 0n;
    } catch (e) {
      out(`Error in breakpoint condition '${expr}': ${(e as Error).message}`);
      return true;
    }
  };
  return ctx;
}

/** The selected thread (default: the one that ran last). */
export const selected = (ctx: Context): number => ctx.thread ?? ctx.session.core.thread;

export interface Command {
  name: string;
  aliases: string[];
  args: string;
  help: string;
  run: (ctx: Context, args: string) => void | Promise<void>;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;
const WATCH_TITLE = { watch: 'Watchpoint', rwatch: 'Read watchpoint', awatch: 'Access watchpoint' } as const;
const hitsText = (hits: number) => (hits ? ` (hit ${hits} time${hits > 1 ? 's' : ''})` : '');
/** A watchpoint's row in `info breakpoints` and `info watchpoints`. */
const watchRow = (w: Watchpoint) =>
  `${String(w.id).padEnd(5)}${w.kind.padEnd(6)} ${w.enabled ? 'y' : 'n'}    ${w.sem ? `semaphore ${w.addr}`.padEnd(18) : `0x${w.addr.toString(16).padStart(16, '0')}`}  ${w.what}${w.sem ? '' : ` (${w.len} bytes)`}${hitsText(w.hits)}`;

export class UserError extends Error {}

/** Evaluate a gdb-style expression: numbers, $registers (or bare ABI names), $pc, symbols, C operators. */
export function evalExpr(ctx: Context, raw: string): bigint {
  const text = raw.trim();
  const lexed = lexer.tokenize(`x ${text}`);
  if (lexed.errors.length > 0) throw new UserError(`cannot read expression '${text}'`);
  const parsed = parseLine(lexed.tokens);
  if (parsed.errors.length > 0) throw new UserError(`cannot read expression '${text}'`);
  const st = toStatement(parsed.cst, '<expr>');
  const op = st.operands[0];
  if (st.operands.length !== 1 || !op || op.kind !== 'expr') throw new UserError(`'${text}' is not one expression`);
  const core = ctx.session.core;
  try {
    return evaluate(op.e as Expr, {
      dot: core.pc,
      symbol: (name) => {
        const bare = name.startsWith('$') ? name.slice(1) : name;
        if (bare === 'pc') return core.pc;
        const r = xreg(bare);
        if (r !== undefined) return core.getReg(r, selected(ctx));
        return ctx.session.image.symbols.find((s) => s.name === name)?.value;
      },
    });
  } catch (e) {
    if (e instanceof ExprError) throw new UserError(e.message);
    throw e;
  }
}

/** An address from `*expr`, `file:line`, `line` (in the current file) or a symbol; `addrs` are all its
 * locations: a line of a macro or repetition body is at each place it was expanded to (where a run of
 * its rows in the line table starts), a macro call's line where the code of each call made there starts. */
export function location(ctx: Context, spec: string): { addr: bigint; addrs: bigint[]; where: string } {
  const s = ctx.session;
  const t = spec.trim();
  if (t === '') throw new UserError('a location is needed: *ADDRESS, FILE:LINE, LINE or a symbol');
  const one = (addr: bigint, where: string) => ({ addr, addrs: [addr], where });
  if (t.startsWith('*')) return one(evalExpr(ctx, t.slice(1)), t);
  const m = /^(?:(.+):)?(\d+)$/.exec(t);
  if (m) {
    const file = m[1] ?? s.line()?.file ?? s.image.lines[0]?.file;
    const line = Number(m[2]);
    const rows = s.image.lines;
    const inFile = (f: string) => file === undefined || f === file || basename(f) === basename(file);
    const at = (k: number) => rows[k]!.line === line && inFile(rows[k]!.file);
    const starts = rows.filter((l, k) => at(k) && !(k > 0 && at(k - 1) && rows[k - 1]!.file === l.file));
    // a macro call's line: where the code of each call made there starts (in code, not in data it made)
    const code = s.image.sections.filter((x) => x.flags.exec);
    const calls = (s.image.macroCalls ?? []).filter((c) => c.line === line && inFile(c.file) && code.some((x) => c.addr >= x.addr && c.addr < x.addr + BigInt(x.size)));
    const found = [...starts, ...calls];
    if (found.length === 0) throw new UserError(`no code at ${file ?? '?'}:${line} (no instruction comes from that line; try a nearby line)`);
    const addrs = [...new Set(found.map((l) => l.addr))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { addr: addrs[0]!, addrs, where: `${basename(found[0]!.file)}:${line}` };
  }
  const sym = s.image.symbols.find((x) => x.name === t);
  if (!sym) throw new UserError(`no symbol '${t}' in the program`);
  return one(sym.value, t);
}

/** Where a new breakpoint is: its address and line, or its line and how many locations it has. */
function placesOf(ctx: Context, bp: Breakpoint): string {
  return bp.addrs.length > 1 ? `${bp.where} (${bp.addrs.length} locations)` : where(ctx, bp.addr, lineOf(bp));
}

/** The line a breakpoint was set on, `file:line` (a macro call's line has no rows of its own in the line
 * table: the body's lines are at the same addresses). */
const lineOf = (bp: Breakpoint): string | undefined => (/^.+:\d+$/.test(bp.where) ? bp.where : undefined);

function where(ctx: Context, pc: bigint, line?: string): string {
  const place = placeOf(ctx, pc, line);
  return place ? `${hex(pc)} ${place}` : hex(pc);
}

/** The symbol and source line of an address: `<loop+0x8> at fib.dasm:20`; `line` says which line when
 * it is known. */
function placeOf(ctx: Context, pc: bigint, line?: string): string {
  const sym = symbolize(ctx.session.image, pc);
  const l = ctx.session.line(pc);
  const at = line ?? (l ? `${basename(l.file)}:${l.line}` : undefined);
  return `${sym ? `<${sym}>` : ''}${sym && at ? ' ' : ''}${at ? `at ${at}` : ''}`;
}

function instructionAt(ctx: Context, pc: bigint): string {
  return instructionText(ctx.session.core, ctx.session.image, pc) ?? '(outside SRAM)';
}

/** What gdb shows when the program stops: the reason, then the source line (or the instruction). */
export function reportStop(ctx: Context, stop: Stop): void {
  const s = ctx.session;
  // (a core that waits is shown at the instruction it waits in)
  const pc = (stop.kind === 'fault' && stop.waiting) || (stop.kind === 'watchpoint' && stop.by) ? corePc(s.core) : s.core.pc;
  switch (stop.kind) {
    case 'exit':
      ctx.out(`[program exited with code ${stop.code}]`);
      return;
    case 'fault':
      ctx.out(`Program stopped: ${stop.message}, at ${where(ctx, pc)}: ${instructionAt(ctx, pc)}`);
      break;
    case 'limit':
      ctx.out(`Program stopped: instruction limit reached at ${where(ctx, pc)}`);
      break;
    case 'interrupted':
      ctx.out(`Program interrupted at ${where(ctx, pc)}`);
      break;
    case 'breakpoint':
      ctx.out(`Breakpoint ${stop.bp.id}, ${where(ctx, pc)}`);
      break;
    case 'watchpoint': {
      const w = stop.wp;
      for (const hit of [stop, ...(stop.also ?? [])]) {
        // a value of up to 8 bytes as a number; a wider one (a vector register's worth) as its bytes, in
        // memory order, 16 to a line
        const { len } = hit.wp;
        const show = (v: bigint) => {
          if (len <= 8) return `${v} (${hex(v)})`;
          const bytes = Array.from({ length: len }, (_, i) => ((v >> BigInt(8 * i)) & 0xffn).toString(16).padStart(2, '0'));
          const rows = Array.from({ length: Math.ceil(len / 16) }, (_, r) => `  +${String(16 * r).padStart(3)}: ${bytes.slice(16 * r, 16 * r + 16).join(' ')}`);
          return `${len} bytes\n${rows.join('\n')}`;
        };
        ctx.out(`${WATCH_TITLE[hit.wp.kind]} ${hit.wp.id}: ${hit.wp.what}`);
        if (hit.old !== undefined) ctx.out(`Old value = ${show(hit.old)}\nNew value = ${show(hit.value)}${hit.wp.sem && hit.old === hit.value ? ' (what was posted was taken at once by a waiting thread)' : ''}`);
        else ctx.out(`Value = ${show(hit.value)}`);
      }
      if (stop.by) {
        // a message from the network did it: what it was, and the instruction behind it
        const by = stop.by;
        const name = (g: number) => (s.machine ? `core ${s.machine.name(g)}` : 'this core');
        const origin = s.machine?.cores.get(by.origin)?.core ?? s.core;
        const done = w.sem ? 'posted to' : stop.old !== undefined ? 'written' : 'read';
        ctx.out(`${done} by ${/^[aeiou]/.test(by.message) ? 'an' : 'a'} ${by.message} from ${name(by.from)}, arriving at cycle ${Math.floor(by.cycle)}; ${by.origin === by.from ? 'sent' : 'caused'} by ${name(by.origin)} at ${where(ctx, by.pc)}: ${instructionText(origin, s.image, by.pc) ?? '?'}`);
        ctx.out(`${name(s.focus)} is at ${where(ctx, pc)}${s.machine ? ` (${coreState(s.machine, s.focus).text})` : ''}`);
      } else ctx.out(`at ${where(ctx, pc)}`);
      break;
    }
    case 'step':
      break;
  }
  const l = s.line(pc);
  const text = l && l.addr === pc ? ctx.source(l.file, l.line) : undefined;
  ctx.out(text !== undefined ? `${l!.line}\t${text}` : `${hex(pc)}\t${instructionAt(ctx, pc)}`);
  for (const [k, d] of ctx.displays.entries()) {
    try {
      const v = evalExpr(ctx, d);
      ctx.out(`${k + 1}: ${d} = ${BigInt.asIntN(64, v)} (${hex(BigInt.asUintN(64, v))})`);
    } catch (e) {
      ctx.out(`${k + 1}: ${d} = <${(e as Error).message}>`);
    }
  }
}

function count(args: string, what: string): bigint {
  if (args.trim() === '') return 1n;
  if (!/^\d+$/.test(args.trim())) throw new UserError(`${what} takes a count, got '${args.trim()}'`);
  return BigInt(args.trim());
}

function list(ctx: Context, args: string): void {
  const s = ctx.session;
  let file: string | undefined;
  let center: number;
  if (args.trim() === '') {
    if (ctx.listFrom) {
      file = ctx.listFrom.file;
      center = ctx.listFrom.line + 5;
    } else {
      const l = s.line() ?? s.image.lines[0];
      if (!l) throw new UserError('no line information in this program');
      file = l.file;
      center = l.line;
    }
  } else {
    const { addr } = location(ctx, args);
    const l = s.line(addr);
    if (!l) throw new UserError(`no source line for ${args.trim()}`);
    file = l.file;
    center = l.line;
  }
  const first = Math.max(1, center - 5);
  let shown = 0;
  for (let n = first; n < first + 10; n++) {
    const text = ctx.source(file, n);
    if (text === undefined) break;
    ctx.out(`${n}\t${text}`);
    shown++;
  }
  if (shown === 0) throw new UserError(`cannot read ${file}`);
  ctx.listFrom = { file, line: first + 5 + 4 };
}

/** continue, N times over breakpoints; interactive sessions yield between slices so Ctrl-C works. */
function continueN(ctx: Context, n: bigint): void | Promise<void> {
  const s = ctx.session;
  if (!ctx.interactive) {
    let stop = s.continue();
    while (--n > 0n && stop.kind === 'breakpoint') stop = s.continue();
    return stopAndReport(ctx, stop);
  }
  return (async () => {
    let stop = await s.continueAsync();
    while (--n > 0n && stop.kind === 'breakpoint') stop = await s.continueAsync();
    stopAndReport(ctx, stop);
  })();
}

function stopAndReport(ctx: Context, stop: Stop): void {
  reportStop(ctx, stop);
}

export const COMMANDS: Command[] = [
  { name: 'break', aliases: ['b', 'br'], args: 'LOCATION [core X,Y] [if EXPRESSION]', help: 'stop before the instruction at LOCATION: *ADDRESS, FILE:LINE, LINE or a symbol; on a mesh on every core, or only on `core X,Y`; with `if`, only when EXPRESSION is non-zero there', run: (ctx, a) => {
    const [head = '', cond] = a.split(/\s+if\s+/);
    const on = /^(.*?)\s+core\s+(\S+)\s*$/.exec(head);
    const loc = on ? on[1]! : head;
    const only = on ? parseCore(machineOf(ctx.session), on[2]!) : undefined;
    if (cond !== undefined) evalExpr(ctx, cond); // a bad condition is reported now, not at the first hit
    const { addr, addrs, where: w } = location(ctx, loc);
    const bp = ctx.session.addBreakpoint(addrs, w, false, only);
    if (!bp) throw new UserError(`cannot break at ${hex(addr)}: not a word-aligned SRAM address`);
    if (cond !== undefined) bp.condition = cond.trim();
    ctx.out(`Breakpoint ${bp.id} at ${placesOf(ctx, bp)}${only !== undefined ? ` on core ${machineOf(ctx.session).name(only)}` : ''}`);
  } },
  { name: 'core', aliases: [], args: '[X,Y]', help: 'on a mesh: look at core X,Y from now on (registers, memory, stepping); without X,Y, say which core is shown', run: (ctx, a) => {
    const m = machineOf(ctx.session);
    if (a.trim() === '') return ctx.out(`[Current core is ${m.name(ctx.session.focus)}]`);
    const g = parseCore(m, a);
    ctx.session.select(g);
    ctx.thread = undefined;
    ctx.out(`[Switching to core ${m.name(g)}: ${coreState(m, g).text}, pc 0x${ctx.session.core.pc.toString(16)}]`);
  } },
  { name: 'tbreak', aliases: ['tb'], args: 'LOCATION', help: 'like break, but the breakpoint is deleted when hit', run: (ctx, a) => {
    const { addr, addrs, where: w } = location(ctx, a);
    const bp = ctx.session.addBreakpoint(addrs, w, true);
    if (!bp) throw new UserError(`cannot break at ${hex(addr)}`);
    ctx.out(`Temporary breakpoint ${bp.id} at ${placesOf(ctx, bp)}`);
  } },
  { name: 'delete', aliases: ['d'], args: '[N...]', help: 'delete breakpoints N (all when none given)', run: (ctx, a) => {
    const s = ctx.session;
    const ids = a.trim() === '' ? [...s.breakpoints, ...s.watchpoints].map((b) => b.id) : a.trim().split(/\s+/).map(Number);
    for (const id of ids) {
      const bp = s.breakpoints.find((b) => b.id === id);
      const wp = s.watchpoints.find((w) => w.id === id);
      if (bp) s.deleteBreakpoint(bp);
      else if (wp) s.deleteWatchpoint(wp);
      else throw new UserError(`no breakpoint number ${id}`);
    }
  } },
  ...(['disable', 'enable'] as const).map((name) => ({ name, aliases: [], args: 'N...', help: `${name} breakpoints N`, run: (ctx: Context, a: string) => {
    for (const id of a.trim().split(/\s+/).map(Number)) {
      const bp = ctx.session.breakpoints.find((b) => b.id === id);
      const wp = ctx.session.watchpoints.find((w) => w.id === id);
      if (bp) ctx.session.enableBreakpoint(bp, name === 'enable');
      else if (wp) ctx.session.enableWatchpoint(wp, name === 'enable');
      else throw new UserError(`no breakpoint number ${id}`);
    }
  } })),
  ...(['watch', 'rwatch', 'awatch'] as const).map((kind) => ({ name: kind, aliases: kind === 'watch' ? ['wa'] : [], args: `ADDRESS [LENGTH] [core X,Y]${kind === 'watch' ? ' | sem N [core X,Y]' : ''}`,
    help: `stop after an instruction or a message from the network (a remote ${kind === 'watch' ? 'store, engine data' : 'load, an engine reading'}) that ${kind === 'watch' ? 'changes' : kind === 'rwatch' ? 'reads' : 'reads or writes'} LENGTH bytes at ADDRESS (an expression or symbol; LENGTH defaults to the symbol's size, else 8; a global address names its core); on a mesh on every core, or only on core X,Y${kind === 'watch' ? '; `watch sem N`: when semaphore N (of the selected core, or core X,Y) changes' : ''}`,
    run: (ctx: Context, a: string) => {
      const s = ctx.session;
      const on = /^(.*?)\s+core\s+(\S+)\s*$/.exec(a.trim());
      const spec = (on ? on[1]! : a).trim();
      let only = on ? parseCore(machineOf(s), on[2]!) : undefined;
      const sem = /^sem(?:aphore)?\s+(.+)$/.exec(spec);
      if (sem) {
        if (kind !== 'watch') throw new UserError(`${kind}: semaphores are watched for changes: watch sem N [core X,Y]`);
        const n = evalExpr(ctx, sem[1]!);
        const core = only ?? (s.machine ? s.focus : undefined);
        const what = `semaphore ${n}${core !== undefined ? ` of core ${machineOf(s).name(core)}` : ''}`;
        const wp = s.addWatchpoint('watch', n, 4, what, { sem: true, core });
        if (!wp) throw new UserError(`watch: no semaphore ${n} (a core has 0..31)`);
        return ctx.out(`Watchpoint ${wp.id}: ${what}`);
      }
      const m = /^(.*?)(?:\s+(\d+))?$/.exec(spec)!;
      const expr = m[1]!.trim();
      if (expr === '') throw new UserError(`${kind}: what should it watch? (an address or a symbol)`);
      let addr = BigInt.asUintN(64, evalExpr(ctx, expr.replace(/^\*/, '')));
      if (s.machine && addr >> 48n === 1n) {
        // a global address (docs/machine.md, "Global addresses"): that core's SRAM
        const g = parseCore(s.machine, `${(addr >> 32n) & 0xffn},${(addr >> 40n) & 0xffn}`);
        if (only !== undefined && only !== g) throw new UserError(`${kind}: ${hex(addr)} is on core ${s.machine.name(g)}, not ${s.machine.name(only)}`);
        only = g;
        addr &= 0xffff_ffffn;
      }
      const sym = s.image.symbols.find((x) => x.name === expr);
      const len = m[2] !== undefined ? Number(m[2]) : sym && sym.size > 0 && sym.size <= 8 ? Number(sym.size) : 8;
      const what = `${expr}${only !== undefined ? ` on core ${machineOf(s).name(only)}` : ''}`;
      const wp = s.addWatchpoint(kind, addr, len, what, { core: only });
      if (!wp) throw new UserError(`cannot watch ${len} bytes at ${hex(addr)}: outside SRAM`);
      ctx.out(`${WATCH_TITLE[kind]} ${wp.id}: ${what}`);
    } })),
  { name: 'run', aliases: ['r', 'restart'], args: '', help: 'start the program from the beginning and run it (Ctrl-C interrupts)', run: (ctx) => {
    ctx.session.restart();
    return continueN(ctx, 1n);
  } },
  { name: 'continue', aliases: ['c', 'cont'], args: '[N]', help: 'run until a breakpoint (ignoring the current one N-1 more times; Ctrl-C interrupts)', run: (ctx, a) => continueN(ctx, count(a, 'continue')) },
  { name: 'stepi', aliases: ['si'], args: '[N]', help: 'execute N instructions (default 1)', run: (ctx, a) => stopAndReport(ctx, ctx.session.stepi(count(a, 'stepi'))) },
  { name: 'nexti', aliases: ['ni'], args: '[N]', help: 'execute N instructions, stepping over calls', run: (ctx, a) => {
    let stop: Stop = { kind: 'step' };
    for (let n = count(a, 'nexti'); n > 0n && stop.kind === 'step'; n--) stop = ctx.session.stepOver(true);
    stopAndReport(ctx, stop);
  } },
  { name: 'reverse-stepi', aliases: ['rsi'], args: '[N]', help: 'go back N instructions (default 1; on a mesh, of the selected core): registers, memory and cycles as they were', run: (ctx, a) => stopAndReport(ctx, ctx.session.reverseStepi(count(a, 'reverse-stepi'))) },
  { name: 'reverse-step', aliases: ['rs'], args: '', help: 'go back to the beginning of the previous source line', run: (ctx) => stopAndReport(ctx, ctx.session.reverseStep()) },
  { name: 'reverse-continue', aliases: ['rc'], args: '', help: 'go back to the previous breakpoint or watchpoint hit, on any core (or the start of the program)', run: (ctx) => stopAndReport(ctx, ctx.session.reverseContinue()) },
  { name: 'step', aliases: ['s'], args: '', help: 'run to the next source line, into calls', run: (ctx) => stopAndReport(ctx, ctx.session.stepLine(false)) },
  { name: 'next', aliases: ['n'], args: '', help: 'run to the next source line, over calls', run: (ctx) => stopAndReport(ctx, ctx.session.stepLine(true)) },
  { name: 'finish', aliases: ['fin'], args: '', help: 'run until the current function returns (to ra)', run: (ctx) => {
    // ra is 0 in the outermost frame (as at the entry point): there is no caller to return to
    if (ctx.session.core.getReg(1, selected(ctx)) === 0n) throw new UserError('"finish" not meaningful in the outermost frame.');
    stopAndReport(ctx, ctx.session.finish());
  } },
  { name: 'until', aliases: ['u'], args: 'LOCATION', help: 'run until LOCATION (any of its locations) is reached', run: (ctx, a) => stopAndReport(ctx, ctx.session.runTo(location(ctx, a).addrs)) },
  { name: 'info', aliases: ['i'], args: 'registers|breakpoints|watchpoints|line|vector|formats|matrix|threads|stats|cores|mesh|why|semaphores|engines', help: 'show registers, breakpoints and watchpoints (info watchpoints: those alone), where the program is; vector registers as lanes (info vector [vN...] [fmtN|FORMAT[:BIAS]]), the format table and flags, the matrix accumulators, the hardware threads, and where the time went so far (cycles, utilisation, stalls by cause); on a mesh each core\'s state, the mesh as a grid, why a core waits (info why [X,Y]: the chain of barriers and joins back to what holds it), the selected core\'s semaphores and engines', run: (ctx, a) => {
    const [what = '', ...rest] = a.trim().split(/\s+/);
    const s = ctx.session;
    if ('registers'.startsWith(what) && what.length >= 1) {
      const names = rest.map((r) => r.replace(/^\$/, ''));
      const unknown = names.filter((r) => r !== 'pc' && xreg(r) === undefined && vreg(r) === undefined);
      if (unknown.length > 0) throw new UserError(`info registers: no register ${unknown.map((r) => `'${r}'`).join(', ')} (x0..x31 or ABI names, pc, v0..v31)`);
      // vector registers as lanes (as info vector shows them); the rest as x registers and pc
      const vectors = names.filter((r) => vreg(r) !== undefined);
      if (vectors.length > 0) infoVector(ctx, vectors, selected(ctx));
      if (vectors.length > 0 && vectors.length === names.length) return;
      const only = names.length > 0 ? names : undefined;
      for (let i = 0; i < 32; i++) {
        if (only && !only.some((r) => xreg(r) === i)) continue;
        const v = s.core.getReg(i, selected(ctx));
        ctx.out(`${ABI_NAMES[i]!.padEnd(8)}0x${v.toString(16).padStart(16, '0')}  ${BigInt.asIntN(64, v)}`);
      }
      if (!only || only.includes('pc')) ctx.out(`${'pc'.padEnd(8)}0x${s.core.pc.toString(16).padStart(16, '0')}  ${where(ctx, s.core.pc)}`);
    } else if ('breakpoints'.startsWith(what) && what.length >= 1) {
      if (s.breakpoints.length === 0 && s.watchpoints.length === 0) return ctx.out('No breakpoints or watchpoints.');
      ctx.out('Num  Type   Enb  Address             What');
      for (const b of s.breakpoints) {
        const address = b.addrs.length > 1 ? '<MULTIPLE>'.padEnd(18) : `0x${b.addr.toString(16).padStart(16, '0')}`;
        ctx.out(`${String(b.id).padEnd(5)}${b.temporary ? 'tbreak' : 'break '} ${b.enabled ? 'y' : 'n'}    ${address}  ${b.where}${hitsText(b.hits)}`);
        if (b.condition) ctx.out(`\tstop only if ${b.condition}`);
        // several locations (a line of a macro body): one row each, as gdb shows them
        if (b.addrs.length > 1) b.addrs.forEach((a, k) => ctx.out(`${`${b.id}.${k + 1}`.padEnd(12)}${b.enabled ? 'y' : 'n'}    0x${a.toString(16).padStart(16, '0')}  ${placeOf(ctx, a, lineOf(b))}`));
      }
      for (const w of s.watchpoints) ctx.out(watchRow(w));
    } else if ('watchpoints'.startsWith(what) && what.length >= 3) {
      if (s.watchpoints.length === 0) return ctx.out('No watchpoints.');
      ctx.out('Num  Type   Enb  Address             What');
      for (const w of s.watchpoints) ctx.out(watchRow(w));
    } else if (what === 'line') ctx.out(where(ctx, s.core.pc));
    else if (what === 'vector' || what === 'v') infoVector(ctx, rest, selected(ctx));
    else if (what === 'formats') infoFormats(ctx, selected(ctx));
    else if (what === 'matrix') infoMatrix(ctx, rest[0]);
    else if (what === 'threads') infoThreads(ctx, selected(ctx));
    else if (what === 'stats') {
      ctx.out(formatStats(coreStats(s.core)));
      // on a mesh, the whole machine too (without the per-core table: `info cores`)
      if (s.machine) ctx.out(formatMeshStats(meshStats(s.machine), true));
    }
    else if (what === 'cores') for (const l of infoCores(machineOf(s), s.focus, (c) => where(ctx, corePc(c)))) ctx.out(l);
    else if (what === 'mesh') {
      const m = machineOf(s);
      ctx.out(`${m.preset.name}: ${m.exits.size}/${m.cores.size} cores exited, cycle ${m.cycles}`);
      for (const l of meshGrid(m, s.focus)) ctx.out(l);
      ctx.out(MESH_LEGEND);
    } else if (what === 'why') {
      const m = machineOf(s);
      for (const l of whyWaiting(m, rest.length > 0 ? parseCore(m, rest.join(' ')) : s.focus, (_core, pc) => where(ctx, pc))) ctx.out(l);
    } else if (what === 'semaphores' || what === 'sem') ctx.out(infoSemaphores(s.core));
    else if (what === 'engines') for (const l of infoEngines(s.core)) ctx.out(l);
    else throw new UserError(`info ${what}: unknown (try info registers, breakpoints, watchpoints, line, vector, formats, matrix, threads, stats; on a mesh cores, mesh, why [X,Y], semaphores, engines)`);
  } },
  { name: 'thread', aliases: ['t'], args: 'N', help: `show the registers of hardware thread N (0..${D1_CORE.threads - 1}) from now on; without N, say which is shown`, run: (ctx, a) => {
    if (a.trim() === '') return ctx.out(`[Current thread is ${selected(ctx)}]`);
    const n = Number(a.trim());
    if (!Number.isInteger(n) || n < 0 || n >= D1_CORE.threads) throw new UserError(`thread: expected 0..${D1_CORE.threads - 1}, got '${a.trim()}'`);
    ctx.thread = n;
    const t = ctx.session.core.threads()[n]!;
    ctx.out(`[Switching to thread ${n} (${t.state}${t.state === 'free' ? '' : `, pc 0x${t.pc.toString(16)}`})]`);
  } },
  { name: 'print', aliases: ['p'], args: '[/F] EXPRESSION', help: 'evaluate an expression over $registers, $pc and symbols; /x hex, /d signed, /u unsigned, /t binary, /o octal, /c a character', run: (ctx, a) => {
    const f = /^\/([xdutoc])\s+(.*)$/.exec(a.trim());
    if (/^\//.test(a.trim()) && !f) throw new UserError(`print: bad format '${a.trim().split(/\s/)[0]}' (use /x /d /u /t /o /c)`);
    const v = evalExpr(ctx, f ? f[2]! : a);
    const u = BigInt.asUintN(64, v);
    const text = { x: `0x${u.toString(16)}`, d: String(BigInt.asIntN(64, v)), u: String(u), t: u.toString(2), o: `0${u.toString(8)}`, c: `${u & 0xffn} ${JSON.stringify(String.fromCharCode(Number(u & 0xffn)))}` };
    ctx.out(f ? text[f[1] as keyof typeof text] : `${BigInt.asIntN(64, v)} (0x${u.toString(16)})`);
  } },
  { name: 'x', aliases: [], args: '/NFU ADDRESS', help: 'examine memory: N units of size U (b h w g) in format F (x d u c t o f), N strings (x/Ns), N instructions (x/Ni), or N values of a lane format (x/8bf16, x/16cfp8_143:7)', run: (ctx, a) => {
    const m = /^\/(\S*)\s+(.*)$/.exec(a.trim());
    if (m) examine(ctx, m[1]!, m[2]!);
    else examine(ctx, '', a);
  } },
  { name: 'display', aliases: [], args: 'EXPRESSION', help: 'print EXPRESSION after every stop', run: (ctx, a) => {
    evalExpr(ctx, a);
    ctx.displays.push(a.trim());
  } },
  { name: 'list', aliases: ['l'], args: '[LOCATION]', help: 'show source lines around LOCATION (or the current line)', run: (ctx, a) => list(ctx, a) },
  { name: 'disassemble', aliases: ['disas'], args: '[LOCATION]', help: 'disassemble 10 instructions from LOCATION (or around pc)', run: (ctx, a) => {
    const pc = ctx.session.core.pc;
    const start = a.trim() ? location(ctx, a).addr : pc >= 16n ? pc - 16n : 0n;
    for (let k = 0n; k < 10n; k++) {
      const addr = start + 4n * k;
      if (!ctx.session.inSram(addr)) break;
      ctx.out(`${addr === pc ? '=> ' : '   '}${hex(addr)}${symbolize(ctx.session.image, addr) ? ` <${symbolize(ctx.session.image, addr)}>` : ''}:\t${instructionAt(ctx, addr)}`);
    }
  } },
  { name: 'backtrace', aliases: ['bt', 'where'], args: '', help: 'show the current pc and the return address chain (ra)', run: (ctx) => {
    ctx.out(`#0  ${where(ctx, ctx.session.core.pc)}`);
    const ra = ctx.session.core.getReg(1);
    if (ra !== 0n) ctx.out(`#1  ${where(ctx, ra)}`);
  } },
  { name: 'help', aliases: ['h'], args: '[COMMAND]', help: 'list the commands, or explain one', run: (ctx, a) => {
    const c = a.trim() ? findCommand(a.trim()) : undefined;
    if (a.trim() && !c) throw new UserError(`no command '${a.trim()}'`);
    for (const x of c ? [c] : COMMANDS) ctx.out(`${`${x.name}${x.aliases.length ? ` (${x.aliases.join(', ')})` : ''} ${x.args}`.padEnd(40)} ${x.help}`);
  } },
  { name: 'quit', aliases: ['q', 'exit'], args: '', help: 'leave the debugger', run: (ctx) => {
    ctx.quit = true;
  } },
];

export function findCommand(word: string): Command | undefined {
  return COMMANDS.find((c) => c.name === word || c.aliases.includes(word)) ?? (word.length >= 3 ? COMMANDS.find((c) => c.name.startsWith(word)) : undefined);
}

/** Run one command line; errors become messages. A long run returns a promise (interactive sessions). */
export function execute(ctx: Context, line: string): void | Promise<void> {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return;
  const m = /^([A-Za-z][A-Za-z-]*)(.*)$/.exec(t);
  const word = m?.[1] ?? t;
  const c = findCommand(word);
  if (!c) {
    ctx.out(`Undefined command: "${word}". Try "help".`);
    return;
  }
  const report = (e: unknown) => {
    if (e instanceof UserError || e instanceof NotAMesh) ctx.out(e.message);
    else ctx.out(`error: ${(e as Error).message}`);
  };
  try {
    const r = c.run(ctx, m?.[2] ?? '');
    if (r instanceof Promise) return r.catch(report);
  } catch (e) {
    report(e);
  }
}
