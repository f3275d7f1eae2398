// Dojo D1 vector and matrix instructions (docs/machine.md, "Vector unit" and "Matrix units"). The
// opcodes are RISC-V's custom-0..3; the public record gives the operations, not the encodings, so the
// encodings are ours. Every lane operation names a format-table entry (CSR fmt0..fmt15): one register
// always holds lanes of one format.
import type { InstrDef, TimingClass } from '../types.js';
import { OPCODES as O } from '../formats.js';

/** Bytes of a vector register v0..v31 (512 bits, the width of the SIMD unit). */
export const VREG_BYTES = 64;

const MANUAL = 'D1 machine.md';

function row(mnemonic: string, format: string, fixed: Record<string, number>, syntax: string, timing: TimingClass, summary: string, flags?: InstrDef['flags']): InstrDef {
  return { mnemonic, ext: 'd1v', format, fixed, syntax, timing, summary, manual: MANUAL, ...(flags ? { flags } : {}) };
}

/** custom-0: lane arithmetic, funct3 picks the group, funct3v the operation. */
const vv = (mnemonic: string, funct3: number, funct3v: number, timing: TimingClass, summary: string): InstrDef =>
  row(mnemonic, 'VV', { opcode: O.CUSTOM_0, funct3, funct3v }, 'vd, vs1, vs2, fmt', timing, summary);
const unary = (mnemonic: string, funct3: number, funct3v: number, timing: TimingClass, summary: string): InstrDef =>
  row(mnemonic, 'VV', { opcode: O.CUSTOM_0, funct3, funct3v, vs2: 0 }, 'vd, vs1, fmt', timing, summary);
const bitwise = (mnemonic: string, funct3v: number, summary: string): InstrDef =>
  row(mnemonic, 'VV', { opcode: O.CUSTOM_0, funct3: 3, funct3v, fmt: 0 }, 'vd, vs1, vs2', 'valu', summary);
const trn = (esz: number, funct3v: number): InstrDef => {
  const n = VREG_BYTES / esz;
  return {
    ...row(`vtrn.${esz}`, 'VV', { opcode: O.CUSTOM_0, funct3: 6, funct3v, vs2: 0, fmt: 0 }, 'vd, vs1', 'vperm',
      `transpose the ${n}x${n} block of ${esz}-byte elements held in registers vs1..vs1+${n - 1} into vd..vd+${n - 1} (both groups aligned); the SIMD unit is busy one cycle per register`),
    busy: n,
    group: n,
  };
};

