// A fast path for the lines programs are made of: labels, then an instruction or a directive whose
// operands are expressions (numbers, symbols, `1b`/`1f`, `.`, %relocations, operators, parentheses),
// `offset(base)` memory operands, strings, `@type`/`%type` words and `sym@plt`; the space-separated
// operands of .file and .loc. Such a line becomes exactly the Statement that the Chevrotain grammar and
// visitor would build (test/assembler/fastline.test.ts checks this on generated lines, gcc output and
// random ones), without tokens or a CST: a .byte line of a million values costs its values, not a parse
// tree. Anything the fast path is not sure of (a character literal, a float, a macro argument, `=`, `;`,
// a malformed line) returns undefined and goes through the grammar, which also reports every error.
// Faster still, without a statement's operands: fastWord, an instruction of registers and integers (or
// `li` of one) with its encoded words; quickLine, a line the expander handles with no statement at all
// (data in a section that is not loaded, .loc).
// It runs for almost every line, so it is written as a plain scanner over module-level state.
import { xreg } from '../isa/registers.js';
import type { Expansion } from './diagnostics.js';
import { RELOC_OPS, type Expr, type Loc, type RelocOp } from './expr.js';
import { quickWord, WORD_INT, WORD_MEM, WORD_REG, WORD_VIEWS, wordForms, type WordForms, type WordOperands } from './insn.js';
import { applyPrecedence, decodeString, statementOf, type Operand, type Statement } from './visitor.js';

// Character classes by char code, from a table: one load and no branches for each character (the
// scanner asks for every one, and until the JIT has compiled it, a call is a call). NaN, past the end of
// the text, reads entry 0; the newline, that entry and every code past ASCII are in no class.
const DIGIT = 1;
const LETTER = 2; // A-Z, a-z, _
const IDENT_START = 4; // a letter, '.', '$'
const IDENT_PART = 8; // an identifier's start or a digit
const HEX = 16;
const CLASSES = new Uint8Array(65536);
for (let c = 0; c < 128; c++) {
  const digit = c >= 48 && c <= 57;
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  const start = letter || c === 46 || c === 36;
  const hex = digit || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
  CLASSES[c] = (digit ? DIGIT : 0) | (letter ? LETTER : 0) | (start ? IDENT_START : 0) | (start || digit ? IDENT_PART : 0) | (hex ? HEX : 0);
}
const isDigit = (c: number) => (CLASSES[c | 0]! & DIGIT) !== 0;
const isLetter = (c: number) => (CLASSES[c | 0]! & LETTER) !== 0;
const isIdentStart = (c: number) => (CLASSES[c | 0]! & IDENT_START) !== 0;
const isIdentPart = (c: number) => (CLASSES[c | 0]! & IDENT_PART) !== 0;
const isHex = (c: number) => (CLASSES[c | 0]! & HEX) !== 0;

/** BigInts of small literals, made once: most immediates are small, and each BigInt is a heap object. */
const SMALL: bigint[] = Array.from({ length: 4096 }, (_, k) => BigInt(k));

/** Directives whose operands GNU as separates by spaces (assembler/expand.ts grammarTokens). */
export const SPACED = new Set(['.file', '.loc']);

/** The labels of every line that has none (most lines): shared, never changed. */
const NO_LABELS: { name: string; loc: Loc }[] = Object.freeze([]) as unknown as { name: string; loc: Loc }[];

/** Thrown where the line leaves the fast path; fastLine then returns undefined. */
const GIVE_UP = new Error('not a fast line');

// The line being scanned.
let text = '';
/** Where the line starts in text, where the scan is, where the line ends. */
let base = 0;
let i = 0;
let n = 0;
let file = '';
let line = 0;
let from: Expansion | undefined;
/** The statement is `call` or `tail`, the only ones whose operand may have `@plt`. */
let callOrTail = false;

const loc = (start: number, end: number): Loc => ({ file, line, column: start - base + 1, span: Math.max(1, end - start), from });

/** Statement names as last read, by a hash of their characters: a name read again is that same string
 * (not a new one), which the passes after look up by reference, its hash computed once; and its lower
 * case (directives and mnemonics are case-insensitive). */
