// Layout pass (docs/dasm.md "Sections", "Data directives", "Symbols"): walks one file's expanded
// statements, places every instruction and datum at an offset in its section, defines labels and
// records symbol attributes. Values that need final addresses stay as expressions for the link pass.
import { ByteWriter } from './elf/bytes.js';
import { FLOAT_DIRECTIVES, floatData } from './floats.js';
import { diag, type Diagnostic } from './diagnostics.js';
import { displayName, ExprError, type Expr, type Loc } from './expr.js';
import type { Placed } from './expand.js';
import { AsmError, assembleInstruction, constantField, encodeOp, quickEncode, type MachineOp } from './insn.js';
import { SourceLines } from './source-lines.js';
import type { Operand, Statement } from './visitor.js';
import type { SymbolType } from './image.js';

/** The output sections, in memory order; every input section is merged into one of them. */
export const OUTPUT_SECTIONS = ['.text', '.rodata', '.data', '.bss'] as const;
export type OutputSection = (typeof OUTPUT_SECTIONS)[number];

export type Frag =
  | { k: 'ops'; offset: number; ops: MachineOp[]; loc: Loc; line: number; file: string }
  /** A run of instructions whose operands were all constant, encoded during layout; lines[k] is the
   * source line of words[k]. */
  | { k: 'words'; offset: number; words: number[]; lines: number[]; file: string }
  | { k: 'data'; offset: number; width: number; values: Expr[]; loc: Loc; line: number; file: string }
  | { k: 'bytes'; offset: number; bytes: Uint8Array; line: number; file: string }
  | { k: 'fill'; offset: number; size: number; value: number; nops: boolean };

export interface FileSection {
  frags: Frag[];
  size: number;
  align: number;
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
}

export interface FileLayout {
  file: string;
  sections: Map<OutputSection, FileSection>;
  symbols: Map<string, SymInfo>;
  /** Symbols mentioned by .globl, checked for a definition at link time. */
  globals: Map<string, Loc>;
}

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
  finish(): FileLayout;
}

