// `x`: examining memory (docs/debugger.md): gdb's /NFU units, and N values of a lane format.
import { SRAM, symbolize } from '../emulator/host/report.js';
import { evalExpr, UserError, type Context } from './commands.js';
import { laneValues, namedFormat } from './dojo.js';
import { littleEndian } from './session.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;

const SIZES: Record<string, number> = { b: 1, h: 2, w: 4, g: 8 };

export function examine(ctx: Context, fmtArg: string, rest: string): void {
  const lane = /^(\d*)([a-z]+[0-9_]*\d(?::\d+)?)$/.exec(fmtArg);
  if (lane && !/^[xduc]?[bhwg]?$/.test(lane[2]!)) return examineLanes(ctx, Number(lane[1] || '1'), lane[2]!, rest);
  const m = /^(\d*)([xduc]?)([bhwg]?)$/.exec(fmtArg);
  if (!m) throw new UserError(`bad format '/${fmtArg}': use /NFU (N a count, F one of x d u c, U one of b h w g) or /N followed by a lane format such as bf16, fp32, cfp8_143:7`);
  const n = Number(m[1] || '1');
  const fmt = m[2] || 'x';
  const size = SIZES[m[3] || 'w']!;
  let addr = evalExpr(ctx, rest);
  const bytes = read(ctx, addr, n * size);
  const perLine = Math.max(1, 16 / size);
  for (let i = 0; i < n; i += perLine) {
    const cells: string[] = [];
    for (let k = i; k < Math.min(n, i + perLine); k++) {
      const v = littleEndian(bytes.subarray(k * size, (k + 1) * size));
      if (fmt === 'x') cells.push(`0x${v.toString(16).padStart(size * 2, '0')}`);
      else if (fmt === 'd') cells.push(String(BigInt.asIntN(size * 8, v)));
      else if (fmt === 'c') cells.push(JSON.stringify(String.fromCharCode(Number(v & 0xffn))));
      else cells.push(String(v));
    }
    const sym = symbolize(ctx.session.image, addr);
    const near = sym && !/\+0x[0-9a-f]{4,}$/.test(sym); // name data only by a nearby symbol
    ctx.out(`${hex(addr)}${near ? ` <${sym}>` : ''}:\t${cells.join('\t')}`);
    addr += BigInt(perLine * size);
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

/** n bytes of SRAM at addr, or a UserError. */
function read(ctx: Context, addr: bigint, n: number): Uint8Array {
  if (!ctx.session.core.inSram(addr, n)) throw new UserError(`cannot access memory at ${hex(addr)}: outside ${SRAM}`);
  return ctx.session.core.readMem(addr, n);
}
