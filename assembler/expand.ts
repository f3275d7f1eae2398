// Expansion pass (docs/dasm.md "Macros, repetition, conditionals, includes"): runs the directives that
// make statements rather than code: .macro/.endm, .rept/.irp/.irpc/.endr, .if/.ifdef/.ifndef/.else/
// .elseif/.endif, .include, and records .equ/.set/= so conditionals can use them. Numeric local labels
// (`1:`, `1b`, `1f`) are renamed to unique internal names here. Output: statements in order, each with
// the file and line that made it, handed to the layout pass as they are made. A line a macro or
// repetition made is the line of its body (in the file the body is in), and remembers the expansion
// it came from (for diagnostics).
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { IToken, TokenType } from 'chevrotain';
import { vreg, xreg } from '../isa/registers.js';
import { describeExpansion, diag, type Diagnostic, type Expansion } from './diagnostics.js';
import { displayName, evaluate, ExprError, substitute, symbolsOf, type Expr, type Loc } from './expr.js';
import { parseLine, type LineParse } from './parser.js';
import { fastLine, fastWord, LOC, lowerName, quickLine, SPACED, type Inert } from './fastline.js';
import { lexSource, MAX_ERRORS_PER_FILE, type SourceLine } from './source.js';
import { BinNumber, CharLit, Colon, Comma, DecNumber, HexNumber, Identifier, Tilde } from './tokens.js';
import { statementOf, toStatement, type Statement } from './visitor.js';
import { sourceProblem } from './source-file.js';

export interface Placed {
  st: Statement;
  file: string;
  line: number;
  /** The macro, repetition or include that made the statement, if any. */
  from: Expansion | undefined;
}

export interface Macro {
  name: string;
  params: { name: string; def?: string; required: boolean; vararg: boolean }[];
  body: string[];
  /** The line in `file` of each body line. */
  lines: number[];
  file: string;
  line: number;
}

export interface ExpandOptions {
  readFile: (path: string) => string | undefined;
  /** Receives each statement as it is made (the layout pass). The Placed object is reused for the next
   * statement: keep its fields, not the object. */
  emit: (p: Placed) => void;
  /** The directives whose statements of expression operands or of string operands, without labels,
   * place nothing now (data for a section that is not loaded, ignored directives): such a line is only
   * read, not made. */
  inert?: Inert;
  /** `.loc file line` (of numbers and words, without labels): sets the line table's position, false when
   * the file is not declared. Such a line is only read, not made (gcc -g writes one for every few
   * instructions); the others are statements. */
  position?: (file: number, line: number) => boolean;
}

export const MAX_MACRO_DEPTH = 1000;
/** Statements one source file may expand to (guards `.rept 1000000000`). */
export const MAX_STATEMENTS = 5_000_000;
/** The expansion budget of a run, for .include, .macro, .rept, .irp and .irpc together: lines of source
 * they make, and bytes of it (a macro whose arguments double at each level; 2^30 expansions that make
 * nothing; an include bomb): 1 M lines and 16 MiB, times D1_MAX_EXPANSION (`d1 --max-expansion N`). */
export function expansionBudget(): { lines: number; bytes: number } {
  const k = Number(process.env.D1_MAX_EXPANSION ?? 1);
  const f = Number.isFinite(k) && k > 0 ? k : 1;
  return { lines: Math.round(1_000_000 * f), bytes: Math.round(16 * 2 ** 20 * f) };
}

const BLOCK_OPEN = new Set(['.macro', '.rept', '.irp', '.irpc']);
const BLOCK_CLOSE: Record<string, string> = { '.macro': '.endm', '.rept': '.endr', '.irp': '.endr', '.irpc': '.endr' };
const COND_OPEN = new Set(['.if', '.ifdef', '.ifndef', '.ifeq', '.ifne', '.ifgt', '.ifge', '.iflt', '.ifle', '.ifc', '.ifnc', '.ifb', '.ifnb']);

interface Cond {
  /** This branch is being assembled. */
  active: boolean;
  /** Some branch of this .if was taken already. */
  taken: boolean;
  /** The enclosing context was active. */
  outer: boolean;
}

