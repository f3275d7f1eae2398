// The WebAssembly core's linear memory map, stop reasons and fault causes: one table shared by the
// AssemblyScript core (emulator/gen writes it out as AssemblyScript constants) and the TypeScript host.
// Regions are chained, each after the last (WasmBoy's constants.ts is the model).
import { D1_CORE } from './presets.js';

const STATE = 0x10000;
const STATE_SIZE = 0x2000;
const SRAM = STATE + STATE_SIZE;
const SRAM_SIZE = D1_CORE.sramBytes;
/** Predecoded instruction records: 16 bytes per 4-byte SRAM word, plus one sentinel record just past
 * the end of SRAM whose op is a fetch fault, so sequential execution needs no bounds check. */
const PREDEC = SRAM + SRAM_SIZE;
const PREDEC_SIZE = (SRAM_SIZE / 4 + 1) * 16;
/** One byte per SRAM word: non-zero marks a debugger breakpoint (the predecoder then emits a break). */
const BREAKS = PREDEC + PREDEC_SIZE;
const END = BREAKS + SRAM_SIZE / 4;

export const LAYOUT = {
  /** x0..x31, then one scratch slot that absorbs writes to x0 (8 bytes each). */
  REGS: STATE,
  X0_SINK: 32,
  PC: STATE + 0x110,
  INSTRET: STATE + 0x118,
  /** Cycles beyond one per instruction (cycles = instret + EXTRA_CYCLES). */
  EXTRA_CYCLES: STATE + 0x120,
  FAULT_CAUSE: STATE + 0x128,
  FAULT_ADDR: STATE + 0x130,
  FAULT_WORD: STATE + 0x138,
  /** Format table fmt0..fmt15 (u32 each), then the other per-thread vector CSRs. */
  FMT_TABLE: STATE + 0x200,
  VFLAGS: STATE + 0x240,
  VSRSTATE: STATE + 0x248,
  VTBASE: STATE + 0x250,
  VTROWS: STATE + 0x258,
  VTCOLS: STATE + 0x260,
  VTSTRIDE: STATE + 0x268,
  /** v0..v31, 64 bytes each. */
  VREGS: STATE + 0x400,
  /** The four matrix accumulators: 8x8 fp32 each, row-major. */
  ACC: STATE + 0xc00,
  /** Scratch for instructions whose result overlaps their sources (permutes, transposes): 2 KiB. */
  VTMP: STATE + 0x1000,
  SRAM,
  SRAM_SIZE,
  PREDEC,
  PREDEC_RECORD: 16,
  BREAKS,
  PAGES: Math.ceil(END / 0x10000),
} as const;

/** Why run() returned. */
export const STOP = { LIMIT: 0, ECALL: 1, EBREAK: 2, FAULT: 3, BREAKPOINT: 4 } as const;

/** What went wrong, in FAULT_CAUSE. ECALL and EBREAK are not faults but travel the same way. */
export const CAUSE = {
  NONE: 0,
  ILLEGAL: 1,
  FETCH: 2,
  LOAD: 3,
  STORE: 4,
  ECALL: 5,
  EBREAK: 6,
  CSR: 7,
  BREAKPOINT: 8,
  /** A vector access not aligned to its size (64 bytes, or the lane size); FAULT_ADDR holds the address. */
  MISALIGNED: 9,
  /** A lane-format problem; FAULT_WORD holds entry | format id << 8 | FORMAT_FAULT reason << 16. */
  FORMAT: 10,
} as const;

/** Why a FORMAT fault happened. */
export const FORMAT_FAULT = {
  /** The format-table entry names no format. */
  NO_FORMAT: 1,
  /** The instruction needs a floating-point format. */
  NEEDS_FLOAT: 2,
  /** The instruction needs an integer format. */
  NEEDS_INT: 3,
  /** The matrix units take bf16, fp16, cfp8_143 or cfp8_152. */
  NEEDS_MATRIX: 4,
  /** vcvt's part selects beyond the wider side. */
  BAD_PART: 5,
  /** A vtrn register group is not aligned to its size. */
  BAD_GROUP: 6,
} as const;

/** The value an exec function returns instead of a next pc to say "stop: see FAULT_CAUSE". */
export const TRAP = 0xffff_ffff_ffff_ffffn;
