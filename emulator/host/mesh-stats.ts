// Where the time went on a machine of many cores (docs/machine.md, "Statistics"): per core and in total
// (instructions, cycles, stalls by cause, network bytes), per-link traffic, and the heatmap drawing.
import { STALLS, WAIT_STALLS } from '../../isa/timing.js';
import type { RegionProfile, StallCause } from './core.js';
import type { Machine } from './mesh.js';
import { coreStats, formatRegions, markedRegions, sumRegions } from './stats.js';

export interface MeshStats {
  machine: string;
  cores: number;
  cycles: number;
  instructions: number;
  /** Stall cycles summed over every thread of every core, by cause. */
  stalls: Record<StallCause, number>;
  /** Per profiling region (the region CSR), summed over the cores, when the program marked any. */
  regions?: RegionProfile[];
  matrix: { macs: number; utilisation: number };
  network: {
    bytes: number;
    messages: number;
    busiestLinks: { x: number; y: number; dir: string; utilisation: number; bytes: number }[];
    /** Every link that carried something (and each router's SRAM read and write ports: inject, eject). */
    links: { x: number; y: number; dir: string; utilisation: number; bytes: number; messages: number }[];
  };
  /** busy: the share of the machine's cycles the core worked, neither waiting (for the network, a
   * semaphore, a barrier) nor done. */
  perCore: { x: number; y: number; instructions: number; cycles: number; ipc: number; busy: number; stalls: Record<StallCause, number>; sent: number; received: number }[];
  wallSeconds: number;
  mips: number;
}

