// Source text to logical lines of tokens. A file is lexed once; its tokens are split at newlines and
// ';' into logical lines, each remembering its physical line and raw text (macro bodies are kept as
// text and lexed again when expanded, as GNU as does).
import type { IToken } from 'chevrotain';
import { diag, type Diagnostic, type Expansion } from './diagnostics.js';
import { lexer, NewLine } from './tokens.js';
import type { Statement } from './visitor.js';

export interface SourceLine {
  tokens: IToken[];
  /** Physical line number in its file (1-based). */
  line: number;
  /** The text of this logical line (from its first to its last token), for macro bodies. */
  text: string;
  /** The statement, when the fast path (assembler/fastline.ts) read the line without tokens. */
  fast?: Statement;
}

/** Most diagnostics reported for one file before giving up on it. */
export const MAX_ERRORS_PER_FILE = 100;

/** Lex a text of `file`; `lineOf` gives the line in the file of the text's line n (a macro body's lines
 * are lines of the file the macro is in), `from` the expansion that made the text. */
export function lexSource(file: string, text: string, lineOf: (n: number) => number = (n) => n, from?: Expansion): { lines: SourceLine[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const source = text.endsWith('\n') ? text : `${text}\n`;
  const result = lexer.tokenize(source);
  let lastLine = -1;
  for (const e of result.errors) {
    const line = lineOf(e.line ?? 0);
    if (line === lastLine || diagnostics.length >= MAX_ERRORS_PER_FILE) continue; // one lexer error per line is enough
    lastLine = line;
    const ch = text[e.offset] ?? '';
    const message =
      ch === '"' ? 'unterminated string' : ch === "'" ? 'bad character literal' : `unexpected character ${describeChar(ch)}`;
    diagnostics.push(diag(ch === '"' ? 'unterminated-string' : 'bad-char', message, { file, line, column: e.column ?? 1, span: ch === '"' ? e.length : 1, from }));
  }
  const badLines = new Set(diagnostics.map((d) => d.line));
  const lines: SourceLine[] = [];
  let current: IToken[] = [];
  for (const t of result.tokens) {
    if (t.tokenType === NewLine) {
      const line = t.startLine ?? 0;
      if (current.length > 0 && !badLines.has(lineOf(current[0]!.startLine ?? 0))) {
        const first = current[0]!;
        const last = current[current.length - 1]!;
        lines.push({ tokens: current, line: lineOf(first.startLine ?? line), text: source.slice(first.startOffset, (last.endOffset ?? last.startOffset) + 1) });
      }
      current = [];
      continue;
    }
    current.push(t);
  }
  return { lines, diagnostics };
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `(byte 0x${code.toString(16).padStart(2, '0')})`;
  return `'${ch}'`;
}
