// Instruction statements to machine operations (docs/dasm.md "Instructions" and "Pseudo-instructions").
// A mnemonic is looked up in the isa/ table and its one-instruction aliases; operand shapes pick the
// form (register, immediate, `imm(reg)`). Multi-instruction pseudos (li, la, lla, call, tail, and
// loads/stores of a symbol) expand as GNU as does without relaxation.
import { ALIASES, MULTI_PSEUDOS } from '../isa/aliases.js';
import { CSR_BY_NAME } from '../isa/csr.js';
import { checkOperand } from '../isa/codec.js';
import { FIELDS, fieldRange, insertField, type Field } from '../isa/fields.js';
import { parseExpansion } from '../isa/print.js';
import { accumulator, formatEntry, vreg, xreg } from '../isa/registers.js';
import { BY_MNEMONIC } from '../isa/table.js';
import { INVERSE_BRANCH } from '../isa/ext/rv64i.js';
import type { Instr } from '../isa/types.js';
import { displayName, ExprError, splitHiLo, type Expr, type Loc } from './expr.js';
import { INSN_FORMS } from './insn-directive.js';
import type { Operand, Statement } from './visitor.js';

/** A field's value: known now, an expression for later, or the hi/lo half of a pc-relative offset. */
export type FieldValue =
  | { n: number }
  | { e: Expr }
  | { half: 'hi' | 'lo'; target: Expr; /** byte offset from this instruction back to its auipc */ anchor: number };

export interface MachineOp {
  instr: Instr;
  fields: Record<string, FieldValue>;
}

type Pattern = { field: string } | { mem: { offset: string; base: string } };

interface Form {
  syntax: string;
  pattern: Pattern[];
  build: (v: Record<string, FieldValue>) => MachineOp[];
  /** The one instruction the form encodes, and where each of its fields comes from. */
  instr: Instr;
  bind: { field: string; from?: string; value?: number }[];
  /** Its immediate must be a constant now (isa/types.ts AliasDef.constant). */
  constant?: boolean;
}

function patternOf(syntax: string): Pattern[] {
  if (syntax.trim() === '') return [];
  return syntax.split(',').map((p) => {
    const m = /^\s*(\w+)\((\w+)\)\s*$/.exec(p);
    return m ? { mem: { offset: m[1]!, base: m[2]! } } : { field: p.trim() };
  });
}

const FORMS = new Map<string, Form[]>();
function addForm(mnemonic: string, form: Form): void {
  const list = FORMS.get(mnemonic) ?? [];
  list.push(form);
  FORMS.set(mnemonic, list);
}
// the table's instructions, and the forms of GNU's `.insn <format>` (assembler/insn-directive.ts)
for (const instr of [...BY_MNEMONIC.values(), ...INSN_FORMS]) {
  const bind = instr.operands.map((field) => ({ field, from: field }));
  addForm(instr.mnemonic, { syntax: instr.syntax, pattern: patternOf(instr.syntax), build: (v) => [{ instr, fields: v }], instr, bind });
}
for (const a of ALIASES) {
  if (a.printOnly) continue;
  const { base, args } = parseExpansion(a.expands);
  const instr = BY_MNEMONIC.get(base)!;
  addForm(a.mnemonic, {
    syntax: a.syntax,
    pattern: patternOf(a.syntax),
    instr,
    constant: a.constant,
    bind: instr.operands.map((field, k) => (args[k]!.from !== undefined ? { field, from: args[k]!.from } : { field, value: args[k]!.value! })),
    build: (v) => {
      const fields: Record<string, FieldValue> = {};
      instr.operands.forEach((name, k) => {
        const arg = args[k]!;
        fields[name] = arg.from !== undefined ? v[arg.from]! : { n: arg.value! };
      });
      return [{ instr, fields }];
    },
  });
}

export class AsmError extends Error {
  constructor(
    message: string,
    public loc: Loc,
    public code = 'operand',
  ) {
    super(message);
  }
}