export class Expander {
  private emitted = 0;
  private readonly placed: Placed = { st: statementOf([]), file: '', line: 0, from: undefined };
  readonly diagnostics: Diagnostic[] = [];
  readonly equs = new Map<string, Expr>();
  /** The .equ/.set symbols whose value in force is a constant: a use after it means that value (GNU as
   * folds absolute symbols when it reads them, so a later `.set` of the same name does not change it). */
  private readonly constants = new Map<string, bigint>();
  /** The names defined so far: .equ and .set ones, and the labels, which wait in a list until a question
   * is asked (most programs ask none, and a set of every label of a large program is slow to fill). */
  private readonly labelsSeen = new Set<string>();
  private readonly defined: string[] = [];
  private inSet = 0;
  private isDefined(name: string): boolean {
    for (; this.inSet < this.defined.length; this.inSet++) this.labelsSeen.add(this.defined[this.inSet]!);
    return this.labelsSeen.has(name);
  }
  private readonly macros = new Map<string, Macro>();
  private readonly localCounts = new Map<string, number>();
  private readonly conds: Cond[] = [];
  private readonly includeStack: string[] = [];
  private macroCounter = 0;
  private depth = 0;
  /** The expansion budget spent so far, and the innermost expansion in progress. */
  private expandedLines = 0;
  private expandedBytes = 0;
  private readonly budget = expansionBudget();
  private ctx: Expansion | undefined;
  /** The tokens of the short lines expansions made, by text (most are the same texts again), and the
   * values of constant .if expressions: bounded, emptied when full. */
  private readonly lexed = new Map<string, SourceLine[]>();
  private readonly constantIfs = new Map<string, bigint>();
  /** The short lines without labels that expansions made and the fast path read as a call of a macro
   * (a recursive macro's calls come back to the same texts, whose arguments are long expressions): a
   * statement of the name alone, all a call needs, for when the same text comes and the name is a
   * macro's still. Bounded as `lexed`. */
  private readonly callLines = new Map<string, Statement>();
  /** The parse of those lines' tokens (the visitor makes a fresh statement of it each time). */
  private readonly keptTokens = new WeakSet<IToken[]>();
  private readonly parsed = new WeakMap<IToken[], LineParse>();
  private aborted = false;
  /** The expansion stopped early (an exhausted budget, runaway recursion): what it made is not whole. */
  get stopped(): boolean {
    return this.aborted;
  }

  constructor(private readonly opts: ExpandOptions) {}

  /** Expand one top-level file. */
  file(path: string, text: string): void {
    this.includeStack.push(resolve(path));
    this.text(path, text);
    this.includeStack.pop();
    if (this.conds.length > 0 && !this.aborted) this.error('unterminated-if', `.if without .endif`, { file: path, line: 0 });
  }

  /** Report an error; one at a place no statement made (no `from`) is in the expansion in progress. */
  private error(code: string, message: string, where: Partial<Loc> & { file: string }): void {
    if (this.diagnostics.filter((d) => d.severity === 'error').length >= MAX_ERRORS_PER_FILE) {
      this.aborted = true;
      return;
    }
    this.diagnostics.push(diag(code, message, 'from' in where ? where : { ...where, from: this.ctx }));
  }

  /** Expand a text of `file`: the whole file, or what a macro or repetition made, whose line k (from 1)
   * is line at[k - 1] of the file. */
  private text(file: string, text: string, at?: number[]): void {
    if (text.includes('/*')) {
      // Block comments may span lines: lex the whole text at once.
      const { lines, diagnostics } = lexSource(file, text, at && ((n) => at[n - 1] ?? 0), this.ctx);
      this.diagnostics.push(...diagnostics);
      this.lines(file, lines.map((l) => [l]));
      return;
    }
    // Line by line, each statement handed on as soon as it is made: the fast path takes most lines,
    // the others are lexed on their own.
    // Lines are cut from the text one at a time, so each is garbage once handled; the fast path reads
    // them in place.
    let pos = 0;
    let k = 0;
    let start = 0;
    let end = 0;
    /** Cut the next line: the text from start to end; false at the end of the text. */
    const cut = (): boolean => {
      if (pos > text.length) return false;
      start = pos;
      end = text.indexOf('\n', pos);
      if (end < 0) end = text.length;
      pos = end + 1;
      k++;
      return true;
    };
    // A fast line is handed over in this one reused array: lines() finishes a group before asking again.
    const single: SourceLine[] = [{ tokens: NO_TOKENS, line: 0, text: '' }];
    const from = this.ctx;
    const next = (): SourceLine[] | undefined => {
      const { inert, position } = this.opts;
      while (cut()) {
        const line = at ? at[k - 1]! : k;
        if (this.aborted) {
          // lines() has always asked for one more line after an error stopped the expansion: it is read
          // (an error the lexer finds in it is reported), not assembled
          if (!fastLine(text, file, line, from, start, end)) this.lex(file, text.slice(start, end), line, at !== undefined);
          return undefined;
        }
        // (fastWord first: most lines of code are its, and none of them is a directive, which quickLine reads)
        let fast = fastWord(text, file, line, from, start, end);
        if (!fast) {
          const quick = this.macros.size === 0 ? quickLine(text, start, end, inert) : undefined;
          if (quick === 'inert' || (quick === 'loc' && position && this.active() && position(LOC.file, LOC.line))) {
            if (this.active()) this.count(file, line);
            continue;
          }
          const head = structuralHead(text, start, end);
          if (head > 0) {
            // lines() reads it from tokens: the fast path would read it for nothing (a recursive macro's
            // `.if` of a long expression)
            if (!plainBlock(text, start, head, end)) return this.lex(file, text.slice(start, end), line, at !== undefined).map((l) => ({ ...l, line }));
            // only the directive is lexed: the rest is plain text, which the lexer would take without an
            // error, and which block() reads as text (an .irp of a million values is two million tokens)
            const { lines } = lexSource(file, text.slice(start, head), () => line, this.ctx);
            return [{ tokens: lines[0]!.tokens, line, text: text.slice(start, end).trim() }];
          }
          if (at !== undefined && this.macros.size > 0) {
            // a macro call an expansion made, read before: only its name matters (invoke() reads the text)
            const call = this.callLines.get(text.slice(start, end));
            if (call !== undefined && this.macros.has(call.name!)) {
              const l = single[0]!;
              l.line = line;
              l.text = text.slice(start, end);
              l.fast = call;
              return single;
            }
          }
          // (the fast path leaves a line with a `;` outside strings and comments, which is several statements)
          fast = fastLine(text, file, line, from, start, end);
          if (at !== undefined && fast && fast.labels.length === 0 && fast.name !== undefined && this.macros.has(fast.name) && !structural(fast.name) && end - start <= 200) {
            if (this.callLines.size >= 1000) this.callLines.clear();
            this.callLines.set(text.slice(start, end), statementOf([], fast.name));
          }
        }
        if (!fast || structural(fast.name)) return this.lex(file, text.slice(start, end), line, at !== undefined).map((l) => ({ ...l, line }));
        if (fast.name === undefined && fast.labels.length === 0) continue; // a blank line or a comment
        if (this.macros.size === 0) {
          // what lines() would do with it, when no macro can be called: most lines, handled here (then
          // the next line, as lines() would ask for it)
          if (this.conds.length === 0 || this.active()) this.place(file, line, fast);
          continue;
        }
        const l = single[0]!; // reused: lines() is done with it before asking for the next line
        l.line = line;
        l.text = text.slice(start, end); // for a macro call
        l.fast = fast;
        return single;
      }
      return undefined;
    };
    const raw = () => (cut() ? { text: text.slice(start, end), line: at ? at[k - 1]! : k } : undefined);
    this.lines(file, { next, raw });
  }

