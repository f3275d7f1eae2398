// The debugger's view of a machine of many cores (docs/debugger.md, "Cores"): choosing a core, each
// core's state, the mesh as a grid, a core's semaphores and engines.
import type { Machine } from '../emulator/host/mesh.js';
import type { Core, ThreadInfo } from '../emulator/host/core.js';
import type { Session } from './session.js';
import { semaphoreWait, threadPc } from '../emulator/host/report.js';

export class NotAMesh extends Error {}

export function machineOf(s: Session): Machine {
  if (!s.machine) throw new NotAMesh('this is a one-core machine (start d1 debug with --mesh WxH or --die for cores)');
  return s.machine;
}

/** A core's state in a word, and what it waits for. */
export function coreState(m: Machine, g: number): { letter: string; text: string } {
  const { part, slot, core } = m.cores.get(g)!;
  if (m.halted(part, slot)) return { letter: 'H', text: `exited (${m.exits.get(g) ?? 0})` };
  const threads = core.threads().filter((t) => t.state !== 'free');
  if (threads.some((t) => t.state === 'running')) return { letter: 'R', text: 'running' };
  const w = threads.find((t) => t.state === 'waiting');
  if (!w) return { letter: '-', text: 'idle' };
  return { letter: { semaphore: 'S', barrier: 'B', remote: 'N', join: 'J' }[w.waitKind ?? 'join'], text: waitText(m, g, w) };
}

function waitText(m: Machine, g: number, t: ThreadInfo): string {
  switch (t.waitKind) {
    case 'semaphore': return `waiting: ${semaphoreWait(m.cores.get(g)!.core, t)}`;
    case 'barrier': return `waiting: barrier ${m.groupName(t.waitArg!)}`;
    case 'remote': return `waiting: remote load from ${m.name(t.waitFor!)}`;
    default: return `waiting: thread ${t.waitFor}`;
  }
}

/** `core X,Y`: parse and check a core's coordinates. */
export function parseCore(m: Machine, text: string): number {
  const c = /^\s*\(?\s*(\d+)\s*,\s*(\d+)\s*\)?\s*$/.exec(text);
  if (!c) throw new NotAMesh(`expected a core as X,Y, got '${text.trim()}'`);
  const [x, y] = [Number(c[1]), Number(c[2])];
  if (x >= m.preset.w || y >= m.preset.h) throw new NotAMesh(`core (${x},${y}) is outside the ${m.preset.w}x${m.preset.h} mesh`);
  const g = y * m.preset.w + x;
  if (!m.cores.has(g)) throw new NotAMesh(`core (${x},${y}) is disabled`);
  return g;
}

/** `info cores`: a line per core (the busy ones first on big machines). */
export function infoCores(m: Machine, focus: number, where: (core: Core) => string, limit = 64): string[] {
  const out = ['  Core      State                                  Instructions  pc'];
  const all = [...m.cores].sort(([a], [b]) => a - b);
  for (const [g, { core }] of all.slice(0, limit)) {
    const st = coreState(m, g);
    out.push(`${g === focus ? '*' : ' '} ${m.name(g).padEnd(9)} ${st.text.padEnd(38)} ${String(core.instret).padStart(12)}  ${st.letter === 'H' ? '' : where(core)}`);
  }
  if (all.length > limit) out.push(`  ... ${all.length - limit} more cores (info mesh shows them all)`);
  return out;
}

/** `info mesh`: the machine as a grid of state letters. */
export function meshGrid(m: Machine, focus: number): string[] {
  const rows: string[] = [];
  for (let y = 0; y < m.preset.h; y++) {
    let row = '';
    for (let x = 0; x < m.preset.w; x++) {
      const g = y * m.preset.w + x;
      const letter = m.cores.has(g) ? coreState(m, g).letter : '.';
      row += g === focus ? `[${letter}]` : ` ${letter} `;
    }
    rows.push(row);
  }
  return rows;
}

export const MESH_LEGEND = 'R running  S semaphore  B barrier  N network (remote load)  J join  H exited  . disabled  [ ] selected';

export function infoSemaphores(core: Core): string {
  const sems = core.semaphores().map((v, i) => [i, v] as const).filter(([, v]) => v !== 0);
  return sems.length === 0 ? 'all 32 semaphores are 0' : sems.map(([i, v]) => `semaphore ${i} = ${v}`).join('  ');
}

export function infoEngines(core: Core): string[] {
  const names = { dma: 'DMA engine ', list: 'list parser', gather: 'gather     ' };
  return core.engines().map((e) => `${names[e.engine]}  ${e.busy ? (e.descriptor !== undefined ? `working on descriptor 0x${e.descriptor.toString(16)}` : 'starting') : 'idle'}${e.queued > 0 ? `, ${e.queued} queued` : ''}`);
}

/**
 * `info why X,Y`: what core g waits for, followed back along the chain of waits: a barrier names the
 * members not there yet and what each of them waits for, a join the thread it joins; a semaphore says
 * what count it needs and has (the core that should post it is the program's to know); a remote load's
 * reply is on its way. Each line says where (`where` of a core and a pc).
 */
export function whyWaiting(m: Machine, g: number, where: (core: Core, pc: bigint) => string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const arrived = m.barrierWaits();
  const explain = (g: number, depth: number): void => {
    const { part, slot, core } = m.cores.get(g)!;
    const pad = '  '.repeat(depth);
    if (m.halted(part, slot)) return void out.push(`${pad}core ${m.name(g)} has exited (${m.exits.get(g) ?? 0})`);
    const threads = core.threads().filter((t) => t.state !== 'free');
    if (threads.some((t) => t.state === 'running')) {
      const t = threads.find((x) => x.state === 'running')!;
      return void out.push(`${pad}core ${m.name(g)} runs (thread ${t.thread} at ${where(core, t.pc)})`);
    }
    for (const t of threads) {
      const key = `${g}/${t.thread}`;
      const at = where(core, threadPc(t));
      const head = `${pad}core ${m.name(g)} thread ${t.thread}`;
      if (seen.has(key)) {
        out.push(`${head}: (again: the chain goes round)`);
        continue;
      }
      seen.add(key);
      if (t.waitKind === 'semaphore') out.push(`${head} waits for ${semaphoreWait(core, t)} at ${at}: no post has come`);
      else if (t.waitKind === 'remote') out.push(`${head} waits for a remote load from ${m.name(t.waitFor!)} at ${at}: its reply is on its way`);
      else if (t.waitKind === 'join') {
        out.push(`${head} joins thread ${t.waitFor} at ${at}:`);
        const u = core.threads()[t.waitFor!]!;
        out.push(`${pad}  thread ${u.thread} ${u.state === 'running' ? `runs at ${where(core, u.pc)}` : u.state === 'free' ? 'has ended' : `waits (${u.waitKind}) at ${where(core, threadPc(u))}`}`);
      } else if (t.waitKind === 'barrier') {
        const here = arrived.get(t.waitArg!) ?? [];
        const missing = m.members(t.waitArg!).filter((x) => !here.includes(x));
        out.push(`${head} waits at the barrier of ${m.groupName(t.waitArg!)} at ${at} (${here.length} of ${here.length + missing.length} arrived); not there yet:`);
        for (const x of missing.slice(0, 8)) explain(x, depth + 1);
        if (missing.length > 8) out.push(`${pad}  ... and ${missing.length - 8} more`);
      }
    }
  };
  explain(g, 0);
  return out;
}
