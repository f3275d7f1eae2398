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
    for (let i: usize = 0; i < 32; i++) {
      store<f64>(a + (i << 3), <f64>reinterpret<f32>(<u32>load<u16>(va + (i << 1)) << 16));
      store<f64>(b + (i << 3), <f64>reinterpret<f32>(<u32>load<u16>(vb + (i << 1)) << 16));
    }
  } else {
    for (let i: u32 = 0; i < 32; i++) {
      store<f64>(a + (<usize>i << 3), floatLane(va, i, f));
      store<f64>(b + (<usize>i << 3), floatLane(vb, i, f));
    }
    clearFlags();
  }
  const acc = accAddr(O.mma_acc(d));
  for (let i: usize = 0; i < 8; i++) {
    const a0 = load<f64>(a + (i << 5)), a1 = load<f64>(a + (i << 5) + 8);
    const a2 = load<f64>(a + (i << 5) + 16), a3 = load<f64>(a + (i << 5) + 24);
    for (let j: usize = 0; j < 8; j++) {
      const p = acc + (i << 5) + (j << 2);
      let s = <f64>load<f32>(p);
      s += a0 * load<f64>(b + (j << 3));
      s += a1 * load<f64>(b + 64 + (j << 3));
      s += a2 * load<f64>(b + 128 + (j << 3));
      s += a3 * load<f64>(b + 192 + (j << 3));
      store<f32>(p, <f32>s);
    }
  }
  return pc + 4;
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
