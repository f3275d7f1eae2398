// The WebAssembly core's linear memory map, stop reasons and fault causes: one table shared by the
// AssemblyScript core (emulator/gen writes it out as AssemblyScript constants) and the TypeScript host.
// Regions are chained, each after the last (WasmBoy's constants.ts is the model).
import { VREG_BYTES } from '../isa/ext/d1v.js';
import { D1_CORE } from './presets.js';

const STATE = 0x10000;
/** The running core's hot state (REGS .. RESOURCES below) is swapped with its core block's CORE_SAVE copy
 * when the emulator switches cores: SWAP_BYTES of it (VTMP, scratch, is not part of it; the matrix
 * accumulators stay in the core block, CORE_ACC, so a switch moves as little as it can). */
const SWAP_BYTES = 0x400;
/** The STATE block (the hot state and the scratch below) of each lane: a die's cores split over two
 * threads each run one wasm instance over the same memory, the second built with every STATE address
 * one block further on (laneLayout; emulator/host/lanes.ts). */
const LANE_BYTES = 0x1000;
const LANES = 2;
/** Machine configuration (mesh size, this partition, window end, link costs): MESH_* offsets. */
const MESH = STATE + LANE_BYTES * LANES;
/** Per router of the partition: slot + 1 of its core in this instance, 0 for a disabled core (u16). */
const SLOT_MAP = MESH + 0x1000;
const MAX_ROUTERS = 4096;
/** Per router of the partition, LINK_COUNT links (LINK_* order), LINK_BYTES each: next-free tick (i64),
 * busy ticks (i64), bytes carried (f64), messages (f64). */
const LINKS = SLOT_MAP + MAX_ROUTERS * 2;
const LINK_COUNT = 6;
const LINK_BYTES = 32;
/** The network's messages in flight: a binary heap of message numbers (u32) ordered by (time, seq). */
const HEAP = LINKS + MAX_ROUTERS * LINK_COUNT * LINK_BYTES;
const MSG_COUNT = 65536;
/** Events for the host after a window (EVENT_BYTES each): barrier arrivals, engine faults. */
const EVENTS = HEAP + MSG_COUNT * 4;
const EVENT_COUNT = 2048;
const EVENT_BYTES = 32;
/** Message records: a MSG_* header, then up to MSG_PAYLOAD bytes of data. */
const MSGS = EVENTS + EVENT_COUNT * EVENT_BYTES;
const MSG_HEADER = 96;
const MSG_PAYLOAD = 1024;
const MSG_BYTES = MSG_HEADER + MSG_PAYLOAD;
/** Messages leaving this partition for another (the host moves them to that partition's INBOX). */
const OUTBOX = MSGS + MSG_COUNT * MSG_BYTES;
const BOX_COUNT = 4096;
const INBOX = OUTBOX + BOX_COUNT * MSG_BYTES;
/** Trace records for `--trace` (TRACE_BYTES each, TR_* offsets): thread waits, engine work, regions,
 * messages, semaphore values, link load. */
const TRACE = INBOX + BOX_COUNT * MSG_BYTES;
const TRACE_COUNT = 65536;
const TRACE_BYTES = 64;
/** While tracing, each link's busy ticks by window (i64 each), LINK_RING windows from MESH_CFG.LINK_BASE
 * on, per link in LINKS order: emulator/assembly/net.ts book(). */
const LINK_LOAD = TRACE + TRACE_COUNT * TRACE_BYTES;
const LINK_RING = 16;
/** The block compiler's hotness counters (u16 each), shared by the instance's cores and indexed by a hash of
 * a branch target's word number: cores running the same code (SPMD) warm it up together. */
const JIT_HOT = LINK_LOAD + MAX_ROUTERS * LINK_COUNT * LINK_RING * 8;
const JIT_HOT_COUNT = 4096;
/** A scratch predecoded record (the block compiler reads an instruction whose own record is a block entry). */
const JIT_RECORD = STATE + 0xc00;
/** The record of the vector or matrix instruction a compiled block runs by the core's semantics
 * (emulator/assembly/jit.ts vexec). */
const JIT_EXEC = STATE + 0xc10;
/** The race-checking build (`d1 run --check-races`): its log of accesses and synchronisation for the host
 * (RACE_BYTES each, RACE_FIELDS offsets; emulator/assembly/races.ts, emulator/host/races.ts). */