const NAMES: string[] = new Array<string>(1024).fill('');
const LOWERS: string[] = new Array<string>(1024).fill('');
/** The lower case of the name nameAt read last, and its slot. */
let lowerOfName = '';
let slotOfName = 0;
/** The wordForms of each slot's name, once fastWord asked (undefined: not yet). */
const FORMS: (WordForms | null | undefined)[] = new Array<WordForms | null | undefined>(1024).fill(undefined);

/** The name text[s..e), as read before when it was. */
function nameAt(s: number, e: number): string {
  let h = e - s;
  for (let k = s; k < e; k++) h = (h * 31 + text.charCodeAt(k)) | 0;
  const slot = (slotOfName = h & (NAMES.length - 1));
  const c = NAMES[slot]!;
  if (c.length === e - s) {
    let k = 0;
    while (k < c.length && c.charCodeAt(k) === text.charCodeAt(s + k)) k++;
    if (k === c.length) {
      lowerOfName = LOWERS[slot]!;
      return c;
    }
  }
  NAMES[slot] = text.slice(s, e);
  FORMS[slot] = undefined;
  LOWERS[slot] = lowerOfName = lowerName(NAMES[slot]!);
  return NAMES[slot]!;
}

/** Lower case of other names. Bounded (names are few). */
const LOWER = new Map<string, string>();

/** A statement name in lower case (directives and mnemonics are case-insensitive). */
export function lowerName(name: string): string {
  let k = 0;
  for (let c = name.charCodeAt(0); !(c >= 65 && c <= 90) && k < name.length; c = name.charCodeAt(++k));
  if (k === name.length) return name; // (most are)
  let l = LOWER.get(name);
  if (l === undefined) {
    l = name.toLowerCase();
    if (LOWER.size < 10_000) LOWER.set(name, l);
  }
  return l;
}

/** Past the spaces and tabs at p in t (and the CR of a CRLF line end, e the end of the line). A CR
 * elsewhere is a line break to the lexer, which counts columns from it: the grammar's. */
function spaces(t: string, p: number, e: number): number {
  for (let c = t.charCodeAt(p); c === 32 || c === 9 || (c === 13 && p + 1 === e); c = t.charCodeAt(++p));
  return p;
}

/** At the end of the line (e) or a comment. */
function ends(t: string, p: number, e: number): boolean {
  const c = t.charCodeAt(p);
  return p >= e || c === 35 /* # */ || (c === 47 /* / */ && t.charCodeAt(p + 1) === 47);
}

/** Skip spaces; whether there were any. */
function skipSpace(): boolean {
  const s = i;
  i = spaces(text, i, n);
  return i > s;
}

const atEnd = (): boolean => ends(text, i, n);

function expect(c: number): void {
  if (text.charCodeAt(i) !== c) throw GIVE_UP;
  i++;
}

function ident(): string {
  const s = i;
  if (!isIdentStart(text.charCodeAt(i))) throw GIVE_UP;
  while (isIdentPart(text.charCodeAt(++i)));
  return text.slice(s, i);
}

/** The BigInt of a safe integer (of the made ones when small). */
const small = (k: number): bigint => (k < SMALL.length ? SMALL[k]! : BigInt(k));

/** A decimal literal from s to i: a leading 0 means octal (with an 8 or 9 it is an error). */
function decimal(s: number): bigint {
  if (i - s <= 15 && (i - s === 1 || text.charCodeAt(s) !== 48)) return small(Number(text.slice(s, i)));
  const d = text.slice(s, i);
  if (d.length === 1 || d.charCodeAt(0) !== 48) return BigInt.asIntN(64, BigInt(d));
  if (d.includes('8') || d.includes('9')) throw GIVE_UP;
  return BigInt.asIntN(64, BigInt(`0o${d.slice(1)}`));
}

/** A number, or a numeric local label reference (`1b`, `1f`). */
function number(): Expr {
  const s = i;
  const x = text.charCodeAt(i + 1);
  if (text.charCodeAt(i) === 48 && (x === 120 || x === 88) /* 0x */) {
    i += 2;
    while (isHex(text.charCodeAt(i))) i++;
    if (i === s + 2 || isIdentPart(text.charCodeAt(i))) throw GIVE_UP;
    const v = i - s <= 15 ? small(parseInt(text.slice(s + 2, i), 16)) : BigInt.asIntN(64, BigInt(text.slice(s, i)));
    return { k: 'num', v, loc: loc(s, i) };
  }
  while (isDigit(text.charCodeAt(i))) i++;
  const c = text.charCodeAt(i);
  if ((c === 98 || c === 102) /* b f */ && !isIdentPart(text.charCodeAt(i + 1))) {
    i++;
    return { k: 'sym', name: text.slice(s, i), loc: loc(s, i) };
  }
  if (isIdentPart(c)) throw GIVE_UP; // a float, 0b101, 12ab: the grammar's
  return { k: 'num', v: decimal(s), loc: loc(s, i) };
}

