// Load-time checks of the instruction table, in the manner of riscv-opcodes' shared_utils.py: every
// format covers 32 bits once, fixed values fit their fields, every bit of an instruction is either fixed
// or an operand, and no two instructions share an encoding. Failures name the instruction and its file.
import { FIELDS, fieldMask, fieldRange, insertField } from './fields.js';
import { FORMATS } from './formats.js';
import type { InstrDef } from './types.js';

/** Operand field names of a syntax string: 'rd, imm12(rs1)' gives ['rd', 'imm12', 'rs1']. */
export function syntaxFields(syntax: string): string[] {
  return syntax.split(/[\s,()]+/).filter((s) => s !== '');
}

export function checkFormats(formats: Record<string, string[]> = FORMATS): string[] {
  const errors: string[] = [];
  for (const [name, fields] of Object.entries(formats)) {
    let covered = 0;
    for (const f of fields) {
      const def = FIELDS[f];
      if (!def) {
        errors.push(`format ${name}: unknown field '${f}'`);
        continue;
      }
      const m = fieldMask(def);
      if (((covered & m) >>> 0) !== 0) errors.push(`format ${name}: field '${f}' overlaps an earlier field`);
      covered = (covered | m) >>> 0;
    }
    if (covered !== 0xffffffff) errors.push(`format ${name}: bits ${(~covered >>> 0).toString(16)} are not covered`);
  }
  return errors;
}

/** Check the rows; returns the computed match and mask of each, or errors naming the culprit. */
export function checkTable(
  defs: InstrDef[],
  formats: Record<string, string[]> = FORMATS,
): { errors: string[]; encodings: { match: number; mask: number }[] } {
  const errors = checkFormats(formats);
  const encodings: { match: number; mask: number }[] = [];
  const seen = new Map<string, InstrDef>();
  for (const d of defs) {
    const where = `${d.ext}: '${d.mnemonic}'`;
    if (seen.has(d.mnemonic)) errors.push(`${where} is defined twice`);
    seen.set(d.mnemonic, d);
    const fmt = formats[d.format];
    let match = 0;
    let mask = 0;
    if (!fmt) {
      errors.push(`${where}: unknown format '${d.format}'`);
      encodings.push({ match, mask });
      continue;
    }
    const ops = syntaxFields(d.syntax);
    for (const [f, v] of Object.entries(d.fixed)) {
      const def = FIELDS[f];
      if (!def || !fmt.includes(f)) {
        errors.push(`${where}: fixed field '${f}' is not in format ${d.format}`);
        continue;
      }
      const { min, max } = fieldRange(def);
      if (BigInt(v) < min || BigInt(v) > max) errors.push(`${where}: value ${v} does not fit field '${f}' (${min}..${max})`);
      if (ops.includes(f)) errors.push(`${where}: field '${f}' is both fixed and an operand`);
    }
    for (const f of fmt) {
      const isFixed = f in d.fixed;
      const isOp = ops.includes(f);
      if (!isFixed && !isOp) errors.push(`${where}: field '${f}' is neither fixed nor an operand`);
    }
    for (const o of ops) if (!fmt.includes(o)) errors.push(`${where}: operand '${o}' is not a field of format ${d.format}`);
    for (const [f, v] of Object.entries(d.fixed)) {
      const def = FIELDS[f];
      if (!def) continue;
      match = (match | insertField(def, v)) >>> 0;
      mask = (mask | fieldMask(def)) >>> 0;
    }
    encodings.push({ match, mask });
  }
  // No two encodings overlap: some fixed bit they both fix must differ.
  for (let i = 0; i < defs.length; i++) {
    for (let j = i + 1; j < defs.length; j++) {
      const a = encodings[i]!;
      const b = encodings[j]!;
      const common = (a.mask & b.mask) >>> 0;
      if (((a.match & common) >>> 0) === ((b.match & common) >>> 0)) {
        errors.push(`${defs[i]!.ext}: '${defs[i]!.mnemonic}' overlaps '${defs[j]!.mnemonic}' (${defs[j]!.ext})`);
      }
    }
  }
  return { errors, encodings };
}
