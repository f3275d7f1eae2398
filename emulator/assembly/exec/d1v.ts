// Semantics of the D1 vector instructions (isa/ext/d1v.ts; docs/machine.md, "Vector unit"). Float lanes
// compute in binary64 and round once into the lane format (emulator/assembly/numbers.ts); integer lanes
// wrap. Every function returns the next pc, or TRAP with the fault recorded.
import { farLoad, farStore, isGlobal } from '../net';
import * as L from '../generated/layout';
import * as N from '../generated/numbers';
import * as O from '../generated/operands';
import { encode, srDraw, srStep } from '../numbers';
import { imm, rdAddr, tb, x1, x2 } from '../state';
import {
  BAD, commitFlags, copyReg, floatLane, fmtBias, fmtId, format, formatFault, intLane, invalidateBytes, isInt, isSigned, lane, laneBytes,
  setFloatLane, setLane, vaddr, vreg, zeroBytes,
} from '../vector';

// Lane operations, shared by the element-wise groups.
const ADD: u32 = 0, SUB: u32 = 1, MUL: u32 = 2, FMA: u32 = 3, MIN: u32 = 4, MAX: u32 = 5, DIV: u32 = 6;
const ABS: u32 = 7, NEG: u32 = 8, RELU: u32 = 9, EXP: u32 = 10, RSQRT: u32 = 11;
const CMPEQ: u32 = 12, CMPLT: u32 = 13, CMPLE: u32 = 14, SLL: u32 = 15, SRL: u32 = 16, SRA: u32 = 17;

/** x rounded to binary64 by round-to-odd: exact + err is the true value. Rounding the result once more to
 * any format of at most 51 bits is then correctly rounded (used by vfma). */
function roundToOdd(s: f64, err: f64): f64 {
  if (err == 0) return s;
  const u = reinterpret<u64>(s);
  if ((u & 1) != 0) return s;
  const away = (err > 0) == (s > 0);
  return reinterpret<f64>(away ? u + 1 : u - 1);
}

function floatOp(op: u32, a: f64, b: f64, c: f64): f64 {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case FMA: {
      const p = a * b; // exact: every lane format has at most 24 significand bits
      const s = c + p;
      const bb = s - c; // Knuth's TwoSum: the exact error of c + p
      const err = (c - (s - bb)) + (p - bb);
      return roundToOdd(s, err);
    }
    case MIN: return isNaN(a) || isNaN(b) ? NaN : a < b || (a == b && (reinterpret<u64>(a) >> 63) != 0) ? a : b;
    case MAX: return isNaN(a) || isNaN(b) ? NaN : a > b || (a == b && (reinterpret<u64>(a) >> 63) == 0) ? a : b;
    case DIV: return a / b;
    case ABS: return abs(a);
    case NEG: return -a;
    case RELU: return isNaN(a) ? a : a > 0 ? a : 0;
    case EXP: return Math.exp(a);
    case RSQRT: return 1.0 / Math.sqrt(a);
  }
  return NaN;
}

function intOp(op: u32, a: i64, b: i64, c: i64, f: u32): i64 {
  const signed = isSigned(f);
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case FMA: return c + a * b;
    case MIN: return signed ? (a < b ? a : b) : (<u64>a < <u64>b ? a : b);
    case MAX: return signed ? (a > b ? a : b) : (<u64>a > <u64>b ? a : b);
    case DIV: {
      if (b == 0) return -1;
      return signed ? (a == i64.MIN_VALUE && b == -1 ? a : a / b) : <i64>(<u64>a / <u64>b);
    }
    case ABS: return a < 0 ? -a : a;
    case NEG: return -a;
    case RELU: return a > 0 ? a : 0;
    case SLL: return a << (b & ((<i64>laneBytes(f) << 3) - 1));
    case SRL: return <i64>((<u64>a & ((<u64>1 << (<u64>laneBytes(f) << 3)) - 1)) >> (<u64>b & ((<u64>laneBytes(f) << 3) - 1)));
    case SRA: return a >> (b & ((<i64>laneBytes(f) << 3) - 1));
  }
  return 0;
}

