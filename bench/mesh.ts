// One mesh measurement in a process of its own (bench/run.ts starts it, so the peak memory is the
// machine's alone): a compute-bound SPMD kernel (crc32 of a per-core buffer, every core) on a machine,
// REPEAT times, with a number of worker threads; or the sparse tile (bench/programs/sparse.dasm). Prints one JSON line: instructions, seconds, aggregate MIPS, peak RSS.
import { assemble } from '../assembler/index.js';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageRoot } from '../cli/root.js';
import { Machine } from '../emulator/host/mesh.js';
import { D1_DIE, D1_TILE, meshPreset } from '../emulator/presets.js';

const [machine = 'die', workers = '1', len = '8192', repeat = '1'] = process.argv.slice(2);
// (`one`: a 1 x 1 machine, the reference for a mesh's kernel run in a process of its own)
const preset = machine === 'tile' || machine === 'sparse' ? D1_TILE : machine === 'die' ? D1_DIE : machine === 'one' ? meshPreset(1, 1) : meshPreset(4, 4);
// the sparse tile runs bench/programs/sparse.dasm: one core at work, the others exited
const text = machine === 'sparse' ? '        .include "../bench/programs/sparse.dasm"\n' : `.equ LEN, ${len}\n.equ REPEAT, ${repeat}\n        .include "crc32.dasm"\n`;
const { image, diagnostics } = assemble([{ path: join(packageRoot(), 'programs', 'mesh.bench.dasm'), text }]);
if (!image) throw new Error(diagnostics.map((d) => d.message).join('; '));
const m = new Machine(preset);
m.load(image, 'crc32.dasm');
const sink = { write: () => true };
const t = performance.now();
const o = await m.run({ stdout: sink, stderr: sink, workers: Number(workers) });
const seconds = (performance.now() - t) / 1000;
if (o.kind !== 'exit' || o.code !== 0) throw new Error(`${machine}: the kernel did not exit 0 (${o.kind})`);
const instructions = Number(m.instructions);
process.stdout.write(`${JSON.stringify({ machine: preset.name, cores: m.cores.size, workers: Number(workers), instructions, cycles: Number(m.cycles), seconds, mips: instructions / seconds / 1e6, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
