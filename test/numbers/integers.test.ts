// Integer formats: decode is two's complement / unsigned of the low bits; encode rounds (RNE or SR with
// lo = floor(x)), then saturates with INVALID; NaN gives 0 with INVALID; a result of -0 is plain 0.
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../emulator/host/numbers.js';
import { INT_NAMES, INVALID, Mismatches, Xs32, f64Bits, hex, intInfo, refEncode, showNum, type Spec } from './reference.js';

/** The value of an n-bit pattern, written out separately from the reference. */
function twos(width: number, signed: boolean, bits: number): number {
  const u = width === 32 ? bits >>> 0 : bits % 2 ** width;
  return signed && u >= 2 ** (width - 1) ? u - 2 ** width : u;
}

function patterns(width: number, g: Xs32): number[] {
  if (width <= 16) return Array.from({ length: 2 ** width }, (_, i) => i);
  const out = [0, 1, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0xfffffffe];
  for (let i = 0; i < 100_000; i++) out.push(g.u32());
  return out;
}

describe('integers', () => {
  for (const format of INT_NAMES) {
    const t = intInfo(format);
    const spec: Spec = { format };
    it(`${format}: ${t.width <= 16 ? 'every' : 'sampled'} pattern decodes to its value and encodes back without flags`, () => {
      const bad = new Mismatches();
      for (const b of patterns(t.width, new Xs32(t.width * 3 + (t.signed ? 1 : 0)))) {
        const v = twos(t.width, t.signed, b);
        const got = decode(spec, b);
        if (got !== v) bad.add(`decode ${format} ${hex(b)}: expected ${v}, got ${got}`);
        const e = encode(spec, v);
        if (e.bits >>> 0 !== b || e.flags !== 0) bad.add(`encode ${format} ${v}: expected {bits ${hex(b)}, flags 0}, got {bits ${hex(e.bits)}, flags ${e.flags}}`);
      }
      expect(bad.report()).toEqual([]);
    });

    it(`${format}: encode (RNE) of halves, fractions, out-of-range and non-finite values`, () => {
      const g = new Xs32(99 + t.width + (t.signed ? 7 : 0));
      const xs: number[] = [NaN, Infinity, -Infinity, -0, 0.5, -0.5, 1.5, -1.5, 1e300, -1e300, 2 ** 53, -(2 ** 53), 2 ** 64];
      for (const edge of [t.min, t.max, 0]) for (let d = -3; d <= 3; d++) for (const f of [0, 0.25, 0.5, 0.75]) xs.push(edge + d + f, edge + d - f);
      for (let i = 0; i < 50_000; i++) {
        const edge = [t.min, t.max, 0][g.int(0, 2)]!;
        const n = i % 2 ? g.int(t.min - 300, t.max + 300) : edge + g.int(-300, 300);
        const kind = g.int(0, 3);
        xs.push(kind === 0 ? n : kind === 1 ? n + 0.5 : n + g.u32() / 2 ** 32);
      }
      const bad = new Mismatches();
      let saturated = 0;
      for (const x of xs) {
        const want = refEncode(spec, x);
        const got = encode(spec, x);
        if (got.bits >>> 0 !== want.bits || got.flags !== want.flags)
          bad.add(`encode ${format} ${showNum(x)} (f64 ${f64Bits(x).toString(16)}): expected {bits ${hex(want.bits)}, flags ${want.flags}}, got {bits ${hex(got.bits)}, flags ${got.flags}}`);
        if (want.flags === INVALID) saturated++;
        // Independently of the reference: the result is within 1/2 of x unless saturated, and never -0.
        const v = twos(t.width, t.signed, got.bits);
        if (Number.isFinite(x) && got.flags === 0 && !(Math.abs(v - x) <= 0.5)) bad.add(`encode ${format} ${showNum(x)} gave ${v}, more than 1/2 away`);
      }
      expect(bad.report()).toEqual([]);
      expect(saturated).toBeGreaterThan(100);
    });
  }

  it('only the low bits of the argument count when decoding', () => {
    expect(decode({ format: 'int8' }, 0x1ff)).toBe(-1);
    expect(decode({ format: 'uint8' }, 0x1ff)).toBe(255);
    expect(decode({ format: 'int16' }, 0x18000)).toBe(-32768);
    expect(decode({ format: 'uint16' }, 0x12345)).toBe(0x2345);
  });
});
