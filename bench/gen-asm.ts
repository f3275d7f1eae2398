// A large, deterministic assembly file for the assembler benchmark: every table instruction with
// varied operands, labels, branches to them, pseudo-instructions and data directives, in the subset
// both d1 and GNU as accept, so the two can be timed on the same input.
import { encode, decode } from '../isa/codec.js';
import { printText } from '../isa/print.js';
import { FIELDS, fieldRange } from '../isa/fields.js';
import { INSTRUCTIONS, isStandard } from '../isa/table.js';
import { CSR_BY_NUMBER } from '../isa/csr.js';
import { prng } from './prng.js';

export function generateAsm(lines: number, seed = 1): string {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]): T => xs[rnd() % xs.length]!;
  // Standard RISC-V only: GNU as must assemble the same file.
  const plain = INSTRUCTIONS.filter((i) => isStandard(i) && !i.operands.some((o) => FIELDS[o]!.kind === 'pcrel'));
  const out: string[] = ['        .text', '        .globl _start', '_start:'];
  let label = 0;
  while (out.length < lines) {
    const r = rnd() % 16;
    if (r === 0) {
      out.push(`L${label++}:`);
    } else if (r === 1 && label > 0) {
      out.push(`        ${pick(['beq', 'bne', 'blt', 'bgeu'])} a${rnd() % 8}, a${rnd() % 8}, L${label - 1 - (rnd() % Math.min(label, 8))}`);
    } else if (r === 2) {
      out.push(`        li      t${rnd() % 7}, ${(rnd() % 2 ? -1 : 1) * (rnd() % 0x7fffffff)}`);
    } else {
      const instr = pick(plain);
      const ops: Record<string, number> = {};
      for (const o of instr.operands) {
        const { min, max } = fieldRange(FIELDS[o]!);
        ops[o] = Number(min) + (rnd() % (Number(max - min) + 1));
      }
      // GNU as rejects an empty fence set and does not know D1's CSR names (which print would use)
      if (ops['pred'] === 0 || ops['succ'] === 0 || CSR_BY_NUMBER.get(ops['csr'] ?? -1)?.d1) continue;
      const e = encode(instr, ops);
      if ('error' in e) continue;
      out.push(`        ${printText(decode(e.word)!, 0n, { aliases: false }).replace('\t', ' ')}`);
    }
  }
  out.push('        .data', 'table:', ...Array.from({ length: 64 }, (_, i) => `        .dword ${i * 0x1234567}, ${-i}`));
  return `${out.join('\n')}\n`;
}