/** After `%`: the name of a relocation operator or a type word ([A-Za-z_][A-Za-z0-9_]*). */
function percentName(): string {
  const s = i;
  if (!isLetter(text.charCodeAt(i))) throw GIVE_UP;
  for (let c = text.charCodeAt(++i); isLetter(c) || isDigit(c); c = text.charCodeAt(++i));
  return text.slice(s, i);
}

function primary(): Expr {
  const s = i;
  const c = text.charCodeAt(i);
  if (isDigit(c)) return number();
  if (isIdentStart(c)) {
    const name = ident();
    return { k: 'sym', name, loc: loc(s, i) };
  }
  if (c === 37 /* % */) {
    i++;
    const op = percentName().toLowerCase();
    skipSpace();
    if (!RELOC_OPS.has(op)) throw GIVE_UP;
    expect(40);
    skipSpace();
    const a = expression();
    skipSpace();
    expect(41);
    return { k: 'reloc', op: op as RelocOp, a, loc: loc(s, i) };
  }
  if (c === 40 /* ( */) {
    i++;
    skipSpace();
    const inner = expression();
    skipSpace();
    expect(41);
    const l = loc(s, i);
    return inner.k === 'sym' ? { ...inner, paren: true, loc: l } : { ...inner, loc: l };
  }
  throw GIVE_UP;
}

/** Unary operators (the innermost is the last), then a primary. */
function unary(): Expr {
  const s = i;
  const c = text.charCodeAt(i);
  if (c === 45 || c === 43 || c === 126 || (c === 33 && text.charCodeAt(i + 1) !== 61) /* - + ~ ! but not != */) {
    i++;
    skipSpace();
    const a = unary();
    const column = s - base + 1;
    return { k: 'un', op: text[s]!, a, loc: { file, line, column, span: a.loc.column + a.loc.span - column, from } };
  }
  return primary();
}

/** The binary operator at i (consumed), or undefined where the expression ends. */
function binaryOp(): string | undefined {
  const c = text.charCodeAt(i);
  const d = text.charCodeAt(i + 1);
  let op: string;
  switch (c) {
    case 43: op = '+'; break;
    case 45: op = '-'; break;
    case 42: op = '*'; break;
    case 47: if (d === 47 || d === 42) return undefined; op = '/'; break; // a comment
    case 37: if (isLetter(d)) return undefined; op = '%'; break; // %hi or %type, never an operator
    case 124: op = d === 124 ? '||' : '|'; break;
    case 38: op = d === 38 ? '&&' : '&'; break;
    case 94: op = '^'; break;
    case 61: if (d !== 61) return undefined; op = '=='; break;
    case 33: op = d === 61 ? '!=' : '!'; break;
    case 60: op = d === 62 ? '<>' : d === 60 ? '<<' : d === 61 ? '<=' : '<'; break;
    case 62: op = d === 62 ? '>>' : d === 61 ? '>=' : '>'; break;
    default: return undefined;
  }
  i += op.length;
  return op;
}

function expression(): Expr {
  const first = unary();
  skipSpace();
  let op = binaryOp();
  if (op === undefined) return first;
  const operands = [first];
  const ops: string[] = [];
  while (op !== undefined) {
    ops.push(op);
    skipSpace();
    operands.push(unary());
    skipSpace();
    op = binaryOp();
  }
  return applyPrecedence(operands, ops);
}

/** Whether the string stringEnd read last is plain (ASCII, no escapes). */
let plainString = true;

/** Past the string literal at p in t (e the end of the line), or -1 where the grammar must read it
 * (unterminated, a CR in it, an escaped line break); plainString says whether it is plain. */
