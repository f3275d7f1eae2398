// `d1 run --mesh WxH | --die | --tile`: one program on every enabled core (SPMD), data in and out of
// chosen cores' SRAM (--load, --dump), and the machine's report: faults with core and source line,
// deadlocks with what each core waits for, statistics, the heatmap.
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Image } from '../../assembler/image.js';
import { LAYOUT } from '../../emulator/layout.js';
import { Machine } from '../../emulator/host/mesh.js';
import { jitDefault } from '../../emulator/host/core.js';
import { formatMeshStats, heatmapSvg, meshStats } from '../../emulator/host/mesh-stats.js';
import { D1_DIE, D1_TILE, meshPreset, type MeshPreset } from '../../emulator/presets.js';
import { EXIT } from '../../emulator/host/run.js';
import { meshExitCode, meshReport } from '../../emulator/host/mesh-report.js';
import { traceJson } from '../../emulator/host/trace.js';
import { RaceChecker, raceReport, racesJson, sourceLineOf } from '../../emulator/host/races.js';
import { loadProgram, printDiagnostics, sourceLine } from '../load.js';

/** Cores from which a machine of one instance (a die) runs its speculative windows on two lanes by
 * default (emulator/host/lanes.ts: a worker thread and its start-up, about 50 ms). */
const LANE_CORES = 64;

export interface MeshFlags {
  mesh?: string;
  /** false with --no-timing: the functional build. */
  timing?: boolean;
  /** false with --no-jit: no compiled blocks. */
  jit?: boolean;
  die?: boolean;
  tile?: boolean;
  disable?: string;
  maxCycles?: string;
  load?: string[];
  dump?: string[];
  stats?: boolean;
  json?: boolean;
  heatmap?: string;
  trace?: string;
  traceLimit?: string;
  workers?: string;
  on?: string[];
  /** --check-races: the race checker (docs/machine.md, "Races"). */
  checkRaces?: boolean;
}

/** A user error in the options: the message, exit code 2. */
export class OptionError extends Error {}

const int = (s: string, what: string): number => {
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(s)) throw new OptionError(`${what} must be a whole number, got '${s}'`);
  return Number(s);
};

/** The machine the flags ask for, or undefined for the plain one-core run. */
export function presetOf(f: MeshFlags): MeshPreset | undefined {
  const chosen = [f.mesh !== undefined, !!f.die, !!f.tile].filter(Boolean).length;
  if (chosen > 1) throw new OptionError('choose one machine: --mesh WxH, --die or --tile');
  // the machine's views (trace, heatmap, data files) work on one core too
  if (chosen === 0 && (f.trace || f.heatmap || f.load?.length || f.dump?.length || f.maxCycles !== undefined || f.checkRaces)) f.mesh = '1x1';
  if (f.checkRaces && f.timing === false) throw new OptionError('--check-races runs with the cycle model: leave out --no-timing');
  let p: MeshPreset | undefined;
  if (f.mesh !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(f.mesh);
    if (!m) throw new OptionError(`--mesh takes WxH (e.g. 4x4), got '${f.mesh}'`);
    const w = Number(m[1]), h = Number(m[2]);
    if (w < 1 || h < 1 || w * h > LAYOUT.MAX_CORES || w > 255 || h > 255) throw new OptionError(`--mesh ${f.mesh}: a mesh has 1 to ${LAYOUT.MAX_CORES} cores (larger machines: --die, --tile)`);
    p = meshPreset(w, h);
  } else if (f.die) p = { ...D1_DIE };
  else if (f.tile) p = { ...D1_TILE };
  if (f.disable !== undefined) {
    if (!p) throw new OptionError('--disable needs a machine (--mesh, --die or --tile)');
    const list: [number, number][] = [];
    if (f.disable !== 'none') {
      for (const item of f.disable.split(';')) {
        const m = /^(\d+),(\d+)$/.exec(item.trim());
        if (!m || Number(m[1]) >= p.w || Number(m[2]) >= p.h) throw new OptionError(`--disable takes 'x,y;x,y;...' inside the ${p.w}x${p.h} mesh (or 'none'), got '${item}'`);
        list.push([Number(m[1]), Number(m[2])]);
      }
    }
    p = { ...p, disabled: list };
  }
  return p;
}