const RACE_LOG = JIT_HOT + JIT_HOT_COUNT * 2;
const RACE_COUNT = 16384;
const RACE_BYTES = 32;
/** The cores of this instance, CORE_BYTES each: saved hot state, thread blocks, network state, SRAM,
 * predecoded records, breakpoint marks, compiled-code marks. */
const CORES = Math.ceil((RACE_LOG + RACE_COUNT * RACE_BYTES) / 0x10000) * 0x10000;
const THREAD_BLOCK = 0x1000;
const CORE_SAVE = 0;
/** Per-thread state blocks, one per hardware thread (THREAD_BLOCK bytes each, offsets T_* below). */
const CORE_THREADS = 0x1000;
/** The core's semaphores, identity and engines (C_* offsets). */
const CORE_NET = CORE_THREADS + THREAD_BLOCK * D1_CORE.threads;
const CORE_SRAM = 0x10000;
const SRAM_SIZE = D1_CORE.sramBytes;
/** Predecoded instruction records: 16 bytes per 4-byte SRAM word, plus one sentinel record just past
 * the end of SRAM whose op is a fetch fault, so sequential execution needs no bounds check. */
const CORE_PREDEC = CORE_SRAM + SRAM_SIZE;
const PREDEC_SIZE = (SRAM_SIZE / 4 + 1) * 16;
/** The core's code generation (u32): a block entry linked in an older one is stale. (It, the marked chunks
 * and the decoded spans share the page of the sentinel record and the first breakpoint marks.) */
const CORE_CODEGEN = CORE_PREDEC + PREDEC_SIZE;
/** One bit per MARK_CHUNK bytes of code-line marks (CORE_CODELINES): set once a mark there may be non-zero.
 * Whatever resets the marks (a new load, the speculation epoch starting again) skips the clear chunks: a
 * page of marks is never touched for SRAM the program does not write (a first touch of a page costs as much
 * as thousands of instructions). */
const CORE_MARKED = CORE_CODEGEN + 4;
const MARK_CHUNK = 0x1000;
/** One byte per DECODED_SPAN bytes of SRAM: non-zero once a word there has been decoded (until every record
 * is forgotten). A store elsewhere has no record to forget, and leaves the records' pages untouched (data
 * never costs record memory). */
const DECODED_SPAN = 1024;
const CORE_DECODED = CORE_CODEGEN + 8;
/** One byte per SRAM word: non-zero marks a debugger breakpoint (the predecoder then emits a break). */
const CORE_BREAKS = CORE_DECODED + SRAM_SIZE / DECODED_SPAN;
/** One byte per CODE_LINE bytes of SRAM: bit 7 (CODE_MARK) set when compiled code holds some of them, so
 * a write there drops the core's compiled code (emulator/assembly/jit.ts); the low bits are the
 * speculation epoch the line was last written in (MESH_CFG.SPEC_EPOCH): a store to a line whose byte is
 * not the epoch takes the slow path (state.ts touchLines), which logs the line while windows run
 * speculatively (emulator/assembly/speculate.ts). Page-aligned: a MARK_CHUNK of them is a page. */
const CODE_LINE = 64;
const CORE_CODELINES = Math.ceil((CORE_BREAKS + SRAM_SIZE / 4) / MARK_CHUNK) * MARK_CHUNK;
/** The race-checking build: one byte per RACE_GRANULE bytes of SRAM, bit t set when thread t's next load
 * there is logged, bit 4 + t its next store (set by remote and engine accesses, cleared as an access is
 * logged); then per thread the granules it cleared since it last synchronised (a u32 count, RACE_LIST
 * u32s), set again when it does. */
const RACE_GRANULE = 8;
const CORE_RACEMAP = CORE_CODELINES + SRAM_SIZE / CODE_LINE;
const CORE_RACELIST = CORE_RACEMAP + SRAM_SIZE / RACE_GRANULE;
const RACE_LIST = 16384;
/** What a speculative run of windows changed in a core, to undo it (emulator/assembly/speculate.ts), laid
 * out so that a core that runs one thread touches three pages of it, plus the lines it writes: a copy of
 * the core's save area (hot state, accumulators, regions: a page); a copy of its network state
 * (semaphores, counters, engines: UNDO_NET_BYTES), then a header (U_* offsets) and the SRAM lines written
 * (u16 line numbers, at UNDO_LOG); copies of the blocks of its threads that were not free (a page each);
 * then the lines' bytes as they were, each at its log entry's index (a line of zeros is not copied). */
