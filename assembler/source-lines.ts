// Source positions of compiled code (docs/dasm.md "Source lines of compiled code"): gcc -g's `.file N`
// and `.loc N line` (GNU as manual, "Dwarf-related directives"; DWARF 5, 6.2.4.1 for file 0 and the
// directories). Once a `.loc` is seen, the line table gives its position for what follows instead of
// the assembly line, until the next `.loc`.
import { isAbsolute, join } from 'node:path';
import { AsmError } from './insn.js';
import type { Operand, Statement } from './visitor.js';

export class SourceLines {
  private readonly files = new Map<number, string>();
  /** Directory 0 (`.file 0 "dir" "name"`), which relative names are in. */
  private compDir: string | undefined;
  /** The position the last `.loc` gave. */
  current: { file: string; line: number } | undefined;

  /** `.file "x.c"` names the symbol table's file (ignored); `.file N ["dir"] "name" [md5 0x...]` declares
   * file N of the line table. */
  file(st: Statement): void {
    const n = intOperand(st.operands[0]);
    if (n === undefined) return;
    const names = st.operands.flatMap((o) => (o.kind === 'string' ? [new TextDecoder().decode(o.bytes)] : []));
    if (names.length === 0 || names.length > 2) throw new AsmError(`.file ${n} expects a file name, optionally after a directory`, st.nameLoc!, 'bad-directive');
    const name = names[names.length - 1]!;
    const dir = names.length === 2 ? names[0]! : undefined;
    if (n === 0) this.compDir = dir;
    const folder = dir === undefined || isAbsolute(dir) || this.compDir === undefined || n === 0 ? (dir ?? this.compDir) : join(this.compDir, dir);
    this.files.set(n, folder === undefined || isAbsolute(name) ? name : join(folder, name));
  }

  /** `.loc N line [column] [options]`: the options (is_stmt, discriminator, view, ...) do not matter here. */
  loc(st: Statement): void {
    const n = intOperand(st.operands[0]);
    const line = intOperand(st.operands[1]);
    if (n === undefined || line === undefined) throw new AsmError('.loc expects a file number and a line number', st.nameLoc!, 'bad-directive');
    if (!this.position(n, line)) throw new AsmError(`.loc: file number ${n} is not declared by a .file`, st.operands[0]!.loc, 'bad-directive');
  }

  /** `.loc N line`: false when file N is not declared. */
  position(n: number, line: number): boolean {
    const file = this.files.get(n);
    if (file === undefined) return false;
    this.current = { file, line };
    return true;
  }
}

function intOperand(o: Operand | undefined): number | undefined {
  return o?.kind === 'expr' && o.e.k === 'num' && o.e.v >= 0n ? Number(o.e.v) : undefined;
}