/** Shared, immutable field values for the 32 registers (one object each, not one per operand). */
const REG_VALUES: readonly FieldValue[] = Array.from({ length: 32 }, (_, n) => Object.freeze({ n }));

/** The operand's name when it is a bare symbol (a register, accumulator or format-entry name, or a label). */
const bareName = (o: Operand): string | undefined => (o.kind === 'expr' && o.e.k === 'sym' && !o.e.paren ? o.e.name : undefined);

const isRegister = (o: Operand): number | undefined => {
  const name = bareName(o);
  return name === undefined ? undefined : xreg(name);
};

const vregName = (o: Operand): boolean => o.kind === 'expr' && o.e.k === 'sym' && vreg(o.e.name) !== undefined;

function describe(o: Operand): string {
  if (o.kind === 'string') return 'a string';
  if (o.kind === 'expr' && vregName(o)) return `vector register '${(o.e as { name: string }).name}'`;
  if (o.kind === 'type') return `'@${o.name}'`;
  if (o.kind === 'mem') return 'a memory operand';
  if (isRegister(o) !== undefined) return `register '${(o.e as { name: string }).name}'`;
  return 'an expression';
}

/** Value of one operand for one field, or a message saying why it does not fit. */
function operandValue(field: string, o: Operand): FieldValue | string {
  const f = FIELDS[field]!;
  switch (f.kind) {
    case 'xreg': {
      const r = isRegister(o);
      if (r !== undefined) return REG_VALUES[r]!;
      if (o.kind === 'expr' && o.e.k === 'sym' && /^x[0-9]+$/i.test(o.e.name)) return `'${o.e.name}' is not a register (x0..x31)`;
      return `expected a register, got ${describe(o)}`;
    }
    case 'vreg': {
      const r = vreg(bareName(o) ?? '');
      if (r !== undefined) return REG_VALUES[r]!;
      return `expected a vector register (v0..v31), got ${describe(o)}`;
    }
    case 'acc': {
      const r = accumulator(bareName(o) ?? '');
      if (r !== undefined) return REG_VALUES[r]!;
      return `expected a matrix accumulator (m0..m3), got ${describe(o)}`;
    }
    case 'fmt': {
      const name = bareName(o);
      if (name !== undefined) {
        const n = formatEntry(name);
        if (n !== undefined) return REG_VALUES[n]!;
        if (/^fmt[0-9]+$/i.test(name)) return `'${name}' is not a format-table entry (fmt0..fmt15)`;
      }
      if (o.kind !== 'expr' || isRegister(o) !== undefined || vregName(o)) return `expected a format-table entry (fmt0..fmt15), got ${describe(o)}`;
      return { e: o.e };
    }
    case 'fence': {
      if (o.kind === 'expr' && o.e.k === 'sym' && /^[iorw]+$/.test(o.e.name)) {
        let bits = 0;
        for (const c of o.e.name) bits |= 1 << (3 - 'iorw'.indexOf(c));
        return { n: bits };
      }
      if (o.kind === 'expr' && o.e.k === 'num') return { e: o.e };
      return `expected a fence set (a combination of i, o, r, w), got ${describe(o)}`;
    }
    case 'csr': {
      if (o.kind === 'expr' && o.e.k === 'sym' && !o.e.paren) {
        const c = CSR_BY_NAME.get(o.e.name.toLowerCase());
        if (c) return { n: c.number };
        if (isRegister(o) !== undefined) return `expected a CSR, got ${describe(o)}`;
      }
      if (o.kind === 'expr') return { e: o.e };
      return `expected a CSR name or number, got ${describe(o)}`;
    }
    default:
      // A branch or jump target is always an expression: a register name there names a symbol, as in GNU as.
      if (o.kind !== 'expr' || (f.kind !== 'pcrel' && (isRegister(o) !== undefined || vregName(o)))) return `expected ${f.kind === 'pcrel' ? 'a label or address' : 'an immediate'}, got ${describe(o)}`;
      return { e: o.e };
  }
}

