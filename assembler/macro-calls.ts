// Where each macro call's code is (docs/dasm.md "Macros, repetition, conditionals, includes"): the line
// table gives an expansion's code the lines of the body, so a debugger needs, besides it, the address
// ranges each call made, to stop on the call's own line and to step over it (docs/debugger.md). The
// link collects them frag by frag, in address order within a section.
import type { Expansion } from './diagnostics.js';
import type { MacroCall } from './image.js';

/** The innermost macro call in an expansion chain (a repetition or include is not a call: its lines are
 * stepped through where they are). */
export function macroCallOf(x: Expansion | undefined): Expansion | undefined {
  for (; x; x = x.parent) if (x.what.charCodeAt(0) === 109 /* m: `macro 'name'` */) return x;
  return undefined;
}

export class MacroCallRanges {
  /** The ranges of each call, and of the calls that enclose it, in the order their code comes. */
  private readonly ranges = new Map<Expansion, { addr: number; end: number }[]>();
  /** Where the last code given in the section being encoded ends: a range that ends there is extended
   * over a gap after it, which only padding filled (an `.align` in a body). */
  private lastEnd = -1;

  /** The code of a new section (or of another file's part of one) comes next. */
  section(): void {
    this.lastEnd = -1;
  }

  /** `size` bytes at addr that call (innermost first, then each enclosing call) made; padding is not
   * given. */
  add(call: Expansion | undefined, addr: number, size: number): void {
    if (size === 0) return;
    for (let x = macroCallOf(call); x; x = macroCallOf(x.parent)) {
      let list = this.ranges.get(x);
      if (!list) this.ranges.set(x, (list = []));
      const r = list[list.length - 1];
      if (r && r.end <= addr && (r.end === addr || r.end === this.lastEnd)) r.end = addr + size;
      else list.push({ addr, end: addr + size });
    }
    this.lastEnd = addr + size;
  }

  /** The ranges by address, an enclosing call's before the calls inside it that start where it does. */
  calls(): MacroCall[] {
    const out: { call: MacroCall; depth: number }[] = [];
    for (const [x, list] of this.ranges) {
      let depth = 0;
      for (let up = macroCallOf(x.parent); up; up = macroCallOf(up.parent)) depth++;
      for (const r of list) out.push({ call: { addr: BigInt(r.addr), end: BigInt(r.end), file: x.file, line: x.line }, depth });
    }
    out.sort((a, b) => (a.call.addr !== b.call.addr ? (a.call.addr < b.call.addr ? -1 : 1) : a.depth - b.depth));
    return out.map((o) => o.call);
  }
}
