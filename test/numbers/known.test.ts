// Hand-computed values, checked against both the test reference (to trust it) and the implementation.
// Every expectation below was worked out on paper from the format definitions, not by running code.
import { describe, expect, it } from 'vitest';
import * as impl from '../../emulator/host/numbers.js';
import { FORMAT_BY_NAME } from '../../isa/numbers.js';
import {
  DENORMAL,
  INVALID,
  OVERFLOW,
  UNDERFLOW,
  f64FromBits,
  floatInfo,
  pow2,
  refConvert,
  refDecode,
  refEncode,
  type Encoded,
  type Rounding,
  type Spec,
} from './reference.js';

interface Api {
  decode(spec: Spec, bits: number): number;
  encode(spec: Spec, x: number, rounding?: Rounding, random?: number): Encoded;
  convert(from: Spec, to: Spec, bits: number, rounding?: Rounding, random?: number): Encoded;
}
const norm = (e: Encoded): Encoded => ({ bits: e.bits >>> 0, flags: e.flags });
const APIS: [string, Api][] = [
  ['reference', { decode: refDecode, encode: refEncode, convert: refConvert }],
  ['implementation', { decode: impl.decode, encode: impl.encode, convert: impl.convert }],
];

const NEG_NAN = f64FromBits(0xfff8000000000000n);

const s = (format: string, bias?: number): Spec => (bias === undefined ? { format } : { format, bias });

// [spec, bits, value]
const DECODES: [Spec, number, number][] = [
  [s('fp32'), 0x3f800000, 1],
  [s('fp32'), 0x00000001, pow2(-149)],
  [s('fp32'), 0x00800000, pow2(-126)],
  [s('fp32'), 0x7f7fffff, 3.4028234663852886e38],
  [s('fp32'), 0xff800000, -Infinity],
  [s('fp32'), 0x80000000, -0],
  [s('fp32'), 0x7fc00000, NaN],
  [s('fp32'), 0xffffffff, NaN],
  [s('bf16'), 0x3f80, 1],
  [s('bf16'), 0xc040, -3],
  [s('bf16'), 0x7f7f, 3.3895313892515355e38],
  [s('bf16'), 0x0001, pow2(-133)],
  [s('bf16'), 0x7f80, Infinity],
  [s('bf16'), 0x7f81, NaN],
  [s('fp16'), 0x3c00, 1],
  [s('fp16'), 0x7bff, 65504],
  [s('fp16'), 0x0001, pow2(-24)],
  [s('fp16'), 0x03ff, 1023 * pow2(-24)],
  [s('fp16'), 0x0400, pow2(-14)],
  [s('fp16'), 0x7c00, Infinity],
  [s('fp16'), 0xfc00, -Infinity],
  [s('fp16'), 0x7e00, NaN],
  [s('fp16'), 0x8000, -0],
  // CFloat8 1-4-3, bias 7: 0x38 = e 7 m 0.
  [s('cfp8_143', 7), 0x38, 1],
  [s('cfp8_143', 7), 0xb8, -1],
  [s('cfp8_143', 7), 0x7f, 480], // e 15: 1.875 x 2^8
  [s('cfp8_143', 7), 0xff, -480],
  [s('cfp8_143', 7), 0x78, 256], // top exponent is ordinary, no infinity
  [s('cfp8_143', 7), 0x08, 1 / 64], // smallest normal 2^(1-7)
  [s('cfp8_143', 7), 0x07, 0.875 / 128], // largest denormal 0.875 x 2^-7 (Tesla's 2^-bias)
  [s('cfp8_143', 7), 0x01, pow2(-10)], // 0.125 x 2^-7
  [s('cfp8_143', 7), 0x00, 0],
  [s('cfp8_143', 7), 0x80, -0],
  [s('cfp8_143', 7), 0x1238, 1], // only the low 8 bits count
  [s('cfp8_143', 0), 0x7f, 61440], // 1.875 x 2^15
  [s('cfp8_143', 63), 0x01, pow2(-66)],
  // CFloat8 1-5-2, bias 15: 0x3c = e 15 m 0.
  [s('cfp8_152', 15), 0x3c, 1],
  [s('cfp8_152', 15), 0x7f, 114688], // 1.75 x 2^16
  [s('cfp8_152', 15), 0x7c, 65536],
  [s('cfp8_152', 15), 0x01, pow2(-17)], // 0.25 x 2^-15
  [s('cfp8_152', 15), 0x03, 0.75 * pow2(-15)],
  [s('cfp8_152', 15), 0x04, pow2(-14)],
  // SHP 1-5-10, bias 15.
  [s('shp', 15), 0x3c00, 1],
  [s('shp', 15), 0x7fff, 131008], // (2 - 2^-10) x 2^16
  [s('shp', 15), 0x7c00, 65536],
  [s('shp', 15), 0x0001, pow2(-25)], // 2^-10 x 2^-15
  [s('shp', 15), 0xbc00, -1],
  [s('shp', 0), 0x7fff, (2 - pow2(-10)) * pow2(31)],
  // UHP 0-6-10 (no sign bit), bias 31: 0x7c00 = e 31 m 0.
  [s('uhp', 31), 0x7c00, 1],
  [s('uhp', 31), 0xfc00, 2 ** 32],
  [s('uhp', 31), 0xffff, (2 - pow2(-10)) * 2 ** 32],
  [s('uhp', 31), 0x0001, pow2(-41)],
  [s('uhp', 31), 0x8000, 2], // bit 15 is exponent, not sign: e 32
  [s('uhp', 0), 0xffff, (2 - pow2(-10)) * pow2(63)],
  [s('uhp', 63), 0x0001, pow2(-73)],
  // Integers.
  [s('int8'), 0x80, -128],
  [s('int8'), 0x7f, 127],
  [s('int8'), 0xff, -1],
  [s('uint8'), 0x80, 128],
  [s('int16'), 0x8000, -32768],
  [s('uint16'), 0xffff, 65535],
  [s('int32'), 0xffffffff, -1],
  [s('int32'), 0x80000000, -2147483648],
  [s('uint32'), 0xffffffff, 4294967295],
];

