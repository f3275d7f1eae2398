// Semantics of the D1 matrix units (isa/ext/d1m.ts; docs/machine.md, "Matrix units"): four 8x8 fp32
// accumulators per core; mma adds an 8x4 by 4x8 product of bf16, fp16 or CFloat8 lanes.
import * as L from '../generated/layout';
import * as N from '../generated/numbers';
import * as O from '../generated/operands';
import { clearFlags } from '../numbers';
import { BAD, floatLane, fmtId, format, formatFault, vreg } from '../vector';
import { coreAt } from '../state';


// @ts-ignore: decorator
@inline function accAddr(n: u32): usize { return coreAt + L.CORE_ACC + <usize>n * L.ACC_BYTES; }

/**
 * acc[i][j] += sum over k < 4 of A[i][k] * B[k][j], A = vs1 read as 8 rows of 4 lanes, B = vs2 as 4 rows
 * of 8 lanes (CFloat8 uses the low 32 lanes). The four exact products and the accumulator are added in
 * binary64 in k order and rounded once to fp32. The matrix units raise no flags.
 */
export function exec_mma(d: usize, pc: u64): u64 {
  const e = O.mma_fmt(d);
  const f = format(e);
  if (f == BAD) return L.TRAP;
  const id = fmtId(f);
  if (unchecked(N.FMT_MATRIX[id]) == 0) return formatFault(e, f, L.FORMAT_NEEDS_MATRIX);
  const va = vreg(d, L.REC_RS1), vb = vreg(d, L.REC_AUX);
  const a = L.VTMP, b = L.VTMP + 256;
  if (id == N.ID_BF16) {
    // a bf16 lane is the high half of an fp32: widen 8 lanes at a time (exact), then to binary64
    for (let m: usize = 0; m < 4; m++) {
      widen(va + (m << 4), a + (m << 6));
      widen(vb + (m << 4), b + (m << 6));
    }
  } else {
    for (let i: u32 = 0; i < 32; i++) {
      store<f64>(a + (<usize>i << 3), floatLane(va, i, f));
      store<f64>(b + (<usize>i << 3), floatLane(vb, i, f));
    }
    clearFlags();
  }
  // two columns at a time (binary64 lanes), a row's four pairs side by side: the same additions, in the
  // same order, as one column at a time
  const acc = accAddr(O.mma_acc(d));
  for (let i: usize = 0; i < 8; i++) {
    const p = acc + (i << 5);
    let s0 = f64x2.promote_low_f32x4(v128.load64_zero(p));
    let s1 = f64x2.promote_low_f32x4(v128.load64_zero(p + 8));
    let s2 = f64x2.promote_low_f32x4(v128.load64_zero(p + 16));
    let s3 = f64x2.promote_low_f32x4(v128.load64_zero(p + 24));
    for (let k: usize = 0; k < 4; k++) {
      const x = f64x2.splat(load<f64>(a + (i << 5) + (k << 3)));
      const row = b + (k << 6);
      s0 = f64x2.add(s0, f64x2.mul(x, v128.load(row)));
      s1 = f64x2.add(s1, f64x2.mul(x, v128.load(row + 16)));
      s2 = f64x2.add(s2, f64x2.mul(x, v128.load(row + 32)));
      s3 = f64x2.add(s3, f64x2.mul(x, v128.load(row + 48)));
    }
    store<i64>(p, i64x2.extract_lane(f32x4.demote_f64x2_zero(s0), 0));
    store<i64>(p + 8, i64x2.extract_lane(f32x4.demote_f64x2_zero(s1), 0));
    store<i64>(p + 16, i64x2.extract_lane(f32x4.demote_f64x2_zero(s2), 0));
    store<i64>(p + 24, i64x2.extract_lane(f32x4.demote_f64x2_zero(s3), 0));
  }
  return pc + 4;
}

/** Eight bf16 lanes at `from` as binary64 at `to`. */
// @ts-ignore: decorator
@inline function widen(from: usize, to: usize): void {
  const v = v128.load(from);
  const lo = i32x4.shl(i32x4.extend_low_i16x8_u(v), 16), hi = i32x4.shl(i32x4.extend_high_i16x8_u(v), 16);
  v128.store(to, f64x2.promote_low_f32x4(lo));
  v128.store(to + 16, f64x2.promote_low_f32x4(i64x2.shuffle(lo, lo, 1, 1)));
  v128.store(to + 32, f64x2.promote_low_f32x4(hi));
  v128.store(to + 48, f64x2.promote_low_f32x4(i64x2.shuffle(hi, hi, 1, 1)));
}

export function exec_mzero(d: usize, pc: u64): u64 {
  memory.fill(accAddr(O.mzero_acc(d)), 0, L.ACC_BYTES);
  return pc + 4;
}

export function exec_mget(d: usize, pc: u64): u64 {
  memory.copy(vreg(d, L.REC_RD), accAddr(O.mget_acc1(d)) + (<usize>O.mget_mpart(d) << L.VREG_SHIFT), L.VREG_BYTES);
  return pc + 4;
}

export function exec_mset(d: usize, pc: u64): u64 {
  memory.copy(accAddr(O.mset_acc(d)) + (<usize>O.mset_mpart(d) << L.VREG_SHIFT), vreg(d, L.REC_RS1), L.VREG_BYTES);
  return pc + 4;
}
