// The IEEE-style formats against definitions that do not go through the reference's tables:
//   fp32: encode(x) is Math.fround(x) (NaN canonicalised to 0x7fc00000), decode is the binary32 value;
//   bf16: encode of an fp32 value u is (u + 0x7fff + ((u >> 16) & 1)) >>> 16 (NaN -> 0x7fc0), decode(b) is
//         the binary32 with bits b << 16;
//   fp16 and bf16: every encoding decodes like the reference and round-trips (NaNs to the canonical NaN).
// Flags follow from the spec: OVERFLOW when a finite input gives an infinity, UNDERFLOW when a nonzero
// input below the smallest normal is not represented exactly, INVALID for NaN.
import { describe, expect, it } from 'vitest';
import { convert, decode, encode } from '../../emulator/host/numbers.js';
import { nextDown, nextUp } from './exhaustive.js';
import {
  DENORMAL,
  INVALID,
  Mismatches,
  OVERFLOW,
  UNDERFLOW,
  Xs32,
  f32Bits,
  f32FromBits,
  f64Bits,
  f64FromBits,
  hex,
  isDenormalPattern,
  pow2,
  refDecode,
  showNum,
  type Spec,
} from './reference.js';

const FP32: Spec = { format: 'fp32' };
const BF16: Spec = { format: 'bf16' };
const FP16: Spec = { format: 'fp16' };
const MIN_NORMAL_32 = pow2(-126);

/** Flags of rounding finite-or-not x to `r` in a format whose smallest normal is `minNormal`. */
function ieeeFlags(x: number, r: number, minNormal: number): number {
  if (Number.isNaN(x)) return INVALID;
  if (Number.isFinite(x) && !Number.isFinite(r)) return OVERFLOW;
  if (x !== 0 && Math.abs(x) < minNormal && r !== x) return UNDERFLOW;
  return 0;
}

