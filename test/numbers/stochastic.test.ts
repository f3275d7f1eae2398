// Stochastic rounding against the reference's exact rule (round |x| up iff random < (|x| - lo) / (hi - lo)
// x 2^32), for every format: random x between random neighbours (the configurable-float gap and the
// range above max included), random draws, and the two draws either side of the exact threshold.
import { describe, expect, it } from 'vitest';
import { convert, encode } from '../../emulator/host/numbers.js';
import {
  CFLOAT_NAMES,
  INT_NAMES,
  Mismatches,
  Xs32,
  f32FromBits,
  f64Bits,
  floatInfo,
  hex,
  intInfo,
  isFloat,
  neighbours,
  refConvert,
  refEncode,
  showNum,
  specName,
  upCount,
  type Spec,
} from './reference.js';

const CASES = 4000; // x values per format and bias set; each tried with 5 draws

/** A random x: between two neighbouring magnitudes (or max and the virtual top), or a random value near the range. */
function randomX(spec: Spec, g: Xs32): number {
  const sign = g.u32() & 1 ? -1 : 1;
  if (!isFloat(spec.format)) {
    const t = intInfo(spec.format);
    const lo = g.int(t.min - 2, t.max + 1);
    return lo + g.u32() / 2 ** 32;
  }
  const f = floatInfo(spec);
  const kind = g.int(0, 9);
  let loBits: number;
  if (kind === 0) loBits = f.maxBits; // the top: rounding up overflows
  else if (kind === 1) loBits = 2 ** f.man - 1; // the largest denormal (the gap of the configurable formats)
  else if (kind === 2) loBits = g.int(0, 2 ** f.man - 1); // denormals
  else loBits = g.int(0, f.maxBits);
  const lo = f.mags ? f.mags[loBits]! : f32FromBits(loBits);
  const hi = loBits === f.maxBits ? f.virtualHi : f.mags ? f.mags[loBits + 1]! : f32FromBits(loBits + 1);
  let x = lo + (hi - lo) * (g.u32() / 2 ** 32); // rounded in f64: still within [lo, hi]
  if (kind === 9) x = lo; // exact values must not move
  return sign * x;
}

/** Draws to try for x: random ones, the extremes, and the two either side of the exact up/down threshold. */
function draws(spec: Spec, x: number, g: Xs32): number[] {
  const out = [g.u32(), g.u32(), 0, 2 ** 32 - 1];
  let count: bigint | undefined;
  if (!isFloat(spec.format)) {
    if (Number.isFinite(x) && !Number.isInteger(x)) count = upCount(x, Math.floor(x), Math.floor(x) + 1);
  } else {
    const f = floatInfo(spec);
    const a = Math.abs(x);
    if (a < f.virtualHi && (f.signed || x >= 0)) {
      const n = neighbours(f, a);
      count = upCount(a, n.lo, n.hi);
    }
  }
  if (count !== undefined) {
    const t = Number(count); // draws below t round up
    if (t - 1 >= 0 && t - 1 < 2 ** 32) out.push(t - 1);
    if (t < 2 ** 32) out.push(t);
  }
  return out;
}

function formatsWithBiases(): Spec[][] {
  const groups: Spec[][] = [[{ format: 'fp32' }], [{ format: 'bf16' }], [{ format: 'fp16' }]];
  for (const format of CFLOAT_NAMES) groups.push([0, 1, 7, 15, 31, 47, 62, 63].map((bias) => ({ format, bias })));
  for (const format of INT_NAMES) groups.push([{ format }]);
  return groups;
}

describe('stochastic rounding follows the exact rule', () => {
  for (const group of formatsWithBiases()) {
    const name = group[0]!.format;
    it(`encode ${name}${group.length > 1 ? ` (biases ${group.map((s) => s.bias).join(', ')})` : ''}`, () => {
      const g = new Xs32(0x5eed + name.length * 97 + name.charCodeAt(name.length - 1));
      const bad = new Mismatches();
      let differ = 0;
      for (const spec of group) {
        for (let i = 0; i < CASES; i++) {
          const x = randomX(spec, g);
          for (const r of draws(spec, x, g)) {
            const want = refEncode(spec, x, 'sr', r);
            const got = encode(spec, x, 'sr', r);
            if (got.bits >>> 0 !== want.bits || got.flags !== want.flags)
              bad.add(`encode ${specName(spec)} x=${showNum(x)} (f64 ${f64Bits(x).toString(16)}) sr draw ${hex(r)}: expected {bits ${hex(want.bits)}, flags ${want.flags}}, got {bits ${hex(got.bits)}, flags ${got.flags}}`);
            const rn = refEncode(spec, x, 'rne');
            if (want.bits !== rn.bits) differ++;
          }
        }
      }
      expect(bad.report()).toEqual([]);
      // The sample really exercised rounding away from the nearest value.
      expect(differ).toBeGreaterThan(100);
    });
  }

  it('convert (sr and rne) between random formats and biases equals the reference', () => {
    const g = new Xs32(777);
    const specs = formatsWithBiases().flat();
    const bad = new Mismatches();
    for (let i = 0; i < 40_000; i++) {
      const from = specs[g.int(0, specs.length - 1)]!;
      const to = specs[g.int(0, specs.length - 1)]!;
      const w = isFloat(from.format) ? floatInfo(from).width : intInfo(from.format).width;
      const bits = w === 32 ? g.u32() : g.u32() % 2 ** w;
      const r = g.u32();
      const rounding = i % 2 ? 'sr' : 'rne';
      const want = refConvert(from, to, bits, rounding, r);
      const got = convert(from, to, bits, rounding, r);
      if (got.bits >>> 0 !== want.bits || got.flags !== want.flags)
        bad.add(`convert ${specName(from)} ${hex(bits)} -> ${specName(to)} ${rounding} draw ${hex(r)}: expected {bits ${hex(want.bits)}, flags ${want.flags}}, got {bits ${hex(got.bits)}, flags ${got.flags}}`);
    }
    expect(bad.report()).toEqual([]);
  });
});
