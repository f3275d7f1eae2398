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

const lines = new Map<string, string[] | undefined>();
export function sourceLine(file: string, line: number): string | undefined {
  if (!lines.has(file)) lines.set(file, sourceText(file)?.split(/\r?\n/));
  return lines.get(file)?.[line - 1];
}

/** Diagnostics shown at most (D1_MAX_ERRORS, default 50); the rest are counted. */
function maxShown(): number {
  const n = Number(process.env.D1_MAX_ERRORS ?? 50);
  return Number.isSafeInteger(n) && n >= 0 ? n : 50;
}

export function printDiagnostics(ds: Diagnostic[]): void {
  const shown = ds.slice(0, maxShown());
  for (const d of shown) process.stderr.write(`${formatDiagnostic(d, sourceText)}\n`);
  const rest = ds.slice(shown.length);
  if (rest.length > 0) {
    const errors = rest.filter((d) => d.severity === 'error').length;
    const kinds = [errors > 0 ? `${errors} more error${errors > 1 ? 's' : ''}` : '', rest.length - errors > 0 ? `${rest.length - errors} more warning${rest.length - errors > 1 ? 's' : ''}` : ''].filter(Boolean).join(' and ');
    process.stderr.write(`... and ${kinds} (--max-errors N shows up to N)\n`);
  }
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
