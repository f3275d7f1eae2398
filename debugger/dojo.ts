// The debugger's views of the Dojo core (docs/debugger.md, "Dojo state"): vector registers as lanes of a
// format, the format table with flags and the rounding generator, the matrix accumulators, and the
// hardware threads. The selected thread (`thread N`) is whose registers every command shows.
import { entryFormat, FORMAT_BY_NAME, FORMAT_ENTRIES, MAX_BIAS, NUMBER_FLAGS, type NumberFormat } from '../isa/numbers.js';
import { decode } from '../emulator/host/numbers.js';
import { accumulator, formatEntry, vreg } from '../isa/registers.js';
import { type Context, UserError } from './commands.js';

/** A number format named `name[:bias]` (bf16, cfp8_143:7, ...); `also` lists other accepted spellings. */
export function namedFormat(text: string, also = ''): { fmt: NumberFormat; bias: number } {
  const [name = '', b] = text.split(':');
  const fmt = FORMAT_BY_NAME.get(name.toLowerCase());
  if (!fmt) throw new UserError(`unknown lane format '${text}' (${also}one of ${[...FORMAT_BY_NAME.keys()].join(', ')}, with :BIAS for the configurable ones)`);
  const bias = b === undefined ? 0 : Number(b);
  if (!Number.isInteger(bias) || bias < 0 || bias > MAX_BIAS) throw new UserError(`exponent bias '${b}' is out of range 0..${MAX_BIAS}`);
  return { fmt, bias };
}

/** A lane format from `fmtN` (that entry of the selected thread's table) or `name[:bias]`. */
function laneFormat(ctx: Context, spec: string | undefined, thread: number): { fmt: NumberFormat; bias: number; label: string } {
  const text = spec ?? 'fmt0';
  const entry = formatEntry(text);
  if (entry !== undefined) {
    const { id, format: fmt, bias } = entryFormat(ctx.session.core.getFormatEntry(entry, thread));
    if (!fmt) throw new UserError(`fmt${entry} holds ${id}, which names no format`);
    return { fmt, bias, label: `fmt${entry}` };
  }
  const { fmt, bias } = namedFormat(text, `fmt0..fmt${FORMAT_ENTRIES - 1}, or `);
  return { fmt, bias, label: fmt.name };
}

/** The values of the lanes in bytes (little-endian) in a format. */
export function laneValues(bytes: Uint8Array, fmt: NumberFormat, bias: number): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return Array.from({ length: Math.floor(bytes.length / fmt.bytes) }, (_, i) =>
    decode({ format: fmt.name, bias }, fmt.bytes === 4 ? dv.getUint32(4 * i, true) : fmt.bytes === 2 ? dv.getUint16(2 * i, true) : dv.getUint8(i)));
}

const describeFormat = (fmt: NumberFormat, bias: number) => `${fmt.name}${fmt.kind === 'cfloat' ? ` bias ${bias}` : ''}`;

/** Each lane's value as the debugger prints it (a float keeps its point; as many digits as the format has). */
export function laneCells(bytes: Uint8Array, fmt: NumberFormat, bias: number): string[] {
  return laneValues(bytes, fmt, bias).map((x) =>
    fmt.kind === 'int' ? String(x) : Number.isInteger(x) ? x.toFixed(1) : String(Number(x.toPrecision(fmt.bytes === 4 ? 8 : 5))));
}

/** The lanes of a vector register's bytes in a format, 8 to a line. */
export function lanes(bytes: Uint8Array, fmt: NumberFormat, bias: number): string[] {
  const cells = laneCells(bytes, fmt, bias);
  const per = fmt.bytes === 1 ? 16 : 8;
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += per) rows.push(`  [${String(i).padStart(2)}] ${cells.slice(i, i + per).join(' ')}`);
  return rows;
}

export function infoVector(ctx: Context, args: string[], thread: number): void {
  const regs = args.filter((a) => vreg(a) !== undefined);
  const rest = args.filter((a) => vreg(a) === undefined);
  if (rest.length > 1) throw new UserError(`info vector: one lane format at most, got ${rest.join(' ')}`);
  const { fmt, bias, label } = laneFormat(ctx, rest[0], thread);
  const list = regs.length > 0 ? regs.map((r) => vreg(r)!) : Array.from({ length: 32 }, (_, i) => i);
  for (const r of list) {
    const bytes = ctx.session.core.getVreg(r, thread);
    if (regs.length === 0 && bytes.every((b) => b === 0)) continue;
    ctx.out(`v${r} as ${describeFormat(fmt, bias)}${label.startsWith('fmt') ? ` (${label})` : ''}:`);
    for (const row of lanes(bytes, fmt, bias)) ctx.out(row);
  }
  if (regs.length === 0) ctx.out('(registers that are all zero are not shown)');
}

export function infoFormats(ctx: Context, thread: number): void {
  const core = ctx.session.core;
  ctx.out('entry  format     bias');
  for (let n = 0; n < FORMAT_ENTRIES; n++) {
    const { id, format: fmt, bias } = entryFormat(core.getFormatEntry(n, thread));
    ctx.out(`fmt${String(n).padEnd(4)}${(fmt?.name ?? `invalid (${id})`).padEnd(11)}${fmt?.kind === 'cfloat' ? bias : '-'}`);
  }
  const flags = core.vflags(thread);
  const set = Object.entries(NUMBER_FLAGS).filter(([, bit]) => flags & bit).map(([k]) => k.toLowerCase());
  ctx.out(`vflags   0x${flags.toString(16)}${set.length > 0 ? ` (${set.join(', ')})` : ''}`);
  ctx.out(`vsrstate 0x${core.vectorCsr('vsrstate', thread).toString(16)}`);
}

export function infoMatrix(ctx: Context, which: string | undefined): void {
  const one = which === undefined ? undefined : accumulator(which);
  if (which !== undefined && one === undefined) throw new UserError(`info matrix: expected m0..m3, got '${which}'`);
  const list = one !== undefined ? [one] : [0, 1, 2, 3];
  for (const m of list) {
    const acc = ctx.session.core.getAccumulator(m);
    ctx.out(`m${m} (8 x 8 fp32):`);
    for (let r = 0; r < 8; r++) ctx.out(`  [${r}] ${Array.from(acc.slice(8 * r, 8 * r + 8), (x) => String(Number(x.toPrecision(7)))).join(' ')}`);
  }
}

export function infoThreads(ctx: Context, selected: number): void {
  ctx.out('  Thread  State     pc                  instructions  clock');
  // a core that has exited runs no thread any more, whatever its threads were doing when it did
  const s = ctx.session;
  const exited = s.machine ? s.machine.exits.has(s.focus) : s.state === 'exited';
  for (const t of s.core.threads()) {
    const state = exited && t.state !== 'free' ? 'exited' : t.state === 'waiting' ? `waits ${t.waitKind === 'join' ? `for thread ${t.waitFor}` : `on ${t.waitKind}`}` : t.state;
    ctx.out(`${t.thread === selected ? '*' : ' '} ${String(t.thread).padEnd(7)} ${state.padEnd(9)} 0x${t.pc.toString(16).padStart(16, '0')}  ${String(t.instret).padStart(12)}  ${Math.floor(t.clock)}`);
  }
}