  /** The parse of a line's tokens, from the cache when they are kept tokens. */
  private parse(tokens: IToken[]): LineParse {
    let p = this.parsed.get(tokens);
    if (!p) {
      p = parseLine(tokens);
      if (this.keptTokens.has(tokens)) this.parsed.set(tokens, p);
    }
    return p;
  }

  /** The logical lines of one physical line; those of a short line an expansion made are kept for the
   * next time the same text comes (the tokens do not depend on where the line is). */
  private lex(file: string, raw: string, line: number, expanded: boolean): SourceLine[] {
    const known = expanded ? this.lexed.get(raw) : undefined;
    if (known) return known;
    const { lines, diagnostics } = lexSource(file, raw, () => line, this.ctx);
    this.diagnostics.push(...diagnostics);
    if (expanded && diagnostics.length === 0 && raw.length <= 200) {
      if (this.lexed.size >= 1000) this.lexed.clear();
      this.lexed.set(raw, lines);
      for (const l of lines) this.keptTokens.add(l.tokens);
    }
    return lines;
  }

  private active(): boolean {
    return this.conds.length === 0 || this.conds[this.conds.length - 1]!.active;
  }

  /**
   * Process lines from a source: `next` gives the logical lines of the next physical line; `raw` gives
   * the next physical line's text without reading it (for the bodies of .macro and .rept).
   */
  private lines(file: string, src: LineSource | SourceLine[][]): void {
    const source: LineSource = Array.isArray(src) ? arraySource(src) : src;
    for (let group = source.next(); group && !this.aborted; group = source.next()) {
      for (const l of group) {
        const line = l.line;
        if (l.fast) {
          // An instruction or a directive that is not structural: only macros and conditionals concern it here.
          if (this.conds.length > 0 && !this.active()) continue;
          const macro = this.macros.size > 0 ? this.macros.get(l.fast.name ?? '') : undefined;
          if (macro) {
            if (l.fast.labels.length > 0) this.place(file, line, statementOf(l.fast.labels)); // labels before a macro call
            this.invoke(macro, file, line, l);
          } else this.statement(file, line, l);
          continue;
        }
        const head = headIndex(l.tokens);
        const name = l.tokens[head]?.image.toLowerCase() ?? '';
        if (COND_OPEN.has(name) || name === '.else' || name === '.elseif' || name === '.endif') {
          this.conditional(file, line, name, l, head);
          continue;
        }
        if (!this.active()) continue;
        if (head > 0 && head < l.tokens.length && (BLOCK_OPEN.has(name) || this.macros.has(l.tokens[head]!.image))) {
          this.statement(file, line, { ...l, tokens: l.tokens.slice(0, head), fast: undefined }); // the labels before it
        }
        if (BLOCK_OPEN.has(name)) {
          // The tokens after the directive are not read (a .irp/.irpc/.macro line's arguments are text;
          // a .rept count is short): they go now rather than live through the whole expansion (an .irp
          // of a million values has two million). The group's lines are this pass's own (next() copies
          // the lexer's).
          if (name !== '.rept') l.tokens = l.tokens.slice(0, head + 1);
          this.block(file, source, l, head, name);
          break;
        }
        if (name === '.endm' || name === '.endr') {
          this.error('unmatched-end', `${name} without a matching ${name === '.endm' ? '.macro' : '.rept/.irp'}`, { file, line, column: l.tokens[head]!.startColumn });
          continue;
        }
        const macro = this.macros.get(l.tokens[head]?.image ?? '');
        if (macro) {
          this.invoke(macro, file, line, l);
          continue;
        }
        this.statement(file, line, l);
      }
    }
  }