function stringEnd(t: string, p: number, e: number): number {
  plainString = true;
  p++;
  for (let c = t.charCodeAt(p); c !== 34 /* " */; c = t.charCodeAt(p)) {
    if (p >= e || c === 13) return -1;
    if (c === 92 /* \ */) {
      const d = t.charCodeAt(p + 1);
      if (p + 1 >= e || d === 13 || d === 0x2028 || d === 0x2029) return -1;
      plainString = false;
      p += 2;
      continue;
    }
    if (c >= 0x80) plainString = false;
    p++;
  }
  return p + 1;
}

function string(): Uint8Array {
  const s = i + 1;
  const e = stringEnd(text, i, n);
  if (e < 0) throw GIVE_UP;
  i = e;
  if (!plainString) return decodeString(text.slice(s, i - 1));
  const bytes = new Uint8Array(i - 1 - s);
  for (let k = 0; k < bytes.length; k++) bytes[k] = text.charCodeAt(s + k);
  return bytes;
}

function operand(): Operand {
  const s = i;
  const c = text.charCodeAt(i);
  if (c === 34 /* " */) {
    const bytes = string();
    return { kind: 'string', bytes, loc: loc(s, i) };
  }
  if (c === 64 /* @ */) {
    i++;
    skipSpace();
    const t = i;
    const name = ident();
    return { kind: 'type', name, loc: loc(t, i) };
  }
  if (c === 37 /* % */) {
    // `%progbits` is a type word unless `(` follows (then it is a relocation operator)
    i++;
    const name = percentName();
    const end = i;
    skipSpace();
    if (text.charCodeAt(i) !== 40) return { kind: 'type', name, loc: loc(s, end) };
    i = s;
  }
  const e = expression();
  skipSpace();
  let base: Expr | undefined;
  if (text.charCodeAt(i) === 40 /* ( */) {
    i++;
    skipSpace();
    base = expression();
    skipSpace();
    expect(41);
    skipSpace();
  }
  if (text.charCodeAt(i) === 64 /* @ */) {
    i++;
    skipSpace();
    if (ident() !== 'plt' || !callOrTail) throw GIVE_UP;
  }
  if (base) return { kind: 'mem', offset: e, base, loc: { ...e.loc, span: e.loc.span + base.loc.span + 2 } };
  if (e.k === 'sym' && e.paren) return { kind: 'mem', base: { ...e, paren: false }, loc: e.loc };
  return { kind: 'expr', e, loc: e.loc };
}

/** An operand of .file or .loc: a string, a number or a word, ended by a space, a comma or the end. */
function spacedOperand(): Operand {
  const s = i;
  const c = text.charCodeAt(i);
  if (c === 34) {
    const bytes = string();
    return { kind: 'string', bytes, loc: loc(s, i) };
  }
  const e = isDigit(c) ? number() : { k: 'sym' as const, name: ident(), loc: loc(s, i) };
  return { kind: 'expr', e, loc: e.loc };
}

/** The statement of line `lineNumber` of a file: lineText, or the part of it from start to end (a newline
 * or the end of the text); undefined when the grammar must read it. */