function tryForm(form: Form, ops: Operand[], env: InsnEnv): { v: Record<string, FieldValue> } | { at: number; message: string } {
  const v: Record<string, FieldValue> = {};
  for (let k = 0; k < form.pattern.length; k++) {
    const p = form.pattern[k]!;
    const o = ops[k]!;
    if ('mem' in p) {
      if (o.kind !== 'mem') return { at: k, message: `expected a memory operand 'offset(register)', got ${describe(o)}` };
      const base = operandValue(p.mem.base, { kind: 'expr', e: o.base, loc: o.base.loc });
      if (typeof base === 'string') return { at: k, message: base };
      v[p.mem.base] = base;
      v[p.mem.offset] = o.offset ? { e: o.offset } : { n: 0 };
      continue;
    }
    let r = operandValue(p.field, o);
    if (typeof r === 'string') return { at: k, message: r };
    if (form.constant && 'e' in r) {
      try {
        r = { e: { k: 'num', v: env.constant(r.e), loc: r.e.loc } };
      } catch (e) {
        if (e instanceof ExprError) return { at: k, message: `expected a constant defined before this line: ${e.message}` };
        throw e;
      }
    }
    v[p.field] = r;
  }
  return { v };
}

const PSEUDO = new Set<string>(MULTI_PSEUDOS);
const LOADS = new Set(['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu']);
const STORES = new Set(['sb', 'sh', 'sw', 'sd']);

/** Everything a statement needs from the rest of the assembler: constant evaluation for `li`. */
export interface InsnEnv {
  constant(e: Expr): bigint;
}

const op = (mnemonic: string, fields: Record<string, FieldValue>): MachineOp => ({ instr: BY_MNEMONIC.get(mnemonic)!, fields });
const reg = (n: number): FieldValue => REG_VALUES[n]!;

/** The steps of GNU's `li` of a signed 32-bit value, as li32 leaves them: `count` instructions, each
 * LI_MNEMONICS[op[k]] of immediate imm[k] (lui's upper 20 bits, or addi's/addiw's low 12), from rd
 * itself (fromRd[k]) or from zero. Reused: no objects for the most common pseudo-instruction. */
const LI_MNEMONICS = ['lui', 'addi', 'addiw'] as const;
const LI = { count: 0, op: [0, 0], imm: [0, 0], fromRd: [false, false] };

/** GNU's `li` of a signed 32-bit value (binutils tc-riscv.c load_const), into LI: lui of the upper part
 * and/or addiw of the low 12 bits (a lone 12-bit value at the top level is `addi rd, zero, v`). */
function li32(v: number, top: boolean): void {
  const lo = ((v & 0xfff) ^ 0x800) - 0x800;
  const upper = v - lo;
  let n = 0;
  if (upper !== 0) {
    LI.op[n] = 0;
    LI.imm[n] = (upper / 4096) & 0xfffff;
    LI.fromRd[n++] = false;
  }
  if (lo !== 0 || upper === 0) {
    LI.op[n] = upper === 0 && top ? 1 : 2;
    LI.imm[n] = lo;
    LI.fromRd[n++] = upper !== 0;
  }
  LI.count = n;
}

/**
 * GNU as's `li` (binutils tc-riscv.c load_const): a signed 32-bit value is li32's lui and/or addiw;
 * otherwise build the value shifted right past its trailing zeros, then slli and addi the low 12 bits.
 */