// [spec, x, rounding, random, expected]
const ENCODES: [Spec, number, Rounding, number, Encoded][] = [
  [s('fp32'), 1, 'rne', 0, { bits: 0x3f800000, flags: 0 }],
  [s('fp32'), 1 + pow2(-24), 'rne', 0, { bits: 0x3f800000, flags: 0 }], // tie -> even
  [s('fp32'), 1 + 3 * pow2(-24), 'rne', 0, { bits: 0x3f800002, flags: 0 }], // tie -> even (up)
  [s('fp32'), 3.4028235677973366e38, 'rne', 0, { bits: 0x7f800000, flags: OVERFLOW }], // max + half ulp: tie to the virtual 2^128
  [s('fp32'), 3.4028235677973362e38, 'rne', 0, { bits: 0x7f7fffff, flags: 0 }],
  [s('fp32'), -1e300, 'rne', 0, { bits: 0xff800000, flags: OVERFLOW }],
  [s('fp32'), pow2(-150), 'rne', 0, { bits: 0, flags: UNDERFLOW }], // tie between 0 and 2^-149 -> 0
  [s('fp32'), -3 * pow2(-151), 'rne', 0, { bits: 0x80000001, flags: UNDERFLOW }],
  [s('fp32'), pow2(-149), 'rne', 0, { bits: 1, flags: 0 }], // exact denormal: no underflow
  [s('fp32'), NaN, 'rne', 0, { bits: 0x7fc00000, flags: INVALID }],
  [s('fp32'), NEG_NAN, 'rne', 0, { bits: 0x7fc00000, flags: INVALID }],
  [s('fp32'), -Infinity, 'rne', 0, { bits: 0xff800000, flags: 0 }],
  [s('fp32'), -0, 'rne', 0, { bits: 0x80000000, flags: 0 }],
  [s('bf16'), 1 + pow2(-8), 'rne', 0, { bits: 0x3f80, flags: 0 }],
  [s('bf16'), 1 + 3 * pow2(-8), 'rne', 0, { bits: 0x3f82, flags: 0 }],
  [s('bf16'), NaN, 'rne', 0, { bits: 0x7fc0, flags: INVALID }],
  [s('fp16'), 65519, 'rne', 0, { bits: 0x7bff, flags: 0 }],
  [s('fp16'), 65520, 'rne', 0, { bits: 0x7c00, flags: OVERFLOW }],
  [s('fp16'), 65520, 'sr', 2 ** 32 - 1, { bits: 0x7bff, flags: 0 }], // halfway: up iff r < 2^31
  [s('fp16'), 65520, 'sr', 2 ** 31 - 1, { bits: 0x7c00, flags: OVERFLOW }],
  [s('fp16'), 65520, 'sr', 2 ** 31, { bits: 0x7bff, flags: 0 }],
  [s('fp16'), pow2(-25), 'rne', 0, { bits: 0, flags: UNDERFLOW }],
  [s('fp16'), 1.5 * pow2(-25), 'rne', 0, { bits: 1, flags: UNDERFLOW }],
  [s('fp16'), -Infinity, 'rne', 0, { bits: 0xfc00, flags: 0 }],
  [s('fp16'), NaN, 'rne', 0, { bits: 0x7e00, flags: INVALID }],
  [s('cfp8_143', 7), 1, 'rne', 0, { bits: 0x38, flags: 0 }],
  [s('cfp8_143', 7), 495, 'rne', 0, { bits: 0x7f, flags: 0 }],
  [s('cfp8_143', 7), 496, 'rne', 0, { bits: 0x7f, flags: OVERFLOW }], // tie to virtual 512 -> clamp
  [s('cfp8_143', 7), -1000, 'rne', 0, { bits: 0xff, flags: OVERFLOW }],
  [s('cfp8_143', 7), Infinity, 'rne', 0, { bits: 0x7f, flags: OVERFLOW }],
  [s('cfp8_143', 7), -Infinity, 'rne', 0, { bits: 0xff, flags: OVERFLOW }],
  [s('cfp8_143', 7), NaN, 'rne', 0, { bits: 0x7f, flags: INVALID }],
  [s('cfp8_143', 7), NEG_NAN, 'rne', 0, { bits: 0xff, flags: INVALID }],
  // The gap: largest denormal 0.875 x 2^-7 (0x07, odd), smallest normal 2^-6 (0x08, even).
  [s('cfp8_143', 7), 0.01123046875, 'rne', 0, { bits: 0x08, flags: UNDERFLOW }], // the midpoint: tie -> even
  [s('cfp8_143', 7), 0.01, 'rne', 0, { bits: 0x07, flags: UNDERFLOW }],
  [s('cfp8_143', 7), 0.012, 'rne', 0, { bits: 0x08, flags: UNDERFLOW }],
  [s('cfp8_143', 7), 0.015625, 'rne', 0, { bits: 0x08, flags: 0 }],
  [s('cfp8_143', 7), 0.875 / 128, 'rne', 0, { bits: 0x07, flags: 0 }], // exact denormal: no flag
  [s('cfp8_143', 7), pow2(-11), 'rne', 0, { bits: 0x00, flags: UNDERFLOW }], // half the smallest denormal: tie -> 0
  [s('cfp8_143', 7), -pow2(-11), 'rne', 0, { bits: 0x80, flags: UNDERFLOW }],
  [s('cfp8_143', 7), 3 * pow2(-11), 'rne', 0, { bits: 0x02, flags: UNDERFLOW }],
  [s('cfp8_143', 7), -0, 'rne', 0, { bits: 0x80, flags: 0 }],
  [s('cfp8_143', 7), 1.0625, 'sr', 2 ** 31 - 1, { bits: 0x39, flags: 0 }], // frac 1/2
  [s('cfp8_143', 7), 1.0625, 'sr', 2 ** 31, { bits: 0x38, flags: 0 }],
  [s('cfp8_143', 7), -1.03125, 'sr', 2 ** 30 - 1, { bits: 0xb9, flags: 0 }], // frac 1/4
  [s('cfp8_143', 7), -1.03125, 'sr', 2 ** 30, { bits: 0xb8, flags: 0 }],
  [s('cfp8_143', 7), 1, 'sr', 0, { bits: 0x38, flags: 0 }], // exact: never moves
  [s('cfp8_143', 7), 480, 'sr', 0, { bits: 0x7f, flags: 0 }],
  [s('cfp8_143', 7), 481, 'sr', 0, { bits: 0x7f, flags: OVERFLOW }], // up to virtual 512
  [s('cfp8_143', 7), 481, 'sr', 2 ** 32 - 1, { bits: 0x7f, flags: 0 }],
  [s('cfp8_152', 15), 1.125, 'rne', 0, { bits: 0x3c, flags: 0 }], // tie 1 / 1.25 -> even
  [s('cfp8_152', 15), 1.375, 'rne', 0, { bits: 0x3e, flags: 0 }], // tie 1.25 / 1.5 -> even
  [s('shp', 15), 1 + pow2(-11), 'rne', 0, { bits: 0x3c00, flags: 0 }],
  [s('shp', 15), 131008, 'rne', 0, { bits: 0x7fff, flags: 0 }],
  [s('shp', 15), 131040, 'rne', 0, { bits: 0x7fff, flags: OVERFLOW }], // tie with the virtual 2^17
  [s('shp', 15), 131072, 'rne', 0, { bits: 0x7fff, flags: OVERFLOW }],
  [s('uhp', 31), 1, 'rne', 0, { bits: 0x7c00, flags: 0 }],
  [s('uhp', 31), 2, 'rne', 0, { bits: 0x8000, flags: 0 }],
  [s('uhp', 31), -1, 'rne', 0, { bits: 0, flags: INVALID }],
  [s('uhp', 31), -0, 'rne', 0, { bits: 0, flags: 0 }],
  [s('uhp', 31), -Infinity, 'rne', 0, { bits: 0, flags: INVALID }],
  [s('uhp', 31), Infinity, 'rne', 0, { bits: 0xffff, flags: OVERFLOW }],
  [s('uhp', 31), NaN, 'rne', 0, { bits: 0xffff, flags: INVALID }],
  [s('uhp', 31), 1e300, 'rne', 0, { bits: 0xffff, flags: OVERFLOW }],
  [s('int8'), 2.5, 'rne', 0, { bits: 2, flags: 0 }],
  [s('int8'), 3.5, 'rne', 0, { bits: 4, flags: 0 }],
  [s('int8'), -2.5, 'rne', 0, { bits: 0xfe, flags: 0 }],
  [s('int8'), -2.6, 'rne', 0, { bits: 0xfd, flags: 0 }],
  [s('int8'), 200, 'rne', 0, { bits: 0x7f, flags: INVALID }],
  [s('int8'), -128.5, 'rne', 0, { bits: 0x80, flags: 0 }], // tie -> -128 (even)
  [s('int8'), -129.5, 'rne', 0, { bits: 0x80, flags: INVALID }], // -> -130, saturated
  [s('int8'), 127.5, 'rne', 0, { bits: 0x7f, flags: INVALID }], // -> 128, saturated
  [s('int8'), -0.4, 'rne', 0, { bits: 0, flags: 0 }],
  [s('int8'), NaN, 'rne', 0, { bits: 0, flags: INVALID }],
  [s('int8'), -Infinity, 'rne', 0, { bits: 0x80, flags: INVALID }],
  [s('uint8'), -0.5, 'rne', 0, { bits: 0, flags: 0 }], // tie -> -0 -> 0, no flag
  [s('uint8'), -0.6, 'rne', 0, { bits: 0, flags: INVALID }],
  [s('uint8'), 255.5, 'rne', 0, { bits: 255, flags: INVALID }],
  [s('uint8'), 2.25, 'sr', 2 ** 30 - 1, { bits: 3, flags: 0 }],
  [s('uint8'), 2.25, 'sr', 2 ** 30, { bits: 2, flags: 0 }],
  [s('int32'), 2147483647.5, 'rne', 0, { bits: 0x7fffffff, flags: INVALID }],
  [s('int32'), -2147483648.4, 'rne', 0, { bits: 0x80000000, flags: 0 }],
  [s('uint32'), 4294967295.4, 'rne', 0, { bits: 0xffffffff, flags: 0 }],
  [s('uint32'), 1e20, 'rne', 0, { bits: 0xffffffff, flags: INVALID }],
];