  private statement(file: string, line: number, l: SourceLine): void {
    if (l.fast) return this.place(file, line, l.fast);
    const tokens = grammarTokens(l.tokens);
    const parsed = tokens !== l.tokens ? parseLine(tokens) : this.parse(l.tokens);
    if (parsed.errors.length > 0) {
      const e = parsed.errors[0]!;
      const t = e.token;
      const at = t.image ? `'${t.image}'` : 'the end of the line';
      const col = t.image ? t.startColumn : (l.tokens[l.tokens.length - 1]!.endColumn ?? 0) + 1;
      this.error('syntax', `syntax error: unexpected ${at}${hint(e.message)}`, { file, line, column: col, span: t.image.length || 1 });
      return;
    }
    let st: Statement;
    try {
      st = toStatement(parsed.cst, file, line, this.ctx);
    } catch (e) {
      if (e instanceof ExprError) return this.error(e.code, e.message, e.loc);
      throw e;
    }
    this.place(file, line, st);
  }

  /** Rename local labels, record assignments, follow includes, and emit the statement. */
  private place(file: string, line: number, st: Statement): void {
    if (!this.count(file, line)) return;
    // an instruction fastWord encoded has no labels and no symbols, and is no directive: only handed on
    if (st.words === undefined && !this.prepare(file, line, st)) return;
    const p = this.placed;
    p.st = st;
    p.file = file;
    p.line = line;
    p.from = this.ctx;
    this.opts.emit(p);
  }

  /** Rename a statement's local labels, record an assignment; false when it is done with (an error, an
   * include followed). */
  private prepare(file: string, line: number, st: Statement): boolean {
    // (indexed loops here and below: they run for every line, and an iterator is slow until the JIT
    // has compiled the loop, which is much of a run)
    for (let k = 0; k < st.labels.length; k++) {
      const lab = st.labels[k]!;
      const c = lab.name.charCodeAt(0);
      if (c >= 48 && c <= 57) {
        // a numeric label (a label is a name or all digits)
        const n = (this.localCounts.get(lab.name) ?? 0) + 1;
        this.localCounts.set(lab.name, n);
        lab.name = `${lab.name}\u0000${n}`;
      }
      this.defined.push(lab.name);
    }
    const bad = this.renameLocals(st);
    if (bad) {
      this.error('macro-arg', `'${bad.name}' used outside a macro`, bad.loc);
      return false;
    }
    if (this.constants.size > 0) this.foldConstants(st);
    const dname = st.name?.charCodeAt(0) === 46 /* . */ ? lowerName(st.name) : undefined;
    if (st.assign || dname === '.equ' || dname === '.set' || dname === '.equiv') {
      this.assignment(file, line, st);
    }
    if (dname !== '.include') return true;
    this.include(file, line, st);
    return false;
  }

  /** Count a statement; false past MAX_STATEMENTS (after an error: the expansion stops). */
  private count(file: string, line: number): boolean {
    if (this.emitted++ < MAX_STATEMENTS) return true;
    this.error('too-large', `the program expands to more than ${MAX_STATEMENTS} statements`, { file, line });
    this.aborted = true;
    return false;
  }

  /** `.equ name, expr` / `.set` / `name = expr`: remember for .if and folding; layout defines the symbol. */
  private assignment(file: string, line: number, st: Statement): void {
    if (st.assign) return this.define(st.name!, st.assign);
    const [sym, value] = st.operands;
    if (!sym || sym.kind !== 'expr' || sym.e.k !== 'sym' || !value || value.kind !== 'expr') {
      this.error('bad-directive', `${st.name} expects a symbol name and an expression`, st.nameLoc ?? { file, line });
      return;
    }
    if (st.name!.toLowerCase() === '.equiv' && this.isDefined(sym.e.name)) {
      this.error('duplicate-symbol', `symbol '${sym.e.name}' is already defined`, sym.loc);
    }
    this.define(sym.e.name, value.e);
  }

  private define(name: string, value: Expr): void {
    this.equs.set(name, value);
    this.labelsSeen.add(name);
    // The value was folded already (`.set i, i + 1` reads the i in force), so constant means symbol-free.
    let v: bigint | undefined;
    if (symbolsOf(value).length === 0) {
      try {
        v = evaluate(value, NO_SYMBOLS);
      } catch {
        // not a constant (division by zero): reported where it is used
      }
    }
    if (v === undefined) this.constants.delete(name);
    else this.constants.set(name, v);
  }

  /** Replace uses of constant .equ/.set symbols by their values, except where a directive names symbols. */
  private foldConstants(st: Statement): void {
    const dname = st.name?.charCodeAt(0) === 46 /* . */ ? lowerName(st.name) : '';
    if (NAMING.has(dname)) return;
    // A register named like a symbol stays a register, as GNU as reads registers first.
    const value = (name: string) => {
      const v = this.constants.get(name);
      return v !== undefined && xreg(name) === undefined && vreg(name) === undefined ? v : undefined;
    };
    if (st.assign) st.assign = substitute(st.assign, value);
    st.operands.forEach((o, k) => {
      if (k === 0 && DEFINING.has(dname)) return;
      if (o.kind === 'expr') o.e = substitute(o.e, value);
      else if (o.kind === 'mem' && o.offset) o.offset = substitute(o.offset, value);
    });
  }

