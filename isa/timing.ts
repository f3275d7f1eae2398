// Timing classes of the single-core scalar model (docs/machine.md, "Cycle model"). `cycles` is what one
// instruction of the class adds to the core's cycle count in the foundation model: one instruction
// issues per cycle; a class that occupies its unit longer adds the extra cycles. The Dojo core issue
// replaces this with the superscalar SMT model; the class names stay.
import type { TimingClass } from './types.js';

export const TIMING: Record<TimingClass, { cycles: number; doc: string }> = {
  alu: { cycles: 1, doc: 'integer ALU, 1 cycle' },
  mul: { cycles: 3, doc: 'integer multiply, 3 cycles' },
  div: { cycles: 20, doc: 'integer divide/remainder, 20 cycles, not pipelined' },
  load: { cycles: 2, doc: 'SRAM load, 2 cycles to use' },
  store: { cycles: 1, doc: 'SRAM store, 1 cycle' },
  branch: { cycles: 1, doc: 'conditional branch, 1 cycle (+2 when taken)' },
  jump: { cycles: 3, doc: 'jal/jalr, 3 cycles (front-end redirect)' },
  csr: { cycles: 1, doc: 'CSR access, 1 cycle' },
  system: { cycles: 1, doc: 'ecall/ebreak, 1 cycle plus the host call' },
  fence: { cycles: 1, doc: 'fence, 1 cycle on one core' },
  valu: { cycles: 1, doc: 'vector add/compare/logic/convert, 1 cycle' },
  vfma: { cycles: 1, doc: 'vector multiply and multiply-add, 1 cycle' },
  vlong: { cycles: 4, doc: 'vector divide, exp, rsqrt and reductions, 4 cycles' },
  vperm: { cycles: 1, doc: 'vector shuffle/transpose/broadcast, 1 cycle' },
  vload: { cycles: 2, doc: 'vector load of 64 bytes, 2 cycles to use' },
  vstore: { cycles: 1, doc: 'vector store of 64 bytes, 1 cycle' },
  vgather: { cycles: 4, doc: 'strided, gathered or tiled vector access, 4 cycles' },
  vmove: { cycles: 1, doc: 'vector <-> scalar move, 1 cycle' },
  matrix: { cycles: 1, doc: 'matrix-unit operation (8x8x4 multiply-accumulate), 1 cycle issue' },
};

/** Extra cycles a taken branch costs (front-end redirect). */
export const TAKEN_BRANCH_PENALTY = 2;
