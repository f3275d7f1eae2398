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
  return BY_NAME.get(name) ?? BY_NAME.get(name.toLowerCase());
}
