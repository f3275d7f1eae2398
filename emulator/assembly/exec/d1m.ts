// Semantics of the D1 matrix units (isa/ext/d1m.ts; docs/machine.md, "Matrix units"): four 8x8 fp32
// accumulators per core; mma adds an 8x4 by 4x8 product of bf16, fp16 or CFloat8 lanes.
import * as L from '../generated/layout';
import * as N from '../generated/numbers';
import * as O from '../generated/operands';
import { clearFlags } from '../numbers';
import { BAD, copyReg, floatLane, fmtId, format, formatFault, vreg, zeroBytes } from '../vector';
import { coreAt, tb } from '../state';


// @ts-ignore: decorator
@inline function accAddr(n: u32): usize { return coreAt + L.CORE_ACC + <usize>n * L.ACC_BYTES; }

/**
 * acc[i][j] += sum over k < 4 of A[i][k] * B[k][j], A = vs1 read as 8 rows of 4 lanes, B = vs2 as 4 rows
 * of 8 lanes (CFloat8 uses the low 32 lanes). The four exact products and the accumulator are added in
 * binary64 in k order and rounded once to fp32. The matrix units raise no flags.
 */
export function exec_mma(d: usize, pc: u64): u64 {
  return mma(O.mma_acc(d), <u32>load<u16>(d, L.REC_RS1), <u32>load<u16>(d, L.REC_AUX), O.mma_fmt(d), WIDEN_BOTH) ? pc + 4 : L.TRAP;
}

/** mma's `wide` argument for the interpreter: A widened into slot 0, B into slot 1. */
const WIDEN_BOTH: u32 = 0 | (1 << 2) | <u32>L.MMA_WIDEN_A | <u32>L.MMA_WIDEN_B;

/**
 * mma of accumulator acc, the registers at slots vs1 and vs2 (byte offsets from v0), format-table entry
 * e: false when it faults (the fault recorded, nothing else changed). Compiled blocks call it too.
 * The operands are widened to binary64 in VTMP, which has four slots of 32: A's in slot `wide` & 3, B's
 * in (`wide` >> 2) & 3, each widened there with MMA_WIDEN_A (MMA_WIDEN_B) set. Without, the slot holds
 * that register widened in this format already: a compiled block knows where an earlier mma of its
 * stretch left it, nothing having written VTMP or the register since (emulator/host/jit/vector.ts Widened).
 */
export function mma(n: u32, vs1: u32, vs2: u32, e: u32, wide: u32): bool {
  const f = format(e);
  if (f == BAD) return false;
  const id = fmtId(f);
  if (unchecked(N.FMT_MATRIX[id]) == 0) {
    formatFault(e, f, L.FORMAT_NEEDS_MATRIX);
    return false;
  }
  const a = L.VTMP + (<usize>(wide & 3) << 8), b = L.VTMP + (<usize>((wide >> 2) & 3) << 8);
  if ((wide & <u32>L.MMA_WIDEN_A) != 0) widenReg(tb + L.T_VREGS + <usize>vs1, a, id, f);
  if ((wide & <u32>L.MMA_WIDEN_B) != 0) widenReg(tb + L.T_VREGS + <usize>vs2, b, id, f);
  // Four columns at a time (their B values held in registers), eight rows each, two binary64 lanes per
  // operation: the same additions, in the same order, as one element at a time.
  const acc = accAddr(n);
  columns(acc, a, b);
  columns(acc + 16, a, b + 32);
  return true;
}

/** The 32 lanes of the register at v (format f, id id) as binary64 at `to` (exact). */
// @ts-ignore: decorator
@inline function widenReg(v: usize, to: usize, id: u32, f: u32): void {
  if (id == N.ID_BF16) {
    // a bf16 lane is the high half of an fp32: widen 8 lanes at a time (exact), then to binary64
    widen(v, to);
    widen(v + 16, to + 64);
    widen(v + 32, to + 128);
    widen(v + 48, to + 192);
  } else {
    for (let i: u32 = 0; i < 32; i++) store<f64>(to + (<usize>i << 3), floatLane(v, i, f));
    clearFlags();
  }
}

/** Eight bf16 lanes at `from` as binary64 at `to` (a bf16 is the high half of an fp32: interleaving
 * with zeros widens it exactly). */
