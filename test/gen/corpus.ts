// A generated assembly corpus for the GNU as byte-exact test: every instruction of the isa/ table with
// boundary and random operand values, every pseudo-instruction, branches and jumps at their extreme
// distances, and `li` over boundary and random 64-bit values. Text only, so GNU ld and d1 lay it out
// identically at 0x1000. Deterministic for a seed.
import { ALIASES } from '../../isa/aliases.js';
import { CSRS } from '../../isa/csr.js';
import { FIELDS, fieldRange } from '../../isa/fields.js';
import { ABI_NAMES } from '../../isa/registers.js';
import { INSTRUCTIONS, isStandard } from '../../isa/table.js';
import { prng, rand64 } from '../../bench/prng.js';

/** Values worth trying for one operand field: boundaries, their neighbours, zero and random ones. */
function fieldValues(name: string, next: () => number): string[] {
  const f = FIELDS[name]!;
  const { min, max } = fieldRange(f);
  switch (f.kind) {
    case 'xreg':
      return ABI_NAMES.map((n, i) => (i % 3 === 0 ? `x${i}` : n));
    case 'csr':
      // GNU knows the standard names; our D1 identity CSRs are given by number.
      return [...CSRS.filter((c) => !c.d1).map((c) => c.name), '0xcc0', '0x7c0', '0', '4095', String(next() % 4096)];
    case 'fence':
      return ['iorw', 'rw', 'r', 'w', 'io', 'i', 'o', 'ow', 'ir'];
    default: {
      const vals = new Set<bigint>([min, max, 0n, 1n, min + 1n, max - 1n]);
      if (f.signed) vals.add(-1n);
      for (let k = 0; k < 6; k++) vals.add(min + (BigInt(next()) % (max - min + 1n)));
      return [...vals].map(String);
    }
  }
}

function render(syntax: string, ops: Record<string, string>): string {
  return syntax.replace(/[a-z][a-z0-9]*/g, (n) => (n in FIELDS ? ops[n]! : n));
}

/** Lines using every operand value of every field at least once, per row or alias. */
function rowsFor(mnemonic: string, syntax: string, next: () => number, label: string): string[] {
  const fields = syntax.split(/[\s,()]+/).filter((s) => s in FIELDS);
  const values = Object.fromEntries(fields.map((f) => [f, FIELDS[f]!.kind === 'pcrel' ? [label] : fieldValues(f, next)]));
  const count = Math.max(1, ...fields.map((f) => values[f]!.length));
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const ops: Record<string, string> = {};
    for (const f of fields) {
      const v = values[f]!;
      ops[f] = v[(k + next()) % v.length]!;
      if (k < v.length) ops[f] = v[k]!;
    }
    out.push(`        ${mnemonic} ${render(syntax, ops)}`);
  }
  return out;
}

export function instructionCorpus(seed = 1): string {
  const next = prng(seed);
  const out = ['        .text', '        .globl _start', '_start:', 'back:'];
  // Branch targets are numeric local labels, placed every few lines so every branch reaches.
  for (const i of INSTRUCTIONS.filter(isStandard)) out.push(...rowsFor(i.mnemonic, i.syntax, next, next() % 2 ? '1b' : '1f'));
  for (const a of ALIASES) {
    if (a.printOnly) continue;
    out.push(...rowsFor(a.mnemonic, a.syntax, next, next() % 2 ? '1b' : '1f'));
  }
  for (let k = out.length - 1; k > 3; k -= 16) out.splice(k, 0, '1:');
  out.splice(4, 0, '1:');
  // Multi-instruction pseudos.
  for (let k = 0; k < 32; k++) {
    const r = ABI_NAMES[k]!;
    const t = k % 2 ? 'back' : 'fwd';
    out.push(`        la ${r}, ${t}`, `        lla ${r}, ${t}`, `        call ${t}`, `        tail ${t}`, `        call ${r}, ${t}`);
    out.push(`        lw ${r}, ${t}`, `        ld ${r}, ${t}`, `        lbu ${r}, ${t}`, `        sw ${r}, ${t}, t0`, `        sd ${r}, ${t}, t1`);
  }
  out.push('        nop', '1:', 'fwd:', '        ret');
  return `${out.join('\n')}\n`;
}