// [from, to, bits, expected]
const CONVERTS: [Spec, Spec, number, Encoded][] = [
  [s('fp16'), s('fp32'), 0x0001, { bits: 0x33800000, flags: DENORMAL }], // 2^-24
  [s('fp32'), s('fp16'), 0x00000001, { bits: 0x0000, flags: DENORMAL | UNDERFLOW }],
  [s('fp32'), s('fp16'), 0x7f800001, { bits: 0x7e00, flags: INVALID }], // signalling NaN -> canonical
  [s('fp32'), s('cfp8_143', 7), 0xffc00000, { bits: 0xff, flags: INVALID }], // -NaN -> -max
  [s('fp32'), s('uhp', 7), 0xffc00000, { bits: 0xffff, flags: INVALID }],
  [s('fp32'), s('int16'), 0x7fc00000, { bits: 0, flags: INVALID }],
  [s('cfp8_143', 7), s('fp32'), 0x07, { bits: 0x3be00000, flags: DENORMAL }], // 0.875 x 2^-7
  [s('cfp8_143', 7), s('cfp8_143', 0), 0x07, { bits: 0x00, flags: DENORMAL | UNDERFLOW }], // 0.0068.. < 2^-3 x 2^0 / 2
  [s('cfp8_143', 7), s('cfp8_143', 8), 0x38, { bits: 0x40, flags: 0 }], // 1 with bias 8: e 8
  [s('cfp8_143', 0), s('cfp8_143', 7), 0x7f, { bits: 0x7f, flags: OVERFLOW }], // 61440 -> clamp 480
  [s('shp', 15), s('fp16'), 0x7fff, { bits: 0x7c00, flags: OVERFLOW }], // 131008 -> Inf
  [s('fp16'), s('shp', 15), 0x7c00, { bits: 0x7fff, flags: OVERFLOW }], // Inf -> max
  [s('fp16'), s('shp', 15), 0xfc00, { bits: 0xffff, flags: OVERFLOW }],
  [s('shp', 15), s('uhp', 31), 0xbc00, { bits: 0, flags: INVALID }], // -1 -> 0
  [s('bf16'), s('int8'), 0x4300, { bits: 0x7f, flags: INVALID }], // 128
  [s('int8'), s('cfp8_143', 7), 0x80, { bits: 0xf0, flags: 0 }], // -128 = -2^7: e 14
  [s('uint32'), s('fp32'), 0xffffffff, { bits: 0x4f800000, flags: 0 }], // 2^32 - 1 -> 2^32
  [s('uint32'), s('bf16'), 0x01010000, { bits: 0x4b80, flags: 0 }], // 2^24 + 2^16: tie -> 2^24
];

