// The link pass's encoding of frags (docs/dasm.md "Linking"): the bytes of one file's part of an output
// section, at its final addresses, and its line rows. Instructions whose fields needed symbols or the pc
// are encoded through isa/ here; expressions are evaluated in an Env of their file and address.
import { encodeOrThrow } from '../isa/codec.js';
import { FIELDS } from '../isa/fields.js';
import { diag, type Diagnostic } from './diagnostics.js';
import { evaluate, ExprError, type EvalEnv, type Expr, type Loc } from './expr.js';
import { encodeOp, immediateValue, pcrelHalf, type FieldValue } from './insn.js';
import type { FileLayout, Frag } from './layout.js';
import type { LineRows } from './line-rows.js';
import type { MacroCallRanges } from './macro-calls.js';

const NOP = encodeOrThrow('addi', { rd: 0, rs1: 0, imm12: 0 });
/** The host stores a number's bytes in the order RISC-V does. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** The symbols of a link: their values, and the %pcrel_hi of each auipc that has one, by address. */
export interface LinkSymbols {
  value(f: FileLayout, name: string, loc: Loc): bigint | undefined;
  pcrelHi: Map<bigint, { f: FileLayout; target: Expr }>;
}

/** What expressions of file f at address dot evaluate in (an object of a class, made for every value; the
 * class is declared once, so that every link's objects have one shape and the JIT's code stays valid). */
export class Env implements EvalEnv {
  constructor(
    private readonly symbols: LinkSymbols,
    private readonly f: FileLayout,
    readonly dot: bigint,
  ) {}
  symbol(name: string, loc: Loc): bigint | undefined {
    return this.symbols.value(this.f, name, loc);
  }
  pcrelLo(labelAddr: bigint, loc: Loc): bigint {
    const hi = this.symbols.pcrelHi.get(labelAddr);
    if (!hi) throw new ExprError(`%pcrel_lo must name the label of an auipc with %pcrel_hi (nothing at 0x${labelAddr.toString(16)})`, loc, 'pcrel-lo');
    return evaluate(hi.target, new Env(this.symbols, hi.f, labelAddr)) - labelAddr;
  }
}

/**
 * One file's part of an output section: its frags from address `start` into buf (the section's bytes from
 * address secStart; none for .bss), their line rows and the ranges of the macro calls that made them; `env`
 * gives what the file's expressions evaluate in at an address. An error is reported and ends only its frag.
 */
export function encodeFrags(frags: Frag[], start: number, secStart: number, buf: Uint8Array | undefined, env: (dot: bigint) => EvalEnv, rows: LineRows, calls: MacroCallRanges, diagnostics: Diagnostic[]): void {
  const view = buf ? new DataView(buf.buffer) : undefined;
  // the words as the host stores them, when that is RISC-V's order (a run of words is copied as is)
  const words32 = buf && LITTLE_ENDIAN && buf.byteOffset % 4 === 0 ? new Uint32Array(buf.buffer, buf.byteOffset, buf.byteLength >> 2) : undefined;
  calls.section();
  for (let j = 0; j < frags.length; j++) {
    const fr = frags[j]!;
    const addr = start + fr.offset;
    const at = addr - secStart;
    if (fr.k !== 'fill' && fr.call !== undefined) calls.add(fr.call, addr, fragSize(fr));
    try {
      if (fr.k === 'fill') {
        if (!buf) continue;
        if (fr.nops) for (let k = 0; k < fr.size; k += 4) view!.setUint32(at + k, NOP, true);
        else buf.fill(fr.value, at, at + fr.size);
      } else if (fr.k === 'words') {
        // (loops, not views of each run: a large program has many runs, and a view is an object)
        const words = fr.words.data;
        if (words32 && at % 4 === 0) for (let k = 0; k < fr.count; k++) words32[(at >> 2) + k] = words[fr.first + k]!;
        else for (let k = 0; k < fr.count; k++) view!.setUint32(at + 4 * k, words[fr.first + k]!, true);
        rows.words(addr, fr.file, fr.lines.data, fr.first, fr.count);
      } else if (fr.k === 'ints') {
        rows.add(addr, fr.file, fr.line);
        for (let k = 0; k < fr.count; k++) {
          const v = fr.values[fr.first + k]!;
          const to = at + k * fr.width;
          if (fr.width === 1) view!.setUint8(to, v);
          else if (fr.width === 2) view!.setUint16(to, v, true);
          else if (fr.width === 4) view!.setUint32(to, v, true);
          else view!.setBigUint64(to, BigInt.asUintN(64, BigInt(v)), true);
        }
      } else if (fr.k === 'bytes') {
        buf?.set(fr.bytes, at);
        rows.add(addr, fr.file, fr.line);
      } else if (fr.k === 'data') {
        rows.add(addr, fr.file, fr.line);
        for (let k = 0; k < fr.values.length; k++) {
          const e = fr.values[k]!;
          const v = e.k === 'num' ? e.v : evaluate(e, env(BigInt(addr + k * fr.width)));
          const bits = BigInt(fr.width * 8);
          if (fr.width < 8 && (v < -(1n << (bits - 1n)) || v >= 1n << bits)) {
            diagnostics.push(diag('truncated', `value ${v} does not fit in ${fr.width} byte${fr.width > 1 ? 's' : ''}; truncated`, e.loc, 'warning'));
          }
          putData(view!, at + k * fr.width, fr.width, v);
        }
      } else {
        for (let k = 0; k < fr.ops.length; k++) {
          const pc = BigInt(addr + 4 * k);
          view!.setUint32(at + 4 * k, encodeOp(fr.ops[k]!, (name, fv) => fieldValue(env, fv, name, pc, fr.loc), fr.loc), true);
          rows.add(addr + 4 * k, fr.file, fr.line);
        }
      }
    } catch (e) {
      if (e instanceof ExprError) diagnostics.push(diag(e.code, e.message, e.loc));
      else throw e;
    }
  }
}

