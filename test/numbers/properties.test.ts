// Properties (fast-check, fixed seeds so that runs are reproducible): RNE ties go to the even encoding;
// rounding is monotonic; representable values encode to themselves; stochastic rounding gives lo or hi,
// never moves an exact value, and is unbiased with SrGenerator's draws; SrGenerator is SplitMix64.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SrGenerator, decode, encode } from '../../emulator/host/numbers.js';
import { SPLITMIX } from '../../isa/numbers.js';
import { boundaryValues } from './exhaustive.js';
import {
  ALL_BIASES,
  INVALID,
  OVERFLOW,
  RefSplitMix,
  f32FromBits,
  floatInfo,
  intInfo,
  isFloat,
  neighbours,
  pow2,
  signBitOf,
  type Spec,
} from './reference.js';

const SEED = 20261123;
const params = (numRuns: number) => ({ numRuns, seed: SEED });

const FLOAT_SPECS: Spec[] = [
  { format: 'fp32' },
  { format: 'bf16' },
  { format: 'fp16' },
  ...['cfp8_143', 'cfp8_152', 'shp', 'uhp'].flatMap((format) => [0, 1, 15, 31, 63].map((bias) => ({ format, bias }))),
];
const INT_SPECS: Spec[] = ['int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32'].map((format) => ({ format }));
const name = (s: Spec) => (s.bias === undefined ? s.format : `${s.format} bias ${s.bias}`);

/** The value of magnitude pattern i of a float format (its table, or fp32 bits). */
function magValue(spec: Spec, i: number): number {
  const f = floatInfo(spec);
  return i > f.maxBits ? f.virtualHi : f.mags ? f.mags[i]! : f32FromBits(i);
}

/** Magnitude pattern of a float encoding (sign bit removed). */
function magBits(spec: Spec, bits: number): number {
  const f = floatInfo(spec);
  return f.signed && bits >= f.signBit ? bits - f.signBit : bits;
}

/** Doubles spread over the format's range (log-uniformly, as fast-check draws doubles by encoding), plus anything. */
function arbX(spec: Spec): fc.Arbitrary<number> {
  if (!isFloat(spec.format)) {
    const t = intInfo(spec.format);
    return fc.oneof(fc.double({ min: t.min - 4, max: t.max + 4, noNaN: true }), fc.double({ noNaN: true }));
  }
  const top = floatInfo(spec).virtualHi * 2;
  return fc.oneof(fc.double({ min: -top, max: top, noNaN: true }), fc.double({ noNaN: true }));
}

describe('RNE ties go to the even encoding', () => {
  for (const spec of FLOAT_SPECS) {
    it(name(spec), () => {
      const f = floatInfo(spec);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: f.maxBits }), fc.boolean(), (i, neg) => {
          const mid = (magValue(spec, i) + magValue(spec, i + 1)) / 2; // exact in f64
          const x = neg && f.signed ? -mid : mid;
          const e = encode(spec, x);
          if (i === f.maxBits) {
            // Tie with the virtual top: counts as even, so overflow.
            expect(e.flags & OVERFLOW).toBe(OVERFLOW);
            return;
          }
          const bits = e.bits >>> 0;
          const m = magBits(spec, bits);
          expect([i, i + 1]).toContain(m);
          expect(m % 2).toBe(0);
          expect(f.signed && bits >= f.signBit).toBe(f.signed && neg);
        }),
        params(2000),
      );
    });
  }
  for (const spec of INT_SPECS) {
    it(spec.format, () => {
      const t = intInfo(spec.format);
      fc.assert(
        fc.property(fc.integer({ min: t.min, max: t.max - 1 }), (n) => {
          const e = encode(spec, n + 0.5);
          const v = decode(spec, e.bits);
          expect([n, n + 1]).toContain(v);
          expect(Math.abs(v % 2)).toBe(0);
          expect(e.flags).toBe(0);
        }),
        params(2000),
      );
    });
  }
});

describe('rounding is monotonic: x <= y implies decode(encode(x)) <= decode(encode(y))', () => {
  for (const spec of [...FLOAT_SPECS, ...INT_SPECS]) {
    it(name(spec), () => {
      const round = (x: number) => decode(spec, encode(spec, x).bits);
      fc.assert(
        fc.property(arbX(spec), arbX(spec), (a, b) => {
          const [x, y] = a <= b ? [a, b] : [b, a];
          expect(round(x) <= round(y)).toBe(true);
        }),
        params(1500),
      );
      // Neighbouring doubles around every kind of value, too.
      fc.assert(
        fc.property(arbX(spec), (x) => {
          fc.pre(Number.isFinite(x));
          const y = x + Math.abs(x) * 2 ** -30 + pow2(-1074);
          expect(round(x) <= round(y)).toBe(true);
        }),
        params(1500),
      );
    });
  }
});