/** Branches and jumps to their farthest word-aligned targets in both directions (one corpus each, so
 * each fits in SRAM). */
export function extremesCorpora(): string[] {
  const wrap = (body: string[]) => ['        .text', '_start:', ...body, '        ret', ''].join('\n');
  return [
    // At +4092 a forward branch is in range short and out of range long: GNU's first estimate decides
    // (long here), and d1 decides the same (assembler/relax.ts).
    wrap(['b_back:', '        .zero 4096', '        beq a0, a1, b_back', '        bne t0, t1, b_fwd', '        .zero 4084', 'b_fwd:']), // -4096, +4088
    wrap(['b_back:', '        .zero 4096', '        beq a0, a1, b_back', '        bne t0, t1, b_fwd', '        .zero 4088', 'b_fwd:']), // +4092
    wrap(['j_back:', '        .zero 1048576', '        jal ra, j_back']), // -1 MiB
    wrap(['        jal zero, j_fwd', '        .zero 1048568', 'j_fwd:']), // +1 MiB - 4
  ];
}

/**
 * Code whose conditional branches GNU as relaxes: labels between runs of nops (which fill gas's memory
 * chunks), `.zero`, `.p2align`, `j`, data, and branches to labels, to `.`-relative targets and, with
 * `edges`, to labels whose distance is within a few bytes of the +-4 KiB reach, where GNU's first estimate
 * decides between two consistent layouts.
 */
export function relaxationCorpus(seed: number, edges: boolean): string {
  const next = prng(seed);
  const rnd = (n: number) => next() % n;
  const BRANCHES = ['beq a0, a1', 'bne t0, t1', 'blt a2, a3', 'bge a4, a5', 'bltu s2, s3', 'bgeu s4, s5', 'beqz a0', 'bnez a1', 'bgt a0, a1', 'ble a2, a3'];
  type Item = { k: 'br' | 'j' | 'dot' | 'align' | 'data'; pos: number } | { k: 'nop' | 'zero'; n: number; pos: number };
  const items: Item[] = [];
  let pos = 0;
  for (let i = 10 + rnd(edges ? 200 : 40); i > 0; i--) {
    const k = rnd(edges ? 6 : 10);
    const it: Item = k < 3 ? { k: 'br', pos } : k === 3 ? { k: 'nop', n: rnd(edges ? 200 : 300), pos } : k === 4 ? { k: 'zero', n: 4 * rnd(edges ? 700 : 1100), pos } : k === 5 ? { k: 'j', pos } : k === 6 ? { k: 'align', pos } : k === 7 ? { k: 'data', pos } : { k: 'dot', pos };
    pos += it.k === 'nop' ? 4 * it.n : it.k === 'zero' ? it.n : it.k === 'data' ? 8 : it.k === 'align' ? 0 : 4;
    items.push(it);
  }
  const out = ['        .text', '_start:'];
  items.forEach((it, i) => {
    out.push(`L${i}:`);
    const near = items.map((t, j) => ({ j, d: Math.abs(t.pos - it.pos) })).filter((t) => Math.abs(t.d - 4092) <= 12);
    const target = `L${edges && near.length > 0 && rnd(4) > 0 ? near[rnd(near.length)]!.j : rnd(items.length)}`;
    const branch = BRANCHES[rnd(BRANCHES.length)]!;
    if (it.k === 'nop') for (let n = 0; n < it.n; n++) out.push('        nop');
    else if (it.k === 'zero') out.push(`        .zero ${it.n}`);
    else if (it.k === 'j') out.push(`        j ${target}`);
    else if (it.k === 'align') out.push(`        .p2align ${3 + rnd(4)}`);
    else if (it.k === 'data') out.push(`        .word ${rnd(1000)}`, '        .string "abc"');
    else if (it.k === 'dot') out.push(`        ${branch}, .+${4 * rnd(1100)}`);
    else out.push(`        ${branch}, ${target}`);
  });
  out.push('        ret', '');
  return out.join('\n');
}

