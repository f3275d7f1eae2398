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

export function diag(
  code: string,
  message: string,
  where: { file: string; line?: number; column?: number; span?: number },
  severity: Severity = 'error',
): Diagnostic {
  return {
    severity,
    code,
    file: where.file,
    line: where.line ?? 0,
    column: where.column ?? 0,
    span: where.span ?? 1,
    message,
  };
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
