// Test programs for the disassembler: every instruction of the isa/ table encoded with boundary and
// random operands (fast-check, fixed seed), random 32-bit words, and an Image holding them, so the ELF
// writer can hand the same bytes to GNU objdump and to ours.
import fc from 'fast-check';
import type { Image } from '../../assembler/image.js';
import { ALIASES } from '../../isa/aliases.js';
import { encode } from '../../isa/codec.js';
import { parseExpansion } from '../../isa/print.js';
import { FIELDS, fieldRange } from '../../isa/fields.js';
import { OPCODES, RESERVED_FOR_D1 } from '../../isa/formats.js';
import { BY_MNEMONIC, INSTRUCTIONS, isStandard } from '../../isa/table.js';
import { arbField, arbOperands } from '../isa/arb.js';

export const TEXT_BASE = 0x1000n;

/** Boundary operand sets: every field at its minimum, then at its maximum, then zero and one. */
function boundaries(operands: string[]): Record<string, number>[] {
  const pick = (which: 'min' | 'max' | 0 | 1) =>
    Object.fromEntries(
      operands.map((o) => {
        const f = FIELDS[o]!;
        const { min, max } = fieldRange(f);
        const step = 2 ** f.scale;
        const v = which === 'min' ? Number(min) : which === 'max' ? Number(max) : which * step;
        return [o, Math.max(Number(min), Math.min(Number(max), Math.trunc(v / step) * step))];
      }),
    );
  return [pick('min'), pick('max'), pick(0), pick(1)];
}

/** Words of every table instruction: boundary operands and `random` random operand sets each. */
export function instructionWords(random = 12, seed = 3): number[] {
  const words: number[] = [];
  for (const instr of INSTRUCTIONS.filter(isStandard)) {
    const sets = [...boundaries(instr.operands), ...fc.sample(arbOperands(instr), { numRuns: random, seed: seed + instr.id })];
    for (const ops of sets) {
      const r = encode(instr, ops);
      if ('error' in r) throw new Error(`${instr.mnemonic} ${JSON.stringify(ops)}: ${r.error.message}`);
      words.push(r.word);
    }
  }
  return words;
}

/** Words every printed alias matches: its base instruction with the alias's constants and random
 * values for its own operands. */
export function aliasWords(random = 6, seed = 4): number[] {
  const words: number[] = [];
  ALIASES.filter((a) => !a.parseOnly).forEach((a, k) => {
    const { base, args } = parseExpansion(a.expands);
    const instr = BY_MNEMONIC.get(base)!;
    const own = [...new Set(args.flatMap((x) => (x.from !== undefined ? [x.from] : [])))];
    const arb = fc.record(Object.fromEntries(own.map((o) => [o, arbField(o)])) as Record<string, fc.Arbitrary<number>>);
    for (const v of fc.sample(arb, { numRuns: random, seed: seed + k })) {
      const ops = Object.fromEntries(instr.operands.map((name, i) => [name, args[i]!.from !== undefined ? v[args[i]!.from!]! : args[i]!.value!]));
      const r = encode(instr, ops);
      if ('error' in r) throw new Error(`${a.mnemonic}: ${r.error.message}`);
      words.push(r.word);
    }
  });
  return words;
}

/** Random words that GNU also reads as 32-bit instructions (low bits 11, not a longer encoding). */
/** RISC-V's custom-0..3 major opcodes hold the D1 extensions, which GNU objdump does not know. */
const CUSTOM = new Set<number>(RESERVED_FOR_D1.map((k) => OPCODES[k]));

export function randomWords(count: number, seed = 5): number[] {
  return fc.sample(fc.integer({ min: 0, max: 0xffffffff }), { numRuns: count * 2, seed }).map((w) => (w | 3) >>> 0).filter((w) => (w & 0x1f) !== 0x1f && !CUSTOM.has(w & 0x7f)).slice(0, count);
}

/** A program of these words at TEXT_BASE, with `_start` and a few labels so targets get names. */
export function wordsImage(words: number[], labelEvery = 64): Image {
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((w, k) => view.setUint32(4 * k, w, true));
  const symbols = [{ name: '_start', value: TEXT_BASE, size: 0, global: true, type: 'func' as const, section: '.text' }];
  for (let k = labelEvery; k < words.length; k += labelEvery) {
    symbols.push({ name: `part${k / labelEvery}`, value: TEXT_BASE + BigInt(4 * k), size: 0, global: false, type: 'func', section: '.text' });
  }
  const flags = { alloc: true, write: false, exec: true };
  return {
    entry: TEXT_BASE,
    sections: [{ name: '.text', addr: TEXT_BASE, bytes, size: bytes.length, nobits: false, flags, align: 4 }],
    segments: [{ vaddr: TEXT_BASE, data: bytes, memsz: bytes.length, flags }],
    symbols,
    lines: [],
  };
}