const CORE_UNDO = Math.ceil((CORE_RACELIST + D1_CORE.threads * (RACE_LIST + 1) * 4) / 0x1000) * 0x1000;
const UNDO_STATE = 0;
const UNDO_NET = UNDO_STATE + CORE_THREADS;
const UNDO_NET_BYTES = 0x800;
const UNDO_HEAD = UNDO_NET + UNDO_NET_BYTES;
const UNDO_LOG = UNDO_HEAD + 0x40;
const UNDO_THREADS = Math.ceil((UNDO_LOG + (SRAM_SIZE / CODE_LINE) * 2) / 0x1000) * 0x1000;
const UNDO_SHADOW = UNDO_THREADS + THREAD_BLOCK * D1_CORE.threads;
const CORE_BYTES = Math.ceil((CORE_UNDO + UNDO_SHADOW + SRAM_SIZE) / 0x10000) * 0x10000;
/** Cores one instance holds: its linear memory stays below 4 GiB (wasm32). */
const MAX_CORES = Math.floor((2 ** 32 - CORES) / CORE_BYTES);

export const LAYOUT = {
  /** Bytes of a lane's STATE block, and the lanes an instance's memory has room for. */
  LANE_BYTES,
  LANES,
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
  RESOURCES: STATE + 0x310,
  /** The core's four matrix accumulators, in its core block: 8x8 fp32 each (ACC_BYTES), row-major. */
  CORE_ACC: SWAP_BYTES,
  ACC_BYTES: 256,
  /** The core's profile by region (REGION_COUNT rows of REGION_BYTES, REGION_* offsets), in its core block
   * after the accumulators: what its threads did while in each region, up to their last region switch. */
  CORE_REGIONS: SWAP_BYTES + 1024,
  REGION_COUNT: 16,
  REGION_BYTES: 128,
  /** A region row: instructions (u64), cycles (i64 ticks), SRAM bytes loaded and stored (f64), stall
   * ticks by cause (i64 each, STALL order). */
  REGION_INSTRET: 0,
  REGION_CYCLES: 8,
  REGION_LOADS: 16,
  REGION_STORES: 24,
  REGION_STALLS: 32,
  /** Scratch for instructions whose result overlaps their sources (permutes, transposes): 1 KiB. mma
   * widens its operands there, into four slots of 32 binary64 (emulator/assembly/exec/d1m.ts mma: its
   * `wide` argument names A's slot, B's slot << 2, and whether to widen each there, MMA_WIDEN_A and _B). */
  VTMP: STATE + 0x800,
  MMA_WIDEN_A: 0x10,
  MMA_WIDEN_B: 0x20,
  /** The running thread's stall ticks by cause (i64 each, in isa/timing.ts STALLS order). */
  STALLS: STATE + 0x180,
  THREAD_BLOCK,
  /** Offsets in a thread block: a stopped thread's saved x registers, pc and ready times. */
  T_XSAVE: 0x0,
  T_PC: 0x110,
  T_INSTRET: 0x118,
  /** A THREAD_STATE (u32); a waiting thread waits in tjoin for thread T_WAIT_FOR. */
  T_STATE: 0x120,
  T_WAIT_FOR: 0x124,
  /** A WAIT kind (u32), and its argument (u64: a barrier's group, a semaphore's count). */
  T_WAIT_KIND: 0x2f0,
  T_WAIT_ARG: 0x2f8,
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
  /** The profiling region the thread is in (u64, the region CSR), and the thread's counters when it
   * entered it: instructions (u64), clock (i64), the core's SRAM bytes loaded and stored (f64), and
   * its stall ticks by cause (i64 each, STALL order). */
  T_REGION: 0x370,
  T_REGION_INSTRET: 0x378,
  T_REGION_CLOCK: 0x380,
  T_REGION_LOADS: 0x388,
  T_REGION_STORES: 0x390,
  T_REGION_STALLS: 0x398,
  /** Vector register ready times (i64 ticks each). */
  T_VREADY: 0x400,
  /** v0..v31, VREG_BYTES each (a register's slot in a predecoded record is its offset from T_VREGS). */
  T_VREGS: 0x800,
  VREG_BYTES,
  SWAP_BYTES,
  MESH,
  SLOT_MAP,
  MAX_ROUTERS,
  LINKS,
  LINK_COUNT,
  LINK_BYTES,
  HEAP,
  MSG_COUNT,
  /** Records kept for the network's own messages (replies, posts, engine steps, the inbox): cores and
   * engines wait while fewer are free. */
  MSG_RESERVE: 8192,
  EVENTS,
  EVENT_COUNT,
  EVENT_BYTES,
  MSGS,
  MSG_HEADER,
  MSG_PAYLOAD,
  MSG_BYTES,
  OUTBOX,
  INBOX,
  BOX_COUNT,
  TRACE,
  TRACE_COUNT,
  TRACE_BYTES,
  LINK_LOAD,
  LINK_RING,
  CORES,
  CORE_BYTES,
  MAX_CORES,
  CORE_SAVE,
  CORE_THREADS,
  CORE_NET,
  CORE_SRAM,
  SRAM_SIZE,
  CORE_PREDEC,
  PREDEC_RECORD: 16,
  CORE_BREAKS,
  CORE_CODELINES,
  CORE_CODEGEN,
  CORE_MARKED,
  MARK_CHUNK,
  CODE_LINE,
  CORE_DECODED,
  DECODED_SPAN,
  JIT_HOT,
  JIT_HOT_COUNT,
  JIT_RECORD,
  JIT_EXEC,
  RACE_LOG,
  RACE_COUNT,
  RACE_BYTES,
  RACE_GRANULE,
  CORE_RACEMAP,
  CORE_RACELIST,
  RACE_LIST,
  CORE_UNDO,
  UNDO_STATE,
  UNDO_NET,
  UNDO_NET_BYTES,
  UNDO_LOG,
  UNDO_THREADS,
  UNDO_SHADOW,
  /** A core's undo header: the lines logged (u32), which thread blocks were saved (u32, bit per thread);
   * the speculation it is for is CORE_NET_FIELDS.UNDO_TAG. */
  U_LINES: UNDO_HEAD, U_THREADS: UNDO_HEAD + 4,
  CODE_MARK: 0x80,
  /** Longest straight-line stretch (sub-block) the block compiler makes, in instructions. */
  JIT_MAX_BLOCK: 64,
  /** Semaphores per core (u32 counters at C_SEMS). */
  SEM_COUNT: 32,
} as const;

