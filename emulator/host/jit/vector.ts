// The vector and matrix instructions in compiled blocks (docs/machine.md, "Vector unit" and "Matrix
// units"). Register moves (vld, vst, mzero, mget, mset) and the bitwise instructions are WebAssembly over
// the core's memory; every other one calls the core (emulator/assembly/jit.ts: mma, vexec, the
// interpreter's exec_<name>), so the lanes are computed in one place. The cycle model of all of them is
// schedule.ts steps.
import { LAYOUT } from '../../layout.js';
import { immediate } from '../../record.js';
import type { Instr } from '../../../isa/types.js';
import { A, CORE, P, TB, VAL, ZERO } from './locals.js';
import type { Rec } from './semantics.js';
import { MMA, VEXEC } from './imports.js';
import { Body, OP, SIMD, V128_LOAD, V128_STORE } from './wasm.js';
import { stateShift } from './model.js';

/** The bitwise instructions' WebAssembly SIMD operations (sub-opcodes: v128.and, or, xor, bitselect, which
 * takes the mask last: vsel's is vd), as emulator/assembly/exec/d1v.ts bitwise. */
const BITWISE: Record<string, number> = { vand: 0x4e, vor: 0x50, vxor: 0x51, vsel: 0x52 };
const MOVES = new Set(['vld', 'vst', 'mzero', 'mget', 'mset', ...Object.keys(BITWISE)]);
/** Lane loads and stores: they fault lane by lane, after writing some lanes, so the interpreter runs them
 * (a block leaves before an instruction that would fault, with nothing of it done). */
const LANES = new Set(['vlds', 'vgather', 'vldt', 'vsts']);

/** How a block runs a vector or matrix instruction: as WebAssembly ('move', a register move or a bitwise
 * instruction), by a call ('call', or
 * 'mma' to its own entry), or not at all (scalar instructions, lane loads and stores; vld and vst in the
 * race-checking build, whose interpreter logs their accesses). */
export function vectorKind(i: Instr, races: boolean): 'move' | 'call' | 'mma' | undefined {
  if (i.ext !== 'd1v' && i.ext !== 'd1m') return undefined;
  if (LANES.has(i.mnemonic) || (races && (i.mnemonic === 'vld' || i.mnemonic === 'vst'))) return undefined;
  return MOVES.has(i.mnemonic) ? 'move' : i.mnemonic === 'mma' ? 'mma' : 'call';
}

/** Copy 64 bytes: from (base on the stack below nothing) ... as four v128 loads and stores, the bases in
 * `to` and `from` (i32 locals) plus constant offsets. */
function copy64(b: Body, to: number, toOff: number, from: number, fromOff: number): void {
  for (let c = 0; c < LAYOUT.VREG_BYTES; c += 16) b.get(to).get(from).simd(V128_LOAD, fromOff + c).simd(V128_STORE, toOff + c);
}

/** The accumulator `n`'s bytes in the core block (row-major fp32), plus `at`. */
const accAt = (n: number, at = 0) => LAYOUT.CORE_ACC + n * LAYOUT.ACC_BYTES + at;

/**
 * The effect of a register move on the architectural state (vld, vst: the SRAM address, checked, in A; what
 * a vst does besides, forget records and drop compiled code, translate.ts adds).
 */
export function move(b: Body, i: Instr, x: Rec): void {
  const m = i.mnemonic;
  const vreg = (slot: number) => LAYOUT.T_VREGS + slot;
  if (m === 'vld') {
    b.get(CORE).get(A).op(OP.i32_wrap_i64, OP.i32_add).set(P);
    copy64(b, TB, vreg(x.rd), P, LAYOUT.CORE_SRAM);
  } else if (m === 'vst') {
    b.get(CORE).get(A).op(OP.i32_wrap_i64, OP.i32_add).set(P);
    copy64(b, P, LAYOUT.CORE_SRAM, TB, vreg(x.aux));
  } else if (m === 'mzero') {
    for (let c = 0; c < LAYOUT.ACC_BYTES; c += 16) b.get(CORE).get(ZERO).simd(V128_STORE, accAt(immediate(i, x, 'acc'), c));
  } else if (m === 'mget') copy64(b, TB, vreg(x.rd), CORE, accAt(immediate(i, x, 'acc1'), immediate(i, x, 'mpart') * LAYOUT.VREG_BYTES));
  else if (m === 'mset') copy64(b, CORE, accAt(immediate(i, x, 'acc'), immediate(i, x, 'mpart') * LAYOUT.VREG_BYTES), TB, vreg(x.rs1));
  else {
    // bitwise, 16 bytes at a time (vd may be a source: each part of it depends on the same part of those)
    for (let c = 0; c < LAYOUT.VREG_BYTES; c += 16) {
      b.get(TB).get(TB).simd(V128_LOAD, vreg(x.rs1) + c).get(TB).simd(V128_LOAD, vreg(x.aux) + c);
      if (m === 'vsel') b.get(TB).simd(V128_LOAD, vreg(x.rd) + c);
      b.op(SIMD, BITWISE[m]!).simd(V128_STORE, vreg(x.rd) + c);
    }
  }
}

