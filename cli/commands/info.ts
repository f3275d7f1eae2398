// `d1 info`: the machine description, derived from the presets (emulator/presets.ts), never restated.
import type { Command } from 'commander';
import { CSRS } from '../../isa/csr.js';
import { INSTRUCTIONS, EXTENSIONS } from '../../isa/table.js';
import { D1_CORE, corePeaks, type CorePreset } from '../../emulator/presets.js';

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

export function register(program: Command): void {
  program
    .command('info')
    .description('print the machine description: core, SRAM, clock, memory map')
    .option('--json', 'print as one JSON object')
    .action((opts: { json?: boolean }) => {
      process.stdout.write(opts.json ? `${JSON.stringify(describeCore(D1_CORE), null, 2)}\n` : `${formatCore(D1_CORE)}\n`);
    });
}