export function liSequence(rd: number, value: bigint, top = true): MachineOp[] {
  const v = BigInt.asIntN(64, value);
  if (v === BigInt.asIntN(32, v)) {
    li32(Number(v), top);
    const out: MachineOp[] = [];
    for (let k = 0; k < LI.count; k++) {
      const imm = { n: LI.imm[k]! };
      out.push(LI.op[k] === 0 ? op('lui', { rd: reg(rd), imm20: imm }) : op(LI_MNEMONICS[LI.op[k]!]!, { rd: reg(rd), rs1: reg(LI.fromRd[k] ? rd : 0), imm12: imm }));
    }
    return out;
  }
  const lo = BigInt.asIntN(12, v);
  const upper = BigInt.asIntN(64, v - lo); // wraps like GNU's int64 arithmetic (e.g. for 2^63 - 1)
  let shift = 12n;
  while (((upper >> shift) & 1n) === 0n) shift++;
  const out = liSequence(rd, upper >> shift, false);
  out.push(op('slli', { rd: reg(rd), rs1: reg(rd), shamt6: { n: Number(shift) } }));
  if (lo !== 0n) out.push(op('addi', { rd: reg(rd), rs1: reg(rd), imm12: { n: Number(lo) } }));
  return out;
}

/** auipc + a second instruction that together reach `target` (pc-relative, no relaxation). */
function pcrelPair(auipcRd: number, target: Expr, second: MachineOp, loField: string): MachineOp[] {
  second.fields[loField] = { half: 'lo', target, anchor: 4 };
  return [op('auipc', { rd: reg(auipcRd), imm20: { half: 'hi', target, anchor: 0 } }), second];
}

function pseudo(name: string, ops: Operand[], env: InsnEnv, loc: Loc): MachineOp[] | undefined {
  const need = (n: number, what: string): void => {
    if (ops.length !== n) throw new AsmError(`'${name}' expects ${what}`, ops[n]?.loc ?? loc);
  };
  const regOf = (o: Operand): number => {
    const r = isRegister(o);
    if (r === undefined) throw new AsmError(`expected a register, got ${describe(o)}`, o.loc);
    return r;
  };
  // An address operand is always an expression: a register name there names a symbol, as in GNU as
  // (`la a0, t0` for a C global named t0).
  const target = (o: Operand): Expr => {
    if (o.kind !== 'expr') throw new AsmError(`expected a symbol or address, got ${describe(o)}`, o.loc);
    return o.e;
  };
  switch (name) {
    case 'li': {
      need(2, 'a register and a value: li rd, imm');
      const rd = regOf(ops[0]!);
      const o = ops[1]!;
      if (o.kind !== 'expr' || isRegister(o) !== undefined) throw new AsmError(`expected an immediate, got ${describe(o)}`, o.loc);
      let v: bigint;
      try {
        v = env.constant(o.e);
      } catch (e) {
        if (e instanceof ExprError && (e.code === 'not-absolute' || e.code === 'undefined-symbol')) {
          throw new AsmError(`li needs a constant value defined before this line (use la for an address): ${e.message}`, e.loc, 'not-absolute');
        }
        throw e;
      }
      return liSequence(rd, v);
    }
    case 'la':
    case 'lla':
      need(2, 'a register and a symbol: la rd, symbol');
      return pcrelPair(regOf(ops[0]!), target(ops[1]!), op('addi', { rd: reg(regOf(ops[0]!)), rs1: reg(regOf(ops[0]!)) }), 'imm12');
    case 'call': {
      if (ops.length === 1) return pcrelPair(1, target(ops[0]!), op('jalr', { rd: reg(1), rs1: reg(1) }), 'imm12');
      // `call rd, symbol` goes through t1, as GNU as does.
      need(2, 'a symbol: call symbol, or call rd, symbol');
      return pcrelPair(6, target(ops[1]!), op('jalr', { rd: reg(regOf(ops[0]!)), rs1: reg(6) }), 'imm12');
    }
    case 'tail':
      need(1, 'a symbol: tail symbol');
      return pcrelPair(6, target(ops[0]!), op('jalr', { rd: reg(0), rs1: reg(6) }), 'imm12');
    case 'jump': {
      need(2, 'a symbol and a scratch register: jump symbol, rt');
      const rt = regOf(ops[1]!);
      return pcrelPair(rt, target(ops[0]!), op('jalr', { rd: reg(0), rs1: reg(rt) }), 'imm12');
    }
  }
  // Loads and stores of a symbol: `lw rd, sym` and `sw rs, sym, rt` (`ld a0, t0` loads from a symbol t0).
  if (LOADS.has(name) && ops.length === 2 && ops[1]!.kind === 'expr') {
    const rd = regOf(ops[0]!);
    return pcrelPair(rd, target(ops[1]!), op(name, { rd: reg(rd), rs1: reg(rd) }), 'imm12');
  }
  if (STORES.has(name) && ops.length === 3 && ops[1]!.kind === 'expr') {
    const rt = regOf(ops[2]!);
    return pcrelPair(rt, target(ops[1]!), op(name, { rs2: reg(regOf(ops[0]!)), rs1: reg(rt) }), 'simm12');
  }
  return undefined;
}