/** Call the core's semantics of instruction i (record x) at pc, leaving its result (the next pc, or
 * TRAP with nothing done) on the stack. The x registers it reads go to memory first, where it reads them. */
export function call(b: Body, i: Instr, x: Rec, pc: bigint): void {
  const spill = (slot: number) => slot !== 0 && b.i32(0).get(VAL(slot >> 3)).mem(OP.i64_store, LAYOUT.REGS + stateShift + slot);
  if (i.operands.includes('rs1')) spill(x.rs1);
  if (i.operands.includes('rs2')) spill(x.aux);
  const rec = BigInt(x.op) | (BigInt(x.rd) << 16n) | (BigInt(x.rs1) << 32n) | (BigInt(x.aux) << 48n);
  b.i64(rec).i64(x.imm).i64(pc).op(OP.call, VEXEC);
}

/** Call the core's mma (emulator/assembly/exec/d1m.ts), its operands widened where `wide` says (Widened),
 * leaving 0 (it faulted, nothing done) or 1 on the stack. */
export function callMma(b: Body, i: Instr, x: Rec, wide: number): void {
  b.i32(immediate(i, x, 'acc')).i32(x.rs1).i32(x.aux).i32(immediate(i, x, 'fmt')).i32(wide).op(OP.call, MMA);
}

/** mma's `wide` argument that widens both operands (A into slot 0, B into slot 1), as the interpreter's. */
export const WIDEN_BOTH = 0 | (1 << 2) | LAYOUT.MMA_WIDEN_A | LAYOUT.MMA_WIDEN_B;

/**
 * Which register each of mma's four widening slots in VTMP holds (emulator/assembly/exec/d1m.ts mma),
 * widened in which format entry, along a stretch of a compiled block: an mma whose operand a slot holds
 * already does not widen it again (a GEMM's k-steps use each register in two mma). Only mma writes the
 * slots; the other moves write a register or none (wrote); any other vector instruction may use VTMP
 * (forget all, reset); a stretch starts knowing nothing.
 */
export class Widened {
  private slots: ({ reg: number; fmt: number; used: number } | undefined)[] = [];
  private time = 0;

  /** mma's `wide` argument for operands at slots vs1 and vs2 in format entry fmt. */
  mma(vs1: number, vs2: number, fmt: number): number {
    const a = this.take(vs1, fmt, -1);
    const b = vs2 === vs1 ? { slot: a.slot, widen: false } : this.take(vs2, fmt, a.slot);
    return a.slot | (b.slot << 2) | (a.widen ? LAYOUT.MMA_WIDEN_A : 0) | (b.widen ? LAYOUT.MMA_WIDEN_B : 0);
  }

  /** The slot holding reg in fmt, or the least recently used one other than `avoid` to widen it into. */
  private take(reg: number, fmt: number, avoid: number): { slot: number; widen: boolean } {
    let slot = this.slots.findIndex((s) => s?.reg === reg && s.fmt === fmt);
    const widen = slot < 0;
    if (widen) slot = [0, 1, 2, 3].filter((k) => k !== avoid).sort((p, q) => (this.slots[p]?.used ?? -1) - (this.slots[q]?.used ?? -1))[0]!;
    this.slots[slot] = { reg, fmt, used: this.time++ };
    return { slot, widen };
  }

  wrote(reg: number): void {
    this.slots = this.slots.map((s) => (s?.reg === reg ? undefined : s));
  }

  reset(): void {
    this.slots = [];
  }
}

/** After call() succeeded: an x register it wrote (vext) comes back from memory. */
export function afterCall(b: Body, i: Instr, x: Rec): void {
  if (i.operands.includes('rd')) b.i32(0).mem(OP.i64_load, LAYOUT.REGS + stateShift + x.rd).set(VAL(x.rd >> 3));
}
