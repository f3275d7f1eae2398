// Semantics of RV64M (RISC-V unprivileged spec, chapter 13): multiply, and divide with the spec's
// results for division by zero and signed overflow (no traps; wasm's own division would trap).
import { setRd, x1, x2 } from '../state';

const MIN: i64 = -9223372036854775808;

/** High 64 bits of the unsigned 128-bit product. */
function mulhu(a: u64, b: u64): u64 {
  const al = a & 0xffffffff, ah = a >> 32, bl = b & 0xffffffff, bh = b >> 32;
  const ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  const mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

// @ts-ignore: decorator
@inline export function exec_mul(d: usize, pc: u64): u64 { setRd(d, x1(d) * x2(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_mulh(d: usize, pc: u64): u64 {
  const a = x1(d), b = x2(d);
  setRd(d, <i64>mulhu(<u64>a, <u64>b) - (a < 0 ? b : 0) - (b < 0 ? a : 0));
  return pc + 4;
}
// @ts-ignore: decorator
@inline export function exec_mulhsu(d: usize, pc: u64): u64 {
  const a = x1(d), b = x2(d);
  setRd(d, <i64>mulhu(<u64>a, <u64>b) - (a < 0 ? b : 0));
  return pc + 4;
}
// @ts-ignore: decorator
@inline export function exec_mulhu(d: usize, pc: u64): u64 { setRd(d, <i64>mulhu(<u64>x1(d), <u64>x2(d))); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_div(d: usize, pc: u64): u64 {
  const a = x1(d), b = x2(d);
  setRd(d, b == 0 ? -1 : a == MIN && b == -1 ? a : a / b);
  return pc + 4;
}
// @ts-ignore: decorator
@inline export function exec_divu(d: usize, pc: u64): u64 {
  const a = <u64>x1(d), b = <u64>x2(d);
  setRd(d, b == 0 ? -1 : <i64>(a / b));
  return pc + 4;
}
// @ts-ignore: decorator
@inline export function exec_rem(d: usize, pc: u64): u64 {
  const a = x1(d), b = x2(d);
  setRd(d, b == 0 ? a : a == MIN && b == -1 ? 0 : a % b);
  return pc + 4;
}
// @ts-ignore: decorator
@inline export function exec_remu(d: usize, pc: u64): u64 {
  const a = <u64>x1(d), b = <u64>x2(d);
  setRd(d, b == 0 ? <i64>a : <i64>(a % b));
  return pc + 4;
}
// @ts-ignore: decorator
@inline export function exec_mulw(d: usize, pc: u64): u64 { setRd(d, <i64>(<i32>x1(d) * <i32>x2(d))); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_divw(d: usize, pc: u64): u64 {
  const a = <i32>x1(d), b = <i32>x2(d);
  setRd(d, <i64>(b == 0 ? -1 : a == i32.MIN_VALUE && b == -1 ? a : a / b));
  return pc + 4;
}
// @ts-ignore: decorator
@inline export function exec_divuw(d: usize, pc: u64): u64 {
  const a = <u32>x1(d), b = <u32>x2(d);
  setRd(d, <i64><i32>(b == 0 ? 0xffffffff : a / b));
  return pc + 4;
}
// @ts-ignore: decorator
@inline export function exec_remw(d: usize, pc: u64): u64 {
  const a = <i32>x1(d), b = <i32>x2(d);
  setRd(d, <i64>(b == 0 ? a : a == i32.MIN_VALUE && b == -1 ? 0 : a % b));
  return pc + 4;
}
// @ts-ignore: decorator
@inline export function exec_remuw(d: usize, pc: u64): u64 {
  const a = <u32>x1(d), b = <u32>x2(d);
  setRd(d, <i64><i32>(b == 0 ? a : a % b));
  return pc + 4;
}
