// Machine presets: the one place the machine's numbers live (../shared/DOJO-FACTS.md). `d1 info` prints
// them, the assembler takes its default link address from them, the emulator sizes its memory by them.
import { VREG_BYTES } from '../isa/ext/d1v.js';

export interface CorePreset {
  name: string;
  /** Local SRAM bytes, at [sramBase, sramBase + sramBytes). */
  sramBytes: number;
  sramBase: number;
  /** Initial stack pointer of thread 0. */
  stackTop: number;
  /** Where `d1 as` links .text by default; [0, textBase) is left free (docs/machine.md). */
  textBase: number;
  clockHz: number;
  /** Hardware threads (SMT) per core, and the stack each thread after thread 0 gets below the previous one. */
  threads: number;
  threadStackBytes: number;
  /** Instructions decoded per cycle by the core, and by one thread ("two threads per cycle"). */
  decodeWidth: number;
  threadDecodeWidth: number;
  /** Scalar issue: integer units and address units per cycle. */
  intUnits: number;
  addrUnits: number;
  /** Vector instructions issued per cycle, to the one SIMD unit of simdBytes or the matrix units. */
  vectorIssue: number;
  /** Vector memory pipes: vector loads/stores per cycle (each one vector register; SRAM ports permitting). */
  vectorMemPipes: number;
  simdBytes: number;
  /** Matrix units, each an m x n x k multiply-accumulate taking `matrixCycles` cycles per operation. */
  matrixUnits: number;
  matrixShape: { m: number; n: number; k: number };
  matrixCycles: number;
  /** SRAM bandwidth per cycle (load 400 GB/s and store 270 GB/s at 2 GHz). */
  sramLoadBytesPerCycle: number;
  sramStoreBytesPerCycle: number;
}

/** One D1 training node: 1.25 MiB SRAM, 2 GHz. */
export const D1_CORE: CorePreset = {
  name: 'd1-core',
  sramBytes: 0x140000,
  sramBase: 0,
  stackTop: 0x140000,
  textBase: 0x1000,
  clockHz: 2_000_000_000,
  threads: 4,
  threadStackBytes: 0x4000,
  decodeWidth: 8,
  threadDecodeWidth: 4,
  intUnits: 2,
  addrUnits: 2,
  vectorIssue: 2,
  vectorMemPipes: 2,
  simdBytes: VREG_BYTES,
  matrixUnits: 4,
  matrixShape: { m: 8, n: 8, k: 4 },
  matrixCycles: 4,
  sramLoadBytesPerCycle: 400e9 / 2e9,
  sramStoreBytesPerCycle: 270e9 / 2e9,
};

/** Peaks that follow from a core preset (printed by `d1 info`, checked against DOJO-FACTS.md by tests). */
export function corePeaks(c: CorePreset) {
  const { m, n, k } = c.matrixShape;
  const macsPerCycle = (c.matrixUnits * m * n * k) / c.matrixCycles;
  const fp32Lanes = c.simdBytes / 4;
  return {
    bf16MacsPerCycle: macsPerCycle,
    bf16Flops: 2 * macsPerCycle * c.clockHz,
    fp32Flops: 2 * fp32Lanes * c.clockHz,
    sramLoadBytesPerSecond: c.sramLoadBytesPerCycle * c.clockHz,
    sramStoreBytesPerSecond: c.sramStoreBytesPerCycle * c.clockHz,
  };
}
