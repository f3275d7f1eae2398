// Layout pass (docs/dasm.md "Sections", "Data directives", "Symbols"): walks one file's expanded
// statements, places every instruction and datum at an offset in its section, defines labels and
// records symbol attributes. Values that need final addresses stay as expressions for the link pass.
import { ByteWriter } from './elf/bytes.js';
import { FLOAT_DIRECTIVES, floatData } from './floats.js';
import { diag, type Diagnostic, type Expansion } from './diagnostics.js';
import { macroCallOf } from './macro-calls.js';
import { displayName, ExprError, type Expr, type Loc } from './expr.js';
import type { Placed } from './expand.js';
import { AsmError, assembleInstruction, constantField, encodeOp, quickEncode, type FieldValue, type MachineOp } from './insn.js';
import { insnStatement } from './insn-directive.js';
import { GasFrags, relaxSection, VAR_MEMORY } from './relax.js';
import { SourceLines } from './source-lines.js';
import { lowerName, type Inert } from './fastline.js';
import type { Operand, Statement } from './visitor.js';
import type { SymbolType } from './image.js';

/** The output sections, in memory order; every input section is merged into one of them. */
export const OUTPUT_SECTIONS = ['.text', '.rodata', '.data', '.bss'] as const;
export type OutputSection = (typeof OUTPUT_SECTIONS)[number];

/** Frags that have source lines also name the innermost macro call that made them (`call`), if any: the
 * link turns those into the image's macro call ranges (assembler/macro-calls.ts). */
export type Frag =
  | { k: 'ops'; offset: number; ops: MachineOp[]; loc: Loc; line: number; file: string; call: Expansion | undefined }
  /** A run of instructions whose operands were all constant, encoded during layout: words[first] to
   * words[first + count - 1] of their input section's code, lines[k] the source line of words[k]. */
  | { k: 'words'; offset: number; words: U32Column; lines: U32Column; first: number; count: number; file: string; call: Expansion | undefined }
  | { k: 'data'; offset: number; width: number; values: Expr[]; loc: Loc; line: number; file: string; call: Expansion | undefined }
  /** Integers of `width` (1, 2, 4 or 8) bytes that fit it, known during layout: values[first] to
   * values[first + count - 1] of their input section's ints. */
  | { k: 'ints'; offset: number; width: number; values: number[]; first: number; count: number; line: number; file: string; call: Expansion | undefined }
  | { k: 'bytes'; offset: number; bytes: Uint8Array; line: number; file: string; call: Expansion | undefined }
  | { k: 'fill'; offset: number; size: number; value: number; nops: boolean };

export interface FileSection {
  frags: Frag[];
  size: number;
  align: number;
}

/** A section as the source names it (`.text`, `.text.startup`, `.sdata`): laid out on its own, as GNU as
 * does, relaxed, then placed whole in its output section when the file is done. */
export interface InputSection extends FileSection {
  name: string;
  out: OutputSection;
  gas: GasFrags;
  /** The gas frag of each of `frags`. */
  fragGas: number[];
  /** The labels defined here (each knows its gas frag). */
  labels: SymInfo[];
  /** It holds a conditional branch (so relaxation may change sizes). */
  branches: boolean;
  /** The words of its 'words' frags, and their source lines (columns of a section, not of each frag). */
  code: U32Column;
  codeLines: U32Column;
  /** The values of its 'ints' frags. */
  ints: number[];
}

/** A column of 32-bit numbers that grows (a section's instruction words, their source lines): typed, so
 * that a large program's are neither boxed nor stored one at a time by the link. */
export class U32Column {
  data = new Uint32Array(256);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const more = new Uint32Array(2 * this.length);
      more.set(this.data);
      this.data = more;
    }
    this.data[this.length++] = v;
  }
}

