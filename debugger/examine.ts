// `x`: examining memory (docs/debugger.md): gdb's /NFU units, and N values of a lane format.
import { instructionText, SRAM, symbolize } from '../emulator/host/report.js';
import { evalExpr, UserError, type Context } from './commands.js';
import { laneValues, namedFormat } from './dojo.js';
import { littleEndian } from './session.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;

const SIZES: Record<string, number> = { b: 1, h: 2, w: 4, g: 8 };

export function examine(ctx: Context, fmtArg: string, rest: string): void {
  const si = /^(\d*)([si])$/.exec(fmtArg);
  if (si) return (si[2] === 's' ? examineStrings : examineInstructions)(ctx, Number(si[1] || '1'), rest);
  const lane = /^(\d*)([a-z]+[0-9_]*\d(?::\d+)?)$/.exec(fmtArg);
  if (lane && !/^[xduc]?[bhwg]?$/.test(lane[2]!)) return examineLanes(ctx, Number(lane[1] || '1'), lane[2]!, rest);
  // /NFU, or /NUF as gdb also takes it
  const m = /^(\d*)(?:([xductof]?)([bhwg]?)|([bhwg])([xductof]))$/.exec(fmtArg);
  if (!m) throw new UserError(`bad format '/${fmtArg}': use /NFU (N a count, F one of x d u c t o f, U one of b h w g) or /N followed by a lane format such as bf16, fp32, cfp8_143:7`);
  const n = Number(m[1] || '1');
  const fmt = m[2] || m[5] || 'x';
  // a float is a double unless a size says otherwise (gdb's default for f)
  const size = SIZES[m[3] || m[4] || (fmt === 'f' ? 'g' : 'w')]!;
  if (fmt === 'f' && size === 1) throw new UserError(`bad format '/${fmtArg}': floats are h (fp16), w (fp32) or g (fp64)`);
  let addr = evalExpr(ctx, rest);
  const bytes = read(ctx, addr, n * size);
  const perLine = Math.max(1, 16 / size);
  for (let i = 0; i < n; i += perLine) {
    const cells: string[] = [];
    for (let k = i; k < Math.min(n, i + perLine); k++) {
      const v = littleEndian(bytes.subarray(k * size, (k + 1) * size));
      if (fmt === 'x') cells.push(`0x${v.toString(16).padStart(size * 2, '0')}`);
      else if (fmt === 'd') cells.push(String(BigInt.asIntN(size * 8, v)));
      else if (fmt === 't') cells.push(v.toString(2).padStart(size * 8, '0'));
      else if (fmt === 'o') cells.push(`0${v.toString(8)}`);
      else if (fmt === 'f') cells.push(floatText(v, size));
      else if (fmt === 'c') cells.push(JSON.stringify(String.fromCharCode(Number(v & 0xffn))));
      else cells.push(String(v));
    }
    const sym = symbolize(ctx.session.image, addr);
    const near = sym && !/\+0x[0-9a-f]{4,}$/.test(sym); // name data only by a nearby symbol
    ctx.out(`${hex(addr)}${near ? ` <${sym}>` : ''}:\t${cells.join('\t')}`);
    addr += BigInt(perLine * size);
  }
}

/** Where an address is, as gdb shows it: the address and a nearby symbol. */
function label(ctx: Context, addr: bigint): string {
  const sym = symbolize(ctx.session.image, addr);
  return `${hex(addr)}${sym && !/\+0x[0-9a-f]{4,}$/.test(sym) ? ` <${sym}>` : ''}`;
}

/** x/Ns: N strings, each up to its NUL (at most 4 KiB shown), with C escapes. */
function examineStrings(ctx: Context, n: number, rest: string): void {
  let addr = evalExpr(ctx, rest);
  for (let k = 0; k < n; k++) {
    let text = '';
    let len = 0;
    for (; len < 4096; len++) {
      const at = ctx.session.locate(addr + BigInt(len), 1);
      if (!at) {
        if (len === 0) read(ctx, addr, 1); // (the error)
        break;
      }
      const c = at.core.readMem(at.at, 1)[0]!;
      if (c === 0) break;
      text += c === 0x22 ? '\\"' : c === 0x5c ? '\\\\' : c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : c === 10 ? '\\n' : c === 9 ? '\\t' : `\\${c.toString(8).padStart(3, '0')}`;
    }
    ctx.out(`${label(ctx, addr)}:\t"${text}"${len === 4096 ? '...' : ''}`);
    addr += BigInt(len + 1);
  }
}

/** x/Ni: N instructions from an address of the selected core, disassembled. */
function examineInstructions(ctx: Context, n: number, rest: string): void {
  let addr = evalExpr(ctx, rest);
  for (let k = 0; k < n; k++, addr += 4n) {
    read(ctx, addr, 4);
    ctx.out(`${addr === ctx.session.core.pc ? '=> ' : '   '}${label(ctx, addr)}:\t${instructionText(ctx.session.core, ctx.session.image, addr) ?? '(outside SRAM)'}`);
  }
}

/** x/N<lane format>: N values of a number format (bf16, fp16, fp32, cfp8_143:BIAS, int8, ...). */
function examineLanes(ctx: Context, n: number, spec: string, rest: string): void {
  const { fmt, bias } = namedFormat(spec);
  let addr = evalExpr(ctx, rest);
  const values = laneValues(read(ctx, addr, n * fmt.bytes), fmt, bias);
  const perLine = 8;
  for (let i = 0; i < n; i += perLine) {
    ctx.out(`${hex(addr)}:\t${values.slice(i, i + perLine).join('\t')}`);
    addr += BigInt(perLine * fmt.bytes);
  }
}

/** n bytes of SRAM at addr (on a mesh, a global address reaches any core), or a UserError. */
function read(ctx: Context, addr: bigint, n: number): Uint8Array {
  const where = ctx.session.locate(addr, n);
  if (!where) throw new UserError(`cannot access memory at ${hex(addr)}: outside ${SRAM}${ctx.session.machine ? ' (or a global address of no core)' : ''}`);
  return where.core.readMem(where.at, n);
}

/** An IEEE value of `size` bytes (2, 4 or 8) from its bits, as gdb prints floats. */
function floatText(bits: bigint, size: number): string {
  const b = new DataView(new ArrayBuffer(8));
  if (size === 8) return String((b.setBigUint64(0, bits), b.getFloat64(0)));
  if (size === 4) return String((b.setUint32(0, Number(bits)), b.getFloat32(0)));
  // binary16: widen by hand (sign, 5-bit exponent, 10-bit fraction)
  const h = Number(bits), e = (h >> 10) & 0x1f, f = h & 0x3ff, sign = h & 0x8000 ? -1 : 1;
  if (e === 0x1f) return f ? 'nan' : sign < 0 ? '-inf' : 'inf';
  return String(sign * (e === 0 ? f * 2 ** -24 : (1 + f / 1024) * 2 ** (e - 15)));
}