/**
 * The cycle model counts time in ticks, integers (a chain of integer adds and compares is what makes the
 * model cheap to run): 27,000 per cycle, so every share of a resource is a whole number of ticks (1/8 of a
 * cycle of decode, 64 bytes of the 200-byte-per-cycle load port, 64 of the 135-byte store port).
 */
export const TICKS_PER_CYCLE = D1_CORE.sramLoadBytesPerCycle * D1_CORE.sramStoreBytesPerCycle;

/** A number of cycles as whole ticks (the interpreter's generated model and the block compiler use it). */
export function ticksOf(cycles: number): number {
  const t = cycles * TICKS_PER_CYCLE;
  if (Math.abs(t - Math.round(t)) > 1e-6) throw new Error(`${cycles} cycles is not a whole number of ticks`);
  return Math.round(t);
}

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
export const STOP = {
  LIMIT: 0, ECALL: 1, EBREAK: 2, FAULT: 3, BREAKPOINT: 4,
  /** Mesh runs: every running thread of the core reached the window's end; no thread can run until the
   * network, a semaphore or a barrier wakes one; every core of the instance is done with the window. */
  WINDOW: 5, BLOCKED: 6,
  /** The debugging build, watching after the access (MESH_CFG.WATCH_AFTER): an instruction or a message
   * touched a watch range or changed a watched semaphore; it has taken effect, and the HIT record says
   * what it was. */
  WATCH: 7,
} as const;

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
  /** A semaphore number or barrier group that does not exist; FAULT_WORD holds a SYNC_FAULT reason. */
  SYNC: 12,
  /** A global address outside the mesh or naming a disabled core (FAULT_ADDR), or a remote access that
   * crosses the end of the remote core's SRAM. */
  REMOTE: 13,
} as const;

