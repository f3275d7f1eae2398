// CST to statements: the meaning of the grammar's nodes (docs/dasm.md "Statements", "Expressions").
// Applies GNU as's precedence to the parser's flat operator chains, decodes numbers, characters and
// strings.
import type { CstNode, IToken } from 'chevrotain';
import type { Expansion } from './diagnostics.js';
import { ExprError, PRECEDENCE, RELOC_OPS, type Expr, type Loc, type RelocOp } from './expr.js';

export type Operand =
  | { kind: 'expr'; e: Expr; loc: Loc }
  | { kind: 'mem'; offset?: Expr; base: Expr; loc: Loc }
  | { kind: 'string'; bytes: Uint8Array; loc: Loc }
  | { kind: 'type'; name: string; loc: Loc };

export interface Statement {
  labels: { name: string; loc: Loc }[];
  name?: string;
  nameLoc?: Loc;
  operands: Operand[];
  /** `symbol = expression` */
  assign?: Expr;
  /** The encoded instructions (signed 32-bit numbers), when assembler/fastline.ts fastWord read the
   * line: operands are then left out (layout reads the words). */
  words?: Int32Array;
}

/** A statement; every one has the same shape (what reads them reads them all: one shape is faster). */
export function statementOf(labels: Statement['labels'], name?: string, nameLoc?: Loc, operands: Operand[] = [], words?: Int32Array): Statement {
  return { labels, name, nameLoc, operands, assign: undefined, words };
}

type Children = Record<string, (CstNode | IToken)[] | undefined>;
type Rule = 'line' | 'label' | 'statement' | 'operand' | 'expression' | 'unary' | 'primary';

class StatementVisitor {
  file = '';
  /** The line's number when the tokens do not say it (a line lexed on its own). */
  lineOverride = 0;
  /** The expansion that made the line, if any. */
  from: Expansion | undefined;
  /** Where the statement being visited has a `@plt` suffix. */
  private plt: Loc | undefined;

  /** The meaning of a node of the grammar (assembler/parser.ts): the method named after its rule. */
  visit(n: CstNode): unknown {
    return (this[n.name as Rule] as (ctx: Children) => unknown).call(this, n.children as Children);
  }

  loc(t: IToken, end?: IToken): Loc {
    const last = end ?? t;
    const span = last.startLine === t.startLine ? (last.endColumn ?? t.startColumn ?? 1) - (t.startColumn ?? 1) + 1 : t.image.length;
    return { file: this.file, line: this.lineOverride || (t.startLine ?? 0), column: t.startColumn ?? 1, span: Math.max(1, span), from: this.from };
  }

  line(ctx: Children): Statement {
    const labels = ((ctx['label'] ?? []) as CstNode[]).map((n) => this.visit(n) as { name: string; loc: Loc });
    const st = ctx['statement'] ? (this.visit(ctx['statement'][0] as CstNode) as Statement) : statementOf([]);
    st.labels = labels;
    return st;
  }

  label(ctx: Children): { name: string; loc: Loc } {
    const t = ((ctx['Identifier'] ?? ctx['DecNumber']) as IToken[])[0]!;
    return { name: t.image, loc: this.loc(t) };
  }

  statement(ctx: Children): Statement {
    const name = (ctx['name'] as IToken[])[0]!;
    const st = statementOf([], name.image, this.loc(name));
    if (ctx['value']) st.assign = this.visit(ctx['value'][0] as CstNode) as Expr;
    this.plt = undefined;
    for (const o of (ctx['operand'] ?? []) as CstNode[]) st.operands.push(this.visit(o) as Operand);
    // GNU as accepts `sym@plt` on the target of call and tail (and ignores it in a static link), nowhere else.
    if (this.plt && !/^(call|tail)$/i.test(name.image)) throw new ExprError(`'@plt' is only allowed on the target of call and tail`, this.plt, 'bad-suffix');
    return st;
  }

  operand(ctx: Children): Operand {
    if (ctx['StringLit']) {
      const t = (ctx['StringLit'] as IToken[])[0]!;
      return { kind: 'string', bytes: decodeString(t.image.slice(1, -1)), loc: this.loc(t) };
    }
    if (ctx['type']) {
      const t = (ctx['type'] as IToken[])[0]!;
      return { kind: 'type', name: t.image.replace(/^%/, ''), loc: this.loc(t) };
    }
    const e = this.visit(ctx['expression']![0] as CstNode) as Expr;
    if (ctx['suffix']) {
      const t = (ctx['suffix'] as IToken[])[0]!;
      const at = this.loc((ctx['suffixAt'] as IToken[])[0]!, t);
      if (t.image !== 'plt') throw new ExprError(`unknown symbol suffix '@${t.image}' (only 'call sym@plt' and 'tail sym@plt' are accepted)`, at, 'bad-suffix');
      this.plt = at;
    }
    if (ctx['base']) {
      const base = this.visit(ctx['base'][0] as CstNode) as Expr;
      return { kind: 'mem', offset: e, base, loc: { ...e.loc, span: e.loc.span + base.loc.span + 2 } };
    }
    if (e.k === 'sym' && e.paren) return { kind: 'mem', base: { ...e, paren: false }, loc: e.loc };
    return { kind: 'expr', e, loc: e.loc };
  }

