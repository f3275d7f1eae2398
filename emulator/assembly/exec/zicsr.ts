// Semantics of Zicsr (RISC-V unprivileged spec, chapter 10) over the CSRs of isa/csr.ts. The counters
// and identity CSRs are read-only; the D1 vector CSRs (format table, flags, rounding state, vldt tile)
// are read/write. Writing a read-only CSR, or naming one that does not exist, is an illegal instruction.
// `n` is the number of instructions this run has retired before the current one.
import * as L from '../generated/layout';
import * as N from '../generated/numbers';
import { aux, imm, netAt, rs1IsZero, setRd, tb, trap, x1 } from '../state';
import { current, threadInstret } from '../threads';
import { clock } from '../timing';
import { enterRegion } from '../regions';

/** Where a writable CSR lives (0 for none) and how many bytes it has. */
function storage(csr: u32): usize {
  if (csr >= L.CSR_FMT0 && csr <= L.CSR_FMT15) return tb + L.T_FMT_TABLE + (<usize>(csr - L.CSR_FMT0) << 2);
  if (csr == L.CSR_VFLAGS) return tb + L.T_VFLAGS;
  if (csr == L.CSR_VSRSTATE) return tb + L.T_VSRSTATE;
  if (csr == L.CSR_VTBASE) return tb + L.T_VTBASE;
  if (csr == L.CSR_VTROWS) return tb + L.T_VTROWS;
  if (csr == L.CSR_VTCOLS) return tb + L.T_VTCOLS;
  if (csr == L.CSR_VTSTRIDE) return tb + L.T_VTSTRIDE;
  if (csr == L.CSR_REGION) return tb + L.T_REGION;
  return 0;
}

/** Value of a read-only CSR, or -1 with `ok` cleared when there is no such CSR. */
function readOnly(csr: u32, n: u64, ok: usize): i64 {
  store<u8>(ok, 1);
  if (csr == L.CSR_CYCLE || csr == L.CSR_TIME) return clock() / L.TICKS;
  if (csr == L.CSR_INSTRET) return <i64>threadInstret(n);
  if (csr == L.CSR_THREADID) return <i64>current();
  const w = <i64>load<u32>(L.MESH + L.MESH_W);
  const x = <i64>load<u32>(netAt + L.C_X), y = <i64>load<u32>(netAt + L.C_Y);
  if (csr == L.CSR_MHARTID) return (y * w + x) * L.THREAD_COUNT + <i64>current();
  if (csr == L.CSR_COREID) return y * w + x;
  if (csr == L.CSR_COREX) return x;
  if (csr == L.CSR_COREY) return y;
  if (csr == L.CSR_MESHW) return w;
  if (csr == L.CSR_MESHH) return <i64>load<u32>(L.MESH + L.MESH_H);
  if (csr == L.CSR_CORERANK) return <i64>load<u32>(netAt + L.C_RANK);
  if (csr == L.CSR_NCORES) return <i64>load<u32>(L.MESH + L.MESH_NCORES);
  if (csr == L.CSR_COREADDR) return <i64>((<u64>1 << L.GLOBAL_FLAG_BIT) | (<u64>y << L.GLOBAL_Y_SHIFT) | (<u64>x << L.GLOBAL_X_SHIFT));
  store<u8>(ok, 0);
  return -1;
}

const OP_WRITE: u32 = 0;
const OP_SET: u32 = 1;
const OP_CLEAR: u32 = 2;

/** Common body: rd = the CSR; then, when `writes`, the CSR = src (op WRITE), |= src (SET) or &= ~src (CLEAR). */
function access(d: usize, pc: u64, n: u64, writes: bool, op: u32, src: u64): u64 {
  const csr = <u32>imm(d);
  const at = storage(csr);
  if (at != 0) {
    const narrow = csr <= L.CSR_VFLAGS; // the format table and vflags are u32, the others u64
    const old: u64 = narrow ? <u64>load<u32>(at) : load<u64>(at);
    if (writes) {
      let v = op == OP_WRITE ? src : op == OP_SET ? old | src : old & ~src;
      if (csr == L.CSR_VFLAGS) v &= N.FLAG_ALL;
      if (csr == L.CSR_REGION) enterRegion(v & (L.REGION_COUNT - 1), n); // (it stores the new region)
      else if (narrow) store<u32>(at, <u32>v);
      else store<u64>(at, v);
    }
    setRd(d, <i64>old);
    return pc + 4;
  }
  const ok = L.FAULT_WORD; // scratch byte: was the CSR found
  const v = readOnly(csr, n, ok);
  if (load<u8>(ok) == 0 || writes) {
    store<u32>(L.FAULT_WORD, csr);
    return trap(L.CAUSE_CSR, pc);
  }
  setRd(d, v);
  return pc + 4;
}

export function exec_csrrw(d: usize, pc: u64, n: u64): u64 { return access(d, pc, n, true, OP_WRITE, <u64>x1(d)); }
export function exec_csrrs(d: usize, pc: u64, n: u64): u64 { return access(d, pc, n, !rs1IsZero(d), OP_SET, <u64>x1(d)); }
export function exec_csrrc(d: usize, pc: u64, n: u64): u64 { return access(d, pc, n, !rs1IsZero(d), OP_CLEAR, <u64>x1(d)); }
export function exec_csrrwi(d: usize, pc: u64, n: u64): u64 { return access(d, pc, n, true, OP_WRITE, <u64>aux(d)); }
export function exec_csrrsi(d: usize, pc: u64, n: u64): u64 { return access(d, pc, n, aux(d) != 0, OP_SET, <u64>aux(d)); }
export function exec_csrrci(d: usize, pc: u64, n: u64): u64 { return access(d, pc, n, aux(d) != 0, OP_CLEAR, <u64>aux(d)); }