/** vd[i] = op(vs1[i], vs2[i]) (vd[i] is the third operand of fma) over the lanes of table entry e. */
function elementwise(d: usize, pc: u64, e: u32, op: u32): u64 {
  const f = format(e);
  if (f == BAD) return L.TRAP;
  const int = isInt(f);
  if (op >= EXP && op <= RSQRT && int) return formatFault(e, f, L.FORMAT_NEEDS_FLOAT);
  if (op >= SLL && !int) return formatFault(e, f, L.FORMAT_NEEDS_INT);
  const bytes = laneBytes(f);
  const lanes = <u32>L.VREG_BYTES / bytes;
  const vd = vreg(d, L.REC_RD), va = vreg(d, L.REC_RS1), vb = vreg(d, L.REC_AUX);
  if (int && wrapping(op, vd, va, vb, bytes, isSigned(f))) return pc + 4; // (integer lanes raise no flags)
  for (let i: u32 = 0; i < lanes; i++) {
    if (int) setLane(vd, i, bytes, <u32>intOp(op, intLane(va, i, f), intLane(vb, i, f), intLane(vd, i, f), f));
    else setFloatLane(vd, i, f, floatOp(op, floatLane(va, i, f), floatLane(vb, i, f), op == FMA ? floatLane(vd, i, f) : 0));
  }
  commitFlags();
  return pc + 4;
}

/**
 * The integer operations that are the same on every lane width's bits (add, subtract, multiply and the
 * shifts, wrapping as intOp does), a register at a time: whether op was one of them (vd then written).
 */
function wrapping(op: u32, vd: usize, va: usize, vb: usize, bytes: u32, signed: bool): bool {
  if (op == ADD || op == SUB || (op == MUL && bytes != 1)) {
    for (let k: usize = 0; k < L.VREG_BYTES; k += 16) {
      const a = v128.load(va + k), b = v128.load(vb + k);
      let r: v128;
      if (bytes == 4) r = op == ADD ? i32x4.add(a, b) : op == SUB ? i32x4.sub(a, b) : i32x4.mul(a, b);
      else if (bytes == 2) r = op == ADD ? i16x8.add(a, b) : op == SUB ? i16x8.sub(a, b) : i16x8.mul(a, b);
      else r = op == ADD ? i8x16.add(a, b) : i8x16.sub(a, b);
      v128.store(vd + k, r);
    }
    return true;
  }
  if (op < SLL) return false;
  // a lane shifted by the low bits of the other lane: logical right for unsigned lanes (intOp's arithmetic
  // shift of a zero-extended lane)
  const arith = op == SRA && signed;
  if (sameLanes(vb, bytes)) {
    // one count in every lane (a broadcast one): 16 bytes at a time
    const s = <i32>lane(vb, 0, bytes) & ((<i32>bytes << 3) - 1);
    for (let k: usize = 0; k < L.VREG_BYTES; k += 16) {
      const a = v128.load(va + k);
      let r: v128;
      if (bytes == 4) r = op == SLL ? i32x4.shl(a, s) : arith ? i32x4.shr_s(a, s) : i32x4.shr_u(a, s);
      else if (bytes == 2) r = op == SLL ? i16x8.shl(a, s) : arith ? i16x8.shr_s(a, s) : i16x8.shr_u(a, s);
      else r = op == SLL ? i8x16.shl(a, s) : arith ? i8x16.shr_s(a, s) : i8x16.shr_u(a, s);
      v128.store(vd + k, r);
    }
    return true;
  }
  if (bytes == 4) {
    for (let k: usize = 0; k < L.VREG_BYTES; k += 4) {
      const a = load<u32>(va + k), s = load<u32>(vb + k) & 31;
      store<u32>(vd + k, op == SLL ? a << s : arith ? <u32>(<i32>a >> s) : a >> s);
    }
  } else if (bytes == 2) {
    for (let k: usize = 0; k < L.VREG_BYTES; k += 2) {
      const a = <u32>load<u16>(va + k), s = <u32>load<u16>(vb + k) & 15;
      store<u16>(vd + k, <u16>(op == SLL ? a << s : arith ? <u32>(<i32><i16>a >> s) : a >> s));
    }
  } else {
    for (let k: usize = 0; k < L.VREG_BYTES; k++) {
      const a = <u32>load<u8>(va + k), s = <u32>load<u8>(vb + k) & 7;
      store<u8>(vd + k, <u8>(op == SLL ? a << s : arith ? <u32>(<i32><i8>a >> s) : a >> s));
    }
  }
  return true;
}

