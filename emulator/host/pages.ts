// Copies of ranges of a wasm memory, page by page: the debugger's checkpoints of a machine for going back
// in time (docs/debugger.md, "Reverse execution"). A page that has not changed since the copy before shares
// that copy's bytes and every all-zero page shares one, so a copy costs what changed since the last one.

/** Bytes in a page. */
export const PAGE = 4096;
const ZERO = new Uint8Array(PAGE);

/** The pages of some page-aligned ranges of a memory, in order. */
export interface Pages {
  ranges: readonly (readonly [number, number])[];
  pages: Uint8Array[];
}

/** Node's memcmp where there is one (in a browser, word by word). */
const compare = (globalThis as { Buffer?: { compare(a: Uint8Array, b: Uint8Array): number } }).Buffer?.compare;

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (compare) return compare(a, b) === 0;
  const x = new Int32Array(a.buffer, a.byteOffset, PAGE / 4), y = new Int32Array(b.buffer, b.byteOffset, PAGE / 4);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** A copy of `ranges` of mem; pages equal to those of `before` (a copy of the same ranges) are its. */
export function copyPages(mem: Uint8Array, ranges: Pages['ranges'], before?: Pages): Pages {
  const pages: Uint8Array[] = [];
  for (const [from, to] of ranges) {
    for (let at = from; at < to; at += PAGE) {
      const now = mem.subarray(at, at + PAGE);
      const old = before?.pages[pages.length] ?? ZERO;
      pages.push(same(now, old) ? old : same(now, ZERO) ? ZERO : now.slice());
    }
  }
  return { ranges, pages };
}

/** Put a copy back into mem; `changed` hears of each run of pages that differed. */
export function restorePages(mem: Uint8Array, saved: Pages, changed: (at: number, len: number) => void): void {
  let k = 0;
  for (const [from, to] of saved.ranges) {
    let run = -1;
    for (let at = from; at < to; at += PAGE, k++) {
      const page = saved.pages[k]!;
      if (same(mem.subarray(at, at + PAGE), page)) {
        if (run >= 0) changed(run, at - run);
        run = -1;
        continue;
      }
      mem.set(page, at);
      if (run < 0) run = at;
    }
    if (run >= 0) changed(run, to - run);
  }
}

/** Bytes the copies hold between them (a page shared by several counts once; zero pages not at all). */
export function pageBytes(copies: Iterable<Pages>): number {
  const seen = new Set<Uint8Array>();
  for (const c of copies) for (const p of c.pages) if (p !== ZERO) seen.add(p);
  return seen.size * PAGE;
}
