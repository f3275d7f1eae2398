// Dojo D1 hardware threads (docs/machine.md, "Threads"): each core runs up to four threads (SMT) with
// their own scalar and vector registers, sharing the core's units. custom-3 opcode; encodings are ours.
import type { InstrDef } from '../types.js';
import { OPCODES as O } from '../formats.js';

const row = (mnemonic: string, fixed: Record<string, number>, syntax: string, summary: string): InstrDef => ({
  mnemonic, ext: 'd1t', format: 'R', fixed: { opcode: O.CUSTOM_3, funct7: 0, ...fixed }, syntax, timing: 'system', summary, manual: 'D1 machine.md',
});

export const D1T: InstrDef[] = [
  row('tspawn', { funct3: 4 }, 'rd, rs1, rs2', 'start the lowest free thread at pc rs1 with a0 = rs2; rd = its number, or -1 if all are running'),
  row('texit', { funct3: 5, rd: 0, rs1: 0, rs2: 0 }, '', 'stop this thread (its number becomes free)'),
  row('tjoin', { funct3: 6, rd: 0, rs2: 0 }, 'rs1', 'wait until thread rs1 has stopped'),
];