/** How quickEncode reads one operand of a form: what it must be and which scratch slot(s) it fills. */
type QuickOperand =
  | { k: 'reg'; slot: number }
  | { k: 'imm'; slot: number; upper: boolean }
  | { k: 'csr'; slot: number }
  | { k: 'mem'; offset: number; base: number }
  | { k: 'defer' };

interface QuickForm {
  operands: QuickOperand[];
  /** The kinds of operand it takes, as quickWord's WordOperands.shape. */
  shape: number;
  instr: Instr;
  bind: { name: string; field: Field; slot: number; value: number; min: number; max: number; step: number }[];
}

/** Kinds of operand in a WordOperands shape: 2 bits an operand, the first lowest. */
export const WORD_REG = 1;
export const WORD_INT = 2;
export const WORD_MEM = 3;

/** The forms of each mnemonic in assembleInstruction's order, with their alias fields as slot numbers. */
const QUICK = new Map<string, QuickForm[]>();
for (const [mnemonic, forms] of FORMS) {
  QUICK.set(
    mnemonic,
    forms.map((form) => {
      const slots = new Map<string, number>();
      const slot = (name: string) => slots.get(name) ?? (slots.set(name, slots.size), slots.size - 1);
      const operands = form.pattern.map((p): QuickOperand => {
        if ('mem' in p) return { k: 'mem', offset: slot(p.mem.offset), base: slot(p.mem.base) };
        const kind = FIELDS[p.field]!.kind;
        if (kind === 'xreg') return { k: 'reg', slot: slot(p.field) };
        if (kind === 'csr') return { k: 'csr', slot: slot(p.field) };
        if (kind === 'simm' || kind === 'uimm') return { k: 'imm', slot: slot(p.field), upper: p.field === 'imm20' };
        return { k: 'defer' };
      });
      const bind = form.bind.map((b) => {
        const field = FIELDS[b.field]!;
        const { min, max } = fieldRange(field);
        return { name: b.field, field, slot: b.from !== undefined ? slot(b.from) : -1, value: b.value ?? 0, min: Number(min), max: Number(max), step: 2 ** field.scale };
      });
      const shape = operands.reduce((sh, q, k) => sh | ((q.k === 'reg' ? WORD_REG : q.k === 'mem' ? WORD_MEM : WORD_INT) << (2 * k)), 0);
      return { operands, shape, instr: form.instr, bind };
    }),
  );
}

/** Operand values of the form being tried (reused: quickEncode runs for most lines). */
const SCRATCH: number[] = new Array<number>(8).fill(0);

