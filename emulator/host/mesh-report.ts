// What a mesh run says when it did not end with every core exiting (faults with core and source line,
// deadlocks with what each core waits for), and its exit code: for `d1 run` and the web playground.
import type { Image } from '../../assembler/image.js';
import type { Machine, MeshOutcome } from './mesh.js';
import { placeLines, semaphoreWait, stopReport, threadPc } from './report.js';
import { EXIT } from './run.js';

type Source = (file: string, line: number) => string | undefined;

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** What the machine says when the run did not end with every core exiting. */
export function meshReport(m: Machine, imageOf: (core: number) => Image, o: MeshOutcome, source: Source): string {
  switch (o.kind) {
    case 'stop': {
      const { core } = m.cores.get(o.core)!;
      return stopReport(core, imageOf(o.core), o.stop, source, `core ${m.name(o.core)}`);
    }
    case 'hostcall': {
      const { core } = m.cores.get(o.core)!;
      return stopReport(core, imageOf(o.core), { kind: 'hostcall', number: o.number, pc: o.pc }, source, `core ${m.name(o.core)}`);
    }
    case 'engine': {
      const { core } = m.cores.get(o.core)!;
      return [`d1: fault on core ${m.name(o.core)}: ${o.engine} engine: ${o.why} (descriptor at ${hex(o.desc)})`, '  started by', ...placeLines(core, imageOf(o.core), o.pc, source).map((l) => `  ${l}`)].join('\n');
    }
    case 'barrier':
      return `d1: barrier misuse: ${o.why}\n${waiting(m, imageOf, source)}`;
    case 'deadlock':
      return `d1: deadlock: every core that has not exited waits, and nothing is in flight to wake one\n${waiting(m, imageOf, source)}`;
    case 'limit':
      return `d1: stopped: cycle limit reached (--max-cycles) at cycle ${m.cycles}`;
    case 'interrupted':
      return 'd1: stopped: interrupted (Ctrl-C)';
    case 'exit':
      return '';
  }
}

/** Each waiting thread: where, and what for. */
function waiting(m: Machine, imageOf: (core: number) => Image, source: Source): string {
  const out: string[] = [];
  const barriers = m.barrierWaits();
  for (const [g, { part, slot, core }] of [...m.cores].sort(([a], [b]) => a - b)) {
    if (m.halted(part, slot)) continue;
    for (const t of core.threads()) {
      if (t.state !== 'waiting') continue;
      let what = '';
      if (t.waitKind === 'semaphore') what = semaphoreWait(core, t);
      else if (t.waitKind === 'barrier') {
        const arrived = barriers.get(t.waitArg!) ?? [];
        what = `barrier of group ${m.groupName(t.waitArg!)} (${arrived.length} arrived)`;
      } else if (t.waitKind === 'remote') what = `a remote load from core ${m.name(t.waitFor!)}`;
      else what = `thread ${t.waitFor} (tjoin)`;
      out.push(`  core ${m.name(g)} thread ${t.thread} waits for ${what}`);
      out.push(...placeLines(core, imageOf(g), threadPc(t), source).map((l) => `  ${l}`));
    }
  }
  return out.join('\n');
}

/** The exit code of `d1 run` for a mesh run's outcome (docs/machine.md "Exit codes"). */
export function meshExitCode(o: MeshOutcome): number {
  return o.kind === 'exit' ? o.code : o.kind === 'limit' ? EXIT.LIMIT : o.kind === 'interrupted' ? EXIT.INTERRUPTED : EXIT.FAULT;
}
