// The `# 1234 <msg>` comments of `d1 objdump`: the address a lui/auipc pair (or a gp-, tp- or
// x0-relative access) refers to, tracked the way GNU objdump does (binutils opcodes/riscv-dis.c,
// maybe_print_address): lui/auipc remember their value per destination register; the next addi, addiw,
// jalr, load or store that prints an offset from that register uses the value up and names the sum.
import type { Decoded } from '../isa/codec.js';
import { syntaxFields } from '../isa/check.js';
import { xreg } from '../isa/registers.js';

const GP = xreg('gp')!;
const TP = xreg('tp')!;
const U64 = (v: bigint) => BigInt.asUintN(64, v);

export class AddressHints {
  private readonly hi = new Map<number, bigint>();

  /** `gp` is the value of `__global_pointer$`, when the program has one. */
  constructor(private readonly gp?: bigint) {}

  /**
   * Feed one instruction at pc, printed in `syntax` (the alias or base form chosen); returns the
   * address it refers to, if it is worth a comment.
   */
  next(d: Decoded, syntax: string, pc: bigint): bigint | undefined {
    const m = d.instr.mnemonic;
    const ops = d.ops;
    if (m === 'lui' || m === 'auipc') {
      const upper = BigInt.asIntN(32, BigInt(ops['imm20']!) << 12n);
      this.hi.set(ops['rd']!, U64(m === 'auipc' ? pc + upper : upper));
      return undefined;
    }
    const shown = syntaxFields(syntax);
    const flags = d.instr.flags ?? {};
    if (flags.mayLoad && shown.includes('imm12')) return this.use(ops['rs1']!, ops['imm12']!);
    if (flags.mayStore && shown.includes('simm12')) return this.use(ops['rs1']!, ops['simm12']!);
    if (m === 'jalr' && shown.includes('rs1')) return this.use(ops['rs1']!, ops['imm12']!);
    if ((m === 'addi' || m === 'addiw') && ops['rs1'] !== 0 && shown.includes('imm12')) {
      const a = this.use(ops['rs1']!, ops['imm12']!);
      return a === undefined || m === 'addi' ? a : U64(BigInt.asIntN(32, a));
    }
    return undefined;
  }

  private use(base: number, offset: number): bigint | undefined {
    const known = this.hi.get(base);
    if (known !== undefined) {
      this.hi.delete(base);
      return U64((base !== 0 ? known : 0n) + BigInt(offset));
    }
    if (base === GP && this.gp !== undefined) return U64(this.gp + BigInt(offset));
    if (base === TP || base === 0) return U64(BigInt(offset));
    return undefined;
  }
}
