// The vector and matrix instructions in compiled blocks (docs/machine.md, "Vector unit" and "Matrix
// units"). Register moves (vst, mzero, mget, mset) are WebAssembly over the core's memory; every other one
// calls the core (emulator/assembly/jit.ts: vload, mma, vexec, the interpreter's exec_<name>), so the
// lanes are computed in one place. The cycle model of all of them is schedule.ts steps.
import { LAYOUT } from '../../layout.js';
import { immediate } from '../../record.js';
import type { Instr } from '../../../isa/types.js';
import { A, CORE, P, TB, VAL, ZERO } from './locals.js';
import type { Rec } from './semantics.js';
import { MMA, VEXEC } from './imports.js';
import { Body, OP, V128_LOAD, V128_STORE } from './wasm.js';
import { stateShift } from './model.js';

const MOVES = new Set(['vld', 'vst', 'mzero', 'mget', 'mset']);
/** Lane loads and stores: they fault lane by lane, after writing some lanes, so the interpreter runs them
 * (a block leaves before an instruction that would fault, with nothing of it done). */
const LANES = new Set(['vlds', 'vgather', 'vldt', 'vsts']);

/** How a block runs a vector or matrix instruction: as WebAssembly ('move'), by a call ('call', or
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
 * The effect of a register move on the architectural state (vst: the SRAM address, checked, in A; what it
 * does besides, forget records and drop compiled code, translate.ts adds; a vld is a call: translate.ts).
 */
export function move(b: Body, i: Instr, x: Rec): void {
  const m = i.mnemonic;
  const vreg = (slot: number) => LAYOUT.T_VREGS + slot;
  if (m === 'vst') {
    b.get(CORE).get(A).op(OP.i32_wrap_i64, OP.i32_add).set(P);
    copy64(b, P, LAYOUT.CORE_SRAM, TB, vreg(x.aux));
  } else if (m === 'mzero') {
    for (let c = 0; c < LAYOUT.ACC_BYTES; c += 16) b.get(CORE).get(ZERO).simd(V128_STORE, accAt(immediate(i, x, 'acc'), c));
  } else if (m === 'mget') copy64(b, TB, vreg(x.rd), CORE, accAt(immediate(i, x, 'acc1'), immediate(i, x, 'mpart') * LAYOUT.VREG_BYTES));
  else copy64(b, CORE, accAt(immediate(i, x, 'acc'), immediate(i, x, 'mpart') * LAYOUT.VREG_BYTES), TB, vreg(x.rs1));
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

/** Call the core's mma (emulator/assembly/exec/d1m.ts), leaving 0 (it faulted, nothing done) or 1 on
 * the stack. */
export function callMma(b: Body, i: Instr, x: Rec): void {
  b.i32(immediate(i, x, 'acc')).i32(x.rs1).i32(x.aux).i32(immediate(i, x, 'fmt')).op(OP.call, MMA);
}

/** After call() succeeded: an x register it wrote (vext) comes back from memory. */
export function afterCall(b: Body, i: Instr, x: Rec): void {
  if (i.operands.includes('rd')) b.i32(0).mem(OP.i64_load, LAYOUT.REGS + stateShift + x.rd).set(VAL(x.rd >> 3));
}
