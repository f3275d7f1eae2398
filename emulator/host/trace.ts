// `--trace out.json`: a Chrome/Perfetto trace of a run (the JSON trace event format, which ui.perfetto.dev
// and chrome://tracing load): a process per core, a track per hardware thread with its run, its waits
// (semaphore, barrier, remote load, join) and the profiling regions it left (the region CSR), and a track
// per engine with each descriptor it ran.
import { TICKS_PER_CYCLE } from '../layout.js';
import { D1_CORE } from '../presets.js';
import type { Machine, TraceRecord } from './mesh.js';

const WAITS = ['join thread', 'semaphore', 'barrier', 'remote load from'] as const;
const ENGINE_TRACKS = ['DMA engine', 'list parser', 'gather engine'] as const;
const ENGINE_TID = 10;

/** Microseconds of machine time (the emulated 2 GHz clock) for a tick count. */
const us = (ticks: bigint | number) => Number(ticks) / TICKS_PER_CYCLE / (D1_CORE.clockHz / 1e6);

function waitName(m: Machine, r: TraceRecord): string {
  const what = WAITS[r.detail] ?? 'wait';
  if (what === 'barrier') return `barrier ${m.groupName(r.arg)}`;
  if (what === 'remote load from') return `${what} ${m.name(Number(r.arg))}`;
  return `${what} ${r.arg}`;
}

export function traceJson(m: Machine): string {
  const events: object[] = [];
  for (const [g, { core }] of [...m.cores].sort(([a], [b]) => a - b)) {
    const pid = g + 1;
    events.push({ ph: 'M', name: 'process_name', pid, args: { name: `core ${m.name(g)}` } });
    events.push({ ph: 'M', name: 'process_sort_index', pid, args: { sort_index: g } });
    for (const t of core.threads()) {
      if (t.instret === 0n) continue;
      events.push({ ph: 'M', name: 'thread_name', pid, tid: t.thread, args: { name: `thread ${t.thread}` } });
      events.push({ ph: 'X', name: 'run', cat: 'thread', pid, tid: t.thread, ts: 0, dur: us(BigInt(Math.round(t.clock * TICKS_PER_CYCLE))), args: { instructions: Number(t.instret) } });
    }
  }
  const engines = new Set<string>();
  for (const r of m.traceRecords) {
    const pid = r.core + 1;
    if (r.kind === 'wait') {
      events.push({ ph: 'X', name: waitName(m, r), cat: 'wait', pid, tid: r.who, ts: us(r.start), dur: us(r.end - r.start) });
      continue;
    }
    if (r.kind === 'region') {
      events.push({ ph: 'X', name: `region ${r.detail}`, cat: 'region', pid, tid: r.who, ts: us(r.start), dur: us(r.end - r.start) });
      continue;
    }
    const tid = ENGINE_TID + r.who;
    if (!engines.has(`${pid}/${tid}`)) {
      engines.add(`${pid}/${tid}`);
      events.push({ ph: 'M', name: 'thread_name', pid, tid, args: { name: ENGINE_TRACKS[r.who] } });
    }
    events.push({ ph: 'X', name: `descriptor 0x${r.arg.toString(16)}`, cat: 'engine', pid, tid, ts: us(r.start), dur: us(r.end - r.start) });
  }
  return `${JSON.stringify({ displayTimeUnit: 'ns', otherData: { machine: m.preset.name, cycles: Number(m.cycles) }, traceEvents: events })}\n`;
}