export function startLayout(file: string, env: LayoutEnv, diagnostics: Diagnostic[]): Layouter {
  const sections = new Map<OutputSection, FileSection>();
  const symbols = new Map<string, SymInfo>();
  const globals = new Map<string, Loc>();
  let current: OutputSection | undefined = '.text';
  const stack: (OutputSection | undefined)[] = [];
  let previous: OutputSection | undefined = '.text';
  let tooBig = false;
  const sourceLines = new SourceLines();
  /** Where the line table says the statement came from: the last `.loc`, else its assembly line. */
  const origin = (p: Placed): { file: string; line: number } => sourceLines.current ?? p;

  const sec = (s: OutputSection): FileSection => {
    let x = sections.get(s);
    if (!x) sections.set(s, (x = { frags: [], size: 0, align: 1 }));
    return x;
  };
  const error = (code: string, message: string, loc: Loc | { file: string; line: number }) => diagnostics.push(diag(code, message, loc));
  const sym = (name: string): SymInfo => {
    let s = symbols.get(name);
    if (!s) symbols.set(name, (s = { name, global: false, type: 'notype' }));
    return s;
  };
  const grow = (s: FileSection, n: number, loc: Loc | { file: string; line: number }): boolean => {
    if (s.size + n > env.maxSize) {
      if (!tooBig) error('too-large', `section ${current} grows past ${env.maxSize} bytes, the size of SRAM`, loc);
      tooBig = true;
      return false;
    }
    s.size += n;
    return true;
  };
  const switchTo = (s: OutputSection | undefined) => {
    previous = current;
    current = s;
  };
  const constant = (e: Expr): bigint => env.constant(e, file);

  const alignTo = (p: Placed, pow2: number, fill: number | undefined, max: number | undefined) => {
    if (current === undefined) return;
    const s = sec(current);
    const a = 2 ** pow2;
    s.align = Math.max(s.align, a);
    const pad = (a - (s.size % a)) % a;
    if (pad === 0 || (max !== undefined && pad > max)) return;
    const nops = current === '.text' && fill === undefined && pad % 4 === 0;
    s.frags.push({ k: 'fill', offset: s.size, size: pad, value: fill ?? 0, nops });
    grow(s, pad, p.st.nameLoc ?? p);
  };

  return {
    add(p: Placed): void {
      const st = p.st;
      for (const lab of st.labels) defineLabel(lab.name, lab.loc);
      if (!st.name) return;
      try {
        statement(p, st);
      } catch (e) {
        if (e instanceof AsmError || e instanceof ExprError) error(e.code, e.message, e.loc);
        else throw e;
      }
    },
    finish: () => ({ file, sections, symbols, globals }),
  };

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
    s.section = current;
    s.offset = sec(current).size;
    s.loc = loc;
  }

  function operandsAsExprs(ops: Operand[], what: string): Expr[] {
    return ops.map((o) => {
      if (o.kind !== 'expr') throw new AsmError(`${what} expects expressions, got ${o.kind === 'string' ? 'a string' : 'something else'}`, o.loc, 'bad-directive');
      return o.e;
    });
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
    const lname = name.toLowerCase();
    if (IGNORED.has(lname) || lname.startsWith('.cfi_')) return;
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
        return switchTo(outputSection(lname));
      case '.section':
      case '.pushsection': {
        const [nameOp, flagsOp, typeOp] = st.operands;
        const secName = sectionName(nameOp);
        if (secName === undefined) throw new AsmError(`${name} expects a section name`, nameOp?.loc ?? loc, 'bad-directive');
        const flags = flagsOp?.kind === 'string' ? new TextDecoder().decode(flagsOp.bytes) : undefined;
        if (lname === '.pushsection') stack.push(current);
        return switchTo(outputSection(secName, flags, typeOp?.kind === 'type' ? typeOp.name : undefined));
      }
      case '.popsection':
        if (stack.length === 0) throw new AsmError('.popsection without .pushsection', loc, 'bad-directive');
        return switchTo(stack.pop());
      case '.previous':
        return switchTo(previous);
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
        for (const o of st.operands) sym(symName(o, name, loc)).global = false;
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
        const [a, fill, max] = operandsAsExprs(st.operands, name).map((e) => Number(constant(e)));
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
        const [n, fill] = operandsAsExprs(st.operands, name).map((e) => constant(e));
        if (n === undefined) throw new AsmError(`${name} expects a size`, loc, 'bad-directive');
        if (n < 0n || n > BigInt(env.maxSize)) throw new AsmError(`${name} size ${n} is out of range 0..${env.maxSize}`, st.operands[0]!.loc, 'too-large');
        return fillBytes(p, Number(n), Number(BigInt.asUintN(8, fill ?? 0n)));
      }
      case '.fill': {
        const [repeat, size, value] = operandsAsExprs(st.operands, name).map((e) => constant(e));
        const r = Number(repeat ?? 0n);
        const w = Math.min(8, Number(size ?? 1n));
        if (r < 0 || r * w > env.maxSize) throw new AsmError(`.fill of ${r} x ${w} bytes is too large`, loc, 'too-large');
        for (let k = 0; k < r; k++) data(p, w, [{ k: 'num', v: value ?? 0n, loc }]);
        return;
      }
      case '.uleb128':
      case '.sleb128':
        // The debugging sections gcc writes use them on label differences: dropped there, unread.
        if (current === undefined) return;
        for (const e of operandsAsExprs(st.operands, name)) {
          const v = constant(e);
          raw(p, (lname === '.uleb128' ? new ByteWriter().uleb(BigInt.asUintN(64, v)) : new ByteWriter().sleb(v)).done());
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
        const [size, align] = operandsAsExprs(st.operands.slice(1), name).map((e) => Number(constant(e)));
        const saved = current;
        current = '.bss';
        alignTo(p, Math.log2(align && align > 0 ? align : 8), undefined, undefined);
        defineLabel(n, loc);
        sym(n).type = 'object';
        sym(n).size = { k: 'num', v: BigInt(size ?? 0), loc };
        if (lname === '.comm') sym(n).global ||= false;
        fillBytes(p, size ?? 0, 0);
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
    s.section = current;
    s.offset = sec(current).size;
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

  function here(p: Placed, what: string): FileSection | undefined {
    if (current === undefined) return undefined;
    if (current === '.bss' && what !== 'fill') {
      error('data-in-bss', `${what} in .bss: only .zero/.space and labels belong there`, p.st.nameLoc ?? p);
      return undefined;
    }
    return sec(current);
  }

  function instruction(p: Placed, st: Statement): void {
    const quick = quickEncode(st);
    const ops = quick === undefined ? assembleInstruction(st, { constant }) : undefined;
    if (current !== '.text' && current !== undefined && current !== '.rodata' && current !== '.data') return;
    const s = here(p, 'an instruction');
    if (!s) return;
    if (s.size % 4 !== 0) error('misaligned-insn', `instruction at offset ${s.size} is not 4-byte aligned (add .align 2)`, st.nameLoc!);
    s.align = Math.max(s.align, 4);
    if (!ops) return words(s, p, quick!, st.nameLoc!);
    const known = ops.every((op) => op.instr.operands.every((n) => constantField(n, op.fields[n]) !== undefined));
    if (known) {
      const encoded = ops.map((op) => encodeOp(op, (n, fv) => constantField(n, fv)!, st.nameLoc!));
      for (const w of encoded) words(s, p, w, st.nameLoc!);
      return;
    }
    const { file: from, line } = origin(p);
    s.frags.push({ k: 'ops', offset: s.size, ops, loc: st.nameLoc!, line, file: from });
    grow(s, 4 * ops.length, st.nameLoc!);
  }

  /** Append an encoded word at the end of section s, extending the last run of words when it can. */
  function words(s: FileSection, p: Placed, word: number, loc: Loc): void {
    const last = s.frags[s.frags.length - 1];
    const { file: from, line } = origin(p);
    if (last?.k === 'words' && last.file === from && last.offset + 4 * last.words.length === s.size) {
      last.words.push(word);
      last.lines.push(line);
    } else s.frags.push({ k: 'words', offset: s.size, words: [word], lines: [line], file: from });
    grow(s, 4, loc);
  }

  function data(p: Placed, width: number, values: Expr[]): void {
    const s = here(p, 'data');
    if (!s) return;
    const { file: from, line } = origin(p);
    s.frags.push({ k: 'data', offset: s.size, width, values, loc: p.st.nameLoc!, line, file: from });
    grow(s, width * values.length, p.st.nameLoc!);
  }

  function raw(p: Placed, bytes: Uint8Array): void {
    const s = here(p, 'data');
    if (!s) return;
    const { file: from, line } = origin(p);
    s.frags.push({ k: 'bytes', offset: s.size, bytes, line, file: from });
    grow(s, bytes.length, p.st.nameLoc!);
  }

  function fillBytes(p: Placed, n: number, value: number): void {
    const s = here(p, 'fill');
    if (!s || n === 0) return;
    if (grow(s, n, p.st.nameLoc!)) s.frags.push({ k: 'fill', offset: s.size - n, size: n, value, nops: false });
  }
}
