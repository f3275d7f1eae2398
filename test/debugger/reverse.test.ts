// Going backwards in d1 debug (docs/debugger.md, "Reverse execution"): snapshots plus deterministic
// replay must return the core to exactly the state it had: registers, memory, thread and cycle-model
// state, and the cycle count, far past several snapshots; reverse-continue stops at the previous hit of
// a (conditional) breakpoint; the program's output is not written twice.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { Session } from '../../debugger/session.js';
import { LAYOUT } from '../../emulator/layout.js';
import { PROGRAMS } from '../helpers/tools.js';

/** The core's state without the scratch words of the last stop (fault cause, address, word). */
function state(s: Session): Buffer {
  const b = Buffer.from(s.core.snapshot());
  b.fill(0, LAYOUT.FAULT_CAUSE - LAYOUT.REGS, LAYOUT.FAULT_WORD + 8 - LAYOUT.REGS);
  return b;
}

function session(name: string): { s: Session; out: () => string } {
  const { image } = assemble([{ path: join(PROGRAMS, name) }]);
  let text = '';
  const sink = { write: (b: string | Uint8Array) => ((text += typeof b === 'string' ? b : Buffer.from(b).toString()), true) };
  return { s: new Session(image!, { stdout: sink, stderr: sink }), out: () => text };
}

describe('reverse execution', () => {
  it('reverse-stepi over many snapshots restores registers, memory, cycles and model state exactly', () => {
    const { s } = session('crc32.dasm');
    expect(s.stepi(200_000n).kind).toBe('step');
    const before = { state: state(s), pc: s.core.pc, cycles: s.core.cycles, instret: s.core.instret };
    expect(s.stepi(700_001n).kind).toBe('step'); // past several snapshots
    expect(s.core.instret).toBe(before.instret + 700_001n);
    expect(s.reverseStepi(700_001n).kind).toBe('step');
    expect(s.core.instret).toBe(before.instret);
    expect(s.core.pc).toBe(before.pc);
    expect(s.core.cycles).toBe(before.cycles);
    expect(Buffer.compare(state(s), before.state)).toBe(0);
    // and forward again gives the same future
    s.stepi(700_001n);
    const again = state(s);
    s.reverseStepi(700_001n);
    s.stepi(700_001n);
    expect(Buffer.compare(state(s), again)).toBe(0);
  });

  it('reverse-continue returns to the previous hit of a conditional breakpoint, without writing output again', () => {
    const { s, out } = session('fib.dasm');
    const addr = s.image.symbols.find((x) => x.name === 'fib_rec')!.value;
    const bp = s.addBreakpoint(addr, 'fib_rec')!;
    bp.condition = 'a0 == 3';
    s.condition = () => s.core.getReg(10) === 3n;
    expect(s.continue()).toMatchObject({ kind: 'breakpoint' });
    const first = { instret: s.core.instret, state: state(s) };
    expect(s.continue()).toMatchObject({ kind: 'breakpoint' });
    expect(s.continue()).toMatchObject({ kind: 'breakpoint' });
    const second = s.core.instret;
    const printed = out();
    expect(s.reverseContinue()).toMatchObject({ kind: 'breakpoint' });
    expect(s.core.instret).toBeLessThan(second);
    expect(s.core.getReg(10)).toBe(3n);
    expect(s.reverseContinue()).toMatchObject({ kind: 'breakpoint' });
    expect(s.core.instret).toBe(first.instret);
    expect(Buffer.compare(state(s), first.state)).toBe(0);
    expect(s.reverseContinue()).toMatchObject({ kind: 'fault', message: expect.stringContaining('back at the start') });
    expect(s.core.instret).toBe(0n);
    expect(out()).toBe(printed); // replays wrote nothing
  });

  it('reverse-step goes back to the beginning of the previous source line', () => {
    const { s } = session('hello.dasm');
    s.stepLine(false);
    s.stepLine(false);
    const line = s.line()!.line;
    expect(s.reverseStep().kind).toBe('step');
    expect(s.line()!.line).toBeLessThan(line);
    expect(s.image.lines.some((l) => l.addr === s.core.pc)).toBe(true);
  });
});
