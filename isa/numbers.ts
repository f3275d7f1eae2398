// The number formats of the D1 vector unit (Tesla, "A Guide to Tesla's Configurable Floating Point
// Formats & Arithmetic"; IEEE 754-2008 for FP32 and FP16; BF16 as the top half of FP32). Pure data: the
// conversion code that uses it is emulator/assembly/numbers.ts (compiled into the core and, for the
// host, into dist/d1-numbers.wasm); emulator/host/numbers.ts is the host's entry to it.

export type NumberKind = 'ieee' | 'cfloat' | 'int';

export interface NumberFormat {
  /** Number written in a format-table entry's low byte. */
  id: number;
  /** Assembly name (`.bf16`, `vcvt ... bf16`), lower case. */
  name: string;
  title: string;
  kind: NumberKind;
  bytes: 1 | 2 | 4;
  /** Has a sign bit (floats) or is two's complement (ints). */
  signed: boolean;
  /** Exponent and mantissa (trailing significand) bits; 0 for integers. */
  exp: number;
  man: number;
  /** Exponent bias of the IEEE formats; the configurable formats take theirs from the format-table entry. */
  bias: number | null;
}

const ieee = (id: number, name: string, title: string, bytes: 2 | 4, exp: number, man: number, bias: number): NumberFormat =>
  ({ id, name, title, kind: 'ieee', bytes, signed: true, exp, man, bias });
const cfloat = (id: number, name: string, title: string, bytes: 1 | 2, signed: boolean, exp: number, man: number): NumberFormat =>
  ({ id, name, title, kind: 'cfloat', bytes, signed, exp, man, bias: null });
const int = (id: number, name: string, bytes: 1 | 2 | 4, signed: boolean): NumberFormat =>
  ({ id, name, title: `${signed ? '' : 'unsigned '}${bytes * 8}-bit integer`, kind: 'int', bytes, signed, exp: 0, man: 0, bias: null });

export const NUMBER_FORMATS: NumberFormat[] = [
  ieee(0, 'fp32', 'IEEE binary32', 4, 8, 23, 127),
  ieee(1, 'bf16', 'bfloat16 (top half of binary32)', 2, 8, 7, 127),
  ieee(2, 'fp16', 'IEEE binary16', 2, 5, 10, 15),
  cfloat(3, 'cfp8_143', 'CFloat8 1-4-3, configurable bias', 1, true, 4, 3),
  cfloat(4, 'cfp8_152', 'CFloat8 1-5-2, configurable bias', 1, true, 5, 2),
  cfloat(5, 'shp', 'CFloat16 signed half precision 1-5-10, configurable bias', 2, true, 5, 10),
  cfloat(6, 'uhp', 'CFloat16 unsigned half precision 0-6-10, configurable bias', 2, false, 6, 10),
  int(7, 'int8', 1, true),
  int(8, 'int16', 2, true),
  int(9, 'int32', 4, true),
  int(10, 'uint8', 1, false),
  int(11, 'uint16', 2, false),
  int(12, 'uint32', 4, false),
];

export const FORMAT_BY_NAME = new Map(NUMBER_FORMATS.map((f) => [f.name, f]));

/** The configurable bias is an unsigned 6-bit number (the guide). */
export const MAX_BIAS = 63;

/**
 * A format-table entry (CSR fmt0..fmt15): the format id in bits [7:0], the exponent bias of a configurable
 * float in bits [13:8]. An entry whose id names no format makes the instructions that use it fault.
 */
/** Entries in a thread's format table (fmt0..fmt15, the 4-bit fmt field's range). */
export const FORMAT_ENTRIES = 16;
export const ENTRY = { ID_MASK: 0xff, BIAS_SHIFT: 8, BIAS_MASK: MAX_BIAS } as const;
const bitSpan = (mask: number, shift: number) => `[${shift + Math.log2(mask + 1) - 1}:${shift}]`;
/** The entry's layout in words, for the CSR reference. */
export const ENTRY_DOC = `format id in bits ${bitSpan(ENTRY.ID_MASK, 0)}, exponent bias of a configurable float in bits ${bitSpan(ENTRY.BIAS_MASK, ENTRY.BIAS_SHIFT)}`;
export const entryValue = (id: number, bias = 0): number => id | (bias << ENTRY.BIAS_SHIFT);
/** The format id and bias a format-table entry holds (the format is undefined if the id names none). */
export function entryFormat(v: number): { id: number; format: NumberFormat | undefined; bias: number } {
  const id = v & ENTRY.ID_MASK;
  return { id, format: NUMBER_FORMATS[id], bias: (v >> ENTRY.BIAS_SHIFT) & ENTRY.BIAS_MASK };
}

/** Sticky exception flags (CSR vflags), the guide's four. */
export const NUMBER_FLAGS = { INVALID: 1, DENORMAL: 2, OVERFLOW: 4, UNDERFLOW: 8 } as const;

/** Rounding modes of conversions. */
export const ROUNDING = { RNE: 0, SR: 1 } as const;

/**
 * The stochastic-rounding generator: SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014). state += GOLDEN; z = state; z = (z ^ z>>30) * M1; z = (z ^ z>>27) * M2;
 * z ^= z>>31; a draw is the high 32 bits of z. The per-thread state is CSR vsrstate; writing it seeds.
 */
export const SPLITMIX = {
  GOLDEN: 0x9e3779b97f4a7c15n,
  M1: 0xbf58476d1ce4e5b9n,
  M2: 0x94d049bb133111ebn,
} as const;
