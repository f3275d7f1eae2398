// `d1 run --check-races` (docs/machine.md, "Races"): a data-race checker over the log of the race-checking
// build of the core (emulator/assembly/races.ts), taken in the order things happened.
//
// Happens-before is tracked with vector clocks over actors, each hardware thread and each engine of a core.
// A thread's epoch moves on at each release (a semaphore post, a barrier arrival, starting an engine or a
// thread) and its clock takes in what it acquires: the posts a semaphore wait consumed (in the order they
// were posted), every arrival at a barrier it leaves, a thread it joined. An engine's descriptors are its
// epochs, each knowing what the thread that started its request knew then; the semaphore post at the end of
// a descriptor passes that on. A message (a remote store or load, a piece of a transfer, a post) carries its
// sender's clock at the send. Shadow state is kept for each 8-byte granule that another core or an engine
// has read or written: its last writes and the reads since, each an actor's epoch, the access's site and
// its bytes (a mask); an access that overlaps one it does not come after is a race, reported once per pair
// of source lines. Checking only reads the log: the run is the same with it or without it.
import type { Image } from '../../assembler/image.js';
import { LAYOUT, MSG_KIND, RACE_FIELDS, RACE_KIND, SENDER } from '../layout.js';
import type { Machine } from './mesh.js';
import { lineFor, placeLines } from './report.js';

/** An actor at a point of its run: its epoch then and what it knew of the others (by actor; its own entry
 * may lag its epoch). A clock taken from a thread is shared: the thread copies it before it changes it. */
export interface Point {
  actor: number;
  epoch: number;
  vc: Int32Array;
}

interface ThreadClock extends Point {
  shared: boolean;
}

/** Who does an access: a point of an actor (a thread, whose own accesses are in program order, or one of
 * an engine's descriptors), and where in the program (a site). */
interface Agent {
  point: Point;
  thread: boolean;
  site: number;
}

/** Where an access comes from: the actor (and its core), the thread (for an engine's, the one that started
 * it), the engine (-1 for a thread's), the instruction (for an engine's, the one that started it), how
 * (a thread's access of its own SRAM, a remote one, an engine's) and the descriptor. */
interface Site {
  actor: number;
  core: number;
  thread: number;
  engine: number;
  pc: number;
  via: 'local' | 'remote' | 'engine';
  desc: number;
  line?: string;
}

export type RaceKind = 'write-write' | 'read-write' | 'DMA overlap';

/** A race found: the bytes (offsets [lo, hi) of core `core`'s SRAM), the earlier access and the later one
 * (their sites, read or write), and how many times the same pair of source lines raced. */
interface Found {
  kind: RaceKind;
  core: number;
  lo: number;
  hi: number;
  first: { site: number; write: boolean };
  second: { site: number; write: boolean };
  count: number;
}

/** One access of a race, for reports. */
export interface RaceAccess {
  core: number;
  thread: number;
  /** The engine's kind, and its descriptor, for an engine's access. */
  engine?: (typeof ENGINE_NAMES)[number];
  descriptor?: number;
  /** What it did: load, store, remote load, remote store, engine read, engine write. */
  access: string;
  pc: number;
}

export interface Race {
  kind: RaceKind;
  core: number;
  lo: number;
  hi: number;
  first: RaceAccess;
  second: RaceAccess;
  count: number;
}

const ENGINE_NAMES = ['DMA engine', 'list parser', 'gather engine'] as const;
const THREADS = 4;
const GRANULE = LAYOUT.RACE_GRANULE;
/** Granules of a shadow page (512 bytes of SRAM), and the pages a core has. */
const PAGE = 64;
const PAGES = Math.ceil(LAYOUT.SRAM_SIZE / GRANULE / PAGE);
/** Shadow pages kept at most (512 bytes of SRAM each, 2.3 KiB of shadow): 32 MiB of SRAM tracked. */
export const RACE_PAGES = 65536;
/** Per granule in a page's slots: the last write (actor << 8 | byte mask, 0 for none; epoch; site), then
 * two reads since the same way. A granule with more (bytes written by several, reads by more than two
 * not in order) keeps a list in `more` instead. */