/** presetOf for a command: a bad option is its message and exit code 2. */
export function presetOrExit(command: string, f: MeshFlags): MeshPreset | undefined {
  try {
    return presetOf(f);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    process.stderr.write(`d1 ${command}: ${e.message}\n`);
    process.exit(2);
  }
}

/** `x,y` or `*` (every enabled core). */
function coresOf(m: Machine, spec: string, what: string): number[] {
  if (spec === '*') return [...m.cores.keys()];
  const c = /^(\d+),(\d+)$/.exec(spec);
  if (!c) throw new OptionError(`${what}: a core is 'x,y' or '*', got '${spec}'`);
  const g = Number(c[2]) * m.preset.w + Number(c[1]);
  if (Number(c[1]) >= m.preset.w || Number(c[2]) >= m.preset.h) throw new OptionError(`${what}: core (${c[1]},${c[2]}) is outside the ${m.preset.w}x${m.preset.h} mesh`);
  if (!m.cores.has(g)) throw new OptionError(`${what}: core (${c[1]},${c[2]}) is disabled`);
  return [g];
}

/** An address in an option: a number, or a symbol of the program, + or - a number (`ys`, `buf+64`). */
function addressOf(text: string, image: Image, what: string): number {
  const m = /^([A-Za-z_.$][\w.$]*)\s*(?:([+-])\s*(\S+))?$/.exec(text.trim());
  if (!m) return int(text, what);
  const sym = image.symbols.find((x) => x.name === m[1]);
  if (!sym) throw new OptionError(`${what}: no symbol '${m[1]}' in the program`);
  const off = m[3] !== undefined ? int(m[3], what) : 0;
  return Number(sym.value) + (m[2] === '-' ? -off : off);
}

function applyLoads(m: Machine, image: Image, specs: string[]): void {
  for (const spec of specs) {
    const s = /^([^:]+):([^=]+)=(.+)$/.exec(spec);
    if (!s) throw new OptionError(`--load takes CORE:ADDR=FILE (e.g. 0,0:0x80000=in.bin, 0,0:buf=in.bin), got '${spec}'`);
    const addr = addressOf(s[2]!, image, '--load address');
    const targets = coresOf(m, s[1]!, '--load');
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(s[3]!);
    } catch {
      throw new OptionError(`--load: cannot read '${s[3]}'`);
    }
    for (const g of targets) {
      const { core } = m.cores.get(g)!;
      if (!core.inSram(BigInt(addr), bytes.length)) throw new OptionError(`--load ${spec}: ${bytes.length} bytes at 0x${addr.toString(16)} do not fit in SRAM`);
      core.writeMem(BigInt(addr), bytes);
    }
  }
}

interface Dump {
  g: number;
  addr: number;
  len: number;
  file: string;
}

/** The --dump specs, checked before the run (a bad one is refused before anything runs). */
function dumpsOf(m: Machine, image: Image, specs: string[]): Dump[] {
  return specs.map((spec) => {
    const s = /^([^:]+):([^:]+):([^=]+)=(.+)$/.exec(spec);
    if (!s) throw new OptionError(`--dump takes CORE:ADDR:LEN=FILE (e.g. 0,0:0x80000:4096=out.bin, 0,0:ys:32768=ys.bin), got '${spec}'`);
    const addr = addressOf(s[2]!, image, '--dump address');
    const len = int(s[3]!, '--dump length');
    const [g] = coresOf(m, s[1]!, '--dump');
    if (!m.cores.get(g!)!.core.inSram(BigInt(addr), len)) throw new OptionError(`--dump ${spec}: the range is outside SRAM`);
    return { g: g!, addr, len, file: s[4]! };
  });
}

function writeDumps(m: Machine, dumps: Dump[]): void {
  for (const d of dumps) writeFileSync(d.file, m.cores.get(d.g)!.core.readMem(BigInt(d.addr), d.len));
}

/** `--on X0,Y0-X1,Y1=PROG`: another program on a rectangle of cores (inclusive corners). */
function rectangles(m: Machine, specs: string[]): { x0: number; y0: number; x1: number; y1: number; file: string }[] {
  return specs.map((spec) => {
    const r = /^(\d+),(\d+)(?:-(\d+),(\d+))?=(.+)$/.exec(spec);
    if (!r) throw new OptionError(`--on takes X0,Y0-X1,Y1=PROGRAM (or X,Y=PROGRAM), got '${spec}'`);
    const [x0, y0] = [Number(r[1]), Number(r[2])];
    const [x1, y1] = r[3] !== undefined ? [Number(r[3]), Number(r[4])] : [x0, y0];
    if (x0 > x1 || y0 > y1 || x1 >= m.preset.w || y1 >= m.preset.h) throw new OptionError(`--on ${spec}: not a rectangle inside the ${m.preset.w}x${m.preset.h} mesh`);
    return { x0, y0, x1, y1, file: r[5]! };
  });
}