/** `li` of boundary and random 64-bit values into every register class. */
export function liValues(seed = 1, random = 400): bigint[] {
  const next = prng(seed);
  const vals = new Set<bigint>();
  for (let b = 0n; b < 64n; b++) {
    for (const v of [1n << b, (1n << b) - 1n, -(1n << b), -(1n << b) + 1n, (1n << b) + 1n]) vals.add(BigInt.asIntN(64, v));
  }
  for (const v of [0n, 2047n, 2048n, -2048n, -2049n, 0x7ffff800n, 0x7fffffffn, 0x80000000n, -0x80000000n, 0xffffffffn, 0x123456789abcdefn, -0x123456789abcdefn]) vals.add(v);
  for (let k = 0; k < random; k++) {
    const r = rand64(next);
    const shape = next() % 4;
    vals.add(BigInt.asIntN(64, shape === 0 ? r : shape === 1 ? r >> BigInt(next() % 64) : shape === 2 ? r << BigInt(next() % 64) : r & 0xfff00000fffn));
  }
  return [...vals];
}

export function liCorpus(values: bigint[]): string {
  return ['        .text', '_start:', ...values.map((v, k) => `        li ${ABI_NAMES[1 + (k % 31)]}, ${v}`), ''].join('\n');
}

/** Expressions whose value shows GNU as's rules (precedence, logical `>>`, -1 for a true comparison, 1 for
 * a true `&&`/`||`, infix `!` or-not, shift counts out of range), with the value GNU as 2.40 gives. */
export const GNU_EXPRESSIONS: [string, bigint][] = [
  ['1 + 2 * 3 << 1', 13n], ['(1 | 2) ^ 4 & 6', 6n], ['3 == 1 + 2', -1n], ['1 + 2 == 3', -1n], ['2 < 3', -1n], ['3 < 2', 0n],
  ['1 && 2', 1n], ['0 || 2', 1n], ['1 || 0 && 0', 1n], ['1 || 1 && 0', 1n], ['1 && 0 == 0', 1n], ['0 == 0 && 0', 0n],
  ['0xffffffff80000000 >> 1', 0x7fffffffc0000000n], ['-1 >> 60', 15n], ['-(1 << 63) >> 63', 1n], ['16 >> 2 >> 1', 2n],
  ['-8 / 3', -2n], ['7 % -3', 1n], ['-7 % 3', -1n], ['8 / 2 / 2', 2n], ['2 - 1 - 1', 0n], ['5 % 3 << 2', 8n],
  ['1 << 64', 0n], ['1 << 63', -(1n << 63n)], ['-1 >> 64', 0n], ['1 << -1', 0n], ['1 << 2 * 3', 12n],
  ['5 ! 1', -1n], ['1 ! 2 | 4', -3n], ['!0', 1n], ['!5', 0n], ['~0', -1n], ['+5', 5n], ['- - 5', 5n],
  ['1 <> 2', -1n], ['1 <> 1', 0n], ['1 != 2', -1n], ['5 >= 5', -1n], ['5 <= 4', 0n], ['-1 < 1', -1n],
  ['1 | 2 + 4', 7n], ['6 & 3 + 1', 3n], ['1 + 6 & 3', 3n], ['4 - 1 | 2', 1n], ['2 | 1 == 3', -1n], ['2 * 3 + 4 * 5', 26n],
  ['1 - 2 < 0', -1n], ['0 < 1 - 2', 0n], ['1 == 1 == 1', 0n], ['3 > 2 > 1', 0n], ['1 < 2 + 1 < 2', -1n], ['3 ^ 5 | 8 & 12', 12n],
  ['0x7fffffffffffffff + 1', -(1n << 63n)], ['-0x8000000000000000 - 1', (1n << 63n) - 1n],
];