export const D1V: InstrDef[] = [
  vv('vadd', 0, 0, 'valu', 'vd[i] = vs1[i] + vs2[i]'),
  vv('vsub', 0, 1, 'valu', 'vd[i] = vs1[i] - vs2[i]'),
  vv('vmul', 0, 2, 'vfma', 'vd[i] = vs1[i] * vs2[i]'),
  { ...vv('vfma', 0, 3, 'vfma', 'vd[i] = vd[i] + vs1[i] * vs2[i], one rounding'), flags: { readsDest: true } },
  vv('vmin', 0, 4, 'valu', 'vd[i] = min(vs1[i], vs2[i])'),
  vv('vmax', 0, 5, 'valu', 'vd[i] = max(vs1[i], vs2[i])'),
  vv('vdiv', 0, 6, 'vlong', 'vd[i] = vs1[i] / vs2[i] (floats; integers divide toward zero, /0 gives all ones)'),
  unary('vabs', 1, 0, 'valu', 'vd[i] = |vs1[i]|'),
  unary('vneg', 1, 1, 'valu', 'vd[i] = -vs1[i]'),
  unary('vrelu', 1, 2, 'valu', 'vd[i] = max(vs1[i], 0)'),
  unary('vexp', 1, 3, 'vlong', 'vd[i] = e^vs1[i] (floats)'),
  unary('vrsqrt', 1, 4, 'vlong', 'vd[i] = 1 / sqrt(vs1[i]) (floats)'),
  row('vmov', 'VV', { opcode: O.CUSTOM_0, funct3: 1, funct3v: 7, vs2: 0, fmt: 0 }, 'vd, vs1', 'valu', 'vd = vs1'),
  vv('vcmpeq', 2, 0, 'valu', 'vd[i] = vs1[i] == vs2[i] ? all ones : 0'),
  vv('vcmplt', 2, 1, 'valu', 'vd[i] = vs1[i] < vs2[i] ? all ones : 0'),
  vv('vcmple', 2, 2, 'valu', 'vd[i] = vs1[i] <= vs2[i] ? all ones : 0'),
  row('vsel', 'VV', { opcode: O.CUSTOM_0, funct3: 2, funct3v: 3, fmt: 0 }, 'vd, vs1, vs2', 'valu', 'vd = (vd & vs1) | (~vd & vs2): a compare mask in vd picks vs1', { readsDest: true }),
  bitwise('vand', 0, 'vd = vs1 & vs2'),
  bitwise('vor', 1, 'vd = vs1 | vs2'),
  bitwise('vxor', 2, 'vd = vs1 ^ vs2'),
  vv('vsll', 3, 3, 'valu', 'vd[i] = vs1[i] << (vs2[i] mod lane bits) (integers)'),
  vv('vsrl', 3, 4, 'valu', 'vd[i] = vs1[i] >> (vs2[i] mod lane bits), logical (integers)'),
  vv('vsra', 3, 5, 'valu', 'vd[i] = vs1[i] >> (vs2[i] mod lane bits), arithmetic (integers)'),
  unary('vredsum', 4, 0, 'vlong', 'vd[0] = sum of vs1[i] (in lane order, binary64, one rounding), other lanes 0'),
  unary('vredmax', 4, 1, 'vlong', 'vd[0] = max of vs1[i], other lanes 0'),
  unary('vredmin', 4, 2, 'vlong', 'vd[0] = min of vs1[i], other lanes 0'),
  vv('vperm', 5, 0, 'vperm', 'vd[i] = vs1[vs2[i] mod lanes] (vs2 lanes read as unsigned integers)'),
  row('vshuf', 'VP', { opcode: O.CUSTOM_0, funct3: 5, funct3v: 1 }, 'vd, vs1, pat5, fmt', 'vperm', 'vd[i] = vs1[i xor pat5] (pat5 mod lanes)'),
  trn(8, 0),
  trn(16, 1),
  trn(32, 2),
  trn(4, 3),

  row('vld', 'VI', { opcode: O.CUSTOM_1, funct3: 0 }, 'vd, imm12(rs1)', 'vload', `vd = the ${VREG_BYTES} bytes at rs1 + imm12 (${VREG_BYTES}-byte aligned)`, { mayLoad: true }),
  row('vst', 'VS', { opcode: O.CUSTOM_1, funct3: 1 }, 'vs2, simm12(rs1)', 'vstore', `the ${VREG_BYTES} bytes at rs1 + simm12 (${VREG_BYTES}-byte aligned) = vs2`, { mayStore: true }),
  row('vlds', 'VX', { opcode: O.CUSTOM_1, funct3: 2, funct3v: 0 }, 'vd, rs1, rs2, fmt', 'vgather', 'vd[i] = lane at rs1 + i * rs2 (strided load; lane-aligned)', { mayLoad: true }),
  row('vgather', 'VXV', { opcode: O.CUSTOM_1, funct3: 2, funct3v: 1 }, 'vd, rs1, vs2, fmt', 'vgather', 'vd[i] = lane at rs1 + vs2[i] * lane bytes (local gather; vs2 lanes unsigned)', { mayLoad: true }),
  row('vldt', 'VX', { opcode: O.CUSTOM_1, funct3: 2, funct3v: 2 }, 'vd, rs1, rs2, fmt', 'vgather', 'vd[i] = tensor[rs1][rs2 + i] of the tile CSRs, 0 outside the tensor (implicit padding)', { mayLoad: true }),
  row('vsts', 'VXS', { opcode: O.CUSTOM_1, funct3: 3, funct3v: 0 }, 'vs3, rs1, rs2, fmt', 'vscatter', 'lane at rs1 + i * rs2 = vs3[i] (strided store)', { mayStore: true }),

  row('vcvt', 'VC', { opcode: O.CUSTOM_2, funct3: 0, b31: 0, srb: 0 }, 'vd, vs1, fmt, sfmt, part', 'valu', 'convert lanes of format sfmt to fmt, round to nearest even; part picks the quarter/half of the wider side', { readsDest: true }),
  row('vcvt.sr', 'VC', { opcode: O.CUSTOM_2, funct3: 0, b31: 0, srb: 1 }, 'vd, vs1, fmt, sfmt, part', 'valu', 'as vcvt, with stochastic rounding (one draw of vsrstate per lane, in lane order)', { readsDest: true }),
  row('vbcast', 'VX', { opcode: O.CUSTOM_2, funct3: 1, funct3v: 0, rs2: 0 }, 'vd, rs1, fmt', 'vperm', 'vd[i] = low lane bits of rs1, for every lane'),
  row('vins', 'VX', { opcode: O.CUSTOM_2, funct3: 1, funct3v: 1 }, 'vd, rs1, rs2, fmt', 'vmove', 'vd[rs2 mod lanes] = low lane bits of rs1', { readsDest: true }),
  row('vbcastl', 'VVX', { opcode: O.CUSTOM_2, funct3: 1, funct3v: 2 }, 'vd, vs1, rs2, fmt', 'vperm', 'vd[i] = vs1[rs2 mod lanes], for every lane'),
  row('vext', 'XV', { opcode: O.CUSTOM_2, funct3: 2, funct3v: 0 }, 'rd, vs1, rs2, fmt', 'vmove', 'rd = vs1[rs2 mod lanes], sign-extended for signed integer lanes, else zero-extended'),

];
