// Source lines for `d1 objdump -S`, chosen as GNU objdump does (binutils objdump.c: show_line): when an
// instruction comes from a new line of a file, print that line with up to five lines before it that
// this file has not shown yet, so comments and labels above code appear once, in order.
import type { LineEntry } from '../assembler/image.js';

const CONTEXT = 5;

interface FileState {
  maxPrinted: number;
  lastLine: number;
}

export class SourceInterleaver {
  private readonly files = new Map<string, FileState>();

  /** `text(file, n)` gives line n (1-based) of a file, undefined past its end or when unreadable. */
  constructor(private readonly text: (file: string, line: number) => string | undefined) {}

  /** Lines to print before the instruction that `row` describes. */
  linesFor(row: LineEntry): string[] {
    if (row.line <= 0 || this.text(row.file, 1) === undefined) return [];
    let p = this.files.get(row.file);
    if (!p) this.files.set(row.file, (p = { maxPrinted: 0, lastLine: 0 }));
    if (row.line === p.lastLine) return [];
    let from = Math.max(1, row.line - CONTEXT);
    if (p.maxPrinted >= from) from = p.maxPrinted < row.line ? p.maxPrinted + 1 : row.line;
    const out: string[] = [];
    for (let n = from; n <= row.line; n++) {
      const s = this.text(row.file, n);
      if (s === undefined) break;
      out.push(s);
    }
    p.maxPrinted = Math.max(p.maxPrinted, row.line);
    p.lastLine = row.line;
    return out;
  }
}