/** Whether every lane (of `bytes` bytes) of the register at v is the same. */
function sameLanes(v: usize, bytes: u32): bool {
  const x = bytes == 4 ? i32x4.splat(load<u32>(v)) : bytes == 2 ? i16x8.splat(load<u16>(v)) : i8x16.splat(load<u8>(v));
  const d = v128.or(v128.or(v128.xor(v128.load(v), x), v128.xor(v128.load(v, 16), x)), v128.or(v128.xor(v128.load(v, 32), x), v128.xor(v128.load(v, 48), x)));
  return !v128.any_true(d);
}

/** vd[i] = all ones if vs1[i] op vs2[i], else 0. NaN compares false. */
function compare(d: usize, pc: u64, e: u32, op: u32): u64 {
  const f = format(e);
  if (f == BAD) return L.TRAP;
  const bytes = laneBytes(f);
  const lanes = <u32>L.VREG_BYTES / bytes;
  const vd = vreg(d, L.REC_RD), va = vreg(d, L.REC_RS1), vb = vreg(d, L.REC_AUX);
  for (let i: u32 = 0; i < lanes; i++) {
    let t: bool;
    if (isInt(f)) {
      const a = intLane(va, i, f), b = intLane(vb, i, f);
      t = op == CMPEQ ? a == b : isSigned(f) ? (op == CMPLT ? a < b : a <= b) : (op == CMPLT ? <u64>a < <u64>b : <u64>a <= <u64>b);
    } else {
      const a = floatLane(va, i, f), b = floatLane(vb, i, f);
      t = op == CMPEQ ? a == b : op == CMPLT ? a < b : a <= b;
    }
    setLane(vd, i, bytes, t ? 0xffffffff : 0);
  }
  commitFlags();
  return pc + 4;
}

export function exec_vadd(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vadd_fmt(d), ADD); }
export function exec_vsub(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vsub_fmt(d), SUB); }
export function exec_vmul(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vmul_fmt(d), MUL); }
export function exec_vfma(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vfma_fmt(d), FMA); }
export function exec_vmin(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vmin_fmt(d), MIN); }
export function exec_vmax(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vmax_fmt(d), MAX); }
export function exec_vdiv(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vdiv_fmt(d), DIV); }
export function exec_vabs(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vabs_fmt(d), ABS); }
export function exec_vneg(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vneg_fmt(d), NEG); }
export function exec_vrelu(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vrelu_fmt(d), RELU); }
export function exec_vexp(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vexp_fmt(d), EXP); }
export function exec_vrsqrt(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vrsqrt_fmt(d), RSQRT); }
export function exec_vsll(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vsll_fmt(d), SLL); }
export function exec_vsrl(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vsrl_fmt(d), SRL); }
export function exec_vsra(d: usize, pc: u64): u64 { return elementwise(d, pc, O.vsra_fmt(d), SRA); }
export function exec_vcmpeq(d: usize, pc: u64): u64 { return compare(d, pc, O.vcmpeq_fmt(d), CMPEQ); }
export function exec_vcmplt(d: usize, pc: u64): u64 { return compare(d, pc, O.vcmplt_fmt(d), CMPLT); }
export function exec_vcmple(d: usize, pc: u64): u64 { return compare(d, pc, O.vcmple_fmt(d), CMPLE); }

export function exec_vmov(d: usize, pc: u64): u64 {
  copyReg(vreg(d, L.REC_RD), vreg(d, L.REC_RS1));
  return pc + 4;
}

/** Bitwise operations, 16 bytes at a time: 0 and, 1 or, 2 xor, 3 select (mask in vd). */
function bitwise(d: usize, pc: u64, op: u32): u64 {
  const vd = vreg(d, L.REC_RD), va = vreg(d, L.REC_RS1), vb = vreg(d, L.REC_AUX);
  for (let k: usize = 0; k < L.VREG_BYTES; k += 16) {
    const a = v128.load(va + k), b = v128.load(vb + k);
    v128.store(vd + k, op == 0 ? v128.and(a, b) : op == 1 ? v128.or(a, b) : op == 2 ? v128.xor(a, b) : v128.bitselect(a, b, v128.load(vd + k)));
  }
  return pc + 4;
}
export function exec_vand(d: usize, pc: u64): u64 { return bitwise(d, pc, 0); }
export function exec_vor(d: usize, pc: u64): u64 { return bitwise(d, pc, 1); }
export function exec_vxor(d: usize, pc: u64): u64 { return bitwise(d, pc, 2); }
export function exec_vsel(d: usize, pc: u64): u64 { return bitwise(d, pc, 3); }

