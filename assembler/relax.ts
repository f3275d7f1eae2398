// Branch relaxation as GNU as does it (docs/dasm.md "Branch relaxation"): a conditional branch whose
// target is out of its +-4 KiB range becomes the inverse branch over a `jal` (binutils tc-riscv.c
// relaxed_branch_length, md_convert_frag_branch). The choice is GNU's to the byte: gas cuts a section into
// frags (at each branch or jump, alignment and fill, and wherever its obstack chunk of memory fills up),
// makes a first estimate with the frags after a branch still at address 0, then repeats passes over the
// frags until no size changes (gas/write.c relax_segment). Where both a short and a long branch would be
// consistent, that first estimate decides, so it is modelled here, memory chunks included.
import { FIELDS } from '../isa/fields.js';
import type { Expr } from './expr.js';
import { relaxedBranch } from './insn.js';
import type { Frag, InputSection, SymInfo } from './layout.js';

/** gas's frag memory on 64-bit hosts (gas/frags.c over a libiberty obstack): chunks of 4064 bytes whose
 * contents start 16 bytes in, a 120-byte frag header aligned to 8, then the frag's bytes. */
const CHUNK_END = 4064;
const CHUNK_START = 16;
const FRAG_HEADER = 120;
/** What the variable part of a frag takes from that memory: a branch or jump its worst case (8 bytes),
 * code alignment MAX_MEM_FOR_RS_ALIGN_CODE (tc-riscv.h), other alignment and fills 1 byte. */
export const VAR_MEMORY = { branch: 8, jump: 8, alignCode: 7, other: 1 } as const;
/** Reach of a conditional branch: the offset must be in -4096..4095 (RISCV_BRANCH_REACH). */
const BRANCH_REACH = 4096;

export type VarKind = 'none' | 'branch' | 'jump' | 'align' | 'fill';

/** One gas frag: a fixed part of `fix` bytes from `start` (offsets in the section before relaxation),
 * then a variable part of `size` bytes. */
export interface GasFrag {
  start: number;
  fix: number;
  kind: VarKind;
  size: number;
  /** Alignment: a power of two, the most bytes it may skip, and whether nops fill it. */
  pow2?: number;
  max?: number;
  code?: boolean;
  /** Branch: where the target is (a frag and the offset in it), or 'far' (another section, undefined,
   * weak or absolute: GNU always relaxes those). */
  target?: { g: number; off: number } | 'far';
  /** The layout's frag that is the variable part: a branch's or jump's instructions, an alignment's fill. */
  frag?: Frag;
}

/** The frags of one section as statements are laid out, with gas's memory use to know where it cuts. */
export class GasFrags {
  readonly frags: GasFrag[] = [];
  private used = CHUNK_START + FRAG_HEADER;
  private start = 0;
  /** Index of the frag being filled (labels and statements record it). */
  get index(): number {
    return this.frags.length;
  }

  /** frag_more: `count` pieces of `unit` bytes at offset `at`; a piece that does not fit the chunk
   * starts a new frag in a new chunk. */
  more(at: number, unit: number, count = 1): void {
    while (count > 0) {
      if (CHUNK_END - this.used < unit) this.end(at, 'none', 0);
      const k = Math.min(count, ((CHUNK_END - this.used) / unit) | 0);
      this.used += k * unit;
      at += k * unit;
      count -= k;
    }
  }

  /** frag_var: the frag ends with a variable part at offset `at`, then a new frag starts after it. */
  variable(at: number, part: Omit<GasFrag, 'start' | 'fix'>, memory: number): void {
    if (CHUNK_END - this.used < memory) this.end(at, 'none', 0);
    this.used += memory;
    this.end(at, part.kind, part.size, part);
  }

  private end(at: number, kind: VarKind, size: number, part?: Omit<GasFrag, 'start' | 'fix'>): void {
    // (one shape for every frag, no spread: this runs for every branch, alignment and chunk)
    this.frags.push({ start: this.start, fix: at - this.start, kind, size, pow2: part?.pow2, max: part?.max, code: part?.code, target: undefined, frag: part?.frag });
    this.start = at + size;
    this.used = (this.used + 7) & ~7;
    this.used = CHUNK_END - this.used < FRAG_HEADER ? CHUNK_START + FRAG_HEADER : this.used + FRAG_HEADER;
  }

  /** Close the last frag at the section's end. */
  finish(at: number): void {
    this.end(at, 'none', 0);
  }
}

const pad = (at: number, f: GasFrag): number => {
  const a = 1 << f.pow2!;
  const p = (a - (at % a)) % a;
  return f.max !== undefined && p > f.max ? 0 : p;
};