const describeName = (spec: Spec) => (spec.bias === undefined ? spec.format : `${spec.format}(${spec.bias})`);

for (const [who, api] of APIS) {
  describe(`hand-computed values: ${who}`, () => {
    it('decode', () => {
      const bad: string[] = [];
      for (const [spec, bits, v] of DECODES) {
        const got = api.decode(spec, bits);
        if (!Object.is(got, v)) bad.push(`${describeName(spec)} 0x${bits.toString(16)}: expected ${Object.is(v, -0) ? '-0' : v}, got ${got}`);
      }
      expect(bad).toEqual([]);
    });
    it('encode', () => {
      const bad: string[] = [];
      for (const [spec, x, rounding, random, want] of ENCODES) {
        const got = norm(api.encode(spec, x, rounding, random));
        if (got.bits !== want.bits || got.flags !== want.flags)
          bad.push(`${describeName(spec)} ${Object.is(x, -0) ? '-0' : x} ${rounding}/${random}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
      }
      expect(bad).toEqual([]);
    });
    it('convert', () => {
      const bad: string[] = [];
      for (const [from, to, bits, want] of CONVERTS) {
        const got = norm(api.convert(from, to, bits));
        if (got.bits !== want.bits || got.flags !== want.flags)
          bad.push(`${describeName(from)} -> ${describeName(to)} 0x${bits.toString(16)}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
      }
      expect(bad).toEqual([]);
    });
  });
}

describe('the format table and the reference agree on the shapes', () => {
  it('exponent and mantissa widths as documented', () => {
    const shape = (n: string) => {
      const f = FORMAT_BY_NAME.get(n)!;
      return [f.signed, f.exp, f.man, f.bytes];
    };
    expect(shape('fp32')).toEqual([true, 8, 23, 4]);
    expect(shape('bf16')).toEqual([true, 8, 7, 2]);
    expect(shape('fp16')).toEqual([true, 5, 10, 2]);
    expect(shape('cfp8_143')).toEqual([true, 4, 3, 1]);
    expect(shape('cfp8_152')).toEqual([true, 5, 2, 1]);
    expect(shape('shp')).toEqual([true, 5, 10, 2]);
    expect(shape('uhp')).toEqual([false, 6, 10, 2]);
  });
  it('reference value tables strictly increase and end one ulp below the virtual top', () => {
    for (const format of ['bf16', 'fp16', 'cfp8_143', 'cfp8_152', 'shp', 'uhp']) {
      for (const bias of [0, 1, 15, 31, 63]) {
        const f = floatInfo({ format, bias });
        const m = f.mags!;
        for (let i = 1; i < m.length; i++) if (!(m[i - 1]! < m[i]!)) throw new Error(`${format}/${bias} table not increasing at ${i}`);
        expect(f.virtualHi - f.maxValue).toBe(m[m.length - 1]! - m[m.length - 2]!);
      }
    }
  });
  it('pow2 is exact across the f64 range', () => {
    for (let k = -1074; k <= 1023; k++) expect(pow2(k)).toBe(2 ** k);
  });
});
