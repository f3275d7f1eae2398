// Semantics of the D1 thread instructions (isa/ext/d1t.ts; docs/machine.md, "Threads"). texit and a
// waiting tjoin return SWITCH: the loop then saves this thread and runs another.
import * as L from '../generated/layout';
import { jumpTo, setRd, x1, x2 } from '../state';
import { exit, join, spawn } from '../threads';

export function exec_tspawn(d: usize, pc: u64, n: u64): u64 {
  const entry = jumpTo(<u64>x1(d));
  if (entry == L.TRAP) return L.TRAP;
  setRd(d, spawn(entry, <u64>x2(d), n));
  return pc + 4;
}

export function exec_texit(d: usize, pc: u64, n: u64): u64 {
  exit();
  return L.SWITCH;
}

export function exec_tjoin(d: usize, pc: u64, n: u64): u64 { return join(<u64>x1(d)) ? L.SWITCH : pc + 4; }
