// `d1 as`: assemble and link .dasm files into one ELF executable (docs/dasm.md).
import { chmodSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { assemble } from '../../assembler/index.js';
import { writeElf } from '../../assembler/elf/write.js';
import { printDiagnostics } from '../load.js';

export function register(program: Command): void {
  program
    .command('as')
    .description('assemble and link .dasm files into an ELF64 RISC-V executable')
    .argument('<files...>', 'source files, linked in the order given')
    .option('-o, --output <file>', 'output file', 'a.out')
    .option('--text-base <addr>', 'address of .text (default 0x1000)')
    .action((files: string[], opts: { output: string; textBase?: string }) => {
      let textBase: number | undefined;
      if (opts.textBase !== undefined) {
        textBase = Number(opts.textBase);
        if (!Number.isInteger(textBase) || textBase < 0 || textBase % 4 !== 0) {
          process.stderr.write(`d1 as: --text-base must be a word-aligned address, got '${opts.textBase}'\n`);
          process.exit(2);
        }
      }
      const { image, diagnostics } = assemble(files.map((path) => ({ path })), textBase !== undefined ? { textBase } : {});
      printDiagnostics(diagnostics);
      if (!image) process.exit(1);
      try {
        // Executable, like a linker's output (qemu-user, for one, refuses to run a file without x).
        writeFileSync(opts.output, writeElf(image), { mode: 0o755 });
        chmodSync(opts.output, 0o755);
      } catch (e) {
        process.stderr.write(`d1 as: cannot write '${opts.output}': ${(e as Error).message}\n`);
        process.exit(1);
      }
    });
}