export interface SymInfo {
  name: string;
  section?: OutputSection;
  offset?: number;
  equ?: Expr;
  global: boolean;
  /** `.weak`: a global that may stay undefined (then it is 0) or be overridden by a global definition. */
  weak?: boolean;
  /** A label in a section that is not loaded (`.debug_info`): it has no address. */
  dropped?: boolean;
  type: SymbolType;
  size?: Expr;
  loc?: Loc;
  /** `.comm`: a common symbol, one object of the largest size and alignment any file gives it, unless a
   * file defines it (the link allocates it, as GNU ld's COMMON). */
  common?: { size: number; align: number };
  /** A label: the input section it is in, and its gas frag there (assembler/relax.ts). */
  input?: string;
  gasFrag?: number;
}

export interface FileLayout {
  file: string;
  sections: Map<OutputSection, FileSection>;
  symbols: Map<string, SymInfo>;
  /** Symbols mentioned by .globl, checked for a definition at link time. */
  globals: Map<string, Loc>;
  /** A section grew past the SRAM (an error): what came after has no place, the file cannot be linked. */
  overflow?: boolean;
}

/** A number that fits `width` bytes (1, 2, 4 or 8) as link would write it without a warning, and a
 * JavaScript number exactly. */
function fits(e: Expr, width: number): boolean {
  if (e.k !== 'num' || (width !== 1 && width !== 2 && width !== 4 && width !== 8)) return false;
  if (width === 8) return e.v > -(1n << 53n) && e.v < 1n << 53n;
  const bits = BigInt(width * 8);
  return e.v >= -(1n << (bits - 1n)) && e.v < 1n << bits;
}

/** All fields of the operation are known now (registers, literals): layout encodes it. */
function constantOp(op: MachineOp): boolean {
  for (const name of op.instr.operands) if (constantField(name, op.fields[name]) === undefined) return false;
  return true;
}
const constantValue = (name: string, fv: FieldValue | undefined): number => constantField(name, fv)!;

/** Which output section an input section goes to; undefined for non-allocated sections (dropped). */
export function outputSection(name: string, flags?: string, type?: string): OutputSection | undefined {
  if (/^\.(text|init|fini)(\.|$)/.test(name)) return '.text';
  if (/^\.s?rodata(\.|$)/.test(name)) return '.rodata';
  if (/^\.(s?data|init_array|fini_array)(\.|$)/.test(name) || /^\.tdata/.test(name)) return '.data';
  if (/^\.(s?bss|tbss)(\.|$)/.test(name)) return '.bss';
  if (flags === undefined || !flags.includes('a')) return undefined;
  if (flags.includes('x')) return '.text';
  if (type === 'nobits') return '.bss';
  return flags.includes('w') ? '.data' : '.rodata';
}

/** A section name as written: unquoted, `.note.GNU-stack` reads as an expression, so `-` joins it again. */
function sectionName(o: Operand | undefined): string | undefined {
  if (o?.kind === 'string') return new TextDecoder().decode(o.bytes);
  const text = (e: Expr): string | undefined => {
    if (e.k === 'sym' && !e.paren) return e.name;
    if (e.k === 'num') return String(e.v);
    if (e.k !== 'bin' || e.op !== '-') return undefined;
    const a = text(e.a);
    const b = text(e.b);
    return a === undefined || b === undefined ? undefined : `${a}-${b}`;
  };
  return o?.kind === 'expr' ? text(o.e) : undefined;
}

const IGNORED = new Set(['.ident', '.option', '.attribute', '.addrsig', '.addrsig_sym', '.hidden', '.protected', '.internal', '.end', '.endfunc', '.func', '.variant_cc']);
const DATA_WIDTH: Record<string, number> = {
  '.byte': 1, '.half': 2, '.short': 2, '.2byte': 2, '.word': 4, '.long': 4, '.int': 4, '.4byte': 4, '.dword': 8, '.quad': 8, '.8byte': 8,
};

/** The data directives that place nothing in a section that is not loaded, whatever their expressions
 * (or strings). */
const INERT = new Set([...Object.keys(DATA_WIDTH), '.uleb128', '.sleb128']);
const INERT_STRINGS = new Set(['.string', '.ascii', '.asciz']);

