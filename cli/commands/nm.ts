// `d1 nm`: list a program's symbols (an ELF, or a .dasm assembled first), as GNU nm does.
import type { Command } from 'commander';
import { loadProgram } from '../load.js';
import { symbolLines } from '../../objdump/nm.js';

export function register(program: Command): void {
  program
    .command('nm')
    .description("list a program's symbols, GNU nm style: address, kind (T text, R read-only data, D data, B bss, A absolute; lower case when local), name")
    .argument('<program>', 'an ELF executable, or a .dasm source (assembled first)')
    .option('-n, --numeric-sort', 'sort by address, not by name')
    .action((file: string, opts: { numericSort?: boolean }) => {
      const image = loadProgram([file]);
      if (!image) process.exit(1);
      const lines = symbolLines(image, !!opts.numericSort);
      if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
    });
}