export async function runMesh(preset: MeshPreset, image: Image, file: string, f: MeshFlags): Promise<number> {
  const maxCycles = f.maxCycles !== undefined ? BigInt(int(f.maxCycles, '--max-cycles')) : undefined;
  // (the checker names source lines of the program of each core: imageOf, once they are loaded)
  const races = f.checkRaces ? new RaceChecker((g, pc) => sourceLineOf(imageOf)(g, pc)) : undefined;
  const m = new Machine(preset, { timing: f.timing !== false, jit: f.jit !== false && jitDefault(), ...(races ? { races } : {}) });
  const rects = rectangles(m, f.on ?? []);
  // the rectangle a core's program comes from (a later one wins where they overlap), or -1
  const owner = (x: number, y: number) => {
    let k = -1;
    rects.forEach((r, i) => {
      if (x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1) k = i;
    });
    return k;
  };
  // the main program everywhere else; each rectangle's own (a later rectangle wins where they overlap)
  const images = new Map<string, Image>([[file, image]]);
  const errors = m.load(image, file, (x, y) => owner(x, y) < 0);
  for (const [i, r] of rects.entries()) {
    const img = images.get(r.file) ?? loadProgram([r.file]);
    if (!img) return EXIT.BAD_INPUT;
    images.set(r.file, img);
    errors.push(...m.load(img, r.file, (x, y) => owner(x, y) === i));
  }
  if (errors.length > 0) {
    printDiagnostics(errors);
    return EXIT.BAD_INPUT;
  }
  const imageOf = (g: number) => {
    const k = owner(...m.xy(g));
    return k < 0 ? image : images.get(rects[k]!.file)!;
  };
  applyLoads(m, image, f.load ?? []);
  const dumps = dumpsOf(m, image, f.dump ?? []);
  if (f.trace) m.trace(f.traceLimit !== undefined ? int(f.traceLimit, '--trace-limit') : undefined);
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(EXIT.INTERRUPTED);
    interrupted = true;
  };
  process.on('SIGINT', onSigint);
  const tty = process.stderr.isTTY && !f.json;
  const o = await m.run({
    stdout: process.stdout,
    stderr: process.stderr,
    ...(maxCycles !== undefined ? { maxCycles } : {}),
    interrupted: () => interrupted,
    // (by default a machine of one instance takes a second lane only when it is large enough to pay for it)
    workers: f.workers !== undefined ? Math.max(1, int(f.workers, '--workers')) : m.parts.length === 1 && m.cores.size < LANE_CORES ? 1 : Math.min(availableParallelism(), 8),
    ...(tty ? { progress: (c: bigint) => process.stderr.write(`\r\x1b[2K${preset.name}: cycle ${c}, ${m.exits.size}/${m.cores.size} cores done`) } : {}),
  });
  if (tty) process.stderr.write('\r\x1b[2K');
  process.off('SIGINT', onSigint);
  if (o.kind !== 'exit') process.stderr.write(`${meshReport(m, imageOf, o, sourceLine)}\n`);
  if (races) process.stderr.write(`${raceReport(m, races, imageOf, sourceLine)}\n`);
  // races found: their exit code instead of the program's (a fault or a limit keeps its own)
  const code = races && races.races().length > 0 && o.kind === 'exit' ? EXIT.RACES : meshExitCode(o);
  writeDumps(m, dumps);
  const s = f.json || f.stats || f.heatmap ? meshStats(m) : undefined;
  if (f.heatmap) writeFileSync(f.heatmap, heatmapSvg(m, s!));
  if (f.trace) writeFileSync(f.trace, traceJson(m));
  if (f.json) process.stdout.write(`${JSON.stringify({ exitCode: code, outcome: o.kind, ...s, ...(races ? { races: racesJson(m, races, imageOf) } : {}) })}\n`);
  else if (f.stats) process.stderr.write(`${formatMeshStats(s!)}\n`);
  return code;
}
