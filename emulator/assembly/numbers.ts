// The number formats of the vector unit: decoding a lane to a binary64 value and rounding a binary64
// value into a lane (Tesla's configurable-float guide; IEEE 754-2008 for fp32/fp16; bf16 as the top half
// of fp32). The one implementation: the core calls it for every lane, and the host reaches the same code
// compiled alone (dist/d1-numbers.wasm, emulator/host/numbers.ts). docs/machine.md states the rules.
//
// Every format here has at most 24 significand bits, so binary64 holds each value exactly, and a single
// +, -, * or / computed in binary64 and rounded once by encode() is the correctly rounded result
// (binary64 has at least 2p+2 bits for every p here).
import * as N from './generated/numbers';

/** Flags raised since the caller last cleared them (NUMBER_FLAGS bits). */
export let nflags: u32 = 0;

export function clearFlags(): void { nflags = 0; }

/** 2^k as a binary64, for -1022 <= k <= 1023. */
// @ts-ignore: decorator
@inline function pow2(k: i32): f64 { return reinterpret<f64>(<u64>(k + 1023) << 52); }

// @ts-ignore: decorator
@inline function unbiased(id: u32, bias: u32): i32 {
  const b = unchecked(N.FMT_BIAS[id]);
  return b >= 0 ? b : <i32>bias;
}

/** The value of a lane. Sets DENORMAL for a nonzero denormal and INVALID for a NaN (operand flags). */
export function decode(id: u32, bias: u32, bits: u32): f64 {
  const kind = unchecked(N.FMT_KIND[id]);
  const bytes = <u32>unchecked(N.FMT_BYTES[id]);
  if (kind == N.KIND_INT) {
    if (!unchecked(N.FMT_SIGNED[id])) return bytes == 4 ? <f64>bits : <f64>(bits & ((1 << (bytes << 3)) - 1));
    const sh = 32 - (bytes << 3);
    return <f64>((<i32>(bits << sh)) >> sh);
  }
  const e = unchecked(N.FMT_EXP[id]);
  const m = unchecked(N.FMT_MAN[id]);
  const b = unbiased(id, bias);
  const mant = bits & ((1 << m) - 1);
  const ef = <i32>((bits >> m) & ((1 << e) - 1));
  const neg = unchecked(N.FMT_SIGNED[id]) != 0 && ((bits >> (e + m)) & 1) != 0;
  let v: f64;
  if (kind == N.KIND_IEEE && ef == (1 << e) - 1) {
    if (mant != 0) nflags |= N.FLAG_INVALID;
    v = mant != 0 ? NaN : Infinity; // the sign below is kept, NaN's too
  } else if (ef == 0) {
    // IEEE denormals are 0.m x 2^(1-bias); the guide writes the configurable ones as 0.m x 2^(-bias).
    v = <f64>mant * pow2((kind == N.KIND_IEEE ? 1 : 0) - b - m);
    if (mant != 0) nflags |= N.FLAG_DENORMAL;
  } else {
    v = <f64>(mant | (1 << m)) * pow2(ef - b - m);
  }
  return neg ? -v : v;
}

/**
 * Round x into format id (bias for the configurable floats). rounding is ROUND_RNE or ROUND_SR; a
 * stochastic rounding goes up iff rnd < (|x| - lo) / (hi - lo) * 2^32, lo and hi being the neighbours
 * of |x|. Raises OVERFLOW, UNDERFLOW (tiny and inexact) and INVALID as docs/machine.md describes.
 */
