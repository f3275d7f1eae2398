// Source and program files are regular files of bounded size (issue 15): a device, FIFO or directory,
// included or given, is a located error at once, never a hang; so is a file over the limit.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { d1, tempDir } from '../helpers/tools.js';

describe('source files', () => {
  const dir = tempDir('d1-src-');

  it('.include of a device, a FIFO or a directory is a located error', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const [target, why] of [['/dev/zero', 'not a regular file'], [fifo, 'not a regular file'], [dir, 'a directory']] as const) {
      const { diagnostics } = assemble([{ path: join(dir, 'inc.dasm'), text: `        nop\n        .include "${target}"\n` }]);
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({ line: 2, column: 18 });
      expect(diagnostics[0]!.message).toContain(`cannot read included file '${target}': it is ${why}`);
    }
  });

  it('a file over the size limit is refused (D1_MAX_SOURCE_BYTES)', () => {
    const big = join(dir, 'big.dasm');
    writeFileSync(big, `${'        nop\n'.repeat(1000)}`);
    const saved = process.env['D1_MAX_SOURCE_BYTES'];
    process.env['D1_MAX_SOURCE_BYTES'] = '4000';
    try {
      const { diagnostics } = assemble([{ path: join(dir, 'top.dasm'), text: `        .include "big.dasm"\n` }]);
      expect(diagnostics[0]!.message).toContain('it has 12000 bytes, more than the 4000 a source may have');
    } finally {
      if (saved === undefined) delete process.env['D1_MAX_SOURCE_BYTES'];
      else process.env['D1_MAX_SOURCE_BYTES'] = saved;
    }
    expect(assemble([{ path: join(dir, 'top.dasm'), text: `        .include "big.dasm"\n` }]).diagnostics).toEqual([]);
  });

  it('a file of 20,000 bad lines: 50 errors shown, the rest counted (D1_MAX_ERRORS), at once', () => {
    const bad = join(dir, 'bad.dasm');
    writeFileSync(bad, Array.from({ length: 20000 }, (_, i) => `  frob a${i}, x\n`).join(''));
    const r = d1(['as', bad, '-o', join(dir, 'bad.elf')]);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/: error: /g)).toHaveLength(50);
    expect(r.stderr).toMatch(/\.\.\. and \d+ more errors \(--max-errors N shows up to N\)\n$/);
    const three = d1(['--max-errors', '3', 'as', bad, '-o', join(dir, 'bad.elf')]);
    expect(three.stderr.match(/: error: /g)).toHaveLength(3);
    const small = d1(['--max-source-bytes', '100', 'as', bad, '-o', join(dir, 'bad.elf')]);
    expect(small.stderr).toContain('more than the 100 a source may have');
  });

  it('one expansion budget for macros and repetitions: arguments that double, 2^30 expansions that make nothing', () => {
    const doubling = assemble([{ path: join(dir, 'd.dasm'), text: '.macro m a\n m \\a\\a\n.endm\n m x\n' }]).diagnostics;
    expect(doubling).toHaveLength(1);
    expect(doubling[0]!).toMatchObject({ code: 'too-large', line: 2 }); // the body line whose call went over it
    expect(doubling[0]!.message).toMatch(/^macros, repetitions and includes made more than \d+ bytes of source \(the expansion budget; --max-expansion raises it\): macro 'm' invoked at /);
    expect(doubling[0]!.notes!.length).toBeGreaterThan(3); // the chain of expansions, down to the first call
    expect(doubling[0]!.notes!.at(-1)).toBe(`in macro 'm' invoked at ${join(dir, 'd.dasm')}:4`);
    const wide = assemble([{ path: join(dir, 'w.dasm'), text: '.macro m n\n.if \\n\n m \\n-1\n m \\n-1\n.endif\n.endm\n m 30\n' }]).diagnostics;
    expect(wide).toHaveLength(1);
    expect(wide[0]!.message).toMatch(/more than \d+ (lines|bytes) of source \(the expansion budget; --max-expansion raises it\)/);
    // repetitions of repetitions of nothing: each empty expansion costs a line
    const empty = assemble([{ path: join(dir, 'e.dasm'), text: '.rept 1000\n.rept 1000\n.rept 1000\n.endr\n.endr\n.endr\n' }]).diagnostics;
    expect(empty).toHaveLength(1);
    expect(empty[0]!.message).toMatch(/more than \d+ lines of source \(the expansion budget; --max-expansion raises it\): \.rept at /);
    // an include bomb: each file includes the next one ten times
    for (let k = 0; k < 8; k++) writeFileSync(join(dir, `bomb${k}.dasm`), k === 7 ? '# nothing but comments\n'.repeat(20) : `        .include "bomb${k + 1}.dasm"\n`.repeat(10));
    const bomb = assemble([{ path: join(dir, 'b.dasm'), text: '        .include "bomb0.dasm"\n' }]).diagnostics;
    expect(bomb).toHaveLength(1);
    expect(bomb[0]!.message).toMatch(/more than \d+ (lines|bytes) of source \(the expansion budget; --max-expansion raises it\): \.include "bomb\d\.dasm"/);
    // what real code does stays well inside it
    expect(assemble([{ path: join(dir, 'ok.dasm'), text: '.rept 1000\n nop\n.endr\n.irp r, a0, a1, a2\n li \\r, 1\n.endr\n' }]).diagnostics).toEqual([]);
  });

  it('an expansion that stops early (budget, runaway recursion) ends the run with its error, not a half-made image', () => {
    for (const text of ['_start: nop\n.macro k\n .rept 100\n .word 1, 2, 3, 4\n .endr\n k\n.endm\n k\n', '_start: nop\n.macro mm a\n mm \\a\\a\n.endm\n .data\nx: .word 1\n .text\n mm y\n']) {
      const r = assemble([{ path: join(dir, 'stop.dasm'), text }]);
      expect(r.image).toBeUndefined();
      const codes = r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
      expect(codes.length).toBeGreaterThan(0);
      for (const c of codes) expect(c).toMatch(/^(too-large|macro-recursion)$/);
    }
  });

  it('d1 run and d1 as refuse a device or a directory at once, exit 1', () => {
    const r = d1(['run', '/dev/urandom']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot read '/dev/urandom': it is not a regular file");
    const a = d1(['as', dir, '-o', join(dir, 'x.elf')]);
    expect(a.code).not.toBe(0);
    expect(a.stderr).toMatch(/it is a directory|cannot read/);
  });
});
