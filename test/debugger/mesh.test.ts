// d1 debug on a machine of many cores (docs/debugger.md, "Cores"): choosing cores, their states and the
// mesh grid, breakpoints on every core or one, semaphores, stepping one core while the machine keeps up,
// and a stepped run ending exactly as a plain one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { d1, PROGRAMS, tempDir } from '../helpers/tools.js';

// Every core but (0,0) stores its rank into (0,0)'s table and posts its semaphore 0; (0,0) waits for all
// of them and exits with the sum of the ranks.
const GATHER = `
    .text
    .globl _start
_start:
    csrr s0, corerank
    csrr s1, ncores
    bnez s0, worker
    addi t0, s1, -1
    li t1, 0
    swait t1, t0
    la t2, table
    li a0, 0
    li t3, 1
sum:
    bge t3, s1, done
    slli t4, t3, 3
    add t4, t4, t2
    ld t5, 0(t4)
    add a0, a0, t5
    addi t3, t3, 1
    j sum
done:
    li a7, 93
    ecall
worker:
    li t0, 1
    slli t0, t0, 48
    la t2, table
    slli t3, s0, 3
    add t2, t2, t3
    or t2, t2, t0
    sd s0, 0(t2)
    li t4, 1
    spost t0, t4
    li a0, 0
    li a7, 93
    ecall
    .data
    .align 3
table: .zero 4096
`;

function debugMesh(machine: string[], commands: string[], source = GATHER) {
  const dir = tempDir('d1-debug-mesh-');
  const prog = join(dir, 'gather.dasm');
  writeFileSync(prog, source);
  const script = join(dir, 'cmds');
  writeFileSync(script, `${commands.join('\n')}\n`);
  return d1(['debug', ...machine, '--batch', '-x', script, prog]);
}

