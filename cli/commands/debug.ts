// `d1 debug`: the step debugger (docs/debugger.md).
import type { Command } from 'commander';
import { loadProgram, sourceLine } from '../load.js';

export function register(program: Command): void {
  program
    .command('debug')
    .description('debug a program on one emulated D1 core, gdb style')
    .argument('<program>', 'an ELF executable, or a .dasm source (assembled first)')
    .option('-x, --command <file>', 'run debugger commands from a file first')
    .option('--batch', 'exit after the -x commands instead of prompting')
    .option('--tui', 'full-screen: source, registers, a vector register, the core map and the console')
    .action(async (file: string, opts: { command?: string; batch?: boolean; tui?: boolean }) => {
      const image = loadProgram([file]);
      if (!image) process.exit(1);
      const { debugMain } = await import('../../debugger/repl.js'); // not loaded by the other commands
      process.exitCode = await debugMain(image, { ...(opts.command !== undefined ? { script: opts.command } : {}), batch: !!opts.batch, tui: !!opts.tui, source: sourceLine });
    });
}
