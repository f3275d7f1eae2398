// Symbol lookup for `d1 objdump`, choosing names the way GNU objdump does (binutils objdump.c:
// compare_symbols, find_symbol_for_address, objdump_print_addr): among symbols at one address prefer
// functions, then objects, then globals, then sized ones, then names not starting with '.', then by name;
// an address takes the nearest symbol at or below it (or the lowest one, printed with a negative offset).
// Section and file symbols, and binutils' mapping symbols ($x, $d, $xrv64i...), name nothing.
import type { SymbolDef } from '../assembler/image.js';

const hex = (v: bigint): string => v.toString(16);
const MAPPING = /^\$(x|d)($|rv|\.)/;

function rank(s: SymbolDef): number[] {
  return [s.type === 'func' ? 0 : 1, s.type === 'object' ? 0 : 1, s.global ? 0 : 1, s.size !== 0 ? 0 : 1, s.name.startsWith('.') ? 1 : 0];
}

function compare(a: SymbolDef, b: SymbolDef): number {
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  const ra = rank(a);
  const rb = rank(b);
  for (let k = 0; k < ra.length; k++) if (ra[k] !== rb[k]) return ra[k]! - rb[k]!;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export class SymbolTable {
  /** Candidates in GNU's order. */
  readonly sorted: SymbolDef[];

  constructor(symbols: SymbolDef[]) {
    this.sorted = symbols.filter((s) => s.name !== '' && s.type !== 'section' && s.type !== 'file' && !MAPPING.test(s.name)).sort(compare);
  }

  value(name: string): bigint | undefined {
    return this.sorted.find((s) => s.name === name)?.value;
  }

  /** The symbol naming addr: the preferred one of the nearest value at or below it, one in `section`
   * when several share that value; the lowest symbol when none lies below. */
  lookup(addr: bigint, section?: string): SymbolDef | undefined {
    const list = this.sorted;
    if (list.length === 0) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.value <= addr) lo = mid + 1;
      else hi = mid;
    }
    const at = list[Math.max(lo - 1, 0)]!.value;
    let first = Math.max(lo - 1, 0);
    while (first > 0 && list[first - 1]!.value === at) first--;
    for (let k = first; k < list.length && list[k]!.value === at; k++) if (list[k]!.section === section) return list[k];
    return list[first];
  }

  /** `name`, `name+0x10` or `name-0x10` for addr. */
  describe(addr: bigint, section?: string): string | undefined {
    const s = this.lookup(addr, section);
    if (!s) return undefined;
    if (addr === s.value) return s.name;
    return addr > s.value ? `${s.name}+0x${hex(addr - s.value)}` : `${s.name}-0x${hex(s.value - addr)}`;
  }

  /** A target address as objdump prints it: `1008 <loop+0x8>`, or `0x1008` in a file without symbols. */
  address(addr: bigint, section?: string): string {
    const name = this.describe(addr, section);
    return name === undefined ? `0x${hex(addr)}` : `${hex(addr)} <${name}>`;
  }

  /** Symbols defined in a section with a value inside [start, end), ascending. */
  starts(section: string, start: bigint, end: bigint): bigint[] {
    const vals = this.sorted.filter((s) => s.section === section && s.value >= start && s.value < end).map((s) => s.value);
    return [...new Set(vals)];
  }
}
