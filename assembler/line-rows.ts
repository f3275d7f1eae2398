// The line table as the link pass makes it (docs/dasm.md "Source lines of compiled code"): a row per
// instruction word and per datum, address -> file:line, in typed columns of the size counted beforehand
// (a large program has millions of rows: no objects, no arrays grown one row at a time).
import type { LineColumns } from './image.js';

export class LineRows {
  private readonly addr: Uint32Array;
  private readonly line: Uint32Array;
  private readonly file: Uint32Array;
  private readonly files: string[] = [];
  private n = 0;
  private lastFile: string | undefined;
  private lastId = 0;
  /** Rows come in address order unless some file placed its sections out of order. */
  private lastAddr = -1;
  private sorted = true;

  /** Room for `count` rows. */
  constructor(count: number) {
    this.addr = new Uint32Array(count);
    this.line = new Uint32Array(count);
    this.file = new Uint32Array(count);
  }

  /** The row of what is at addr: file:line made it. */
  add(addr: number, file: string, line: number): void {
    if (addr < this.lastAddr) this.sorted = false;
    this.lastAddr = addr;
    this.addr[this.n] = addr;
    this.line[this.n] = line;
    this.file[this.n++] = this.id(file);
  }

  /** The rows of `count` instruction words from addr, made by lines[first ...] of file. */
  words(addr: number, file: string, lines: Uint32Array, first: number, count: number): void {
    if (addr < this.lastAddr) this.sorted = false;
    this.lastAddr = addr + 4 * (count - 1);
    this.file.fill(this.id(file), this.n, this.n + count);
    // (a loop, not a view of lines: a large program has many runs of words, and a view is an object)
    for (let k = 0; k < count; k++) {
      this.line[this.n] = lines[first + k]!;
      this.addr[this.n++] = addr + 4 * k;
    }
  }

  /** The rows in address order (rows at one address keep the order they were added in). */
  columns(): LineColumns {
    const [addr, line, file] = [this.addr, this.line, this.file].map((c) => c.subarray(0, this.n)) as [Uint32Array, Uint32Array, Uint32Array];
    if (this.sorted) return { addr, line, file, files: this.files };
    const order = Array.from({ length: this.n }, (_, k) => k).sort((a, b) => addr[a]! - addr[b]!); // (a stable sort)
    const by = (c: Uint32Array) => Uint32Array.from(order, (k) => c[k]!);
    return { addr: by(addr), line: by(line), file: by(file), files: this.files };
  }

  /** The index of file in files (there are few: the line table's files change seldom). */
  private id(file: string): number {
    if (file !== this.lastFile) {
      this.lastFile = file;
      this.lastId = this.files.indexOf(file);
      if (this.lastId < 0) this.lastId = this.files.push(file) - 1;
    }
    return this.lastId;
  }
}
