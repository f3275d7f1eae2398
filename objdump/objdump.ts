// `d1 objdump -d`: the disassembly listing in GNU objdump's layout (binutils objdump.c: disassemble_section,
// disassemble_bytes): a header naming the file format, one block per executable section, split at the
// symbols defined in it, `address:<tab>word<tab>mnemonic<tab>operands # target`, runs of zero bytes shown
// as `...`, and with -S the source lines from the line table. `disassembly()` gives the same rows as data
// for --json. D1 has no compressed instructions, so every aligned word is one instruction; a word that
// is not one prints as `.4byte 0x...` (GNU prints a word whose low bits are not 11 as two 16-bit
// `.2byte` parcels).
import type { Image, LineEntry, Section } from '../assembler/image.js';
import { decode } from '../isa/codec.js';
import { printedForm, printInstr, type PrintOptions } from '../isa/print.js';
import { AddressHints } from './hints.js';
import { SourceInterleaver } from './source.js';
import { SymbolTable } from './symbols.js';

export interface ListingOptions {
  /** Print pseudo-instructions (the default); false is `-M no-aliases`. */
  aliases: boolean;
  /** Interleave source lines (-S). */
  source: boolean;
  /** Line n of a source file, when it can be read. */
  sourceLine?: (file: string, line: number) => string | undefined;
}

export interface Instruction {
  addr: bigint;
  word: number;
  mnemonic: string;
  operands: string;
  /** Address a lui/auipc pair or a gp/x0-relative access refers to (GNU's `# target` comment). */
  refers?: bigint;
}

/** Zero runs at least this long are skipped, as are shorter ones that end a block (GNU's defaults). */
const SKIP_ZEROES = 8;
const SKIP_ZEROES_AT_END = 3;
const GP_SYMBOL = '__global_pointer$';

const hex = (v: bigint | number): string => v.toString(16);

/** Decoder state shared by all sections of one file, as GNU keeps it. */
class Disassembler {
  readonly syms: SymbolTable;
  private readonly hints: AddressHints;

  constructor(image: Image, private readonly aliases: boolean) {
    this.syms = new SymbolTable(image.symbols);
    this.hints = new AddressHints(this.syms.value(GP_SYMBOL));
  }

  at(sec: Section, addr: bigint, word: number): Instruction {
    const d = decode(word);
    if (!d) return { addr, word, mnemonic: '.4byte', operands: `0x${hex(word)}` };
    const opts: PrintOptions = { aliases: this.aliases, address: (a) => this.syms.address(a, sec.name) };
    const { mnemonic, operands } = printInstr(d, addr, opts);
    const refers = this.hints.next(d, printedForm(d, opts).syntax, addr);
    return { addr, word, mnemonic, operands, ...(refers !== undefined ? { refers } : {}) };
  }
}

function wordAt(sec: Section, off: number): number {
  const b = sec.bytes;
  return (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
}

function codeSections(image: Image): Section[] {
  return image.sections.filter((s) => s.flags.exec && !s.nobits && s.bytes.length > 0);
}

/** Line-table row for an address inside a section: the last one at or below it. */
function rowFinder(lines: LineEntry[]): (sec: Section, addr: bigint) => LineEntry | undefined {
  const sorted = [...lines].sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
  return (sec, addr) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.addr <= addr) lo = mid + 1;
      else hi = mid;
    }
    const row = sorted[lo - 1];
    return row && row.addr >= sec.addr ? row : undefined;
  };
}

/** Characters of address shown: the section's end address without leading zeros, rounded up to 4. */
function addressWidth(sec: Section): number {
  const digits = hex(sec.addr + BigInt(sec.bytes.length)).padStart(16, '0');
  let skip = 0;
  while (skip < 16 && digits[skip] === '0') skip++;
  if (skip === 16 && sec.addr !== 0n) skip = 0;
  return 16 - (skip === 0 ? 0 : (skip - 1) & ~3);
}

export function listing(image: Image, fileName: string, opts: ListingOptions): string {
  const dis = new Disassembler(image, opts.aliases);
  const rowFor = rowFinder(image.lines);
  const source = new SourceInterleaver(opts.sourceLine ?? (() => undefined));
  const out: string[] = [`\n${fileName}:     file format elf64-littleriscv\n\n`];
  for (const sec of codeSections(image)) {
    out.push(`\nDisassembly of section ${sec.name}:\n`);
    const width = addressWidth(sec);
    const end = sec.addr + BigInt(sec.bytes.length);
    const starts = [sec.addr, ...dis.syms.starts(sec.name, sec.addr + 1n, end), end];
    for (let k = 0; k + 1 < starts.length; k++) {
      const label = dis.syms.describe(starts[k]!, sec.name);
      out.push(`\n${hex(starts[k]!).padStart(16, '0')} <${label ?? sectionRelative(sec, starts[k]!)}>:\n`);
      const stop = Number(starts[k + 1]! - sec.addr);
      let off = Number(starts[k]! - sec.addr);
      while (off < stop) {
        let z = off;
        while (z < stop && sec.bytes[z] === 0) z++;
        if (z - off >= SKIP_ZEROES || (z === stop && z - off < SKIP_ZEROES_AT_END)) {
          out.push('\t...\n');
          off = z === stop ? z : off + ((z - off) & ~3);
          continue;
        }
        const addr = sec.addr + BigInt(off);
        const row = opts.source ? rowFor(sec, addr) : undefined;
        if (row) for (const s of source.linesFor(row)) out.push(`${s}\n`);
        const addrText = hex(addr).padStart(width);
        if (stop - off < 4) {
          // A section whose size is not a multiple of 4 ends in a partial word: show its bytes.
          const bytes = [...sec.bytes.subarray(off, stop)];
          out.push(`${addrText}:\t${bytes.map((b) => hex(b).padStart(2, '0')).join('')}\t.byte\t${bytes.map((b) => `0x${hex(b)}`).join(',')}\n`);
          break;
        }
        const i = dis.at(sec, addr, wordAt(sec, off));
        const text = i.operands ? `${i.mnemonic}\t${i.operands}` : i.mnemonic;
        const note = i.refers !== undefined ? ` # ${dis.syms.address(i.refers, sec.name)}` : '';
        out.push(`${addrText}:\t${hex(i.word).padStart(8, '0')}          \t${text}${note}\n`);
        off += 4;
      }
    }
  }
  return out.join('');
}

function sectionRelative(sec: Section, addr: bigint): string {
  return addr === sec.addr ? sec.name : `${sec.name}+0x${hex(addr - sec.addr)}`;
}

/** The instructions of every executable section with their symbol and source line, for --json. */
export function disassembly(image: Image, aliases: boolean) {
  const dis = new Disassembler(image, aliases);
  const rowFor = rowFinder(image.lines);
  return codeSections(image).map((sec) => {
    const instructions = [];
    for (let off = 0; off + 4 <= sec.bytes.length; off += 4) {
      const addr = sec.addr + BigInt(off);
      const i = dis.at(sec, addr, wordAt(sec, off));
      const row = rowFor(sec, addr);
      instructions.push({
        address: `0x${hex(addr)}`,
        word: `0x${hex(i.word).padStart(8, '0')}`,
        mnemonic: i.mnemonic,
        operands: i.operands,
        symbol: dis.syms.describe(addr, sec.name) ?? null,
        refers: i.refers !== undefined ? `0x${hex(i.refers)}` : null,
        file: row?.file ?? null,
        line: row?.line ?? null,
      });
    }
    return { name: sec.name, address: `0x${hex(sec.addr)}`, size: sec.bytes.length, instructions };
  });
}
