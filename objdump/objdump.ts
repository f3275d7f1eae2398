// The disassembly listing of `d1 objdump -d`, in GNU objdump's layout: a header naming the file
// format, one block per executable section, symbol labels, `address:<tab>word<tab>mnemonic<tab>operands`,
// and with -S the source lines from the line table before the instructions they produced.
import type { Image, SymbolDef } from '../assembler/image.js';
import { decode } from '../isa/codec.js';
import { printInstr } from '../isa/print.js';
import { isCodeSymbol, symbolize } from '../emulator/host/report.js';

export interface ListingOptions {
  aliases: boolean;
  source: boolean;
  /** Text of a source line, when the file can be read. */
  sourceLine?: (file: string, line: number) => string | undefined;
}

export function listing(image: Image, fileName: string, opts: ListingOptions): string {
  const out: string[] = ['', `${fileName}:     file format elf64-littleriscv`, '', ''];
  // One label per address, a global symbol preferred (GNU objdump's choice).
  const labels = new Map<bigint, SymbolDef>();
  for (const s of image.symbols) {
    if (!isCodeSymbol(s)) continue;
    const prev = labels.get(s.value);
    if (!prev || (s.global && !prev.global)) labels.set(s.value, s);
  }
  const lines = new Map(image.lines.map((l) => [l.addr, l]));
  for (const sec of image.sections.filter((s) => s.flags.exec && !s.nobits)) {
    out.push(`Disassembly of section ${sec.name}:`);
    const view = new DataView(sec.bytes.buffer, sec.bytes.byteOffset, sec.bytes.byteLength);
    let lastLine = '';
    for (let off = 0; off + 4 <= sec.bytes.length; off += 4) {
      const addr = sec.addr + BigInt(off);
      const label = labels.get(addr);
      if (label) out.push('', `${addr.toString(16).padStart(16, '0')} <${label.name}>:`);
      const row = lines.get(addr);
      if (opts.source && row && `${row.file}:${row.line}` !== lastLine) {
        lastLine = `${row.file}:${row.line}`;
        const text = opts.sourceLine?.(row.file, row.line);
        if (text !== undefined) out.push(text);
      }
      const word = view.getUint32(off, true);
      const d = decode(word);
      const hexWord = word.toString(16).padStart(8, '0');
      let text: string;
      if (d) {
        const { mnemonic, operands } = printInstr(d, addr, { aliases: opts.aliases, symbolize: (a) => symbolize(image, a) });
        text = operands ? `${mnemonic}\t${operands}` : mnemonic;
      } else text = `.4byte\t0x${hexWord}`;
      out.push(`${addr.toString(16).padStart(8)}:\t${hexWord}          \t${text}`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
