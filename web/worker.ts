// The playground's worker: the same assembler, emulator host and debugger as the command line, run off
// the page's thread so that the page stays responsive. It answers the page's requests (web/protocol.ts):
// assemble (the problems, as you type), run (what `d1 run` prints, with progress), and a debugging
// session driven by the debugger's own commands (the buttons send them too).
import { assemble } from '../assembler/index.js';
import { formatDiagnostic, type Diagnostic } from '../assembler/diagnostics.js';
import type { Image } from '../assembler/image.js';
import { jitDefault } from '../emulator/host/core.js';
import { Machine, oneCore } from '../emulator/host/mesh.js';
import { formatMeshStats, meshStats } from '../emulator/host/mesh-stats.js';
import { meshExitCode, meshReport } from '../emulator/host/mesh-report.js';
import { D1_DIE, meshPreset, type MeshPreset } from '../emulator/presets.js';
import { stopReport } from '../emulator/host/report.js';
import { runLoaded } from '../emulator/host/run.js';
import { coreStats, formatStats, runJson } from '../emulator/host/stats.js';
import { execute, newContext, type Context } from '../debugger/commands.js';
import { laneCells, namedFormat } from '../debugger/dojo.js';
import { coreState } from '../debugger/mesh.js';
import { Session } from '../debugger/session.js';
import { CORE_BUILDS } from '../emulator/builds.js';
import { fetchWasm } from './shims/wasm.js';
import type { DebugView, MeshView, Problem, Program, Reply, Request, RunOptions } from './protocol.js';

const scope = self as unknown as { postMessage(m: Reply): void; onmessage: ((e: { data: Request }) => void) | null };
const post = (m: Reply) => scope.postMessage(m);

// Node's setImmediate, which the host's run loops yield with, as a task after the messages already queued
// (the page's Stop among them).
const channel = new MessageChannel();
const immediate: (() => void)[] = [];
channel.port1.onmessage = () => immediate.shift()?.();
(globalThis as { setImmediate?: unknown }).setImmediate = (f: () => void) => {
  immediate.push(f);
  channel.port2.postMessage(0);
};

let stopRequested = false;
let debug: { ctx: Context; program: Program; image: Image; bps: Map<number, number>; laneFormat: string } | undefined;

function sourceOf(p: Program) {
  const lines = new Map<string, string[]>();
  return (file: string, line: number): string | undefined => {
    if (!lines.has(file)) lines.set(file, p.files[file]?.split(/\r?\n/) ?? []);
    return lines.get(file)![line - 1];
  };
}

/** Assemble the program; the problems as the page shows them. */
function build(p: Program): { image?: Image; problems: Problem[] } {
  const { image, diagnostics } = assemble([{ path: p.main, text: p.files[p.main] ?? '' }], { readFile: (path) => p.files[path] });
  const text = (file: string) => p.files[file];
  const problems = diagnostics.map((d: Diagnostic) => ({ severity: d.severity, file: d.file, line: d.line, column: d.column, span: d.span, message: d.message, text: formatDiagnostic(d, text) }));
  return { ...(image ? { image } : {}), problems };
}

function presetOf(name: string): MeshPreset | undefined {
  if (name === 'die') return { ...D1_DIE };
  const m = /^(\d+)x(\d+)$/.exec(name);
  return m && name !== '1x1' ? meshPreset(Number(m[1]), Number(m[2])) : undefined;
}

function meshView(m: Machine, focus?: number): MeshView {
  const { w, h } = m.preset;
  let letters = '';
  for (let g = 0; g < w * h; g++) letters += m.cores.has(g) ? coreState(m, g).letter : '.';
  const cycles = Number(m.cycles);
  const links = m.links().filter((l) => l.dir !== 'INJECT' && l.dir !== 'EJECT' && l.busy > 0).map((l) => ({ x: l.x, y: l.y, dir: l.dir, utilisation: cycles > 0 ? l.busy / cycles : 0 }));
  return { name: m.preset.name, w, h, letters, links, cycles: String(m.cycles), ...(focus !== undefined ? { focus } : {}) };
}

