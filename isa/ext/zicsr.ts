// Zicsr control and status register instructions (RISC-V unprivileged spec, chapter 10 "Zicsr").
import type { InstrDef } from '../types.js';
import { OPCODES as O } from '../formats.js';

const c = (mnemonic: string, funct3: number, imm: boolean, summary: string): InstrDef => ({
  mnemonic,
  ext: 'zicsr',
  format: imm ? 'CSRI' : 'CSR',
  fixed: { opcode: O.SYSTEM, funct3 },
  syntax: imm ? 'rd, csr, zimm' : 'rd, csr, rs1',
  timing: 'csr',
  summary,
  manual: 'Zicsr 10.1',
});

export const ZICSR: InstrDef[] = [
  c('csrrw', 1, false, 'rd = csr; csr = rs1'),
  c('csrrs', 2, false, 'rd = csr; csr |= rs1 (no write if rs1 is x0)'),
  c('csrrc', 3, false, 'rd = csr; csr &= ~rs1 (no write if rs1 is x0)'),
  c('csrrwi', 5, true, 'rd = csr; csr = zimm'),
  c('csrrsi', 6, true, 'rd = csr; csr |= zimm (no write if zimm is 0)'),
  c('csrrci', 7, true, 'rd = csr; csr &= ~zimm (no write if zimm is 0)'),
];
