// A word that matches no instruction of the table: an illegal-instruction fault. The predecoder
// leaves the raw word in the record's immediate.
import * as L from '../generated/layout';
import { imm, trap } from '../state';

export function exec_illegal(d: usize, pc: u64): u64 {
  store<u32>(L.FAULT_WORD, <u32>imm(d));
  return trap(L.CAUSE_ILLEGAL, pc);
}
