// d1 debug --tui in a real terminal: tmux runs it, send-keys types commands, capture-pane reads the
// screen. The panes show the source with the current line, the registers with the changed one marked
// (NO_COLOR: an asterisk), the program's output in the console, and the layout follows a resize.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { D1_BIN, missing, PROGRAMS } from '../helpers/tools.js';

const skip = missing('tmux');
const SESSION = `d1-tui-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', args, { encoding: 'utf8' });
const screen = (name = SESSION) => tmux('capture-pane', '-t', name, '-p').stdout;

/** Wait until the screen of tmux session `name` matches (the TUI redraws asynchronously). */
async function until(re: RegExp, name = SESSION, ms = 60_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const s = screen(name);
    if (re.test(s) || Date.now() > end) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe(`d1 debug --tui${skip}`, () => {
  afterAll(() => {
    if (skip === '') tmux('kill-session', '-t', SESSION);
  });

  it.skipIf(skip !== '')('shows source, registers, console; marks changed registers; follows a resize', async () => {
    const cmd = `NO_COLOR=1 ${process.execPath} ${D1_BIN} debug --tui ${join(PROGRAMS, 'fib.dasm')}`;
    expect(tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '36', cmd).status).toBe(0);
    await until(/\(d1\)/);
    tmux('send-keys', '-t', SESSION, 'break fib_rec', 'Enter', 'run', 'Enter');
    // tmux may show a frame half drawn: wait until every part expected is on the screen
    let s = await until(/=> +43 +li +t0, 2[\s\S]*Breakpoint 1, 0x11e4 <fib_rec> at fib\.dasm:43/);
    expect(s).toMatch(/=> +43 +li +t0, 2/);
    expect(s).toMatch(/- \S*fib\.dasm:43 -/);
    expect(s).toMatch(/a0 0000000000000018/); // fib_rec(24)
    expect(s).toContain('Breakpoint 1, 0x11e4 <fib_rec> at fib.dasm:43');
    expect(s).toContain('fib(93) = 12200160415121876738'); // the program's output, in the console
    tmux('send-keys', '-t', SESSION, 'stepi', 'Enter');
    s = await until(/^(?=[\s\S]*=> +44 +blt)(?=[\s\S]*t0 0000000000000002\*)/); // (both, in either order on the screen)
    expect(s).toMatch(/t0 0000000000000002\*/); // changed by li t0, 2
    expect(s).toMatch(/=> +44 +blt/);
    tmux('resize-window', '-t', SESSION, '-x', '90', '-y', '28');
    s = await until(/^\|- \S*fib\.dasm:44 -+\|\|- registers/m);
    const lines = s.split('\n').filter((l) => l !== '');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(90);
    expect(lines.length).toBeLessThanOrEqual(28);
    expect(s).toMatch(/^\|- \S*fib\.dasm:44 -+\|\|- registers \(thread 0\) -+\|$/m);
    tmux('send-keys', '-t', SESSION, 'quit', 'Enter');
    // the debugger leaves, and tmux with it: wait for the session to go (a condition, not a time)
    for (const end = Date.now() + 8000; tmux('has-session', '-t', SESSION).status === 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    expect(tmux('has-session', '-t', SESSION).status).not.toBe(0);
  });

  it.skipIf(skip !== '')('on a mesh, the mesh pane draws every core\'s state and follows `core X,Y`', async () => {
    const name = `${SESSION}-mesh`;
    const cmd = `NO_COLOR=1 ${process.execPath} ${D1_BIN} debug --tui --mesh 3x2 ${join(PROGRAMS, 'allreduce.dasm')}`;
    expect(tmux('new-session', '-d', '-s', name, '-x', '130', '-y', '40', cmd).status).toBe(0);
    const wait = (re: RegExp) => until(re, name);
    await wait(/\(d1\)/);
    tmux('send-keys', '-t', name, 'stepi 40', 'Enter', 'core 2,1', 'Enter');
    const s = await wait(/mesh-3x2 3x2: core \(2,1\)[\s\S]* R  R \[R\]/);
    expect(s).toMatch(/mesh-3x2 3x2: core \(2,1\)/);
    expect(s).toMatch(/ R  R \[R\]/);
    tmux('kill-session', '-t', name);
  });

  it.skipIf(skip !== '')('a 4x4 mesh at 120x36 shows all four rows of the grid and the legend; lines with tabs leave nothing behind', async () => {
    const name = `${SESSION}-grid`;
    const cmd = `NO_COLOR=1 ${process.execPath} ${D1_BIN} debug --tui --mesh 4x4 ${join(PROGRAMS, 'allreduce.dasm')}`;
    expect(tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '36', cmd).status).toBe(0);
    const wait = (re: RegExp) => until(re, name);
    let s = await wait(/R running/);
    // four grid rows (the selected core in brackets), then the legend
    expect(s.match(/\| *(\[R\]| R )( R ){3} *\|/g)?.length ?? s.match(/(\[R\]| R )( R ){3}/g)?.length).toBe(4);
    expect(s).toContain('R running');
    // a long line with tabs, then short lines over it: the console shows no leftovers of the long one
    tmux('send-keys', '-t', name, 'x/8wx 0x1000', 'Enter');
    s = await wait(/x\/8wx 0x1000\n0x1000 <\w+>: +0x[0-9a-f]{8} +0x[0-9a-f]{8}/);
    expect(s).toMatch(/x\/8wx 0x1000\n0x1000 <\w+>: +0x[0-9a-f]{8} +0x[0-9a-f]{8}/); // tabs as spaces
    for (let k = 0; k < 12; k++) tmux('send-keys', '-t', name, 'p 1', 'Enter');
    s = await wait(/(\(d1\) p 1\n1 \(0x1\)\n){4}/); // (the console's last lines; tmux drops trailing spaces)
    const consoleLines = s.split('\n').filter((l) => l.startsWith('1 (0x1)') || l.startsWith('(d1) p 1'));
    expect(consoleLines.length).toBeGreaterThan(4);
    for (const l of consoleLines) expect(l.trimEnd()).toMatch(/^(1 \(0x1\)|\(d1\) p 1)$/);
    tmux('kill-session', '-t', name);
  });
});