/** Why a SYNC fault happened. */
export const SYNC_FAULT = { SEMAPHORE: 1, GROUP: 2, QUEUE_FULL: 3 } as const;

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

/** Byte offsets in MESH: the machine and this instance's partition of it (u32 unless said). */
export const MESH_CFG = {
  /** The whole mesh, and the rectangle of it this instance emulates. */
  W: 0, H: 4, PX: 8, PY: 12, PW: 16, PH: 20,
  /** Cores (enabled ones) in this instance. */
  CORES: 24,
  /** Die size: links that cross a die edge are die-to-die links. */
  DIE_W: 28, DIE_H: 32,
  /** The core the hot state belongs to (its slot). */
  CUR: 36,
  /** Ticks (i64): the end of the current window, a router hop's latency, a 64-byte packet's time on an
   * on-die link and on a die-to-die link crossing a vertical (x) or horizontal (y) die edge. */
  WINDOW_END: 40, HOP: 48, LINK_TICKS: 56, EDGE_X_TICKS: 64, EDGE_Y_TICKS: 72,
  /** Lowest address a debugger watchpoint covers (u64; all ones when none): see state.ts sram(). */
  WATCH_FLOOR: 80,
  /** Non-zero: a watch hit stops after the access that made it, with a HIT record (the debugger), and
   * messages are watched too; zero: it traps before a core's own load or store (the gdb stub). (u32) */
  WATCH_AFTER: 156,
  /** Trace records dropped because TRACE was full (u32). */
  TRACE_LOST: 160,
  /** While tracing: the first window whose link load is not yet reported, and the last window any link
   * has busy time booked in (i64 window numbers). */
  LINK_BASE: 168, LINK_TOP: 176,
  /** Records in RACE_LOG (u32; the race-checking build). */
  RACE_N: 184,
  /** Non-zero: windows may run speculatively, several at once (u32; the host's choice), and the current
   * speculation epoch (u32, 0..127: LAYOUT.CORE_CODELINES). Then counts (u32): speculations that stood
   * and the windows they ran, and speculations undone. */
  SPEC_ON: 188, SPEC_EPOCH: 192, SPEC_RUNS: 196, SPEC_WINDOWS: 200, SPEC_UNDONE: 204,
  /** The last speculation begun over this memory (by any instance over it): its number (u32, the tag of
   * the undo areas it filled), its windows (u32) and the end of its first window (i64). */
  SPEC_GEN: 208, SPEC_N: 212, SPEC_FIRST: 216,
  /** The second lane's current core (its CUR: laneLayout), and whether the cores' speculative windows run
   * on two lanes (u32: non-zero; emulator/host/lanes.ts). */
  LANE_CUR: 224, LANE_ON: 228,
  /** Speculations whose cores ran on two lanes (u32), and the live cores the lanes have claimed in the
   * running one (u32: emulator/assembly/mesh.ts claim). */
  SPEC_LANES: 232, LANE_CLAIMED: 236,
  /** The last watch hit (HIT offsets). */
  HIT: 0xc00,
  /** Messages in the heap (u32), the first free message record (u32, a free list through MSG_NEXT),
   * records never used yet (u32), OUTBOX and INBOX fill (u32), EVENTS fill (u32). */
  HEAP_N: 88, FREE: 92, FRESH: 96, OUT_N: 100, IN_N: 104, EVENT_N: 108,
  /** Set when a core ran, a message moved or a thread woke in this window (u32): not a deadlock. */
  PROGRESS: 112,
  /** Ticks a die-to-die hop adds to HOP (SerDes), i64. */
  EDGE_HOP: 120,
  /** The window's length in ticks (i64): cores meet, and the network moves, at its multiples. */
  WINDOW: 128,
  /** Enabled cores in the whole machine (u32). */
  NCORES: 136,
  /** Non-zero when trace records are kept (u32), and how many TRACE holds (u32). */
  TRACE_ON: 140, TRACE_N: 144,
  /** Message records in use (u32). */
  IN_USE: 148,
  /** Cores of this instance that have not exited (u32), listed in slot order at LIVE (u16 slots): the
   * windows visit only these. */
  LIVE_N: 152,
  LIVE: 0x600,
  /** Enabled cores of the whole mesh, one bit per global core number. */
  ENABLED: 0x100,
} as const;

