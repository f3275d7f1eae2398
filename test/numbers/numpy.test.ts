// fp16 against numpy (one python3 run): encode(fp16, x) gives numpy.float16(x)'s bits for every fp16 value,
// for the fp32 and f64 values at and beside every fp16 rounding point, and for ~100k random values across
// and beyond the fp16 range; decode of every fp16 pattern equals numpy's float16 -> float64. Flags are
// checked against numpy's result: OVERFLOW when a finite x became infinite, UNDERFLOW when a nonzero x
// below 2^-14 changed.
import { beforeAll, describe, expect, it } from 'vitest';
import { decode, encode } from '../../emulator/host/numbers.js';
import { nextDown, nextUp } from './exhaustive.js';
import { missingNumpy, numpyFp16 } from './numpy.js';
import { Mismatches, OVERFLOW, UNDERFLOW, Xs32, f32Bits, f32FromBits, f64FromBits, floatInfo, hex, pow2, refDecode, refEncode, showNum, type Spec } from './reference.js';

const FP16: Spec = { format: 'fp16' };
const skip = missingNumpy();

function inputs(): number[] {
  const xs: number[] = [];
  // Every fp16 value (NaNs left out: numpy keeps a NaN's sign, the spec canonicalises to 0x7e00).
  for (let b = 0; b < 65536; b++) {
    const v = refDecode(FP16, b);
    if (!Number.isNaN(v)) xs.push(v);
  }
  // Every rounding point (midpoint of neighbouring magnitudes, max and 2^16 included), exactly and one
  // fp32 / f64 ulp either side.
  const m = [...floatInfo(FP16).mags!, 65536];
  for (let i = 0; i + 1 < m.length; i++) {
    const mid = (m[i]! + m[i + 1]!) / 2;
    const u = f32Bits(mid); // mid is an fp32 value (12 significant bits, well inside the fp32 range)
    for (const v of [mid, f32FromBits(u - 1), f32FromBits(u + 1), nextDown(mid), nextUp(mid)]) xs.push(v, -v);
  }
  // Random values: fp32 patterns with exponents from below the fp16 denormals to beyond its max, random f64
  // in the same range, and fully random f64 bit patterns (mostly far outside: overflow and underflow).
  const g = new Xs32(16);
  for (let i = 0; i < 40_000; i++) {
    const e32 = g.int(127 - 30, 127 + 18);
    const s = g.u32();
    xs.push(f32FromBits((s & 0x807fffff) | (e32 << 23)));
    const e64 = g.int(1023 - 30, 1023 + 18);
    xs.push(f64FromBits((BigInt((s & 0x800fffff) | (e64 << 20)) << 32n) | BigInt(g.u32())));
  }
  for (let i = 0; i < 20_000; i++) {
    const x = g.f64();
    if (!Number.isNaN(x)) xs.push(x);
  }
  xs.push(Infinity, -Infinity, 1e300, -1e300, pow2(-1074), -pow2(-1074), 65520, 65519.99999999999, pow2(-25), nextUp(pow2(-25)));
  return xs;
}

describe.skipIf(skip !== '')(`fp16 matches numpy${skip}`, () => {
  let xs: number[] = [];
  let np: { bits: Uint16Array; values: Float64Array };
  beforeAll(() => {
    xs = inputs();
    np = numpyFp16(xs);
  });

  it('encode (RNE) gives numpy.float16 bits, with the spec flags', () => {
    expect(xs.length).toBeGreaterThan(200_000);
    const bad = new Mismatches();
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      const bits = np.bits[i]!;
      const r = np.values[bits]!;
      const flags = Number.isFinite(x) && !Number.isFinite(r) ? OVERFLOW : x !== 0 && Math.abs(x) < pow2(-14) && r !== x ? UNDERFLOW : 0;
      const got = encode(FP16, x);
      if (got.bits !== bits || got.flags !== flags)
        bad.add(`encode fp16 ${showNum(x)}: numpy ${hex(bits, 4)} (flags by spec ${flags}), got {bits ${hex(got.bits)}, flags ${got.flags}}`);
    }
    expect(bad.report()).toEqual([]);
  });

  it('the test reference agrees with numpy too (a check on the reference)', () => {
    const bad = new Mismatches();
    for (let i = 0; i < xs.length; i++) {
      const want = np.bits[i]!;
      const ref = refEncode(FP16, xs[i]!);
      if (ref.bits !== want) bad.add(`reference fp16 ${showNum(xs[i]!)}: numpy ${hex(want, 4)}, reference ${hex(ref.bits, 4)}`);
    }
    expect(bad.report()).toEqual([]);
  });

  it('decode of every pattern equals numpy float16 -> float64', () => {
    const bad = new Mismatches();
    for (let b = 0; b < 65536; b++) {
      const want = np.values[b]!;
      const got = decode(FP16, b);
      if (!Object.is(got, want) && !(Number.isNaN(got) && Number.isNaN(want))) bad.add(`decode fp16 ${hex(b, 4)}: numpy ${showNum(want)}, got ${showNum(got)}`);
    }
    expect(bad.report()).toEqual([]);
  });
});
