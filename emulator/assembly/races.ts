// The race-checking build's side of `d1 run --check-races` (docs/machine.md, "Races"; the checking itself
// is the host's, emulator/host/races.ts): a log of what the checker needs, in the order it happens (RACE_LOG,
// layout.ts RACE_KIND): the owning core's loads and stores of bytes that another core or an engine has
// touched, the messages that leave and reach a core, semaphore posts and takes, thread spawns and joins,
// engine requests and descriptors. Each 8-byte granule of SRAM has a byte of marks (CORE_RACEMAP): a remote
// or engine access sets all eight; thread t's load (store) there is logged when its mark t (4 + t) is set,
// and clears it, so an access is logged once between two synchronisations of its thread: the marks it
// cleared since (its list, CORE_RACELIST) come back when it synchronises. When the log is full the host
// takes it (the raceFlush import) and the run goes on: checking never changes what the run does.
import * as L from './generated/layout';
import { coreBlock, currentSlot } from './state';

/** The host copies the full log (emulator/host/races.ts); it is empty again after the call. */
// @ts-ignore: decorator
@external('env', 'raceFlush') declare function raceFlush(): void;

/** The pc of the instruction running (the loop sets it before each one, in this build). */
let pc: u64 = 0;
// @ts-ignore: decorator
@inline export function racePc(at: u64): void { pc = at; }

/** A message is being delivered: a semaphore post now is the network's, not the running thread's. */
let delivering = false;
export function raceDelivering(on: bool): void { delivering = on; }

export function raceLog(kind: u32, aux: u32, slot: u32, who: u32, size: u32, addr: u64, arg: u64): void {
  let n = load<u32>(L.MESH + L.MESH_RACE_N);
  if (<usize>n >= L.RACE_COUNT) {
    raceFlush();
    n = 0;
  }
  const r = L.RACE_LOG + <usize>n * L.RACE_BYTES;
  store<u16>(r + L.RF_KIND, <u16>kind);
  store<u16>(r + L.RF_AUX, <u16>aux);
  store<u32>(r + L.RF_SLOT, slot);
  store<u32>(r + L.RF_WHO, who);
  store<u32>(r + L.RF_SIZE, size);
  store<u64>(r + L.RF_ADDR, addr);
  store<u64>(r + L.RF_ARG, arg);
  store<u32>(L.MESH + L.MESH_RACE_N, n + 1);
}

// @ts-ignore: decorator
@inline function marks(slot: u32): usize { return coreBlock(slot) + L.CORE_RACEMAP; }
// @ts-ignore: decorator
@inline function listOf(slot: u32, t: u32): usize { return coreBlock(slot) + L.CORE_RACELIST + <usize>t * ((L.RACE_LIST + 1) << 2); }

/** Another core or an engine read or wrote [a, a + n) of core `slot`: every thread's next access there is logged. */
export function raceTouch(slot: u32, a: u64, n: u32): void {
  if (n == 0) return;
  const first = <usize>(a >> 3);
  memory.fill(marks(slot) + first, 0xff, <usize>((a + <u64>n - 1) >> 3) - first + 1);
}

/** Thread t of core `slot` synchronised: its marks come back. */
export function raceSync(slot: u32, t: u32): void {
  const map = marks(slot);
  const list = listOf(slot, t);
  const mine = <u8>(<u32>0x11 << t);
  const n = <usize>load<u32>(list);
  for (let i: usize = 0; i < n; i++) {
    const at = map + <usize>load<u32>(list + 4 + (i << 2));
    store<u8>(at, load<u8>(at) | mine);
  }
  store<u32>(list, 0);
}

/** The running thread loads (stores) [a, a + size) of its own SRAM: logged when a granule's mark says so. */
// @ts-ignore: decorator
@inline export function raceAccess(a: u64, size: u64, isStore: bool): void {
  const map = marks(currentSlot());
  const bit = <u8>((isStore ? <u32>0x10 : 1) << load<u32>(L.CUR_THREAD));
  const last = <usize>((a + size - 1) >> 3);
  for (let g = <usize>(a >> 3); g <= last; g++) {
    if ((load<u8>(map + g) & bit) != 0) {
      logAccess(a, size, isStore, bit);
      return;
    }
  }
}

function logAccess(a: u64, size: u64, isStore: bool, bit: u8): void {
  const slot = currentSlot();
  const t = load<u32>(L.CUR_THREAD);
  const map = marks(slot);
  const list = listOf(slot, t);
  const mine = <u8>(<u32>0x11 << t);
  const last = <usize>((a + size - 1) >> 3);
  for (let g = <usize>(a >> 3); g <= last; g++) {
    const m = load<u8>(map + g);
    if ((m & bit) == 0) continue;
    const n = load<u32>(list);
    if (<usize>n >= L.RACE_LIST) continue; // no room to set it again: the mark stays, the access is logged each time
    // (listed once between two synchronisations: when neither of its marks was cleared yet)
    if ((m & mine) == mine) {
      store<u32>(list + 4 + (<usize>n << 2), <u32>g);
      store<u32>(list, n + 1);
    }
    store<u8>(map + g, m & ~bit);
  }
  raceLog(isStore ? L.RK_WRITE : L.RK_READ, 0, slot, t, <u32>size, a, pc);
}

/** A semaphore post of core `slot`: by the running thread (its marks come back), or by the network. */
export function racePost(slot: u32, n: u32, count: u32): void {
  if (delivering) {
    raceLog(L.RK_POST, n, slot, L.SENDER_NETWORK << 8, count, 0, 0);
    return;
  }
  const t = load<u32>(L.CUR_THREAD);
  raceLog(L.RK_POST, n, slot, (L.SENDER_THREAD << 8) | t, count, 0, 0);
  raceSync(slot, t);
}

/** A synchronisation of thread t of core `slot` (kind TAKE, SPAWN, JOIN or QUEUE, with aux and size). */
export function raceSyncLog(kind: u32, aux: u32, slot: u32, t: u32, size: u32, addr: u64): void {
  raceLog(kind, aux, slot, t, size, addr, pc);
  raceSync(slot, t);
}