/** vd = 0 except lane 0: the sum (0), max (1) or min (2) of the lanes of vs1. */
function reduce(d: usize, pc: u64, e: u32, op: u32): u64 {
  const f = format(e);
  if (f == BAD) return L.TRAP;
  const bytes = laneBytes(f);
  const lanes = <u32>L.VREG_BYTES / bytes;
  const vd = vreg(d, L.REC_RD), va = vreg(d, L.REC_RS1);
  if (isInt(f)) {
    let r = intLane(va, 0, f);
    for (let i: u32 = 1; i < lanes; i++) r = intOp(op == 0 ? ADD : op == 1 ? MAX : MIN, r, intLane(va, i, f), 0, f);
    zeroBytes(vd, L.VREG_BYTES);
    setLane(vd, 0, bytes, <u32>r);
  } else {
    let r = floatLane(va, 0, f);
    for (let i: u32 = 1; i < lanes; i++) r = floatOp(op == 0 ? ADD : op == 1 ? MAX : MIN, r, floatLane(va, i, f), 0);
    zeroBytes(vd, L.VREG_BYTES);
    setFloatLane(vd, 0, f, r);
  }
  commitFlags();
  return pc + 4;
}
export function exec_vredsum(d: usize, pc: u64): u64 { return reduce(d, pc, O.vredsum_fmt(d), 0); }
export function exec_vredmax(d: usize, pc: u64): u64 { return reduce(d, pc, O.vredmax_fmt(d), 1); }
export function exec_vredmin(d: usize, pc: u64): u64 { return reduce(d, pc, O.vredmin_fmt(d), 2); }

/** vd[i] = vs1[index(i) mod lanes], through a scratch copy so vd may be a source. */
function permute(d: usize, pc: u64, e: u32, pattern: i32): u64 {
  const f = format(e);
  if (f == BAD) return L.TRAP;
  const bytes = laneBytes(f);
  const lanes = <u32>L.VREG_BYTES / bytes;
  const vd = vreg(d, L.REC_RD), vb = vreg(d, L.REC_AUX);
  copyReg(L.VTMP, vreg(d, L.REC_RS1));
  copyReg(L.VTMP + L.VREG_BYTES, vb);
  for (let i: u32 = 0; i < lanes; i++) {
    const j = pattern < 0 ? lane(L.VTMP + L.VREG_BYTES, i, bytes) & (lanes - 1) : (i ^ <u32>pattern) & (lanes - 1);
    setLane(vd, i, bytes, lane(L.VTMP, j, bytes));
  }
  return pc + 4;
}
export function exec_vperm(d: usize, pc: u64): u64 { return permute(d, pc, O.vperm_fmt(d), -1); }
export function exec_vshuf(d: usize, pc: u64): u64 { return permute(d, pc, O.vshuf_fmt(d), <i32>O.vshuf_pat5(d)); }

/** Transpose the R x R block of esz-byte elements (R = VREG_BYTES / esz) in registers vs1.. into vd.. */
function transpose(d: usize, pc: u64, esz: u32): u64 {
  const r = <u32>L.VREG_BYTES / esz;
  const dst = <u32>load<u16>(d, L.REC_RD) >> L.VREG_SHIFT, src = <u32>load<u16>(d, L.REC_RS1) >> L.VREG_SHIFT;
  if (dst % r != 0 || src % r != 0) return formatFault(src % r != 0 ? src : dst, 0, L.FORMAT_BAD_GROUP);
  for (let k: u32 = 0; k < r; k++) copyReg(L.VTMP + (<usize>k << L.VREG_SHIFT), tb + L.T_VREGS + (<usize>(src + k) << L.VREG_SHIFT));
  const to = tb + L.T_VREGS + (<usize>dst << L.VREG_SHIFT);
  for (let row: u32 = 0; row < r; row++) {
    for (let col: u32 = 0; col < r; col++) {
      const at = to + (<usize>col << L.VREG_SHIFT) + <usize>(row * esz), from = L.VTMP + (<usize>row << L.VREG_SHIFT) + <usize>(col * esz);
      if (esz == 32) {
        v128.store(at, v128.load(from));
        v128.store(at, v128.load(from, 16), 16);
      } else if (esz == 16) v128.store(at, v128.load(from));
      else if (esz == 8) store<u64>(at, load<u64>(from));
      else store<u32>(at, load<u32>(from));
    }
  }
  return pc + 4;
}
export function exec_vtrn_8(d: usize, pc: u64): u64 { return transpose(d, pc, 8); }
export function exec_vtrn_16(d: usize, pc: u64): u64 { return transpose(d, pc, 16); }
export function exec_vtrn_32(d: usize, pc: u64): u64 { return transpose(d, pc, 32); }
export function exec_vtrn_4(d: usize, pc: u64): u64 { return transpose(d, pc, 4); }

