// A fast path for the lines most programs are made of: labels, then an instruction whose operands are
// registers, symbols, integers (optionally negated) and `int(reg)` / `(reg)` memory operands. Such a line
// becomes exactly the Statement that the Chevrotain grammar and visitor would build (test/assembler/
// fastline.test.ts checks this on generated lines), without tokens or a CST. Anything else (directives,
// expressions, strings, %relocations, `;`) returns undefined and goes through the grammar.
import type { Expr, Loc } from './expr.js';
import type { Operand, Statement } from './visitor.js';

// Character classes by char code (this loop runs for every character of most programs).
const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 36;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** BigInts of small literals, made once: most immediates are small, and each BigInt is a heap object. */
const SMALL: bigint[] = Array.from({ length: 4096 }, (_, k) => BigInt(k));
const toBig = (d: string): bigint => {
  if (d.length <= 4 && d[0] !== '0') {
    const k = Number(d);
    if (k < SMALL.length) return SMALL[k]!;
  }
  return BigInt(d);
};

export function fastLine(text: string, file: string, line: number): Statement | undefined {
  const n = text.length;
  let i = 0;
  const loc = (start: number, end: number): Loc => ({ file, line, column: start + 1, span: Math.max(1, end - start) });
  const skipSpace = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 13; c = text.charCodeAt(++i));
  };
  const atEnd = () => i >= n || text[i] === '#' || (text[i] === '/' && text[i + 1] === '/');
  const ident = (): string | undefined => {
    if (i >= n || !isIdentStart(text.charCodeAt(i))) return undefined;
    const s = i;
    while (i < n && isIdentPart(text.charCodeAt(i))) i++;
    return text.slice(s, i);
  };
  const digits = (): string | undefined => {
    const s = i;
    if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
      i += 2;
      while (i < n && isHex(text.charCodeAt(i))) i++;
      if (i === s + 2) return undefined;
    } else while (i < n && isDigit(text.charCodeAt(i))) i++;
    return i > s ? text.slice(s, i) : undefined;
  };

  const labels: { name: string; loc: Loc }[] = [];
  let name: string | undefined;
  let nameStart = 0;
  for (;;) {
    skipSpace();
    if (atEnd()) return { operands: [], labels };
    const s = i;
    const word = isDigit(text.charCodeAt(i)) ? digits() : ident();
    if (word === undefined) return undefined;
    skipSpace();
    if (text[i] === ':') {
      if (!/^(0x)?[0-9]+$|^[A-Za-z_.$]/.test(word) || word.startsWith('0x')) return undefined;
      labels.push({ name: word, loc: loc(s, s + word.length) });
      i++;
      continue;
    }
    if (isDigit(word.charCodeAt(0)) || word.startsWith('.')) return undefined;
    name = word;
    nameStart = s;
    break;
  }

  const operands: Operand[] = [];
  const primary = (): Expr | undefined => {
    const s = i;
    if (isDigit(text.charCodeAt(i))) {
      const d = digits();
      if (d === undefined) return undefined;
      if ((text[i] === 'b' || text[i] === 'f') && !isIdentPart(text.charCodeAt(i + 1)) && /^[0-9]+$/.test(d)) {
        i++;
        return { k: 'sym', name: text.slice(s, i), loc: loc(s, i) };
      }
      if (i < n && isIdentPart(text.charCodeAt(i))) return undefined;
      const v = d.startsWith('0x') || d.startsWith('0X') ? BigInt(d) : d.length > 1 && d[0] === '0' ? (/[89]/.test(d) ? undefined : BigInt(`0o${d.slice(1)}`)) : toBig(d);
      if (v === undefined) return undefined;
      return { k: 'num', v: BigInt.asIntN(64, v), loc: loc(s, i) };
    }
    const id = ident();
    return id === undefined ? undefined : { k: 'sym', name: id, loc: loc(s, i) };
  };

  skipSpace();
  if (text[i] === '=') return undefined;
  while (!atEnd()) {
    skipSpace();
    const s = i;
    let e: Expr | undefined;
    if (text[i] === '(') {
      // `(reg)`: a parenthesised symbol, which the visitor turns into a memory operand.
      i++;
      skipSpace();
      const b = ident();
      skipSpace();
      if (b === undefined || text[i] !== ')') return undefined;
      i++;
      const l = loc(s, i);
      operands.push({ kind: 'mem', base: { k: 'sym', name: b, loc: l, paren: false }, loc: l });
    } else {
      if (text[i] === '-') {
        i++;
        const a = primary();
        if (!a || a.k !== 'num') return undefined;
        const l = loc(s, s + 1);
        e = { k: 'un', op: '-', a, loc: { ...l, span: a.loc.column + a.loc.span - l.column } };
      } else e = primary();
      if (!e) return undefined;
      skipSpace();
      if (text[i] === '(') {
        i++;
        skipSpace();
        const bs = i;
        const b = ident();
        const be = i;
        skipSpace();
        if (b === undefined || text[i] !== ')') return undefined;
        i++;
        const base: Expr = { k: 'sym', name: b, loc: loc(bs, be) };
        operands.push({ kind: 'mem', offset: e, base, loc: { ...e.loc, span: e.loc.span + base.loc.span + 2 } });
      } else operands.push({ kind: 'expr', e, loc: e.loc });
    }
    skipSpace();
    if (atEnd()) break;
    if (text[i] !== ',') return undefined;
    i++;
    skipSpace();
    if (atEnd()) return undefined;
  }
  return { name, nameLoc: loc(nameStart, nameStart + name.length), operands, labels };
}
