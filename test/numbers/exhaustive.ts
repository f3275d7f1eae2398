// Exhaustive checks over every encoding of a configurable float, shared by the per-format test files (one
// file per 16-bit format so that the two test workers share the load).
import { convert, decode, encode } from '../../emulator/host/numbers.js';
import {
  DENORMAL,
  Mismatches,
  f32Bits,
  f32FromBits,
  f64Bits,
  f64FromBits,
  floatInfo,
  fp32Sample,
  hex,
  isDenormalPattern,
  pow2,
  refDecode,
  refEncode,
  showNum,
  specName,
  type Spec,
} from './reference.js';

/**
 * For every encoding of `format` with `bias`: decode equals the reference (sign of zero included); encoding
 * the value gives the same bits with no flags; converting to fp32 is exact (bits of the value, DENORMAL for a
 * denormal source); converting that fp32 back gives the original bits with no flags.
 */
export function checkEveryEncoding(format: string, bias: number, bad: Mismatches): void {
  const spec: Spec = { format, bias };
  const fp32: Spec = { format: 'fp32' };
  const f = floatInfo(spec);
  const n = 2 ** f.width;
  const where = (b: number) => `${format}/bias ${bias} ${hex(b, f.width / 4)}`;
  for (let b = 0; b < n; b++) {
    const want = refDecode(spec, b);
    const got = decode(spec, b);
    if (!Object.is(got, want)) {
      bad.add(`decode ${where(b)}: expected ${showNum(want)}, got ${showNum(got)}`);
      continue;
    }
    const e = encode(spec, want);
    if (e.bits !== b || e.flags !== 0) bad.add(`encode(decode(${where(b)}) = ${showNum(want)}): expected {bits ${hex(b)}, flags 0}, got {bits ${hex(e.bits)}, flags ${e.flags}}`);
    const to32 = convert(spec, fp32, b);
    const want32 = f32Bits(want);
    const wantFlags = isDenormalPattern(spec, b) ? DENORMAL : 0;
    if (to32.bits >>> 0 !== want32 || to32.flags !== wantFlags)
      bad.add(`convert ${where(b)} -> fp32: expected {bits ${hex(want32)}, flags ${wantFlags}}, got {bits ${hex(to32.bits)}, flags ${to32.flags}}`);
    const back = convert(fp32, spec, want32);
    if (back.bits !== b || back.flags !== 0)
      bad.add(`convert fp32 ${hex(want32)} -> ${format}/bias ${bias}: expected {bits ${hex(b)}, flags 0}, got {bits ${hex(back.bits)}, flags ${back.flags}}`);
  }
}

/** The value of every bf16 encoding (NaNs and infinities included), as exact f64s. */
export const BF16_VALUES: number[] = Array.from({ length: 65536 }, (_, b) => f32FromBits(b << 16));

/** encode(spec, x, 'rne') equals the reference, bits and flags, for each x. */
export function checkEncodes(spec: Spec, xs: readonly number[], bad: Mismatches, what: string): void {
  for (const x of xs) {
    const want = refEncode(spec, x);
    const got = encode(spec, x);
    if ((got.bits >>> 0) !== want.bits || got.flags !== want.flags)
      bad.add(`encode ${specName(spec)} ${what} x=${showNum(x)} (f64 ${f64Bits(x).toString(16)}): expected {bits ${hex(want.bits)}, flags ${want.flags}}, got {bits ${hex(got.bits)}, flags ${got.flags}}`);
  }
}

/** Values of a deterministic sample of fp32 patterns aimed at the range of `spec` (see fp32Sample). */
export function fp32Values(spec: Spec, n: number, seed: number): number[] {
  return fp32Sample(n, seed, floatInfo(spec)).map(f32FromBits);
}

/** The next f64 above / below a finite f64 (by stepping its bit pattern). */
export function nextUp(x: number): number {
  if (x === 0) return pow2(-1074);
  const b = f64Bits(x);
  return f64FromBits(x > 0 ? b + 1n : b - 1n);
}
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/**
 * The rounding boundaries of a small float format: for every pair of neighbouring magnitudes (the last
 * pair being max and the virtual value above it) the midpoint and the f64s just either side of it, the
 * quarter points, and the f64s just inside the pair; then the virtual top and just above; both signs.
 */
export function boundaryValues(spec: Spec): number[] {
  const f = floatInfo(spec);
  const m = [...f.mags!, f.virtualHi];
  const out: number[] = [];
  for (let i = 0; i + 1 < m.length; i++) {
    const mid = (m[i]! + m[i + 1]!) / 2; // exact: short significands
    const quarter = (m[i + 1]! - m[i]!) / 4; // exact, as are the sums below
    out.push(mid, nextDown(mid), nextUp(mid), nextUp(m[i]!), nextDown(m[i + 1]!), m[i]! + quarter, m[i + 1]! - quarter);
  }
  out.push(f.virtualHi, nextUp(f.virtualHi));
  if (f.kind === 'cfloat') {
    // Inside the gap between the largest denormal and 2^(1-b): where the boundaries would be if the
    // denormal spacing d carried on up to 2^-b (a tempting but wrong way to round there).
    const top = pow2(-f.bias);
    const d = m[1]!;
    for (const v of [top, top - d / 2, top + d / 2]) out.push(v, nextDown(v), nextUp(v));
  }
  return [...out, ...out.map((x) => -x)];
}

/** Let the test runner's messages through between long synchronous checks (a worker that does not answer
 * for a minute is reported as an error on a loaded machine). */
export const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
