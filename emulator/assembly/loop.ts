// The run loop (ARCHITECTURE.md "run(maxCycles)"): fetch the predecoded record at pc and dispatch (a
// record not yet decoded has op 0, whose case decodes it and asks for the same pc again), repeat until the
// budget is spent or an instruction traps. pc and the retired count live in locals, the cycle model in
// generated/dispatch.ts's globals; the host sees them in linear memory when run() returns. Between
// instructions the running thread yields when its clock passes switchAt (threads.ts). Hot code runs as
// compiled blocks (jit.ts) behind the same contract.
import * as L from './generated/layout';
import { clock, dispatch, modelLoad, modelStore } from './generated/dispatch';
import { coreAt, hitByInstruction, hitPending, predecAt, sramAt, tb, trap } from './state';
import { RACES, WATCHPOINTS } from './generated/build';
import { racePc } from './races';
import { predecode } from './generated/decode';
import { arrived, blockFits, called, ran } from './jit';
import { clearStop, enter, leave, passWindow, schedule, stopWhy, switchAt, windowEnd } from './threads';
import { progress } from './mesh';

/** Instructions one call of a compiled block may run at most: it returns (at a taken branch, where the
 * interpreter would go on into it again) so that the optimized code V8 makes of a hot block in the
 * background is taken up by the next call. */
const BLOCK_CALL: u64 = 1 << 20;

export function run(limit: u64): u32 {
  let pc = load<u64>(L.PC);
  let n: u64 = 0;
  let reason = L.STOP_LIMIT;
  if (WATCHPOINTS) store<u32>(L.MESH + L.MESH_HIT + L.HIT_WHAT, 0); // (one left by a faulting instruction)
  enter(n);
  // Jumps check their targets and a sentinel record ends SRAM, so only the entry pc needs a check.
  if (pc >= <u64>L.SRAM_SIZE || (pc & 3) != 0) {
    trap(L.CAUSE_FETCH, pc);
    leave(n);
    return L.STOP_FAULT;
  }
  modelLoad();
  // In a mesh the running thread may be waiting or past the window: start with the one that should run.
  if (load<u32>(tb + L.T_STATE) != L.THREAD_RUNNING || clock() >= windowEnd()) {
    pc = yieldTo(pc, n);
    if (pc == L.TRAP) reason = L.STOP_FAULT;
    else if (stopWhy != 0) reason = stopWhy;
    if (reason != L.STOP_LIMIT) limit = 0;
  }
  // A block entry set aside for one instruction (see below), its record, and the op decoded in its place.
  let held: usize = 0, heldA: u64 = 0, heldB: u64 = 0, heldOp: u16 = 0;
  // Where the interpreter's current run of instructions started (a branch target, where a block left)
  // and the counts then (instructions, vector instructions): its length warms that place up (jit.ts ran).
  let from = pc, fromN = n, fromV = vectorCount();
  while (n < limit) {
    const d = predecAt + (<usize>pc << 2);
    if (RACES) racePc(pc); // (for the accesses it logs)
    const npc = dispatch(<u32>load<u16>(d), d, pc, n);
    if (held != 0) {
      // the entry comes back unless the instruction changed its own word (its record is gone then)
      if (load<u16>(held, L.REC_OP) == heldOp) {
        store<u64>(held, heldA);
        store<u64>(held, heldB, 8);
      }
      held = 0;
    }
    let taken = false;
    if (npc >= L.BLOCK) {
      if (npc == L.BLOCK) {
        // a compiled block (jit.ts): it runs to a taken branch or its end, and says where it went
        if (!blockFits(d, pc, limit - n)) continue;
        ran(from, n - fromN, vectorCount() - fromV);
        const room = limit - n;
        const r = call_indirect<u64>(<u32>load<u64>(d, L.REC_IMM), <u32>coreAt, room < BLOCK_CALL ? room : BLOCK_CALL);
        const done = (r >> 32) & 0x3fffffff;
        // (bit 62: it left where a stretch found the model otherwise than it assumed)
        called(pc, d, ((r >> 62) & 1) != 0, done);
        if (done == 0 && (r >> 63) == 0) {
          // it left before its first instruction (a fault, another core's memory, a watched address):
          // the interpreter runs that one, from the word decoded in the entry's place
          heldA = load<u64>(d);
          heldB = load<u64>(d, 8);
          heldOp = <u16>predecode(load<u32>(sramAt + <usize>pc), d);
          held = d;
          continue;
        }
        n += done;
        pc = r & 0xffffffff;
        taken = (r >> 63) != 0;
        from = pc;
        fromN = n;
        fromV = vectorCount();
        // it left on a straight path (before an instruction it does not hold, or where its stretches end):
        // code from there warms up as a taken branch's target does
        if (!taken && done != 0) arrived(pc);
      } else {
        if (npc == L.DECODED) continue; // the word is decoded now: execute it
        if (npc == L.SWITCH || npc == L.RETRY) {
          if (npc == L.SWITCH) {
            n++;
            pc += 4;
          }
          pc = yieldTo(pc, n);
          if (pc == L.TRAP) {
            reason = L.STOP_FAULT;
            break;
          }
          if (stopWhy == 0) continue;
          reason = stopWhy;
          break;
        }
        const cause = load<u32>(L.FAULT_CAUSE);
        if (cause == L.CAUSE_ECALL) {
          n++;
          pc += 4;
          reason = L.STOP_ECALL;
        } else reason = cause == L.CAUSE_EBREAK ? L.STOP_EBREAK : cause == L.CAUSE_BREAKPOINT ? L.STOP_BREAKPOINT : L.STOP_FAULT;
        break;
      }
    } else {
      taken = npc != pc + 4;
      if (WATCHPOINTS && hitPending()) {
        // the debugger watches after the access: stop after this instruction
        hitByInstruction(pc);
        pc = npc;
        n++;
        reason = L.STOP_WATCH;
        break;
      }
      pc = npc;
      n++;
    }
    // Threads switch only after a taken branch or jump: a thread runs ahead by at most one basic block
    // more, still deterministically, and straight-line code pays nothing for the check.
    if (taken) {
      ran(from, n - fromN, vectorCount() - fromV);
      arrived(pc);
      if (clock() > switchAt && !passWindow(clock())) {
        pc = yieldTo(pc, n);
        if (stopWhy != 0) {
          reason = stopWhy;
          break;
        }
      }
      from = pc;
      fromN = n;
      fromV = vectorCount();
    }
  }
  clearStop();
  if (n > 0) progress();
  modelStore();
  store<u64>(L.PC, pc);
  store<u64>(L.INSTRET, load<u64>(L.INSTRET) + n);
  leave(n);
  return reason;
}

/** Vector-side instructions the core has run (the cycle model's count; 0 in the functional build). */
// @ts-ignore: decorator
@inline function vectorCount(): u64 { return <u64>load<f64>(L.RESOURCES + L.CM_VECTOR_INSNS); }

/** Switch threads with the cycle model in memory. */
function yieldTo(pc: u64, n: u64): u64 {
  modelStore();
  const next = schedule(pc, n);
  modelLoad();
  return next;
}
