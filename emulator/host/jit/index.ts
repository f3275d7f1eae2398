// The block compiler of one instance of the wasm core (docs/machine.md, "Block compiler"): answers the
// core's jitBlock(core, pc) import with a compiled block's index in the instance's function table. Blocks
// are keyed by content (their entry pc and words), so cores running the same code share them, and a
// compiled WebAssembly.Module is shared by every instance in the process (each instantiates it against
// its own core's globals).
import { LAYOUT } from '../../layout.js';
import { FUNCTIONS, GLOBALS, translate } from './translate.js';
import type { Rec } from './semantics.js';
import { Body, I64, module, OP } from './wasm.js';
import { SHARED_MEMORY } from '../wasm.js';

/** What a block needs of its core instance. */
interface CoreSide {
  memory: WebAssembly.Memory;
  recordAt(pc: number): number;
  codeWritten(addr: number, size: number): void;
  [global: string]: unknown;
}

/** A compiled region: its module, the length of its entry's stretch, the SRAM ranges it holds and what
 * its code depends on there (the words, and the breakpoint marks). */
interface Compiled {
  module: WebAssembly.Module;
  length: number;
  ranges: [number, number][];
  words: Uint8Array[];
  breaks: Uint8Array[];
}

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

  /** For an instance of a build of the core: with the cycle model or not, checking watch ranges or not,
   * logging for the race checker or not. */
  constructor(private readonly build: { timing: boolean; watch: boolean; races?: boolean }) {
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

  /** The core instance whose table this is (after it is instantiated with `import`). */
  attach(core: CoreSide): void {
    this.core = core;
    const globals = Object.fromEntries(GLOBALS.map((g) => [g, core[g]]));
    this.imports = { env: { memory: core.memory }, core: { ...globals, codeWritten: core.codeWritten } };
  }

  /** The core's jitBlock import: table index << 8 | length of the region at pc of the core at `coreBase`, or 0. */
  readonly block = (coreBase: number, pc: number): number => {
    coreBase >>>= 0; // (an i32 from wasm: addresses above 2 GiB come negative)
    const core = this.core!;
    const memory = this.memoryBytes(coreBase + LAYOUT.CORE_BYTES);
    const sram = coreBase + LAYOUT.CORE_SRAM, breaks = coreBase + LAYOUT.CORE_BREAKS;
    /** Whether the bytes at `at` are `these` (no copy, no allocation: this runs for every core that links). */
    const same = (at: number, these: Uint8Array) => {
      for (let i = 0; i < these.length; i++) if (memory[at + i] !== these[i]) return false;
      return true;
    };
    // a region compiled before (for this core or another) with these words and marks: the same code
    let found = (this.compiledAt.get(pc) ?? []).find((c) => c.ranges.every(([s], k) => same(sram + s, c.words[k]!) && same(breaks + s / 4, c.breaks[k]!)));
    if (!found) {
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
      );
      if (!t) return 0;
      // (copies: the region keeps what it was compiled from)
      const copy = (at: number, n: number) => memory.slice(at, at + n);
      found = { module: compileBlock(t), length: t.length, ranges: t.ranges, words: t.ranges.map(([s, e]) => copy(sram + s, e - s)), breaks: t.ranges.map(([s, e]) => copy(breaks + s / 4, (e - s) / 4)) };
      this.compiledAt.set(pc, [...(this.compiledAt.get(pc) ?? []), found]);
      this.compiled++;
    }
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
  };

  /** Mark the code lines of a core that a block holds (LAYOUT.CODE_MARK): a write there drops the core's
   * compiled code. */
  private mark(coreBase: number, ranges: [number, number][]): void {
    const lines = coreBase + LAYOUT.CORE_CODELINES;
    const memory = this.memoryBytes(coreBase + LAYOUT.CORE_BYTES);
    for (const [s, e] of ranges) {
      for (let at = lines + Math.floor(s / LAYOUT.CODE_LINE); at <= lines + Math.floor((e - 1) / LAYOUT.CODE_LINE); at++) memory[at]! |= LAYOUT.CODE_MARK;
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
