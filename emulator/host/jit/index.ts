// The block compiler of one instance of the wasm core (docs/machine.md, "Block compiler"): answers the
// core's jitBlock(core, pc) import with a compiled block's index in the instance's function table. Blocks
// are keyed by content (their entry pc and words), so cores running the same code share them, and a
// compiled WebAssembly.Module is shared by every instance in the process (each instantiates it against
// its own core's globals).
import { LAYOUT } from '../../layout.js';
import { FUNCTIONS, GLOBALS, translate } from './translate.js';
import { homeOf } from './model.js';
import type { Rec } from './semantics.js';
import type { Value } from './schedule.js';
import { Body, I64, module, OP } from './wasm.js';
import { SHARED_MEMORY } from '../wasm.js';

/** What a block needs of its core instance. */
interface CoreSide {
  memory: WebAssembly.Memory;
  recordAt(pc: number): number;
  codeWritten(addr: number, size: number): void;
  linkAt(pc: number, block: number): void;
  [global: string]: unknown;
}

/** A compiled region: its module, the length of its entry's stretch, the SRAM ranges it holds and what
 * its code depends on there (the words, and the breakpoint marks). */
interface Compiled {
  module: WebAssembly.Module;
  /** With general bodies. */
  general: boolean;
  /** The state its entry's static schedule assumes (Block.entry). */
  entry: ReadonlyMap<Value, bigint>;
  length: number;
  ranges: [number, number][];
  words: Uint8Array[];
  breaks: Uint8Array[];
  /** Where its straight-line code goes on past its limits, and the state it leaves there (Block.next). */
  next?: { pc: bigint; state: Map<Value, bigint> };
}

/** The heat at which a core asks for a target's block (at most): see BlockCompiler.linkHeat. */
const LINK_HEAT = 8;
/** Regions of straight-line code compiled ahead past a hot region's limits (a long unrolled loop body). */
const AHEAD = 16;

/** Regions compiled in this process for each build of the core (emulator/builds.ts), by entry pc. */
const compiledAt = new Map<string, Map<number, Compiled[]>>();

/** The helper blocks call for the high half of a 64 x 64-bit unsigned product (RISC-V mulhu). */
function mulhu(): { params: number[]; results: number[]; locals: number[]; body: number[] } {
  const b = new Body();
  const [a, c, al, ah, bl, bh, lh, hl, mid] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const M = 0xffffffffn;
  b.get(a).i64(M).op(OP.i64_and).set(al).get(a).i64(32n).op(OP.i64_shr_u).set(ah);
  b.get(c).i64(M).op(OP.i64_and).set(bl).get(c).i64(32n).op(OP.i64_shr_u).set(bh);
  b.get(al).get(bh).op(OP.i64_mul).set(lh).get(ah).get(bl).op(OP.i64_mul).set(hl);
  // mid = (al*bl >> 32) + (lh & M) + (hl & M)
  b.get(al).get(bl).op(OP.i64_mul).i64(32n).op(OP.i64_shr_u).get(lh).i64(M).op(OP.i64_and, OP.i64_add).get(hl).i64(M).op(OP.i64_and, OP.i64_add).set(mid);
  // ah*bh + (lh >> 32) + (hl >> 32) + (mid >> 32)
  b.get(ah).get(bh).op(OP.i64_mul).get(lh).i64(32n).op(OP.i64_shr_u, OP.i64_add).get(hl).i64(32n).op(OP.i64_shr_u, OP.i64_add).get(mid).i64(32n).op(OP.i64_shr_u, OP.i64_add);
  return { params: [I64, I64], results: [I64], locals: Array<number>(7).fill(I64), body: b.code };
}

export class BlockCompiler {
  private readonly compiledAt: Map<number, Compiled[]>;

  /** The heat (taken branches to a target; long runs of the interpreter from it count too) at which the
   * core asks for a target's block: a region compiled before in this process is linked then; one not yet
   * compiled is compiled once the target has been asked for `hot` of heat in all. */
  readonly linkHeat: number;
  /** Heat asked for so far at each entry not yet compiled. */
  private readonly asked = new Map<number, number>();

  /** For an instance of a build of the core: with the cycle model or not, checking watch ranges or not,
   * logging for the race checker or not; `hot`: the heat at which a target's region is compiled. */
  constructor(private readonly build: { timing: boolean; watch: boolean; races?: boolean }, private readonly hot = 32) {
    this.linkHeat = Math.min(hot, LINK_HEAT);
    const name = `${build.timing} ${build.watch} ${!!build.races}`;
    if (!compiledAt.has(name)) compiledAt.set(name, new Map());
    this.compiledAt = compiledAt.get(name)!;
  }

  readonly table = new WebAssembly.Table({ initial: 8, element: 'anyfunc' });
  private core?: CoreSide;
  private imports?: WebAssembly.Imports;
  /** Table index << 8 | length of each region this instance has linked. */
  private readonly linked = new Map<Compiled, number>();
  /** Regions this instance compiled (others it found compiled). */
  compiled = 0;
  /** Entries whose first instruction is not translated, by pc: the word and breakpoint mark there. */
  private readonly declined = new Map<number, { word: number; mark: number }>();