  /** Rename numeric local label references (`1b`, `1f`) in place; returns a stray macro argument if any. */
  private renameLocals(st: Statement): { name: string; loc: Loc } | undefined {
    let bad = this.renameIn(st.assign);
    for (let k = 0; k < st.operands.length; k++) {
      const o = st.operands[k]!;
      if (o.kind === 'expr') bad ??= this.renameIn(o.e);
      else if (o.kind === 'mem') bad ??= this.renameIn(o.offset) ?? this.renameIn(o.base);
    }
    return bad;
  }

  /** Rename local label references in one expression; returns a stray macro argument if any. */
  private renameIn(e: Expr | undefined): { name: string; loc: Loc } | undefined {
    if (!e) return undefined;
    if (e.k === 'sym') {
      const c = e.name.charCodeAt(0);
      if (c !== 92 /* \ */ && (c < 48 || c > 57)) return undefined; // neither a local label nor a macro argument
      const m = /^([0-9]+)([bf])$/.exec(e.name);
      if (m) {
        const n = this.localCounts.get(m[1]!) ?? 0;
        e.name = `${m[1]}\u0000${m[2] === 'b' ? n : n + 1}`;
      } else if (e.name.startsWith('\\')) return { name: e.name, loc: e.loc };
      return undefined;
    }
    if (e.k === 'bin') {
      const a = this.renameIn(e.a);
      const b = this.renameIn(e.b);
      return a ?? b;
    }
    return e.k === 'un' || e.k === 'reloc' ? this.renameIn(e.a) : undefined;
  }

  /** Value of an expression made of numbers and .equ symbols, for .if and .rept. */
  absolute(e: Expr, file: string): bigint {
    // (`li rd, 5`, `li rd, -5`: most are numbers)
    if (e.k === 'num') return e.v;
    if (e.k === 'un' && e.a.k === 'num') return evaluate(e, NO_SYMBOLS);
    const visiting = new Set<string>();
    const env = {
      dot: 0n,
      symbol: (name: string, loc: Loc): bigint | undefined => {
        const def = this.equs.get(name);
        if (!def) {
          if (this.isDefined(name)) throw new ExprError(`'${displayName(name)}' is a label: its address is not known while expanding`, loc, 'not-absolute');
          return undefined;
        }
        if (visiting.has(name)) throw new ExprError(`symbol '${name}' is defined in terms of itself`, loc, 'circular');
        visiting.add(name);
        const v = evaluate(def, env);
        visiting.delete(name);
        return v;
      },
    };
    void file;
    return evaluate(e, env);
  }

  private conditional(file: string, line: number, name: string, l: SourceLine, head: number): void {
    const where = { file, line, column: l.tokens[head]!.startColumn };
    if (name === '.endif') {
      if (!this.conds.pop()) this.error('unmatched-endif', '.endif without .if', where);
      return;
    }
    if (name === '.else' || name === '.elseif') {
      const c = this.conds[this.conds.length - 1];
      if (!c) return this.error('unmatched-else', `${name} without .if`, where);
      if (name === '.else') {
        c.active = c.outer && !c.taken;
        c.taken = true;
        return;
      }
      const v = c.outer && !c.taken ? this.condValue(file, line, '.if', l) : false;
      c.active = v;
      c.taken ||= v;
      return;
    }
    const outer = this.active();
    const v = outer ? this.condValue(file, line, name, l) : false;
    this.conds.push({ active: v, taken: v, outer });
  }

  private condValue(file: string, line: number, name: string, l: SourceLine): boolean {
    if (/^\.if(n?def|n?b|n?c)$/.test(name)) {
      const args = rawArgs(l.text.replace(/^\s*\S+/, ''));
      if (name === '.ifdef' || name === '.ifndef') {
        const sym = args[0] ?? '';
        const defined = this.isDefined(sym) || this.equs.has(sym);
        return name === '.ifdef' ? defined : !defined;
      }
      if (name === '.ifb' || name === '.ifnb') return (args.length === 0 || args[0] === '') === (name === '.ifb');
      return ((args[0] ?? '') === (args[1] ?? '')) === (name === '.ifc');
    }
    // an expression of numbers alone has one value: a recursive macro's `.if \n` comes back to the same texts
    let v = this.constantIfs.get(l.text);
    if (v === undefined) {
      const parsed = this.parse(l.tokens);
      if (parsed.errors.length > 0) {
        this.error('syntax', `${name} expects an expression`, { file, line, column: l.tokens[0]!.startColumn });
        return false;
      }
      const st = toStatement(parsed.cst, file, line, this.ctx);
      const op = st.operands[0];
      if (!op || op.kind !== 'expr') {
        this.error('bad-directive', `${name} expects an expression`, { file, line, column: l.tokens[0]!.startColumn });
        return false;
      }
      this.renameLocals(st);
      try {
        v = this.absolute(op.e, file);
      } catch (e) {
        if (e instanceof ExprError) this.error(e.code, e.message, e.loc);
        else throw e;
        return false;
      }
      if (symbolsOf(op.e).length === 0 && l.text.length <= 200) {
        if (this.constantIfs.size >= 1000) this.constantIfs.clear();
        this.constantIfs.set(l.text, v);
      }
    }
    switch (name) {
      case '.ifeq': return v === 0n;
      case '.ifgt': return v > 0n;
      case '.ifge': return v >= 0n;
      case '.iflt': return v < 0n;
      case '.ifle': return v <= 0n;
      default: return v !== 0n;
    }
  }

