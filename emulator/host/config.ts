// Writing a machine's shape into an instance's memory (MESH, SLOT_MAP, each core's identity): the
// mesh, the part of it this instance emulates, the network's costs in ticks (emulator/presets.ts NOC).
import { CORE_NET_FIELDS, LAYOUT, MESH_CFG, TICKS_PER_CYCLE } from '../layout.js';
import { D1_CORE, NOC, type MeshPreset } from '../presets.js';

/** A rectangle of the mesh that one wasm instance emulates. */
export interface Partition {
  x: number;
  y: number;
  w: number;
  h: number;
}

const I64_MAX = (1n << 63n) - 1n;
const ticks = (cycles: number) => BigInt(Math.round(cycles * TICKS_PER_CYCLE));

/** Global core numbers (y * w + x) of the enabled cores, in rank order. */
export function enabledCores(m: MeshPreset): number[] {
  const off = new Set(m.disabled.map(([x, y]) => y * m.w + x));
  return Array.from({ length: m.w * m.h }, (_, g) => g).filter((g) => !off.has(g));
}

/**
 * Configure an instance for partition `p` of machine `m`; returns the global core numbers of its slots.
 * The cores' own state is set up by the instance (initCores) afterwards.
 */
export function writeConfig(mem: ArrayBuffer, m: MeshPreset, p: Partition): number[] {
  const dv = new DataView(mem);
  const u32 = (off: number, v: number) => dv.setUint32(LAYOUT.MESH + off, v, true);
  const i64 = (off: number, v: bigint) => dv.setBigInt64(LAYOUT.MESH + off, v, true);
  const enabled = enabledCores(m);
  const rank = new Map(enabled.map((g, r) => [g, r]));
  u32(MESH_CFG.W, m.w);
  u32(MESH_CFG.H, m.h);
  u32(MESH_CFG.PX, p.x);
  u32(MESH_CFG.PY, p.y);
  u32(MESH_CFG.PW, p.w);
  u32(MESH_CFG.PH, p.h);
  u32(MESH_CFG.DIE_W, m.dieW);
  u32(MESH_CFG.DIE_H, m.dieH);
  u32(MESH_CFG.NCORES, enabled.length);
  const solo = m.w * m.h === 1;
  i64(MESH_CFG.WINDOW, ticks(NOC.windowCycles));
  i64(MESH_CFG.WINDOW_END, solo ? I64_MAX : ticks(NOC.windowCycles));
  i64(MESH_CFG.HOP, ticks(NOC.hopCycles));
  i64(MESH_CFG.LINK_TICKS, ticks(NOC.packetBytes / NOC.linkBytesPerCycle));
  // a die edge's bandwidth is shared by the links crossing it: h of them cross a vertical edge
  const edge = NOC.dieEdgeBytesPerSecond / D1_CORE.clockHz;
  i64(MESH_CFG.EDGE_X_TICKS, ticks(NOC.packetBytes / (edge / m.dieH)));
  i64(MESH_CFG.EDGE_Y_TICKS, ticks(NOC.packetBytes / (edge / m.dieW)));
  i64(MESH_CFG.EDGE_HOP, ticks(NOC.dieHopExtraCycles));
  for (const g of enabled) dv.setUint8(LAYOUT.MESH + MESH_CFG.ENABLED + (g >> 3), dv.getUint8(LAYOUT.MESH + MESH_CFG.ENABLED + (g >> 3)) | (1 << (g & 7)));
  const slots: number[] = [];
  for (let y = p.y; y < p.y + p.h; y++) {
    for (let x = p.x; x < p.x + p.w; x++) {
      const g = y * m.w + x;
      const router = (y - p.y) * p.w + (x - p.x);
      if (!rank.has(g)) continue;
      const slot = slots.length;
      slots.push(g);
      dv.setUint16(LAYOUT.SLOT_MAP + 2 * router, slot + 1, true);
      const net = LAYOUT.CORES + slot * LAYOUT.CORE_BYTES + LAYOUT.CORE_NET;
      dv.setUint32(net + CORE_NET_FIELDS.X, x, true);
      dv.setUint32(net + CORE_NET_FIELDS.Y, y, true);
      dv.setUint32(net + CORE_NET_FIELDS.RANK, rank.get(g)!, true);
    }
  }
  u32(MESH_CFG.CORES, slots.length);
  return slots;
}
