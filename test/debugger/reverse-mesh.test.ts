// Going backwards on a machine of many cores (docs/debugger.md, "Reverse execution"): checkpoints of the
// machine plus the calls the session made to run it, done again, must give exactly the state the machine
// had: every core's registers, threads, SRAM, semaphores and engines, the network in flight, cycles and
// statistics, as a fresh run stepped to the same point has them; reverse-continue finds the last hit of a
// breakpoint or watchpoint on any core; the program's output is not written twice; forward again is the
// same run.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { Session, type Stop } from '../../debugger/session.js';
import { LAYOUT } from '../../emulator/layout.js';
import { meshPreset, type MeshPreset } from '../../emulator/presets.js';
import { PULL } from '../helpers/pull.js';
import { d1, PROGRAMS, tempDir } from '../helpers/tools.js';

/** A session on a mesh; `spacing` (MeshHistory): 0 takes a checkpoint before every call to the machine. */
function session(preset: MeshPreset, source: { text: string } | { file: string }, spacing?: number): { s: Session; out: () => string } {
  const { image } = assemble(['text' in source ? { path: 'pull.dasm', text: source.text } : { path: join(PROGRAMS, source.file) }]);
  let text = '';
  const sink = { write: (b: string | Uint8Array) => ((text += typeof b === 'string' ? b : Buffer.from(b).toString()), true) };
  const s = new Session(image!, { stdout: sink, stderr: sink }, undefined, preset);
  if (spacing !== undefined) s.meshHistory!.spacing = spacing;
  return { s, out: () => text };
}

const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Everything about the machine: the selected core; each core's state and SRAM (without the scratch words
 * of the last stop), threads, statistics, semaphores and engines; the network's links and what is in
 * flight; the host's exits and barriers. */
function state(s: Session) {
  const m = s.machine!;
  const cores = [...m.cores].map(([g, { core }]) => {
    const b = Buffer.from(core.snapshot());
    b.fill(0, LAYOUT.FAULT_CAUSE - LAYOUT.REGS, LAYOUT.FAULT_WORD + 8 - LAYOUT.REGS);
    return { g, hash: digest(b), threads: core.threads(), regions: core.regions(), sems: core.semaphores(), engines: core.engines(), cycles: core.cycles, traffic: m.traffic(g) };
  });
  const net = m.parts.map((p) => digest(new Uint8Array(p.memory.buffer, LAYOUT.HEAP, LAYOUT.OUTBOX - LAYOUT.HEAP)));
  return { focus: s.focus, cores, net, links: m.links(), cycles: m.cycles, instructions: m.instructions, exits: [...m.exits], barriers: [...m.barrierWaits()] };
}

/** A repeatable sequence of numbers below n. */
function random(seed: number): (n: number) => number {
  let x = seed;
  return (n) => ((x = (x * 1103515245 + 12345) % 2 ** 31), Math.floor(x / 2 ** 16) % n);
}

/** The symbol's address. */
const sym = (s: Session, name: string) => s.image.symbols.find((x) => x.name === name)!.value;