describe('rounding is monotonic across every rounding boundary (a sorted sweep)', () => {
  for (const format of ['bf16', 'fp16', 'cfp8_143', 'cfp8_152', 'shp', 'uhp']) {
    it(format, () => {
      const biases = format === 'bf16' || format === 'fp16' ? [undefined] : format.startsWith('cfp8') ? ALL_BIASES : [0, 15, 31, 63];
      const bad: string[] = [];
      for (const bias of biases) {
        const spec: Spec = bias === undefined ? { format } : { format, bias };
        const xs = boundaryValues(spec).sort((a, b) => a - b);
        let prev = -Infinity;
        let prevX = -Infinity;
        for (const x of xs) {
          const v = decode(spec, encode(spec, x).bits);
          if (v < prev && bad.length < 10) bad.push(`${name(spec)}: x=${prevX} rounds to ${prev} but the larger x=${x} to ${v}`);
          prev = v;
          prevX = x;
        }
      }
      expect(bad).toEqual([]);
    });
  }
});

describe('encode is the identity on representable values', () => {
  for (const spec of [...FLOAT_SPECS, ...INT_SPECS]) {
    it(name(spec), () => {
      const width = isFloat(spec.format) ? floatInfo(spec).width : intInfo(spec.format).width;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** width - 1 }), fc.nat({ max: 2 ** 32 - 1 }), (bits, r) => {
          const v = decode(spec, bits);
          fc.pre(!Number.isNaN(v));
          for (const e of [encode(spec, v), encode(spec, v, 'sr', r)]) {
            expect(e.flags).toBe(0);
            expect(Object.is(decode(spec, e.bits), v)).toBe(true);
          }
        }),
        params(2000),
      );
    });
  }
});

describe('stochastic rounding returns lo or hi and never moves an exact value', () => {
  for (const spec of [...FLOAT_SPECS, ...INT_SPECS]) {
    it(name(spec), () => {
      fc.assert(
        fc.property(arbX(spec), fc.nat({ max: 2 ** 32 - 1 }), (x, r) => {
          const e = encode(spec, x, 'sr', r);
          const v = decode(spec, e.bits);
          if (!isFloat(spec.format)) {
            const t = intInfo(spec.format);
            const lo = Math.max(t.min, Math.min(t.max, Math.floor(x)));
            const hi = Math.max(t.min, Math.min(t.max, Math.ceil(x)));
            expect(v === lo || v === hi).toBe(true); // === : -0 and 0 are the same integer
            if (Number.isInteger(x) && x >= t.min && x <= t.max) expect(v === x).toBe(true);
            return;
          }
          const f = floatInfo(spec);
          const a = Math.abs(x);
          if (!f.signed && signBitOf(x)) {
            expect(v).toBe(0);
            return;
          }
          const clamp = f.kind === 'ieee' ? Infinity : f.maxValue;
          if (a >= f.virtualHi) {
            expect(Math.abs(v)).toBe(clamp);
            return;
          }
          const n = neighbours(f, a);
          if (a === n.lo) expect(Math.abs(v)).toBe(a);
          else expect([n.lo, n.hiBits > f.maxBits ? clamp : n.hi]).toContain(Math.abs(v));
          if (f.signed) expect(signBitOf(v)).toBe(signBitOf(x));
        }),
        params(3000),
      );
    });
  }
});

