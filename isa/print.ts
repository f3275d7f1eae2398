// Disassembly text of a decoded instruction, in the style of GNU objdump (binutils opcodes/riscv-dis.c):
// operands joined by ',' with no spaces, ABI register names, decimal offsets, hex upper immediates and
// shift amounts, CSRs by name, branch targets as an absolute address with an optional <symbol+off>.
import { ALIASES } from './aliases.js';
import { syntaxFields } from './check.js';
import { CSR_BY_NUMBER } from './csr.js';
import { FIELDS } from './fields.js';
import { ABI_NAMES, xreg } from './registers.js';
import { BY_MNEMONIC } from './table.js';
import type { Decoded, Operands } from './codec.js';

export interface PrintOptions {
  /** Print pseudo-instruction aliases (objdump's default); false is `-M no-aliases`. */
  aliases?: boolean;
  /** Name for an address, e.g. 'main+0x8'; used for branch and jump targets. */
  symbolize?: (addr: bigint) => string | undefined;
  /** Whole text of a branch or jump target, replacing `hex <symbol>` (objdump prints `0x...` when a
   * file has no symbols at all). */
  address?: (addr: bigint) => string;
}

const FENCE_BITS = 'iorw';

/** Unsigned fields printed in decimal (GNU prints zimm so; the D1 selectors read better so). */
const DECIMAL = new Set(['zimm', 'part', 'mpart', 'pat5']);

function fenceSet(v: number): string {
  let s = '';
  for (let b = 3; b >= 0; b--) if (v & (1 << b)) s += FENCE_BITS[3 - b];
  return s === '' ? '0' : s;
}

export function formatOperand(name: string, value: number, pc: bigint, opts: PrintOptions): string {
  const f = FIELDS[name]!;
  switch (f.kind) {
    case 'xreg':
      return ABI_NAMES[value]!;
    case 'csr':
      return CSR_BY_NUMBER.get(value)?.name ?? `0x${value.toString(16)}`;
    case 'fence':
      return fenceSet(value);
    case 'vreg':
      return `v${value}`;
    case 'fmt':
      return `fmt${value}`;
    case 'acc':
      return `m${value}`;
    case 'pcrel': {
      const target = BigInt.asUintN(64, pc + BigInt(value));
      if (opts.address) return opts.address(target);
      const sym = opts.symbolize?.(target);
      return sym ? `${target.toString(16)} <${sym}>` : target.toString(16);
    }
    case 'uimm':
      return DECIMAL.has(name) ? String(value) : `0x${value.toString(16)}`;
    case 'simm':
      return String(value);
  }
}

/** Render a syntax template with operand values: 'rd, imm12(rs1)' gives 'a0,8(sp)'. */
function render(syntax: string, ops: Operands, pc: bigint, opts: PrintOptions): string {
  return syntax
    .replace(/\s+/g, '')
    .replace(/[a-z][a-z0-9]*/g, (name) => (name in FIELDS ? formatOperand(name, ops[name]!, pc, opts) : name));
}

interface AliasMatcher {
  mnemonic: string;
  syntax: string;
  base: string;
  /** For each base operand: the alias field it comes from, or the constant it must equal. */
  args: { from?: string; value?: number }[];
}

/** Parse an alias expansion 'addi rd, x0, 0' into base mnemonic and operand bindings. */
export function parseExpansion(expands: string): { base: string; args: { from?: string; value?: number }[] } {
  const [base, ...rest] = expands.trim().split(/\s+/);
  const toks = syntaxFields(rest.join(' '));
  const args = toks.map((t) => {
    if (t in FIELDS) return { from: t };
    const r = xreg(t);
    return { value: r ?? Number(t) };
  });
  return { base: base!, args };
}

const PRINT_ALIASES: AliasMatcher[] = ALIASES.filter((a) => !a.parseOnly).map((a) => ({
  mnemonic: a.mnemonic,
  syntax: a.syntax,
  ...parseExpansion(a.expands),
}));

function matchAlias(d: Decoded): { mnemonic: string; syntax: string; ops: Operands } | undefined {
  for (const a of PRINT_ALIASES) {
    if (a.base !== d.instr.mnemonic) continue;
    const ops: Operands = {};
    let ok = true;
    d.instr.operands.forEach((name, k) => {
      const arg = a.args[k]!;
      const v = d.ops[name]!;
      if (arg.from !== undefined) ops[arg.from] = v;
      else if (arg.value !== v) ok = false;
    });
    if (ok) return { mnemonic: a.mnemonic, syntax: a.syntax, ops };
  }
  return undefined;
}

/** The form an instruction is printed in: the first matching alias, or the instruction itself. */
export function printedForm(d: Decoded, opts: PrintOptions = {}): { mnemonic: string; syntax: string; ops: Operands } {
  return (opts.aliases === false ? undefined : matchAlias(d)) ?? { mnemonic: d.instr.mnemonic, syntax: d.instr.syntax, ops: d.ops };
}

/** Mnemonic and operand text of one decoded instruction at address pc. */
export function printInstr(d: Decoded, pc: bigint, opts: PrintOptions = {}): { mnemonic: string; operands: string } {
  const form = printedForm(d, opts);
  return { mnemonic: form.mnemonic, operands: render(form.syntax, form.ops, pc, opts) };
}

export function printText(d: Decoded, pc: bigint, opts: PrintOptions = {}): string {
  const { mnemonic, operands } = printInstr(d, pc, opts);
  return operands ? `${mnemonic}\t${operands}` : mnemonic;
}

export { BY_MNEMONIC };