export function encode(id: u32, bias: u32, x: f64, rounding: u32, rnd: u32): u32 {
  if (unchecked(N.FMT_KIND[id]) == N.KIND_INT) return encodeInt(id, x, rounding, rnd);
  const ieee = unchecked(N.FMT_KIND[id]) == N.KIND_IEEE;
  const e = unchecked(N.FMT_EXP[id]);
  const m = unchecked(N.FMT_MAN[id]);
  const b = unbiased(id, bias);
  const signed = unchecked(N.FMT_SIGNED[id]) != 0;
  const topField = ieee ? (1 << e) - 2 : (1 << e) - 1;
  const maxBits = <u32>((topField << m) | ((1 << m) - 1));
  const infBits = <u32>(((1 << e) - 1) << m);
  const neg = (reinterpret<u64>(x) >> 63) != 0;
  const sign: u32 = signed && neg ? 1 << (e + m) : 0;
  if (isNaN(x)) {
    nflags |= N.FLAG_INVALID;
    return ieee ? infBits | (1 << (m - 1)) : sign | maxBits;
  }
  const a = abs(x);
  if (!signed && neg) {
    if (a != 0) nflags |= N.FLAG_INVALID;
    return 0;
  }
  if (a == Infinity) {
    if (ieee) return sign | infBits;
    nflags |= N.FLAG_OVERFLOW;
    return sign | maxBits;
  }
  const emax = topField - b;
  const minNormal = pow2(1 - b);
  let t: u32, lo: f64, hi: f64;
  if (a >= minNormal) {
    const E = <i32>((reinterpret<u64>(a) >> 52) & 0x7ff) - 1023;
    if (E > emax) {
      nflags |= N.FLAG_OVERFLOW;
      return sign | (ieee ? infBits : maxBits);
    }
    const q = pow2(E - m);
    const n = floor(a / q);
    t = (<u32>(E + b) << m) + <u32>n - (1 << m);
    lo = n * q;
    hi = lo + q;
  } else {
    const q = pow2((ieee ? 1 : 0) - b - m);
    let n = floor(a / q);
    hi = (n + 1) * q;
    if (n >= <f64>((1 << m) - 1)) {
      // Above the largest denormal comes the smallest normal. (The guide's denormals stop at
      // 0.11..1 x 2^-bias, so for the configurable formats a gap up to 2^(1-bias) lies between.)
      n = <f64>((1 << m) - 1);
      hi = minNormal;
    }
    t = <u32>n;
    lo = n * q;
  }
  let up = false;
  if (a != lo) {
    if (rounding == N.ROUND_SR) up = <f64>rnd * (hi - lo) < (a - lo) * 4294967296.0;
    else {
      const dl = a - lo;
      const dh = hi - a;
      up = dl > dh || (dl == dh && (t & 1) != 0);
    }
    if (a < minNormal) nflags |= N.FLAG_UNDERFLOW;
  }
  let bits = up ? t + 1 : t;
  if (bits > maxBits) {
    nflags |= N.FLAG_OVERFLOW;
    bits = ieee ? infBits : maxBits;
  }
  return sign | bits;
}

/** Round to an integer (lo = floor(x), hi = lo + 1) and saturate; saturating or a NaN raises INVALID. */
function encodeInt(id: u32, x: f64, rounding: u32, rnd: u32): u32 {
  if (isNaN(x)) {
    nflags |= N.FLAG_INVALID;
    return 0;
  }
  const width = <u32>unchecked(N.FMT_BYTES[id]) << 3;
  const signed = unchecked(N.FMT_SIGNED[id]) != 0;
  const min: f64 = signed ? -pow2(width - 1) : 0;
  const max: f64 = (signed ? pow2(width - 1) : pow2(width)) - 1;
  let r = x;
  if (x > min - 1 && x < max + 1) {
    const lo = floor(x);
    const f = x - lo;
    const up = rounding == N.ROUND_SR
      ? <f64>rnd < f * 4294967296.0
      : f > 0.5 || (f == 0.5 && <i64>lo % 2 != 0);
    r = up ? lo + 1 : lo;
  }
  if (r < min || r > max) {
    nflags |= N.FLAG_INVALID;
    r = r < min ? min : max;
  }
  const mask: u64 = (<u64>1 << width) - 1;
  return <u32>(<u64>(<i64>r) & mask);
}

/** The next state of the stochastic-rounding generator (SplitMix64). */
// @ts-ignore: decorator
@inline export function srStep(state: u64): u64 { return state + N.SPLITMIX_GOLDEN; }

/** The 32-bit draw a SplitMix64 state gives: the high half of its mixed value. */
export function srDraw(state: u64): u32 {
  let z = state;
  z = (z ^ (z >> 30)) * N.SPLITMIX_M1;
  z = (z ^ (z >> 27)) * N.SPLITMIX_M2;
  z ^= z >> 31;
  return <u32>(z >> 32);
}