/** Byte offsets in a core's CORE_NET block. */
export const CORE_NET_FIELDS = {
  /** SEM_COUNT semaphores (u32). */
  SEMS: 0,
  /** Where the core is: x, y in the whole mesh, and its rank among enabled cores (u32). */
  X: 0x80, Y: 0x84, RANK: 0x88,
  /** Messages this core has sent (u64): with the core's rank, the deterministic tie-break of equal times. */
  SEQ: 0x90,
  /** Network totals (f64): bytes sent and received, remote loads, remote stores. */
  SENT: 0x98, RECEIVED: 0xa0,
  /** Set when the core has stopped for good (u32: 1 exited, 2 faulted), and its exit code (u32). */
  HALT: 0xa8, EXIT_CODE: 0xac,
  /** The debugger watches semaphore n of the core when bit n is set (u32; the debugging build). */
  SEM_WATCH: 0xb0,
  /** Bit t set once thread t has run since the core was loaded (u32): a thread without it is free, and its
   * block's page is never looked at (state.ts threadState). */
  USED: 0xb4,
  /** Three engines (DMA, list parser, gather, ENGINE_KIND order), ENGINE_BYTES each. */
  ENGINES: 0x100,
  /** The number of the speculation the core's undo area is for (u32; emulator/assembly/speculate.ts).
   * Past the UNDO_NET_BYTES that a speculation keeps, in the page every core touches: undoing looks at
   * it for each live core without touching the undo area of one that did not run. */
  UNDO_TAG: 0x800,
} as const;

/** An engine's state (offsets in its block of ENGINE_BYTES): busy flag, the descriptor it works on and
 * where it is in it, the pc of the instruction that started it, Brent's cycle check over the list
 * parser's walk (steps, power, marked descriptor), a ring of QSIZE queued (descriptor, pc) pairs, and a
 * copy of the current descriptor (DESC offsets). */
export const ENGINE = {
  BUSY: 0, DESC: 8, ROW: 16, OFFSET: 20, PC: 24, WALKED: 32, POWER: 36, MARK: 40, QHEAD: 48, QTAIL: 52, T0: 56,
  COPY: 64, QUEUE: 128, QSIZE: 16, THREAD: 0x180,
} as const;
export const ENGINE_BYTES = 0x200;
export const ENGINE_KIND = { DMA: 0, LIST: 1, GATHER: 2 } as const;
/** A transfer descriptor in SRAM (8-byte aligned, DESC_BYTES): docs/machine.md, "Descriptors". */
export const DESC = { SRC: 0, DST: 8, LEN: 16, ROWS: 20, SSTRIDE: 24, DSTRIDE: 32, SEM: 40, COUNT: 48, FLAGS: 52, NEXT: 56 } as const;
/** Descriptor FLAGS: a gather's rows go to vector registers (dst is the first register's number) of the
 * thread that started it, one 64-byte register a row. */
export const DESC_FLAG = { TO_VREGS: 1 } as const;
/** A destination offset with this bit set names vector-register bytes of a thread, not SRAM (the thread
 * in bits 16..23, the byte offset from v0 below). */
export const VREG_SPACE = 0x8000_0000;
export const DESC_BYTES = 64;
/** The most bytes one network message carries (an engine moves a row in pieces of this size). */
export const CHUNK_BYTES = 1024;

/** Message header offsets (MSG_HEADER bytes). */
export const MSG = {
  /** When (i64 ticks) and tie-break (u64): the heap's order. Kind and payload bytes (u16 each). */
  TIME: 0, SEQ: 8, KIND: 16, SIZE: 18,
  /** Global core numbers (y * meshw + x, u32) of source and destination, and the router it is at. */
  SRC: 20, DST: 24, AT: 28,
  /** Per kind (u64 each); NEXT links free records (u32); STAGE (u8), FLAGS (u8), POSTN (u16). */
  ADDR: 32, AUX: 40, AUX2: 48, NEXT: 56, STAGE: 60, FLAGS: 61, POSTN: 62,
  /** What is behind it (for the debugger and the trace): the pc (u64) and global core (u32) of the
   * instruction that caused it (an engine's: the one that started the engine); who sent it (u32: a
   * SENDER kind << 8 | thread or engine) and when (i64: the start of its flow in the trace); when it
   * took its destination's SRAM write port (i64). */
  PC: 64, ORIGIN: 72, SENDER: 76, SENT: 80, EJECT: 88,
} as const;
/** Who made a message on its source core: a thread's instruction, an engine, or the network itself (an
 * answer to a message that arrived there). */