describe('reverse execution on a mesh', () => {
  // spacing 0: a checkpoint before every call to the machine; Infinity: the start's alone
  it.each([0, Infinity])('reverse-stepi gives the state a fresh run stepped to the same point has; forward again is the same run (checkpoint spacing %s)', (spacing) => {
    const { s, out } = session(meshPreset(2, 2), { text: PULL }, spacing);
    const fresh = session(meshPreset(2, 2), { text: PULL });
    for (const x of [s, fresh.s]) {
      x.select(1); // (1,0) pulls with its DMA engine, loads from (0,0), stores into it and posts it
      expect(x.stepi(12n).kind).toBe('step');
    }
    const then = state(fresh.s);
    expect(s.stepi(25n).kind).toBe('step');
    const later = state(s);
    expect(s.reverseStepi(25n).kind).toBe('step');
    expect(state(s)).toEqual(then);
    expect(s.stepi(25n).kind).toBe('step');
    expect(state(s)).toEqual(later);
    // back over several calls, one instruction at a time too
    for (let k = 0; k < 5; k++) expect(s.reverseStepi().kind).toBe('step');
    expect(s.reverseStepi(20n).kind).toBe('step');
    expect(state(s)).toEqual(then);
    // and on to the end as the plain run goes
    expect(s.continue()).toEqual({ kind: 'exit', code: 56 });
    expect(fresh.s.continue()).toEqual({ kind: 'exit', code: 56 });
    expect(state(s)).toEqual(state(fresh.s));
    expect(out()).toBe(fresh.out());
  });

  it.each([0, Infinity])('reverse-continue lands on the previous breakpoint hit, on whichever core it was, with the state it had (checkpoint spacing %s)', (spacing) => {
    const { s, out } = session(meshPreset(4, 4), { file: 'allreduce.dasm' }, spacing);
    s.addBreakpoint(sym(s, 'ring_send'), 'ring_send');
    const hits: ReturnType<typeof state>[] = [];
    for (let k = 0; k < 6; k++) {
      expect(s.continue()).toMatchObject({ kind: 'breakpoint' });
      hits.push(state(s));
      if (k === 3) s.stepi(7n); // (steps in between too)
    }
    expect(new Set(hits.map((h) => h.focus)).size).toBeGreaterThan(1);
    for (let k = 4; k >= 0; k--) {
      expect(s.reverseContinue()).toMatchObject({ kind: 'breakpoint', bp: { where: 'ring_send' } });
      expect(state(s)).toEqual(hits[k]);
    }
    expect(s.reverseContinue()).toMatchObject({ kind: 'fault', message: expect.stringContaining('back at the start') });
    expect(s.machine!.instructions).toBe(0n);
    // forward again: the same hits, and on to the end
    for (let k = 0; k < 6; k++) {
      expect(s.continue()).toMatchObject({ kind: 'breakpoint' });
      expect(state(s)).toEqual(hits[k]);
    }
    s.deleteBreakpoint(s.breakpoints[0]!);
    expect(s.continue()).toEqual({ kind: 'exit', code: 0 });
    expect(out()).toMatch(/^checksum \d+\n$/);
  });

  it('reverse-continue finds a watchpoint hit backwards: a remote store from another core', () => {
    const { s } = session(meshPreset(2, 2), { text: PULL }, 0);
    s.addWatchpoint('watch', sym(s, 'ack'), 8, 'ack', { core: 0 });
    const hit = s.continue();
    expect(hit).toMatchObject({ kind: 'watchpoint', old: 0n, value: 256n, core: 0 });
    const then = state(s);
    expect(s.continue()).toEqual({ kind: 'exit', code: 56 });
    expect(s.reverseContinue()).toMatchObject({ kind: 'watchpoint', old: 0n, value: 256n, core: 0 });
    expect(state(s)).toEqual(then);
  });

  it('reverse-continue finds the last hit of a breakpoint set after the run, on the core it names', () => {
    const { s, out } = session(meshPreset(4, 4), { file: 'allreduce.dasm' });
    expect(s.continue()).toEqual({ kind: 'exit', code: 0 });
    const printed = out();
    expect(printed).toMatch(/^checksum \d+\n$/);
    const g = 2 * 4 + 1; // core (1,2)
    s.addBreakpoint(sym(s, 'ring_send'), 'ring_send', false, g);
    expect(s.reverseContinue()).toMatchObject({ kind: 'breakpoint' });
    expect(out()).toBe(printed); // (the replays wrote nothing)
    expect(s.focus).toBe(g);
    expect(s.core.pc).toBe(sym(s, 'ring_send'));
    // the core is as a run that stops at each of its 30 hits has it at the last
    const fresh = session(meshPreset(4, 4), { file: 'allreduce.dasm' }).s;
    fresh.addBreakpoint(sym(fresh, 'ring_send'), 'ring_send', false, g);
    for (let k = 0; k < 30; k++) expect(fresh.continue()).toMatchObject({ kind: 'breakpoint' });
    expect(state(s).cores[g]).toEqual(state(fresh).cores[g]);
    // and forward: no hit after it; the run writes its output again
    expect(s.continue()).toEqual({ kind: 'exit', code: 0 });
    expect(out()).toBe(printed + printed);
  });

  it('after a run stepped at random, breakpoints set since are found backwards at every hit a run with them has', () => {
    const rnd = random(5);
    const { s } = session(meshPreset(3, 3), { file: 'allreduce.dasm' }, 1);
    while (s.state !== 'exited') {
      if (rnd(2) === 0) s.select(rnd(9));
      s.stepi(BigInt(1 + rnd(300)));
    }
    const bps = [{ at: sym(s, 'ring_send'), core: 4 }, { at: sym(s, 'ring_finish') }];
    for (const b of bps) s.addBreakpoint(b.at, 'b', false, b.core);
    const where = (x: Session) => `${x.focus}@${x.core.instret}:${x.core.pc}`;
    const back: string[] = [];
    while (s.reverseContinue().kind === 'breakpoint') back.push(where(s));
    const fresh = session(meshPreset(3, 3), { file: 'allreduce.dasm' }).s;
    for (const b of bps) fresh.addBreakpoint(b.at, 'b', false, b.core);
    const hits: string[] = [];
    while (fresh.continue().kind === 'breakpoint') hits.push(where(fresh));
    expect(hits).toHaveLength(2 * 8 + 9);
    expect(back.sort()).toEqual(hits.sort());
  });

  it('random steps on random cores, continues to breakpoints and watchpoints: going back gives every state passed', () => {
    const rnd = random(3);
    const { s } = session(meshPreset(2, 2), { text: PULL }, 1);
    s.addBreakpoint(sym(s, 'owner'), 'owner');
    s.addBreakpoint(sym(s, 'puller') + 4n, 'puller+4');
    s.addBreakpoint(sym(s, 'out'), 'out');
    s.addWatchpoint('watch', 1n, 4, 'semaphore 1', { sem: true, core: 0 });
    s.addWatchpoint('watch', sym(s, 'ack'), 8, 'ack', { core: 0 });
    const hits: ReturnType<typeof state>[] = [];
    for (let stop: Stop = { kind: 'step' }; stop.kind !== 'exit'; ) {
      if (rnd(3) === 0) s.select(rnd(4));
      const n = BigInt(1 + rnd(40));
      stop = rnd(4) === 0 ? s.continue() : s.stepi(n);
      if (stop.kind === 'breakpoint' || stop.kind === 'watchpoint') hits.push(state(s));
    }
    expect(hits.length).toBeGreaterThan(5);
    for (const then of hits.reverse()) {
      expect(['breakpoint', 'watchpoint']).toContain(s.reverseContinue().kind);
      expect(state(s)).toEqual(then);
    }
    expect(s.reverseContinue()).toMatchObject({ kind: 'fault', message: expect.stringContaining('back at the start') });
    // without them, forward again and back step by step
    for (const b of [...s.breakpoints]) s.deleteBreakpoint(b);
    for (const w of [...s.watchpoints]) s.deleteWatchpoint(w);
    const steps: { core: number; from: bigint; before: ReturnType<typeof state> }[] = [];
    while (s.state !== 'exited' && steps.length < 16) {
      s.select(rnd(4));
      const before = state(s);
      const from = s.core.instret;
      s.stepi(BigInt(1 + rnd(40)));
      if (s.core.instret > from) steps.push({ core: s.focus, from, before });
    }
    // (a core runs in other cores' steps too: back as many of its instructions as it ran since)
    for (const { core, from, before } of steps.reverse()) {
      s.select(core);
      expect(s.reverseStepi(s.core.instret - from).kind).toBe('step');
      expect(state(s)).toEqual(before);
    }
  });

  it('reverse-stepi goes back through the windows another core ran the selected one in', () => {
    const { s } = session(meshPreset(2, 2), { text: PULL });
    s.stepi(5n);
    s.select(1);
    s.stepi(120n); // (0,0) runs the windows (1,0) reaches the end of
    s.select(0);
    const now = s.core.instret;
    expect(now).toBeGreaterThan(20n);
    expect(s.reverseStepi(3n).kind).toBe('step');
    expect(s.core.instret).toBe(now - 3n);
    // where (0,0) is after as many instructions of its own, stepping it alone
    const alone = session(meshPreset(2, 2), { text: PULL }).s;
    alone.stepi(now - 3n);
    expect(s.core.pc).toBe(alone.core.pc);
    expect(s.core.getReg(5)).toBe(alone.core.getReg(5));
    expect(s.reverseStepi(now - 3n).kind).toBe('step');
    expect(s.core.instret).toBe(0n);
    expect(s.reverseStepi().kind).toBe('fault'); // already at the start
  });

  it('reverse-step goes back to the beginning of the previous source line', () => {
    const { s } = session(meshPreset(2, 2), { text: PULL });
    const fresh = session(meshPreset(2, 2), { text: PULL }).s;
    for (const x of [s, fresh]) {
      x.select(1);
      for (let k = 0; k < 8; k++) x.stepLine(false);
    }
    const line = s.line()!.line;
    s.stepLine(false);
    expect(s.reverseStep().kind).toBe('step');
    expect(s.line()!.line).toBe(line);
    expect(state(s)).toEqual(state(fresh));
  });

  it('d1 debug --mesh: reverse-stepi and reverse-continue from the command line', () => {
    const dir = tempDir('d1-reverse-mesh-');
    const prog = join(dir, 'pull.dasm');
    writeFileSync(prog, PULL);
    const script = join(dir, 'cmds');
    writeFileSync(script, ['reverse-stepi', 'break puller', 'run', 'stepi 6', 'info registers pc', 'reverse-stepi 6', 'info registers pc', 'continue', 'reverse-continue', 'core', 'reverse-continue', 'info registers pc', ''].join('\n'));
    const r = d1(['debug', '--mesh', '2x2', '--batch', '-x', script, prog]);
    expect(r.stdout).toMatch(/^Program stopped: already at the start of the program/m);
    // (1,0) at puller, 6 instructions on, back at puller; after the end, back at puller on (1,0); the start
    expect([...r.stdout.matchAll(/^pc +0x0*([0-9a-f]+)/gm)].map((m) => m[1])).toEqual(['1098', '1080', '1000']);
    expect(r.stdout.match(/^Breakpoint 1, 0x1080 <puller>/gm)).toHaveLength(2);
    expect(r.stdout).toContain('[program exited with code 56]');
    expect(r.stdout).toContain('[Current core is (1,0)]');
    expect(r.stdout).toContain('no breakpoint was hit before: back at the start of the program');
  });
});
