// Instruction fields: each name maps to the instruction bits it occupies (RISC-V unprivileged spec,
// chapter 2.2-2.3, "Base Instruction Formats" and "Immediate Encoding Variants").
// This is the only place in the project where a bit position is written down.

/** One contiguous run of instruction bits [hi:lo] holding value bits starting at `at`. */
export interface Slice {
  hi: number;
  lo: number;
  at: number;
}

/** How an operand field is written in assembly. */
export type OperandKind =
  | 'xreg' // x0..x31 or ABI name
  | 'simm' // signed immediate
  | 'uimm' // unsigned immediate
  | 'pcrel' // signed, even, PC-relative target (branches, jal)
  | 'csr' // CSR number or name
  | 'fence' // a subset of "iorw"
  | 'vreg' // v0..v31
  | 'fmt' // format-table entry fmt0..fmt15
  | 'acc'; // matrix accumulator m0..m3

export interface Field {
  name: string;
  slices: Slice[];
  /** Number of value bits (the highest value bit + 1). */
  width: number;
  signed: boolean;
  /** Low value bits that are always zero and not stored (branch/jump offsets). */
  scale: number;
  kind: OperandKind;
  /** Human description for docs/isa.md. */
  doc: string;
}

function field(
  name: string,
  kind: OperandKind,
  signed: boolean,
  slices: [number, number, number][],
  doc: string,
  scale = 0,
): Field {
  const s = slices.map(([hi, lo, at]) => ({ hi, lo, at }));
  const width = Math.max(...s.map((x) => x.at + x.hi - x.lo + 1));
  return { name, slices: s, width, signed, scale, kind, doc };
}

/** Fields that only ever hold fixed values (opcode, function codes). */
const fixedField = (name: string, hi: number, lo: number): Field =>
  field(name, 'uimm', false, [[hi, lo, 0]], 'fixed');

export const FIELDS: Record<string, Field> = Object.fromEntries(
  [
    fixedField('opcode', 6, 0),
    fixedField('funct3', 14, 12),
    fixedField('funct7', 31, 25),
    fixedField('funct6', 31, 26),
    fixedField('fm', 31, 28),
    fixedField('funct2', 26, 25),
    field('rd', 'xreg', false, [[11, 7, 0]], 'destination register'),
    field('rs1', 'xreg', false, [[19, 15, 0]], 'first source register'),
    field('rs2', 'xreg', false, [[24, 20, 0]], 'second source register'),
    field('rs3', 'xreg', false, [[31, 27, 0]], 'third source register'),
    field('imm12', 'simm', true, [[31, 20, 0]], '12-bit signed immediate'),
    field('simm12', 'simm', true, [[31, 25, 5], [11, 7, 0]], '12-bit signed store offset'),
    field('bimm', 'pcrel', true, [[31, 31, 12], [30, 25, 5], [11, 8, 1], [7, 7, 11]], 'branch offset, +-4 KiB', 1),
    field('jimm', 'pcrel', true, [[31, 31, 20], [30, 21, 1], [20, 20, 11], [19, 12, 12]], 'jump offset, +-1 MiB', 1),
    field('imm20', 'uimm', false, [[31, 12, 0]], 'upper 20 bits'),
    field('shamt5', 'uimm', false, [[24, 20, 0]], '5-bit shift amount'),
    field('shamt6', 'uimm', false, [[25, 20, 0]], '6-bit shift amount'),
    field('csr', 'csr', false, [[31, 20, 0]], 'CSR number'),
    field('zimm', 'uimm', false, [[19, 15, 0]], '5-bit unsigned CSR immediate'),
    // Dojo D1 vector and matrix fields (docs/machine.md, "Vector unit"): the registers sit where RISC-V
    // puts rd, rs1 and rs2; the format-table entry and function bits fill funct7's place.
    fixedField('funct3v', 31, 29),
    fixedField('b31', 31, 31),
    fixedField('srb', 24, 24),
    fixedField('pad3a', 11, 9),
    fixedField('pad3b', 19, 17),
    fixedField('pad3c', 24, 22),
    fixedField('pad4', 28, 25),
    field('vd', 'vreg', false, [[11, 7, 0]], 'destination vector register'),
    field('vs1', 'vreg', false, [[19, 15, 0]], 'first source vector register'),
    field('vs2', 'vreg', false, [[24, 20, 0]], 'second source vector register'),
    field('vs3', 'vreg', false, [[11, 7, 0]], 'vector register to store'),
    field('fmt', 'fmt', false, [[28, 25, 0]], 'format-table entry of the lanes (fmt0..fmt15)'),
    field('sfmt', 'fmt', false, [[23, 20, 0]], 'format-table entry of the source lanes'),
    field('part', 'uimm', false, [[30, 29, 0]], 'which quarter/half of the wider side (0..3)'),
    field('pat5', 'uimm', false, [[24, 20, 0]], 'lane pattern: lane i takes lane i xor pat5'),
    field('acc', 'acc', false, [[8, 7, 0]], 'matrix accumulator (m0..m3)'),
    field('acc1', 'acc', false, [[16, 15, 0]], 'matrix accumulator (m0..m3)'),
    field('mpart', 'uimm', false, [[21, 20, 0]], 'accumulator row pair (0..3: rows 2p, 2p+1)'),
    field('pred', 'fence', false, [[27, 24, 0]], 'fence predecessor set (iorw)'),
    field('succ', 'fence', false, [[23, 20, 0]], 'fence successor set (iorw)'),
  ].map((f) => [f.name, f]),
);

/** Value range an operand field accepts, in assembly units (before scaling). */
export function fieldRange(f: Field): { min: bigint; max: bigint } {
  const bits = BigInt(f.width);
  return f.signed
    ? { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n }
    : { min: 0n, max: (1n << bits) - 1n };
}

/** Place a field value into instruction bits (value must already be range-checked), as a signed 32-bit
 * number: one V8 keeps a small integer (bit 31 set would make a heap number of each word); callers OR it
 * into a word. Fields are at most 21 bits wide, so 32-bit integer operations are exact. */
export function insertField(f: Field, value: number): number {
  let word = 0;
  // (an indexed loop: the assembler encodes every instruction through here, and an iterator is an
  // object until the JIT has compiled the loop)
  for (let k = 0; k < f.slices.length; k++) {
    const s = f.slices[k]!;
    word |= ((value >> s.at) & ((1 << (s.hi - s.lo + 1)) - 1)) << s.lo;
  }
  return word;
}

/** Read a field's value from an instruction word, sign-extended when the field is signed. */
export function extractField(f: Field, word: number): number {
  let v = 0;
  for (const s of f.slices) {
    const n = s.hi - s.lo + 1;
    v += ((word >>> s.lo) & ((2 ** n) - 1)) * 2 ** s.at;
  }
  if (f.signed && v >= 2 ** (f.width - 1)) v -= 2 ** f.width;
  return v;
}

/** Mask of the instruction bits a field occupies. */
export function fieldMask(f: Field): number {
  let m = 0;
  for (const s of f.slices) m += (2 ** (s.hi - s.lo + 1) - 1) * 2 ** s.lo;
  return m;
}