/** A literal integer operand's value, or undefined. */
function literal(e: Expr | undefined): bigint | undefined {
  if (!e) return 0n;
  if (e.k === 'num') return e.v;
  return e.k === 'un' && e.op === '-' && e.a.k === 'num' ? -e.a.v : undefined;
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The word of a one-instruction statement whose operands are all registers and literal integers, without
 * building MachineOps; undefined whenever the general path must decide (symbols, pseudos, any error).
 * It tries the forms in the same order as assembleInstruction, so both pick the same one.
 */
export function quickEncode(st: Statement): number | undefined {
  const name = st.name!;
  const ops = st.operands;
  const forms = QUICK.get(name);
  if (!forms || PSEUDO.has(name) || ((LOADS.has(name) || STORES.has(name)) && ops[1]?.kind === 'expr')) return undefined;
  next: for (const form of forms) {
    if (form.operands.length !== ops.length) continue;
    for (let k = 0; k < ops.length; k++) {
      const q = form.operands[k]!;
      const o = ops[k]!;
      if (q.k === 'mem') {
        if (o.kind !== 'mem' || o.base.k !== 'sym') continue next;
        const r = xreg(o.base.name);
        if (r === undefined) continue next;
        const off = literal(o.offset);
        if (off === undefined || off > MAX || off < -MAX) return undefined;
        SCRATCH[q.base] = r;
        SCRATCH[q.offset] = Number(off);
        continue;
      }
      if (o.kind !== 'expr') continue next;
      const e = o.e;
      const reg = e.k === 'sym' && !e.paren ? xreg(e.name) : undefined;
      if (q.k === 'reg') {
        if (reg === undefined) continue next;
        SCRATCH[q.slot] = reg;
      } else if (reg !== undefined) continue next;
      else if (q.k === 'defer') return undefined;
      else if (q.k === 'csr' && e.k === 'sym') {
        const c = CSR_BY_NAME.get(e.name);
        if (!c) return undefined;
        SCRATCH[q.slot] = c.number;
      } else {
        const v = literal(e);
        if (v === undefined || v > MAX || v < -MAX) return undefined;
        SCRATCH[q.slot] = q.k === 'imm' && q.upper && v < 0n && v >= -(1n << 19n) ? Number(BigInt.asUintN(20, v)) : Number(v);
      }
    }
    return formWord(form);
  }
  return undefined;
}

/** The word of a form from the operand values in SCRATCH; undefined when one is out of range (the
 * general path reports it). (A signed 32-bit number: one that stays a small integer in V8, where a
 * word from 2^31 up would be a heap number; the column it goes to stores it as the same 32 bits.) */
function formWord(form: QuickForm): number | undefined {
  let word = form.instr.match | 0;
  for (let k = 0; k < form.bind.length; k++) {
    const b = form.bind[k]!;
    const v = b.slot >= 0 ? SCRATCH[b.slot]! : b.value;
    if (v < b.min || v > b.max || (b.step > 1 && v % b.step !== 0)) return undefined;
    word |= insertField(b.field, v);
  }
  return word;
}

/** quickEncode's forms of each mnemonic that is not a pseudo-instruction, whether it is a load or a store
 * (whose second operand may be a symbol), and whether it is `li`: quickWord looks up one thing for a line. */
export interface WordForms {
  forms: QuickForm[];
  loadStore: boolean;
  li: boolean;
}
const WORD_FORMS = new Map<string, WordForms>([...QUICK].filter(([m]) => !PSEUDO.has(m)).map(([m, forms]) => [m, { forms, loadStore: LOADS.has(m) || STORES.has(m), li: false }]));
WORD_FORMS.set('li', { forms: [], loadStore: false, li: true });

/** What quickWord reads a mnemonic's operands with; null when it cannot (a directive, a pseudo-instruction
 * but li, an unknown name): looked up once for each name its caller reads (assembler/fastline.ts). */
export const wordForms = (mnemonic: string): WordForms | null => WORD_FORMS.get(mnemonic) ?? null;

/** The forms li32's steps are encoded with (LI_MNEMONICS' order): `lui rd, imm`, `addi(w) rd, rs1, imm`. */
const LI_FORMS = LI_MNEMONICS.map((m, k) => QUICK.get(m)!.find((f) => f.shape === (k === 0 ? WORD_REG | (WORD_INT << 2) : WORD_REG | (WORD_REG << 2) | (WORD_INT << 4)))!);

/** Operands as quickWord reads them: their kinds (`shape`: WORD_REG, WORD_INT or WORD_MEM in 2 bits
 * each, the first lowest; their count with it), then for each a register number or an integer (a), and
 * for a memory operand its offset (a) and base register (b). */
export interface WordOperands {
  shape: number;
  a: number[];
  b: number[];
}

/** The words quickWord encoded last (reused: valid until the next call), and views of its first 0, 1
 * and 2 words. */
const WORDS = new Int32Array(2);
export const WORD_VIEWS = [WORDS.subarray(0, 0), WORDS.subarray(0, 1), WORDS.subarray(0, 2)] as const;

/**
 * quickEncode of a statement (of the mnemonic whose wordForms q are) whose operands are registers,
 * integers (`5`, `-5`, in the safe range) and `int(reg)` / `(reg)`, given as WordOperands rather than operand objects (assembler/fastline.ts reads
 * such lines without making them): the same forms in the same order, so the same word; and `li rd, v` of
 * a signed 32-bit v, the words assembleInstruction's liSequence gives. Leaves the words in WORDS and
 * returns how many (0: the general path must decide), its view WORD_VIEWS[n].
 */
export function quickWord(q: WordForms, ops: WordOperands): number {
  // (a load's or store's second operand that is not a memory operand is a symbol's address)
  const second = (ops.shape >> 2) & 3;
  if (q.loadStore && second !== 0 && second !== WORD_MEM) return 0;
  if (q.li) return ops.shape === (WORD_REG | (WORD_INT << 2)) ? liWords(ops.a[0]!, ops.a[1]!) : 0;
  // (an indexed loop: an iterator is an object until the JIT has compiled the loop)
  for (let f = 0; f < q.forms.length; f++) {
    const form = q.forms[f]!;
    if (form.shape !== ops.shape) continue;
    for (let k = 0; k < form.operands.length; k++) {
      const q = form.operands[k]!;
      const v = ops.a[k]!;
      if (q.k === 'mem') {
        SCRATCH[q.base] = ops.b[k]!;
        SCRATCH[q.offset] = v;
      } else if (q.k === 'defer') return 0;
      else SCRATCH[q.slot] = q.k === 'imm' && q.upper && v < 0 && v >= -(1 << 19) ? v + (1 << 20) : v;
    }
    const word = formWord(form);
    if (word === undefined) return 0;
    WORDS[0] = word;
    return 1;
  }
  return 0;
}

/** The words of `li rd, v` into WORDS, when v is a signed 32-bit value (else 0, for the general path). */
function liWords(rd: number, v: number): number {
  if (v !== (v | 0)) return 0;
  li32(v, true);
  for (let k = 0; k < LI.count; k++) {
    // (the forms' operand slots are in their syntax's order: rd, then rs1, then the immediate)
    SCRATCH[0] = rd;
    if (LI.op[k] === 0) SCRATCH[1] = LI.imm[k]!;
    else {
      SCRATCH[1] = LI.fromRd[k] ? rd : 0;
      SCRATCH[2] = LI.imm[k]!;
    }
    WORDS[k] = formWord(LI_FORMS[LI.op[k]!]!)!;
  }
  return LI.count;
}

/** The machine operations of one instruction statement; throws AsmError/ExprError with a location. */
export function assembleInstruction(st: Statement, env: InsnEnv): MachineOp[] {
  const name = st.name!.toLowerCase();
  const loc = st.nameLoc!;
  const ops = st.operands;
  const forms = FORMS.get(name);
  if (PSEUDO.has(name) || ((LOADS.has(name) || STORES.has(name)) && ops[1]?.kind === 'expr')) {
    const r = pseudo(name, ops, env, loc);
    if (r) return r;
  }
  if (!forms) throw new AsmError(`unknown instruction '${st.name}'`, { ...loc, span: st.name!.length }, 'unknown-mnemonic');
  let best: { at: number; message: string } | undefined;
  for (const form of forms) {
    if (form.pattern.length !== ops.length) continue;
    const r = tryForm(form, ops, env);
    if ('v' in r) return form.build(r.v);
    if (!best || r.at > best.at) best = r;
  }
  if (best) throw new AsmError(best.message, ops[best.at]!.loc);
  const shapes = forms.map((f) => `'${name}${f.syntax ? ` ${f.syntax}` : ''}'`).join(' or ');
  throw new AsmError(`wrong number of operands for '${name}' (${ops.length}); expected ${shapes}`, ops[0]?.loc ?? loc, 'operand-count');
}

/**
 * A non-pc-relative immediate's field value from its 64-bit expression value (GNU as accepts a negative
 * 20-bit upper immediate as its two's complement).
 */
export function immediateValue(name: string, value: bigint, loc: Loc): number {
  if (name === 'imm20' && value < 0n && value >= -(1n << 19n)) return Number(BigInt.asUintN(20, value));
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ExprError(`${FIELDS[name]!.doc}: ${value} is out of range`, loc, 'imm-range');
  }
  return Number(value);
}

