// Semantics of RV64I (RISC-V unprivileged spec, chapters 2 and 4): one small function per instruction,
// named exec_<mnemonic>. Each returns the next pc, or TRAP after recording a fault.
import * as L from '../generated/layout';
import { imm, invalidate, jumpTo, setRd, sram, trap, x1, x2 } from '../state';
import { farLoad, farStore, isGlobal } from '../net';

// @ts-ignore: decorator
@inline function sext32(v: i64): i64 { return <i64><i32>v; }

// @ts-ignore: decorator
@inline export function exec_lui(d: usize, pc: u64): u64 { setRd(d, sext32(imm(d) << 12)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_auipc(d: usize, pc: u64): u64 { setRd(d, <i64>pc + sext32(imm(d) << 12)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_jal(d: usize, pc: u64): u64 {
  const next = jumpTo(pc + <u64>imm(d));
  if (next != L.TRAP) setRd(d, <i64>(pc + 4));
  return next;
}
// @ts-ignore: decorator
@inline export function exec_jalr(d: usize, pc: u64): u64 {
  const next = jumpTo(<u64>(x1(d) + imm(d)) & ~(<u64>1));
  if (next != L.TRAP) setRd(d, <i64>(pc + 4));
  return next;
}

// @ts-ignore: decorator
@inline function branch(taken: bool, d: usize, pc: u64): u64 { return taken ? jumpTo(pc + <u64>imm(d)) : pc + 4; }
// @ts-ignore: decorator
@inline export function exec_beq(d: usize, pc: u64): u64 { return branch(x1(d) == x2(d), d, pc); }
// @ts-ignore: decorator
@inline export function exec_bne(d: usize, pc: u64): u64 { return branch(x1(d) != x2(d), d, pc); }
// @ts-ignore: decorator
@inline export function exec_blt(d: usize, pc: u64): u64 { return branch(x1(d) < x2(d), d, pc); }
// @ts-ignore: decorator
@inline export function exec_bge(d: usize, pc: u64): u64 { return branch(x1(d) >= x2(d), d, pc); }
// @ts-ignore: decorator
@inline export function exec_bltu(d: usize, pc: u64): u64 { return branch(<u64>x1(d) < <u64>x2(d), d, pc); }
// @ts-ignore: decorator
@inline export function exec_bgeu(d: usize, pc: u64): u64 { return branch(<u64>x1(d) >= <u64>x2(d), d, pc); }

// Loads: any byte outside SRAM is a load access fault; misaligned addresses are allowed.
// @ts-ignore: decorator
@inline function ea(d: usize): u64 { return <u64>(x1(d) + imm(d)); }
// @ts-ignore: decorator
@inline export function exec_lb(d: usize, pc: u64): u64 { const a = ea(d); const p = sram(a, 1, false); if (!p) return farLoad(d, pc, a, 1, true, 0); setRd(d, <i64>load<i8>(p)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_lh(d: usize, pc: u64): u64 { const a = ea(d); const p = sram(a, 2, false); if (!p) return farLoad(d, pc, a, 2, true, 0); setRd(d, <i64>load<i16>(p)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_lw(d: usize, pc: u64): u64 { const a = ea(d); const p = sram(a, 4, false); if (!p) return farLoad(d, pc, a, 4, true, 0); setRd(d, <i64>load<i32>(p)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_ld(d: usize, pc: u64): u64 { const a = ea(d); const p = sram(a, 8, false); if (!p) return farLoad(d, pc, a, 8, true, 0); setRd(d, load<i64>(p)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_lbu(d: usize, pc: u64): u64 { const a = ea(d); const p = sram(a, 1, false); if (!p) return farLoad(d, pc, a, 1, false, 0); setRd(d, <i64>load<u8>(p)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_lhu(d: usize, pc: u64): u64 { const a = ea(d); const p = sram(a, 2, false); if (!p) return farLoad(d, pc, a, 2, false, 0); setRd(d, <i64>load<u16>(p)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_lwu(d: usize, pc: u64): u64 { const a = ea(d); const p = sram(a, 4, false); if (!p) return farLoad(d, pc, a, 4, false, 0); setRd(d, <i64>load<u32>(p)); return pc + 4; }

/** A store outside local SRAM: to a global address (the value's low `size` bytes), or a store fault. */
function far(pc: u64, a: u64, size: u32, v: u64, cause: u32): u64 {
  if (!isGlobal(a)) return trap(cause, a);
  store<u64>(L.VTMP, v);
  return farStore(pc, a, L.VTMP, size);
}

// Stores also forget the predecoded records of the words they change (self-modifying code works).
// @ts-ignore: decorator
@inline export function exec_sb(d: usize, pc: u64): u64 { const a = ea(d); const p = sram(a, 1, true); if (!p) return far(pc, a, 1, <u64>x2(d), L.CAUSE_STORE); invalidate(a, 1); store<u8>(p, <u8>x2(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_sh(d: usize, pc: u64): u64 { const a = ea(d); const p = sram(a, 2, true); if (!p) return far(pc, a, 2, <u64>x2(d), L.CAUSE_STORE); invalidate(a, 2); store<u16>(p, <u16>x2(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_sw(d: usize, pc: u64): u64 { const a = ea(d); const p = sram(a, 4, true); if (!p) return far(pc, a, 4, <u64>x2(d), L.CAUSE_STORE); invalidate(a, 4); store<u32>(p, <u32>x2(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_sd(d: usize, pc: u64): u64 { const a = ea(d); const p = sram(a, 8, true); if (!p) return far(pc, a, 8, <u64>x2(d), L.CAUSE_STORE); invalidate(a, 8); store<i64>(p, x2(d)); return pc + 4; }

// @ts-ignore: decorator
@inline export function exec_addi(d: usize, pc: u64): u64 { setRd(d, x1(d) + imm(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_slti(d: usize, pc: u64): u64 { setRd(d, <i64>(x1(d) < imm(d))); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_sltiu(d: usize, pc: u64): u64 { setRd(d, <i64>(<u64>x1(d) < <u64>imm(d))); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_xori(d: usize, pc: u64): u64 { setRd(d, x1(d) ^ imm(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_ori(d: usize, pc: u64): u64 { setRd(d, x1(d) | imm(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_andi(d: usize, pc: u64): u64 { setRd(d, x1(d) & imm(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_slli(d: usize, pc: u64): u64 { setRd(d, x1(d) << imm(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_srli(d: usize, pc: u64): u64 { setRd(d, x1(d) >>> imm(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_srai(d: usize, pc: u64): u64 { setRd(d, x1(d) >> imm(d)); return pc + 4; }

// Register shifts use the low 6 bits of rs2; wasm's i64 shifts do exactly that.
// @ts-ignore: decorator
@inline export function exec_add(d: usize, pc: u64): u64 { setRd(d, x1(d) + x2(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_sub(d: usize, pc: u64): u64 { setRd(d, x1(d) - x2(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_sll(d: usize, pc: u64): u64 { setRd(d, x1(d) << x2(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_slt(d: usize, pc: u64): u64 { setRd(d, <i64>(x1(d) < x2(d))); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_sltu(d: usize, pc: u64): u64 { setRd(d, <i64>(<u64>x1(d) < <u64>x2(d))); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_xor(d: usize, pc: u64): u64 { setRd(d, x1(d) ^ x2(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_srl(d: usize, pc: u64): u64 { setRd(d, x1(d) >>> x2(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_sra(d: usize, pc: u64): u64 { setRd(d, x1(d) >> x2(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_or(d: usize, pc: u64): u64 { setRd(d, x1(d) | x2(d)); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_and(d: usize, pc: u64): u64 { setRd(d, x1(d) & x2(d)); return pc + 4; }

// 32-bit (W) forms: operate on the low 32 bits, sign-extend the 32-bit result.
// @ts-ignore: decorator
@inline export function exec_addiw(d: usize, pc: u64): u64 { setRd(d, sext32(x1(d) + imm(d))); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_slliw(d: usize, pc: u64): u64 { setRd(d, <i64>(<i32>x1(d) << <i32>imm(d))); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_srliw(d: usize, pc: u64): u64 { setRd(d, <i64><i32>(<u32>x1(d) >>> <u32>imm(d))); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_sraiw(d: usize, pc: u64): u64 { setRd(d, <i64>(<i32>x1(d) >> <i32>imm(d))); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_addw(d: usize, pc: u64): u64 { setRd(d, sext32(x1(d) + x2(d))); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_subw(d: usize, pc: u64): u64 { setRd(d, sext32(x1(d) - x2(d))); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_sllw(d: usize, pc: u64): u64 { setRd(d, <i64>(<i32>x1(d) << (<i32>x2(d) & 31))); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_srlw(d: usize, pc: u64): u64 { setRd(d, <i64><i32>(<u32>x1(d) >>> (<u32>x2(d) & 31))); return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_sraw(d: usize, pc: u64): u64 { setRd(d, <i64>(<i32>x1(d) >> (<i32>x2(d) & 31))); return pc + 4; }

// A single core has no other observer of memory order: fences only cost their cycles.
// @ts-ignore: decorator
@inline export function exec_fence(d: usize, pc: u64): u64 { return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_fence_tso(d: usize, pc: u64): u64 { return pc + 4; }
// @ts-ignore: decorator
@inline export function exec_ecall(d: usize, pc: u64, n: u64): u64 { return trap(L.CAUSE_ECALL, pc); }
// @ts-ignore: decorator
@inline export function exec_ebreak(d: usize, pc: u64, n: u64): u64 { return trap(L.CAUSE_EBREAK, pc); }
