// Encode/decode/print round trips over every row of the table (property-based), and operand range checks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELDS, extractField, insertField } from '../../isa/fields.js';
import { arbField, arbOperands } from './arb.js';
import { checkOperand, decode, encode, encodeOrThrow } from '../../isa/codec.js';
import { printText } from '../../isa/print.js';
import { INSTRUCTIONS } from '../../isa/table.js';

describe('fields', () => {
  it('insert then extract is the identity for every field and value', () => {
    for (const name of Object.keys(FIELDS)) {
      fc.assert(fc.property(arbField(name), (v) => extractField(FIELDS[name]!, insertField(FIELDS[name]!, v)) === v));
    }
  });
});

describe('codec', () => {
  for (const instr of INSTRUCTIONS) {
    it(`${instr.mnemonic}: encode, decode give back the row and operands`, () => {
      fc.assert(
        fc.property(arbOperands(instr), (ops) => {
          const r = encode(instr, ops);
          if ('error' in r) return false;
          expect(((r.word & instr.mask) >>> 0) === instr.match).toBe(true);
          const d = decode(r.word)!;
          expect(d.instr.mnemonic).toBe(instr.mnemonic);
          expect(d.ops).toEqual(ops);
          expect(printText(d, 0x1000n, { aliases: false }).startsWith(instr.mnemonic)).toBe(true);
          return true;
        }),
        { numRuns: 200 },
      );
    });
  }

  it('decodes nothing for unassigned words', () => {
    expect(decode(0x00000000)).toBeUndefined();
    expect(decode(0xffffffff)).toBeUndefined();
    expect(decode(0x0000700b)).toBeUndefined(); // custom-0, funct3 7: not assigned
    expect(decode(0xfe00707b)).toBeUndefined(); // custom-3, funct3 7, funct7 0x7f: not assigned
  });

  it('encodes known words', () => {
    expect(encodeOrThrow('addi', { rd: 10, rs1: 10, imm12: 1 })).toBe(0x00150513);
    expect(encodeOrThrow('sd', { rs2: 1, rs1: 2, simm12: 8 })).toBe(0x00113423);
    expect(encodeOrThrow('beq', { rs1: 10, rs2: 11, bimm: -4 })).toBe(0xfeb50ee3);
    expect(encodeOrThrow('jal', { rd: 1, jimm: 2048 })).toBe(0x001000ef);
    expect(encodeOrThrow('lui', { rd: 10, imm20: 0xfffff })).toBe(0xfffff537);
    expect(encodeOrThrow('fence', { pred: 15, succ: 15 })).toBe(0x0ff0000f);
  });

  it('rejects out-of-range operands with the allowed range', () => {
    expect(checkOperand('imm12', 2048)).toBe('12-bit signed immediate: 2048 is out of range -2048..2047');
    expect(checkOperand('bimm', 3)).toMatch(/not a multiple of 2/);
    expect(checkOperand('rd', 32)).toBe('register number: 32 is out of range 0..31');
    expect(checkOperand('shamt6', 64)).toMatch(/out of range 0..63/);
  });

  it('prints like GNU objdump', () => {
    const p = (m: string, ops: Record<string, number>, aliases = true) => printText(decode(encodeOrThrow(m, ops))!, 0x1000n, { aliases });
    expect(p('addi', { rd: 10, rs1: 0, imm12: 5 })).toBe('li\ta0,5');
    expect(p('addi', { rd: 10, rs1: 0, imm12: 5 }, false)).toBe('addi\ta0,zero,5');
    expect(p('jalr', { rd: 0, rs1: 1, imm12: 0 })).toBe('ret');
    expect(p('ld', { rd: 10, rs1: 2, imm12: -8 })).toBe('ld\ta0,-8(sp)');
    expect(p('lui', { rd: 10, imm20: 0x12345 })).toBe('lui\ta0,0x12345');
    expect(p('slli', { rd: 10, rs1: 10, shamt6: 3 })).toBe('slli\ta0,a0,0x3');
    expect(p('beq', { rs1: 10, rs2: 11, bimm: 8 })).toBe('beq\ta0,a1,1008');
    expect(p('csrrs', { rd: 10, csr: 0xc00, rs1: 0 })).toBe('rdcycle\ta0');
    expect(p('csrrs', { rd: 10, csr: 0xc00, rs1: 0 }, false)).toBe('csrrs\ta0,cycle,zero');
    expect(p('fence', { pred: 3, succ: 1 }, false)).toBe('fence\trw,w');
  });
});
