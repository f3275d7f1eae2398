// The instruction table: every extension's rows, checked and numbered. Everything that needs to know
// an encoding (encoder, decoder, disassembler, emulator generator, docs) starts here.
import { checkTable, syntaxFields } from './check.js';
import { RV64I } from './ext/rv64i.js';
import { RV64M } from './ext/rv64m.js';
import { ZICSR } from './ext/zicsr.js';
import { D1M } from './ext/d1m.js';
import { D1N } from './ext/d1n.js';
import { D1T } from './ext/d1t.js';
import { D1V } from './ext/d1v.js';
import type { Instr, InstrDef } from './types.js';

/** `standard`: a RISC-V extension GNU binutils and QEMU know (the D1 extensions use custom-0..3). */
export const EXTENSIONS: { name: string; title: string; rows: InstrDef[]; standard?: boolean }[] = [
  { name: 'rv64i', standard: true, title: 'RV64I base integer instructions', rows: RV64I },
  { name: 'rv64m', standard: true, title: 'RV64M multiply and divide', rows: RV64M },
  { name: 'zicsr', standard: true, title: 'Zicsr control and status registers', rows: ZICSR },
  { name: 'd1v', title: 'Dojo D1 vector unit', rows: D1V },
  { name: 'd1m', title: 'Dojo D1 matrix units', rows: D1M },
  { name: 'd1t', title: 'Dojo D1 hardware threads', rows: D1T },
  { name: 'd1n', title: 'Dojo D1 data movement and synchronisation', rows: D1N },
];

export class TableError extends Error {}

export function buildTable(defs: InstrDef[]): Instr[] {
  const { errors, encodings } = checkTable(defs);
  if (errors.length > 0) throw new TableError(`instruction table is invalid:\n  ${errors.join('\n  ')}`);
  // Every entry has every field, in one order, made at one place: one shape, so that the assembler's and
  // the decoder's reads of an entry's fields are monomorphic (a spread of each row gave most entries a
  // shape of their own). An optional field an entry lacks is undefined; the order is the rows' own (the
  // table's hash, of its JSON, stays what it was).
  return defs.map((d, id) => ({
    mnemonic: d.mnemonic,
    ext: d.ext,
    format: d.format,
    fixed: d.fixed,
    syntax: d.syntax,
    timing: d.timing,
    summary: d.summary,
    manual: d.manual,
    busy: d.busy,
    group: d.group,
    flags: d.flags,
    operands: syntaxFields(d.syntax),
    match: encodings[id]!.match,
    mask: encodings[id]!.mask,
    exec: `exec_${d.mnemonic.replace(/\./g, '_')}`,
    id,
  }));
}

export const INSTRUCTIONS: Instr[] = buildTable(EXTENSIONS.flatMap((e) => e.rows));
export const BY_MNEMONIC = new Map(INSTRUCTIONS.map((i) => [i.mnemonic, i]));

const STANDARD = new Set(EXTENSIONS.filter((e) => e.standard).map((e) => e.name));
/** True for instructions of the standard RISC-V extensions (checked against GNU binutils and QEMU). */
export const isStandard = (i: Instr): boolean => STANDARD.has(i.ext);
