// Dojo D1 data movement and synchronisation (docs/machine.md, "Mesh"): semaphores, barriers and the three
// engines (DMA copy, list parser, gather). Remote loads and stores need no instructions of their own:
// ordinary loads and stores, and vld/vst, take global addresses. custom-3 opcode, funct3 7; the
// encodings are ours.
import type { InstrDef } from '../types.js';
import { OPCODES as O } from '../formats.js';

const row = (mnemonic: string, funct7: number, fixed: Record<string, number>, syntax: string, summary: string): InstrDef => ({
  mnemonic, ext: 'd1n', format: 'R', fixed: { opcode: O.CUSTOM_3, funct3: 7, funct7, ...fixed }, syntax, timing: 'system', summary, manual: 'D1 machine.md',
});

export const D1N: InstrDef[] = [
  row('swait', 0, { rd: 0 }, 'rs1, rs2', 'wait until local semaphore rs1 >= rs2, then subtract rs2'),
  row('spost', 1, { rd: 0 }, 'rs1, rs2', 'add rs2 to semaphore rs1: a local number, or a global core address plus the number (remote post over the network)'),
  row('sget', 2, { rs2: 0 }, 'rd, rs1', 'rd = the value of local semaphore rs1'),
  row('barrier', 3, { rd: 0, rs2: 0 }, 'rs1', 'wait until every enabled core of group rs1 has arrived: x0 | y0 << 8 | x1 << 16 | y1 << 24 (inclusive), or -1 for all cores'),
  row('dma.copy', 4, { rd: 0, rs2: 0 }, 'rs1', "queue the descriptor at rs1 on this core's DMA engine (its next field is ignored)"),
  row('dma.list', 5, { rd: 0, rs2: 0 }, 'rs1', "start this core's list-parser engine on the descriptor list at rs1 (follows next until 0)"),
  row('dma.gather', 6, { rd: 0, rs2: 0 }, 'rs1', "queue the gather descriptor at rs1 on this core's gather engine: rows from a table of global addresses"),
];
