// Dojo D1 matrix units (docs/machine.md, "Matrix units"): four 8x8x4 multiply-accumulate units per core
// with fp32 accumulators, fed from vector registers. custom-3 opcode; the encodings are ours.
import type { InstrDef, TimingClass } from '../types.js';
import { OPCODES as O } from '../formats.js';

function row(mnemonic: string, format: string, fixed: Record<string, number>, syntax: string, timing: TimingClass, summary: string): InstrDef {
  return { mnemonic, ext: 'd1m', format, fixed, syntax, timing, summary, manual: 'D1 machine.md' };
}

/** The lane formats mma takes (isa/numbers.ts names); any other faults. */
export const MATRIX_FORMATS = ['bf16', 'fp16', 'cfp8_143', 'cfp8_152'] as const;

export const D1M: InstrDef[] = [
  row('mma', 'MMA', { opcode: O.CUSTOM_3, funct3: 0, funct3v: 0, pad3a: 0 }, 'acc, vs1, vs2, fmt', 'matrix', `acc[8x8] += vs1[8x4] * vs2[4x8] (${MATRIX_FORMATS.join('/')} lanes, fp32 accumulators)`),
  row('mzero', 'MMA', { opcode: O.CUSTOM_3, funct3: 1, funct3v: 0, pad3a: 0, vs1: 0, vs2: 0, fmt: 0 }, 'acc', 'macc', 'acc = 0'),
  row('mget', 'MGET', { opcode: O.CUSTOM_3, funct3: 2, funct3v: 0, pad4: 0, pad3c: 0, pad3b: 0 }, 'vd, acc1, mpart', 'macc', 'vd = rows 2*mpart and 2*mpart+1 of acc1 (16 fp32 lanes)'),
  row('mset', 'MSET', { opcode: O.CUSTOM_3, funct3: 3, funct3v: 0, pad4: 0, pad3c: 0, pad3a: 0 }, 'acc, vs1, mpart', 'macc', 'rows 2*mpart and 2*mpart+1 of acc = vs1 (16 fp32 lanes)'),
];