/** Deterministic fp32 patterns: uniform, plus every exponent's edges, ties, max, infinities and NaNs. */
function fp32Patterns(n: number, seed: number): number[] {
  const g = new Xs32(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(g.u32());
  const lows = [0, 1, 0x7fff, 0x8000, 0x8001, 0xffff, 0x17fff, 0x18000, 0x18001];
  const highs = [0, 0x7f, 0x7e, 0x40];
  for (let e = 0; e < 256; e++)
    for (const s of [0, 0x80000000])
      for (const h of highs) for (const l of lows) out.push((s | (e << 23) | ((h << 16) & 0x7fffff) | l) >>> 0);
  out.push(0x7f7fffff, 0x7f7f7fff, 0x7f7f8000, 0x7f7f8001, 0xff7f8000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff);
  return out;
}

describe('fp32', () => {
  it('decodes sampled patterns to the binary32 value', () => {
    const bad = new Mismatches();
    for (const u of fp32Patterns(200_000, 11)) {
      const want = f32FromBits(u);
      const got = decode(FP32, u);
      if (!Object.is(got, want) && !(Number.isNaN(got) && Number.isNaN(want))) bad.add(`decode fp32 ${hex(u, 8)}: expected ${showNum(want)}, got ${showNum(got)}`);
    }
    expect(bad.report()).toEqual([]);
  });

  it('encode of f64 values equals Math.fround, with the spec flags', () => {
    const g = new Xs32(12);
    const xs: number[] = [];
    // Random f64 patterns with the exponent in and around the binary32 range, and fully random ones.
    for (let i = 0; i < 100_000; i++) {
      const hi = g.u32();
      const e = g.int(1023 - 160, 1023 + 135);
      xs.push(f64FromBits((BigInt((hi & 0x800fffff) | (e << 20)) << 32n) | BigInt(g.u32())));
      xs.push(g.f64());
    }
    // Around every rounding point of a sample of fp32 neighbours: the midpoint and one f64 ulp either side.
    for (const u of fp32Patterns(30_000, 13)) {
      const a = Math.abs(f32FromBits(u));
      if (!Number.isFinite(a) || Number.isNaN(a)) continue;
      const up = (u & 0x7fffffff) === 0x7f7fffff ? 2 ** 128 : f32FromBits((u & 0x7fffffff) + 1);
      const mid = (a + up) / 2;
      for (const v of [mid, nextDown(mid), nextUp(mid)]) xs.push(v, -v);
    }
    xs.push(2 ** 128, -(2 ** 128), Infinity, -Infinity, NaN, -0, 0, pow2(-150), pow2(-1074), nextUp(pow2(-150)), 1e-300);
    const bad = new Mismatches();
    for (const x of xs) {
      const r = Math.fround(x);
      const want = { bits: Number.isNaN(x) ? 0x7fc00000 : f32Bits(r), flags: ieeeFlags(x, r, MIN_NORMAL_32) };
      const got = encode(FP32, x);
      if (got.bits >>> 0 !== want.bits || got.flags !== want.flags)
        bad.add(`encode fp32 ${showNum(x)} (f64 ${f64Bits(x).toString(16)}): expected {bits ${hex(want.bits)}, flags ${want.flags}}, got {bits ${hex(got.bits)}, flags ${got.flags}}`);
    }
    expect(bad.report()).toEqual([]);
  });

  it('converting fp32 to fp32 keeps values, flags denormals and canonicalises NaNs', () => {
    const bad = new Mismatches();
    for (const u of fp32Patterns(50_000, 14)) {
      const v = f32FromBits(u);
      const nan = Number.isNaN(v);
      const want = { bits: nan ? 0x7fc00000 : u, flags: nan ? INVALID : isDenormalPattern(FP32, u) ? DENORMAL : 0 };
      const got = convert(FP32, FP32, u);
      if (got.bits >>> 0 !== want.bits || got.flags !== want.flags)
        bad.add(`convert fp32 ${hex(u, 8)} -> fp32: expected {bits ${hex(want.bits)}, flags ${want.flags}}, got {bits ${hex(got.bits)}, flags ${got.flags}}`);
    }
    expect(bad.report()).toEqual([]);
  });
});

describe('bf16', () => {
  it('encode of fp32 values follows the bit definition (u + 0x7fff + lsb) >>> 16, with the spec flags', () => {
    const bad = new Mismatches();
    for (const u of fp32Patterns(400_000, 21)) {
      const x = f32FromBits(u);
      const bits = Number.isNaN(x) ? 0x7fc0 : ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
      const want = { bits, flags: ieeeFlags(x, f32FromBits(bits << 16), MIN_NORMAL_32) };
      const got = encode(BF16, x);
      if (got.bits !== want.bits || got.flags !== want.flags)
        bad.add(`encode bf16 fp32 ${hex(u, 8)} (${showNum(x)}): expected {bits ${hex(want.bits)}, flags ${want.flags}}, got {bits ${hex(got.bits)}, flags ${got.flags}}`);
    }
    expect(bad.report()).toEqual([]);
  });

  it('every encoding decodes to the binary32 with bits b << 16', () => {
    const bad = new Mismatches();
    for (let b = 0; b < 65536; b++) {
      const want = f32FromBits(b << 16);
      const got = decode(BF16, b);
      if (!Object.is(got, want) && !(Number.isNaN(got) && Number.isNaN(want))) bad.add(`decode bf16 ${hex(b, 4)}: expected ${showNum(want)}, got ${showNum(got)}`);
    }
    expect(bad.report()).toEqual([]);
  });
});

for (const spec of [BF16, FP16]) {
  describe(`${spec.format}: every encoding`, () => {
    const canonical = spec.format === 'bf16' ? 0x7fc0 : 0x7e00;
    it('decodes like the reference and encodes back (NaNs to the canonical NaN with INVALID)', () => {
      const bad = new Mismatches();
      for (let b = 0; b < 65536; b++) {
        const v = refDecode(spec, b);
        const got = decode(spec, b);
        if (!Object.is(got, v) && !(Number.isNaN(got) && Number.isNaN(v))) bad.add(`decode ${spec.format} ${hex(b, 4)}: expected ${showNum(v)}, got ${showNum(got)}`);
        const want = Number.isNaN(v) ? { bits: canonical, flags: INVALID } : { bits: b, flags: 0 };
        const e = encode(spec, v);
        if (e.bits !== want.bits || e.flags !== want.flags) bad.add(`encode ${spec.format} ${showNum(v)} (from ${hex(b, 4)}): expected ${JSON.stringify(want)}, got ${JSON.stringify(e)}`);
      }
      expect(bad.report()).toEqual([]);
    });
    it('converts to fp32 exactly (DENORMAL for denormals) and back', () => {
      const bad = new Mismatches();
      for (let b = 0; b < 65536; b++) {
        const v = refDecode(spec, b);
        const nan = Number.isNaN(v);
        const want32 = { bits: nan ? 0x7fc00000 : f32Bits(v), flags: nan ? INVALID : isDenormalPattern(spec, b) ? DENORMAL : 0 };
        const to = convert(spec, FP32, b);
        if (to.bits >>> 0 !== want32.bits || to.flags !== want32.flags)
          bad.add(`convert ${spec.format} ${hex(b, 4)} -> fp32: expected {bits ${hex(want32.bits)}, flags ${want32.flags}}, got {bits ${hex(to.bits)}, flags ${to.flags}}`);
        // A bf16 denormal is an fp32 denormal too, so the way back flags DENORMAL.
        const wantBack = nan ? { bits: canonical, flags: INVALID } : { bits: b, flags: isDenormalPattern(FP32, want32.bits) ? DENORMAL : 0 };
        const back = convert(FP32, spec, want32.bits);
        if (back.bits !== wantBack.bits || back.flags !== wantBack.flags)
          bad.add(`convert fp32 ${hex(want32.bits, 8)} -> ${spec.format}: expected ${JSON.stringify(wantBack)}, got ${JSON.stringify(back)}`);
      }
      expect(bad.report()).toEqual([]);
    });
  });
}
