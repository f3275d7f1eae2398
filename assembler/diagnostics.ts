// One diagnostic type for lexing, parsing, semantics, linking and loading; errors are values until the
// CLI prints them (`file:line:col: error: message`, the source line, a caret under the span).

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  severity: Severity;
  /** Short stable code, e.g. 'unknown-mnemonic', 'imm-range', 'elf-machine'. */
  code: string;
  file: string;
  /** 1-based; 0 when the diagnostic is about a whole file. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Number of characters to underline (at least 1). */
  span: number;
  message: string;
  notes?: string[];
}

/** A macro expansion, a repetition's iteration or an include in progress: what made a line, and the one
 * it is in (docs/dasm.md "Macros, repetition, conditionals, includes"). Diagnostics name the chain. */
export interface Expansion {
  /** `macro 'm'`, `.rept`, `.irp`, `.irpc` or `.include "x.dasm"`. */
  what: string;
  /** Where it was invoked: the line of the macro call, the .rept/.irp/.irpc line, the .include. */
  file: string;
  line: number;
  /** For repetitions: which one (from 1), and the value of the symbol (.irp, .irpc). */
  iteration?: number;
  symbol?: string;
  value?: string;
  parent: Expansion | undefined;
  /** The body it substituted into (macros, .irp, .irpc): its texts, their lines in `file`, and what it
   * replaced by what, so a column of a line it made can be found in the body's own text. */
  body?: { file: string; texts: string[]; lines: number[]; re: RegExp; value: (match: string, name: string) => string };
}

/** The column in the text of the body of a column in a line expansion x made (an argument substituted
 * before it moves it), through the enclosing expansions whose bodies the line is also in. `end`: the
 * column is the last one of a span (inside a substituted value it becomes the end of the `\name`). */
function bodyColumn(x: Expansion, file: string, line: number, column: number, end: boolean): number {
  for (let e: Expansion | undefined = x; e; e = e.parent) {
    if (!e.body) continue;
    const k = e.body.file === file ? e.body.lines.indexOf(line) : -1;
    if (k < 0) break;
    const text = e.body.texts[k]!;
    const target = column - 1;
    let o = 0; // position in the body's text
    let n = 0; // the same position in the made text
    let inside = false;
    for (const m of text.matchAll(e.body.re)) {
      if (target < n + (m.index - o)) break;
      n += m.index - o;
      o = m.index;
      const v = e.body.value(m[0], m[1] ?? '');
      if (target < n + v.length) {
        column = o + 1 + (end ? m[0].length - 1 : 0);
        inside = true;
        break;
      }
      n += v.length;
      o += m[0].length;
    }
    if (!inside) column = o + (target - n) + 1;
  }
  return column;
}

/** One expansion in words: `macro 'm' invoked at x.dasm:12`, `.irp at x.dasm:4, iteration 3 (r = a2)`. */
export function describeExpansion(x: Expansion): string {
  if (x.iteration === undefined) return `${x.what} ${x.what.startsWith('macro') ? 'invoked ' : ''}at ${x.file}:${x.line}`;
  const v = x.value !== undefined && x.value.length > 20 ? `${x.value.slice(0, 20)}...` : x.value;
  return `${x.what} at ${x.file}:${x.line}, iteration ${x.iteration}${x.symbol !== undefined ? ` (${x.symbol} = ${v})` : ''}`;
}

/** The notes that say which expansions made a line, innermost first: at most the innermost three, how many
 * more, and the outermost. */
export function expansionNotes(x: Expansion | undefined): string[] {
  const chain: Expansion[] = [];
  for (let e = x; e; e = e.parent) chain.push(e);
  const notes = chain.map((e) => `in ${describeExpansion(e)}`);
  return notes.length > 5 ? [...notes.slice(0, 3), `... ${notes.length - 4} more ...`, notes[notes.length - 1]!] : notes;
}

export function diag(
  code: string,
  message: string,
  where: { file: string; line?: number; column?: number; span?: number; from?: Expansion },
  severity: Severity = 'error',
): Diagnostic {
  const d: Diagnostic = {
    severity,
    code,
    file: where.file,
    line: where.line ?? 0,
    column: where.column ?? 0,
    span: where.span ?? 1,
    message,
  };
  if (where.from) {
    d.notes = expansionNotes(where.from);
    if (d.line > 0 && d.column > 0) {
      // the column and span in the body line as written, not in the text the expansion made of it
      const last = bodyColumn(where.from, d.file, d.line, d.column + d.span - 1, true);
      d.column = bodyColumn(where.from, d.file, d.line, d.column, false);
      d.span = Math.max(1, last - d.column + 1);
    }
  }
  return d;
}

/** Longest source line shown under a diagnostic; longer lines are cut around the caret. */
const MAX_SHOWN = 160;

/**
 * Render like GNU tools: `file:line:col: error: message`, then the source line and a caret.
 * `source` returns the text of a file (or undefined when it cannot be read).
 */
/** A source's lines, split once for all the diagnostics of a file (not once each: a file of many errors). */
let split: { text: string; lines: string[] } | undefined;
function linesOf(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  if (split?.text !== text) split = { text, lines: text.split(/\r?\n/) };
  return split.lines;
}

export function formatDiagnostic(d: Diagnostic, source?: (file: string) => string | undefined): string {
  const loc = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  let out = `${loc}: ${d.severity}: ${d.message}`;
  const text = d.line > 0 ? linesOf(source?.(d.file))?.[d.line - 1] : undefined;
  if (text !== undefined) {
    let shown = text.replace(/\t/g, ' ');
    let col = Math.max(1, d.column);
    if (shown.length > MAX_SHOWN) {
      const start = Math.max(0, col - MAX_SHOWN / 2);
      shown = (start > 0 ? '...' : '') + shown.slice(start, start + MAX_SHOWN) + '...';
      col = col - start + (start > 0 ? 3 : 0);
    }
    shown = shown.replace(/[^\x20-\x7e]/g, '?');
    const width = Math.max(1, Math.min(d.span, shown.length - col + 1));
    out += `\n ${shown}\n ${' '.repeat(col - 1)}^${'~'.repeat(width - 1)}`;
  }
  for (const n of d.notes ?? []) out += `\n${loc}: note: ${n}`;
  return out;
}
