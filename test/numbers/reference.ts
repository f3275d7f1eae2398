// An independent, deliberately plain reference for the D1 number formats, written from the definitions
// (IEEE 754 for fp32/fp16, bf16 = top half of binary32, Tesla's configurable floats with the 2^(-bias)
// denormal scale, two's complement / unsigned integers). It is slow on purpose where that makes it easier
// to trust: values are built from bit fields with exact powers of two, the representable magnitudes of the
// 8- and 16-bit floats are enumerated into a sorted table, neighbours are found by exact comparisons, and
// stochastic rounding compares exact BigInt rationals.
import { FORMAT_BY_NAME, NUMBER_FLAGS, SPLITMIX } from '../../isa/numbers.js';

export const { INVALID, DENORMAL, OVERFLOW, UNDERFLOW } = NUMBER_FLAGS;
export type Rounding = 'rne' | 'sr';
export interface Spec {
  format: string;
  bias?: number;
}
export interface Encoded {
  bits: number;
  flags: number;
}

export const IEEE_NAMES = ['fp32', 'bf16', 'fp16'] as const;
export const CFLOAT_NAMES = ['cfp8_143', 'cfp8_152', 'shp', 'uhp'] as const;
export const FLOAT_NAMES = [...IEEE_NAMES, ...CFLOAT_NAMES] as const;
export const INT_NAMES = ['int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32'] as const;
export const ALL_BIASES = Array.from({ length: 64 }, (_, i) => i);

// ---------------------------------------------------------------------------------------------------
// Bits <-> numbers, exactly.

const dv = new DataView(new ArrayBuffer(8));

/** The f64 whose bit pattern is given (hi, lo words). */
function f64FromWords(hi: number, lo: number): number {
  dv.setUint32(0, hi >>> 0);
  dv.setUint32(4, lo >>> 0);
  return dv.getFloat64(0);
}

/** 2^k as an f64, built from its bit pattern (so certainly exact); k in [-1074, 1023]. */
export function pow2(k: number): number {
  if (!Number.isInteger(k) || k < -1074 || k > 1023) throw new Error(`pow2(${k})`);
  if (k >= -1022) return f64FromWords((k + 1023) * 0x100000, 0); // biased exponent in bits 62..52
  const shift = k + 1074; // denormal: a single mantissa bit, 0..51
  return shift >= 32 ? f64FromWords(2 ** (shift - 32), 0) : f64FromWords(0, 2 ** shift);
}

export function f32FromBits(b: number): number {
  dv.setUint32(0, b >>> 0);
  return dv.getFloat32(0);
}
export function f32Bits(v: number): number {
  dv.setFloat32(0, v);
  return dv.getUint32(0);
}
export function f64Bits(v: number): bigint {
  dv.setFloat64(0, v);
  return dv.getBigUint64(0);
}
export function f64FromBits(b: bigint): number {
  dv.setBigUint64(0, BigInt.asUintN(64, b));
  return dv.getFloat64(0);
}

/** The sign bit of an f64, NaN included. */
export function signBitOf(x: number): boolean {
  return f64Bits(x) >> 63n === 1n;
}

/** A finite f64 times 2^1074, as an exact BigInt (every finite f64 is an integer multiple of 2^-1074). */
export function scaled(v: number): bigint {
  if (!Number.isFinite(v)) throw new Error(`scaled(${v})`);
  const b = f64Bits(v);
  const neg = b >> 63n === 1n;
  const e = Number((b >> 52n) & 0x7ffn);
  const f = b & ((1n << 52n) - 1n);
  const mag = e === 0 ? f : (f | (1n << 52n)) << BigInt(e - 1);
  return neg ? -mag : mag;
}

// ---------------------------------------------------------------------------------------------------
// Format descriptions.

export interface FloatInfo {
  name: string;
  kind: 'ieee' | 'cfloat';
  width: 8 | 16 | 32;
  signed: boolean;
  exp: number;
  man: number;
  bias: number;
  /** Value of the sign bit in the encoding (0 for uhp). */
  signBit: number;
  /** Magnitude pattern of the largest finite value. */
  maxBits: number;
  maxValue: number;
  /** Exponent of the top binade; the virtual value above max is 2^(emax+1). */
  emax: number;
  virtualHi: number;
  minNormal: number;
  /** IEEE: +Inf pattern and canonical quiet NaN. */
  infBits: number;
  nanBits: number;
  /** Magnitudes indexed by magnitude pattern 0..maxBits (8- and 16-bit formats only); strictly increasing. */
  mags: Float64Array | null;
}

export interface IntInfo {
  name: string;
  width: 8 | 16 | 32;
  signed: boolean;
  min: number;
  max: number;
}

function fmtOf(name: string) {
  const f = FORMAT_BY_NAME.get(name);
  if (!f) throw new Error(`no format ${name}`);
  return f;
}

