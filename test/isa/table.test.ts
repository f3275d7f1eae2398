// The instruction table's load-time checks: the real table passes, and broken tables fail naming the culprit.
import { describe, expect, it } from 'vitest';
import { checkFormats, checkTable } from '../../isa/check.js';
import { INSTRUCTIONS, buildTable, TableError } from '../../isa/table.js';
import { OPCODES, RESERVED_FOR_D1 } from '../../isa/formats.js';
import type { InstrDef } from '../../isa/types.js';

const row = (mnemonic: string, fixed: Record<string, number>, syntax = 'rd, rs1, rs2', format = 'R'): InstrDef => ({
  mnemonic,
  ext: 'test',
  format,
  fixed,
  syntax,
  timing: 'alu',
  summary: '',
  manual: '',
});

describe('instruction table', () => {
  it('loads the real table with unique mnemonics and ids', () => {
    expect(INSTRUCTIONS.length).toBeGreaterThanOrEqual(40 + 13 + 6);
    expect(new Set(INSTRUCTIONS.map((i) => i.mnemonic)).size).toBe(INSTRUCTIONS.length);
    INSTRUCTIONS.forEach((i, k) => expect(i.id).toBe(k));
  });

  it('covers all of RV64I, RV64M and Zicsr', () => {
    const names = new Set(INSTRUCTIONS.map((i) => i.mnemonic));
    const expected =
      'lui auipc jal jalr beq bne blt bge bltu bgeu lb lh lw ld lbu lhu lwu sb sh sw sd addi slti sltiu xori ori andi slli srli srai add sub sll slt sltu xor srl sra or and fence ecall ebreak addiw slliw srliw sraiw addw subw sllw srlw sraw mul mulh mulhsu mulhu div divu rem remu mulw divw divuw remw remuw csrrw csrrs csrrc csrrwi csrrsi csrrci';
    for (const n of expected.split(' ')) expect(names.has(n), n).toBe(true);
  });

  it('leaves the custom-0..3 opcodes free for D1', () => {
    for (const k of RESERVED_FOR_D1) {
      const users = INSTRUCTIONS.filter((i) => (i.match & 0x7f) === OPCODES[k] && i.ext.startsWith('rv'));
      expect(users.map((u) => u.mnemonic)).toEqual([]);
    }
  });

  it('has known encodings from the RISC-V spec', () => {
    const by = (m: string) => INSTRUCTIONS.find((i) => i.mnemonic === m)!;
    expect(by('ecall').match).toBe(0x00000073);
    expect(by('ecall').mask).toBe(0xffffffff);
    expect(by('ebreak').match).toBe(0x00100073);
    expect(by('add').mask).toBe(0xfe00707f);
    expect(by('mulw').match).toBe(0x0200003b);
    expect(by('srai').match).toBe(0x40005013);
    expect(by('srai').mask).toBe(0xfc00707f);
  });

  it('rejects a format that leaves bits uncovered or overlaps', () => {
    expect(checkFormats({ X: ['rd', 'opcode'] })[0]).toMatch(/format X: bits fffff000 are not covered/);
    expect(checkFormats({ Y: ['funct7', 'funct6', 'rs2', 'rs1', 'funct3', 'rd', 'opcode'] })[0]).toMatch(/format Y: field 'funct6' overlaps/);
    expect(checkFormats({ Z: ['nosuch'] })[0]).toMatch(/unknown field 'nosuch'/);
  });

  it('rejects overlapping encodings, naming both', () => {
    const { errors } = checkTable([row('a1', { opcode: 0x33, funct3: 0, funct7: 0 }), row('a2', { opcode: 0x33, funct3: 0, funct7: 0 })]);
    expect(errors).toContain("test: 'a1' overlaps 'a2' (test)");
  });

  it('rejects bits that are neither fixed nor operands, and too-wide values', () => {
    expect(checkTable([row('b1', { opcode: 0x33, funct3: 0 })]).errors).toContain("test: 'b1': field 'funct7' is neither fixed nor an operand");
    expect(checkTable([row('b2', { opcode: 0x33, funct3: 8, funct7: 0 })]).errors).toContain("test: 'b2': value 8 does not fit field 'funct3' (0..7)");
    expect(checkTable([row('b3', { opcode: 0x33, funct3: 0, funct7: 0, rd: 0 })]).errors).toContain("test: 'b3': field 'rd' is both fixed and an operand");
    expect(checkTable([row('b4', { opcode: 0x33, funct3: 0, funct7: 0 }, 'rd, rs1, imm12')]).errors).toContain("test: 'b4': operand 'imm12' is not a field of format R");
  });

  it('refuses to build a broken table', () => {
    expect(() => buildTable([row('c1', { opcode: 0x33 })])).toThrow(TableError);
  });
});

describe('register names', () => {
  it('xreg knows x0..x31, every ABI name and fp, in any case, and nothing else', async () => {
    const { xreg, ABI_NAMES } = await import('../../isa/registers.js');
    for (let i = 0; i < 32; i++) {
      expect(xreg(`x${i}`)).toBe(i);
      expect(xreg(ABI_NAMES[i]!)).toBe(i);
      expect(xreg(ABI_NAMES[i]!.toUpperCase())).toBe(i);
    }
    expect(xreg('fp')).toBe(8);
    for (const bad of ['x32', 'a8', 't7', 's12', 'x', '', 'zz', 'a', 'sp1']) expect(xreg(bad), bad).toBeUndefined();
  });
});
