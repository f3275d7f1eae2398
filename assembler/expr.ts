// Expressions of .dasm (docs/dasm.md "Expressions"): 64-bit two's-complement integers with GNU as's
// precedence and semantics (GNU as manual, "Infix Operators"; binutils gas/expr.c): division truncates
// toward zero, `>>` is a logical shift, a shift by 64 or more (or a negative count) gives 0, a true
// comparison is -1 (all ones) but a true `&&`/`||` is 1, and infix `!` is or-not. Symbols, numeric
// local labels (already renamed by the expander), `.` (the location counter) and the RISC-V relocation
// operators %hi, %lo, %pcrel_hi, %pcrel_lo.
import { xreg } from '../isa/registers.js';
import type { Expansion } from './diagnostics.js';

export interface Loc {
  file: string;
  line: number;
  column: number;
  span: number;
  /** The expansion (macro, repetition, include) that made the line, if any: diagnostics name it. */
  from?: Expansion;
}

export type Expr =
  | { k: 'num'; v: bigint; loc: Loc }
  /** A decimal floating-point literal, as written (only float data directives accept one). */
  | { k: 'float'; text: string; loc: Loc }
  | { k: 'sym'; name: string; loc: Loc; paren?: boolean }
  | { k: 'un'; op: string; a: Expr; loc: Loc }
  | { k: 'bin'; op: string; a: Expr; b: Expr; loc: Loc }
  | { k: 'reloc'; op: RelocOp; a: Expr; loc: Loc };

export type RelocOp = 'hi' | 'lo' | 'pcrel_hi' | 'pcrel_lo';
export const RELOC_OPS = new Set<string>(['hi', 'lo', 'pcrel_hi', 'pcrel_lo']);

/** GNU as's precedence of binary operators, higher binds tighter (not C's: `1 + 2 * 3 << 1` is 13, and
 * `|`, `&`, `^` bind tighter than `+`); operators of one level group left to right. */
export const PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '==': 3, '!=': 3, '<>': 3, '<': 3, '>': 3, '<=': 3, '>=': 3,
  '+': 4, '-': 4, '|': 5, '&': 5, '^': 5, '!': 5, '*': 6, '/': 6, '%': 6, '<<': 6, '>>': 6,
};

export class ExprError extends Error {
  constructor(
    message: string,
    public loc: Loc,
    public code = 'expr',
  ) {
    super(message);
  }
}

const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

/** Low 12 bits, sign-extended, and the matching upper 20 bits (RISC-V %lo / %hi). */
export function splitHiLo(v: bigint): { hi: bigint; lo: bigint } {
  const lo = BigInt.asIntN(12, v);
  const hi = BigInt.asUintN(20, (v - lo) >> 12n);
  return { hi, lo };
}

export interface EvalEnv {
  /** Value of a symbol, or undefined if it is not (yet) defined. May throw ExprError. */
  symbol(name: string, loc: Loc): bigint | undefined;
  /** Address of the instruction or data being evaluated (the `.` symbol and %pcrel_hi's pc). */
  dot: bigint;
  /** %pcrel_lo(label): the full pc-relative offset the %pcrel_hi at `label` computed. */
  pcrelLo?(labelAddr: bigint, loc: Loc): bigint;
}

export function evaluate(e: Expr, env: EvalEnv): bigint {
  switch (e.k) {
    case 'num':
      return e.v;
    case 'float':
      throw new ExprError(`floating-point number '${e.text}' where an integer is needed (only .fp32, .bf16, .fp16, .cfp8_143, .cfp8_152, .shp and .uhp take floats)`, e.loc, 'float-literal');
    case 'sym': {
      if (e.name === '.') return env.dot;
      const v = env.symbol(e.name, e.loc);
      if (v === undefined) {
        const reg = xreg(e.name) === undefined ? '' : ` ('${e.name}' is a register name, but where an address is expected it names a symbol, as in GNU as)`;
        throw new ExprError(`undefined symbol '${displayName(e.name)}'${reg}`, e.loc, 'undefined-symbol');
      }
      return v;
    }
    case 'un': {
      const a = evaluate(e.a, env);
      switch (e.op) {
        case '-': return s64(-a);
        case '+': return a;
        case '~': return s64(~a);
        default: return a === 0n ? 1n : 0n;
      }
    }
    case 'bin':
      return binary(e.op, evaluate(e.a, env), evaluate(e.b, env), e.loc);
    case 'reloc': {
      if (e.op === 'pcrel_lo') {
        const label = evaluate(e.a, env);
        if (!env.pcrelLo) throw new ExprError('%pcrel_lo is only allowed in an instruction operand', e.loc);
        return splitHiLo(env.pcrelLo(label, e.loc)).lo;
      }
      const a = evaluate(e.a, env);
      if (e.op === 'hi') return splitHiLo(a).hi;
      if (e.op === 'lo') return splitHiLo(a).lo;
      return splitHiLo(s64(a - env.dot)).hi;
    }
  }
}

/** GNU as's truth values: -1 for a true comparison. */
const truth = (c: boolean): bigint => (c ? -1n : 0n);

function binary(op: string, a: bigint, b: bigint, loc: Loc): bigint {
  switch (op) {
    case '+': return s64(a + b);
    case '-': return s64(a - b);
    case '*': return s64(a * b);
    case '/':
    case '%':
      if (b === 0n) throw new ExprError('division by zero in expression', loc);
      return s64(op === '/' ? a / b : a % b);
    case '<<': return b >= 64n || b < 0n ? 0n : s64(a << b);
    case '>>': return b >= 64n || b < 0n ? 0n : s64(BigInt.asUintN(64, a) >> b);
    case '&': return s64(a & b);
    case '|': return s64(a | b);
    case '^': return s64(a ^ b);
    case '!': return s64(a | ~b);
    case '==': return truth(a === b);
    case '!=':
    case '<>': return truth(a !== b);
    case '<': return truth(a < b);
    case '>': return truth(a > b);
    case '<=': return truth(a <= b);
    case '>=': return truth(a >= b);
    case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
    default: return a !== 0n || b !== 0n ? 1n : 0n;
  }
}

/** Internal names of numeric local labels ("1\u00002") read back as the user wrote them. */
export function displayName(name: string): string {
  const i = name.indexOf('\u0000');
  return i < 0 ? name : name.slice(0, i);
}

/** The expression with the symbols `value` knows replaced by their values (the same object if none is). */
export function substitute(e: Expr, value: (name: string) => bigint | undefined): Expr {
  switch (e.k) {
    case 'sym': {
      const v = value(e.name);
      return v === undefined ? e : { k: 'num', v, loc: e.loc };
    }
    case 'un':
    case 'reloc': {
      const a = substitute(e.a, value);
      return a === e.a ? e : { ...e, a };
    }
    case 'bin': {
      const a = substitute(e.a, value);
      const b = substitute(e.b, value);
      return a === e.a && b === e.b ? e : { ...e, a, b };
    }
    default:
      return e;
  }
}

/** The symbols an expression mentions. */
export function symbolsOf(e: Expr, out: string[] = []): string[] {
  if (e.k === 'sym') out.push(e.name);
  else if (e.k === 'un' || e.k === 'reloc') symbolsOf(e.a, out);
  else if (e.k === 'bin') {
    symbolsOf(e.a, out);
    symbolsOf(e.b, out);
  }
  return out;
}