/** The final size of every frag's variable part, as gas's relax_segment finds them. */
export function relax(frags: GasFrag[]): number[] {
  const addr = new Array<number>(frags.length).fill(0);
  const size = frags.map((f) => f.size);
  const length = (i: number, growOnly: boolean): number => {
    const f = frags[i]!;
    if (f.kind === 'align') return pad(addr[i]! + f.fix, f);
    if (f.kind !== 'branch') return f.size;
    const t = f.target!;
    if (t === 'far') return 8;
    const val = addr[t.g]! + t.off - (addr[i]! + f.fix);
    return val >= -BRANCH_REACH && val < BRANCH_REACH && !(growOnly && size[i] === 8) ? 4 : 8;
  };
  // The first estimate: each frag placed after the ones before it; those after it are still at 0.
  // (indexed loops here and below: a large section has many frags, and an iterator is slow until the JIT
  // has compiled the loop)
  let at = 0;
  for (let i = 0; i < frags.length; i++) {
    addr[i] = at;
    size[i] = length(i, false);
    at += frags[i]!.fix + size[i]!;
  }
  // Then passes until nothing changes; a frag sees the ones before it moved in this pass, those after
  // it as the last pass left them. Should sizes ever oscillate, let branches only grow.
  for (let pass = 0, stretched = true; stretched; pass++) {
    stretched = false;
    let stretch = 0;
    for (let i = 0; i < frags.length; i++) {
      addr[i]! += stretch;
      const n = length(i, pass > 4 * frags.length);
      if (n !== size[i]) {
        stretch += n - size[i]!;
        size[i] = n;
        stretched = true;
      }
    }
  }
  return size;
}

/** Relax one input section: resize its branches and alignments, and move its frags and labels. */
export function relaxSection(s: InputSection, symbols: Map<string, SymInfo>): void {
  const frags = s.gas.frags;
  for (let g = 0; g < frags.length; g++) if (frags[g]!.kind === 'branch') frags[g]!.target = branchTarget(s, g, symbols);
  const sizes = relax(frags);
  const shift = [0];
  let changed = false;
  for (let g = 0; g < frags.length; g++) {
    shift.push(shift[g]! + sizes[g]! - frags[g]!.size);
    changed ||= sizes[g] !== frags[g]!.size;
  }
  if (!changed) return;
  for (let k = 0; k < s.frags.length; k++) s.frags[k]!.offset += shift[s.fragGas[k]!]!;
  for (let k = 0; k < s.labels.length; k++) s.labels[k]!.offset! += shift[s.labels[k]!.gasFrag!]!;
  for (let g = 0; g < frags.length; g++) {
    const f = frags[g]!;
    const v = f.frag;
    if (sizes[g] === f.size || !v) continue;
    if (v.k === 'ops') v.ops = relaxedBranch(v.ops[0]!);
    else if (v.k === 'fill') {
      v.size = sizes[g]!;
      v.nops = f.code === true && v.size % 4 === 0;
    }
  }
  s.size += shift[frags.length]!;
}

/** Where the branch that is gas frag g's variable part goes, as gas sees it: a label of this section
 * (or `.`) plus a constant; anything else is 'far'. */
function branchTarget(s: InputSection, g: number, symbols: Map<string, SymInfo>): GasFrag['target'] {
  const v = s.gas.frags[g]!.frag;
  const op = v?.k === 'ops' ? v.ops[0] : undefined;
  const field = op?.instr.operands.find((n) => FIELDS[n]!.kind === 'pcrel');
  const fv = field ? op!.fields[field] : undefined;
  const t = fv && 'e' in fv ? symbolPlus(fv.e) : undefined;
  if (!t) return 'far';
  if (t.name === '.') return { g, off: s.gas.frags[g]!.fix + t.add };
  const sym = symbols.get(t.name);
  const tg = sym && !sym.weak && sym.input === s.name ? sym.gasFrag : undefined;
  return tg === undefined ? 'far' : { g: tg, off: sym!.offset! - s.gas.frags[tg]!.start + t.add };
}

/** `sym`, `sym + n`, `sym - n` or `n + sym` (n a number), as a name and an addend. */
function symbolPlus(e: Expr): { name: string; add: number } | undefined {
  if (e.k === 'sym') return { name: e.name, add: 0 };
  if (e.k !== 'bin' || (e.op !== '+' && e.op !== '-')) return undefined;
  if (e.b.k === 'num') {
    const a = symbolPlus(e.a);
    return a && { name: a.name, add: a.add + (e.op === '+' ? 1 : -1) * Number(e.b.v) };
  }
  const b = e.op === '+' && e.a.k === 'num' ? symbolPlus(e.b) : undefined;
  return b && e.a.k === 'num' ? { name: b.name, add: b.add + Number(e.a.v) } : undefined;
}