function sinks() {
  const decoders = [new TextDecoder(), new TextDecoder()];
  const sink = (fd: 1 | 2) => ({ write: (chunk: Uint8Array | string) => post({ kind: 'output', fd, text: typeof chunk === 'string' ? chunk : decoders[fd - 1]!.decode(chunk, { stream: true }) }) });
  return { stdout: sink(1), stderr: sink(2) };
}

/** `d1 run`, as the command line runs it: the same output, exit code, statistics and report. */
async function run(p: Program, o: RunOptions): Promise<void> {
  const { image, problems } = build(p);
  if (!image) {
    post({ kind: 'problems', problems });
    post({ kind: 'done', exitCode: 1, outcome: 'bad input', report: problems.map((x) => x.text).join('\n'), stats: '', json: {}, mips: 0 });
    return;
  }
  stopRequested = false;
  const source = sourceOf(p);
  const io = sinks();
  const preset = presetOf(o.machine);
  let last = performance.now();
  const due = () => {
    const now = performance.now();
    if (now - last < 200) return false;
    last = now;
    return true;
  };
  if (!preset) {
    const one = oneCore({ timing: o.timing, jit: jitDefault() });
    const core = one.core();
    const errors = one.load(image, p.main);
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
    const r = await runLoaded(one, {
      ...io,
      interrupted: () => {
        if (due()) post({ kind: 'progress', cycles: String(core.cycles) });
        return stopRequested;
      },
    });
    const s = r.stats;
    post({
      kind: 'done',
      exitCode: r.exitCode,
      outcome: r.outcome.kind,
      report: r.outcome.kind !== 'exit' ? stopReport(core, image, r.outcome, source) : '',
      stats: `${formatStats(coreStats(core))}\nwall time    ${s.wallSeconds.toFixed(3)} s\nspeed        ${s.mips.toFixed(1)} MIPS`,
      json: runJson(r),
      mips: s.mips,
    });
    return;
  }
  const m = new Machine(preset, { timing: o.timing, jit: jitDefault() });
  const errors = m.load(image, p.main);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
  const started = performance.now();
  const outcome = await m.run({ ...io, workers: 1, interrupted: () => stopRequested, progress: (c) => due() && post({ kind: 'progress', cycles: String(c), mesh: meshView(m) }) });
  const wall = (performance.now() - started) / 1000;
  const s = meshStats(m);
  post({
    kind: 'done',
    exitCode: meshExitCode(outcome),
    outcome: outcome.kind,
    report: outcome.kind !== 'exit' ? meshReport(m, () => image, outcome, source) : '',
    stats: formatMeshStats(s),
    json: { exitCode: meshExitCode(outcome), outcome: outcome.kind, ...s },
    mips: wall > 0 ? s.instructions / wall / 1e6 : 0,
    mesh: meshView(m),
  });
}

/** The stopped program as the page's panes show it. */
function view(): DebugView | undefined {
  if (!debug) return undefined;
  const s = debug.ctx.session;
  const thread = debug.ctx.thread ?? s.core.thread;
  const l = s.line();
  let vregs: string[][] = [];
  try {
    const { fmt, bias } = namedFormat(debug.laneFormat);
    vregs = Array.from({ length: 32 }, (_, r) => {
      const bytes = s.core.getVreg(r, thread);
      return bytes.every((b) => b === 0) ? [] : laneCells(bytes, fmt, bias);
    });
  } catch {
    // an unknown format leaves the lanes empty; the page offers only known ones
  }
  return {
    state: s.state,
    pc: s.core.pc.toString(16),
    line: l && l.file === debug.program.main ? l.line : 0,
    thread,
    core: s.machine ? s.machine.name(s.focus) : '0,0',
    regs: Array.from({ length: 32 }, (_, i) => s.core.getReg(i, thread).toString(16).padStart(16, '0')),
    vregs,
    laneFormat: debug.laneFormat,
    stats: s.machine ? formatMeshStats(meshStats(s.machine)) : formatStats(coreStats(s.core)),
    ...(s.machine ? { mesh: meshView(s.machine, s.focus) } : {}),
  };
}

