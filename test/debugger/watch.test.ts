// d1 debug's watchpoints beyond a core's own loads and stores (docs/debugger.md, "Watchpoints"): messages
// from the network that write or read a watched range (remote stores and loads, engine transfers and
// fetches), semaphores (`watch sem N core X,Y`), on a mesh and on one core; each report names the message,
// the core and source line behind it and where the watched core is. Stopping after the access, as these
// do, changes nothing: a run with them ends with the same cycles and statistics as a run without.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PULL } from '../helpers/pull.js';
import { d1, tempDir } from '../helpers/tools.js';

function debug(machine: string[], commands: string[], source = PULL, name = 'pull.dasm') {
  const dir = tempDir('d1-debug-watch-');
  const prog = join(dir, name);
  writeFileSync(prog, source);
  const script = join(dir, 'cmds');
  writeFileSync(script, `${commands.join('\n')}\n`);
  return { ...d1(['debug', ...machine, '--batch', '-x', script, prog]), prog };
}

/** The number of the line of PULL that holds `text`, and that line as a pattern, pull.dasm:N. */
const lineOf = (text: string) => PULL.split('\n').findIndex((l) => l.includes(text)) + 1;
const at = (text: string) => `pull\\.dasm:${lineOf(text)}`;
/** What `info stats` says: from its first line to the end of the output; the machine's part alone. */
const stats = (out: string) => out.slice(out.indexOf('\ninstructions '));
const machineStats = (out: string) => out.slice(out.indexOf('\nmachine '));
const continues = Array.from({ length: 8 }, () => 'continue');