export function exec_vld(d: usize, pc: u64): u64 {
  const a = <u64>(x1(d) + imm(d));
  if (isGlobal(a) && (a & (L.VREG_BYTES - 1)) == 0) return farLoad(d, pc, a, <u32>L.VREG_BYTES, false, vreg(d, L.REC_RD));
  const m = vaddr(a, L.VREG_BYTES, L.VREG_BYTES, false);
  if (m == 0) return L.TRAP;
  copyReg(vreg(d, L.REC_RD), m);
  return pc + 4;
}

export function exec_vst(d: usize, pc: u64): u64 {
  const a = <u64>(x1(d) + imm(d));
  if (isGlobal(a) && (a & (L.VREG_BYTES - 1)) == 0) return farStore(pc, a, vreg(d, L.REC_AUX), <u32>L.VREG_BYTES);
  const m = vaddr(a, L.VREG_BYTES, L.VREG_BYTES, true);
  if (m == 0) return L.TRAP;
  invalidateBytes(a, L.VREG_BYTES);
  copyReg(m, vreg(d, L.REC_AUX));
  return pc + 4;
}

/** Strided (mode 0), gathered (1) or tiled (2) lane-by-lane load into vd; strided store (3) from vs3. */
function lanes(d: usize, pc: u64, e: u32, mode: u32): u64 {
  const f = format(e);
  if (f == BAD) return L.TRAP;
  const bytes = laneBytes(f);
  const n = <u32>L.VREG_BYTES / bytes;
  const v = vreg(d, L.REC_RD);
  const base = x1(d);
  if (mode == 1) copyReg(L.VTMP, vreg(d, L.REC_AUX));
  const stride = mode == 1 ? 0 : x2(d);
  for (let i: u32 = 0; i < n; i++) {
    let a: u64;
    if (mode == 2) {
      const row = base, col = stride + <i64>i;
      if (row < 0 || row >= load<i64>(tb + L.T_VTROWS) || col < 0 || col >= load<i64>(tb + L.T_VTCOLS)) {
        setLane(v, i, bytes, 0); // implicit padding: never read from SRAM
        continue;
      }
      a = <u64>(load<i64>(tb + L.T_VTBASE) + row * load<i64>(tb + L.T_VTSTRIDE) + col * <i64>bytes);
    } else if (mode == 1) a = <u64>base + <u64>lane(L.VTMP, i, bytes) * <u64>bytes;
    else a = <u64>(base + <i64>i * stride);
    const m = vaddr(a, bytes, bytes, mode == 3);
    if (m == 0) return L.TRAP;
    if (mode == 3) {
      invalidateBytes(a, bytes);
      setLane(m, 0, bytes, lane(v, i, bytes));
    } else setLane(v, i, bytes, lane(m, 0, bytes));
  }
  return pc + 4;
}
export function exec_vlds(d: usize, pc: u64): u64 { return lanes(d, pc, O.vlds_fmt(d), 0); }
export function exec_vgather(d: usize, pc: u64): u64 { return lanes(d, pc, O.vgather_fmt(d), 1); }
export function exec_vldt(d: usize, pc: u64): u64 { return lanes(d, pc, O.vldt_fmt(d), 2); }
export function exec_vsts(d: usize, pc: u64): u64 { return lanes(d, pc, O.vsts_fmt(d), 3); }

/**
 * Convert lanes: n = VREG_BYTES / (wider lane size) lanes; the narrower side uses lanes [part*n, part*n + n),
 * the wider side all of its lanes. Narrowing leaves vd's other lanes as they were.
 */
