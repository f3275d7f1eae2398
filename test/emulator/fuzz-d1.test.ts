// Nothing a program does can crash the host: random words in the D1 opcode space (custom-0..3), with
// random format-table entries, tile CSRs and registers, run to a clean stop (a fault, the limit or an
// exit), never a WebAssembly trap or a host exception. Deterministic seeds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneCore } from '../../emulator/host/mesh.js';
import { runLoaded } from '../../emulator/host/run.js';
import { OPCODES, RESERVED_FOR_D1 } from '../../isa/formats.js';

const CUSTOM = RESERVED_FOR_D1.map((k) => OPCODES[k]);

describe('random D1 instructions', () => {
  it('always stop cleanly', async () => {
    const programs = fc.sample(
      fc.record({
        words: fc.array(fc.tuple(fc.integer({ min: 0, max: 0x1ffffff }), fc.constantFrom(...CUSTOM)), { minLength: 1, maxLength: 64 }),
        regs: fc.array(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), { minLength: 31, maxLength: 31 }),
        entries: fc.array(fc.integer({ min: 0, max: 0x3fff }), { minLength: 16, maxLength: 16 }),
      }),
      { numRuns: 300, seed: 2026 },
    );
    const seen = new Set<string>();
    for (const p of programs) {
      const machine = oneCore();
      const core = machine.core();
      const bytes = new Uint8Array(4 * p.words.length + 4);
      const dv = new DataView(bytes.buffer);
      p.words.forEach(([high, op], k) => dv.setUint32(4 * k, ((high << 7) | op) >>> 0, true));
      dv.setUint32(4 * p.words.length, 0x00100073, true); // ebreak
      machine.load({ entry: 0x1000n, segments: [{ vaddr: 0x1000n, memsz: bytes.length, data: bytes, flags: 7 }], sections: [], symbols: [], lines: [] } as never);
      p.regs.forEach((v, i) => core.setReg(i + 1, i === 1 ? 0x80000n : v)); // sp stays usable
      p.entries.forEach((v, n) => core.setFormatEntry(n, v % 3 === 0 ? v & 0xff : v));
      const r = await runLoaded(machine, { stdout: { write: () => true }, stderr: { write: () => true }, maxInstructions: 10_000n });
      expect(['fault', 'limit', 'exit', 'ebreak', 'hostcall']).toContain(r.outcome.kind);
      seen.add(r.outcome.kind === 'fault' ? `fault:${r.outcome.cause}` : r.outcome.kind);
    }
    // the sample reaches several kinds of stop, so the programs do run
    expect(seen.size, [...seen].join(' ')).toBeGreaterThanOrEqual(3);
  });
});