describe('d1 debug: watchpoints on messages and semaphores', () => {
  it('report what the network delivered to a watched range or semaphore, who caused it, and where the core is; the run ends as a plain one', () => {
    const watches = ['watch ack core 0,0', 'watch sem 1 core 0,0', 'watch sem 2 core 1,0', 'rwatch src+8 core 0,0', 'info watchpoints'];
    const r = debug(['--mesh', '2x2'], [...watches, ...continues, 'info watchpoints', 'info stats']);
    expect(r.stdout).toMatch(/^2 +watch +y +semaphore 1 +semaphore 1 of core \(0,0\)$/m);
    expect(r.stdout).toMatch(/^4 +rwatch y +0x0000000000002050 +src\+8 on core \(0,0\) \(8 bytes\)$/m);
    // (1,0)'s DMA engine fetches src from (0,0), piece by piece: the engine reads the watched word
    expect(r.stdout).toMatch(new RegExp(`^Read watchpoint 4: src\\+8 on core \\(0,0\\)\\nValue = 1 \\(0x1\\)\\nread by an engine fetch from core \\(1,0\\), arriving at cycle \\d+; sent by core \\(1,0\\) at 0x[0-9a-f]+ <puller\\+0x[0-9a-f]+> at ${at('dma.copy')}: dma\\.copy a0$`, 'm'));
    // the transfer's last piece posts (1,0)'s semaphore 2, which its thread waiting in swait takes at once
    expect(r.stdout).toMatch(new RegExp(`^Watchpoint 3: semaphore 2 of core \\(1,0\\)\\nOld value = 0 \\(0x0\\)\\nNew value = 0 \\(0x0\\) \\(what was posted was taken at once by a waiting thread\\)\\nposted to by an engine transfer from core \\(0,0\\), arriving at cycle \\d+; caused by core \\(1,0\\) at .* at ${at('dma.copy')}: dma\\.copy a0\\ncore \\(1,0\\) is at .* \\(running\\)$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^read by a remote load from core \\(1,0\\), arriving at cycle \\d+; sent by core \\(1,0\\) at .* at ${at('a remote load')}: ld t1,8\\(t0\\)$`, 'm'));
    // the remote store into ack, while (0,0) waits for its semaphore 1
    expect(r.stdout).toMatch(new RegExp(`^Watchpoint 1: ack on core \\(0,0\\)\\nOld value = 0 \\(0x0\\)\\nNew value = 256 \\(0x100\\)\\nwritten by a remote store from core \\(1,0\\), arriving at cycle \\d+; sent by core \\(1,0\\) at .* at ${at('a remote store')}: sd t1,0\\(t0\\)\\ncore \\(0,0\\) is at 0x[0-9a-f]+ <[^>]+> at pull\\.dasm:${lineOf('ld a0, ack') - 1}`, 'm'));
    expect(r.stdout).toMatch(/core \(0,0\) is at .* \(waiting: semaphore 1 \(needs 1, has 0\)\)\n\d+\t +swait t3, t4/);
    expect(r.stdout).toMatch(new RegExp(`^posted to by a semaphore post from core \\(1,0\\), arriving at cycle \\d+; sent by core \\(1,0\\) at .* at ${at('semaphore 1 of (0,0)')}: spost t3,t4$`, 'm'));
    expect(r.stdout).toContain('[program exited with code 56]');
    expect(r.stdout).toMatch(/^4 +rwatch y +0x0000000000002050 +src\+8 on core \(0,0\) \(8 bytes\) \(hit 2 times\)$/m);
    // exactly as without them, and as d1 run
    const plain = debug(['--mesh', '2x2'], ['continue', 'info stats']);
    expect(stats(r.stdout)).toBe(stats(plain.stdout));
    const run = d1(['run', '--mesh', '2x2', '--stats', r.prog]);
    expect(run.code).toBe(56);
    const cycles = /^cycles +(\d+)$/m.exec(run.stderr)![1];
    expect(stats(r.stdout)).toMatch(new RegExp(`^machine .*\\ncycles +${cycles}$`, 'm'));
  });

  it('stop a core being stepped when a message reaches its watched semaphore; delete and disable them; global addresses name their core', () => {
    const r = debug(['--mesh', '2x2'], ['break puller core 1,0', 'run', 'watch sem 0', 'watch ack core 0,0', 'stepi 500', 'info registers pc', 'stepi 3', 'info registers pc',
      'watch 0x1000100002040', 'watch 0x1000100002040 core 0,0', 'watch sem 40', 'rwatch sem 1', 'disable 3', 'delete 2', 'info watchpoints', 'continue', 'info stats']);
    expect(r.stdout).toContain('Watchpoint 2: semaphore 0 of core (1,0)');
    // (1,0) waits in swait for (0,0)'s post: the stepping stops when it arrives, right after the swait
    expect(r.stdout).toMatch(new RegExp(`^Watchpoint 2: semaphore 0 of core \\(1,0\\)\\nOld value = 0 .*\\nNew value = 0 .*\\nposted to by a semaphore post from core \\(0,0\\), arriving at cycle \\d+; sent by core \\(0,0\\) at .* at ${at('semaphore 0 of (1,0)')}: spost s2,t4$`, 'm'));
    const pcs = [...r.stdout.matchAll(/^pc +0x0*([0-9a-f]+)/gm)].map((m) => BigInt(`0x${m[1]}`));
    expect(pcs[1]! - pcs[0]!).toBe(12n); // then stepi 3 runs three instructions, no more
    expect(r.stdout).toContain('Watchpoint 4: 0x1000100002040 on core (1,0)');
    expect(r.stdout).toContain('watch: 0x1000100002040 is on core (1,0), not (0,0)');
    expect(r.stdout).toContain('watch: no semaphore 40 (a core has 0..31)');
    expect(r.stdout).toContain('rwatch: semaphores are watched for changes: watch sem N [core X,Y]');
    expect(r.stdout).toMatch(/^3 +watch +n +0x0000000000002040 +ack on core \(0,0\) \(8 bytes\)\n4 +watch +y +0x0000000000002040 +0x1000100002040 on core \(1,0\) \(8 bytes\)$/m);
    // the disabled watchpoint and (1,0)'s ack, never written, stop nothing
    expect(r.stdout).not.toMatch(/^Watchpoint [34]: .*\nOld/m);
    expect(r.stdout).toContain('[program exited with code 56]');
    expect(machineStats(r.stdout)).toBe(machineStats(debug(['--mesh', '2x2'], ['continue', 'info stats']).stdout));
  });

  it('on one core: its own posts and waits, and its DMA engine writing a watched range; the cycles are those of d1 run', () => {
    const src = ['_start: li t0, 0', '        li t1, 2', '        spost t0, t1', '        li t1, 1', '        swait t0, t1',
      '        la a0, desc', '        la t2, from', '        sd t2, 0(a0)', '        la t2, to', '        sd t2, 8(a0)', '        li t2, 64', '        sw t2, 16(a0)', '        sw t1, 20(a0)',
      '        li t2, 3', '        sd t2, 40(a0)', '        sw t1, 48(a0)', '        dma.copy a0', '        swait t2, t1', '        ld a0, to', '        li a7, 93', '        ecall',
      '        .data', '        .align 6', 'desc: .zero 64', 'from: .dword 7', '        .zero 56', 'to: .zero 64', ''].join('\n');
    const r = debug([], ['watch sem 0', 'watch to', ...continues, 'info stats'], src, 'one.dasm');
    expect(r.stdout).toContain('Watchpoint 1: semaphore 0\nOld value = 0 (0x0)\nNew value = 2 (0x2)\nat 0x100c <_start+0xc> at one.dasm:4');
    expect(r.stdout).toContain('Watchpoint 1: semaphore 0\nOld value = 2 (0x2)\nNew value = 1 (0x1)\nat 0x1014 <_start+0x14> at one.dasm:6');
    expect(r.stdout).toMatch(/^Watchpoint 2: to\nOld value = 0 \(0x0\)\nNew value = 7 \(0x7\)\nwritten by an engine transfer from this core, arriving at cycle \d+; sent by this core at .* at one\.dasm:17: dma\.copy a0\nthis core is at /m);
    expect(r.stdout).toContain('[program exited with code 7]');
    const run = d1(['run', '--stats', r.prog]);
    expect(run.code).toBe(7);
    expect(/^cycles .*$/m.exec(r.stdout)![0]).toBe(/^cycles .*$/m.exec(run.stderr)![0]);
  });

  it('a core\'s own stores stop it after the store and leave the cycles as they are (one core and a mesh)', () => {
    const loop = ['_start: la t0, var', '        li t1, 0', '        li t2, 20', 'loop:   ld t3, 0(t0)', '        add t3, t3, t1', '        sd t3, 0(t0)', '        addi t1, t1, 1', '        blt t1, t2, loop',
      '        li a0, 0', '        li a7, 93', '        ecall', '        .data', '        .align 3', 'var: .dword 0', ''].join('\n');
    const r = debug([], ['watch var', ...Array.from({ length: 22 }, () => 'continue'), 'info stats'], loop, 'loop.dasm');
    expect(r.stdout.match(/^Watchpoint 1: var\nOld/gm)).toHaveLength(19); // (the first store writes 0 over 0)
    expect(r.stdout).toContain('Old value = 171 (0xab)\nNew value = 190 (0xbe)\nat 0x101c <loop+0xc> at loop.dasm:7');
    const run = d1(['run', '--stats', r.prog]);
    expect(/^cycles .*$/m.exec(r.stdout)![0]).toBe(/^cycles .*$/m.exec(run.stderr)![0]);
    const mesh = debug(['--mesh', '2x2'], ['watch var', ...Array.from({ length: 90 }, () => 'continue'), 'info stats'], loop, 'loop.dasm');
    expect(mesh.stdout).toContain('[program exited with code 0]');
    expect(stats(mesh.stdout)).toBe(stats(debug(['--mesh', '2x2'], ['continue', 'info stats'], loop, 'loop.dasm').stdout));
  });
});
