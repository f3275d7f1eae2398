// Control and status registers (RISC-V privileged spec, table 2.2 "Currently allocated RISC-V
// user-level CSR addresses", and the custom read-only range 0xCC0-0xCFF that D1 uses for identity).
import { ENTRY_DOC, FORMAT_ENTRIES } from './numbers.js';

export interface CsrDef {
  name: string;
  number: number;
  writable: boolean;
  summary: string;
  /** A D1 CSR (not known to GNU binutils, which print its number). */
  d1?: boolean;
}

export const CSRS: CsrDef[] = [
  { name: 'cycle', number: 0xc00, writable: false, summary: 'cycles of this core since reset (the cycle model, not wall time)' },
  { name: 'time', number: 0xc01, writable: false, summary: 'time in cycles of the 2 GHz clock: equal to cycle (deterministic, never wall time)' },
  { name: 'instret', number: 0xc02, writable: false, summary: 'instructions retired by this thread since reset' },
  { name: 'coreid', number: 0xcc0, writable: false, d1: true, summary: 'D1: linear index of this core in the machine (y * meshw + x)' },
  { name: 'threadid', number: 0xcc1, writable: false, d1: true, summary: 'D1: hardware thread (SMT slot) number of this thread, 0..3' },
  { name: 'corex', number: 0xcc2, writable: false, d1: true, summary: 'D1: x coordinate of this core in the mesh' },
  { name: 'corey', number: 0xcc3, writable: false, d1: true, summary: 'D1: y coordinate of this core in the mesh' },
  { name: 'meshw', number: 0xcc4, writable: false, d1: true, summary: 'D1: width of the mesh in cores' },
  { name: 'meshh', number: 0xcc5, writable: false, d1: true, summary: 'D1: height of the mesh in cores' },
  { name: 'corerank', number: 0xcc6, writable: false, d1: true, summary: 'D1: rank of this core among the enabled cores, in row-major order (0 .. ncores-1)' },
  { name: 'ncores', number: 0xcc7, writable: false, d1: true, summary: 'D1: number of enabled cores in the machine' },
  { name: 'coreaddr', number: 0xcc8, writable: false, d1: true, summary: "D1: this core's global base address (docs/machine.md, \"Global addresses\"); add a local offset" },
  ...Array.from({ length: FORMAT_ENTRIES }, (_, n) => ({
    name: `fmt${n}`,
    number: 0x800 + n,
    writable: true,
    d1: true,
    summary: `D1: format-table entry ${n} of this thread: ${ENTRY_DOC}`,
  })),
  { name: 'vflags', number: 0x810, writable: true, d1: true, summary: 'D1: sticky lane flags of this thread: 1 Invalid, 2 Denormal, 4 Overflow, 8 Underflow' },
  { name: 'vsrstate', number: 0x811, writable: true, d1: true, summary: 'D1: stochastic-rounding generator state of this thread (SplitMix64); writing it seeds' },
  { name: 'vtbase', number: 0x812, writable: true, d1: true, summary: 'D1: address of element [0][0] of the tensor vldt reads' },
  { name: 'vtrows', number: 0x813, writable: true, d1: true, summary: 'D1: rows of the tensor vldt reads (rows outside read as 0)' },
  { name: 'vtcols', number: 0x814, writable: true, d1: true, summary: 'D1: columns of the tensor vldt reads (columns outside read as 0)' },
  { name: 'vtstride', number: 0x815, writable: true, d1: true, summary: 'D1: bytes from one row of the vldt tensor to the next' },
  { name: 'region', number: 0x816, writable: true, d1: true, summary: 'D1: the profiling region this thread is in, 0..15 (0: unmarked; the low 4 bits of what is written): `--stats` and `--json` give cycles, instructions, stalls and SRAM bytes per region' },
  { name: 'mhartid', number: 0xf14, writable: false, summary: 'hart id: coreid * 4 + threadid' },
];

export const CSR_BY_NAME = new Map(CSRS.map((c) => [c.name, c]));
export const CSR_BY_NUMBER = new Map(CSRS.map((c) => [c.number, c]));