/** The value of a field that needs neither a symbol nor the pc (a register, a literal), else undefined. */
export function constantField(name: string, fv: FieldValue | undefined): number | undefined {
  if (fv === undefined || 'half' in fv) return undefined;
  if ('n' in fv) return fv.n;
  if (FIELDS[name]!.kind === 'pcrel') return undefined;
  const e = fv.e;
  const v = e.k === 'num' ? e.v : e.k === 'un' && e.op === '-' && e.a.k === 'num' ? -e.a.v : undefined;
  return v === undefined ? undefined : immediateValue(name, v, e.loc);
}

/** Encode one operation from each field's number; a range error points at the operand it is about. */
export function encodeOp(op: MachineOp, value: (name: string, fv: FieldValue | undefined) => number, loc: Loc): number {
  let word = op.instr.match;
  for (const name of op.instr.operands) {
    const fv = op.fields[name];
    const v = value(name, fv);
    const msg = checkOperand(name, v);
    if (msg) throw new ExprError(`${op.instr.mnemonic}: ${msg}`, fv && 'e' in fv ? fv.e.loc : fv && 'half' in fv ? fv.target.loc : loc, 'imm-range');
    word = (word | insertField(FIELDS[name]!, v)) >>> 0;
  }
  return word;
}

/**
 * GNU as's long form of a conditional branch whose target is out of range: the inverse branch over the
 * next instruction, then `jal zero, target` (binutils tc-riscv.c md_convert_frag_branch). A `.` in the
 * target still means the branch's address, 4 bytes before the jal.
 */
