// The `d1` command's shape: every subcommand has --help, bad usage exits 2 with a message, `d1 info`
// prints the machine from the presets. Runs the built CLI (npm test builds first).
import { describe, expect, it } from 'vitest';
import { D1_CORE } from '../../emulator/presets.js';
import { d1 } from '../helpers/tools.js';

describe('d1 CLI', () => {
  for (const cmd of ['as', 'run', 'objdump', 'info', 'debug']) {
    it(`d1 ${cmd} --help describes the command`, () => {
      const r = d1([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Usage: d1 ${cmd}`));
    });
  }

  it('lists the subcommands in d1 --help', () => {
    const r = d1(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['as', 'run', 'objdump', 'info', 'debug']) expect(r.stdout).toContain(cmd);
  });

  it('rejects an unknown command with exit 2 and no stack trace', () => {
    const r = d1(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('d1 info prints SRAM size, clock and memory map from the preset', () => {
    const r = d1(['info']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${D1_CORE.sramBytes / 1024} KiB`);
    expect(r.stdout).toContain('2 GHz');
    expect(r.stdout).toContain('0x140000');
    const j = JSON.parse(d1(['info', '--json']).stdout);
    expect(j.sram.bytes).toBe(0x140000);
    expect(j.clockHz).toBe(2e9);
  });

  it('d1 info derives the published per-core peaks from the preset (../shared/DOJO-FACTS.md)', () => {
    const r = d1(['info']);
    // 256 BF16 MACs per cycle x 2 FLOP x 2 GHz = 1.02 TFLOPS; one 64-byte FP32 FMA per cycle = 64 GFLOPS
    expect(r.stdout).toMatch(/BF16 peak +1\.02 TFLOPS \(256 MACs\/cycle\)/);
    expect(r.stdout).toMatch(/FP32 peak +64 GFLOPS/);
    expect(r.stdout).toMatch(/SRAM b\/w +400 GB\/s load, 270 GB\/s store/);
    expect(r.stdout).toMatch(/threads +4 \(SMT\), decode 8\/cycle/);
    const j = JSON.parse(d1(['info', '--json']).stdout);
    expect(j.peaks).toEqual({ bf16MacsPerCycle: 256, bf16Flops: 1.024e12, fp32Flops: 64e9, sramLoadBytesPerSecond: 400e9, sramStoreBytesPerSecond: 270e9 });
    expect(j.pipeline).toMatchObject({ decodeWidth: 8, intUnits: 2, addrUnits: 2, vectorIssue: 2, simdBytes: 64, matrixUnits: 4, matrixShape: { m: 8, n: 8, k: 4 } });
  });
});