export const isFloat = (name: string): boolean => fmtOf(name).kind !== 'int';
export const isIeee = (name: string): boolean => fmtOf(name).kind === 'ieee';
export const isCfloat = (name: string): boolean => fmtOf(name).kind === 'cfloat';
export const widthOf = (name: string): 8 | 16 | 32 => (fmtOf(name).bytes * 8) as 8 | 16 | 32;

const floatCache = new Map<string, FloatInfo>();

/** Magnitude of a finite-pattern magnitude field, by the formula. */
function magnitude(kind: 'ieee' | 'cfloat', exp: number, man: number, bias: number, magBits: number): number {
  const e = Math.floor(magBits / 2 ** man);
  const m = magBits % 2 ** man;
  void exp;
  if (e === 0) {
    // IEEE denormal: 0.m x 2^(1-bias); Tesla's configurable denormal: 0.m x 2^(-bias).
    const scale = kind === 'ieee' ? 1 - bias : -bias;
    return m * pow2(scale - man);
  }
  return (2 ** man + m) * pow2(e - bias - man);
}

export function floatInfo(spec: Spec): FloatInfo {
  const f = fmtOf(spec.format);
  if (f.kind === 'int') throw new Error(`${spec.format} is not a float`);
  const bias = f.kind === 'ieee' ? f.bias! : spec.bias!;
  if (f.kind === 'cfloat' && !(Number.isInteger(bias) && bias >= 0 && bias <= 63)) throw new Error(`bias ${bias}`);
  const key = `${f.name}/${bias}`;
  const hit = floatCache.get(key);
  if (hit) return hit;
  const kind = f.kind;
  const { exp, man } = f;
  const width = (f.bytes * 8) as 8 | 16 | 32;
  const maxBits = kind === 'ieee' ? (2 ** exp - 1) * 2 ** man - 1 : 2 ** (exp + man) - 1;
  const emax = kind === 'ieee' ? 2 ** exp - 2 - bias : 2 ** exp - 1 - bias;
  let mags: Float64Array | null = null;
  if (width <= 16) {
    mags = new Float64Array(maxBits + 1);
    for (let i = 0; i <= maxBits; i++) mags[i] = magnitude(kind, exp, man, bias, i);
  }
  const info: FloatInfo = {
    name: f.name,
    kind,
    width,
    signed: f.signed,
    exp,
    man,
    bias,
    signBit: f.signed ? 2 ** (exp + man) : 0,
    maxBits,
    maxValue: magnitude(kind, exp, man, bias, maxBits),
    emax,
    virtualHi: pow2(emax + 1),
    minNormal: pow2(1 - bias),
    infBits: kind === 'ieee' ? (2 ** exp - 1) * 2 ** man : -1,
    nanBits: kind === 'ieee' ? (2 ** exp - 1) * 2 ** man + 2 ** (man - 1) : -1,
    mags,
  };
  floatCache.set(key, info);
  return info;
}

export function intInfo(name: string): IntInfo {
  const f = fmtOf(name);
  if (f.kind !== 'int') throw new Error(`${name} is not an integer format`);
  const width = (f.bytes * 8) as 8 | 16 | 32;
  return f.signed
    ? { name, width, signed: true, min: -(2 ** (width - 1)), max: 2 ** (width - 1) - 1 }
    : { name, width, signed: false, min: 0, max: 2 ** width - 1 };
}

/** The low `width` bits of a pattern, as a non-negative number. */
export function lowBits(width: number, bits: number): number {
  return width === 32 ? bits >>> 0 : bits & (2 ** width - 1);
}

// ---------------------------------------------------------------------------------------------------
// Decode.

export function refDecode(spec: Spec, bitsIn: number): number {
  if (!isFloat(spec.format)) {
    const t = intInfo(spec.format);
    const b = lowBits(t.width, bitsIn);
    return t.signed && b >= 2 ** (t.width - 1) ? b - 2 ** t.width : b;
  }
  const f = floatInfo(spec);
  const b = lowBits(f.width, bitsIn);
  const neg = f.signed && b >= f.signBit;
  const mag = neg ? b - f.signBit : b;
  let v: number;
  if (f.kind === 'ieee' && mag >= f.infBits) v = mag === f.infBits ? Infinity : NaN;
  else v = magnitude(f.kind, f.exp, f.man, f.bias, mag);
  return neg ? -v : v;
}

/** A nonzero denormal of a float format (exponent field 0, mantissa not 0). */
export function isDenormalPattern(spec: Spec, bitsIn: number): boolean {
  if (!isFloat(spec.format)) return false;
  const f = floatInfo(spec);
  const b = lowBits(f.width, bitsIn);
  const mag = f.signed && b >= f.signBit ? b - f.signBit : b;
  return mag > 0 && mag < 2 ** f.man;
}

