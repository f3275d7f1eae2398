// The Chrome/Perfetto trace of a machine's run (`d1 run --trace`, docs/machine.md "Trace"), checked against
// the trace event format: every event has the fields its phase needs, flows pair up from their start to
// their end and bind to a slice at each, counters are numbers, the slices of a track nest. (Perfetto's
// trace processor would load it too, but it comes from PyPI, out of reach here: this check is the check.)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { Machine } from '../../emulator/host/mesh.js';
import { traceJson } from '../../emulator/host/trace.js';
import { meshPreset, type MeshPreset } from '../../emulator/presets.js';
import { PULL } from '../helpers/pull.js';
import { d1, PROGRAMS, tempDir } from '../helpers/tools.js';

interface Event {
  ph: string;
  name: string;
  cat?: string;
  pid: number;
  tid?: number;
  ts?: number;
  dur?: number;
  id?: number;
  bp?: string;
  s?: string;
  args?: Record<string, unknown>;
}
interface Trace {
  otherData: Record<string, unknown>;
  traceEvents: Event[];
}

async function traced(preset: MeshPreset, source: string, limit?: number): Promise<{ m: Machine; trace: Trace; text: string }> {
  const { image, diagnostics } = assemble([{ path: 'pull.dasm', text: source }]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const m = new Machine(preset);
  expect(m.load(image!, 'pull.dasm')).toEqual([]);
  m.trace(limit);
  const sink = { write: () => true };
  expect((await m.run({ stdout: sink, stderr: sink, maxCycles: 10_000_000n })).kind).toBe('exit');
  const text = traceJson(m);
  return { m, trace: JSON.parse(text) as Trace, text };
}

const isInt = (v: unknown) => Number.isInteger(v);
const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
/** Trace time (microseconds, a cycle a nanosecond) as whole cycles. */
const cyc = (us: number) => Math.round(us * 1000);

/** What is wrong with a trace, by the trace event format's rules (empty: nothing). With `bound`, flow
 * events must also fall in a slice of their track (not so when records were left out). */
function problems(t: Trace, bound = true): string[] {
  const out: string[] = [];
  const bad = (e: Event, why: string) => out.push(`${why}: ${JSON.stringify(e)}`);
  const slices = new Map<string, { start: number; end: number; e: Event }[]>();
  const flows = new Map<number, Event[]>();
  for (const e of t.traceEvents) {
    if (typeof e.ph !== 'string' || typeof e.name !== 'string' || !isInt(e.pid)) bad(e, 'ph, name and pid');
    switch (e.ph) {
      case 'M':
        if (!['process_name', 'process_sort_index', 'thread_name'].includes(e.name) || typeof e.args !== 'object') bad(e, 'metadata');
        if (e.name === 'thread_name' && !isInt(e.tid)) bad(e, 'thread_name without tid');
        break;
      case 'X': {
        if (!isInt(e.tid) || !isNum(e.ts) || !isNum(e.dur) || e.ts! < 0 || e.dur! < 0 || typeof e.cat !== 'string') {
          bad(e, 'complete event');
          break;
        }
        const key = `${e.pid}/${e.tid}`;
        if (!slices.has(key)) slices.set(key, []);
        slices.get(key)!.push({ start: cyc(e.ts!), end: cyc(e.ts!) + cyc(e.dur!), e });
        break;
      }
      case 's':
      case 'f':
        if (!isInt(e.id) || !isInt(e.tid) || !isNum(e.ts) || typeof e.cat !== 'string' || (e.ph === 'f' && e.bp !== 'e')) bad(e, 'flow event');
        if (!flows.has(e.id!)) flows.set(e.id!, []);
        flows.get(e.id!)!.push(e);
        break;
      case 'C':
        if (!isNum(e.ts) || typeof e.args !== 'object' || Object.keys(e.args).length === 0 || !Object.values(e.args).every(isNum)) bad(e, 'counter');
        break;
      case 'i':
        if (!isNum(e.ts) || !['g', 'p', 't'].includes(e.s!)) bad(e, 'instant');
        break;
      default:
        bad(e, 'unknown phase');
    }
  }
  // the slices of each track nest: each one ends within the one it starts in
  for (const [key, list] of slices) {
    const stack: { end: number; e: Event }[] = [];
    for (const s of [...list].sort((a, b) => a.start - b.start || b.end - a.end)) {
      while (stack.length > 0 && stack[stack.length - 1]!.end <= s.start) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent && s.end > parent.end) bad(s.e, `overlaps ${JSON.stringify(parent.e)} on track ${key}`);
      stack.push(s);
    }
  }
  // a flow: one start, then one end, later; each inside a slice of its track
  const within = (e: Event) => (slices.get(`${e.pid}/${e.tid}`) ?? []).some((s) => s.start <= cyc(e.ts!) && cyc(e.ts!) < s.end);
  for (const [id, [s, f, ...more]] of flows) {
    if (!s || !f || more.length > 0 || s.ph !== 's' || f.ph !== 'f') bad(s ?? f!, `flow ${id} is not one start and one end`);
    else if (!(f.ts! > s.ts!)) bad(f, `flow ${id} ends before it starts`);
    else if (bound && (!within(s) || !within(f))) bad(within(s) ? f : s, `flow ${id} is outside a slice of its track`);
  }
  return out;
}