function startDebug(p: Program, o: RunOptions, lines: number[]): void {
  const { image, problems } = build(p);
  post({ kind: 'problems', problems });
  if (!image) {
    debug = undefined;
    post({ kind: 'console', text: 'The program has errors: fix them to debug it.' });
    return;
  }
  const out = (text: string) => post({ kind: 'console', text });
  const session = new Session(image, sinks(), undefined, presetOf(o.machine));
  const ctx = newContext(session, out, sourceOf(p));
  ctx.interactive = true;
  debug = { ctx, program: p, image, bps: new Map(), laneFormat: debug?.laneFormat ?? 'bf16' };
  out(`d1 debugger: ${image.symbols.length} symbols, entry 0x${image.entry.toString(16)}${session.machine ? `, ${session.machine.preset.name}` : ''}. Type "help" for commands.`);
  setBreakpoints(lines);
}

/** Make the session's line breakpoints in the edited file those of the gutter. */
function setBreakpoints(lines: number[]): void {
  if (!debug) return;
  const s = debug.ctx.session;
  for (const [line, id] of debug.bps) {
    if (lines.includes(line)) continue;
    const bp = s.breakpoints.find((b) => b.id === id);
    if (bp) s.deleteBreakpoint(bp);
    debug.bps.delete(line);
  }
  for (const line of lines) if (!debug.bps.has(line)) void command(`break ${debug.program.main}:${line}`, line);
}

/** One debugger command; `line` records the breakpoint it makes as the gutter's. */
async function command(text: string, line?: number): Promise<void> {
  if (!debug) return post({ kind: 'console', text: 'No program is being debugged: press Debug (or Step) first.' });
  const before = new Set(debug.ctx.session.breakpoints.map((b) => b.id));
  post({ kind: 'debugging', busy: true });
  await execute(debug.ctx, text);
  if (line !== undefined) {
    const made = debug.ctx.session.breakpoints.find((b) => !before.has(b.id));
    if (made) debug.bps.set(line, made.id);
  }
  post({ kind: 'debugging', busy: false, ...(debug ? { view: view()! } : {}) });
}

// Requests are handled one at a time, in order; Stop is seen at once, between slices of a long run.
let queue = Promise.resolve();
scope.onmessage = (e) => {
  const r = e.data;
  if (r.kind === 'stop') {
    stopRequested = true;
    if (debug) debug.ctx.session.interrupted = true;
    return;
  }
  queue = queue.then(() => handle(r)).catch((err: unknown) => post({ kind: 'fatal', message: err instanceof Error ? err.message : String(err) }));
};

async function handle(r: Request): Promise<void> {
  switch (r.kind) {
    case 'assemble':
      return post({ kind: 'diagnostics', id: r.id, problems: build(r.program).problems });
    case 'run':
      return run(r.program, r.options);
    case 'debug':
      startDebug(r.program, r.options, r.breakpoints);
      return post({ kind: 'debugging', busy: false, ...(debug ? { view: view()! } : {}) });
    case 'command':
      return command(r.line);
    case 'breakpoints':
      return setBreakpoints(r.lines);
    case 'lanes':
      if (debug) debug.laneFormat = r.format;
      return post({ kind: 'debugging', busy: false, ...(debug ? { view: view()! } : {}) });
    case 'stop':
      return;
  }
}

try {
  // (every build but the race checker's, which the page does not offer)
  await fetchWasm(import.meta.url, [...CORE_BUILDS.filter((b) => !('races' in b.options)).map((b) => b.file), 'd1-numbers.wasm']);
  post({ kind: 'ready' });
} catch (e) {
  post({ kind: 'fatal', message: (e as Error).message });
}
