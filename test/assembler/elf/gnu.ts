// GNU tools for the ELF tests: building a C program of programs/c with gcc, reading GNU objdump's
// decoded line table (`objdump --dwarf=decodedline`) for comparison with ours, and looking an address up
// in a line table.
import { join } from 'node:path';
import type { LineEntry } from '../../../assembler/image.js';
import { PROGRAMS, sh, tempDir } from '../../helpers/tools.js';

/** A static freestanding RV64IM executable of programs/c/<source>, with the given -g option. */
export function gccBuild(source: string, debug: string): string {
  const file = join(tempDir('d1-elf-gcc-'), `${source}${debug}.elf`);
  const r = sh('riscv64-unknown-elf-gcc', ['-O2', debug, '-march=rv64im', '-mabi=lp64', '-nostdlib', '-static', '-ffreestanding', '-o', file, join(PROGRAMS, 'c', source)]);
  if (r.status !== 0) throw new Error(r.stderr);
  return file;
}

/** `file line address` of each row (end-of-sequence rows, printed with `-` for a line, aside). */
export function decodedRows(text: string): string[] {
  const rows: string[] = [];
  for (const l of text.split('\n')) {
    const m = /^(.+?)\s+(\d+)\s+(0x[0-9a-f]+)(\s|$)/.exec(l);
    if (m) rows.push(`${m[1]} ${m[2]} ${m[3]}`);
  }
  return rows;
}

/** `file:line` of the line-table row that covers addr (the last one at or below it), '-' for none. */
export function lineAt(lines: LineEntry[], addr: bigint): string {
  let best: LineEntry | undefined;
  for (const l of lines) if (l.addr <= addr && (!best || l.addr >= best.addr)) best = l;
  return best ? `${best.file}:${best.line}` : '-';
}
