// The cycle model of one core (docs/machine.md, "Cycle model"): every thread issues in program order at
// its own clock; an instruction issues once its source registers are ready and its resources are free
// (decode, the integer/address units, the vector issue slots, the SIMD unit, the vector memory pipe, a
// matrix unit, the SRAM load/store ports), each resource being a next-free time advanced by the
// instruction's share of it. The generated dispatch calls these helpers with each op's constants.
// The model's state lives in globals while run() runs and in linear memory otherwise (enter/leave).
import * as L from './generated/layout';
import { tb } from './state';

/** When the running thread can issue its next instruction (cycles, fractional). */
export let clock: f64 = 0;
// Next free time of the shared resources.
let decode: f64 = 0, intU: f64 = 0, addrU: f64 = 0, vissue: f64 = 0, simd: f64 = 0, vmem: f64 = 0, loadP: f64 = 0, storeP: f64 = 0;
// The running thread's stall cycles by cause.
let sDep: f64 = 0, sIssue: f64 = 0, sSimd: f64 = 0, sMatrix: f64 = 0, sSram: f64 = 0, sBranch: f64 = 0;

export function setClock(c: f64): void { clock = c; }

// @ts-ignore: decorator
@inline function hi(a: f64, b: f64): f64 { return a > b ? a : b; }
// @ts-ignore: decorator
@inline function res(r: usize): f64 { return load<f64>(L.RESOURCES + r); }
// @ts-ignore: decorator
@inline function setRes(r: usize, v: f64): void { store<f64>(L.RESOURCES + r, v); }

/** Globals from memory (run() entry). */
export function enterModel(): void {
  clock = load<f64>(L.CLOCK);
  decode = res(L.CM_DECODE); intU = res(L.CM_INT); addrU = res(L.CM_ADDR); vissue = res(L.CM_VISSUE);
  simd = res(L.CM_SIMD); vmem = res(L.CM_VMEM); loadP = res(L.CM_LOAD); storeP = res(L.CM_STORE);
  loadStalls(L.STALLS);
}

/** Globals to memory (run() exit), and the horizon: the latest time anything completes. */
export function leaveModel(): void {
  store<f64>(L.CLOCK, clock);
  setRes(L.CM_DECODE, decode); setRes(L.CM_INT, intU); setRes(L.CM_ADDR, addrU); setRes(L.CM_VISSUE, vissue);
  setRes(L.CM_SIMD, simd); setRes(L.CM_VMEM, vmem); setRes(L.CM_LOAD, loadP); setRes(L.CM_STORE, storeP);
  saveStalls(L.STALLS);
  let h = hi(res(L.CM_HORIZON), hi(clock, hi(loadP, storeP)));
  for (let i: usize = 0; i < 33; i++) h = hi(h, load<f64>(L.XREADY + (i << 3)));
  for (let i: usize = 0; i < 32; i++) h = hi(h, load<f64>(tb + L.T_VREADY + (i << 3)));
  for (let i: usize = 0; i < 4; i++) h = hi(h, hi(res(L.CM_ACC_READY + (i << 3)), res(L.CM_MATRIX + (i << 3))));
  setRes(L.CM_HORIZON, h);
}

export function saveStalls(at: usize): void {
  store<f64>(at + (L.STALL_DEPENDENCY << 3), sDep); store<f64>(at + (L.STALL_ISSUE << 3), sIssue);
  store<f64>(at + (L.STALL_SIMD << 3), sSimd); store<f64>(at + (L.STALL_MATRIX << 3), sMatrix);
  store<f64>(at + (L.STALL_SRAM << 3), sSram); store<f64>(at + (L.STALL_BRANCH << 3), sBranch);
}

export function loadStalls(at: usize): void {
  sDep = load<f64>(at + (L.STALL_DEPENDENCY << 3)); sIssue = load<f64>(at + (L.STALL_ISSUE << 3));
  sSimd = load<f64>(at + (L.STALL_SIMD << 3)); sMatrix = load<f64>(at + (L.STALL_MATRIX << 3));
  sSram = load<f64>(at + (L.STALL_SRAM << 3)); sBranch = load<f64>(at + (L.STALL_BRANCH << 3));
}

/** The ready time r raised by an x-register source in record slot `slot`. */
// @ts-ignore: decorator
@inline export function srcX(d: usize, slot: usize, r: f64): f64 { return hi(r, load<f64>(L.XREADY + <usize>load<u16>(d + slot))); }

