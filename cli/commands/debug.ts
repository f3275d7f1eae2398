// `d1 debug`: the step debugger (docs/debugger.md).
import type { Command } from 'commander';
import { loadProgram, sourceLine } from '../load.js';
import { presetOrExit, type MeshFlags } from './run-mesh.js';

export function register(program: Command): void {
  program
    .command('debug')
    .description('debug a program on one emulated D1 core, or on a mesh or a die, gdb style')
    .argument('<program>', 'an ELF executable, or a .dasm source (assembled first)')
    .option('-x, --command <file>', 'run debugger commands from a file first')
    .option('--batch', 'exit after the -x commands instead of prompting')
    .option('--tui', 'full-screen: source, registers, a vector register, the core map and the console')
    .option('--mesh <WxH>', 'debug on a W x H mesh of cores (every core runs the program; `core X,Y` picks one)')
    .option('--die', 'debug on a D1 die (18 x 20 cores, 354 enabled)')
    .option('--tile', 'debug on a training tile (5 x 5 dies, 8,850 cores; `core X,Y` reaches any of them)')
    .option('--disable <list>', "the disabled cores, 'x,y;x,y;...' or 'none'")
    .action(async (file: string, opts: { command?: string; batch?: boolean; tui?: boolean } & MeshFlags) => {
      const preset = presetOrExit('debug', opts);
      const image = loadProgram([file]);
      if (!image) process.exit(1);
      const { debugMain } = await import('../../debugger/repl.js'); // not loaded by the other commands
      process.exitCode = await debugMain(image, { ...(opts.command !== undefined ? { script: opts.command } : {}), batch: !!opts.batch, tui: !!opts.tui, source: sourceLine, ...(preset ? { preset } : {}) });
    });
}
