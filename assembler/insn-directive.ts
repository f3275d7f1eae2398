// GNU as's `.insn` directive (docs/dasm.md "Instructions"; GNU as manual, "RISC-V Directives" and "RISC-V
// Instruction Formats"): an instruction given by a format and its fields, `.insn r OP, 0, 0, a0, a1, a2`,
// or by its word, `.insn 0x00c58533` or `.insn 4, 0x00c58533`. Each format is the statement `.insn <format>`
// with one form per GNU operand list over an isa/formats.ts format, every field an operand; registers,
// immediates (`imm(reg)`, %hi/%lo), branch and jump targets then go the way of the base instructions' (and
// `.insn b` relaxes as a branch does), so the words are GNU's. Only 32-bit instructions: d1 has no C set.
import { syntaxFields } from '../isa/check.js';
import { FIELDS, fieldRange } from '../isa/fields.js';
import { FORMATS, OPCODES } from '../isa/formats.js';
import type { Instr, InstrFlags } from '../isa/types.js';
import { ExprError, type Expr, type Loc } from './expr.js';
import type { Operand, Statement } from './visitor.js';

/** GNU's formats with integer registers (binutils opcodes/riscv-opc.c riscv_insn_types): name, format,
 * operands in GNU's order. `r` with seven operands is `r4`. */
const FORMS: [name: string, format: string, syntax: string][] = [
  ['r', 'R', 'opcode, funct3, funct7, rd, rs1, rs2'],
  ['r', 'R4', 'opcode, funct3, funct2, rd, rs1, rs2, rs3'],
  ['r4', 'R4', 'opcode, funct3, funct2, rd, rs1, rs2, rs3'],
  ['i', 'I', 'opcode, funct3, rd, rs1, imm12'],
  ['i', 'I', 'opcode, funct3, rd, imm12(rs1)'],
  ['s', 'S', 'opcode, funct3, rs2, simm12(rs1)'],
  ['b', 'B', 'opcode, funct3, rs1, rs2, bimm'],
  ['sb', 'B', 'opcode, funct3, rs1, rs2, bimm'],
  ['u', 'U', 'opcode, rd, imm20'],
  ['j', 'J', 'opcode, rd, jimm'],
  ['uj', 'J', 'opcode, rd, jimm'],
];
/** GNU's formats of compressed instructions (16-bit). */
const COMPRESSED = new Set(['cr', 'ci', 'ciw', 'ca', 'cb', 'cj', 'cs', 'css', 'cl']);
const FLAGS: Record<string, InstrFlags> = { B: { branch: true }, J: { jump: true } };

/** The forms as instructions of mnemonic `.insn <format>` with every field an operand (match and mask 0);
 * assembler/insn.ts takes them with the table's. Loading checks each names exactly its format's fields. */
export const INSN_FORMS: Instr[] = FORMS.map(([name, format, syntax]) => {
  const operands = syntaxFields(syntax);
  if ([...operands].sort().join() !== [...FORMATS[format]!].sort().join()) throw new Error(`.insn ${name} '${syntax}' does not name the fields of format ${format}`);
  return {
    mnemonic: `.insn ${name}`, ext: 'insn', format, fixed: {}, syntax, timing: 'alu', summary: `GNU as .insn ${name}`,
    manual: 'GNU as, RISC-V Instruction Formats', flags: FLAGS[format], operands, match: 0, mask: 0, exec: '', id: -1,
  };
});
const FORMAT_NAMES = [...new Set(FORMS.map(([name]) => name))];
const OPCODE_BY_NAME = new Map<string, number>(Object.entries(OPCODES));

/** Why the low bits of a word do not start a 32-bit instruction (RISC-V unprivileged spec, "Expanded
 * Instruction-Length Encoding"), or undefined. */
function notWord32(v: number): string | undefined {
  if ((v & 3) !== 3) return `low two bits ${(v & 3).toString(2).padStart(2, '0')} make a 16-bit compressed instruction (d1 has no C extension; a 32-bit instruction's are 11)`;
  if ((v & 0x1c) === 0x1c) return 'bits 4..2 of 111 make an instruction longer than 32 bits (d1 has none)';
  return undefined;
}

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

/**
 * The statement a `.insn` line stands for: `.insn <format>` with its opcode and function codes as numbers
 * (constants now, as GNU as requires; the opcode may be a major opcode's name, OP_IMM), for
 * assembler/insn.ts to assemble; or, for `.insn [length,] value`, the word itself. Throws ExprError.
 */