/** ... by a vector-register source. */
// @ts-ignore: decorator
@inline export function srcV(d: usize, slot: usize, r: f64): f64 {
  return hi(r, load<f64>(tb + L.T_VREADY + (<usize>load<u16>(d + slot) >> 3)));
}

/** ... by matrix accumulator a. */
// @ts-ignore: decorator
@inline export function srcAcc(a: u32, r: f64): f64 { return hi(r, res(L.CM_ACC_READY + (<usize>a << 3))); }

/** Operands are ready at r: the wait since the thread's clock is a dependency stall. */
// @ts-ignore: decorator
@inline export function ready(r: f64): f64 {
  sDep += r - clock;
  return r;
}

/** Issue at t >= r: the decode slot and the thread's next issue time. */
// @ts-ignore: decorator
@inline function issued(t: f64, threadOcc: f64, coreOcc: f64): f64 {
  decode = t + coreOcc;
  clock = t + threadOcc;
  return t;
}

/** A scalar instruction on an integer unit (occ: its share of the units' cycles). Returns the issue time. */
// @ts-ignore: decorator
@inline export function issueInt(r: f64, occ: f64, threadOcc: f64, coreOcc: f64): f64 {
  const t = hi(r, hi(decode, intU));
  sIssue += t - r;
  intU = t + occ;
  return issued(t, threadOcc, coreOcc);
}

/** A scalar load or store: an address unit, then the SRAM port (portOcc cycles of it). */
// @ts-ignore: decorator
@inline export function issueAddr(r: f64, occ: f64, isLoad: bool, portOcc: f64, threadOcc: f64, coreOcc: f64): f64 {
  const u = hi(r, hi(decode, addrU));
  sIssue += u - r;
  const t = hi(u, isLoad ? loadP : storeP);
  sSram += t - u;
  addrU = t + occ;
  if (isLoad) loadP = t + portOcc;
  else storeP = t + portOcc;
  return issued(t, threadOcc, coreOcc);
}

/** Vector units. */
export const U_SIMD: u32 = 0;
export const U_VMEM: u32 = 1;
export const U_MATRIX: u32 = 2;

/**
 * A vector-side instruction: a vector issue slot (vOcc), then its unit (busy cycles: the SIMD unit, the
 * vector memory pipe, or matrix unit `acc`), then for memory the SRAM port. Returns the issue time.
 */
// @ts-ignore: decorator
@inline export function issueVec(r: f64, vOcc: f64, unit: u32, acc: u32, busy: f64, port: u32, portOcc: f64, threadOcc: f64, coreOcc: f64): f64 {
  const s = hi(r, hi(decode, vissue));
  sIssue += s - r;
  const ua: usize = L.CM_MATRIX + (<usize>acc << 3);
  const free = unit == U_SIMD ? simd : unit == U_VMEM ? vmem : res(ua);
  let t = hi(s, free);
  if (unit == U_SIMD) sSimd += t - s;
  else if (unit == U_VMEM) sSram += t - s;
  else sMatrix += t - s;
  if (port != 0) {
    const p = port == 1 ? loadP : storeP;
    if (p > t) {
      sSram += p - t;
      t = p;
    }
    if (port == 1) loadP = t + portOcc;
    else storeP = t + portOcc;
  }
  vissue = t + vOcc;
  if (unit == U_SIMD) simd = t + busy;
  else if (unit == U_VMEM) vmem = t + busy;
  else setRes(ua, t + busy);
  return issued(t, threadOcc, coreOcc);
}

/** Results: the destination x register, vector register or accumulator is ready at v. */
// @ts-ignore: decorator
@inline export function dstX(d: usize, v: f64): void { store<f64>(L.XREADY + <usize>load<u16>(d, L.REC_RD), v); }
// @ts-ignore: decorator
@inline export function dstV(d: usize, v: f64): void { store<f64>(tb + L.T_VREADY + (<usize>load<u16>(d, L.REC_RD) >> 3), v); }
// @ts-ignore: decorator
@inline export function dstAcc(a: u32, v: f64): void { setRes(L.CM_ACC_READY + (<usize>a << 3), v); }

/** Add to a per-core total (busy cycles, bytes, counts). */
// @ts-ignore: decorator
@inline export function count(r: usize, v: f64): void { setRes(r, res(r) + v); }

/** A taken branch or a jump issued at t: the thread's next fetch waits for the redirect. */
// @ts-ignore: decorator
@inline export function redirect(t: f64): void {
  const next = t + 1 + L.REDIRECT_PENALTY;
  if (next > clock) {
    sBranch += next - clock;
    clock = next;
  }
}