// ---------------------------------------------------------------------------------------------------
// Neighbours: lo = largest representable magnitude <= a, hi = the next one (virtual 2^(emax+1) above max).

export interface Neighbours {
  loBits: number;
  lo: number;
  /** maxBits + 1 when hi is the virtual value above the largest finite. */
  hiBits: number;
  hi: number;
}

/** For finite 0 <= a < virtualHi. */
export function neighbours(f: FloatInfo, a: number): Neighbours {
  if (!(a >= 0 && a < f.virtualHi)) throw new Error(`neighbours(${a})`);
  let loBits: number;
  if (f.mags) {
    // Binary search: the largest index with mags[i] <= a (mags[0] = 0 <= a).
    let l = 0;
    let r = f.mags.length - 1;
    while (l < r) {
      const mid = Math.ceil((l + r) / 2);
      if (f.mags[mid]! <= a) l = mid;
      else r = mid - 1;
    }
    loBits = l;
  } else {
    // fp32: Math.fround(a) is a nearest fp32 (Inf above the last rounding point); step down once if it is
    // above a. Non-negative fp32 patterns are ordered like their values.
    const r = Math.fround(a);
    loBits = f32Bits(r);
    if (r > a) loBits -= 1;
  }
  const lo = valueOfMag(f, loBits);
  const hiBits = loBits + 1;
  const hi = hiBits > f.maxBits ? f.virtualHi : valueOfMag(f, hiBits);
  if (!(lo <= a && a < hi)) throw new Error(`reference neighbours broken for ${f.name}/${f.bias} at ${a}`);
  return { loBits, lo, hiBits, hi };
}

function valueOfMag(f: FloatInfo, magBits: number): number {
  return f.mags ? f.mags[magBits]! : f32FromBits(magBits);
}

/**
 * Stochastic rounding: the number of 32-bit draws r that round up, i.e. ceil((x - lo) / (hi - lo) * 2^32),
 * computed exactly (round up iff r < that count).
 */
export function upCount(x: number, lo: number, hi: number): bigint {
  const num = (scaled(x) - scaled(lo)) << 32n;
  const den = scaled(hi) - scaled(lo);
  return (num + den - 1n) / den;
}

function roundsUp(x: number, lo: number, hi: number, hiBits: number, rounding: Rounding, random: number): boolean {
  if (x === lo) return false;
  if (rounding === 'sr') {
    // random < (x - lo) / (hi - lo) * 2^32, as exact integers: random * (hi - lo) < (x - lo) * 2^32.
    return BigInt(random) * (scaled(hi) - scaled(lo)) < (scaled(x) - scaled(lo)) << 32n;
  }
  // RNE. 2x and lo + hi are exact in f64 here (short significands, far from the f64 range limits).
  const twice = 2 * x;
  const sum = lo + hi;
  if (twice < sum) return false;
  if (twice > sum) return true;
  return hiBits % 2 === 0; // tie: the even encoding (lo and hi patterns are consecutive)
}

// ---------------------------------------------------------------------------------------------------
// Encode.

function checkRandom(rounding: Rounding, random: number) {
  if (rounding === 'sr' && !(Number.isInteger(random) && random >= 0 && random < 2 ** 32)) throw new Error(`random ${random}`);
}

export function refEncode(spec: Spec, x: number, rounding: Rounding = 'rne', random = 0): Encoded {
  checkRandom(rounding, random);
  return isFloat(spec.format) ? encodeFloat(floatInfo(spec), x, rounding, random) : encodeInt(intInfo(spec.format), x, rounding, random);
}

function encodeFloat(f: FloatInfo, x: number, rounding: Rounding, random: number): Encoded {
  const neg = signBitOf(x);
  const sign = neg ? f.signBit : 0;
  if (Number.isNaN(x)) {
    if (f.kind === 'ieee') return { bits: f.nanBits, flags: INVALID };
    return { bits: sign + f.maxBits, flags: INVALID };
  }
  if (!f.signed && neg) return { bits: 0, flags: x === 0 ? 0 : INVALID };
  const a = Math.abs(x);
  const overflow = (): Encoded => ({ bits: sign + (f.kind === 'ieee' ? f.infBits : f.maxBits), flags: OVERFLOW });
  if (a === Infinity) return f.kind === 'ieee' ? { bits: sign + f.infBits, flags: 0 } : overflow();
  if (a >= f.virtualHi) return overflow();
  const n = neighbours(f, a);
  const up = roundsUp(a, n.lo, n.hi, n.hiBits, rounding, random);
  if (up && n.hiBits > f.maxBits) return overflow();
  const result = up ? n.hi : n.lo;
  const flags = a !== 0 && a < f.minNormal && result !== a ? UNDERFLOW : 0;
  return { bits: sign + (up ? n.hiBits : n.loBits), flags };
}

