// Integer register names (RISC-V unprivileged spec, chapter 25, table 25.1 "Assembler mnemonics for
// RISC-V integer and floating-point registers").

export const ABI_NAMES = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
] as const;

const BY_NAME = new Map<string, number>();
ABI_NAMES.forEach((n, i) => {
  BY_NAME.set(n, i);
  BY_NAME.set(`x${i}`, i);
});
BY_NAME.set('fp', 8);

/** Register number for x0..x31, an ABI name or fp; undefined otherwise. */
export function xreg(name: string): number | undefined {
  // The assembler asks for every operand: the common two-letter names are decoded without hashing.
  if (name.length === 2) {
    const c0 = name.charCodeAt(0);
    const d = name.charCodeAt(1) - 48;
    if (d >= 0 && d <= 9) {
      if (c0 === 97 /* a */) return d <= 7 ? 10 + d : undefined;
      if (c0 === 116 /* t */) return d <= 2 ? 5 + d : d <= 6 ? 25 + d : undefined;
      if (c0 === 115 /* s */) return d <= 1 ? 8 + d : 16 + d;
      if (c0 === 120 /* x */) return d;
    }
  }
  return BY_NAME.get(name) ?? BY_NAME.get(name.toLowerCase());
}

/** Vector register number for v0..v31, else undefined. */
export function vreg(name: string): number | undefined {
  if ((name.charCodeAt(0) | 32) !== 118 /* v */ || name.length > 3) return undefined; // the assembler asks for every operand
  const m = /^v([0-9]|[12][0-9]|3[01])$/i.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Matrix accumulator number for m0..m3, else undefined. */
export function accumulator(name: string): number | undefined {
  const m = /^m([0-3])$/i.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Format-table entry number for fmt0..fmt15, else undefined. */
export function formatEntry(name: string): number | undefined {
  const m = /^fmt([0-9]|1[0-5])$/i.exec(name);
  return m ? Number(m[1]) : undefined;
}
