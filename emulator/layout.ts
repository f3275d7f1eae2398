// The WebAssembly core's linear memory map, stop reasons and fault causes: one table shared by the
// AssemblyScript core (emulator/gen writes it out as AssemblyScript constants) and the TypeScript host.
// Regions are chained, each after the last (WasmBoy's constants.ts is the model).
import { VREG_BYTES } from '../isa/ext/d1v.js';
import { D1_CORE } from './presets.js';

const STATE = 0x10000;
/** Per-thread state blocks, one per hardware thread (THREAD_BLOCK bytes each, offsets T_* below). */
const THREADS = STATE + 0x1000;
const THREAD_BLOCK = 0x1000;
const SRAM = THREADS + THREAD_BLOCK * D1_CORE.threads;
const SRAM_SIZE = D1_CORE.sramBytes;
/** Predecoded instruction records: 16 bytes per 4-byte SRAM word, plus one sentinel record just past
 * the end of SRAM whose op is a fetch fault, so sequential execution needs no bounds check. */
const PREDEC = SRAM + SRAM_SIZE;
const PREDEC_SIZE = (SRAM_SIZE / 4 + 1) * 16;
/** One byte per SRAM word: non-zero marks a debugger breakpoint (the predecoder then emits a break). */
const BREAKS = PREDEC + PREDEC_SIZE;
/** Lowest address a debugger watchpoint covers (u64; all ones when none): see state.ts sram(). Like the
 * breakpoints, it is debugger state: reset and snapshots leave it alone. */
const WATCH_FLOOR = BREAKS + SRAM_SIZE / 4;
const END = WATCH_FLOOR + 8;

export const LAYOUT = {
  /** The running thread's x0..x31, then one scratch slot that absorbs writes to x0 (8 bytes each). */
  REGS: STATE,
  X0_SINK: 32,
  PC: STATE + 0x110,
  /** Instructions retired by the core (all threads). */
  INSTRET: STATE + 0x118,
  /** The running thread's number. */
  CUR_THREAD: STATE + 0x120,
  FAULT_CAUSE: STATE + 0x128,
  FAULT_ADDR: STATE + 0x130,
  FAULT_WORD: STATE + 0x138,
  /** Tick the running thread issues its next instruction at (i64; the cycle model). */
  CLOCK: STATE + 0x140,
  /** The running thread's register ready times (i64 ticks per x register slot, the cycle model). */
  XREADY: STATE + 0x200,
  /** Per-core cycle-model state (f64 each, offsets in CYCLE_MODEL): when each shared resource is next
   * free, accumulator ready times, and totals. */
  RESOURCES: STATE + 0x400,
  /** The four matrix accumulators: 8x8 fp32 each (ACC_BYTES), row-major. */
  ACC: STATE + 0x800,
  ACC_BYTES: 256,
  /** Scratch for instructions whose result overlaps their sources (permutes, transposes): 1 KiB. */
  VTMP: STATE + 0xc00,
  /** The running thread's stall ticks by cause (i64 each, in isa/timing.ts STALLS order). */
  STALLS: STATE + 0x180,
  THREADS,
  THREAD_BLOCK,
  /** Offsets in a thread block: a stopped thread's saved x registers, pc and ready times. */
  T_XSAVE: 0x0,
  T_PC: 0x110,
  T_INSTRET: 0x118,
  /** A THREAD_STATE (u32); a waiting thread waits in tjoin for thread T_WAIT_FOR. */
  T_STATE: 0x120,
  T_WAIT_FOR: 0x124,
  T_CLOCK: 0x128,
  /** The thread's clock when it started, and the ticks its instructions spent in decode (i64 each):
   * issue stalls are what remains of its clock's advance after decode and the other causes. */
  T_START: 0x130,
  T_DECODE: 0x138,
  T_XREADY: 0x140,
  /** Stall ticks by cause (i64 each, STALL order). */
  T_STALLS: 0x280,
  /** Format table fmt0..fmt15 (u32 each), then the other vector CSRs. */
  T_FMT_TABLE: 0x300,
  T_VFLAGS: 0x340,
  T_VSRSTATE: 0x348,
  T_VTBASE: 0x350,
  T_VTROWS: 0x358,
  T_VTCOLS: 0x360,
  T_VTSTRIDE: 0x368,
  /** Vector register ready times (i64 ticks each). */
  T_VREADY: 0x400,
  /** v0..v31, VREG_BYTES each (a register's slot in a predecoded record is its offset from T_VREGS). */
  T_VREGS: 0x800,
  VREG_BYTES,
  SRAM,
  SRAM_SIZE,
  PREDEC,
  PREDEC_RECORD: 16,
  BREAKS,
  WATCH_FLOOR,
  PAGES: Math.ceil(END / 0x10000),
} as const;

/**
 * The cycle model counts time in ticks, integers (a chain of integer adds and compares is what makes the
 * model cheap to run): 27,000 per cycle, so every share of a resource is a whole number of ticks (1/8 of a
 * cycle of decode, 64 bytes of the 200-byte-per-cycle load port, 64 of the 135-byte store port).
 */
export const TICKS_PER_CYCLE = D1_CORE.sramLoadBytesPerCycle * D1_CORE.sramStoreBytesPerCycle;

/** Byte offsets from RESOURCES of the per-core cycle-model values: next-free times and ready times
 * are i64 ticks; the totals from SIMD_BUSY on are f64 cycles, bytes and counts. */
export const CYCLE_MODEL = {
  INT: 0, ADDR: 8, VISSUE: 16, SIMD: 24, VMEM: 32, LOAD: 40, STORE: 48,
  /** Four matrix units, then the four accumulators' ready times. */
  MATRIX: 56, ACC_READY: 88,
  SIMD_BUSY: 120, MATRIX_BUSY: 128, LOAD_BYTES: 136, STORE_BYTES: 144, VECTOR_INSNS: 152, MATRIX_OPS: 160,
} as const;

/** What a hardware thread is doing (T_STATE). */
export const THREAD_STATE = { FREE: 0, RUNNING: 1, WAITING: 2 } as const;

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
  /** A vector access not aligned to its size (a register's size, or the lane size); FAULT_ADDR holds the address. */
  MISALIGNED: 9,
  /** A lane-format problem; FAULT_WORD holds entry | format id << 8 | FORMAT_FAULT reason << 16. */
  FORMAT: 10,
  /** No thread can run: all wait in tjoin (or all have stopped without exit); see the thread blocks. */
  DEADLOCK: 11,
} as const;

/** In FAULT_WORD after a load/store trap inside SRAM: a debugger watch range was hit (low bits: the size). */
export const WATCH_HIT = 0x100;

/** Why a FORMAT fault happened. */
export const FORMAT_FAULT = {
  /** The format-table entry names no format. */
  NO_FORMAT: 1,
  /** The instruction needs a floating-point format. */
  NEEDS_FLOAT: 2,
  /** The instruction needs an integer format. */
  NEEDS_INT: 3,
  /** The format is not one of the matrix units' inputs (isa/ext/d1m.ts MATRIX_FORMATS). */
  NEEDS_MATRIX: 4,
  /** vcvt's part selects beyond the wider side. */
  BAD_PART: 5,
  /** A vtrn register group is not aligned to its size. */
  BAD_GROUP: 6,
} as const;

/** The value an exec function returns instead of a next pc to say "stop: see FAULT_CAUSE". */
export const TRAP = 0xffff_ffff_ffff_ffffn;