const SLOT = 9;
/** The slots' entries: the write first. */
const ENTRIES = [0, 3, 6] as const;
/** Reads kept per granule in a list at most (the oldest go first). */
const READS = 8;

interface Entry {
  actor: number;
  epoch: number;
  site: number;
  mask: number;
  write: boolean;
}

interface Page {
  slots: Int32Array;
  more?: Map<number, Entry[]>;
}

interface EngineClock {
  actor: number;
  epoch: number;
  /** Requests started and not yet taken up: the starting thread's point, its pc. */
  queue: { point: Point; pc: number; thread: number }[];
  /** The request it works on: what it knows (the starter's clock), pc and thread; the descriptor's site. */
  request?: { vc: Int32Array; pc: number; thread: number };
  site: number;
}

/** A copy of p's clock with p's epoch in it. */
function materialize(p: Point, length = 0): Int32Array {
  const vc = new Int32Array(Math.max(p.vc.length, p.actor + 1, length));
  vc.set(p.vc);
  if (p.epoch > vc[p.actor]!) vc[p.actor] = p.epoch;
  return vc;
}

/** Thread t's clock takes in point p. */
function acquire(t: ThreadClock, p: Point): void {
  const n = Math.max(t.vc.length, p.vc.length, p.actor + 1);
  if (t.shared || n > t.vc.length) {
    const vc = new Int32Array(n);
    vc.set(t.vc);
    t.vc = vc;
    t.shared = false;
  }
  const vc = t.vc;
  const o = p.vc;
  for (let i = 0; i < o.length; i++) if (o[i]! > vc[i]!) vc[i] = o[i]!;
  if (p.epoch > vc[p.actor]!) vc[p.actor] = p.epoch;
}

/** One point that knows what a and b knew (b's actor and epoch). */
function merge(a: Point, b: Point): Point {
  const vc = materialize(a, Math.max(b.vc.length, b.actor + 1));
  for (let i = 0; i < b.vc.length; i++) if (b.vc[i]! > vc[i]!) vc[i] = b.vc[i]!;
  return { actor: b.actor, epoch: b.epoch, vc };
}

/** Thread t's point now: its clock is shared from here on. */
function pointOf(t: ThreadClock): Point {
  t.shared = true;
  return { actor: t.actor, epoch: t.epoch, vc: t.vc };
}

/** Whether the access of `actor` at `epoch` happened before agent x's. */
function before(actor: number, epoch: number, x: Agent): boolean {
  if (actor === x.point.actor && (x.thread || epoch === x.point.epoch)) return true;
  return (x.point.vc[actor] ?? 0) >= epoch;
}

/** Semaphore posts not yet taken (per semaphore) kept apart at most; older ones are merged. */
const POSTS = 64;

export class RaceChecker {
  private readonly actorKey = new Map<number, number>();
  private readonly actors: { core: number; who: number }[] = [];
  private readonly threads = new Map<number, ThreadClock>();
  private readonly engines = new Map<number, EngineClock>();
  /** Semaphore posts not yet taken, per core * 32 + semaphore, oldest first. */
  private readonly posts = new Map<number, { count: number; point: Point }[]>();
  /** Messages in flight, by their source core and sequence number. */
  private readonly messages = new Map<number, Agent>();
  /** The message delivered last (what the network does next is its doing). */
  private delivering: Agent | undefined;
  private readonly sites: Site[] = [];
  private readonly siteKey = new Map<string | number, number>();
  private readonly shadow = new Map<number, Page>();
  /** Races by pair of source lines, in the order found. */
  private readonly found = new Map<string, Found>();
  /** Set when the shadow reached its pages: bytes first touched after that are not checked. */
  capped = false;

