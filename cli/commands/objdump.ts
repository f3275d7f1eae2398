// `d1 objdump`: disassemble a program (an ELF, or a .dasm assembled first) like GNU objdump -d.
import type { Command } from 'commander';
import { loadProgram, sourceLine } from '../load.js';

const KNOWN = ['no-aliases'];

export function register(program: Command): void {
  program
    .command('objdump')
    .description('disassemble the executable sections of a program, GNU objdump style')
    .argument('<program>', 'an ELF executable, or a .dasm source (assembled first)')
    .option('-d, --disassemble', 'disassemble the executable sections (the default)')
    .option('-S, --source', 'intermix source lines (from the DWARF line table)')
    .option('-M, --disassembler-options <opts>', 'no-aliases: print base instructions, never pseudo-instructions')
    .option('--json', 'print the instructions as JSON (address, word, mnemonic, operands, symbol, file, line)')
    .action(async (file: string, opts: { source?: boolean; disassemblerOptions?: string; json?: boolean }) => {
      const options = (opts.disassemblerOptions ?? '').split(',').filter((o) => o !== '');
      const unknown = options.find((o) => !KNOWN.includes(o));
      if (unknown !== undefined) {
        process.stderr.write(`d1 objdump: unknown disassembler option '${unknown}' (known: ${KNOWN.join(', ')})\n`);
        process.exit(1);
      }
      const image = loadProgram([file]);
      if (!image) process.exit(1);
      const aliases = !options.includes('no-aliases');
      const { disassembly, listing } = await import('../../objdump/objdump.js'); // not loaded by the other commands
      if (opts.json) process.stdout.write(`${JSON.stringify({ file, sections: disassembly(image, aliases) }, null, 2)}\n`);
      else process.stdout.write(listing(image, file, { aliases, source: !!opts.source, sourceLine }));
    });
}