  /** The core instance whose table this is (after it is instantiated with `import`). */
  attach(core: CoreSide): void {
    this.core = core;
    const globals = Object.fromEntries(GLOBALS.map((g) => [g.name, core[g.name]]));
    const functions = Object.fromEntries(FUNCTIONS.map((f) => [f.name, core[f.name]]));
    this.imports = { env: { memory: core.memory }, core: { ...globals, ...functions } as WebAssembly.ModuleImports };
  }

  /** The core's jitBlock import: table index << 8 | length of the region at pc of the core at `coreBase`, or 0. */
  readonly block = (coreBase: number, asked: number): number => {
    coreBase >>>= 0; // (an i32 from wasm: addresses above 2 GiB come negative)
    // (the core asks for the block with general bodies with the top bit set: emulator/assembly/jit.ts called)
    const general = asked < 0;
    const pc = asked & 0x7fffffff;
    const memory = this.memoryBytes(coreBase + LAYOUT.CORE_BYTES);
    const sram = coreBase + LAYOUT.CORE_SRAM, breaks = coreBase + LAYOUT.CORE_BREAKS;
    let found = this.cached(coreBase, pc, general);
    if (!found && general) {
      // the same static schedules as the region without them (the state now is where it left)
      const entry = this.cached(coreBase, pc, false)?.entry;
      found = this.compile(coreBase, pc, entry ? (v) => entry.get(v) ?? 0n : this.observer(), true) ?? undefined;
    }
    if (!found) {
      // a word declined before (with its breakpoint mark): declined again at once (blocks leave before
      // such words, and the core asks at every so many exits there)
      const word = memory[sram + pc]! | (memory[sram + pc + 1]! << 8) | (memory[sram + pc + 2]! << 16) | (memory[sram + pc + 3]! * 2 ** 24);
      const mark = memory[breaks + pc / 4]!;
      const no = this.declined.get(pc);
      if (no && no.word === word && no.mark === mark) return 0;
      const heat = (this.asked.get(pc) ?? 0) + this.linkHeat;
      if (heat < this.hot) {
        this.asked.set(pc, heat);
        return 0; // (the core asks again after linkHeat more)
      }
      this.asked.delete(pc);
      found = this.compile(coreBase, pc, this.observer(), false) ?? undefined;
      if (!found) {
        this.declined.set(pc, { word, mark });
        return 0;
      }
      // Straight-line code past its limits runs whenever it runs to its end: compile that ahead too (a few
      // regions), each assuming the state the one before leaves there, to be linked when it is reached.
      let next = found.next;
      for (let k = 0; next && k < AHEAD && !this.cached(coreBase, Number(next.pc), false); k++) {
        const state = next.state;
        next = this.compile(coreBase, Number(next.pc), (v) => state.get(v) ?? 0n, false)?.next;
      }
    }
    // the regions compiled ahead where it goes on straight are linked now too (the core would otherwise
    // run each in the interpreter until it is hot there)
    for (let k = 0, next = found.next; next && k < AHEAD; k++) {
      const c = this.cached(coreBase, Number(next.pc), false);
      if (!c) break;
      this.core!.linkAt(Number(next.pc), this.link(coreBase, c));
      next = c.next;
    }
    return this.link(coreBase, found);
  };

  /** Link a region into this instance's table (once), mark the code lines it holds in the core at
   * coreBase: its table index << 8 | the length of its entry's stretch. */
  private link(coreBase: number, found: Compiled): number {
    let r = this.linked.get(found);
    if (r === undefined) {
      const f = new WebAssembly.Instance(found.module, this.imports!).exports.f as WebAssembly.ExportValue;
      const index = this.table.grow(1);
      this.table.set(index, f);
      r = index * 256 + found.length;
      this.linked.set(found, r);
    }
    this.mark(coreBase, found.ranges);
    return r;
  }

  /** A region compiled before at pc (for this core or another) with the words and breakpoint marks the
   * core at coreBase has there now: the same code (with general bodies if `general`). */
  private cached(coreBase: number, pc: number, general: boolean): Compiled | undefined {
    const memory = this.memoryBytes(coreBase + LAYOUT.CORE_BYTES);
    const sram = coreBase + LAYOUT.CORE_SRAM, breaks = coreBase + LAYOUT.CORE_BREAKS;
    /** Whether the bytes at `at` are `these` (no copy, no allocation: this runs for every core that links). */
    const same = (at: number, these: Uint8Array) => {
      for (let i = 0; i < these.length; i++) if (memory[at + i] !== these[i]) return false;
      return true;
    };
    // (one with general bodies first: a region that needed them once likely does again)
    const all = (this.compiledAt.get(pc) ?? []).filter((c) => c.ranges.every(([s], k) => same(sram + s, c.words[k]!) && same(breaks + s / 4, c.breaks[k]!)));
    return all.find((c) => c.general) ?? (general ? undefined : all[0]);
  }