// @ts-ignore: decorator
@inline function widen(from: usize, to: usize): void {
  const v = v128.load(from), z = i32x4.splat(0);
  const lo = i8x16.shuffle(z, v, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
  const hi = i8x16.shuffle(z, v, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31);
  v128.store(to, f64x2.promote_low_f32x4(lo));
  v128.store(to + 16, f64x2.promote_low_f32x4(i64x2.shuffle(lo, lo, 1, 1)));
  v128.store(to + 32, f64x2.promote_low_f32x4(hi));
  v128.store(to + 48, f64x2.promote_low_f32x4(i64x2.shuffle(hi, hi, 1, 1)));
}

/** Columns j..j+3 of the accumulator at `acc` (its element [0][j]) from A (32 binary64 at a, lane 4i + k)
 * and B (binary64 at b + 64k: B[k][j..j+3]). */
// @ts-ignore: decorator
@inline function columns(acc: usize, a: usize, b: usize): void {
  const b00 = v128.load(b), b01 = v128.load(b + 16);
  const b10 = v128.load(b + 64), b11 = v128.load(b + 80);
  const b20 = v128.load(b + 128), b21 = v128.load(b + 144);
  const b30 = v128.load(b + 192), b31 = v128.load(b + 208);
  row(acc, a, b00, b01, b10, b11, b20, b21, b30, b31);
  row(acc + 32, a + 32, b00, b01, b10, b11, b20, b21, b30, b31);
  row(acc + 64, a + 64, b00, b01, b10, b11, b20, b21, b30, b31);
  row(acc + 96, a + 96, b00, b01, b10, b11, b20, b21, b30, b31);
  row(acc + 128, a + 128, b00, b01, b10, b11, b20, b21, b30, b31);
  row(acc + 160, a + 160, b00, b01, b10, b11, b20, b21, b30, b31);
  row(acc + 192, a + 192, b00, b01, b10, b11, b20, b21, b30, b31);
  row(acc + 224, a + 224, b00, b01, b10, b11, b20, b21, b30, b31);
}

/** Four accumulator elements at p += their row of A (four binary64 at ar) times B (b<k><half>). */
// @ts-ignore: decorator
@inline function row(p: usize, ar: usize, b00: v128, b01: v128, b10: v128, b11: v128, b20: v128, b21: v128, b30: v128, b31: v128): void {
  let s0 = f64x2.promote_low_f32x4(v128.load64_zero(p));
  let s1 = f64x2.promote_low_f32x4(v128.load64_zero(p + 8));
  let x = v128.load64_splat(ar);
  s0 = f64x2.add(s0, f64x2.mul(x, b00));
  s1 = f64x2.add(s1, f64x2.mul(x, b01));
  x = v128.load64_splat(ar + 8);
  s0 = f64x2.add(s0, f64x2.mul(x, b10));
  s1 = f64x2.add(s1, f64x2.mul(x, b11));
  x = v128.load64_splat(ar + 16);
  s0 = f64x2.add(s0, f64x2.mul(x, b20));
  s1 = f64x2.add(s1, f64x2.mul(x, b21));
  x = v128.load64_splat(ar + 24);
  s0 = f64x2.add(s0, f64x2.mul(x, b30));
  s1 = f64x2.add(s1, f64x2.mul(x, b31));
  v128.store64_lane(p, f32x4.demote_f64x2_zero(s0), 0);
  v128.store64_lane(p + 8, f32x4.demote_f64x2_zero(s1), 0);
}
export function exec_mzero(d: usize, pc: u64): u64 {
  zeroBytes(accAddr(O.mzero_acc(d)), L.ACC_BYTES);
  return pc + 4;
}

export function exec_mget(d: usize, pc: u64): u64 {
  copyReg(vreg(d, L.REC_RD), accAddr(O.mget_acc1(d)) + (<usize>O.mget_mpart(d) << L.VREG_SHIFT));
  return pc + 4;
}

export function exec_mset(d: usize, pc: u64): u64 {
  copyReg(accAddr(O.mset_acc(d)) + (<usize>O.mset_mpart(d) << L.VREG_SHIFT), vreg(d, L.REC_RS1));
  return pc + 4;
}