  /** `lineOf(core, pc)`: the source line of an instruction, which reports are deduplicated by; `pages`:
   * the shadow pages kept at most. */
  constructor(
    private readonly lineOf: (core: number, pc: number) => string = (_, pc) => `0x${pc.toString(16)}`,
    readonly pages = RACE_PAGES,
  ) {}

  private actor(core: number, who: number): number {
    const key = core * 8 + who;
    let a = this.actorKey.get(key);
    if (a === undefined) {
      a = this.actors.length;
      this.actors.push({ core, who });
      this.actorKey.set(key, a);
    }
    return a;
  }

  private thread(core: number, t: number): ThreadClock {
    const key = core * THREADS + t;
    let c = this.threads.get(key);
    if (!c) this.threads.set(key, (c = { actor: this.actor(core, t), epoch: 1, vc: new Int32Array(0), shared: false }));
    return c;
  }

  private engine(core: number, e: number): EngineClock {
    const key = core * 8 + e;
    let c = this.engines.get(key);
    if (!c) this.engines.set(key, (c = { actor: this.actor(core, THREADS + e), epoch: 0, queue: [], site: -1 }));
    return c;
  }

  private site(actor: number, thread: number, pc: number, via: Site['via'], desc = 0): number {
    // (a thread's sites by number: there is one for every access the log has)
    const key = via === 'engine' ? `${actor}:${thread}:${pc}:${desc}` : (actor * 2 + (via === 'local' ? 0 : 1)) * 2 ** 22 + pc;
    let s = this.siteKey.get(key);
    if (s === undefined) {
      const { core, who } = this.actors[actor]!;
      s = this.sites.length;
      this.sites.push({ actor, core, thread, engine: who >= THREADS ? who - THREADS : -1, pc, via, desc });
      this.siteKey.set(key, s);
    }
    return s;
  }

  /** A thread's own access now (`kept`: a message it sends, which keeps its clock). */
  private threadAgent(core: number, t: number, pc: number, via: Site['via'], kept = false): Agent {
    const c = this.thread(core, t);
    return { point: kept ? pointOf(c) : { actor: c.actor, epoch: c.epoch, vc: c.vc }, thread: true, site: this.site(c.actor, t, pc, via) };
  }

  /** Engine e's descriptor at work now. */
  private engineAgent(core: number, e: number): Agent | undefined {
    const c = this.engine(core, e);
    if (!c.request) return undefined;
    return { point: { actor: c.actor, epoch: c.epoch, vc: c.request.vc }, thread: false, site: c.site };
  }