export const SENDER = { THREAD: 0, ENGINE: 1, NETWORK: 2 } as const;
/** FLAGS: the message has taken its source's SRAM read port; it is the last piece of a transfer. */
export const MSG_FLAG = { INJECTED: 1, LAST: 2 } as const;
/** What a message does when it arrives. */
export const MSG_KIND = {
  /** Write the payload at ADDR. */
  STORE: 1,
  /** Read SIZE bytes at ADDR and answer with LOAD_REPLY to the thread in AUX (slot | thread << 16 | rd
   * offset << 32 | vector << 48). */
  LOAD: 2,
  LOAD_REPLY: 3,
  /** Add AUX2 to semaphore AUX. */
  POST: 4,
  /** Part of an engine transfer: write the payload at ADDR; the last one posts AUX (a semaphore
   * reference, AUX2 = count | 1 << 32 when set). */
  CHUNK: 5,
  /** An engine asks the source core for a chunk: read SIZE bytes at AUX and send a CHUNK to ADDR's core. */
  FETCH: 6,
  /** An engine's next step on core SRC. */
  ENGINE: 7,
} as const;
/** Where a message is: injected (to be routed) or routed (to be delivered at TIME). */
export const MSG_STAGE = { INJECT: 0, ARRIVE: 1 } as const;

/** Why a thread waits (T_WAIT_KIND); T_WAIT_FOR and T_WAIT_ARG say for what. */
export const WAIT = { JOIN: 0, SEMAPHORE: 1, BARRIER: 2, REMOTE: 3 } as const;

/** Host events (EVENT_BYTES each): EVENT_FIELDS offsets. */
export const EVENT_FIELDS = { KIND: 0, SLOT: 4, THREAD: 8, CODE: 12, ARG0: 16, ARG1: 24 } as const;
export const EVENT = {
  /** A thread arrived at a barrier: ARG0 the group rectangle, ARG1 its clock. */
  BARRIER: 1,
  /** An engine failed: THREAD the engine (ENGINE_KIND), CODE the cause (ENGINE_FAULT), ARG0 the
   * descriptor's address, ARG1 the pc of the instruction that started the engine. */
  ENGINE_FAULT: 2,
} as const;
export const ENGINE_FAULT = { LOOP: 1, BAD_ADDRESS: 2, DISABLED: 3, MISALIGNED: 4, TOO_LONG: 5 } as const;

/**
 * A trace record: what (TRACE_KIND), core slot, thread or engine, detail (a WAIT kind), start and end
 * ticks (i64), an argument (u64: semaphore number, barrier group, remote core, descriptor address).
 * A MESSAGE record: WHO its kind (MSG_KIND), DETAIL its bytes, START and END when it held the slot's SRAM
 * write port, ARG the pc behind it, then its source core (FROM), SENDER, SENT and ORIGIN as in its header,
 * and TARGET its address or semaphore there. A SEMAPHORE record: WHO the semaphore, DETAIL its new value,
 * at START. A LINKS record: SLOT a router of the instance, START and END a window, BUSY its links' busy
 * ticks in it (u32 each, LINK order).
 */
export const TRACE_FIELDS = { KIND: 0, SLOT: 4, WHO: 8, DETAIL: 12, START: 16, END: 24, ARG: 32, FROM: 40, SENDER: 44, SENT: 48, ORIGIN: 56, TARGET: 60, BUSY: 40 } as const;
export const TRACE_KIND = { WAIT: 1, ENGINE: 2, REGION: 3, MESSAGE: 4, SEMAPHORE: 5, LINKS: 6 } as const;