export function fastLine(lineText: string, fileName: string, lineNumber: number, expansion?: Expansion, start = 0, end = lineText.length): Statement | undefined {
  text = lineText;
  base = start;
  i = start;
  n = end;
  file = fileName;
  line = lineNumber;
  from = expansion;
  try {
    return statement();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

/** The operands of the statement being read; the statement gets a copy of the size they need (an array
 * grown from empty has room for 16, and most statements have one to three). */
const OPERANDS: Operand[] = [];

function statement(): Statement {
  let labels: { name: string; loc: Loc }[] = NO_LABELS;
  let name: string;
  let nameStart: number;
  for (;;) {
    skipSpace();
    if (atEnd()) return statementOf(labels);
    const s = i;
    let numeric = false;
    if (isDigit(text.charCodeAt(i))) {
      while (isDigit(text.charCodeAt(++i)));
      numeric = true;
    } else {
      // (the word, not cut yet: a label's name or the statement's, cut once it is known which)
      if (!isIdentStart(text.charCodeAt(i))) throw GIVE_UP;
      while (isIdentPart(text.charCodeAt(++i)));
    }
    const wordEnd = i;
    skipSpace();
    if (text.charCodeAt(i) === 58 /* : */) {
      const label = { name: text.slice(s, wordEnd), loc: loc(s, wordEnd) };
      if (labels === NO_LABELS) labels = [label];
      else labels.push(label);
      i++;
      continue;
    }
    if (numeric) throw GIVE_UP;
    name = nameAt(s, wordEnd);
    nameStart = s;
    break;
  }
  const lname = lowerOfName;
  callOrTail = lname === 'call' || lname === 'tail';
  const spaced = SPACED.has(lname);
  const operands = OPERANDS;
  operands.length = 0;
  while (!atEnd()) {
    operands.push(spaced ? spacedOperand() : operand());
    const gap = skipSpace();
    if (atEnd()) break;
    if (text.charCodeAt(i) === 44 /* , */) {
      i++;
      skipSpace();
      if (atEnd()) throw GIVE_UP;
    } else if (!spaced || !gap) throw GIVE_UP;
  }
  return statementOf(labels, name, loc(nameStart, nameStart + name.length), operands.slice());
}

/** The operands of the line fastWord reads (reused). */
const WORD: WordOperands = { shape: 0, a: [], b: [] };
/** The operands of a statement that has its word instead (shared, never changed). */
const NO_OPERANDS: Operand[] = Object.freeze([]) as unknown as Operand[];
/** The statement fastWord gives, and its name's location: one object, filled again for each line it reads
 * (the expander and layout are done with a statement before the next line is read, and a word keeps
 * nothing of it), so that the most common line of all makes no objects. */
const WORD_LOC: Loc = { file: '', line: 0, column: 0, span: 0, from: undefined };
const WORD_STATEMENT: Statement = statementOf(NO_LABELS, '', WORD_LOC, NO_OPERANDS, WORD_VIEWS[1]);

/**
 * The most common line of all, faster still: an instruction without labels whose operands are
 * registers, integers (`-8`, `0x7f`) and `int(reg)` / `(reg)`, or `li rd, v` of a signed 32-bit v. Its
 * statement carries the encoded words (quickWord: the words layout would get from fastLine's statement;
 * checked by test/assembler/fastline.test.ts) and no operands; undefined for any other line. The statement is
 * WORD_STATEMENT, valid until the next call. (It scans with a position of its own, not the module's,
 * which is faster still.)
 */
export function fastWord(lineText: string, fileName: string, lineNumber: number, expansion?: Expansion, start = 0, end = lineText.length): Statement | undefined {
  const t = lineText;
  let p = spaces(t, start, end);
  const s = p;
  if (!isLetter(t.charCodeAt(p))) return undefined;
  while (isIdentPart(t.charCodeAt(++p)));
  const nameEnd = p;
  let count = 0;
  let shape = 0;
  p = spaces(t, p, end);
  while (!ends(t, p, end)) {
    const c = t.charCodeAt(p);
    if (isLetter(c)) {
      p = registerAt(t, p);
      if (found < 0) return undefined;
      shape |= WORD_REG << (2 * count);
      WORD.a[count] = found;
    } else {
      let v = 0;
      if (c !== 40 /* ( */) {
        const negative = c === 45; /* - */
        p = integerAt(t, negative ? spaces(t, p + 1, end) : p);
        if (found < 0) return undefined;
        v = negative ? 0 - found : found; // (not -0, which is no small integer: WORD.a would hold doubles)
        p = spaces(t, p, end);
      }
      if (t.charCodeAt(p) === 40) {
        p = spaces(t, registerAt(t, spaces(t, p + 1, end)), end);
        if (found < 0 || t.charCodeAt(p) !== 41 /* ) */) return undefined;
        p++;
        shape |= WORD_MEM << (2 * count);
        WORD.b[count] = found;
      } else shape |= WORD_INT << (2 * count);
      WORD.a[count] = v;
    }
    count++;
    p = spaces(t, p, end);
    if (ends(t, p, end)) break;
    if (t.charCodeAt(p) !== 44 /* , */ || count === 8) return undefined;
    p = spaces(t, p + 1, end);
    if (ends(t, p, end)) return undefined;
  }
  WORD.shape = shape;
  text = t;
  const name = nameAt(s, nameEnd);
  let forms = FORMS[slotOfName];
  if (forms === undefined) forms = FORMS[slotOfName] = wordForms(name);
  const words = forms === null ? 0 : quickWord(forms, WORD);
  if (words === 0) return undefined;
  WORD_LOC.file = fileName;
  WORD_LOC.line = lineNumber;
  WORD_LOC.column = s - start + 1;
  WORD_LOC.span = nameEnd - s;
  WORD_LOC.from = expansion;
  WORD_STATEMENT.name = name;
  WORD_STATEMENT.words = WORD_VIEWS[words];
  return WORD_STATEMENT;
}

/** What registerAt and integerAt read (-1: not one). */
let found = -1;

/** The register of each two-character name of lower-case letters and digits (a0, t1, sp), or -1. */
const TWO = new Int8Array(128 * 128).fill(-1);
for (const a of 'abcdefghijklmnopqrstuvwxyz0123456789') for (const b of 'abcdefghijklmnopqrstuvwxyz0123456789') TWO[a.charCodeAt(0) * 128 + b.charCodeAt(0)] = xreg(a + b) ?? -1;

/** Past the word at p in t; found: its register, -1 for any other word. (The names of more than two
 * characters, zero, s10, s11 and x10..x31, are read in place too: a name cut from the line is a string.) */
function registerAt(t: string, p: number): number {
  const s = p;
  found = -1;
  if (!isIdentStart(t.charCodeAt(p))) return p;
  while (isIdentPart(t.charCodeAt(++p)));
  const c = t.charCodeAt(s);
  const d = t.charCodeAt(s + 1) - 48;
  const e = t.charCodeAt(s + 2) - 48;
  if (p - s === 2) found = TWO[(c & 127) * 128 + (t.charCodeAt(s + 1) & 127)]!;
  else if (p - s === 3 && d >= 0 && d <= 9 && e >= 0 && e <= 9) {
    if (c === 120 /* x */ && d > 0 && 10 * d + e <= 31) found = 10 * d + e;
    else if (c === 115 /* s */ && d === 1 && e <= 1) found = 26 + e;
  } else if (p - s === 4 && c === 122 && t.startsWith('zero', s)) found = 0;
  if (found < 0) found = xreg(t.slice(s, p)) ?? -1;
  return p;
}

/** Past the number at p in t; found: its value when it is a decimal (not octal) or hexadecimal integer
 * of at most 13 digits, else -1. */
function integerAt(t: string, p: number): number {
  const s = p;
  const x = t.charCodeAt(p + 1);
  let v = 0;
  found = -1;
  if (t.charCodeAt(p) === 48 && (x === 120 || x === 88) /* 0x */) {
    p += 2;
    for (let c = t.charCodeAt(p); isHex(c); c = t.charCodeAt(++p)) v = v * 16 + (c <= 57 ? c - 48 : (c | 32) - 87);
    if (p === s + 2 || p - s > 15) return p;
  } else {
    for (let c = t.charCodeAt(p); isDigit(c); c = t.charCodeAt(++p)) v = v * 10 + c - 48;
    if (p === s || p - s > 13 || (t.charCodeAt(s) === 48 && p - s > 1)) return p;
  }
  if (!isIdentPart(t.charCodeAt(p))) found = v;
  return p;
}

/** The file and line numbers of the `.loc` line quickLine read last. */
export const LOC = { file: 0, line: 0 };

/** Directives whose statements place nothing (quickLine): those of expression operands (strings
 * false) or of string operands (true), without labels. */
export interface Inert {
  has(lowerCaseName: string, strings: boolean): boolean;
}

/**
 * Lines the expander handles without making a statement, read without making objects (gcc -g writes
 * mostly these):
 * - 'inert': `.directive` (no labels) with operands that are all sums and differences of numbers and
 *   symbols (`0x5`, `.LVL5-.LVL4`, `.Ldebug_info0+74`) or all strings, `inert` saying the statement
 *   places nothing (data for a section that is not loaded, a directive that is ignored): a line
 *   fastLine takes, making operands of those kinds of it;
 * - 'loc': `.loc F L` (no labels), F and L decimal numbers, then space-separated words and numbers
 *   (`.loc 1 27 3 is_stmt 0 view .LVU12`): a line fastLine takes, whose first two operands are the
 *   numbers F and L, left in LOC.
 */
export function quickLine(lineText: string, start: number, end: number, inert: Inert | undefined): 'inert' | 'loc' | undefined {
  // (it scans with positions of its own, as fastWord does: most lines of gcc -g output come here)
  const t = lineText;
  let p = spaces(t, start, end);
  const s = p;
  if (t.charCodeAt(p) !== 46 /* . */) return undefined;
  while (isIdentPart(t.charCodeAt(++p)));
  const nameEnd = p;
  p = spaces(t, p, end);
  if (t.charCodeAt(p) === 58 /* : */) return undefined; // a label (not a name to remember: most are read once)
  text = t;
  nameAt(s, nameEnd);
  const lname = lowerOfName;
  if (lname === '.loc') return locOperands(t, nameEnd, end) ? 'loc' : undefined;
  if (inert === undefined || SPACED.has(lname)) return undefined;
  const strings = dataOperands(t, p, end);
  return strings !== undefined && inert.has(lname, strings) ? 'inert' : undefined;
}

/** Operands from p in t to the end of the line (e), separated by commas, all sums and differences of
 * numbers and symbols (false) or all strings (true); undefined for any others. */
function dataOperands(t: string, p: number, e: number): boolean | undefined {
  let strings: boolean | undefined;
  while (!ends(t, p, e)) {
    const quote = t.charCodeAt(p) === 34; /* " */
    if (strings === undefined) strings = quote;
    if (quote !== strings) return undefined;
    p = quote ? stringEnd(t, p, e) : sumEnd(t, p, e);
    if (p < 0) return undefined;
    p = spaces(t, p, e);
    if (ends(t, p, e)) break;
    if (t.charCodeAt(p) !== 44 /* , */) return undefined;
    p = spaces(t, p + 1, e);
    if (ends(t, p, e)) return undefined;
  }
  return strings ?? false;
}

/** Past a sum or difference of numbers and symbols at p (`-8`, `.LVL5-.LVL4`), or -1. */
function sumEnd(t: string, p: number, e: number): number {
  for (;;) {
    if (t.charCodeAt(p) === 45 /* - */) p = spaces(t, p + 1, e);
    const c = t.charCodeAt(p);
    if (isDigit(c)) p = numberEnd(t, p);
    else if (isIdentStart(c)) while (isIdentPart(t.charCodeAt(++p)));
    else return -1;
    if (p < 0) return -1;
    const q = spaces(t, p, e);
    const op = t.charCodeAt(q);
    if (op !== 43 && op !== 45 /* + - */) return p;
    p = spaces(t, q + 1, e);
  }
}

/** The operands of .loc after p: two decimal numbers (into LOC), then words and numbers, space-separated. */
function locOperands(t: string, p: number, e: number): boolean {
  for (let k = 0; ; k++) {
    const q = spaces(t, p, e);
    if (ends(t, q, e)) return k >= 2;
    if (q === p) return false; // (no space before it)
    p = q;
    const c = t.charCodeAt(p);
    if (k < 2) {
      const d = p;
      let v = 0;
      for (let x = c; isDigit(x); x = t.charCodeAt(++p)) v = v * 10 + x - 48;
      if (p === d || p - d > 9 || (c === 48 && p - d > 1) || isIdentPart(t.charCodeAt(p))) return false;
      if (k === 0) LOC.file = v;
      else LOC.line = v;
    } else if (isDigit(c)) {
      p = numberEnd(t, p);
      if (p < 0) return false;
    } else if (isIdentStart(c)) while (isIdentPart(t.charCodeAt(++p)));
    else return false;
  }
}

/** Past the number at p that fastLine's number() reads without giving up (decimal, octal or hex, or
 * `1b`/`1f`), or -1. */
function numberEnd(t: string, p: number): number {
  const s = p;
  const x = t.charCodeAt(p + 1);
  if (t.charCodeAt(p) === 48 && (x === 120 || x === 88) /* 0x */) {
    p += 2;
    while (isHex(t.charCodeAt(p))) p++;
    return p > s + 2 && !isIdentPart(t.charCodeAt(p)) ? p : -1;
  }
  let eight = false; // an 8 or 9, which a leading 0 (octal) makes an error
  for (let c = t.charCodeAt(p); isDigit(c); c = t.charCodeAt(++p)) if (c >= 56) eight = true;
  const c = t.charCodeAt(p);
  if ((c === 98 || c === 102) /* b f */ && !isIdentPart(t.charCodeAt(p + 1))) return p + 1;
  return !isIdentPart(c) && !(eight && t.charCodeAt(s) === 48 && p - s > 1) ? p : -1;
}