describe('d1 debug --mesh', () => {
  it('stepi from a breakpoint runs one instruction (a taken branch is not skipped), every time round a loop', () => {
    const loop = ['_start: li t1, 3', 'loop:   addi t1, t1, -1', '        beqz t1, out', '        j loop', 'out:    li a0, 0', '        li a7, 93', '        ecall', ''].join('\n');
    const steps = Array.from({ length: 6 }, () => ['stepi', 'info registers pc']).flat();
    const r = debugMesh(['--mesh', '2x1'], ['break loop core 0,0', 'run', ...steps, 'x/1wx 0x1000100001000', 'x/1wx 0x1000500001000'], loop);
    expect(r.code).toBe(0);
    // x reaches another core's SRAM by its global address: core (1,0)'s first word, li t1, 3
    expect(r.stdout).toMatch(/^0x1000100001000:\t0x00300313$/m);
    expect(r.stdout).toContain('cannot access memory at 0x1000500001000');
    const pcs = [...r.stdout.matchAll(/^pc +0x0*([0-9a-f]+)/gm)].map((m) => m[1]);
    // from loop (0x1004): beqz, j, loop (the breakpoint), beqz, j, loop
    expect(pcs).toEqual(['1008', '100c', '1004', '1008', '100c', '1004']);
  });

  it('info why follows a barrier back to the core that holds it, and says what that one waits for', () => {
    const src = ['_start: csrr t0, coreid', '        beqz t0, stuck', '        li t1, -1', '        barrier t1', '        li a0, 0', '        li a7, 93', '        ecall',
      'stuck:  li t1, 2', '        li t2, 1', '        swait t1, t2', '        li t1, -1', '        barrier t1', '        li a0, 0', '        li a7, 93', '        ecall', ''].join('\n');
    const r = debugMesh(['--mesh', '3x1'], ['run', 'info why 2,0', 'info why 0,0'], src);
    expect(r.stdout).toMatch(/^core \(2,0\) thread 0 waits at the barrier of all cores at 0x100c <_start\+0xc> at gather\.dasm:4 \(2 of 3 arrived\); not there yet:$/m);
    expect(r.stdout).toMatch(/^ {2}core \(0,0\) thread 0 waits for semaphore 2 \(needs 1, has 0\) at 0x1024 <stuck\+0x8> at gather\.dasm:10: no post has come$/m);
    expect(r.stdout).toMatch(/^core \(0,0\) thread 0 waits for semaphore 2/m);
  });

  it('works on a tile (25 instances): core X,Y in another die, info why across dies', () => {
    const src = ['_start: csrr t0, coreid', '        beqz t0, stuck', '        li t1, -1', '        barrier t1', '        li a0, 0', '        li a7, 93', '        ecall',
      'stuck:  li t1, 2', '        li t2, 1', '        swait t1, t2', ''].join('\n');
    const r = debugMesh(['--tile'], ['run', 'core 50,50', 'info registers pc', 'info why', 'reverse-stepi'], src);
    expect(r.stdout).toContain('Program stopped: deadlock');
    expect(r.stdout).toContain('[Switching to core (50,50): waiting: barrier all cores, pc 0x1010]');
    expect(r.stdout).toMatch(/^core \(50,50\) thread 0 waits at the barrier of all cores .* \(8849 of 8850 arrived\); not there yet:$/m);
    expect(r.stdout).toMatch(/^ {2}core \(0,0\) thread 0 waits for semaphore 2 \(needs 1, has 0\)/m);
    expect(r.stdout).toContain('reverse execution works on one core, a mesh and a die (not on a machine of several dies)');
  });

  it('a deadlock shows the waiting core at the instruction it waits in, in the stop and in info cores', () => {
    const wait = ['_start: csrr t0, coreid', '        bnez t0, out', '        li t1, 0', '        li t2, 1', '        swait t1, t2', '        nop', 'out:    li a0, 0', '        li a7, 93', '        ecall', ''].join('\n');
    const r = debugMesh(['--mesh', '2x1'], ['run', 'info cores'], wait);
    expect(r.stdout).toMatch(/Program stopped: deadlock: .*, at 0x1010 <_start\+0x10> at gather\.dasm:5: swait t1,t2/);
    expect(r.stdout).toMatch(/^5\t +swait t1, t2$/m);
    expect(r.stdout).toMatch(/\* \(0,0\) +waiting: semaphore 0 \(needs 1, has 0\) +\d+ +0x1010 <_start\+0x10>/);
  });

  it('stops every core at a breakpoint in turn, shows cores, the grid and semaphores, and ends as the plain run does', () => {
    const r = debugMesh(['--mesh', '3x2'], ['break worker', 'run', 'info cores', 'core 0,0', 'info mesh', 'delete', 'core 2,1', 'stepi 3', 'info registers s0', 'core 0,0', 'continue']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Breakpoint 1, 0x');
    // (0,0) reached its swait first; the breakpoint stopped (1,0)
    expect(r.stdout).toMatch(/ {2}\(0,0\) +waiting: semaphore 0 \(needs 5, has [0-4]\)/);
    expect(r.stdout).toMatch(/\* \(1,0\) +running/);
    expect(r.stdout).toMatch(/\[Switching to core \(0,0\): waiting: semaphore 0 \(needs 5, has [0-4]\)/);
    expect(r.stdout).toMatch(/^\[S\] R {2}R $/m);
    expect(r.stdout).toMatch(/^s0 +0x0000000000000005 {2}5$/m);
    // 1 + 2 + 3 + 4 + 5: the stepped run exits as the plain one
    expect(r.stdout).toContain('[program exited with code 15]');
  });

  it('a breakpoint on one core stops only that core; semaphores and engines of the selected core', () => {
    const r = debugMesh(['--mesh', '3x2'], ['break done core 0,0', 'break worker core 2,1', 'run', 'info breakpoints', 'core', 'continue', 'core', 'info semaphores', 'info engines', 'info stats', 'continue']);
    expect(r.stdout).toMatch(/machine +mesh-3x2, 6 cores/); // info stats: the machine too
    expect(r.stdout).toMatch(/network +\d+ bytes over links/);
    expect(r.stdout).toContain('on core (2,1)');
    expect(r.stdout).toMatch(/Breakpoint 2, 0x[0-9a-f]+ <worker>/);
    expect(r.stdout).toContain('[Current core is (2,1)]');
    expect(r.stdout).toMatch(/Breakpoint 1, 0x[0-9a-f]+ <done>/);
    expect(r.stdout).toContain('[Current core is (0,0)]');
    expect(r.stdout).toContain('all 32 semaphores are 0');
    expect(r.stdout).toMatch(/DMA engine +idle/);
    expect(r.stdout).toContain('[program exited with code 15]');
  });

  it('core and mesh commands on a one-core machine, bad cores and watchpoints on a mesh get messages', () => {
    const one = debugMesh([], ['core 1,1', 'info mesh']);
    expect(one.stdout).toContain('this is a one-core machine');
    const r = debugMesh(['--mesh', '2x2'], ['core 5,5', 'core x', 'reverse-stepi', 'info cores']);
    expect(r.stdout).toContain('core (5,5) is outside the 2x2 mesh');
    expect(r.stdout).toContain("expected a core as X,Y, got 'x'");
    expect(r.stdout).toContain('already at the start of the program'); // (reverse execution works on a mesh too)
    expect(r.stdout).toMatch(/\* \(0,0\)/);
  });

  it('a watchpoint watches every core: the first core that changes the value stops, and is selected', () => {
    const dir = tempDir('d1-debug-watch-');
    const script = join(dir, 'cmds');
    writeFileSync(script, 'watch result\ncontinue\ncore\ncontinue\ncore\ndelete\ncontinue\n');
    const r = d1(['debug', '--mesh', '2x2', '--batch', '-x', script, join(PROGRAMS, 'allreduce.dasm')]);
    // core (0,0) stores rank * 1000 + 0 = 0 over 0: no change, no stop; (1,0) stores 1000, (0,1) 2000
    expect(r.stdout).toMatch(/Old value = 0 \(0x0\)\s+New value = 1000 \(0x3e8\)/);
    expect(r.stdout).toContain('[Current core is (1,0)]');
    expect(r.stdout).toMatch(/New value = 2000 \(0x7d0\)/);
    expect(r.stdout).toContain('[Current core is (0,1)]');
    expect(r.stdout).toContain('[program exited with code 0]');
  });

  it('works on a die', () => {
    const r = debugMesh(['--die'], ['break done', 'run', 'info registers a0', 'continue']);
    // the ranks 1..353 sum to 62,481; the exit code keeps its low byte
    expect(r.stdout).toMatch(/^a0 +0x000000000000f411 {2}62481$/m);
    expect(r.stdout).toContain('[program exited with code 17]');
  }, 30_000);
});