export interface LayoutEnv {
  /** Evaluate an expression that must be a constant now (numbers and .equ symbols). */
  constant(e: Expr, file: string): bigint;
  /** Largest size a section may reach (the SRAM size). */
  maxSize: number;
}

/** A layout in progress: statements are added as the expander makes them (so each is garbage as soon
 * as it is placed), then finish() gives the file's sections and symbols. */
export interface Layouter {
  add(p: Placed): void;
  /** The directives whose statements of expression operands or of string operands, without labels,
   * place nothing now: data (.byte ... .8byte, .uleb128, .sleb128; .string, .ascii, .asciz) in a section
   * that is not loaded, and the directives that are ignored. */
  inert: Inert;
  /** `.loc file line` (a statement of two numbers and words, without labels): false when the file is
   * not declared (the statement reports it). */
  position(file: number, line: number): boolean;
  finish(): FileLayout;
}

export function startLayout(file: string, env: LayoutEnv, diagnostics: Diagnostic[]): Layouter {
  const inputs = new Map<string, InputSection>();
  const symbols = new Map<string, SymInfo>();
  const globals = new Map<string, Loc>();
  /** Symbols made `.local` (a `.comm` of one is allocated here, as `.lcomm`). */
  const locals = new Set<string>();
  type Where = { name: string; out: OutputSection } | undefined;
  const TEXT: Where = { name: '.text', out: '.text' };
  let current: Where = TEXT;
  const stack: Where[] = [];
  let previous: Where = TEXT;
  let tooBig = false;
  const sourceLines = new SourceLines();
  /** Where the line table says the statement came from: the last `.loc`, else its assembly line. */
  const origin = (p: Placed): { file: string; line: number } => sourceLines.current ?? p;
  /** The macro call that made the statement, for the line table's users (none while a `.loc` decides
   * the lines). */
  const callOf = (p: Placed): Expansion | undefined => (p.from === undefined || sourceLines.current ? undefined : macroCallOf(p.from));

  /** The input section of the last `where` asked for (the current one, almost always). */
  let lastWhere: Where;
  let lastSec: InputSection | undefined;
  const sec = (w: NonNullable<Where>): InputSection => {
    if (w === lastWhere) return lastSec!;
    lastWhere = w;
    let x = inputs.get(w.name);
    if (!x) inputs.set(w.name, (x = { name: w.name, out: w.out, frags: [], size: 0, align: 1, gas: new GasFrags(), fragGas: [], labels: [], branches: false, code: new U32Column(), codeLines: new U32Column(), ints: [] }));
    lastSec = x;
    return x;
  };
  const push = (s: InputSection, f: Frag): void => {
    s.frags.push(f);
    s.fragGas.push(s.gas.index);
  };
  const error = (code: string, message: string, loc: Loc | { file: string; line: number }) => diagnostics.push(diag(code, message, loc));
  const sym = (name: string): SymInfo => {
    let s = symbols.get(name);
    if (!s) {
      // every field from the start: one shape, its fields in the object (a program has many symbols)
      s = { name, section: undefined, offset: undefined, equ: undefined, global: false, weak: undefined, dropped: undefined, type: 'notype', size: undefined, loc: undefined, common: undefined, input: undefined, gasFrag: undefined };
      symbols.set(name, s);
    }
    return s;
  };
  const grow = (s: InputSection, n: number, loc: Loc | { file: string; line: number }): boolean => {
    if (s.size + n > env.maxSize) {
      if (!tooBig) error('too-large', `section ${s.name} grows past ${env.maxSize} bytes, the size of SRAM`, loc);
      tooBig = true;
      return false;
    }
    s.size += n;
    return true;
  };
  const switchTo = (name: string, out: OutputSection | undefined) => {
    previous = current;
    current = out === undefined ? undefined : { name, out };
  };
  const constant = (e: Expr): bigint => env.constant(e, file);
  const insnEnv = { constant };

  const alignTo = (p: Placed, pow2: number, fill: number | undefined, max: number | undefined) => {
    if (current === undefined) return;
    const s = sec(current);
    const a = 1 << pow2; // (integer arithmetic: offsets stay small integers, which V8 stores unboxed)
    s.align = Math.max(s.align, a);
    let pad = (a - (s.size % a)) % a;
    if (max !== undefined && pad > max) pad = 0;
    const code = s.out === '.text' && fill === undefined;
    // gas makes a frag that relaxation may resize, except for 2^0 and for code aligned to at most an
    // instruction (tc-riscv.c riscv_frag_align_code).
    const resizable = pow2 > 0 && !(code && a <= 4);
    if (pad === 0 && !resizable) return;
    const f: Frag = { k: 'fill', offset: s.size, size: pad, value: fill ?? 0, nops: code && pad % 4 === 0 };
    push(s, f);
    if (resizable) s.gas.variable(s.size, { kind: 'align', size: pad, pow2, max, code, frag: f }, code ? VAR_MEMORY.alignCode : VAR_MEMORY.other);
    grow(s, pad, p.st.nameLoc ?? p);
  };

  return {
    add(p: Placed): void {
      const st = p.st;
      if (st.words !== undefined) return instruction(p, st); // (no labels, and no exception to catch)
      for (let k = 0; k < st.labels.length; k++) defineLabel(st.labels[k]!.name, st.labels[k]!.loc);
      if (!st.name) return;
      try {
        statement(p, st);
      } catch (e) {
        if (e instanceof AsmError || e instanceof ExprError) error(e.code, e.message, e.loc);
        else throw e;
      }
    },
    inert: {
      has: (lname, strings) => IGNORED.has(lname) || lname.startsWith('.cfi_') || (current === undefined && (strings ? INERT_STRINGS : INERT).has(lname)),
    },
    position: (n, line) => sourceLines.position(n, line),
    finish,
  };

  /** Relax each input section, then place it whole in its output section, after the ones before it. */
  function finish(): FileLayout {
    const sections = new Map<OutputSection, FileSection>();
    for (const s of inputs.values()) {
      s.gas.finish(s.size);
      if (s.branches) relaxSection(s, symbols);
      // gas pads the end of a code section to its alignment with nops (write.c SUB_SEGMENT_ALIGN)
      const end = (s.align - (s.size % s.align)) % s.align;
      if (s.out === '.text' && end > 0) {
        s.frags.push({ k: 'fill', offset: s.size, size: end, value: 0, nops: end % 4 === 0 });
        s.size += end;
      }
      let out = sections.get(s.out);
      if (!out) sections.set(s.out, (out = { frags: [], size: 0, align: 1 }));
      const base = out.size + ((s.align - (out.size % s.align)) % s.align);
      // (indexed loops: a large program has many frags, and an iterator is slow until the JIT has compiled
      // the loop, which in a pass that runs once is most of the time)
      if (base !== 0) {
        for (let j = 0; j < s.frags.length; j++) s.frags[j]!.offset += base;
        for (let j = 0; j < s.labels.length; j++) s.labels[j]!.offset! += base;
      }
      out.frags = out.frags.length === 0 ? s.frags : out.frags.concat(s.frags);
      out.size = base + s.size;
      out.align = Math.max(out.align, s.align);
    }
    return { file, sections, symbols, globals, overflow: tooBig };
  }

  function defineLabel(name: string, loc: Loc): void {
    const s = sym(name);
    if (s.section !== undefined || s.equ !== undefined || s.dropped) {
      const first = s.loc ? ` (first defined at ${s.loc.file}:${s.loc.line})` : '';
      error('duplicate-symbol', `duplicate symbol '${displayName(name)}'${first}`, loc);
      return;
    }
    if (current === undefined) {
      // gcc -g labels its debugging sections; only a use from loaded code is an error (at link).
      s.dropped = true;
      s.loc = loc;
      return;
    }
    const x = sec(current);
    s.section = x.out;
    s.offset = x.size;
    s.loc = loc;
    s.input = x.name;
    s.gasFrag = x.gas.index;
    x.labels.push(s);
  }

  function operandsAsExprs(ops: Operand[], what: string): Expr[] {
    return ops.map((o) => {
      if (o.kind !== 'expr') throw new AsmError(`${what} expects expressions, got ${o.kind === 'string' ? 'a string' : 'something else'}`, o.loc, 'bad-directive');
      return o.e;
    });
  }

  /** The values of constant expressions, as numbers and as BigInts. (Arrays of one shape each: an array of
   * small integers and one of other numbers have different shapes, and taking either apart made the JIT
   * drop its code for this large function.) */
  function numbers(exprs: Expr[]): Float64Array {
    return Float64Array.from(exprs, (e) => Number(constant(e)));
  }
  function constants(exprs: Expr[]): bigint[] {
    const out: bigint[] = [];
    for (let k = 0; k < exprs.length; k++) out.push(constant(exprs[k]!));
    return out;
  }

  function symName(o: Operand | undefined, what: string, loc: Loc): string {
    if (!o || o.kind !== 'expr' || o.e.k !== 'sym') throw new AsmError(`${what} expects a symbol name`, o?.loc ?? loc, 'bad-directive');
    return o.e.name;
  }

  function statement(p: Placed, st: Statement): void {
    const name = st.name!;
    const loc = st.nameLoc!;
    if (st.assign) return defineEqu(name, st.assign, loc);
    if (name.charCodeAt(0) !== 46 /* . */) return instruction(p, st);
    const lname = lowerName(name);
    if (IGNORED.has(lname) || lname.startsWith('.cfi_')) return;
    if (lname === '.insn' || lname.startsWith('.insn ')) return instruction(p, insnStatement(st, constant));
    const width = DATA_WIDTH[lname];
    if (width !== undefined) return data(p, width, operandsAsExprs(st.operands, name));
    if (lname in FLOAT_DIRECTIVES) {
      const r = floatData(lname, operandsAsExprs(st.operands, name), (e) => constant(e), loc);
      for (const w of r.warnings) diagnostics.push(diag('float-range', w.message, w.expr.loc, 'warning'));
      return raw(p, r.bytes);
    }
    switch (lname) {
      case '.text':
      case '.data':
      case '.bss':
      case '.rodata':
        return switchTo(lname, outputSection(lname));
      case '.section':
      case '.pushsection': {
        const [nameOp, flagsOp, typeOp] = st.operands;
        const secName = sectionName(nameOp);
        if (secName === undefined) throw new AsmError(`${name} expects a section name`, nameOp?.loc ?? loc, 'bad-directive');
        const flags = flagsOp?.kind === 'string' ? new TextDecoder().decode(flagsOp.bytes) : undefined;
        if (lname === '.pushsection') stack.push(current);
        return switchTo(secName, outputSection(secName, flags, typeOp?.kind === 'type' ? typeOp.name : undefined));
      }
      case '.popsection': {
        if (stack.length === 0) throw new AsmError('.popsection without .pushsection', loc, 'bad-directive');
        const w = stack.pop();
        return switchTo(w?.name ?? '', w?.out);
      }
      case '.previous':
        return switchTo(previous?.name ?? '', previous?.out);
      case '.file':
        return sourceLines.file(st);
      case '.loc':
        return sourceLines.loc(st);
      case '.globl':
      case '.global':
      case '.weak':
        for (const o of st.operands) {
          const n = symName(o, name, loc);
          sym(n).global = true;
          if (lname === '.weak') sym(n).weak = true;
          globals.set(n, o.loc);
        }
        return;
      case '.local':
        for (const o of st.operands) {
          const n = symName(o, name, loc);
          sym(n).global = false;
          locals.add(n);
        }
        return;
      case '.type': {
        const n = symName(st.operands[0], name, loc);
        const t = st.operands[1];
        const tname = t?.kind === 'type' ? t.name : t?.kind === 'expr' && t.e.k === 'sym' ? t.e.name.replace(/^%/, '') : t?.kind === 'string' ? new TextDecoder().decode(t.bytes) : '';
        const map: Record<string, SymbolType> = { function: 'func', object: 'object', notype: 'notype', STT_FUNC: 'func', STT_OBJECT: 'object' };
        if (!(tname in map)) throw new AsmError(`unknown symbol type '${tname}' (expected @function, @object or @notype)`, t?.loc ?? loc, 'bad-directive');
        sym(n).type = map[tname]!;
        return;
      }
      case '.size': {
        const n = symName(st.operands[0], name, loc);
        const e = st.operands[1];
        if (!e || e.kind !== 'expr') throw new AsmError('.size expects a symbol and an expression', loc, 'bad-directive');
        // `.` in the size expression means the current location: freeze it now.
        sym(n).size = freezeDot(e.e);
        return;
      }
      case '.equ':
      case '.set':
      case '.equiv': {
        const n = symName(st.operands[0], name, loc);
        const v = st.operands[1];
        if (!v || v.kind !== 'expr') throw new AsmError(`${name} expects a symbol and an expression`, loc, 'bad-directive');
        return defineEqu(n, freezeDot(v.e), loc);
      }
      case '.align':
      case '.p2align':
      case '.balign': {
        const [a, fill, max] = numbers(operandsAsExprs(st.operands, name));
        if (a === undefined) throw new AsmError(`${name} expects an alignment`, loc, 'bad-directive');
        let pow2 = a;
        if (lname === '.balign') {
          if (a <= 0 || (a & (a - 1)) !== 0) throw new AsmError(`.balign alignment ${a} is not a power of two`, st.operands[0]!.loc, 'bad-directive');
          pow2 = Math.log2(a);
        }
        if (pow2 < 0 || pow2 > 16) throw new AsmError(`alignment 2^${pow2} is out of range 2^0..2^16`, st.operands[0]!.loc, 'bad-directive');
        return alignTo(p, pow2, fill, max);
      }
      case '.zero':
      case '.space':
      case '.skip': {
        const [n, fill] = constants(operandsAsExprs(st.operands, name));
        if (n === undefined) throw new AsmError(`${name} expects a size`, loc, 'bad-directive');
        if (n < 0n || n > BigInt(env.maxSize)) throw new AsmError(`${name} size ${n} is out of range 0..${env.maxSize}`, st.operands[0]!.loc, 'too-large');
        return fillBytes(p, Number(n), Number(BigInt.asUintN(8, fill ?? 0n)));
      }
      case '.fill': {
        const [repeat, size, value] = constants(operandsAsExprs(st.operands, name));
        const r = Number(repeat ?? 0n);
        const w = Math.min(8, Number(size ?? 1n));
        if (r < 0 || r * w > env.maxSize) throw new AsmError(`.fill of ${r} x ${w} bytes is too large`, loc, 'too-large');
        const s = current && r > 0 && w > 0 ? sec(current) : undefined;
        const at = s?.size ?? 0;
        for (let k = 0; k < r; k++) data(p, w, [{ k: 'num', v: value ?? 0n, loc }], false);
        s?.gas.variable(at, { kind: 'fill', size: r * w }, w); // one gas fill frag
        return;
      }
      case '.uleb128':
      case '.sleb128':
        // The debugging sections gcc writes use them on label differences: dropped there, unread.
        if (current === undefined) return;
        for (const e of operandsAsExprs(st.operands, name)) {
          const v = constant(e);
          const bytes = (lname === '.uleb128' ? new ByteWriter().uleb(BigInt.asUintN(64, v)) : new ByteWriter().sleb(v)).done();
          raw(p, bytes, bytes.length);
        }
        return;
      case '.ascii':
      case '.string':
      case '.asciz': {
        for (const o of st.operands) {
          if (o.kind !== 'string') throw new AsmError(`${name} expects strings in double quotes`, o.loc, 'bad-directive');
          const z = lname === '.ascii' ? 0 : 1;
          const bytes = new Uint8Array(o.bytes.length + z);
          bytes.set(o.bytes);
          raw(p, bytes);
        }
        return;
      }
      case '.comm':
      case '.lcomm': {
        const n = symName(st.operands[0], name, loc);
        const [size = 0, given] = numbers(operandsAsExprs(st.operands.slice(1), name));
        if (size < 0 || size > env.maxSize) throw new AsmError(`${name} size ${size} is out of range 0..${env.maxSize}`, st.operands[1]?.loc ?? loc, 'too-large');
        if (given !== undefined && (given <= 0 || (given & (given - 1)) !== 0)) throw new AsmError(`${name} alignment ${given} is not a power of two`, st.operands[2]!.loc, 'bad-directive');
        const s = sym(n);
        s.type = 'object';
        if (lname === '.comm' && !locals.has(n)) {
          // GNU's defaults: the size's power of two, at most 16; the link allocates the symbol
          const align = given ?? Math.min(16, 2 ** Math.ceil(Math.log2(Math.max(1, size))));
          s.global = true;
          s.common = { size: Math.max(size, s.common?.size ?? 0), align: Math.max(align, s.common?.align ?? 1) };
          s.loc ??= loc;
          return;
        }
        // .lcomm, or .comm of a .local symbol: in this file's .bss (gas's default alignment for .lcomm)
        const saved = current;
        current = { name: '.bss', out: '.bss' };
        alignTo(p, Math.log2(given ?? (size >= 8 ? 8 : size >= 4 ? 4 : size >= 2 ? 2 : 1)), undefined, undefined);
        defineLabel(n, loc);
        s.size = { k: 'num', v: BigInt(size), loc };
        fillBytes(p, size, 0);
        current = saved;
        return;
      }
      default:
        throw new AsmError(`unknown directive '${name}'`, { ...loc, span: name.length }, 'unknown-directive');
    }
  }

  /** Replace `.` by the current address expression (section-relative label) so it survives layout. */
  function freezeDot(e: Expr): Expr {
    const hasDot = (x: Expr): boolean => (x.k === 'sym' ? x.name === '.' : x.k === 'bin' ? hasDot(x.a) || hasDot(x.b) : x.k === 'num' || x.k === 'float' ? false : hasDot(x.a));
    if (!hasDot(e) || current === undefined) return e;
    const here = `.\u0000dot${symbols.size}`;
    const s = sym(here);
    const x = sec(current);
    s.section = x.out;
    s.offset = x.size;
    s.input = x.name;
    s.gasFrag = x.gas.index;
    x.labels.push(s);
    const replace = (x: Expr): Expr =>
      x.k === 'sym' ? (x.name === '.' ? { ...x, name: here } : x) : x.k === 'bin' ? { ...x, a: replace(x.a), b: replace(x.b) } : x.k === 'num' || x.k === 'float' ? x : { ...x, a: replace(x.a) };
    return replace(e);
  }

  function defineEqu(name: string, e: Expr, loc: Loc): void {
    const s = sym(name);
    if (s.section !== undefined) {
      error('duplicate-symbol', `symbol '${name}' is already a label (defined at ${s.loc?.file}:${s.loc?.line})`, loc);
      return;
    }
    s.equ = e;
    s.loc = loc;
  }

  function here(p: Placed, what: string): InputSection | undefined {
    if (current === undefined) return undefined;
    if (current.out === '.bss' && what !== 'fill') {
      error('data-in-bss', `${what} in .bss: only .zero/.space and labels belong there`, p.st.nameLoc ?? p);
      return undefined;
    }
    return sec(current);
  }

  function instruction(p: Placed, st: Statement): void {
    const quick = st.words === undefined ? quickEncode(st) : undefined;
    const ops = st.words === undefined && quick === undefined ? assembleInstruction(st, insnEnv) : undefined;
    if (current?.out === '.bss') return;
    const s = here(p, 'an instruction');
    if (!s) return;
    if (s.size % 4 !== 0) error('misaligned-insn', `instruction at offset ${s.size} is not 4-byte aligned (add .align 2)`, st.nameLoc!);
    s.align = Math.max(s.align, 4);
    if (st.words !== undefined) {
      for (let k = 0; k < st.words.length; k++) words(s, p, st.words[k]!, st.nameLoc!);
      return;
    }
    if (!ops) return words(s, p, quick!, st.nameLoc!);
    if (ops.every(constantOp)) {
      // (every word before the first is placed: an operand out of range places none)
      const encoded: number[] = [];
      for (let k = 0; k < ops.length; k++) encoded.push(encodeOp(ops[k]!, constantValue, st.nameLoc!));
      for (let k = 0; k < encoded.length; k++) words(s, p, encoded[k]!, st.nameLoc!);
      return;
    }
    const { file: from, line } = origin(p);
    const f: Frag = { k: 'ops', offset: s.size, ops, loc: st.nameLoc!, line, file: from, call: callOf(p) };
    push(s, f);
    // A conditional branch or a jump (J format: jal, `.insn j`) to an expression is a frag of its own in
    // gas (a branch may grow).
    const op = ops[0]!;
    const kind = ops.length > 1 ? undefined : op.instr.flags?.branch ? 'branch' : op.instr.format === 'J' ? 'jump' : undefined;
    if (kind) {
      s.gas.variable(s.size, { kind, size: 4, frag: f }, VAR_MEMORY[kind]);
      s.branches ||= kind === 'branch';
    } else s.gas.more(s.size, 4, ops.length);
    grow(s, 4 * ops.length, st.nameLoc!);
  }

  /** Append an encoded word at the end of section s, extending the last run of words when it can. */
  function words(s: InputSection, p: Placed, word: number, loc: Loc): void {
    const last = s.frags[s.frags.length - 1];
    const { file: from, line } = origin(p);
    const call = callOf(p);
    if (last?.k === 'words' && last.file === from && last.call === call && last.offset + 4 * last.count === s.size && s.fragGas[s.fragGas.length - 1] === s.gas.index) last.count++;
    else push(s, { k: 'words', offset: s.size, words: s.code, lines: s.codeLines, first: s.code.length, count: 1, file: from, call });
    s.code.push(word);
    s.codeLines.push(line);
    s.gas.more(s.size, 4);
    grow(s, 4, loc);
  }

  /** Values of `width` bytes each; gas takes memory for each (unless the caller counts them). */
  function data(p: Placed, width: number, values: Expr[], counted = true): void {
    const s = here(p, 'data');
    if (!s) return;
    const { file: from, line } = origin(p);
    if (values.every((e) => fits(e, width))) {
      push(s, { k: 'ints', offset: s.size, width, values: s.ints, first: s.ints.length, count: values.length, line, file: from, call: callOf(p) });
      for (const e of values) s.ints.push(Number((e as { v: bigint }).v));
    } else push(s, { k: 'data', offset: s.size, width, values, loc: p.st.nameLoc!, line, file: from, call: callOf(p) });
    if (counted) s.gas.more(s.size, width, values.length);
    grow(s, width * values.length, p.st.nameLoc!);
  }

  /** Bytes that gas makes in pieces of `unit` (a string's characters one by one, a LEB128 number whole). */
  function raw(p: Placed, bytes: Uint8Array, unit = 1): void {
    const s = here(p, 'data');
    if (!s) return;
    const { file: from, line } = origin(p);
    push(s, { k: 'bytes', offset: s.size, bytes, line, file: from, call: callOf(p) });
    s.gas.more(s.size, unit, bytes.length / unit);
    grow(s, bytes.length, p.st.nameLoc!);
  }

  /** `.zero n`: a fill frag of its own in gas. */
  function fillBytes(p: Placed, n: number, value: number): void {
    const s = here(p, 'fill');
    if (!s || n === 0 || !grow(s, n, p.st.nameLoc!)) return;
    push(s, { k: 'fill', offset: s.size - n, size: n, value, nops: false });
    s.gas.variable(s.size - n, { kind: 'fill', size: n }, VAR_MEMORY.other);
  }
}
