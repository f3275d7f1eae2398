// `d1 info`: the machine description, derived from the presets (emulator/presets.ts), never restated.
import type { Command } from 'commander';
import { CSRS } from '../../isa/csr.js';
import { INSTRUCTIONS, EXTENSIONS } from '../../isa/table.js';
import { D1_CORE, D1_DIE, D1_TILE, NOC, corePeaks, machinePeaks, type CorePreset, type MeshPreset } from '../../emulator/presets.js';

const hex = (n: number): string => `0x${n.toString(16)}`;

export function describeCore(p: CorePreset) {
  return {
    preset: p.name,
    clockHz: p.clockHz,
    sram: { base: p.sramBase, bytes: p.sramBytes },
    memoryMap: [
      { start: p.sramBase, end: p.textBase, what: 'free SRAM (below the default link address)' },
      { start: p.textBase, end: p.sramBase + p.sramBytes, what: 'program (.text, .rodata, .data, .bss), then heap, stack grows down from the top' },
    ],
    stackTop: p.stackTop,
    threads: p.threads,
    pipeline: {
      decodeWidth: p.decodeWidth,
      threadDecodeWidth: p.threadDecodeWidth,
      intUnits: p.intUnits,
      addrUnits: p.addrUnits,
      vectorIssue: p.vectorIssue,
      simdBytes: p.simdBytes,
      matrixUnits: p.matrixUnits,
      matrixShape: p.matrixShape,
    },
    peaks: corePeaks(p),
    isa: EXTENSIONS.map((e) => e.name),
    instructions: INSTRUCTIONS.length,
    csrs: CSRS.map((c) => ({ name: c.name, number: c.number })),
  };
}

export function formatCore(p: CorePreset): string {
  const d = describeCore(p);
  const kib = p.sramBytes / 1024;
  const lines = [
    `machine: one D1 core (preset ${d.preset})`,
    `  clock        ${p.clockHz / 1e9} GHz`,
    `  SRAM         ${kib} KiB (${(p.sramBytes / 2 ** 20).toFixed(2)} MiB) at [${hex(p.sramBase)}, ${hex(p.sramBase + p.sramBytes)})`,
    `  stack top    ${hex(p.stackTop)} (sp at reset)`,
    `  link base    ${hex(p.textBase)} (default address of .text)`,
    `  threads      ${p.threads} (SMT), decode ${p.decodeWidth}/cycle (${p.threadDecodeWidth} per thread)`,
    `  issue        ${p.intUnits} integer + ${p.addrUnits} address units; ${p.vectorIssue} vector slots to one ${p.simdBytes}-byte SIMD unit or ${p.matrixUnits} ${p.matrixShape.m}x${p.matrixShape.n}x${p.matrixShape.k} matrix units`,
    `  BF16 peak    ${(d.peaks.bf16Flops / 1e12).toFixed(2)} TFLOPS (${d.peaks.bf16MacsPerCycle} MACs/cycle)`,
    `  FP32 peak    ${(d.peaks.fp32Flops / 1e9).toFixed(0)} GFLOPS (one ${p.simdBytes}-byte FMA per cycle)`,
    `  SRAM b/w     ${d.peaks.sramLoadBytesPerSecond / 1e9} GB/s load, ${d.peaks.sramStoreBytesPerSecond / 1e9} GB/s store`,
    `  ISA          ${d.isa.join(', ')} (${d.instructions} instructions; custom-0..3 reserved for D1)`,
    `memory map:`,
    ...d.memoryMap.map((m) => `  [${hex(m.start).padStart(8)}, ${hex(m.end).padStart(8)})  ${m.what}`),
    `identity CSRs: ${CSRS.filter((c) => c.number >= 0xcc0 && c.number < 0xd00).map((c) => `${c.name} (${hex(c.number)})`).join(', ')}`,
  ];
  return lines.join('\n');
}

const tb = (b: number) => `${(b / 1e12).toFixed(2)} TB/s`;
const gb = (b: number) => `${(b / 1e9).toFixed(0)} GB/s`;

export function describeMachine(m: MeshPreset) {
  return { preset: m.name, mesh: { w: m.w, h: m.h, dieW: m.dieW, dieH: m.dieH }, disabled: m.disabled, ...machinePeaks(m) };
}

export function formatMachine(m: MeshPreset): string {
  const d = machinePeaks(m);
  return [
    `machine: ${m.name}, a ${m.w} x ${m.h} mesh of D1 cores${d.dies > 1 ? ` (${d.dies} dies of ${m.dieW} x ${m.dieH})` : ''}`,
    `  cores        ${d.cores} enabled, ${m.disabled.length} disabled${m.disabled.length > 0 && m.disabled.length <= 8 ? ` (${m.disabled.map(([x, y]) => `${x},${y}`).join('; ')})` : ''}`,
    `  SRAM         ${(d.sramBytes / 2 ** 20).toFixed(1)} MiB (${(d.sramBytes / 1e9).toFixed(2)} GB)`,
    `  BF16 peak    ${d.bf16Flops >= 1e15 ? `${(d.bf16Flops / 1e15).toFixed(2)} PFLOPS` : `${(d.bf16Flops / 1e12).toFixed(1)} TFLOPS`}`,
    `  FP32 peak    ${(d.fp32Flops / 1e12).toFixed(1)} TFLOPS`,
    `  link         ${gb(d.linkBytesPerSecond)} per direction (${NOC.linkBytesPerCycle} B/cycle), ${d.hopCycles} cycles per hop, diameter ${d.diameterHops} hops`,
    ...(d.dies > 1 ? [`  die edge     ${tb(NOC.dieEdgeBytesPerSecond)} per edge and direction: ${gb(d.dieEdgeLinkBytesPerSecond.x)} per link across a vertical edge, ${gb(d.dieEdgeLinkBytesPerSecond.y)} across a horizontal one`] : []),
    `  bisection    ${tb(d.bisectionBytesPerSecond.x)} across the middle columns, ${tb(d.bisectionBytesPerSecond.y)} across the middle rows (per direction); ${tb(d.bisectionAllDirections)} both cuts, both directions`,
    `  off-die      ${tb(d.offDieBytesPerSecond)} per die (4 edges)`,
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('info')
    .description('print the machine description: core, SRAM, clock, memory map; with --die or --tile the derived figures of that machine')
    .option('--json', 'print as one JSON object')
    .option('--die', 'a D1 die: cores, SRAM, peaks, link and bisection bandwidths')
    .option('--tile', 'a training tile of 5 x 5 dies')
    .action((opts: { json?: boolean; die?: boolean; tile?: boolean }) => {
      const m = opts.tile ? D1_TILE : opts.die ? D1_DIE : undefined;
      if (m) process.stdout.write(opts.json ? `${JSON.stringify(describeMachine(m), null, 2)}\n` : `${formatMachine(m)}\n`);
      else process.stdout.write(opts.json ? `${JSON.stringify(describeCore(D1_CORE), null, 2)}\n` : `${formatCore(D1_CORE)}\n`);
    });
}
