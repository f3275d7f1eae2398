// A fast path for the lines most programs are made of: labels, then an instruction whose operands are
// registers, symbols, integers (optionally negated) and `int(reg)` / `(reg)` memory operands, or a data
// directive (.byte ... .dword) of integers and symbols. Such a line becomes exactly the Statement that the
// Chevrotain grammar and visitor would build (test/assembler/fastline.test.ts checks this on generated
// lines), without tokens or a CST: a .byte line of a million values costs its values, not a parse tree.
// Anything else (other directives, expressions, strings, %relocations, `;`) returns undefined and goes
// through the grammar.
// It runs for almost every line, so it is written as a plain scanner over module-level state.
import type { Expansion } from './diagnostics.js';
import type { Expr, Loc } from './expr.js';
import type { Operand, Statement } from './visitor.js';

// Character classes by char code.
const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 36;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** BigInts of small literals, made once: most immediates are small, and each BigInt is a heap object. */
const SMALL: bigint[] = Array.from({ length: 4096 }, (_, k) => BigInt(k));

/** The data directives whose plain lists the fast path takes. */
const DATA = new Set(['.byte', '.half', '.short', '.2byte', '.word', '.long', '.int', '.4byte', '.dword', '.quad', '.8byte']);

/** The labels of every line that has none (most lines): shared, never changed. */
const NO_LABELS: { name: string; loc: Loc }[] = Object.freeze([]) as unknown as { name: string; loc: Loc }[];

// The line being scanned.
let text = '';
let i = 0;
let n = 0;
let file = '';
let line = 0;
let from: Expansion | undefined;

const loc = (start: number, end: number): Loc => ({ file, line, column: start + 1, span: Math.max(1, end - start), from });

function skipSpace(): void {
  for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 13; c = text.charCodeAt(++i));
}

function atEnd(): boolean {
  const c = text.charCodeAt(i);
  return i >= n || c === 35 /* # */ || (c === 47 /* / */ && text.charCodeAt(i + 1) === 47);
}

function ident(): string | undefined {
  if (i >= n || !isIdentStart(text.charCodeAt(i))) return undefined;
  const s = i;
  while (i < n && isIdentPart(text.charCodeAt(i))) i++;
  return text.slice(s, i);
}

function digits(): string | undefined {
  const s = i;
  const x = text.charCodeAt(i + 1);
  if (text.charCodeAt(i) === 48 && (x === 120 || x === 88)) {
    i += 2;
    while (i < n && isHex(text.charCodeAt(i))) i++;
    if (i === s + 2) return undefined;
  } else while (i < n && isDigit(text.charCodeAt(i))) i++;
  return i > s ? text.slice(s, i) : undefined;
}

function number(d: string): bigint | undefined {
  if (d.length > 1 && d.charCodeAt(0) === 48) {
    if (d.charCodeAt(1) === 120 || d.charCodeAt(1) === 88) return BigInt(d);
    return /[89]/.test(d) ? undefined : BigInt(`0o${d.slice(1)}`);
  }
  if (d.length <= 4) {
    const k = Number(d);
    if (k < SMALL.length) return SMALL[k];
  }
  return BigInt(d);
}

function primary(): Expr | undefined {
  const s = i;
  if (isDigit(text.charCodeAt(i))) {
    const d = digits();
    if (d === undefined) return undefined;
    const c = text.charCodeAt(i);
    if ((c === 98 || c === 102) /* b f */ && !isIdentPart(text.charCodeAt(i + 1)) && !d.startsWith('0x') && !d.startsWith('0X')) {
      i++;
      return { k: 'sym', name: text.slice(s, i), loc: loc(s, i) };
    }
    if (i < n && isIdentPart(c)) return undefined;
    const v = number(d);
    return v === undefined ? undefined : { k: 'num', v: BigInt.asIntN(64, v), loc: loc(s, i) };
  }
  const id = ident();
  return id === undefined ? undefined : { k: 'sym', name: id, loc: loc(s, i) };
}

/** `(reg)` after an offset, or alone: the base register of a memory operand. */
function base(): { name: string; start: number; end: number } | undefined {
  i++;
  skipSpace();
  const start = i;
  const b = ident();
  const end = i;
  skipSpace();
  if (b === undefined || text.charCodeAt(i) !== 41 /* ) */) return undefined;
  i++;
  return { name: b, start, end };
}

function operand(): Operand | undefined {
  const s = i;
  if (text.charCodeAt(i) === 40 /* ( */) {
    // `(reg)`: a parenthesised symbol, which the visitor turns into a memory operand.
    const b = base();
    if (!b) return undefined;
    const l = loc(s, i);
    return { kind: 'mem', base: { k: 'sym', name: b.name, loc: l, paren: false }, loc: l };
  }
  let e: Expr | undefined;
  if (text.charCodeAt(i) === 45 /* - */) {
    i++;
    const a = primary();
    if (!a || a.k !== 'num') return undefined;
    const l = loc(s, s + 1);
    l.span = a.loc.column + a.loc.span - l.column;
    e = { k: 'un', op: '-', a, loc: l };
  } else e = primary();
  if (!e) return undefined;
  skipSpace();
  if (text.charCodeAt(i) !== 40) return { kind: 'expr', e, loc: e.loc };
  const b = base();
  if (!b) return undefined;
  const baseExpr: Expr = { k: 'sym', name: b.name, loc: loc(b.start, b.end) };
  const l = e.loc;
  return { kind: 'mem', offset: e, base: baseExpr, loc: { file: l.file, line: l.line, column: l.column, span: l.span + baseExpr.loc.span + 2, from } };
}

export function fastLine(lineText: string, fileName: string, lineNumber: number, expansion?: Expansion): Statement | undefined {
  text = lineText;
  n = lineText.length;
  i = 0;
  file = fileName;
  line = lineNumber;
  from = expansion;

  let labels: { name: string; loc: Loc }[] = NO_LABELS;
  let name: string;
  let nameStart: number;
  for (;;) {
    skipSpace();
    if (atEnd()) return { operands: [], labels };
    const s = i;
    const numeric = isDigit(text.charCodeAt(i));
    const word = numeric ? digits() : ident();
    if (word === undefined) return undefined;
    skipSpace();
    if (text.charCodeAt(i) === 58 /* : */) {
      if (numeric && !/^[0-9]+$/.test(word)) return undefined;
      if (labels === NO_LABELS) labels = [];
      labels.push({ name: word, loc: loc(s, s + word.length) });
      i++;
      continue;
    }
    if (numeric || (word.charCodeAt(0) === 46 /* . */ && !DATA.has(word))) return undefined;
    name = word;
    nameStart = s;
    break;
  }

  const operands: Operand[] = [];
  skipSpace();
  if (text.charCodeAt(i) === 61 /* = */) return undefined;
  const data = DATA.has(name);
  while (!atEnd()) {
    skipSpace();
    const o = operand();
    if (!o || (data && o.kind !== 'expr')) return undefined;
    operands.push(o);
    skipSpace();
    if (atEnd()) break;
    if (text.charCodeAt(i) !== 44 /* , */) return undefined;
    i++;
    skipSpace();
    if (atEnd()) return undefined;
  }
  return { name, nameLoc: loc(nameStart, nameStart + name.length), operands, labels };
}