  expression(ctx: Children): Expr {
    const operands = ((ctx['unary'] ?? []) as CstNode[]).map((n) => this.visit(n) as Expr);
    const ops = (ctx['BinaryOp'] ?? []) as IToken[];
    if (ops.length === 0) return operands[0]!;
    return applyPrecedence(operands, ops.map((t) => t.image));
  }

  unary(ctx: Children): Expr {
    let e = this.visit(ctx['primary']![0] as CstNode) as Expr;
    const ops = (ctx['UnaryOp'] ?? []) as IToken[];
    for (let i = ops.length - 1; i >= 0; i--) {
      const t = ops[i]!;
      const loc = this.loc(t);
      e = { k: 'un', op: t.image, a: e, loc: { ...loc, span: e.loc.column + e.loc.span - loc.column } };
    }
    return e;
  }

  primary(ctx: Children): Expr {
    const tok = (name: string) => (ctx[name] as IToken[] | undefined)?.[0];
    let t: IToken | undefined;
    if ((t = tok('DecNumber'))) return { k: 'num', v: parseDec(t.image, this.loc(t)), loc: this.loc(t) };
    if ((t = tok('HexNumber') ?? tok('BinNumber'))) return { k: 'num', v: BigInt.asIntN(64, BigInt(t.image)), loc: this.loc(t) };
    if ((t = tok('FloatNumber'))) return { k: 'float', text: t.image, loc: this.loc(t) };
    if ((t = tok('CharLit'))) return { k: 'num', v: BigInt(charValue(t.image)), loc: this.loc(t) };
    if ((t = tok('LocalRef') ?? tok('Identifier') ?? tok('MacroArg'))) return { k: 'sym', name: t.image, loc: this.loc(t) };
    if ((t = tok('Reloc'))) {
      const op = t.image.slice(1).toLowerCase();
      const close = tok('relocClose')!;
      if (!RELOC_OPS.has(op)) throw new ExprError(`unknown relocation operator '%${op}' (expected %hi, %lo, %pcrel_hi or %pcrel_lo)`, this.loc(t), 'unknown-reloc');
      return { k: 'reloc', op: op as RelocOp, a: this.visit(ctx['relocArg']![0] as CstNode) as Expr, loc: this.loc(t, close) };
    }
    const inner = this.visit(ctx['inner']![0] as CstNode) as Expr;
    const open = tok('open')!;
    const loc = this.loc(open, tok('close'));
    return inner.k === 'sym' ? { ...inner, paren: true, loc } : { ...inner, loc };
  }
}

/** The tree of a flat chain `operands[0] ops[0] operands[1] ...` by GNU as's precedence (climbing). */
export function applyPrecedence(operands: Expr[], ops: string[]): Expr {
  let pos = 0;
  const climb = (minPrec: number): Expr => {
    let lhs = operands[pos]!;
    while (pos < ops.length && PRECEDENCE[ops[pos]!]! >= minPrec) {
      const op = ops[pos]!;
      const prec = PRECEDENCE[op]!;
      pos++;
      const rhs = climb(prec + 1);
      lhs = { k: 'bin', op, a: lhs, b: rhs, loc: spanLoc(lhs.loc, rhs.loc) };
    }
    return lhs;
  };
  return climb(0);
}

function spanLoc(a: Loc, b: Loc): Loc {
  const span = a.line === b.line ? b.column + b.span - a.column : a.span;
  // (field by field, not a spread, which was most of the time of a deep macro's long arguments: 2^30
  // expansions to the budget)
  return 'from' in a ? { file: a.file, line: a.line, column: a.column, span, from: a.from } : { file: a.file, line: a.line, column: a.column, span };
}

function parseDec(s: string, loc: Loc): bigint {
  // C and GNU as: a leading 0 means octal.
  if (s.length > 1 && s[0] === '0') {
    if (/[89]/.test(s)) throw new ExprError(`'${s}' is not an octal number (a leading 0 means octal)`, loc, 'bad-number');
    return BigInt.asIntN(64, BigInt(`0o${s.slice(1)}`));
  }
  return BigInt.asIntN(64, BigInt(s));
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, e: 27, '\\': 92, "'": 39, '"': 34, '0': 0 };

/** Decode the escapes of a string literal body to bytes (UTF-8 for other characters). */
export function decodeString(body: string): Uint8Array {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      const code = body.charCodeAt(i);
      if (code < 0x80) out.push(code);
      else out.push(...enc.encode(c));
      continue;
    }
    const n = body[++i] ?? '';
    const oct = /^[0-7]{1,3}/.exec(body.slice(i));
    const hex = /^x([0-9a-fA-F]+)/.exec(body.slice(i));
    if (oct) {
      out.push(parseInt(oct[0], 8) & 0xff);
      i += oct[0].length - 1;
    } else if (hex) {
      out.push(parseInt(hex[1]!.slice(-2), 16));
      i += hex[0].length - 1;
    } else out.push(ESCAPES[n] ?? n.charCodeAt(0));
  }
  return Uint8Array.from(out);
}

function charValue(image: string): number {
  const body = image.endsWith("'") && image.length > 2 ? image.slice(1, -1) : image.slice(1);
  return decodeString(body)[0] ?? 0;
}

const visitor = new StatementVisitor();

/** Statement of one parsed line; `line` overrides the line number of its tokens, `from` is the expansion
 * that made it. */
export function toStatement(cst: CstNode, file: string, line = 0, from?: Expansion): Statement {
  visitor.file = file;
  visitor.lineOverride = line;
  visitor.from = from;
  return visitor.visit(cst) as Statement;
}
