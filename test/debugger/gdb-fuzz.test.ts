// The gdb stub under mutated packets (issue 15): a seeded flood of packets, well framed or not, made from
// the commands gdb sends with their arguments mutated (huge and negative numbers, odd lengths, bad hex,
// missing fields), at a stub serving in this process. Every packet gets an answer or is dropped; the stub
// never throws, and after the flood it still answers `?` and reads memory. D1_FUZZ_INPUTS=N for more.
import fc from 'fast-check';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { serveGdb } from '../../debugger/gdb/stub.js';
import { Session } from '../../debugger/session.js';
import { PROGRAMS } from '../helpers/tools.js';

const sink = { write: () => true };
const frame = (p: string) => `$${p}#${([...p].reduce((a, c) => a + c.charCodeAt(0), 0) & 0xff).toString(16).padStart(2, '0')}`;
const COMMANDS = ['m', 'M', 'g', 'G', 'p', 'P', 'Z0,', 'z0,', 'Z2,', 'z2,', 'H', 'T', 'qXfer:features:read:target.xml:', 'qSupported:', 'qfThreadInfo', 'qsThreadInfo', 'qC', 'vCont?', 'X', 's', 'qRcmd,'];
const ARGS = ['0', '1000', '140000', 'ffffffffffffffff', '-1', '7fffffff', 'zz', '', ',', ':', '1000,4', '1000,ffffffff', '0,0', '1000,4:zz', '1000,2:0102030405', '13fffc,8', '1', 'g0', 'c-1', 'p1.1', '41414141'];
const total = Number(process.env['D1_FUZZ_INPUTS'] ?? 300);

describe('the gdb stub under mutated packets', () => {
  it(`${total} packets: an answer or nothing for each, and the stub serves on`, async () => {
    const { image } = assemble([{ path: join(PROGRAMS, 'fib.dasm') }]);
    const session = new Session(image!, { stdout: sink, stderr: sink });
    let port = 0;
    const ready = new Promise<void>((r) => {
      void serveGdb(session, '127.0.0.1', 0, (s) => {
        const m = /waiting for gdb on 127\.0\.0\.1:(\d+)/.exec(s);
        if (m) {
          port = Number(m[1]);
          r();
        }
      });
    });
    await ready;
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      got += d;
      if (got.length > 1 << 20) got = got.slice(-4096);
    });
    await new Promise((r) => socket.on('connect', r));
    const packets = fc.sample(
      fc.tuple(fc.constantFrom(...COMMANDS), fc.array(fc.constantFrom(...ARGS), { maxLength: 3 }), fc.nat(9), fc.string({ maxLength: 8 })),
      { numRuns: total, seed: 1515 },
    );
    for (const [cmd, args, how, junk] of packets) {
      const body = cmd + args.join(',');
      // mostly well framed; some with a bad checksum, some unframed, some with junk inside
      socket.write(how < 6 ? frame(body) : how === 6 ? `$${body}#00` : how === 7 ? body : frame(body + junk));
    }
    // the flood is answered; then the stub still knows where the program is and reads its memory
    socket.write(frame('?'));
    socket.write(frame('m1000,4'));
    await new Promise<void>((r) => {
      const done = () => /\$T05[^#]*#..[\s\S]*\$[0-9a-f]{8}#/.test(got.slice(-2000)) && (socket.off('data', done), r());
      socket.on('data', done);
      done();
    });
    expect(got.slice(-2000)).toMatch(/\$[0-9a-f]{8}#/);
    socket.write(frame('k'));
    socket.end();
  });
});