export function meshStats(m: Machine): MeshStats {
  const cycles = Number(m.cycles);
  const stalls = Object.fromEntries(STALLS.map((c) => [c, 0])) as Record<StallCause, number>;
  let macs = 0;
  let matrixBusy = 0;
  const perCore = [...m.cores].sort(([a], [b]) => a - b).map(([g, { core }]) => {
    const s = coreStats(core);
    const mine = Object.fromEntries(STALLS.map((c) => [c, s.threads.reduce((a, t) => a + t.stalls[c], 0)])) as Record<StallCause, number>;
    for (const c of STALLS) stalls[c] += mine[c];
    macs += s.matrix.macs;
    matrixBusy += s.matrix.utilisation * s.cycles;
    const [x, y] = m.xy(g);
    const waits = WAIT_STALLS.reduce((a, c) => a + mine[c], 0) / Math.max(1, s.threads.length);
    const busy = cycles > 0 ? Math.min(1, Math.max(0, (s.cycles - waits) / cycles)) : 0;
    return { x, y, instructions: s.instructions, cycles: s.cycles, ipc: s.ipc, busy: Number(busy.toFixed(4)), stalls: mine, ...m.traffic(g) };
  });
  const all = m.links();
  const links = all.filter((l) => l.dir !== 'INJECT' && l.dir !== 'EJECT');
  const util = (busy: number) => Number((cycles > 0 ? busy / cycles : 0).toFixed(4));
  const instructions = perCore.reduce((a, c) => a + c.instructions, 0);
  const regions = markedRegions(sumRegions([...m.cores.values()].map(({ core }) => core.regions())));
  return {
    machine: m.preset.name,
    cores: m.cores.size,
    cycles,
    instructions,
    stalls,
    ...(regions ? { regions } : {}),
    matrix: { macs, utilisation: cycles > 0 ? Number((matrixBusy / (m.cores.size * cycles)).toFixed(4)) : 0 },
    network: {
      bytes: links.reduce((a, l) => a + l.bytes, 0),
      messages: all.filter((l) => l.dir === 'INJECT').reduce((a, l) => a + l.messages, 0),
      busiestLinks: [...links]
        .sort((a, b) => b.busy - a.busy)
        .slice(0, 5)
        .map((l) => ({ x: l.x, y: l.y, dir: l.dir.toLowerCase(), utilisation: util(l.busy), bytes: l.bytes })),
      links: all.map((l) => ({ x: l.x, y: l.y, dir: l.dir.toLowerCase(), utilisation: util(l.busy), bytes: l.bytes, messages: l.messages })),
    },
    perCore,
    wallSeconds: Number(m.wallSeconds.toFixed(6)),
    mips: m.wallSeconds > 0 ? Number((instructions / m.wallSeconds / 1e6).toFixed(1)) : 0,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The statistics as text; `inside`: only the machine's own figures (no per-core rows, no host speed). */
export function formatMeshStats(s: MeshStats, inside = false): string {
  const lines = [
    `machine      ${s.machine}, ${s.cores} cores`,
    `cycles       ${s.cycles}`,
    `instructions ${s.instructions} (IPC per core ${(s.instructions / Math.max(1, s.cycles * s.cores)).toFixed(2)})`,
    `matrix units ${pct(s.matrix.utilisation)} busy over all cores, ${s.matrix.macs} MACs`,
    `stalls       ${STALLS.filter((c) => s.stalls[c] > 0).map((c) => `${c} ${s.stalls[c]}`).join(', ') || 'none'} (thread-cycles, all cores)`,
    `network      ${s.network.bytes} bytes over links, ${s.network.messages} messages`,
  ];
  for (const l of s.network.busiestLinks) lines.push(`  link (${l.x},${l.y}) ${l.dir.padEnd(5)} ${pct(l.utilisation)} busy, ${l.bytes} bytes`);
  if (s.regions) lines.push(...formatRegions(s.regions, 'thread-cycles'));
  if (inside) return lines.join('\n');
  if (s.perCore.length <= 64) {
    lines.push('core      instructions   cycles   IPC  sent B  recv B  stalls');
    for (const c of s.perCore) {
      const st = STALLS.filter((k) => c.stalls[k] > 0).map((k) => `${k} ${c.stalls[k]}`).join(', ') || 'none';
      lines.push(`${`(${c.x},${c.y})`.padEnd(9)} ${String(c.instructions).padStart(12)} ${String(c.cycles).padStart(8)} ${c.ipc.toFixed(2).padStart(5)} ${String(c.sent).padStart(7)} ${String(c.received).padStart(7)}  ${st}`);
    }
  }
  lines.push(`wall time    ${s.wallSeconds.toFixed(3)} s`, `speed        ${s.mips.toFixed(1)} MIPS (all cores)`);
  return lines.join('\n');
}

/** An SVG of the mesh: each core shaded by the share of the run it was busy, each direction of each link
 * by the share of cycles it carried data; a caption and a colour scale above; hover for the figures. */
export function heatmapSvg(m: Machine, s: MeshStats): string {
  const cell = 28;
  const gap = 10;
  const pitch = cell + gap;
  const top = 64;
  const w = Math.max(m.preset.w * pitch + gap, 600);
  const h = top + m.preset.h * pitch + gap;
  const heat = (v: number) => `hsl(${Math.round(220 - 220 * Math.min(1, v))},80%,${Math.round(88 - 40 * Math.min(1, v))}%)`;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="monospace" font-size="12">`, `<rect width="${w}" height="${h}" fill="white"/>`];
  out.push(`<text x="${gap}" y="18">${m.preset.name}: ${m.cores.size} cores, ${s.cycles} cycles, ${s.network.bytes} bytes over links</text>`);
  out.push(`<text x="${gap}" y="36">cores: share of the run busy (not waiting, not done); links: share busy, each way</text>`);
  for (let k = 0; k <= 10; k++) out.push(`<rect x="${gap + 24 * k}" y="44" width="24" height="10" fill="${heat(k / 10)}"/>`);
  out.push(`<text x="${gap + 24 * 11 + 6}" y="54" font-size="10">0 to 100%</text>`);
  const centre = (x: number, y: number) => [gap + x * pitch + cell / 2, top + y * pitch + cell / 2] as const;
  for (const l of m.links()) {
    if (l.dir === 'INJECT' || l.dir === 'EJECT') continue;
    const [dx, dy] = { EAST: [1, 0], WEST: [-1, 0], NORTH: [0, -1], SOUTH: [0, 1] }[l.dir];
    const [x0, y0] = centre(l.x, l.y);
    const [x1, y1] = centre(l.x + dx, l.y + dy);
    // the two directions of a link side by side
    const ox = dy !== 0 ? (dy > 0 ? 3 : -3) : 0;
    const oy = dx !== 0 ? (dx > 0 ? 3 : -3) : 0;
    const u = s.cycles > 0 ? l.busy / s.cycles : 0;
    out.push(`<line x1="${x0 + ox}" y1="${y0 + oy}" x2="${x1 + ox}" y2="${y1 + oy}" stroke="${heat(u)}" stroke-width="4"><title>(${l.x},${l.y}) ${l.dir.toLowerCase()}: ${(100 * u).toFixed(1)}% busy, ${l.bytes} bytes</title></line>`);
  }
  const byXy = new Map(s.perCore.map((c) => [`${c.x},${c.y}`, c]));
  for (let y = 0; y < m.preset.h; y++) {
    for (let x = 0; x < m.preset.w; x++) {
      const c = byXy.get(`${x},${y}`);
      const px = gap + x * pitch;
      const py = top + y * pitch;
      if (!c) {
        out.push(`<rect x="${px}" y="${py}" width="${cell}" height="${cell}" fill="#bbb"><title>(${x},${y}) disabled</title></rect>`);
        continue;
      }
      out.push(`<rect x="${px}" y="${py}" width="${cell}" height="${cell}" fill="${heat(c.busy)}" stroke="#444"><title>(${x},${y}): busy ${(100 * c.busy).toFixed(1)}%, ${c.instructions} instructions, IPC ${c.ipc.toFixed(2)}</title></rect>`);
    }
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
