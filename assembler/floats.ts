// The lane-format data directives (docs/dasm.md "Data"): .fp32/.float/.single, .bf16, .fp16, and the
// configurable .cfp8_143, .cfp8_152, .shp, .uhp whose first operand is the exponent bias. Each value is
// rounded to nearest even, correctly from its decimal text (not via an intermediate double when that
// would round twice), by the number-format library the emulator runs.
import { FORMAT_BY_NAME, MAX_BIAS, NUMBER_FLAGS, type NumberFormat } from '../isa/numbers.js';
import { decode, encode } from '../emulator/host/numbers.js';
import { ExprError, type Expr } from './expr.js';

/** Directive name to format name. */
export const FLOAT_DIRECTIVES: Record<string, string> = {
  '.fp32': 'fp32', '.float': 'fp32', '.single': 'fp32', '.bf16': 'bf16', '.fp16': 'fp16',
  '.cfp8_143': 'cfp8_143', '.cfp8_152': 'cfp8_152', '.shp': 'shp', '.uhp': 'uhp',
};

/** -1, 0 or 1 as the decimal number `text` (digits, optional fraction and exponent) is below, equal to
 * or above the finite double x. Exact: both sides become integers scaled by powers of 2 and 10. */
export function compareDecimal(text: string, x: number): number {
  const m = /^([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text)!;
  const digits = BigInt(`${m[1] || '0'}${m[2] ?? ''}`);
  const exp10 = Number(m[3] ?? 0) - (m[2]?.length ?? 0);
  // x = mant * 2^exp2 exactly.
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, Math.abs(x));
  const bits = dv.getBigUint64(0);
  const e = Number(bits >> 52n);
  const mant = e === 0 ? bits & ((1n << 52n) - 1n) : (bits & ((1n << 52n) - 1n)) | (1n << 52n);
  const exp2 = (e === 0 ? 1 : e) - 1075;
  let left = digits;
  let right = mant;
  if (exp10 >= 0) left *= 10n ** BigInt(exp10);
  else right *= 10n ** BigInt(-exp10);
  if (exp2 >= 0) right <<= BigInt(exp2);
  else left <<= BigInt(-exp2);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The value an operand writes: a float literal, an integer constant, inf or nan, with an optional sign. */
function operandValue(e: Expr, constant: (e: Expr) => bigint): { x: number; text?: string } {
  if (e.k === 'un' && (e.op === '-' || e.op === '+')) {
    const v = operandValue(e.a, constant);
    return e.op === '-' ? { x: -v.x, ...(v.text ? { text: v.text } : {}) } : v;
  }
  if (e.k === 'float') return { x: Number(e.text), text: e.text };
  if (e.k === 'sym' && /^(inf|infinity)$/i.test(e.name)) return { x: Infinity };
  if (e.k === 'sym' && /^nan$/i.test(e.name)) return { x: NaN };
  return { x: Number(constant(e)) };
}

/** Round one value into a format, correcting the one case where going through a double rounds twice:
 * the double lands exactly halfway between two values of the format while the decimal does not. */
function roundDecimal(fmt: NumberFormat, bias: number, x: number, text: string | undefined): { bits: number; flags: number } {
  const spec = { format: fmt.name, bias };
  const r = encode(spec, x);
  if (text === undefined || !Number.isFinite(x) || fmt.kind === 'int') return r;
  const y = decode(spec, r.bits);
  const a = Math.abs(x);
  if (y === x || !Number.isFinite(y)) return r;
  const magMask = (fmt.signed ? 2 ** (fmt.bytes * 8 - 1) : 2 ** (fmt.bytes * 8)) - 1;
  const up = Math.abs(y) < a;
  if (up && (r.bits & magMask) === magMask) return r;
  const otherBits = up ? r.bits + 1 : r.bits - 1;
  const other = Math.abs(decode(spec, otherBits));
  if (!Number.isFinite(other) || Math.abs(Math.abs(y) - a) !== Math.abs(other - a)) return r;
  // x is exactly halfway: the decimal decides, unless it equals x (then the tie-to-even stands).
  const c = compareDecimal(text, a);
  if (c === 0) return r;
  const wantLarger = c > 0;
  const larger = Math.abs(y) > other ? r.bits : otherBits;
  const smaller = Math.abs(y) > other ? otherBits : r.bits;
  return { bits: wantLarger ? larger : smaller, flags: r.flags };
}

export interface FloatData {
  bytes: Uint8Array;
  warnings: { message: string; expr: Expr }[];
}

/** Bytes of one float data directive; throws ExprError for a bad bias or a missing operand. */
export function floatData(directive: string, operands: Expr[], constant: (e: Expr) => bigint, loc: Expr['loc']): FloatData {
  const fmt = FORMAT_BY_NAME.get(FLOAT_DIRECTIVES[directive]!)!;
  let values = operands;
  let bias = 0;
  if (fmt.kind === 'cfloat') {
    const b = operands[0];
    if (!b) throw new ExprError(`${directive} expects the exponent bias (0..${MAX_BIAS}) and then values`, loc, 'bad-directive');
    const v = constant(b);
    if (v < 0n || v > BigInt(MAX_BIAS)) throw new ExprError(`exponent bias ${v} is out of range 0..${MAX_BIAS}`, b.loc, 'bad-bias');
    bias = Number(v);
    values = operands.slice(1);
  }
  const bytes = new Uint8Array(values.length * fmt.bytes);
  const dv = new DataView(bytes.buffer);
  const warnings: FloatData['warnings'] = [];
  values.forEach((e, k) => {
    const { x, text } = operandValue(e, constant);
    const r = roundDecimal(fmt, bias, x, text);
    if (fmt.bytes === 4) dv.setUint32(k * 4, r.bits >>> 0, true);
    else if (fmt.bytes === 2) dv.setUint16(k * 2, r.bits, true);
    else dv.setUint8(k, r.bits);
    const name = `${fmt.name}${fmt.kind === 'cfloat' ? ` with bias ${bias}` : ''}`;
    if (r.flags & NUMBER_FLAGS.OVERFLOW && Number.isFinite(x)) warnings.push({ message: `${x} overflows ${name}: stored as ${decode({ format: fmt.name, bias }, r.bits)}`, expr: e });
    else if (r.flags & NUMBER_FLAGS.INVALID && !(fmt.kind === 'ieee' && Number.isNaN(x))) warnings.push({ message: `${x} is not representable in ${name}: stored as ${decode({ format: fmt.name, bias }, r.bits)}`, expr: e });
    else if (r.flags & NUMBER_FLAGS.UNDERFLOW && decode({ format: fmt.name, bias }, r.bits) === 0) warnings.push({ message: `${x} underflows ${name} to 0`, expr: e });
  });
  return { bytes, warnings };
}
