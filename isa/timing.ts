// Timing classes of the D1 core's cycle model (docs/machine.md, "Cycle model"). Each class names the
// unit an instruction occupies and for how long, and the latency until its result can be used. The
// widths of the machine (decode, issue, unit counts, SRAM bandwidth) are in emulator/presets.ts.
import { VREG_BYTES } from './ext/d1v.js';
import type { TimingClass } from './types.js';

/**
 * int: the two integer units; addr: the two address units (scalar loads/stores); simd: the one SIMD
 * unit; vmem: the vector memory pipe; matrix: the matrix unit of the instruction's accumulator.
 * Every vector-side class (simd, vmem, matrix) also takes a slot of the 2-wide vector issue.
 */
export type Unit = 'int' | 'addr' | 'simd' | 'vmem' | 'matrix';

export interface Timing {
  unit: Unit;
  /** Cycles the instruction keeps one of its unit's instances busy (pipelined units: 1); the matrix
   * units take the preset's matrixCycles. */
  busy?: number;
  /** Cycles from issue until a dependent instruction may issue. */
  latency: number;
  /** Bytes of SRAM read or written per instruction (scalar accesses count 8), through the load or store port. */
  load?: number;
  store?: number;
  doc: string;
}

export const TIMING: Record<TimingClass, Timing> = {
  alu: { unit: 'int', busy: 1, latency: 1, doc: 'integer ALU' },
  mul: { unit: 'int', busy: 1, latency: 3, doc: 'integer multiply, pipelined' },
  div: { unit: 'int', busy: 20, latency: 20, doc: 'integer divide/remainder, not pipelined' },
  load: { unit: 'addr', busy: 1, latency: 3, load: 8, doc: 'scalar SRAM load' },
  store: { unit: 'addr', busy: 1, latency: 1, store: 8, doc: 'scalar SRAM store' },
  branch: { unit: 'int', busy: 1, latency: 1, doc: 'conditional branch (taken: front-end redirect)' },
  jump: { unit: 'int', busy: 1, latency: 1, doc: 'jal/jalr (front-end redirect)' },
  csr: { unit: 'int', busy: 1, latency: 1, doc: 'CSR access' },
  system: { unit: 'int', busy: 1, latency: 1, doc: 'ecall/ebreak, thread control' },
  fence: { unit: 'int', busy: 1, latency: 1, doc: 'fence' },
  valu: { unit: 'simd', busy: 1, latency: 2, doc: 'vector add/compare/logic/convert' },
  vfma: { unit: 'simd', busy: 1, latency: 4, doc: 'vector multiply and multiply-add' },
  vlong: { unit: 'simd', busy: 4, latency: 8, doc: 'vector divide, exp, rsqrt and reductions' },
  vperm: { unit: 'simd', busy: 1, latency: 2, doc: 'vector shuffle/transpose/broadcast' },
  vload: { unit: 'vmem', busy: 1, latency: 4, load: VREG_BYTES, doc: 'vector load of one register' },
  vstore: { unit: 'vmem', busy: 1, latency: 1, store: VREG_BYTES, doc: 'vector store of one register' },
  vgather: { unit: 'vmem', busy: 4, latency: 8, load: VREG_BYTES, doc: 'strided, gathered or tiled lane loads' },
  vscatter: { unit: 'vmem', busy: 4, latency: 1, store: VREG_BYTES, doc: 'strided lane stores' },
  vmove: { unit: 'simd', busy: 1, latency: 2, doc: 'vector <-> scalar and accumulator moves' },
  macc: { unit: 'matrix', busy: 1, latency: 2, doc: 'accumulator clear, read or write (mzero, mget, mset) on its matrix unit' },
  matrix: { unit: 'matrix', latency: 4, doc: 'matrix-unit operation: 8x8x4 multiply-accumulate' },
};

/** Cycles a thread's fetch loses after a taken branch or a jump (front-end redirect). */
export const REDIRECT_PENALTY = 2;

/** Stall causes of a thread that waits outside the pipeline (docs/machine.md, "Mesh"): for a remote load's
 * reply, a semaphore, a barrier. They are added when the thread wakes, never in the run loop. */
export const WAIT_STALLS = ['network', 'semaphore', 'barrier'] as const;

/** Stall causes reported by `d1 run --stats`, in the emulator's order. */
export const STALLS = ['dependency', 'issue', 'simd', 'matrix', 'sram', 'branch', ...WAIT_STALLS] as const;
