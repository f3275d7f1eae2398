// The assembler's API: .dasm sources in, a linked Image (or located diagnostics) out.
// Passes: expand (macros, repetition, conditionals, includes) -> layout (per file) -> link.
import { isAscii } from 'node:buffer';
import { D1_CORE } from '../emulator/presets.js';
import { diag, type Diagnostic } from './diagnostics.js';
import { evaluate, ExprError, type Expr } from './expr.js';
import { Expander } from './expand.js';
import type { Image } from './image.js';
import { startLayout, type FileLayout } from './layout.js';
import { link } from './link.js';
import { readSource, sourceProblem } from './source-file.js';

export interface AssembleOptions {
  /** Address of .text (default: the preset's link base, 0x1000). */
  textBase?: number;
  /** How to read a file; default reads from disk. Returns undefined when it cannot be read. */
  readFile?: (path: string) => string | undefined;
}

/** A source file's text, or undefined when it cannot be read (sourceProblem says why). UTF-8, as
 * TextDecoder reads it (a leading byte order mark dropped, a bad sequence U+FFFD), by Node's own decoder;
 * ASCII (most sources), whose UTF-8 is its Latin-1, is copied as it is: decoding takes tens of
 * milliseconds over a large file, the copy well under one. */
export function readTextFile(path: string): string | undefined {
  const r = readSource(path);
  if (!(r instanceof Uint8Array)) return undefined;
  const bytes = Buffer.from(r.buffer, r.byteOffset, r.byteLength);
  if (isAscii(bytes)) return bytes.toString('latin1');
  const bom = r[0] === 0xef && r[1] === 0xbb && r[2] === 0xbf ? 3 : 0;
  return bytes.toString('utf8', bom);
}

export function assemble(files: { path: string; text?: string }[], opts: AssembleOptions = {}): { image?: Image; diagnostics: Diagnostic[] } {
  const readFile = opts.readFile ?? readTextFile;
  const diagnostics: Diagnostic[] = [];
  const layouts: FileLayout[] = [];
  try {
    for (const f of files) {
      const text = f.text ?? readFile(f.path);
      if (text === undefined) {
        const why = sourceProblem(f.path);
        diagnostics.push(diag('unreadable', `cannot read '${f.path}'${why ? `: ${why}` : ''}`, { file: f.path }));
        continue;
      }
      const layoutDiagnostics: Diagnostic[] = [];
      const constant = (e: Expr): bigint => x.absolute(e, f.path);
      const layout = startLayout(f.path, { constant, maxSize: D1_CORE.sramBytes }, layoutDiagnostics);
      const x: Expander = new Expander({ readFile, emit: (p) => layout.add(p), inert: layout.inert, position: (n, line) => layout.position(n, line) });
      x.file(f.path, text);
      diagnostics.push(...x.diagnostics, ...layoutDiagnostics);
      // an expansion that stopped early left the file's layout unfinished, a section past the SRAM left
      // it without addresses: nothing to link
      if (x.stopped) return { diagnostics };
      const done = layout.finish();
      if (done.overflow) return { diagnostics };
      layouts.push(done);
    }
    // Link even after errors, so that errors found only when encoding (ranges, undefined symbols) are
    // reported in the same run; the image is only returned when there were none.
    const earlier = diagnostics.some((d) => d.severity === 'error');
    const r = link(layouts, { textBase: opts.textBase ?? D1_CORE.textBase, memoryEnd: D1_CORE.sramBase + D1_CORE.sramBytes });
    const all = [...diagnostics, ...r.diagnostics];
    return earlier ? { diagnostics: all } : { image: r.image, diagnostics: all };
  } catch (e) {
    if (e instanceof ExprError) return { diagnostics: [...diagnostics, diag(e.code, e.message, e.loc)] };
    const msg = e instanceof Error ? e.message : String(e);
    return { diagnostics: [...diagnostics, diag('internal', `internal assembler error: ${msg} (please report this)`, { file: files[0]?.path ?? '' })] };
  }
}

export { evaluate };
