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

/** The network-on-chip and the machines built from D1 cores (docs/machine.md, "Mesh"). */
export interface MeshPreset {
  name: string;
  /** The mesh in cores, and the die size within it: links that cross a die edge are die-to-die links. */
  w: number;
  h: number;
  dieW: number;
  dieH: number;
  /** Cores that are fused off (spares), as [x, y] pairs; their routers still forward traffic. */
  disabled: [number, number][];
}

export const NOC = {
  /** One 64-byte packet per cycle per link and direction; one 64-byte SRAM read and write per router. */
  packetBytes: 64,
  linkBytesPerCycle: 64,
  /** Cycles a message's head takes per router hop (our choice: the public record gives no figure). */
  hopCycles: 2,
  /** A die edge carries 2 TB/s each way, shared by the links that cross it; a die-to-die hop adds
   * SerDes latency (our choice). */
  dieEdgeBytesPerSecond: 2e12,
  dieHopExtraCycles: 8,
  /** Cores meet every `windowCycles`: a remote write is visible from the window after it arrives. */
  windowCycles: 256,
} as const;

/** The D1 die: 18 x 20 cores, 354 enabled. Which six are spares is not public: we disable six of the
 * last column by default (docs/machine.md), so the first 17 columns are a full 17 x 20 rectangle. */
export const D1_DIE: MeshPreset = {
  name: 'd1-die',
  w: 18,
  h: 20,
  dieW: 18,
  dieH: 20,
  disabled: [[17, 14], [17, 15], [17, 16], [17, 17], [17, 18], [17, 19]],
};

/** The training tile: 5 x 5 D1 dies as one 90 x 100 mesh (8,850 enabled cores). */
export const D1_TILE: MeshPreset = {
  name: 'd1-tile',
  w: D1_DIE.w * 5,
  h: D1_DIE.h * 5,
  dieW: D1_DIE.w,
  dieH: D1_DIE.h,
  disabled: Array.from({ length: 25 }, (_, d) => D1_DIE.disabled.map(([x, y]): [number, number] => [x + D1_DIE.w * (d % 5), y + D1_DIE.h * Math.floor(d / 5)])).flat(),
};

/** A plain w x h mesh of cores on one die (no spares). */
export function meshPreset(w: number, h: number): MeshPreset {
  return { name: `mesh-${w}x${h}`, w, h, dieW: w, dieH: h, disabled: [] };
}

/** Figures that follow from a machine preset (`d1 info --die/--tile`; checked against DOJO-FACTS.md by
 * tests). Bandwidths are per direction. */
export function machinePeaks(m: MeshPreset, c: CorePreset = D1_CORE) {
  const cores = m.w * m.h - m.disabled.length;
  const core = corePeaks(c);
  const link = NOC.linkBytesPerCycle * c.clockHz;
  const dies = (m.w / m.dieW) * (m.h / m.dieH);
  // a cut between columns crosses h links; on a die edge each carries that edge's share
  const edgeLinkX = NOC.dieEdgeBytesPerSecond / m.dieH;
  const edgeLinkY = NOC.dieEdgeBytesPerSecond / m.dieW;
  const cutX = Math.floor(m.w / 2 / m.dieW) * m.dieW;
  const cutY = Math.floor(m.h / 2 / m.dieH) * m.dieH;
  const bisectX = m.h * (cutX > 0 && cutX % m.dieW === 0 ? edgeLinkX : link);
  const bisectY = m.w * (cutY > 0 && cutY % m.dieH === 0 ? edgeLinkY : link);
  return {
    cores,
    dies,
    sramBytes: cores * c.sramBytes,
    bf16Flops: cores * core.bf16Flops,
    fp32Flops: cores * core.fp32Flops,
    linkBytesPerSecond: link,
    dieEdgeLinkBytesPerSecond: { x: edgeLinkX, y: edgeLinkY },
    /** The cut between the middle columns (at a die edge when the machine has several dies) and rows. */
    bisectionBytesPerSecond: { x: bisectX, y: bisectY },
    /** Both cuts, both directions: what the die's published "10 TB/s directional on-chip" matches. */
    bisectionAllDirections: 2 * (bisectX + bisectY),
    offDieBytesPerSecond: 4 * NOC.dieEdgeBytesPerSecond,
    hopCycles: NOC.hopCycles,
    diameterHops: m.w + m.h - 2,
  };
}
