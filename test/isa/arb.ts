// fast-check arbitraries for instruction operands, shared by the isa and assembler round-trip tests.
import fc from 'fast-check';
import { FIELDS, fieldRange } from '../../isa/fields.js';
import type { Instr } from '../../isa/types.js';

/** An arbitrary valid value for one operand field (respecting its scale, e.g. even branch offsets). */
export function arbField(name: string): fc.Arbitrary<number> {
  const f = FIELDS[name]!;
  const { min, max } = fieldRange(f);
  const step = 2 ** f.scale;
  return fc.integer({ min: Math.ceil(Number(min) / step), max: Math.floor(Number(max) / step) }).map((v) => v * step);
}

/** Arbitrary operand values for every operand of an instruction. */
export function arbOperands(i: Instr): fc.Arbitrary<Record<string, number>> {
  return fc.record(Object.fromEntries(i.operands.map((o) => [o, arbField(o)])) as Record<string, fc.Arbitrary<number>>);
}
