// RV64M multiply and divide (RISC-V unprivileged spec, chapter 13 "M" Standard Extension).
import type { InstrDef, TimingClass } from '../types.js';
import { OPCODES as O } from '../formats.js';

const m = (mnemonic: string, opcode: number, funct3: number, timing: TimingClass, summary: string): InstrDef => ({
  mnemonic,
  ext: 'rv64m',
  format: 'R',
  fixed: { opcode, funct3, funct7: 0x01 },
  syntax: 'rd, rs1, rs2',
  timing,
  summary,
  manual: 'M 13.1-13.2',
});

export const RV64M: InstrDef[] = [
  m('mul', O.OP, 0, 'mul', 'rd = (rs1 * rs2)[63:0]'),
  m('mulh', O.OP, 1, 'mul', 'rd = (rs1 * rs2)[127:64], signed x signed'),
  m('mulhsu', O.OP, 2, 'mul', 'rd = (rs1 * rs2)[127:64], signed x unsigned'),
  m('mulhu', O.OP, 3, 'mul', 'rd = (rs1 * rs2)[127:64], unsigned x unsigned'),
  m('div', O.OP, 4, 'div', 'rd = rs1 / rs2, signed; /0 gives -1, overflow gives rs1'),
  m('divu', O.OP, 5, 'div', 'rd = rs1 / rs2, unsigned; /0 gives all ones'),
  m('rem', O.OP, 6, 'div', 'rd = rs1 % rs2, signed; %0 gives rs1'),
  m('remu', O.OP, 7, 'div', 'rd = rs1 % rs2, unsigned; %0 gives rs1'),
  m('mulw', O.OP_32, 0, 'mul', 'rd = sext32(rs1 * rs2)'),
  m('divw', O.OP_32, 4, 'div', 'rd = sext32(rs1[31:0] / rs2[31:0]), signed'),
  m('divuw', O.OP_32, 5, 'div', 'rd = sext32(rs1[31:0] / rs2[31:0]), unsigned'),
  m('remw', O.OP_32, 6, 'div', 'rd = sext32(rs1[31:0] % rs2[31:0]), signed'),
  m('remuw', O.OP_32, 7, 'div', 'rd = sext32(rs1[31:0] % rs2[31:0]), unsigned'),
];
