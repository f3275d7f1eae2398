// Nothing a user types breaks the debugger: random command lines (real command words with random
// arguments, and random text) always give a message or a result, never an exception, and the session
// still answers afterwards.
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { COMMANDS, execute, type Context } from '../../debugger/commands.js';
import { Session } from '../../debugger/session.js';
import { PROGRAMS } from '../helpers/tools.js';

describe('debugger command fuzzing', () => {
  it('never throws, whatever the command line', async () => {
    const { image } = assemble([{ path: join(PROGRAMS, 'fib.dasm') }]);
    const sink = { write: () => true };
    const words = COMMANDS.flatMap((c) => [c.name, ...c.aliases]).filter((w) => w !== 'quit' && w !== 'q' && w !== 'exit');
    const arg = fc.oneof(
      fc.constantFrom('', '1', '-1', '0x1000', '99999999999999999999', 'fib_rec', 'fib.dasm:44', 'nosuch', '$a0', 'a0 +', '*0x1003', 'v1', 'fmt3', 'bf16', 'cfp8_143:99', 'm7', 'if', 'if a0 ==', '/8bf16 $sp', '/zz 0', 'registers', 'vector v1 fmt0', 'threads', 'stats'),
      fc.string({ maxLength: 12 }),
    );
    const lines = fc.sample(fc.tuple(fc.constantFrom(...words), fc.array(arg, { maxLength: 3 })).map(([w, a]) => `${w} ${a.join(' ')}`), { numRuns: 400, seed: 7 });
    const out: string[] = [];
    const session = new Session(image!, { stdout: sink, stderr: sink }, 200_000n);
    const ctx: Context = { session, out: (t) => out.push(t), source: () => undefined, displays: [], quit: false };
    for (const line of lines) {
      await expect(Promise.resolve(execute(ctx, line))).resolves.toBeUndefined();
    }
    // messages are written for users: no raw internal errors among them
    expect(out.filter((l) => l.startsWith('error:'))).toEqual([]);
    // still alive and answering
    out.length = 0;
    await execute(ctx, 'info registers pc');
    expect(out.join('\n')).toMatch(/^pc +0x/);
  });
});