  /** Take `n` records of the log (RACE_FIELDS) from `dv`, of an instance whose slots are these global cores. */
  take(globals: number[], dv: DataView, n: number): void {
    const F = RACE_FIELDS;
    for (let i = 0; i < n; i++) {
      const at = i * LAYOUT.RACE_BYTES;
      const kind = dv.getUint16(at + F.KIND, true);
      const aux = dv.getUint16(at + F.AUX, true);
      const core = globals[dv.getUint32(at + F.SLOT, true)]!;
      const who = dv.getUint32(at + F.WHO, true);
      const size = dv.getUint32(at + F.SIZE, true);
      const addr = dv.getUint32(at + F.ADDR, true);
      const arg = dv.getUint32(at + F.ARG, true);
      switch (kind) {
        case RACE_KIND.READ:
        case RACE_KIND.WRITE:
          this.access(core, addr, size, kind === RACE_KIND.WRITE, this.threadAgent(core, who, arg, 'local'));
          break;
        case RACE_KIND.ENGINE_READ: {
          const a = this.engineAgent(core, who);
          if (a) this.access(core, addr, size, false, a);
          break;
        }
        case RACE_KIND.SEND: {
          // (the key: the source core, from the top word of the sequence number, and its low word)
          const key = (dv.getUint32(at + F.ARG + 4, true) >>> 8) * 2 ** 32 + arg;
          const by = who >> 8;
          const agent = by === SENDER.THREAD ? this.threadAgent(core, who & 0xff, addr, 'remote', true) : by === SENDER.ENGINE ? this.engineAgent(core, who & 0xff) : this.delivering;
          if (agent) this.messages.set(key, agent);
          // a thread's post to another core: a release
          if (by === SENDER.THREAD && aux === MSG_KIND.POST) this.thread(core, who & 0xff).epoch++;
          break;
        }
        case RACE_KIND.ARRIVE: {
          const key = (dv.getUint32(at + F.ARG + 4, true) >>> 8) * 2 ** 32 + arg;
          const agent = this.messages.get(key);
          this.messages.delete(key);
          this.delivering = agent;
          if (agent && size > 0) this.access(core, addr, size, false, agent);
          break;
        }
        case RACE_KIND.PUT:
          // (bytes written again as they were: like a read that races with nothing)
          if (this.delivering) this.access(core, addr, size, aux === 1, this.delivering, aux === 1);
          break;
        case RACE_KIND.POST: {
          let point: Point | undefined;
          if (who >> 8 === SENDER.THREAD) {
            const t = this.thread(core, who & 0xff);
            point = pointOf(t);
            t.epoch++;
          } else point = this.delivering?.point;
          if (point) this.post(core * 32 + aux, size, point);
          break;
        }
        case RACE_KIND.TAKE:
          this.takePosts(core * 32 + aux, size, this.thread(core, who));
          break;
        case RACE_KIND.SPAWN: {
          const parent = this.thread(core, who);
          const child = this.thread(core, aux);
          acquire(child, pointOf(parent));
          child.epoch++;
          parent.epoch++;
          break;
        }
        case RACE_KIND.JOIN:
          acquire(this.thread(core, who), pointOf(this.thread(core, aux)));
          break;
        case RACE_KIND.QUEUE: {
          const t = this.thread(core, who);
          this.engine(core, aux).queue.push({ point: pointOf(t), pc: arg, thread: who });
          t.epoch++;
          break;
        }
        case RACE_KIND.DESC: {
          const e = this.engine(core, who);
          if (aux === 1) {
            const r = e.queue.shift();
            if (!r) break;
            e.request = { vc: materialize(r.point), pc: r.pc, thread: r.thread };
          }
          if (!e.request) break;
          e.epoch++;
          e.site = this.site(e.actor, e.request.thread, e.request.pc, 'engine', addr);
          break;
        }
      }
    }
  }

  private post(sem: number, count: number, point: Point): void {
    if (count === 0) return; // (nothing for a wait to take)
    let q = this.posts.get(sem);
    if (!q) this.posts.set(sem, (q = []));
    q.push({ count, point });
    if (q.length > POSTS) {
      const [a, b] = q.splice(0, 2);
      q.unshift({ count: a!.count + b!.count, point: merge(a!.point, b!.point) });
    }
  }

  /** Thread t takes `count` from a semaphore: the oldest posts not yet taken. */
  private takePosts(sem: number, count: number, t: ThreadClock): void {
    const q = this.posts.get(sem);
    while (q && q.length > 0 && count > 0) {
      const p = q[0]!;
      acquire(t, p.point);
      const n = Math.min(count, p.count);
      p.count -= n;
      count -= n;
      if (p.count === 0) q.shift();
    }
  }

  /** Thread t of `core` arrives at a barrier: its point there (a release). */
  barrierArrival(core: number, t: number): Point {
    const c = this.thread(core, t);
    const p = pointOf(c);
    c.epoch++;
    return p;
  }

  /** The threads leave a barrier: each knows what every one knew on arrival. */
  barrierDeparture(leaving: { core: number; thread: number; point: Point }[]): void {
    if (leaving.length === 0) return;
    const all = leaving.slice(1).reduce((a, l) => merge(a, l.point), leaving[0]!.point);
    for (const l of leaving) acquire(this.thread(l.core, l.thread), all);
  }

