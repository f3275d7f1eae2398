// Encode and decode 32-bit instruction words from the table. Operand values are plain numbers in
// assembly units: register numbers, signed immediates, byte offsets for branches and jumps.
import { FIELDS, extractField, fieldRange, insertField } from './fields.js';
import { INSTRUCTIONS } from './table.js';
import type { Instr } from './types.js';

export type Operands = Record<string, number>;

export interface EncodeError {
  field: string;
  message: string;
}

/** Every field with its range as plain numbers (they all fit), computed once: checks run per operand. */
const RANGES = new Map(Object.entries(FIELDS).map(([n, f]) => {
  const { min, max } = fieldRange(f);
  return [n, { f, min: Number(min), max: Number(max) }];
}));

/** Check one operand value against its field; returns a message naming the allowed range, or undefined. */
export function checkOperand(fieldName: string, value: number): string | undefined {
  const { f, min, max } = RANGES.get(fieldName)!;
  if (value >= min && value <= max && Number.isInteger(value) && (f.scale === 0 || value % 2 ** f.scale === 0)) return undefined;
  if (!Number.isInteger(value)) return `${f.doc} must be an integer`;
  if (f.scale > 0 && value % 2 ** f.scale !== 0) return `${f.doc}: ${value} is not a multiple of ${2 ** f.scale}`;
  return `${f.kind === 'xreg' ? 'register number' : f.doc}: ${value} is out of range ${min}..${max}`;
}

export function encode(instr: Instr, ops: Operands): { word: number } | { error: EncodeError } {
  let word = instr.match;
  for (const name of instr.operands) {
    const v = ops[name];
    if (v === undefined) return { error: { field: name, message: `missing operand '${name}'` } };
    const msg = checkOperand(name, v);
    if (msg) return { error: { field: name, message: msg } };
    word = (word | insertField(FIELDS[name]!, v)) >>> 0;
  }
  return { word };
}

/** Encode with values known to be in range (tests, generators); throws on a bad value. */
export function encodeOrThrow(mnemonic: string, ops: Operands): number {
  const instr = INSTRUCTIONS.find((i) => i.mnemonic === mnemonic);
  if (!instr) throw new Error(`unknown instruction ${mnemonic}`);
  const r = encode(instr, ops);
  if ('error' in r) throw new Error(`${mnemonic}: ${r.error.message}`);
  return r.word;
}

export interface Decoded {
  instr: Instr;
  ops: Operands;
}

const OPCODE = FIELDS['opcode']!;
const BY_OPCODE = new Map<number, Instr[]>();
for (const i of INSTRUCTIONS) {
  const op = extractField(OPCODE, i.match);
  const list = BY_OPCODE.get(op) ?? [];
  list.push(i);
  BY_OPCODE.set(op, list);
}

export function decode(word: number): Decoded | undefined {
  const w = word >>> 0;
  for (const instr of BY_OPCODE.get(extractField(OPCODE, w)) ?? []) {
    if (((w & instr.mask) >>> 0) !== instr.match) continue;
    const ops: Operands = {};
    for (const name of instr.operands) ops[name] = extractField(FIELDS[name]!, w);
    return { instr, ops };
  }
  return undefined;
}