function encodeInt(t: IntInfo, x: number, rounding: Rounding, random: number): Encoded {
  if (Number.isNaN(x)) return { bits: 0, flags: INVALID };
  let r: number;
  if (!Number.isFinite(x)) r = x;
  else if (Number.isInteger(x)) r = x;
  else {
    // Not an integer, so |x| < 2^52 and floor, floor + 1 and 2*floor + 1 are exact.
    const lo = Math.floor(x);
    const hi = lo + 1;
    let up: boolean;
    if (rounding === 'sr') up = BigInt(random) < upCount(x, lo, hi);
    else {
      const twice = 2 * x;
      const sum = lo + hi;
      up = twice > sum || (twice === sum && hi % 2 === 0);
    }
    r = up ? hi : lo;
  }
  if (r === 0) r = 0; // -0 -> 0
  let flags = 0;
  if (r < t.min) {
    r = t.min;
    flags = INVALID;
  } else if (r > t.max) {
    r = t.max;
    flags = INVALID;
  }
  return { bits: r < 0 ? r + 2 ** t.width : r, flags };
}

// ---------------------------------------------------------------------------------------------------
// Convert.

export function refConvert(from: Spec, to: Spec, bits: number, rounding: Rounding = 'rne', random = 0): Encoded {
  let v = refDecode(from, bits);
  let flags = 0;
  if (isDenormalPattern(from, bits)) flags |= DENORMAL;
  if (Number.isNaN(v)) {
    flags |= INVALID;
    // Carry the source NaN's sign explicitly (a JS NaN's sign is not something to rely on).
    const f = floatInfo(from);
    const neg = lowBits(f.width, bits) >= f.signBit;
    v = f64FromBits(neg ? 0xfff8000000000000n : 0x7ff8000000000000n);
  }
  const e = refEncode(to, v, rounding, random);
  return { bits: e.bits, flags: flags | e.flags };
}

// ---------------------------------------------------------------------------------------------------
// SplitMix64, straight from the definition with BigInt.

export class RefSplitMix {
  constructor(public state: bigint) {
    this.state = BigInt.asUintN(64, state);
  }
  next(): number {
    const M = (v: bigint) => BigInt.asUintN(64, v);
    this.state = M(this.state + SPLITMIX.GOLDEN);
    let z = this.state;
    z = M((z ^ (z >> 30n)) * SPLITMIX.M1);
    z = M((z ^ (z >> 27n)) * SPLITMIX.M2);
    z = z ^ (z >> 31n);
    return Number(z >> 32n);
  }
}

// ---------------------------------------------------------------------------------------------------
// Deterministic sampling.

/** xorshift32 (Marsaglia): a tiny deterministic source of u32s for samples. */
export class Xs32 {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  u32(): number {
    let s = this.s;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.s = s >>> 0;
    return this.s;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor((this.u32() / 2 ** 32) * (hi - lo + 1));
  }
  f64(): number {
    // A random bit pattern, rejecting nothing (NaNs and infinities included).
    return f64FromBits((BigInt(this.u32()) << 32n) | BigInt(this.u32()));
  }
}

/**
 * fp32 bit patterns for sampling a float format: half uniformly random patterns, half with the exponent
 * near the target format's range (from below its smallest denormal to above its virtual max).
 */
export function fp32Sample(n: number, seed: number, f?: FloatInfo): number[] {
  const g = new Xs32(seed);
  const out: number[] = [];
  let loE = 1;
  let hiE = 254;
  if (f) {
    const smallest = f.kind === 'ieee' ? 1 - f.bias - f.man : -f.bias - f.man; // exponent of the smallest denormal
    loE = Math.max(1, smallest - 3 + 127);
    hiE = Math.min(254, f.emax + 3 + 127);
  }
  for (let i = 0; i < n; i++) {
    const u = g.u32();
    if (i % 2 === 0 || !f) out.push(u);
    else out.push(((u & 0x807fffff) | (g.int(loE, hiE) << 23)) >>> 0);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Comparing many results without one expect() per case.

export class Mismatches {
  readonly list: string[] = [];
  count = 0;
  constructor(private readonly keep = 12) {}
  add(what: string): void {
    this.count++;
    if (this.list.length < this.keep) this.list.push(what);
  }
  /** Something for expect(...).toEqual([]): the first few mismatches and how many there were. */
  report(): string[] {
    return this.count === 0 ? [] : [...this.list, `(${this.count} mismatches in all)`];
  }
}

export const hex = (v: number, digits = 0): string => '0x' + (v >>> 0).toString(16).padStart(digits, '0');
export const specName = (s: Spec): string => (s.bias === undefined ? s.format : `${s.format}/bias ${s.bias}`);
export const showNum = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