  /** Collect a .macro/.rept/.irp/.irpc body, as raw lines, up to its matching end, then define or repeat. */
  private block(file: string, source: LineSource, open: SourceLine, head: number, kind: string): void {
    const line = open.line;
    const end = BLOCK_CLOSE[kind]!;
    const body: string[] = [];
    const at: number[] = [];
    let nest = 0;
    let closed = false;
    for (let r = source.raw(); r; r = source.raw()) {
      const n = DIRECTIVE_HEAD.exec(r.text)?.[1]?.toLowerCase() ?? '';
      if (BLOCK_OPEN.has(n) && BLOCK_CLOSE[n] === end) nest++;
      if (n === end || (end === '.endm' && n === '.endmacro')) {
        if (nest === 0) {
          closed = true;
          break;
        }
        nest--;
      }
      body.push(r.text);
      at.push(r.line);
    }
    const where = { file, line, column: open.tokens[head]!.startColumn };
    if (!closed) return this.error('unterminated-block', `${kind} without ${end}`, where);
    const argText = open.text.slice(open.text.toLowerCase().indexOf(kind) + kind.length);
    if (kind === '.macro') this.defineMacro(file, line, argText, body, at, where);
    else this.repeat(file, line, kind, argText, body, at, open, where);
  }

  private defineMacro(file: string, line: number, argText: string, body: string[], at: number[], where: { file: string; line: number; column?: number }): void {
    const m = /^\s*([A-Za-z_.$][\w.$]*)\s*,?(.*)$/.exec(argText);
    if (!m) return this.error('bad-macro', '.macro needs a name', where);
    const name = m[1]!;
    const params = rawArgs(m[2]!).map((p) => {
      const [lhs, def] = p.split('=').map((s) => s.trim());
      const [pname, qual] = (lhs ?? '').split(':');
      return { name: pname ?? '', def, required: qual === 'req', vararg: qual === 'vararg' };
    });
    this.macros.set(name, { name, params, body, lines: at, file, line });
  }

  private invoke(m: Macro, file: string, line: number, l: SourceLine): void {
    if (this.depth >= MAX_MACRO_DEPTH) {
      this.error('macro-recursion', `macro recursion deeper than ${MAX_MACRO_DEPTH} (is '${m.name}' calling itself?)`, { file, line, column: 1 });
      this.aborted = true;
      return;
    }
    const args = rawArgs(l.text.slice(l.text.indexOf(m.name) + m.name.length));
    const values = new Map<string, string>();
    for (let k = 0; k < m.params.length; k++) {
      const p = m.params[k]!;
      let v = p.vararg ? args.slice(k).join(', ') : args[k];
      const named = args.find((a) => a.startsWith(`${p.name}=`));
      if (named) v = named.slice(p.name.length + 1);
      if ((v === undefined || v === '') && p.required) {
        this.error('macro-arg', `macro '${m.name}' needs a value for parameter '${p.name}'`, { file, line, column: 1 });
        return;
      }
      values.set(p.name, v ?? p.def ?? '');
    }
    const counter = String(this.macroCounter++);
    const value = (all: string, n: string) => (n === '@' ? counter : n === '()' ? '' : (values.get(n) ?? all));
    const text = m.body.map((b) => b.replace(MACRO_ARG, value)).join('\n');
    const body = { file: m.file, texts: m.body, lines: m.lines, re: MACRO_ARG, value };
    this.expand({ what: `macro '${m.name}'`, file, line, parent: this.ctx, body }, m.file, text, m.lines);
  }

  private repeat(file: string, line: number, kind: string, argText: string, body: string[], at: number[], open: SourceLine, where: { file: string; line: number; column?: number }): void {
    const bodyText = body.join('\n');
    if (kind === '.rept') {
      const parsed = parseLine(open.tokens);
      const st = parsed.errors.length === 0 ? toStatement(parsed.cst, file, line, this.ctx) : undefined;
      const op = st?.operands[0];
      if (!op || op.kind !== 'expr') return this.error('bad-directive', '.rept expects a count', where);
      let n: bigint;
      try {
        n = this.absolute(op.e, file);
      } catch (e) {
        if (e instanceof ExprError) return this.error(e.code, e.message, e.loc);
        throw e;
      }
      if (n < 0n || n * BigInt(Math.max(1, body.length)) > BigInt(MAX_STATEMENTS)) {
        return this.error('too-large', `.rept count ${n} is out of range 0..${Math.floor(MAX_STATEMENTS / Math.max(1, body.length))}`, where);
      }
      for (let k = 1n; k <= n && !this.aborted; k++) this.expand({ what: '.rept', file, line, iteration: Number(k), parent: this.ctx }, file, bodyText, at);
      return;
    }
    const args = rawArgs(argText);
    const sym = args.shift();
    if (!sym) return this.error('bad-directive', `${kind} expects a symbol and values`, where);
    const values = kind === '.irp' ? args : [...(args[0] ?? '')];
    const re = new RegExp(`\\\\${sym.replace(/[$.]/g, '\\$&')}(?![\\w])|\\\\\\(\\)`, 'g');
    for (const [k, v] of values.entries()) {
      if (this.aborted) return;
      const value = (m: string) => (m === '\\()' ? '' : v);
      const made = { file, texts: body, lines: at, re, value };
      this.expand({ what: kind, file, line, iteration: k + 1, symbol: sym, value: v, parent: this.ctx, body: made }, file, bodyText.replace(re, value), at);
    }
  }