  /** The shadow page of a granule (key: core * PAGES + page), made when missing unless the shadow is full. */
  private page(key: number): Page | undefined {
    let p = this.shadow.get(key);
    if (p) return p;
    if (this.shadow.size >= this.pages) {
      this.capped = true;
      return undefined;
    }
    this.shadow.set(key, (p = { slots: new Int32Array(PAGE * SLOT) }));
    return p;
  }

  /** The races an access makes (with the site it races with, whether that wrote, and the bytes): access()
   * fills it, clash() adds to it. */
  private readonly clashes: { site: number; write: boolean; lo: number; hi: number }[] = [];

  private clash(site: number, write: boolean, mask: number, granule: number): void {
    const lo = granule * GRANULE + 31 - Math.clz32(mask & -mask);
    const hi = granule * GRANULE + 32 - Math.clz32(mask);
    const c = this.clashes.find((k) => k.site === site && k.write === write);
    if (!c) this.clashes.push({ site, write, lo, hi });
    else {
      c.lo = Math.min(c.lo, lo);
      c.hi = Math.max(c.hi, hi);
    }
  }

  /** Agent x reads or writes [addr, addr + size) of core `core`: check it against the shadow (unless not
   * `checked`), then record it. */
  private access(core: number, addr: number, size: number, write: boolean, x: Agent, checked = true): void {
    const { actor, epoch } = x.point;
    const end = addr + size;
    let key = -1;
    let p: Page | undefined;
    for (let g = Math.floor(addr / GRANULE); g * GRANULE < end; g++) {
      const base = g * GRANULE;
      const from = Math.max(0, addr - base);
      const mask = (((1 << (Math.min(end - base, GRANULE))) - 1) >> from) << from;
      if (key !== core * PAGES + Math.floor(g / PAGE)) {
        key = core * PAGES + Math.floor(g / PAGE);
        p = this.page(key);
      }
      if (!p) continue;
      const i = g % PAGE;
      const list = p.more?.get(i);
      if (list) {
        this.accessList(p, i, list, mask, write, x, checked ? g : -1);
        continue;
      }
      const s = p.slots;
      const b = i * SLOT;
      if (checked) {
        for (const at of ENTRIES) {
          const e = s[b + at]!;
          if (e & mask && (write || at === 0) && !before(e >>> 8, s[b + at + 1]!, x)) this.clash(s[b + at + 2]!, at === 0, e & mask, g);
        }
      }
      let put = -1; // the slot this access goes to
      if (write) {
        // (bytes of the old write that stay, a write of other bytes of the granule: a list)
        if ((s[b]! & 0xff & ~mask) === 0) put = 0;
        for (const at of put === 0 ? [3, 6] : []) {
          const rest = s[b + at]! & 0xff & ~mask;
          s[b + at] = rest === 0 ? 0 : (s[b + at]! & ~0xff) | rest;
        }
      } else {
        // a read replaces one it covers and comes after (or one of the same actor's, earlier: a later write
        // that comes after this one comes after that too), or takes a free slot
        for (const at of [3, 6]) {
          const e = s[b + at]!;
          if (e === 0 || ((e & 0xff & ~mask) === 0 && ((e >>> 8 === actor && s[b + at + 1]! <= epoch) || before(e >>> 8, s[b + at + 1]!, x)))) {
            put = at;
            break;
          }
        }
      }
      if (put < 0) this.spill(p, i, { actor, epoch, site: x.site, mask, write });
      else {
        s[b + put] = (actor << 8) | mask;
        s[b + put + 1] = epoch;
        s[b + put + 2] = x.site;
      }
    }
    if (this.clashes.length === 0) return;
    for (const c of this.clashes) this.race(core, c.lo, c.hi, { site: c.site, write: c.write }, { site: x.site, write });
    this.clashes.length = 0;
  }

