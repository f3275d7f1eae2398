// `--trace out.json`: a Chrome/Perfetto trace of a run (the JSON trace event format, which ui.perfetto.dev
// and chrome://tracing load; docs/machine.md, "Trace"). Time is the machine's: 1 ns of trace time is one
// cycle. A process per core, with a track per hardware thread (its run, its waits: semaphore, barrier,
// remote load, join, and the profiling regions it was in: the region CSR), a track per engine (each
// descriptor it ran) and a "network in" track (each message delivered to the core, while it held the
// core's SRAM write port); a flow from each message's sender (the thread or engine that sent it, or the
// delivery it answers) to its delivery; counters of the core's semaphores and of its router's links' load
// by window. The trace depends only on the run, and has at most Machine.trace()'s limit of records.
import { SENDER, TICKS_PER_CYCLE } from '../layout.js';
import { MESSAGE_NAMES } from './core.js';
import type { Machine, TraceRecord } from './mesh.js';

const WAITS = ['join thread', 'semaphore', 'barrier', 'remote load from'] as const;
const ENGINE_TRACKS = ['DMA engine', 'list parser', 'gather engine'] as const;
const ENGINE_TID = 10;
const NETWORK_TID = 20;
const TICKS = BigInt(TICKS_PER_CYCLE);
/** The links' series in the links counter, in LINK order (emulator/layout.ts). */
const LINK_SERIES = ['east', 'west', 'north', 'south', 'sram read', 'sram write'] as const;

/** Trace time (microseconds, 1 ns a cycle) of a tick count: whole cycles, rounded down, so that slices
 * nested in ticks stay nested. */
const cycles = (ticks: bigint) => Number(ticks / TICKS);
const us = (ticks: bigint) => cycles(ticks) / 1000;
/** A slice's ts and dur from its start and end ticks. */
const span = (start: bigint, end: bigint) => ({ ts: us(start), dur: (cycles(end) - cycles(start)) / 1000 });

function waitName(m: Machine, r: TraceRecord): string {
  const what = WAITS[r.detail] ?? 'wait';
  if (what === 'barrier') return `barrier ${m.groupName(r.arg)}`;
  if (what === 'remote load from') return `${what} ${m.name(Number(r.arg))}`;
  return `${what} ${r.arg}`;
}

/** The track a message's flow starts on: its sender's thread or engine, or the network (SENDER). */
function senderTid(sender: number): number {
  const who = sender & 0xff;
  return sender >> 8 === SENDER.THREAD ? who : sender >> 8 === SENDER.ENGINE ? ENGINE_TID + who : NETWORK_TID;
}

