// Semantics of Zicsr (RISC-V unprivileged spec, chapter 10) over the CSRs of isa/csr.ts. All of them
// are read-only on this core: a write is an illegal instruction, as is a CSR that does not exist.
// `n` is the number of instructions this run has retired before the current one.
import * as L from '../generated/layout';
import { aux, imm, rs1IsZero, setRd, trap } from '../state';

/** Value of a CSR, or -1 (with a fault recorded) when there is no such CSR. */
function read(csr: u32, n: u64, ok: usize): i64 {
  const instret = load<u64>(L.INSTRET) + n;
  store<u8>(ok, 1);
  if (csr == L.CSR_CYCLE || csr == L.CSR_TIME) return <i64>(instret + load<u64>(L.EXTRA_CYCLES));
  if (csr == L.CSR_INSTRET) return <i64>instret;
  if (csr == L.CSR_COREID || csr == L.CSR_THREADID || csr == L.CSR_COREX || csr == L.CSR_COREY || csr == L.CSR_MHARTID) return 0;
  if (csr == L.CSR_MESHW || csr == L.CSR_MESHH) return 1;
  store<u8>(ok, 0);
  return -1;
}

/** Common body: read the CSR into rd; `writes` says whether the instruction writes the CSR. */
function access(d: usize, pc: u64, n: u64, writes: bool): u64 {
  const csr = <u32>imm(d);
  const ok = L.FAULT_WORD; // scratch byte: was the CSR found
  const v = read(csr, n, ok);
  if (load<u8>(ok) == 0 || writes) {
    store<u32>(L.FAULT_WORD, csr);
    return trap(L.CAUSE_CSR, pc);
  }
  setRd(d, v);
  return pc + 4;
}

export function exec_csrrw(d: usize, pc: u64, n: u64): u64 { return access(d, pc, n, true); }
export function exec_csrrs(d: usize, pc: u64, n: u64): u64 { return access(d, pc, n, !rs1IsZero(d)); }
export function exec_csrrc(d: usize, pc: u64, n: u64): u64 { return access(d, pc, n, !rs1IsZero(d)); }
export function exec_csrrwi(d: usize, pc: u64, n: u64): u64 { return access(d, pc, n, true); }
export function exec_csrrsi(d: usize, pc: u64, n: u64): u64 { return access(d, pc, n, aux(d) != 0); }
export function exec_csrrci(d: usize, pc: u64, n: u64): u64 { return access(d, pc, n, aux(d) != 0); }
