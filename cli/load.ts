// Reading a program for `d1 run`, `d1 objdump` and later `d1 debug`: a .dasm/.s file is assembled on
// the fly, anything else is read as an ELF. Diagnostics are printed here with the source line; the
// caller only sees an Image or undefined.
import { assemble, readTextFile } from '../assembler/index.js';
import { formatDiagnostic, type Diagnostic } from '../assembler/diagnostics.js';
import type { Image } from '../assembler/image.js';
import { readElf } from '../assembler/elf/read.js';
import { readSource } from '../assembler/source-file.js';

const ASSEMBLY = /\.(dasm|s|S|asm)$/;

/** Source text cache for messages and listings. */
const sources = new Map<string, string | undefined>();
export function sourceText(file: string): string | undefined {
  if (!sources.has(file)) sources.set(file, readTextFile(file));
  return sources.get(file);
}

export function sourceLine(file: string, line: number): string | undefined {
  return sourceText(file)?.split(/\r?\n/)[line - 1];
}

export function printDiagnostics(ds: Diagnostic[]): void {
  for (const d of ds) process.stderr.write(`${formatDiagnostic(d, sourceText)}\n`);
}

export function isAssembly(path: string): boolean {
  return ASSEMBLY.test(path);
}

/** Assemble or read a program; prints diagnostics; undefined on any error. */
export function loadProgram(paths: string[]): Image | undefined {
  if (paths.length === 1 && !isAssembly(paths[0]!)) {
    const path = paths[0]!;
    const bytes = readSource(path);
    if (!(bytes instanceof Uint8Array)) {
      process.stderr.write(`d1: cannot read '${path}': ${bytes.problem}\n`);
      return undefined;
    }
    const r = readElf(bytes, path);
    if ('diagnostics' in r) {
      printDiagnostics(r.diagnostics);
      return undefined;
    }
    printDiagnostics(r.warnings);
    return r.image;
  }
  const { image, diagnostics } = assemble(paths.map((path) => ({ path })));
  printDiagnostics(diagnostics);
  return image;
}
