// `d1 objdump`: disassemble a program (ELF, or .dasm assembled first) like GNU objdump -d.
import { basename } from 'node:path';
import type { Command } from 'commander';
import { listing } from '../../objdump/objdump.js';
import { loadProgram, sourceLine } from '../load.js';

export function register(program: Command): void {
  program
    .command('objdump')
    .description('disassemble the executable sections of a program, GNU objdump style')
    .argument('<program>', 'an ELF executable, or a .dasm source (assembled first)')
    .option('-d, --disassemble', 'disassemble the executable sections (the default)')
    .option('-S, --source', 'intermix source lines (from the DWARF line table)')
    .option('-M, --disassembler-options <opts>', 'no-aliases: print base instructions, never pseudo-instructions')
    .action((file: string, opts: { source?: boolean; disassemblerOptions?: string }) => {
      const options = (opts.disassemblerOptions ?? '').split(',').filter((o) => o !== '');
      const unknown = options.filter((o) => o !== 'no-aliases');
      if (unknown.length > 0) {
        process.stderr.write(`d1 objdump: unknown disassembler option '${unknown[0]}' (known: no-aliases)\n`);
        process.exit(2);
      }
      const image = loadProgram([file]);
      if (!image) process.exit(1);
      process.stdout.write(listing(image, basename(file), { aliases: !options.includes('no-aliases'), source: !!opts.source, sourceLine }));
    });
}