  /** Granule i of page p goes from its slots to a list, with entry e added. */
  private spill(p: Page, i: number, e: Entry): void {
    const s = p.slots;
    const b = i * SLOT;
    const list: Entry[] = [];
    for (const at of ENTRIES) {
      const k = s[b + at]!;
      const mask = k & 0xff & (e.write ? ~e.mask : 0xff);
      if (mask !== 0) list.push({ actor: k >>> 8, epoch: s[b + at + 1]!, site: s[b + at + 2]!, mask, write: at === 0 });
      s[b + at] = 0;
    }
    list.push(e);
    (p.more ??= new Map()).set(i, list);
  }

  /** An access to granule g (-1: not checked) that keeps a list: the check, then the list. */
  private accessList(p: Page, i: number, list: Entry[], mask: number, write: boolean, x: Agent, g: number): void {
    if (g >= 0) for (const e of list) if (e.mask & mask && (write || e.write) && !before(e.actor, e.epoch, x)) this.clash(e.site, e.write, e.mask & mask, g);
    let next: Entry[];
    if (write) {
      next = [];
      for (const e of list) {
        e.mask &= ~mask;
        if (e.mask !== 0) next.push(e);
      }
    } else {
      next = list.filter((e) => e.write || (e.mask & ~mask) !== 0 || !((e.actor === x.point.actor && e.epoch <= x.point.epoch) || before(e.actor, e.epoch, x)));
      const reads = next.filter((e) => !e.write);
      if (reads.length >= READS) next.splice(next.indexOf(reads[0]!), 1);
    }
    next.push({ actor: x.point.actor, epoch: x.point.epoch, site: x.site, mask, write });
    const writes = next.filter((e) => e.write);
    const reads = next.filter((e) => !e.write);
    if (writes.length > 1 || reads.length > 2) {
      p.more!.set(i, next);
      return;
    }
    // back to the slots
    p.more!.delete(i);
    const s = p.slots;
    const b = i * SLOT;
    for (const [at, e] of [[0, writes[0]], [3, reads[0]], [6, reads[1]]] as const) {
      s[b + at] = e ? (e.actor << 8) | e.mask : 0;
      s[b + at + 1] = e?.epoch ?? 0;
      s[b + at + 2] = e?.site ?? 0;
    }
  }

  private lineKey(site: number): string {
    const s = this.sites[site]!;
    return (s.line ??= this.lineOf(s.core, s.pc));
  }

  private race(core: number, lo: number, hi: number, first: Found['first'], second: Found['second']): void {
    // (between two threads of the owning core: not what the checker is for, and it sees only some of them)
    if (this.sites[first.site]!.via === 'local' && this.sites[second.site]!.via === 'local') return;
    const a = this.lineKey(first.site), b = this.lineKey(second.site);
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let f = this.found.get(key);
    if (!f) {
      const engines = this.sites[first.site]!.engine >= 0 && this.sites[second.site]!.engine >= 0;
      const kind: RaceKind = first.write && second.write ? (engines ? 'DMA overlap' : 'write-write') : 'read-write';
      this.found.set(key, (f = { kind, core, lo, hi, first, second, count: 0 }));
    }
    f.count++;
  }

  private describe(a: Found['first']): RaceAccess {
    const s = this.sites[a.site]!;
    const access = s.via === 'engine' ? `${a.write ? 'write' : 'read'}` : `${s.via === 'remote' ? 'remote ' : ''}${a.write ? 'store' : 'load'}`;
    return { core: s.core, thread: s.thread, ...(s.engine >= 0 ? { engine: ENGINE_NAMES[s.engine]!, descriptor: s.desc } : {}), access, pc: s.pc };
  }

  /** The races found, one per pair of source lines, in the order found. */
  races(): Race[] {
    return [...this.found.values()].map((f) => ({ kind: f.kind, core: f.core, lo: f.lo, hi: f.hi, first: this.describe(f.first), second: this.describe(f.second), count: f.count }));
  }
}

// ---- reports ---------------------------------------------------------------------------------------------