/** The bytes a frag with source lines places. */
function fragSize(fr: Exclude<Frag, { k: 'fill' }>): number {
  switch (fr.k) {
    case 'words': return 4 * fr.count;
    case 'ops': return 4 * fr.ops.length;
    case 'ints': return fr.width * fr.count;
    case 'data': return fr.width * fr.values.length;
    case 'bytes': return fr.bytes.length;
  }
}

/** The number of field `name` of an instruction at pc whose value is v (an expression evaluated in env(pc)). */
function fieldValue(env: (dot: bigint) => EvalEnv, v: FieldValue | undefined, name: string, pc: bigint, loc: Loc): number {
  if (v === undefined) throw new ExprError(`missing operand '${name}'`, loc);
  if ('n' in v) return v.n;
  if ('half' in v) {
    const target = evaluate(v.target, env(pc));
    const anchor = pc - BigInt(v.anchor);
    try {
      return pcrelHalf(v.half, target, anchor);
    } catch {
      throw new ExprError(`target 0x${target.toString(16)} is out of pc-relative range`, v.target.loc, 'imm-range');
    }
  }
  const value = evaluate(v.e, env(pc));
  const field = FIELDS[name]!;
  if (field.kind !== 'pcrel') return immediateValue(name, value, v.e.loc);
  {
    const off = BigInt.asIntN(64, value - pc);
    const { width } = field;
    const lim = 1n << BigInt(width - 1);
    if (off < -lim || off >= lim) {
      throw new ExprError(`branch target 0x${BigInt.asUintN(64, value).toString(16)} is out of range: offset ${off} is not in ${-lim}..${lim - 2n}`, v.e.loc, 'branch-range');
    }
    return Number(off);
  }
}

/** The low `width` bytes of v, little-endian. */
function putData(view: DataView, at: number, width: number, v: bigint): void {
  if (width === 8) view.setBigUint64(at, BigInt.asUintN(64, v), true);
  else if (width === 4) view.setUint32(at, Number(BigInt.asUintN(32, v)), true);
  else if (width === 2) view.setUint16(at, Number(BigInt.asUintN(16, v)), true);
  else if (width === 1) view.setUint8(at, Number(BigInt.asUintN(8, v)));
  else {
    const u = BigInt.asUintN(64, v);
    for (let b = 0; b < width; b++) view.setUint8(at + b, Number((u >> BigInt(8 * b)) & 0xffn));
  }
}