/**
 * A record of the race-checking build's log (RACE_LOG): its kind (RACE_KIND, u16), AUX (u16), the core
 * (slot), WHO (a thread, an engine, or for SEND and POST who acts: SENDER kind << 8 | thread or engine),
 * SIZE (u32), ADDR and ARG (u64).
 *   READ, WRITE: thread WHO of the core loads or stores SIZE bytes at ADDR (local), by the instruction at ARG.
 *   ENGINE_READ: engine WHO reads SIZE bytes at ADDR of its own core (the source of a transfer).
 *   SEND: a message of kind AUX (MSG_KIND) leaves the core, SEQ in ARG, made by WHO (a thread's instruction
 *     at ADDR; an engine; the network: an answer to the message delivered last).
 *   ARRIVE: message ARG (its SEQ) of kind AUX takes effect at the core: a load or an engine's fetch reads
 *     SIZE bytes at ADDR there; a store or a piece of a transfer writes, in the PUT records that follow.
 *   PUT: the message delivered last writes SIZE bytes at ADDR, changing them (AUX 1) or not (0: the same
 *     bytes again).
 *   POST: semaphore AUX gets SIZE, from WHO (a thread, or the network: the message delivered last).
 *   TAKE: thread WHO takes SIZE from semaphore AUX.  SPAWN: thread WHO starts thread AUX.
 *   JOIN: thread WHO has joined thread AUX (which has stopped).  QUEUE: thread WHO starts engine AUX.
 *   DESC: engine WHO starts the descriptor at ADDR: of a new request (AUX 1), or the next of a list (0).
 */
export const RACE_FIELDS = { KIND: 0, AUX: 2, SLOT: 4, WHO: 8, SIZE: 12, ADDR: 16, ARG: 24 } as const;
export const RACE_KIND = { READ: 1, WRITE: 2, ENGINE_READ: 3, SEND: 4, ARRIVE: 5, PUT: 6, POST: 7, TAKE: 8, SPAWN: 9, JOIN: 10, QUEUE: 11, DESC: 12 } as const;

/** The last watch hit (offsets in MESH_CFG.HIT): what (WATCH_WHAT), the core (slot), the address or
 * semaphore number (u64), its bytes (u32), and what did it: MSG the kind of the message that arrived (0:
 * an instruction of that core, at PC), its source core, the core and pc of the instruction behind it
 * (ORIGIN, PC) and its arrival (TIME, i64 ticks); SEMS, the watched semaphores of the core it posted to or
 * took from (u32, a bit each: a post a waiting thread takes at once leaves the value as it was). */
export const HIT = { WHAT: 0, SLOT: 4, ADDR: 8, SIZE: 16, MSG: 20, FROM: 24, ORIGIN: 28, PC: 32, TIME: 40, SEMS: 48 } as const;
export const WATCH_WHAT = { READ: 1, WRITE: 2, SEMAPHORE: 3 } as const;

/** Links of a router, in LINKS order: the four neighbours, then the local SRAM read (inject) and write (eject) ports. */
export const LINK = { EAST: 0, WEST: 1, NORTH: 2, SOUTH: 3, INJECT: 4, EJECT: 5 } as const;

/**
 * The flat global address space (docs/machine.md, "Global addresses"): bit 48 set, the core's y in bits
 * 40..47 and x in 32..39, the local SRAM offset below.
 */
export const GLOBAL = { FLAG_BIT: 48, Y_SHIFT: 40, X_SHIFT: 32, COORD_BITS: 8 } as const;

/** The addresses in the STATE block (a lane has its own). */
const IN_STATE = new Set<string>(['REGS', 'PC', 'INSTRET', 'CUR_THREAD', 'FAULT_CAUSE', 'FAULT_ADDR', 'FAULT_WORD', 'CLOCK', 'XREADY', 'RESOURCES', 'VTMP', 'STALLS', 'JIT_RECORD', 'JIT_EXEC']);

/** The memory map and configuration offsets as lane `lane` sees them: its STATE block's addresses (hot
 * state, scratch) one LANE_BYTES further on per lane, and its current core at LANE_CUR. Lane 0 is the
 * map above. */
export function laneLayout(lane: number): { layout: typeof LAYOUT; mesh: Record<keyof typeof MESH_CFG, number> } {
  const layout = Object.fromEntries(Object.entries(LAYOUT).map(([k, v]) => [k, IN_STATE.has(k) ? v + lane * LANE_BYTES : v])) as typeof LAYOUT;
  return { layout, mesh: lane === 0 ? MESH_CFG : { ...MESH_CFG, CUR: MESH_CFG.LANE_CUR } };
}