  /** Compile the region at pc of the core at coreBase, its entry assuming the model state `observe`
   * gives, with general bodies or not (a region is first compiled without: where its stretches find the
   * model as they assume, which is most of the time, they are not needed), and keep it; null when its
   * first instruction is not translated. */
  private compile(coreBase: number, pc: number, observe: (v: Value) => bigint, general: boolean): Compiled | null {
    const core = this.core!;
    const memory = this.memoryBytes(coreBase + LAYOUT.CORE_BYTES);
    const sram = coreBase + LAYOUT.CORE_SRAM, breaks = coreBase + LAYOUT.CORE_BREAKS;
    const hot = new Uint16Array(memory.buffer, LAYOUT.JIT_HOT, LAYOUT.JIT_HOT_COUNT);
    const t = translate(
      BigInt(pc),
      (at): Rec => {
        const d = core.recordAt(Number(at)) >>> 0;
        const v = new DataView(core.memory.buffer);
        return { op: v.getUint16(d, true), rd: v.getUint16(d + 2, true), rs1: v.getUint16(d + 4, true), aux: v.getUint16(d + 6, true), imm: v.getBigInt64(d + 8, true) };
      },
      // a target some branch has reached (its hotness counter, emulator/assembly/jit.ts arrived)
      (at) => hot[Number(at >> 2n) & (LAYOUT.JIT_HOT_COUNT - 1)]! > 0,
      this.build,
      observe,
      general,
    );
    if (!t) return null;
    // (copies: the region keeps what it was compiled from)
    const copy = (at: number, n: number) => memory.slice(at, at + n);
    const c: Compiled = { module: compileBlock(t), general, entry: t.entry, length: t.length, ranges: t.ranges, words: t.ranges.map(([s, e]) => copy(sram + s, e - s)), breaks: t.ranges.map(([s, e]) => copy(breaks + s / 4, (e - s) / 4)), ...(t.next ? { next: t.next } : {}) };
    this.compiledAt.set(pc, [...(this.compiledAt.get(pc) ?? []), c]);
    this.compiled++;
    return c;
  }

  /** The running thread's cycle model now (at the entry of the region being compiled: the core asks for
   * it when a branch arrives there), as offsets past its clock: what the entry's static schedule assumes. */
  private observer(): (v: Value) => bigint {
    const core = this.core!;
    const g = (k: number) => BigInt((core[GLOBALS[k]!.name] as WebAssembly.Global).value as bigint | number);
    const clk = g(homeOf('clk').global);
    const tb = Number(g(GLOBALS.findIndex((x) => x.name === 'tb'))) >>> 0; // (an i32: addresses above 2 GiB come negative)
    const memory = new DataView(core.memory.buffer);
    return (v) => {
      const h = homeOf(v);
      if ('global' in h) return g(h.global) - clk;
      if ('at' in h) return memory.getBigInt64((h.tb ? tb : 0) + h.at, true) - clk;
      return 0n;
    };
  }

  /** Mark the code lines of a core that a block holds (LAYOUT.CODE_MARK): a write there drops the core's
   * compiled code. */
  private mark(coreBase: number, ranges: [number, number][]): void {
    const lines = coreBase + LAYOUT.CORE_CODELINES;
    const memory = this.memoryBytes(coreBase + LAYOUT.CORE_BYTES);
    for (const [s, e] of ranges) {
      const first = Math.floor(s / LAYOUT.CODE_LINE), last = Math.floor((e - 1) / LAYOUT.CODE_LINE);
      for (let line = first; line <= last; line++) memory[lines + line]! |= LAYOUT.CODE_MARK;
      // (state.ts markedLines)
      memory[coreBase + LAYOUT.CORE_MARKED]! |= (2 << Math.floor(last / LAYOUT.MARK_CHUNK)) - (1 << Math.floor(first / LAYOUT.MARK_CHUNK));
    }
  }

  /** A view of the instance's whole memory, made again when it has grown past `end`. */
  private memoryBytes(end: number): Uint8Array {
    if (!this.bytes || this.bytes.length < end) this.bytes = new Uint8Array(this.core!.memory.buffer);
    return this.bytes;
  }

  private bytes?: Uint8Array;
}

function compileBlock(t: ReturnType<typeof translate> & object): WebAssembly.Module {
  const funcs = [{ params: [0x7f, I64], results: [I64], locals: t.locals, body: t.body }];
  if (t.usesMulhu) funcs.push(mulhu());
  // (the helper, when present, is function FUNCTIONS.length + 1: translate.ts calls it there)
  const bytes = module({ memory: { maximum: 65536, shared: SHARED_MEMORY }, globals: [...GLOBALS], functions: FUNCTIONS }, funcs);
  // V8 compiles it with its baseline tier at once and optimizes it in the background once it is hot; a
  // call picks up the optimized code when it is ready (a block returns at least every BLOCK_CALL
  // instructions, emulator/assembly/loop.ts, so a long loop does not stay in baseline code).
  return new WebAssembly.Module(bytes);
}