  /** Spend the run's expansion budget on `text` (`lines` lines) that expansion x makes; false past it,
   * after an error at x naming the expansions in progress (the run stops expanding). */
  private spend(x: Expansion, text: string, lines: number): boolean {
    this.expandedLines += Math.max(1, lines); // an empty body costs a line: `.rept` of `.rept` of nothing is not free
    this.expandedBytes += text.length;
    const { lines: maxLines, bytes: maxBytes } = this.budget;
    if (this.expandedLines <= maxLines && this.expandedBytes <= maxBytes) return true;
    const over = this.expandedLines > maxLines ? `${maxLines} lines` : `${maxBytes} bytes`;
    this.error('too-large', `macros, repetitions and includes made more than ${over} of source (the expansion budget; --max-expansion raises it): ${describeExpansion(x)}`, { file: x.file, line: x.line, column: 1, from: x.parent });
    this.aborted = true;
    return false;
  }

  /** Assemble the text expansion x made, lines `at` of `file`, spending the run's expansion budget. */
  private expand(x: Expansion, file: string, text: string, at: number[]): void {
    if (!this.spend(x, text, at.length)) return;
    this.ctx = x;
    this.depth++;
    this.text(file, text, at);
    this.depth--;
    this.ctx = x.parent;
  }

  private include(file: string, line: number, st: Statement): void {
    const arg = st.operands[0];
    if (!arg || arg.kind !== 'string') return this.error('bad-directive', '.include expects a file name in quotes', st.nameLoc ?? { file, line });
    const name = new TextDecoder().decode(arg.bytes);
    const candidates = isAbsolute(name) ? [name] : [join(dirname(file), name), resolve(name)];
    let path: string | undefined;
    let text: string | undefined;
    for (const c of candidates) {
      text = this.opts.readFile(c);
      if (text !== undefined) {
        path = c;
        break;
      }
    }
    if (path === undefined || text === undefined) {
      const why = candidates.map(sourceProblem).find((w) => w !== undefined && w !== 'no such file') ?? 'no such file';
      return this.error('include-missing', `cannot read included file '${name}': ${why}`, arg.loc);
    }
    const full = resolve(path);
    if (this.includeStack.includes(full)) {
      const cycle = [...this.includeStack.slice(this.includeStack.indexOf(full)), full].map((p) => p.split('/').pop()).join(' -> ');
      return this.error('include-cycle', `.include cycle: ${cycle}`, arg.loc);
    }
    if (this.includeStack.length > 64) return this.error('include-depth', '.include nested more than 64 deep', arg.loc);
    // included text spends the budget too (a file that includes the next ones several times)
    const x: Expansion = { what: `.include "${name}"`, file, line, parent: this.ctx };
    if (!this.spend(x, text, text.split('\n').length)) return;
    this.includeStack.push(full);
    this.ctx = x;
    this.text(path, text);
    this.ctx = x.parent;
    this.includeStack.pop();
  }
}

/** The directives lines() reads from tokens (conditionals and blocks); the fast path leaves them. */
const STRUCTURAL = new Set([...COND_OPEN, '.else', '.elseif', '.endif', ...BLOCK_OPEN, '.endm', '.endr']);
const structural = (name: string | undefined): boolean => name?.charCodeAt(0) === 46 /* . */ && STRUCTURAL.has(lowerName(name));

const NO_TOKENS: IToken[] = [];
/** What an expression without symbols evaluates in. */
const NO_SYMBOLS = { dot: 0n, symbol: () => undefined };

/** A stream of source lines (see Expander.lines). */
interface LineSource {
  next(): SourceLine[] | undefined;
  raw(): { text: string; line: number } | undefined;
}

function arraySource(groups: SourceLine[][]): LineSource {
  let k = 0;
  return {
    next: () => groups[k++],
    raw: () => {
      const g = groups[k++];
      return g && g[0] ? { text: g[0].text, line: g[0].line } : g ? { text: '', line: 0 } : undefined;
    },
  };
}

/** A use of a macro parameter in a body (`\\name`), `\\@` (the expansion counter) or `\\()` (nothing). */
const MACRO_ARG = /\\([A-Za-z_][\w]*|@|\(\))/g;

/** Directives whose operands name symbols or sections (never folded to values), and those whose first does. */
const NAMING = new Set(['.globl', '.global', '.weak', '.local', '.hidden', '.protected', '.internal', '.type', '.section', '.pushsection']);
const DEFINING = new Set(['.set', '.equ', '.equiv', '.size', '.comm', '.lcomm']);

/** The tokens the grammar reads for a line: those of .file and .loc, whose operands GNU as separates by
 * spaces (`.file 1 "dir" "x.c" md5 0x...`, `.loc 1 17 3 is_stmt 0`), with commas put in. */