/** Races `d1 run --check-races` reports at most; the rest are counted. */
export const RACE_REPORTS = 10;

type Source = (file: string, line: number) => string | undefined;

/** A core's byte offset as a global address (docs/machine.md, "Global addresses"), with a _ every 4 digits. */
function globalAddress(m: Machine, core: number, offset: number): string {
  const [x, y] = m.xy(core);
  const hex = ((1n << 48n) | (BigInt(y) << 40n) | (BigInt(x) << 32n) | BigInt(offset)).toString(16).padStart(16, '0');
  return `0x${hex.replace(/(.{4})(?=.)/g, '$1_')}`;
}

/** The source line of an instruction of core g as `file:line`, or its pc: what reports are deduplicated by. */
export function sourceLineOf(imageOf: (core: number) => Image): (core: number, pc: number) => string {
  return (core, pc) => {
    const l = lineFor(imageOf(core).lines, BigInt(pc));
    return l ? `${l.file}:${l.line}` : `0x${pc.toString(16)}`;
  };
}

function who(m: Machine, a: RaceAccess): string {
  if (a.engine) return `${a.engine} of core ${m.name(a.core)} ${a.access}s (descriptor 0x${a.descriptor!.toString(16)}, started by thread ${a.thread})`;
  return `${a.access} by core ${m.name(a.core)} thread ${a.thread}`;
}

/** What `d1 run --check-races` says on stderr: each race (at most `limit`), or that there were none. */
export function raceReport(m: Machine, checker: RaceChecker, imageOf: (core: number) => Image, source: Source, limit = RACE_REPORTS): string {
  const races = checker.races();
  const out: string[] = [];
  for (const r of races.slice(0, limit)) {
    const bytes = r.hi - r.lo;
    out.push(`d1: data race (${r.kind}) on core ${m.name(r.core)} at ${globalAddress(m, r.core, r.lo)}, ${bytes} byte${bytes > 1 ? 's' : ''}${r.count > 1 ? ` (seen ${r.count} times)` : ''}:`);
    for (const a of [r.first, r.second]) {
      out.push(`  ${who(m, a)}`, ...placeLines(m.cores.get(a.core)!.core, imageOf(a.core), BigInt(a.pc), source).map((l) => `  ${l}`));
    }
    out.push('  not ordered by a semaphore, a barrier, a thread join or the end of a transfer');
  }
  if (races.length > limit) out.push(`d1: and ${races.length - limit} more data race${races.length - limit > 1 ? 's' : ''} (by pair of source lines)`);
  if (races.length === 0) out.push('d1: no data races found');
  const kib = (checker.pages * PAGE * GRANULE) / 1024;
  if (checker.capped) out.push(`d1: note: the race checker tracks at most ${kib % 1024 === 0 ? `${kib / 1024} MiB` : `${kib} KiB`} of SRAM touched by other cores and engines; it reached that, and bytes first touched after it were not checked`);
  return out.join('\n');
}

/** The races for `--json`: at most `limit` (the first found), how many more, and whether the checker
 * reached its limit of tracked bytes. */
export function racesJson(m: Machine, checker: RaceChecker, imageOf: (core: number) => Image, limit = RACE_REPORTS): object {
  const races = checker.races();
  const line = sourceLineOf(imageOf);
  const hex = (v: number) => `0x${v.toString(16)}`;
  const access = (a: RaceAccess) => ({ core: m.xy(a.core), thread: a.thread, access: a.access, ...(a.engine ? { engine: a.engine, descriptor: hex(a.descriptor!) } : {}), pc: hex(a.pc), line: line(a.core, a.pc) });
  return {
    found: races.length,
    reports: races.slice(0, limit).map((r) => ({ kind: r.kind, core: m.xy(r.core), address: globalAddress(m, r.core, r.lo), bytes: r.hi - r.lo, count: r.count, first: access(r.first), second: access(r.second) })),
    more: Math.max(0, races.length - limit),
    capped: checker.capped,
  };
}
