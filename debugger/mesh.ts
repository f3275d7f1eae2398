// The debugger's view of a machine of many cores (docs/debugger.md, "Cores"): choosing a core, each
// core's state, the mesh as a grid, a core's semaphores and engines.
import type { Machine } from '../emulator/host/mesh.js';
import type { Core, ThreadInfo } from '../emulator/host/core.js';
import type { Session } from './session.js';
import { semaphoreWait } from '../emulator/host/report.js';

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
