// Seeded random RV64IM programs for the QEMU differential test. Each program sets x1..x29 to values from
// a pool rich in corner cases (0, +-1, the 32- and 64-bit extremes, random), runs straight-line ALU and
// M-extension code, loads and stores of every width into a data buffer, forward branches and a bounded
// loop, then dumps x1..x31 with the write host call. Many programs share one ELF, one after another.
// Reserved registers: t5 (x30) points at the register dump, t6 (x31) at the data buffer, t4 (x29) counts
// loop iterations.
import { prng, rand64 } from '../../bench/prng.js';

const POOL = [
  0n, 1n, -1n, 2n, -2n, 0x7fffffffffffffffn, -0x8000000000000000n, 0x7fffffffn, -0x80000000n, 0x80000000n, 0xffffffffn,
  0x100000000n, 0xfffn, 0x800n, -0x800n, 63n, 64n, 31n, 32n,
];
const R_OPS = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'addw', 'subw', 'sllw', 'srlw', 'sraw',
  'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'mulw', 'divw', 'divuw', 'remw', 'remuw'];
const I_OPS = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw'];
const SHIFTS: [string, number][] = [['slli', 63], ['srli', 63], ['srai', 63], ['slliw', 31], ['srliw', 31], ['sraiw', 31]];
const LOADS: [string, number][] = [['lb', 1], ['lh', 2], ['lw', 4], ['ld', 8], ['lbu', 1], ['lhu', 2], ['lwu', 4]];
const STORES: [string, number][] = [['sb', 1], ['sh', 2], ['sw', 4], ['sd', 8]];
const BRANCHES = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
export const BUFFER_BYTES = 2048;
export const DUMP_BYTES = 31 * 8;

export class ProgramGenerator {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  private pick<T>(xs: readonly T[]): T {
    return xs[this.next() % xs.length]!;
  }
  /** x1..x28: any register the random code may write. */
  private reg(): string {
    return `x${1 + (this.next() % 28)}`;
  }
  private value(): bigint {
    const r = this.next() % 4;
    if (r === 0) return BigInt.asIntN(64, rand64(this.next));
    if (r === 1) return BigInt(this.next() % 200) - 100n;
    return this.pick(POOL);
  }
  private simm12(): number {
    const r = this.next() % 3;
    return r === 0 ? this.pick([0, 1, -1, 2047, -2048]) : (this.next() % 4096) - 2048;
  }

  private op(out: string[]): void {
    const kind = this.next() % 16;
    if (kind < 7) out.push(`        ${this.pick(R_OPS)} ${this.reg()}, ${this.reg()}, ${this.reg()}`);
    else if (kind < 9) out.push(`        ${this.pick(I_OPS)} ${this.reg()}, ${this.reg()}, ${this.simm12()}`);
    else if (kind < 11) {
      const [name, max] = this.pick(SHIFTS);
      out.push(`        ${name} ${this.reg()}, ${this.reg()}, ${this.pick([0, 1, max, max - 1, this.next() % (max + 1)])}`);
    } else if (kind < 12) out.push(`        ${this.pick(['lui', 'auipc'])} ${this.reg()}, ${this.next() % 0x100000}`);
    else if (kind < 14) {
      const [name, size] = this.pick(LOADS);
      out.push(`        ${name} ${this.reg()}, ${size * (this.next() % (BUFFER_BYTES / size))}(t6)`);
    } else {
      const [name, size] = this.pick(STORES);
      out.push(`        ${name} ${this.reg()}, ${size * (this.next() % (BUFFER_BYTES / size))}(t6)`);
    }
  }

  /** One program's text; `k` makes its local labels unique in the shared file. */
  program(k: number, length = 24): string {
    const out: string[] = [`# program ${k}`];
    for (let r = 1; r <= 28; r++) out.push(`        li x${r}, ${this.value()}`);
    for (let i = 0; i < length; i++) {
      const what = this.next() % 10;
      if (what === 0) {
        // A forward branch over a few instructions.
        out.push(`        ${this.pick(BRANCHES)} ${this.reg()}, ${this.reg()}, p${k}_skip${i}`);
        for (let j = this.next() % 4; j >= 0; j--) this.op(out);
        out.push(`p${k}_skip${i}:`);
      } else if (what === 1) {
        // A bounded loop.
        out.push(`        li t4, ${1 + (this.next() % 5)}`, `p${k}_loop${i}:`);
        for (let j = this.next() % 4; j >= 0; j--) this.op(out);
        out.push('        addi t4, t4, -1', `        bnez t4, p${k}_loop${i}`);
      } else this.op(out);
    }
    for (let r = 1; r <= 31; r++) out.push(`        sd x${r}, ${8 * (r - 1)}(t5)`);
    out.push('        li a0, 1', '        mv a1, t5', `        li a2, ${DUMP_BYTES}`, '        li a7, 64', '        ecall');
    return out.join('\n');
  }

  /** A file of `count` programs, run one after the other, then exit(0). */
  file(first: number, count: number): { text: string; programs: string[] } {
    const programs: string[] = [];
    for (let k = 0; k < count; k++) programs.push(this.program(first + k));
    const text = [
      '        .text',
      '        .globl _start',
      '_start:',
      ...programs.map((p) => `        la t5, dump\n        la t6, buffer\n${p}`),
      '        li a0, 0',
      '        li a7, 93',
      '        ecall',
      '        .bss',
      '        .balign 8',
      `dump:   .zero ${DUMP_BYTES}`,
      `buffer: .zero ${BUFFER_BYTES}`,
      '',
    ].join('\n');
    return { text, programs };
  }
}
