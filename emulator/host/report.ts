// What `d1 run` says when a program stops without exiting (docs/machine.md "Faults"): the core, thread,
// cause, pc, the instruction there disassembled, its source file:line and text, and the registers.
import type { Image, LineEntry, SymbolDef } from '../../assembler/image.js';
import { decode } from '../../isa/codec.js';
import { MATRIX_FORMATS } from '../../isa/ext/d1m.js';
import { printText } from '../../isa/print.js';
import { ABI_NAMES } from '../../isa/registers.js';
import { FORMAT_FAULT, LAYOUT, SYNC_FAULT } from '../layout.js';
import { NUMBER_FORMATS } from '../../isa/numbers.js';
import type { Core, ThreadInfo } from './core.js';
import type { Outcome } from './run.js';

const hex = (v: bigint): string => `0x${v.toString(16)}`;
/** The SRAM's address range, for messages about accesses outside it. */
export const SRAM = `SRAM [0x0, ${hex(BigInt(LAYOUT.SRAM_SIZE))})`;

/** The line-table row for an address: exact match, else the closest one below it. */
export function lineFor(lines: LineEntry[], addr: bigint): LineEntry | undefined {
  let lo = 0;
  let hi = lines.length - 1;
  let best: LineEntry | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const l = lines[mid]!;
    if (l.addr <= addr) {
      best = l;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best && addr - best.addr < 64n ? best : undefined;
}

/** Symbols that name code: not data objects, not the `$x` mapping symbols of binutils. */
export const isCodeSymbol = (s: SymbolDef): boolean => s.type !== 'object' && !s.name.startsWith('$');

/** Nearest symbol at or below addr, as `name+0x10`; among several at one address a global one wins,
 * as in GNU objdump. */
export function symbolize(image: Image, addr: bigint): string | undefined {
  let best: SymbolDef | undefined;
  for (const s of image.symbols) {
    if (!isCodeSymbol(s) || s.value > addr) continue;
    if (!best || s.value > best.value || (s.value === best.value && !best.global && s.global)) best = s;
  }
  if (!best) return undefined;
  const off = addr - best.value;
  return off === 0n ? best.name : `${best.name}+${hex(off)}`;
}

/** The instruction at pc disassembled with symbols, or `.word 0x...` and `note` for a word that is none;
 * undefined outside SRAM. */
export function instructionText(core: Core, image: Image, pc: bigint, note = ''): string | undefined {
  if (!core.inSram(pc, 4)) return undefined;
  const word = new DataView(core.readMem(pc, 4).buffer).getUint32(0, true);
  const d = decode(word);
  return d ? printText(d, pc, { symbolize: (a) => symbolize(image, a) }).replace('\t', ' ') : `.word 0x${word.toString(16).padStart(8, '0')}${note}`;
}

export function describeInstruction(core: Core, image: Image, pc: bigint): string {
  const text = instructionText(core, image, pc, ' (not an instruction)');
  if (text === undefined) return `pc ${hex(pc)}`;
  const sym = symbolize(image, pc);
  return `pc ${hex(pc)}${sym ? ` <${sym}>` : ''}: ${text}`;
}

const FORMAT_REASONS: Record<number, string> = {
  [FORMAT_FAULT.NO_FORMAT]: `names no format (write a format id 0..${NUMBER_FORMATS.length - 1} into it: docs/machine.md, "Format table")`,
  [FORMAT_FAULT.NEEDS_FLOAT]: 'is an integer format, and this instruction needs a floating-point one',
  [FORMAT_FAULT.NEEDS_INT]: 'is a floating-point format, and this instruction needs an integer one',
  [FORMAT_FAULT.NEEDS_MATRIX]: `is not a matrix-unit input format (${MATRIX_FORMATS.join(', ')})`,
  [FORMAT_FAULT.BAD_PART]: 'is converted with a part beyond the wider side (part < wider lane size / narrower lane size)',
};

/** FAULT_WORD of a format fault: entry | format id << 8 | reason << 16. */
function formatFault(word: number): string {
  const entry = word & 0xff;
  const id = (word >> 8) & 0xff;
  const reason = word >>> 16;
  if (reason === FORMAT_FAULT.BAD_GROUP) return `vtrn register group starting at v${entry} is not aligned to its size`;
  const name = NUMBER_FORMATS[id]?.name ?? `id ${id}`;
  return `lane format fault: fmt${entry} (${name}) ${FORMAT_REASONS[reason] ?? `reason ${reason}`}`;
}

function cause(o: Outcome): string {
  switch (o.kind) {
    case 'fault':
      switch (o.cause) {
        case 'illegal': return `illegal instruction 0x${(o.word ?? 0).toString(16).padStart(8, '0')}`;
        case 'csr': return `illegal instruction: CSR 0x${(o.word ?? 0).toString(16)} does not exist or is read-only`;
        case 'fetch': return `instruction fetch fault: jump to ${hex(o.addr)} (${o.addr % 4n !== 0n ? 'not word-aligned' : `outside ${SRAM}`})`;
        case 'load': return `load access fault at ${hex(o.addr)} (outside ${SRAM})`;
        case 'store': return `store access fault at ${hex(o.addr)} (outside ${SRAM})`;
        case 'misaligned': return `misaligned vector access at ${hex(o.addr)} (vld/vst need ${LAYOUT.VREG_BYTES}-byte alignment, lane accesses their lane size)`;
        case 'format': return formatFault(o.word ?? 0);
        case 'sync': return (o.word ?? 0) === SYNC_FAULT.GROUP ? 'barrier group is not a rectangle of the mesh (x0 | y0 << 8 | x1 << 16 | y1 << 24 with x0 <= x1 < meshw, y0 <= y1 < meshh, or -1)' : (o.word ?? 0) === SYNC_FAULT.QUEUE_FULL ? 'engine queue full (16 descriptors wait already)' : `semaphore number outside 0..${LAYOUT.SEM_COUNT - 1}`;
        case 'remote': return `remote access fault at ${hex(o.addr)}: not a global address of an enabled core's SRAM (docs/machine.md, "Global addresses")`;
        case 'deadlock': return 'deadlock: every thread waits and nothing can wake one';
      }
      break;
    case 'ebreak': return 'breakpoint (ebreak) with no debugger attached';
    case 'breakpoint': return 'breakpoint';
    case 'hostcall': return `unknown host call ${o.number} in a7 (see docs/machine.md, "Host calls")`;
    case 'limit': return 'instruction limit reached (--max-instructions)';
    case 'interrupted': return 'interrupted (Ctrl-C)';
  }
  return o.kind;
}

/** The full report; `source(file, line)` gives a source line's text when it can be read. */
export function stopReport(core: Core, image: Image, o: Outcome, source: (file: string, line: number) => string | undefined, where = 'core 0'): string {
  const pc = o.kind === 'hostcall' ? o.pc : core.pc;
  const out = [`d1: ${o.kind === 'fault' || o.kind === 'hostcall' || o.kind === 'ebreak' ? 'fault' : 'stopped'} on ${where} thread ${core.thread}: ${cause(o)}`];
  out.push(...placeLines(core, image, pc, source));
  out.push(`  after ${core.instret} instructions, ${core.cycles} cycles`);
  if (o.kind !== 'limit' && o.kind !== 'interrupted') out.push(registerDump(core));
  return out.join('\n');
}

/** The instruction at pc and its source line, as report lines. */
export function placeLines(core: Core, image: Image, pc: bigint, source: (file: string, line: number) => string | undefined): string[] {
  const out = [`  ${describeInstruction(core, image, pc)}`];
  const l = lineFor(image.lines, pc);
  if (l) {
    const text = source(l.file, l.line);
    out.push(`  at ${l.file}:${l.line}${text !== undefined ? `: ${text.trim()}` : ''}`);
  }
  return out;
}

export function registerDump(core: Core): string {
  const rows: string[] = ['  registers:'];
  for (let i = 0; i < 32; i += 4) {
    const cells = [0, 1, 2, 3].map((k) => `${ABI_NAMES[i + k]!.padStart(4)} ${core.getReg(i + k).toString(16).padStart(16, '0')}`);
    rows.push(`  ${cells.join('  ')}`);
  }
  return rows.join('\n');
}

/** A thread waiting on a semaphore of its core: which, the count it needs and the count there now. */
export function semaphoreWait(core: Core, t: ThreadInfo): string {
  return `semaphore ${t.waitFor} (needs ${t.waitArg}, has ${core.semaphores()[t.waitFor!]})`;
}

/** Where a thread is, for reports: a waiting thread at the instruction it waits in (its pc is past that
 * instruction, which completes when the thread is woken). */
export function threadPc(t: ThreadInfo): bigint {
  return t.state === 'waiting' ? t.pc - 4n : t.pc;
}

/** Where a core is, for reports: its current thread's place (threadPc). */
export function corePc(core: Core): bigint {
  return threadPc(core.threads()[core.thread]!);
}
