// Vector state for the exec functions of exec/d1v.ts: register and lane access, the format table, the
// sticky flags and the lane-format faults (docs/machine.md, "Vector unit").
import * as L from './generated/layout';
import * as N from './generated/numbers';
import { clearFlags, decode, encode, nflags } from './numbers';
import { coreAt, decoded, invalidateWords, predecAt, sram, tb, touchLines, trap } from './state';

/** Linear-memory address of the vector register in a record slot (vd/vs3: REC_RD, vs1: REC_RS1, vs2: REC_AUX). */
// @ts-ignore: decorator
@inline export function vreg(d: usize, slot: usize): usize { return tb + L.T_VREGS + <usize>load<u16>(d + slot); }

/** The two fields of a format-table entry (isa/numbers.ts ENTRY). */
// @ts-ignore: decorator
@inline export function fmtId(f: u32): u32 { return f & N.ENTRY_ID_MASK; }
// @ts-ignore: decorator
@inline export function fmtBias(f: u32): u32 { return (f >> N.ENTRY_BIAS_SHIFT) & N.ENTRY_BIAS_MASK; }
// @ts-ignore: decorator
@inline export function laneBytes(f: u32): u32 { return <u32>unchecked(N.FMT_BYTES[fmtId(f)]); }
// @ts-ignore: decorator
@inline export function isInt(f: u32): bool { return unchecked(N.FMT_KIND[fmtId(f)]) == N.KIND_INT; }
// @ts-ignore: decorator
@inline export function isSigned(f: u32): bool { return unchecked(N.FMT_SIGNED[fmtId(f)]) != 0; }

/** Returned by format() when the entry is unusable; the fault is recorded. */
export const BAD: u32 = 0xffffffff;

/** Record a FORMAT fault: which entry, which format, why. */
export function formatFault(entry: u32, f: u32, reason: u32): u64 {
  store<u32>(L.FAULT_WORD, entry | (fmtId(f) << 8) | (reason << 16));
  return trap(L.CAUSE_FORMAT, entry);
}

/** The format of table entry `entry`, or BAD (fault recorded) if it names no format. */
export function format(entry: u32): u32 {
  const v = load<u32>(tb + L.T_FMT_TABLE + (<usize>entry << 2));
  if (fmtId(v) >= N.FORMAT_COUNT) {
    formatFault(entry, v, L.FORMAT_NO_FORMAT);
    return BAD;
  }
  return fmtId(v) | (fmtBias(v) << N.ENTRY_BIAS_SHIFT);
}

/** Raw bits of lane i of a register at address r. */
// @ts-ignore: decorator
@inline export function lane(r: usize, i: u32, bytes: u32): u32 {
  if (bytes == 4) return load<u32>(r + (<usize>i << 2));
  if (bytes == 2) return <u32>load<u16>(r + (<usize>i << 1));
  return <u32>load<u8>(r + <usize>i);
}

// @ts-ignore: decorator
@inline export function setLane(r: usize, i: u32, bytes: u32, v: u32): void {
  if (bytes == 4) store<u32>(r + (<usize>i << 2), v);
  else if (bytes == 2) store<u16>(r + (<usize>i << 1), <u16>v);
  else store<u8>(r + <usize>i, <u8>v);
}

/** Lane i as a signed or unsigned 64-bit integer (integer formats). */
// @ts-ignore: decorator
@inline export function intLane(r: usize, i: u32, f: u32): i64 {
  const b = laneBytes(f);
  const v = lane(r, i, b);
  if (!isSigned(f)) return <i64>v;
  const sh = 64 - (b << 3);
  return (<i64>v << sh) >> sh;
}

/** Lane i as a binary64 value (float formats; raises the operand flags). */
// @ts-ignore: decorator
@inline export function floatLane(r: usize, i: u32, f: u32): f64 {
  return decode(fmtId(f), fmtBias(f), lane(r, i, laneBytes(f)));
}

/** Round x into lane i (round to nearest even). */
// @ts-ignore: decorator
@inline export function setFloatLane(r: usize, i: u32, f: u32, x: f64): void {
  setLane(r, i, laneBytes(f), encode(fmtId(f), fmtBias(f), x, N.ROUND_RNE, 0));
}

/** Add the flags the lane operations raised to this thread's sticky vflags. */
export function commitFlags(): void {
  if (nflags != 0) {
    store<u32>(tb + L.T_VFLAGS, load<u32>(tb + L.T_VFLAGS) | nflags);
    clearFlags();
  }
}

/** Address in linear memory of a vector access of `size` bytes at a that must be `align`-aligned, or 0
 * with the fault (misaligned, or outside SRAM as a load/store fault) recorded. */
export function vaddr(a: u64, size: u64, align: u64, isStore: bool): usize {
  if ((a & (align - 1)) != 0) {
    trap(L.CAUSE_MISALIGNED, a);
    return 0;
  }
  const p = sram(a, size, isStore);
  if (p == 0) trap(isStore ? L.CAUSE_STORE : L.CAUSE_LOAD, a);
  return p;
}

/** A vector store is about to change [a, a + size): forget the predecoded records of those words (a register's
 * aligned bytes here, without a call into the host's memset: what vst does). */
export function invalidateBytes(a: u64, size: u64): void {
  if (size != L.VREG_BYTES || (a & (L.VREG_BYTES - 1)) != 0) {
    invalidateWords(coreAt, a, size);
    return;
  }
  if (decoded(coreAt, a)) zeroBytes(predecAt + (<usize>(a >> 2) << 4), L.VREG_BYTES << 2);
  touchLines(coreAt, a, size);
}

/** Copy a register's VREG_BYTES from `from` to `to` (one place or two apart: registers, SRAM, scratch),
 * 16 bytes at a time (memory.copy would be a call into the host). */
// @ts-ignore: decorator
@inline export function copyReg(to: usize, from: usize): void {
  const a = v128.load(from), b = v128.load(from, 16), c = v128.load(from, 32), d = v128.load(from, 48);
  v128.store(to, a);
  v128.store(to, b, 16);
  v128.store(to, c, 32);
  v128.store(to, d, 48);
}

/** Zero `bytes` (a multiple of 16) at `to`. */
// @ts-ignore: decorator
@inline export function zeroBytes(to: usize, bytes: usize): void {
  for (let k: usize = 0; k < bytes; k += 16) v128.store(to + k, i64x2.splat(0));
}