describe('the trace of a mesh run', () => {
  it('has every message as a flow from its sender to its delivery, semaphores and link load as counters, regions as slices', async () => {
    const { trace: t } = await traced(meshPreset(2, 2), PULL);
    expect(problems(t)).toEqual([]);
    expect(t.otherData['time']).toContain('1 ns of trace time is one machine cycle');
    const ev = t.traceEvents;
    const delivered = ev.filter((e) => e.ph === 'X' && e.cat === 'network');
    // (1,0)'s pull: two engine fetches at (0,0), two pieces of data back; the remote load and its reply,
    // the store, and the posts (three from the owner and the puller, four more from cores 2 and 3)
    const names = delivered.map((e) => e.name).sort();
    expect(names.filter((n) => n === 'engine fetch from (1,0)')).toHaveLength(2);
    expect(names.filter((n) => n === 'engine transfer from (0,0)')).toHaveLength(2);
    expect(names.filter((n) => /^(remote load|remote store) from \(1,0\)$|^load reply from \(0,0\)$/.test(n))).toHaveLength(3);
    expect(names.filter((n) => n.startsWith('semaphore post'))).toHaveLength(6);
    const store = delivered.find((e) => e.name === 'remote store from (1,0)')!;
    expect(store).toMatchObject({ pid: 1, tid: 20, args: { bytes: 8, by: expect.stringMatching(/^core \(1,0\) pc 0x[0-9a-f]+$/) } });
    // a flow each, from the right track: a thread, the DMA engine, or the network answering a message
    const starts = ev.filter((e) => e.ph === 's');
    expect(starts).toHaveLength(delivered.length);
    const from = (name: string) => starts.filter((e) => e.name === name).map((e) => `${e.pid}/${e.tid}`);
    expect(from('engine fetch')).toEqual(['2/10', '2/10']);
    expect(from('engine transfer')).toEqual(['1/20', '1/20']); // sent by (0,0) when each fetch arrived
    expect(from('load reply')).toEqual(['1/20']);
    expect(from('remote store')).toEqual(['2/0']);
    expect(ev.some((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === 1 && e.tid === 20 && e.args!['name'] === 'network in')).toBe(true);
    // semaphore 3 of (0,0) counts the posts of cores 2 and 3 (nobody takes them)
    const sem3 = ev.filter((e) => e.ph === 'C' && e.pid === 1 && e.name === 'semaphore 3').map((e) => e.args!['value']);
    expect(sem3).toEqual([0, 1, 2, 3, 4]);
    // the links: each link's share of a window (256 cycles), in percent; (0,0) sent east 2 KiB of data (32
    // packets of a cycle each), the load reply and its post to (1,0)
    const links = ev.filter((e) => e.ph === 'C' && e.name === 'links busy %');
    for (const e of links) for (const v of Object.values(e.args!)) expect(v).toSatisfy((x: number) => x >= 0 && x <= 100);
    const east = links.filter((e) => e.pid === 1).reduce((a, e) => a + (e.args!['east'] as number), 0);
    expect((east * 256) / 100).toBeCloseTo(32 + 1 + 1, 0);
    // the owner's regions: 0 and 1 (closed) and 2 (still open when it exited)
    expect(ev.filter((e) => e.ph === 'X' && e.cat === 'region' && e.pid === 1).map((e) => e.name).sort()).toEqual(['region 0', 'region 1', 'region 2']);
  });

  it('holds for the kernels (an all-reduce, SUMMA with its engines), is the same for the same run, and crosses dies on a tile', () => {
    const dir = tempDir('d1-trace-');
    for (const prog of ['allreduce.dasm', 'summa.dasm']) {
      const file = join(dir, `${prog}.json`);
      expect(d1(['run', '--mesh', '4x4', '--trace', file, join(PROGRAMS, prog)]).code).toBe(0);
      const t = JSON.parse(readFileSync(file, 'utf8')) as Trace;
      expect(problems(t)).toEqual([]);
      expect(t.traceEvents.filter((e) => e.ph === 's').length).toBeGreaterThan(100);
      if (prog === 'summa.dasm') {
        expect(d1(['run', '--mesh', '4x4', '--trace', join(dir, 'again.json'), join(PROGRAMS, prog)]).code).toBe(0);
        expect(readFileSync(join(dir, 'again.json'), 'utf8')).toBe(readFileSync(file, 'utf8'));
      }
    }
    // core (0,0) stores to core (88,99) of a tile, four dies away: the message moves between instances
    const far = join(dir, 'far.dasm');
    writeFileSync(far, ['_start: csrr t0, coreid', '  bnez t0, 1f', '  li t1, 1', '  slli t1, t1, 48', '  li t2, 88', '  slli t2, t2, 32', '  or t1, t1, t2', '  li t2, 99', '  slli t2, t2, 40', '  or t1, t1, t2',
      '  li t4, 42', '  sd t4, 0x100(t1)', '1: li a0, 0', '  li a7, 93', '  ecall', ''].join('\n'));
    expect(d1(['run', '--tile', '--trace', join(dir, 'far.json'), far]).code).toBe(0);
    const t = JSON.parse(readFileSync(join(dir, 'far.json'), 'utf8')) as Trace;
    expect(problems(t)).toEqual([]);
    const store = t.traceEvents.find((e) => e.ph === 'X' && e.cat === 'network')!;
    expect(store).toMatchObject({ name: 'remote store from (0,0)', pid: 99 * 90 + 88 + 1, args: { address: '0x100' } });
    // the links it crossed: the row of (0,0) eastwards, then the column of x = 88 southwards
    const busy = (e: Event, dir: string) => e.ph === 'C' && (e.args![dir] as number) > 0;
    expect(new Set(t.traceEvents.filter((e) => busy(e, 'east')).map((e) => e.pid - 1))).toEqual(new Set(Array.from({ length: 88 }, (_, x) => x)));
    expect(new Set(t.traceEvents.filter((e) => busy(e, 'south')).map((e) => e.pid - 1))).toEqual(new Set(Array.from({ length: 99 }, (_, y) => y * 90 + 88)));
  }, 60_000);

  it('keeps to its limit of records, and says so', async () => {
    const { m, trace: t } = await traced(meshPreset(2, 2), PULL, 5);
    expect(m.traceRecords).toHaveLength(5);
    expect(m.traceLeftOut.overLimit).toBeGreaterThan(0);
    expect(t.otherData['truncated']).toMatch(/^the trace keeps at most 5 records: \d+ more, from cycle \d+ on, were left out$/);
    expect(t.traceEvents.some((e) => e.ph === 'i' && e.name.startsWith('trace limit reached'))).toBe(true);
    expect(problems(t, false)).toEqual([]);
  });
});