describe('stochastic rounding with SrGenerator draws is unbiased', () => {
  const N = 20_000;
  /**
   * N stochastic roundings of x with draws from SrGenerator(seed): every result is lo or hi, and the mean
   * lo + (hi - lo) k / N (k results up) is within 5 standard errors, (hi - lo) sqrt(p (1 - p) / N), of x,
   * plus one result's worth of slack (and 2^-30 (hi - lo) for the 2^-32 quantisation of the draws).
   */
  function check(spec: Spec, x: number, seed: bigint) {
    const f = isFloat(spec.format) ? floatInfo(spec) : null;
    const a = f ? Math.abs(x) : x;
    const lo = f ? neighbours(f, a).lo : Math.floor(x);
    const hi = f ? neighbours(f, a).hi : Math.floor(x) + 1;
    const p = (a - lo) / (hi - lo);
    const g = new SrGenerator(seed);
    let k = 0;
    for (let i = 0; i < N; i++) {
      const d = decode(spec, encode(spec, x, 'sr', g.next()).bits);
      const v = f ? Math.abs(d) : d;
      if (v === hi) k++;
      else if (v !== lo) expect.fail(`${name(spec)} x=${x}: result ${v} is neither lo ${lo} nor hi ${hi}`);
    }
    const mean = lo + ((hi - lo) * k) / N;
    const bound = 5 * (hi - lo) * Math.sqrt((p * (1 - p)) / N) + (hi - lo) / N + (hi - lo) * 2 ** -30;
    expect(Math.abs(mean - a), `${name(spec)} x=${x}: mean ${mean} (${k} of ${N} up), lo ${lo}, hi ${hi}`).toBeLessThanOrEqual(bound);
  }

  for (const spec of [...FLOAT_SPECS, ...INT_SPECS]) {
    it(name(spec), () => {
      const f = isFloat(spec.format) ? floatInfo(spec) : null;
      const t = f ? null : intInfo(spec.format);
      // x strictly inside the finite range (|x| below max so that rounding up never saturates).
      const arb = f
        ? fc.double({ min: pow2(-f.bias - f.man - 2), max: f.maxValue, noNaN: true })
        : fc.double({ min: t!.min + 1, max: t!.max - 1, noNaN: true });
      fc.assert(
        fc.property(arb, fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (x, seed) => check(spec, x, seed)),
        params(4),
      );
    });
  }

  it('inside the gap of the configurable floats (between the largest denormal and 2^(1-bias))', () => {
    for (const format of ['cfp8_143', 'cfp8_152', 'shp', 'uhp']) {
      for (const bias of [0, 7, 31]) {
        const spec = { format, bias };
        const f = floatInfo(spec);
        const lo = f.mags![2 ** f.man - 1]!;
        const hi = f.mags![2 ** f.man]!;
        for (const k of [1, 3]) check(spec, lo + ((hi - lo) * k) / 16, BigInt(k * 1000 + bias));
      }
    }
  });
});

describe('SrGenerator is SplitMix64', () => {
  it('draws the high halves of SplitMix64 outputs (seed 0 starts 0xe220a839, the well-known 0xe220a8397b1dcdaf)', () => {
    const g = new SrGenerator(0n);
    expect([g.next(), g.next(), g.next()]).toEqual([0xe220a839, 0x6e789e6a, 0x06c45d18]);
  });

  it('matches a BigInt SplitMix64 for random seeds, and its state advances by GOLDEN per draw', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.integer({ min: 1, max: 200 }), (seed, n) => {
        const g = new SrGenerator(seed);
        const ref = new RefSplitMix(seed);
        for (let i = 0; i < n; i++) expect(g.next()).toBe(ref.next());
        expect(g.state).toBe(BigInt.asUintN(64, seed + BigInt(n) * SPLITMIX.GOLDEN));
      }),
      params(300),
    );
  });

  it('the same seed gives the same sequence; writing state reseeds', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (seed) => {
        const a = new SrGenerator(seed);
        const b = new SrGenerator(seed);
        const sa = Array.from({ length: 50 }, () => a.next());
        const sb = Array.from({ length: 50 }, () => b.next());
        expect(sa).toEqual(sb);
        for (const d of sa) expect(Number.isInteger(d) && d >= 0 && d < 2 ** 32).toBe(true);
        a.state = seed;
        expect(Array.from({ length: 50 }, () => a.next())).toEqual(sa);
      }),
      params(200),
    );
  });

  it('draws are roughly uniform (mean and bit balance over 100k draws)', () => {
    const g = new SrGenerator(123456789n);
    const N = 100_000;
    let sum = 0;
    const ones = new Array<number>(32).fill(0);
    for (let i = 0; i < N; i++) {
      const d = g.next();
      sum += d / 2 ** 32;
      for (let b = 0; b < 32; b++) ones[b]! += (d >>> b) & 1;
    }
    expect(Math.abs(sum / N - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    for (const c of ones) expect(Math.abs(c / N - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / N));
  });
});

describe('NaN inputs', () => {
  it('give INVALID in every format', () => {
    for (const spec of [...FLOAT_SPECS, ...INT_SPECS]) expect(encode(spec, NaN).flags, name(spec)).toBe(INVALID);
  });
});