export function grammarTokens(tokens: IToken[]): IToken[] {
  const head = headIndex(tokens);
  const name = tokens[head]?.image.toLowerCase() ?? '';
  return SPACED.has(name) ? withCommas(tokens, head) : name === '.insn' ? withFormat(tokens, head) : tokens;
}

/** Tokens that may start the first operand after `.insn`'s format word (an operator or `(` after a word
 * continues an expression: `.insn x + 4` is a value). */
const AFTER_FORMAT = new Set<TokenType>([Identifier, DecNumber, HexNumber, BinNumber, CharLit, Tilde]);

/** `.insn r OP, ...`, GNU's format word after the directive: it joins the statement's name, `.insn r`
 * (assembler/insn-directive.ts). */
function withFormat(tokens: IToken[], head: number): IToken[] {
  const word = tokens[head + 1];
  const next = tokens[head + 2];
  if (word?.tokenType !== Identifier || !next || !AFTER_FORMAT.has(next.tokenType)) return tokens;
  const name = { ...tokens[head]!, image: `${tokens[head]!.image} ${word.image}`, endOffset: word.endOffset, endColumn: word.endColumn };
  return [...tokens.slice(0, head), name, ...tokens.slice(head + 2)];
}

/** The tokens with a comma wherever a space separates two operands (after the directive at `head`). */
function withCommas(tokens: IToken[], head: number): IToken[] {
  const out: IToken[] = [];
  tokens.forEach((t, k) => {
    const prev = tokens[k - 1];
    if (k > head + 1 && prev!.tokenType !== Comma && t.tokenType !== Comma && t.startOffset > (prev!.endOffset ?? prev!.startOffset) + 1) {
      out.push({ ...prev!, image: ',', tokenType: Comma, tokenTypeIdx: Comma.tokenTypeIdx! });
    }
    out.push(t);
  });
  return out;
}

/** Characters the lexer reads in any order without an error, none of them a line break, a `;` or the
 * start of a comment or of a literal: names, numbers, commas, spaces, + - * ( ). */
const PLAIN = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.$ \t,+-*()') PLAIN[c.charCodeAt(0)] = 1;

/** Where the directive ends, when the line t[start, end) starts with one lines() reads from tokens (a
 * conditional or a block, not after a label); else 0. */
function structuralHead(t: string, start: number, end: number): number {
  let p = start;
  while (p < end && (t.charCodeAt(p) === 32 || t.charCodeAt(p) === 9)) p++;
  if (t.charCodeAt(p) !== 46 /* . */) return 0;
  const s = p;
  for (let c = t.charCodeAt(++p); p < end && (isWordChar(c) || c === 46 || c === 36); c = t.charCodeAt(++p));
  if (p - s > 8 || !STRUCTURAL.has(t.slice(s, p).toLowerCase())) return 0;
  let q = p;
  while (q < end && (t.charCodeAt(q) === 32 || t.charCodeAt(q) === 9)) q++;
  return t.charCodeAt(q) === 58 /* : a label */ ? 0 : p;
}

/** Whether the line t[start, end), whose directive ends at head, is an `.irp`, `.irpc` or `.macro`
 * followed by plain text only. */
function plainBlock(t: string, start: number, head: number, end: number): boolean {
  const name = t.slice(start, head).trim().toLowerCase();
  if (name !== '.irp' && name !== '.irpc' && name !== '.macro') return false;
  for (let q = head; q < end; q++) if (PLAIN[t.charCodeAt(q)] !== 1) return false;
  return true;
}

/** [A-Za-z0-9_] */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** The directive a raw line starts with, after any labels. */
const DIRECTIVE_HEAD = /^\s*(?:[A-Za-z_.$0-9][\w.$]*:\s*)*(\.[A-Za-z_]\w*)/;

/** Index of the first token after any `label:` prefixes. */
function headIndex(tokens: IToken[]): number {
  let i = 0;
  while (i + 1 < tokens.length && (tokens[i]!.tokenType === Identifier || tokens[i]!.tokenType === DecNumber) && tokens[i + 1]!.tokenType === Colon) i += 2;
  return i;
}

/** Split directive/macro arguments: by commas at depth 0 (outside quotes and parentheses), else by spaces. */
export function rawArgs(text: string): string[] {
  const s = text.replace(/\s+#.*$/, '').trim();
  if (s === '') return [];
  const parts: string[] = [];
  let cur = '';
  let depth = 0;
  let quote = false;
  let sawComma = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      cur += c;
      if (c === '\\') cur += s[++i] ?? '';
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
      sawComma = true;
      continue;
    }
    cur += c;
  }
  parts.push(cur.trim());
  if (!sawComma && parts.length === 1) {
    // GNU also accepts space-separated macro arguments.
    const words = parts[0]!.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
    if (words.length > 1 && !/[-+*/%&|^<>=()]/.test(parts[0]!.replace(/"(?:[^"\\]|\\.)*"/g, ''))) return words;
  }
  return parts;
}

function hint(message: string): string {
  if (/expecting EOF/i.test(message) || /Redundant input/i.test(message)) return ' (missing comma?)';
  return '';
}
