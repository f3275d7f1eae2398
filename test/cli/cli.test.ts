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
});
