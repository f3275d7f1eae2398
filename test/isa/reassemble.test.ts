// Every row of the table: encode random operands, decode, print (with and without aliases), assemble the
// printed text again: the same word must come back. Ties the printer, the assembler and the codec together.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { decode, encode } from '../../isa/codec.js';
import { FIELDS } from '../../isa/fields.js';
import { printText } from '../../isa/print.js';
import { INSTRUCTIONS } from '../../isa/table.js';
import { arbOperands } from './arb.js';

const BASE = 0x1000n;

function assembleOne(line: string): number | string {
  const { image, diagnostics } = assemble([{ path: 'roundtrip.dasm', text: `${line}\n` }], { textBase: Number(BASE) });
  if (!image) return diagnostics.map((d) => d.message).join('; ');
  const text = image.sections.find((s) => s.name === '.text')!;
  return new DataView(text.bytes.buffer, text.bytes.byteOffset).getUint32(0, true);
}

describe('encode, decode, print, re-assemble', () => {
  for (const instr of INSTRUCTIONS) {
    it(`${instr.mnemonic} gives back the same word`, () => {
      fc.assert(
        fc.property(arbOperands(instr), fc.boolean(), (ops, aliases) => {
          const r = encode(instr, ops);
          if ('error' in r) return false;
          // Branch and jump targets print as absolute hex addresses without 0x (objdump's style). They go
          // back as `.`-relative targets: GNU as (and d1) make a branch to an absolute address long.
          let text = printText(decode(r.word)!, BASE, { aliases }).replace('\t', ' ');
          if (instr.operands.some((o) => FIELDS[o]!.kind === 'pcrel')) text = text.replace(/([ ,])([0-9a-f]+)$/, (_, sep: string, hex: string) => {
            const off = BigInt.asIntN(64, BigInt(`0x${hex}`) - BASE);
            return `${sep}.${off >= 0n ? '+' : ''}${off}`;
          });
          const again = assembleOne(text);
          expect(again, text).toBe(r.word);
          return true;
        }),
        { numRuns: 40 },
      );
    });
  }
});
