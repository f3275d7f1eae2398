// The D1 encodings (custom-0..3) against GNU as's `.insn`: each D1 instruction is written twice, in
// d1 syntax and as the RISC-V R/I/S-type word GNU as builds from opcode, funct3, funct7 and registers,
// with the layout of each D1 format spelled out here (docs/isa.md) a second time. The bytes must agree,
// so the bit positions in isa/fields.ts are checked by a tool we did not write.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { OPCODES } from '../../isa/formats.js';
import { INSTRUCTIONS, isStandard } from '../../isa/table.js';
import type { Instr } from '../../isa/types.js';
import { gnuBuild, gnuSection, missing, tempDir } from '../helpers/tools.js';

const skip = missing('gnuAs');

const OPCODE_NAME = Object.fromEntries(Object.entries(OPCODES).map(([k, v]) => [v, k]));

/** One operand set: a value per operand field, within its width. */
function operands(i: Instr, seed: number): Record<string, number> {
  const widths: Record<string, number> = { vd: 5, vs1: 5, vs2: 5, vs3: 5, rd: 5, rs1: 5, rs2: 5, fmt: 4, sfmt: 4, part: 2, pat5: 5, acc: 2, acc1: 2, mpart: 2, imm12: 12, simm12: 12 };
  const [vals] = fc.sample(fc.array(fc.nat(), { minLength: i.operands.length, maxLength: i.operands.length }), { numRuns: 1, seed });
  return Object.fromEntries(i.operands.map((o, k) => {
    const w = widths[o]!;
    const v = vals![k]! % 2 ** w;
    return [o, o === 'imm12' || o === 'simm12' ? (v - 2048) & ~63 : o === 'part' && i.mnemonic.startsWith('vcvt') ? v : v];
  }));
}

/** The instruction in d1 syntax. */
function d1Text(i: Instr, v: Record<string, number>): string {
  const show = (o: string): string => {
    const n = v[o]!;
    if (o.startsWith('v')) return `v${n}`;
    if (o.startsWith('r')) return `x${n}`;
    if (o === 'fmt' || o === 'sfmt') return `fmt${n}`;
    if (o.startsWith('acc')) return `m${n}`;
    return String(n);
  };
  const ops = i.syntax.replace(/[a-z][a-z0-9]*/g, (name) => (name in v ? show(name) : name));
  return `${i.mnemonic} ${ops}`.trim();
}

/** The same word as GNU `.insn`, from the D1 format's layout in RISC-V R/I/S terms. */
function insnText(i: Instr, v: Record<string, number>): string {
  const f = { ...i.fixed, ...v } as Record<string, number>;
  const op = OPCODE_NAME[f['opcode']!]!;
  const x = (n: number | undefined) => `x${n ?? 0}`;
  switch (i.format) {
    case 'VI': // I-type: imm[11:0] rs1 funct3 rd
      return `.insn i ${op}, ${f['funct3']}, ${x(f['vd'])}, ${f['imm12']}(${x(f['rs1'])})`;
    case 'VS': // S-type: the stored register in rs2
      return `.insn s ${op}, ${f['funct3']}, ${x(f['vs2'])}, ${f['simm12']}(${x(f['rs1'])})`;
    default: {
      // R-type: funct7 = bits 31..25, rs2 = 24..20, rs1 = 19..15, rd = 11..7
      const layout: Record<string, [number, number, number, number]> = {
        // [funct7, rs2, rs1, rd]
        VV: [(f['funct3v']! << 4) | f['fmt']!, f['vs2']!, f['vs1']!, f['vd']!],
        VX: [(f['funct3v']! << 4) | f['fmt']!, f['rs2']!, f['rs1']!, f['vd']!],
        VXV: [(f['funct3v']! << 4) | f['fmt']!, f['vs2']!, f['rs1']!, f['vd']!],
        VXS: [(f['funct3v']! << 4) | f['fmt']!, f['rs2']!, f['rs1']!, f['vs3']!],
        VVX: [(f['funct3v']! << 4) | f['fmt']!, f['rs2']!, f['vs1']!, f['vd']!],
        XV: [(f['funct3v']! << 4) | f['fmt']!, f['rs2']!, f['vs1']!, f['rd']!],
        VP: [(f['funct3v']! << 4) | f['fmt']!, f['pat5']!, f['vs1']!, f['vd']!],
        VC: [(f['b31']! << 6) | (f['part']! << 4) | f['fmt']!, (f['srb']! << 4) | f['sfmt']!, f['vs1']!, f['vd']!],
        MMA: [(f['funct3v']! << 4) | f['fmt']!, f['vs2']!, f['vs1']!, (f['pad3a']! << 2) | f['acc']!],
        MGET: [(f['funct3v']! << 4) | f['pad4']!, (f['pad3c']! << 2) | f['mpart']!, (f['pad3b']! << 2) | f['acc1']!, f['vd']!],
        MSET: [(f['funct3v']! << 4) | f['pad4']!, (f['pad3c']! << 2) | f['mpart']!, f['vs1']!, (f['pad3a']! << 2) | f['acc']!],
        R: [f['funct7']!, f['rs2'] ?? 0, f['rs1'] ?? 0, f['rd'] ?? 0],
      };
      const [funct7, rs2, rs1, rd] = layout[i.format]!;
      return `.insn r ${op}, ${f['funct3']}, ${funct7}, x${rd}, x${rs1}, x${rs2}`;
    }
  }
}

describe(`D1 encodings agree with GNU as .insn${skip}`, () => {
  it.skipIf(skip !== '')('for every D1 instruction, with several operand sets each', () => {
    const d1 = INSTRUCTIONS.filter((i) => !isStandard(i));
    expect(d1.length).toBeGreaterThan(40);
    const rows = d1.flatMap((i) => [1, 2, 3, 4].map((seed) => ({ i, v: operands(i, seed * 1000 + i.id) })));
    const ours = `_start:\n${rows.map((r) => `        ${d1Text(r.i, r.v)}`).join('\n')}\n`;
    const gnu = `        .text\n        .globl _start\n_start:\n${rows.map((r) => `        ${insnText(r.i, r.v)}`).join('\n')}\n`;
    const { image, diagnostics } = assemble([{ path: 'd1.dasm', text: ours }]);
    expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`)).toEqual([]);
    const dir = tempDir('d1-gnu-insn-');
    const built = gnuBuild(gnu, dir);
    if (built.error) throw new Error(built.error.slice(0, 2000));
    const theirs = gnuSection(built.elf!, '.text', dir);
    const text = image!.sections.find((s) => s.name === '.text')!.bytes;
    const a = new DataView(text.buffer, text.byteOffset);
    const b = new DataView(theirs.buffer, theirs.byteOffset);
    expect(text.length).toBe(theirs.length);
    const diffs = rows
      .map((r, k) => ({ r, ours: a.getUint32(4 * k, true), gnu: b.getUint32(4 * k, true) }))
      .filter((d) => d.ours !== d.gnu)
      .map((d) => `${d1Text(d.r.i, d.r.v)}: d1 ${d.ours.toString(16)}, GNU ${d.gnu.toString(16)} (${insnText(d.r.i, d.r.v)})`);
    expect(diffs).toEqual([]);
  });
});