function convert(d: usize, pc: u64, de: u32, se: u32, part: u32, rounding: u32): u64 {
  const df = format(de);
  if (df == BAD) return L.TRAP;
  const sf = format(se);
  if (sf == BAD) return L.TRAP;
  const db = laneBytes(df), sb = laneBytes(sf);
  const wide = db > sb ? db : sb;
  const n = <u32>L.VREG_BYTES / wide;
  if (part >= wide / (db < sb ? db : sb)) return formatFault(de, df, L.FORMAT_BAD_PART);
  const vd = vreg(d, L.REC_RD);
  copyReg(L.VTMP, vreg(d, L.REC_RS1));
  const s0 = sb < db ? part * n : 0, d0 = db < sb ? part * n : 0;
  let state = load<u64>(tb + L.T_VSRSTATE);
  if (isInt(sf) && isInt(df)) {
    // an integer is its own rounding (either way): saturate, raising Invalid; stochastic rounding still
    // takes its draws
    const signed = isSigned(df), bits = db << 3;
    const lo: i64 = signed ? -(<i64>1 << (bits - 1)) : 0, hi: i64 = signed ? (<i64>1 << (bits - 1)) - 1 : (<i64>1 << bits) - 1;
    for (let i: u32 = 0; i < n; i++) {
      let x = intLane(L.VTMP, s0 + i, sf);
      if (x < lo || x > hi) {
        x = x < lo ? lo : hi;
        store<u32>(tb + L.T_VFLAGS, load<u32>(tb + L.T_VFLAGS) | N.FLAG_INVALID);
      }
      setLane(vd, d0 + i, db, <u32>x);
    }
    if (rounding == N.ROUND_SR) state += <u64>n * N.SPLITMIX_GOLDEN;
    store<u64>(tb + L.T_VSRSTATE, state);
    return pc + 4;
  }
  for (let i: u32 = 0; i < n; i++) {
    const x = floatLane(L.VTMP, s0 + i, sf); // any lane format is exact in binary64
    let rnd: u32 = 0;
    if (rounding == N.ROUND_SR) {
      state = srStep(state);
      rnd = srDraw(state);
    }
    setLane(vd, d0 + i, db, encode(fmtId(df), fmtBias(df), x, rounding, rnd));
  }
  store<u64>(tb + L.T_VSRSTATE, state);
  commitFlags();
  return pc + 4;
}

export function exec_vcvt(d: usize, pc: u64): u64 { return convert(d, pc, O.vcvt_fmt(d), O.vcvt_sfmt(d), O.vcvt_part(d), N.ROUND_RNE); }
export function exec_vcvt_sr(d: usize, pc: u64): u64 { return convert(d, pc, O.vcvt_sr_fmt(d), O.vcvt_sr_sfmt(d), O.vcvt_sr_part(d), N.ROUND_SR); }

/** Fill every lane of vd with `bits` (all), or lane `at` only. */
function put(d: usize, pc: u64, e: u32, bits: u32, at: i64, all: bool): u64 {
  const f = format(e);
  if (f == BAD) return L.TRAP;
  const bytes = laneBytes(f);
  const n = <u32>L.VREG_BYTES / bytes;
  const vd = vreg(d, L.REC_RD);
  if (all) for (let i: u32 = 0; i < n; i++) setLane(vd, i, bytes, bits);
  else setLane(vd, <u32>at & (n - 1), bytes, bits);
  return pc + 4;
}
export function exec_vbcast(d: usize, pc: u64): u64 { return put(d, pc, O.vbcast_fmt(d), <u32>x1(d), 0, true); }
export function exec_vins(d: usize, pc: u64): u64 { return put(d, pc, O.vins_fmt(d), <u32>x1(d), x2(d), false); }

export function exec_vbcastl(d: usize, pc: u64): u64 {
  const f = format(O.vbcastl_fmt(d));
  if (f == BAD) return L.TRAP;
  const bytes = laneBytes(f);
  const bits = lane(vreg(d, L.REC_RS1), <u32>x2(d) & (<u32>L.VREG_BYTES / bytes - 1), bytes);
  return put(d, pc, O.vbcastl_fmt(d), bits, 0, true);
}

export function exec_vext(d: usize, pc: u64): u64 {
  const f = format(O.vext_fmt(d));
  if (f == BAD) return L.TRAP;
  const bytes = laneBytes(f);
  const v = isInt(f) ? intLane(vreg(d, L.REC_RS1), <u32>x2(d) & (<u32>L.VREG_BYTES / bytes - 1), f) : <i64>lane(vreg(d, L.REC_RS1), <u32>x2(d) & (<u32>L.VREG_BYTES / bytes - 1), bytes);
  store<i64>(rdAddr(d), v);
  return pc + 4;
}
