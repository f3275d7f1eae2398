// The block compiler of one instance of the wasm core (docs/machine.md, "Block compiler"): answers the
// core's jitBlock(core, pc) import with a compiled block's index in the instance's function table. Blocks
// are keyed by content (their entry pc and words), so cores running the same code share them, and a
// compiled WebAssembly.Module is shared by every instance in the process (each instantiates it against
// its own core's globals).
import { LAYOUT } from '../../layout.js';
import { FUNCTIONS, GLOBALS, translate, type Rec } from './translate.js';
import { Body, I64, module, OP } from './wasm.js';

/** What a block needs of its core instance. */
interface CoreSide {
  memory: WebAssembly.Memory;
  recordAt(pc: number): number;
  codeWritten(addr: number, size: number): void;
  [global: string]: unknown;
}

/** Compiled blocks of this process by content: the module, and its longest path's length. */
const modules = new Map<string, { module: WebAssembly.Module; length: number } | null>();

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
  readonly table = new WebAssembly.Table({ initial: 8, element: 'anyfunc' });
  private core?: CoreSide;
  private imports?: WebAssembly.Imports;
  /** Table index of each block this instance has linked, by content. */
  private readonly linked = new Map<string, number>();
  /** Blocks compiled, and blocks the core asked for that could not be compiled. */
  compiled = 0;

  /** The core instance whose table this is (after it is instantiated with `import`). */
  attach(core: CoreSide): void {
    this.core = core;
    const globals = Object.fromEntries(GLOBALS.map((g) => [g, core[g]]));
    this.imports = { env: { memory: core.memory }, core: { ...globals, codeWritten: core.codeWritten } };
  }

  /** The core's jitBlock import: table index << 8 | length of the block at pc of the core at `coreBase`, or 0. */
  readonly block = (coreBase: number, pc: number): number => {
    coreBase >>>= 0; // (an i32 from wasm: addresses above 2 GiB come negative)
    const core = this.core!;
    const dv = new DataView(core.memory.buffer);
    const sram = coreBase + LAYOUT.CORE_SRAM;
    // the key: entry pc and the words up to the longest block (a block reads no more than these)
    const end = Math.min(pc + 4 * LAYOUT.JIT_MAX_BLOCK, LAYOUT.SRAM_SIZE);
    const words = new Uint32Array(dv.buffer.slice(sram + pc, sram + end));
    let key = `${pc}:${Buffer.from(words.buffer).toString('base64')}`;
    // a breakpoint in reach changes what may be compiled
    const breaks = new Uint8Array(dv.buffer, coreBase + LAYOUT.CORE_BREAKS + pc / 4, (end - pc) / 4);
    if (breaks.some((b) => b !== 0)) key += `:${Buffer.from(breaks).toString('base64')}`;
    const have = this.linked.get(key);
    if (have !== undefined) return have;
    let m = modules.get(key);
    if (m === undefined) {
      const rec = (at: bigint): Rec | null => {
        const d = core.recordAt(Number(at)) >>> 0;
        const v = new DataView(core.memory.buffer);
        return { op: v.getUint16(d, true), rd: v.getUint16(d + 2, true), rs1: v.getUint16(d + 4, true), aux: v.getUint16(d + 6, true), imm: v.getBigInt64(d + 8, true) };
      };
      const t = translate(BigInt(pc), rec);
      m = t ? { module: compileBlock(t), length: t.length } : null;
      modules.set(key, m);
      if (m) this.compiled++;
    }
    if (!m) {
      this.linked.set(key, 0);
      return 0;
    }
    const f = new WebAssembly.Instance(m.module, this.imports!).exports.f as WebAssembly.ExportValue;
    const index = this.table.grow(1);
    this.table.set(index, f);
    const r = index * 256 + m.length;
    this.linked.set(key, r);
    return r;
  };
}

function compileBlock(t: ReturnType<typeof translate> & object): WebAssembly.Module {
  const funcs = [{ params: [0x7f, I64], results: [I64], locals: t.locals, body: t.body }];
  if (t.usesMulhu) funcs.push(mulhu());
  // (the helper, when present, is function FUNCTIONS.length + 1: translate.ts calls it there)
  const bytes = module({ memory: { maximum: 65536, shared: true }, globals: [...GLOBALS], functions: FUNCTIONS }, funcs);
  return new WebAssembly.Module(bytes);
}