export function insnStatement(st: Statement, constant: (e: Expr) => bigint): Statement {
  const format = st.name!.slice('.insn'.length).trim();
  const loc = st.nameLoc!;
  const ops = st.operands;
  if (format === '') return { ...st, name: '.insn', operands: [], words: Int32Array.of(rawWord(ops, constant, loc)) };
  const forms = INSN_FORMS.filter((i) => i.mnemonic === `.insn ${format}`);
  if (forms.length === 0) {
    const why = COMPRESSED.has(format) ? `'${format}' is a compressed (16-bit) format and d1 has no C extension` : `unknown format '${format}'`;
    throw new ExprError(`.insn: ${why}; expected ${FORMAT_NAMES.join(', ')}, or a value`, loc, 'bad-directive');
  }
  const name = `.insn ${format}`;
  // a wrong operand count is for assembler/insn.ts to report, with the forms it expected
  const operands = forms.map((i) => i.syntax.split(', ')).find((names) => names.length === ops.length);
  if (!operands) return { ...st, name };
  return { ...st, name, operands: ops.map((o, k) => (operands[k] === 'opcode' || operands[k]!.startsWith('funct') ? code(name, operands[k]!, o, constant) : o)) };
}

/** An opcode or function-code operand as a number, checked against its field. */
function code(name: string, field: string, o: Operand, constant: (e: Expr) => bigint): Operand {
  if (o.kind !== 'expr') throw new ExprError(`${name}: the ${field} must be a constant expression`, o.loc, 'operand');
  const e = o.e;
  const named = field === 'opcode' && e.k === 'sym' && !e.paren ? OPCODE_BY_NAME.get(e.name) : undefined;
  const v = named !== undefined ? BigInt(named) : value(e, `${name}: the ${field}`, constant);
  const { min, max } = fieldRange(FIELDS[field]!);
  if (v < min || v > max) throw new ExprError(`${name}: ${field}: ${v} is out of range ${min}..${max}`, e.loc, 'imm-range');
  const bad = field === 'opcode' ? notWord32(Number(v)) : undefined;
  if (bad) throw new ExprError(`${name}: opcode ${hex(v)}: ${bad}`, e.loc, 'imm-range');
  return { kind: 'expr', e: { k: 'num', v, loc: e.loc }, loc: o.loc };
}

/** An expression that must be a constant at this line (numbers, symbols set before it); `what` names it. */
function value(e: Expr, what: string, constant: (e: Expr) => bigint): bigint {
  try {
    return constant(e);
  } catch (err) {
    if (err instanceof ExprError) throw new ExprError(`${what} must be a constant defined before this line: ${err.message}`, err.loc, err.code);
    throw err;
  }
}

/** The word of `.insn value` or `.insn length, value`. */
function rawWord(ops: Operand[], constant: (e: Expr) => bigint, loc: Loc): number {
  const usage = '.insn expects a format and its fields (.insn r opcode, funct3, funct7, rd, rs1, rs2), a value (.insn value) or a length and a value (.insn 4, value)';
  const first = ops[0];
  if (first?.kind === 'expr' && first.e.k === 'sym' && FORMAT_NAMES.includes(first.e.name) && ops.length > 1) {
    throw new ExprError(`.insn: a space, not a comma, follows the format: '.insn ${first.e.name} opcode, ...'`, first.loc, 'bad-directive');
  }
  if (ops.length < 1 || ops.length > 2) throw new ExprError(usage, ops[2]?.loc ?? loc, 'bad-directive');
  const exprs = ops.map((o) => {
    if (o.kind !== 'expr') throw new ExprError(usage, o.loc, 'bad-directive');
    return o.e;
  });
  const word = exprs[exprs.length - 1]!;
  if (exprs.length === 2) {
    const length = value(exprs[0]!, '.insn: the length', constant);
    if (length !== 4n) {
      const why = length === 2n ? 'a compressed instruction, and d1 has no C extension' : 'd1 instructions are 4 bytes';
      throw new ExprError(`.insn: length ${length} is not supported: ${why}`, exprs[0]!.loc, 'bad-directive');
    }
  }
  const v = BigInt.asUintN(64, value(word, '.insn: the value', constant));
  if (v > 0xffffffffn) throw new ExprError(`.insn: value ${hex(v)} does not fit a 32-bit instruction`, word.loc, 'imm-range');
  const bad = notWord32(Number(v));
  if (bad) throw new ExprError(`.insn: value ${hex(v)}: ${bad}`, word.loc, 'imm-range');
  return Number(v);
}