export function traceJson(m: Machine): string {
  const meta: object[] = [];
  const slices: object[] = [];
  const flows: object[] = [];
  const counters: object[] = [];
  const named = new Set<string>();
  const nameTrack = (pid: number, tid: number, name: string) => {
    if (named.has(`${pid}/${tid}`)) return;
    named.add(`${pid}/${tid}`);
    meta.push({ ph: 'M', name: 'thread_name', pid, tid, args: { name } });
  };
  const trackName = (tid: number) => (tid === NETWORK_TID ? 'network in' : tid >= ENGINE_TID ? ENGINE_TRACKS[tid - ENGINE_TID]! : `thread ${tid}`);
  const processes = new Set<number>();
  const nameProcess = (g: number) => {
    if (processes.has(g)) return;
    processes.add(g);
    meta.push({ ph: 'M', name: 'process_name', pid: g + 1, args: { name: m.cores.has(g) ? `core ${m.name(g)}` : `router ${m.name(g)} (core disabled)` } });
    meta.push({ ph: 'M', name: 'process_sort_index', pid: g + 1, args: { sort_index: g } });
  };
  for (const [g, { core }] of [...m.cores].sort(([a], [b]) => a - b)) {
    nameProcess(g);
    const pid = g + 1;
    for (const t of core.threads()) {
      if (t.instret === 0n) continue;
      nameTrack(pid, t.thread, trackName(t.thread));
      // (its last cycle rounded up: what it sent then is inside)
      const end = BigInt(Math.ceil(t.clock)) * TICKS;
      slices.push({ ph: 'X', name: 'run', cat: 'thread', pid, tid: t.thread, ...span(0n, end), args: { instructions: Number(t.instret) } });
      // the region it is still in, unless that is region 0 (no region)
      const open = core.threadRegion(t.thread);
      if (open.region !== 0) slices.push({ ph: 'X', name: `region ${open.region}`, cat: 'region', pid, tid: t.thread, ...span(open.since, end) });
    }
  }
  const semaphores = new Set<string>();
  const links = new Map<number, bigint>();
  let flow = 0;
  for (const r of m.traceRecords) {
    const pid = r.core + 1;
    const slice = (tid: number, name: string, cat: string, args?: object) => slices.push({ ph: 'X', name, cat, pid, tid, ...span(r.start, r.end), ...(args ? { args } : {}) });
    switch (r.kind) {
      case 'wait':
        slice(r.who, waitName(m, r), 'wait');
        break;
      case 'region':
        slice(r.who, `region ${r.detail}`, 'region');
        break;
      case 'engine':
        nameTrack(pid, ENGINE_TID + r.who, trackName(ENGINE_TID + r.who));
        slice(ENGINE_TID + r.who, `descriptor 0x${r.arg.toString(16)}`, 'engine');
        break;
      case 'message': {
        const msg = r.message!;
        const what = MESSAGE_NAMES[r.who] ?? 'message';
        nameTrack(pid, NETWORK_TID, trackName(NETWORK_TID));
        slice(NETWORK_TID, `${what} from ${m.name(msg.from)}`, 'network', {
          bytes: r.detail,
          ...(what === 'semaphore post' ? { semaphore: msg.target } : { address: `0x${msg.target.toString(16)}` }),
          by: `core ${m.name(msg.origin)} pc 0x${r.arg.toString(16)}`,
        });
        // its flow: from where it was sent to where it arrived (the slice's start)
        const from = { pid: msg.from + 1, tid: senderTid(msg.sender) };
        nameTrack(from.pid, from.tid, trackName(from.tid));
        flow++;
        flows.push({ ph: 's', id: flow, name: what, cat: 'network', ...from, ts: us(msg.sent) });
        flows.push({ ph: 'f', bp: 'e', id: flow, name: what, cat: 'network', pid, tid: NETWORK_TID, ts: us(r.start) });
        break;
      }
      case 'semaphore': {
        const name = `semaphore ${r.who}`;
        if (!semaphores.has(`${pid}/${name}`)) {
          semaphores.add(`${pid}/${name}`);
          counters.push({ ph: 'C', name, pid, ts: 0, args: { value: 0 } });
        }
        counters.push({ ph: 'C', name, pid, ts: us(r.start), args: { value: r.detail } });
        break;
      }
      case 'links': {
        nameProcess(r.core);
        // the load of each link in the window, in percent; back to 0 after a window without load
        const last = links.get(r.core);
        if (last !== undefined && last < r.start) counters.push(linkLoad(pid, last));
        counters.push(linkLoad(pid, r.start, r.busy, Number(r.end - r.start)));
        links.set(r.core, r.end);
        break;
      }
    }
  }
  for (const [g, end] of links) counters.push(linkLoad(g + 1, end));
  const left = m.traceLeftOut;
  const notes: object[] = [];
  if (left.overLimit > 0) {
    notes.push({ ph: 'i', s: 'g', name: `trace limit reached: ${left.overLimit} more records left out from here on`, pid: 0, tid: 0, ts: us(left.from!) });
  }
  const otherData = {
    machine: m.preset.name,
    cycles: Number(m.cycles),
    time: '1 ns of trace time is one machine cycle (0.5 ns at 2 GHz)',
    ...(left.overLimit > 0 ? { truncated: `the trace keeps at most ${m.traceRecords.length} records: ${left.overLimit} more, from cycle ${left.from! / TICKS} on, were left out` } : {}),
    ...(left.lost > 0 ? { lost: `${left.lost} records were lost: a window made more than the emulator's trace buffer holds` } : {}),
  };
  return `${JSON.stringify({ displayTimeUnit: 'ns', otherData, traceEvents: [...meta, ...slices, ...flows, ...counters, ...notes] })}\n`;
}

/** The links counter of a router (process pid) from tick `at` on: busy[i] ticks of `window` per link. */
function linkLoad(pid: number, at: bigint, busy: number[] = [], window = 1): object {
  return { ph: 'C', name: 'links busy %', pid, ts: us(at), args: Object.fromEntries(LINK_SERIES.map((s, i) => [s, Math.round((1000 * (busy[i] ?? 0)) / window) / 10])) };
}
