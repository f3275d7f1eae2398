// The host's entry to the number formats: the same AssemblyScript code the core runs per lane
// (emulator/assembly/numbers.ts), compiled alone into dist/d1-numbers.wasm and loaded on first use. The
// assembler's data directives, the debugger's lane views and the tests go through here.
import { distWasm } from './wasm.js';
import { FORMAT_BY_NAME, MAX_BIAS, ROUNDING, type NumberFormat } from '../../isa/numbers.js';

interface NumbersExports {
  decode(id: number, bias: number, bits: number): number;
  encode(id: number, bias: number, x: number, rounding: number, rnd: number): number;
  clearFlags(): void;
  flags(): number;
  srDraw(state: bigint): number;
  srNext(state: bigint): bigint;
}

let lib: NumbersExports | undefined;

function wasm(): NumbersExports {
  if (!lib) {
    const bytes = distWasm('d1-numbers.wasm', 'the number-format library');
    lib = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort: () => {} } })
      .exports as unknown as NumbersExports;
  }
  return lib;
}

/** A lane format: a format name from isa/numbers.ts and, for the configurable floats, the bias. */
export interface Spec {
  format: string;
  bias?: number;
}

export type Rounding = 'rne' | 'sr';

export class NumberFormatError extends Error {}

/** The format of a spec, checked: a known name and, where it matters, a bias in 0..63. */
export function resolve(spec: Spec): { fmt: NumberFormat; bias: number } {
  const fmt = FORMAT_BY_NAME.get(spec.format);
  if (!fmt) throw new NumberFormatError(`unknown number format '${spec.format}' (known: ${[...FORMAT_BY_NAME.keys()].join(', ')})`);
  const bias = spec.bias ?? 0;
  if (fmt.kind === 'cfloat' && (!Number.isInteger(bias) || bias < 0 || bias > MAX_BIAS))
    throw new NumberFormatError(`exponent bias ${bias} of ${fmt.name} is out of range: it must be an integer 0..${MAX_BIAS}`);
  return { fmt, bias };
}

const mask = (fmt: NumberFormat, bits: number): number => (fmt.bytes === 4 ? bits >>> 0 : bits & ((1 << (fmt.bytes * 8)) - 1));

/** The exact value of a lane's bits. */
export function decode(spec: Spec, bits: number): number {
  const { fmt, bias } = resolve(spec);
  return wasm().decode(fmt.id, bias, mask(fmt, bits));
}

/** Round a value into a format; random is the 32-bit draw a stochastic rounding uses. */
export function encode(spec: Spec, x: number, rounding: Rounding = 'rne', random = 0): { bits: number; flags: number } {
  const { fmt, bias } = resolve(spec);
  const w = wasm();
  w.clearFlags();
  const bits = w.encode(fmt.id, bias, x, rounding === 'sr' ? ROUNDING.SR : ROUNDING.RNE, random >>> 0);
  return { bits: mask(fmt, bits), flags: w.flags() };
}

/** Convert a lane from one format to another, with the source operand's flags (DENORMAL, INVALID). */
export function convert(from: Spec, to: Spec, bits: number, rounding: Rounding = 'rne', random = 0): { bits: number; flags: number } {
  const src = resolve(from);
  const dst = resolve(to);
  const w = wasm();
  w.clearFlags();
  const x = w.decode(src.fmt.id, src.bias, mask(src.fmt, bits));
  const out = w.encode(dst.fmt.id, dst.bias, x, rounding === 'sr' ? ROUNDING.SR : ROUNDING.RNE, random >>> 0);
  return { bits: mask(dst.fmt, out), flags: w.flags() };
}

/** The stochastic-rounding generator (SplitMix64, isa/numbers.ts), as the core runs it per thread. */
export class SrGenerator {
  constructor(public state: bigint) {
    this.state = BigInt.asUintN(64, state);
  }

  next(): number {
    const w = wasm();
    this.state = BigInt.asUintN(64, w.srNext(this.state));
    return w.srDraw(this.state) >>> 0;
  }
}
