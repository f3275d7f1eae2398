// `d1 run`: run a program (ELF, or .dasm assembled on the fly) on one emulated D1 core. The process
// exits with the program's exit code, or with the codes of docs/machine.md when it faults, reaches
// --max-instructions or is interrupted. Statistics go to stderr (text) or stdout (--json).
import type { Command } from 'commander';
import { jitDefault } from '../../emulator/host/core.js';
import { stopReport } from '../../emulator/host/report.js';
import { EXIT, runLoaded } from '../../emulator/host/run.js';
import { coreStats, formatStats, runJson } from '../../emulator/host/stats.js';
import { loadProgram, printDiagnostics, sourceLine } from '../load.js';
import { OptionError, presetOrExit, runMesh, type MeshFlags } from './run-mesh.js';
import { oneCore, TRACE_LIMIT } from '../../emulator/host/mesh.js';
import { RACE_REPORTS } from '../../emulator/host/races.js';

interface RunFlags extends MeshFlags {
  gdb?: string;
  maxInstructions?: string;
  stats?: boolean;
  json?: boolean;
}

const collect = (v: string, all: string[]) => [...all, v];

export function register(program: Command): void {
  program
    .command('run')
    .description('run a program on one emulated D1 core, or on every core of a mesh, a die or a tile')
    .argument('<program>', 'an ELF executable, or a .dasm source (assembled first)')
    .option('--max-instructions <n>', 'stop after N instructions (exit code 137)')
    .option('--gdb <[host:]port>', 'wait for gdb (gdb-multiarch: target remote host:port) and run under its control; host defaults to 127.0.0.1, port 0 picks a free one')
    .option('--stats', 'print where the time went to stderr: cycles, instructions per thread, SIMD and matrix utilisation, SRAM bytes, stalls by cause')
    .option('--json', 'print the statistics as one JSON object on stdout, after the program output')
    .option('--mesh <WxH>', 'run on a W x H mesh of cores (one program on every core; CSRs corex/corey tell them apart)')
    .option('--die', 'run on a D1 die: 18 x 20 cores, 354 enabled')
    .option('--tile', 'run on a training tile: 5 x 5 D1 dies, 8,850 cores')
    .option('--disable <list>', "the disabled (spare) cores, 'x,y;x,y;...' or 'none' (default: the machine's, docs/machine.md)")
    .option('--max-cycles <n>', 'stop a mesh run at cycle N (exit code 137)')
    .option('--load <spec>', 'before the run, CORE:ADDR=FILE copies a file into a core\'s SRAM (CORE is x,y or *; repeatable)', collect, [])
    .option('--dump <spec>', 'after the run, CORE:ADDR:LEN=FILE writes SRAM bytes of a core to a file (repeatable)', collect, [])
    .option('--heatmap <file.svg>', 'draw the mesh: cores by how busy they were, links by utilisation')
    .option('--on <rect=program>', 'run another program on a rectangle of cores: X0,Y0-X1,Y1=PROG (repeatable; the main program runs everywhere else)', collect, [])
    .option('--workers <n>', 'worker threads: a machine of several dies (--tile) runs one instance per die on them; one die (from 64 cores) runs its speculative windows on two lanes when n >= 2; the same results for any n (default: one a CPU, at most 8; 1 runs all in this thread)')
    .option('--no-timing', 'run without the cycle model (the functional build, faster): every instruction counts one cycle, no stalls')
    .option('--no-jit', 'interpret every instruction: no compiled blocks (the same results, slower; for comparison)')
    .option('--trace <file.json>', 'write a Chrome/Perfetto trace: per core its threads (waits, regions), its engines\' work and the messages delivered to it, each with a flow from its sender; its semaphores and links\' load as counters')
    .option('--trace-limit <records>', `the most records --trace keeps (default ${TRACE_LIMIT.toLocaleString('en')}); the trace says how many more it left out`)
    .option('--check-races', `report data races between cores and engines: accesses to the same SRAM bytes not ordered by semaphores, barriers, joins or the end of a transfer (at most ${RACE_REPORTS}, one per pair of source lines; --json has them too); exit code ${EXIT.RACES} when there are any. On one core: its engines against it`)
    .addHelpText('after', `\nExit codes: the program's own, 1 bad input, ${EXIT.RACES} data races found (--check-races; instead of the program's), 130 interrupted, 134 fault, 137 instruction limit.`)
    .action(async (file: string, opts: RunFlags) => {
      let limit: bigint | undefined;
      if (opts.maxInstructions !== undefined) {
        if (!/^[0-9]+$/.test(opts.maxInstructions)) {
          process.stderr.write(`d1 run: --max-instructions takes a whole number, got '${opts.maxInstructions}'\n`);
          process.exit(2);
        }
        limit = BigInt(opts.maxInstructions);
      }
      const preset = presetOrExit('run', opts);
      const image = loadProgram([file]);
      if (!image) process.exit(EXIT.BAD_INPUT);
      if (opts.gdb !== undefined) {
        if (opts.checkRaces) {
          process.stderr.write('d1 run: --check-races does not work with --gdb\n');
          process.exit(2);
        }
        const m = /^(?:(.*):)?(\d+)$/.exec(opts.gdb);
        if (!m || Number(m[2]) > 65535) {
          process.stderr.write(`d1 run: --gdb takes [host:]port, got '${opts.gdb}'\n`);
          process.exit(2);
        }
        // Loaded only here: plain runs start faster without the debugger's modules.
        const { Session } = await import('../../debugger/session.js');
        const { serveGdb } = await import('../../debugger/gdb/stub.js');
        const session = new Session(image, { stdout: process.stdout, stderr: process.stderr }, limit, preset);
        try {
          await serveGdb(session, m[1] || '127.0.0.1', Number(m[2]), (s) => process.stderr.write(`${s}\n`));
        } catch (e) {
          process.stderr.write(`d1 run: cannot listen for gdb on ${opts.gdb}: ${(e as Error).message}\n`);
          process.exit(EXIT.BAD_INPUT);
        }
        process.exitCode = session.state === 'exited' ? session.exitCode : 0;
        return;
      }
      if (preset) {
        try {
          process.exitCode = await runMesh(preset, image, file, opts);
        } catch (e) {
          if (!(e instanceof OptionError)) throw e;
          process.stderr.write(`d1 run: ${e.message}\n`);
          process.exitCode = 2;
        }
        return;
      }
      const machine = oneCore({ timing: opts.timing !== false, jit: opts.jit !== false && jitDefault() });
      const errors = machine.load(image, file);
      if (errors.length > 0) {
        printDiagnostics(errors);
        process.exit(EXIT.BAD_INPUT);
      }
      let interrupted = false;
      const onSigint = () => {
        if (interrupted) process.exit(EXIT.INTERRUPTED);
        interrupted = true;
      };
      process.on('SIGINT', onSigint);
      const r = await runLoaded(machine, {
        ...(limit !== undefined ? { maxInstructions: limit } : {}),
        stdout: process.stdout,
        stderr: process.stderr,
        interrupted: () => interrupted,
      });
      process.off('SIGINT', onSigint);
      const core = r.core;
      if (r.outcome.kind !== 'exit') process.stderr.write(`${stopReport(core, image, r.outcome, sourceLine)}\n`);
      if (opts.json) process.stdout.write(`${JSON.stringify(runJson(r))}\n`);
      else if (opts.stats) {
        const s = r.stats;
        process.stderr.write(`${formatStats(coreStats(core))}\nwall time    ${s.wallSeconds.toFixed(3)} s\nspeed        ${s.mips.toFixed(1)} MIPS\n`);
      }
      process.exitCode = r.exitCode;
    });
}