export function relaxedBranch(branch: MachineOp): MachineOp[] {
  const field = branch.instr.operands.find((n) => FIELDS[n]!.kind === 'pcrel')!;
  const target = branch.fields[field]!;
  const dot = (e: Expr): Expr =>
    e.k === 'sym' && e.name === '.' ? { k: 'bin', op: '-', a: e, b: { k: 'num', v: 4n, loc: e.loc }, loc: e.loc }
    : e.k === 'bin' ? { ...e, a: dot(e.a), b: dot(e.b) }
    : e.k === 'un' || e.k === 'reloc' ? { ...e, a: dot(e.a) }
    : e;
  const inverse = INVERSE_BRANCH[branch.instr.mnemonic];
  // `.insn b` names no branch to invert: its funct3's low bit flips, as GNU flips any branch's (insn ^=
  // MATCH_BEQ ^ MATCH_BNE)
  const over = inverse
    ? op(inverse, { ...branch.fields, [field]: { n: 8 } })
    : { instr: branch.instr, fields: { ...branch.fields, funct3: { n: constantField('funct3', branch.fields['funct3'])! ^ 1 }, [field]: { n: 8 } } };
  return [over, op('jal', { rd: reg(0), jimm: 'e' in target ? { e: dot(target.e) } : target })];
}

/** Evaluate a pc-relative half: hi20 or lo12 of target - anchorPc. */
export function pcrelHalf(half: 'hi' | 'lo', target: bigint, anchorPc: bigint): number {
  const delta = BigInt.asIntN(64, target - anchorPc);
  if (delta !== BigInt.asIntN(32, delta)) throw new Error('out of pc-relative range');
  const { hi, lo } = splitHiLo(delta);
  return Number(half === 'hi' ? hi : lo);
}

export { displayName };
