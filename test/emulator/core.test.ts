// The emulator core's semantics, one instruction class at a time, with the spec's corner cases:
// division by zero and overflow, shifts by 0/31/32/63, sign extension of W forms, x0, misaligned
// accesses, CSRs, self-modifying code, faults and determinism. QEMU covers random programs
// (test/oracle/qemu-diff.test.ts); these pin down the rules by name.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { Core } from '../../emulator/host/core.js';
import { oneCore } from '../../emulator/host/mesh.js';
import { runLoaded, type Outcome } from '../../emulator/host/run.js';

const M64 = (v: bigint) => BigInt.asUintN(64, v);

/** Assemble `body`, run it to its ebreak, return the core. */
async function exec(body: string): Promise<{ core: Core; outcome: Outcome }> {
  const { image, diagnostics } = assemble([{ path: 't.dasm', text: `_start:\n${body}\n        ebreak\n        .data\nbuf:    .zero 64\n` }]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const machine = oneCore();
  const core = machine.core();
  expect(machine.load(image!)).toEqual([]);
  const r = await runLoaded(machine, { stdout: { write: () => true }, stderr: { write: () => true }, maxInstructions: 100000n });
  return { core, outcome: r.outcome };
}

async function reg(body: string, r = 10): Promise<bigint> {
  const { core, outcome } = await exec(body);
  expect(outcome.kind).toBe('ebreak');
  return core.getReg(r);
}

const MIN = -(1n << 63n);

describe('RV64M corner cases (spec table 13.1)', () => {
  it.each([
    ['div', 7n, 0n, -1n],
    ['divu', 7n, 0n, -1n],
    ['rem', 7n, 0n, 7n],
    ['remu', 7n, 0n, 7n],
    ['div', MIN, -1n, MIN],
    ['rem', MIN, -1n, 0n],
    ['div', -7n, 2n, -3n],
    ['rem', -7n, 2n, -1n],
    ['divw', 1n << 31n, 0n, -1n],
    ['divw', -(1n << 31n), -1n, -(1n << 31n)],
    ['remw', -(1n << 31n), -1n, 0n],
    ['divuw', 0xffffffffn, 0n, -1n],
    ['remuw', 0x1_0000_0005n, 0n, 5n],
    ['mulh', MIN, MIN, 1n << 62n],
    ['mulhu', -1n, -1n, -2n],
    ['mulhsu', -1n, -1n, -1n],
    ['mulw', 0x7fffffffn, 2n, -2n],
  ])('%s %d, %d = %d', async (op, a, b, want) => {
    expect(await reg(`li a1, ${a}\n li a2, ${b}\n ${op} a0, a1, a2`)).toBe(M64(want));
  });
});

describe('RV64I', () => {
  it.each([
    ['slli a0, a1, 63', 3n, MIN],
    ['srli a0, a1, 63', -1n, 1n],
    ['srai a0, a1, 63', MIN, -1n],
    ['slliw a0, a1, 31', 1n, -(1n << 31n)],
    ['srliw a0, a1, 0', -1n, -1n],
    ['srliw a0, a1, 1', -1n, 0x7fffffffn],
    ['sraiw a0, a1, 31', 0x80000000n, -1n],
    ['addiw a0, a1, 1', 0x7fffffffn, -(1n << 31n)],
    ['sltiu a0, a1, -1', 5n, 1n],
    ['slti a0, a1, -1', -2n, 1n],
  ])('%s with a1 = %d', async (insn, a, want) => {
    expect(await reg(`li a1, ${a}\n ${insn}`)).toBe(M64(want));
  });

  it('register shifts use the low 6 (5 for W) bits of rs2', async () => {
    expect(await reg('li a1, 1\n li a2, 65\n sll a0, a1, a2')).toBe(2n);
    expect(await reg('li a1, 1\n li a2, 33\n sllw a0, a1, a2')).toBe(2n);
    expect(await reg('li a1, -1\n li a2, 32\n srlw a0, a1, a2')).toBe(M64(-1n));
  });

  it('x0 is never written', async () => {
    expect(await reg('li a1, 5\n add x0, a1, a1\n addi x0, x0, 1\n mv a0, x0')).toBe(0n);
  });

  it('loads sign- or zero-extend, misaligned accesses work', async () => {
    expect(await reg('la a1, buf\n li a2, -1\n sd a2, 0(a1)\n lb a0, 0(a1)')).toBe(M64(-1n));
    expect(await reg('la a1, buf\n li a2, -1\n sd a2, 0(a1)\n lhu a0, 0(a1)')).toBe(0xffffn);
    expect(await reg('la a1, buf\n li a2, -1\n sd a2, 0(a1)\n lwu a0, 0(a1)')).toBe(0xffffffffn);
    expect(await reg('la a1, buf\n li a2, 0x1122334455667788\n sd a2, 1(a1)\n ld a0, 1(a1)')).toBe(0x1122334455667788n);
  });

  it('jal and jalr link, jalr clears bit 0', async () => {
    expect(await reg('la a1, 1f\n addi a1, a1, 1\n jalr ra, 0(a1)\n li a0, 9\n1: mv a0, ra\n la a2, 1b\n sub a0, a2, a0')).toBe(4n); // ra is the li after the jalr, 4 bytes before 1:
  });

  it('auipc and lui sign-extend', async () => {
    expect(await reg('lui a0, 0x80000')).toBe(M64(-(1n << 31n)));
  });
});

describe('CSRs', () => {
  it('instret counts retired instructions, cycle follows the cycle model, identity CSRs are zero-based', async () => {
    expect(await reg('nop\n nop\n rdinstret a0')).toBe(2n);
    // li at 0, div at 1 (its operand is ready after 1 cycle), the dependent add at 21, rdcycle at 21.5
    expect(await reg('li a1, 7\n div a1, a1, a1\n add a2, a1, a1\n rdcycle a0')).toBe(21n);
    expect(await reg('csrr a0, meshw')).toBe(1n);
    expect(await reg('li a0, 5\n csrr a0, coreid')).toBe(0n);
  });

  it('writing a read-only CSR or naming an unknown one is an illegal instruction', async () => {
    expect((await exec('csrw cycle, a0')).outcome).toMatchObject({ kind: 'fault', cause: 'csr', word: 0xc00 });
    expect((await exec('csrr a0, 0x7c0')).outcome).toMatchObject({ kind: 'fault', cause: 'csr', word: 0x7c0 });
  });
});

describe('faults', () => {
  it('load and store outside SRAM', async () => {
    expect((await exec('li a1, 0x140000\n ld a0, -7(a1)')).outcome).toMatchObject({ kind: 'fault', cause: 'load', addr: 0x13fff9n });
    expect((await exec('li a1, -1\n sb a0, 0(a1)')).outcome).toMatchObject({ kind: 'fault', cause: 'store', addr: M64(-1n) });
  });
  it('illegal instruction', async () => {
    expect((await exec('.word 0x0000700b')).outcome).toMatchObject({ kind: 'fault', cause: 'illegal', word: 0x700b });
  });
  it('jumps outside SRAM or to a misaligned address fault at the jump', async () => {
    const far = await exec('li a1, 0x200000\n jr a1');
    expect(far.outcome).toMatchObject({ kind: 'fault', cause: 'fetch', addr: 0x200000n });
    expect(far.core.pc).toBe(0x1004n); // the jr, not its target
    expect((await exec('j .+2')).outcome).toMatchObject({ kind: 'fault', cause: 'fetch', addr: 0x1002n });
  });
  it('running off the end of SRAM is a fetch fault', async () => {
    const { image } = assemble([{ path: 't.dasm', text: '_start: nop\n' }], { textBase: 0x13fffc });
    const machine = oneCore();
    machine.load(image!);
    const r = await runLoaded(machine, { stdout: { write: () => true }, stderr: { write: () => true } });
    expect(r.outcome).toMatchObject({ kind: 'fault', cause: 'fetch', addr: 0x140000n });
  });
});

describe('the run loop', () => {
  it('executes code written at run time (stores invalidate predecoded words)', async () => {
    // Overwrite the `li a0, 1` at 1: with `li a0, 2` (addi a0, zero, 2), then run it again.
    expect(await reg('li s0, 0\n1: li a0, 1\n bnez s0, 2f\n la a1, 1b\n li a2, 0x00200513\n sw a2, 0(a1)\n li s0, 1\n j 1b\n2: nop')).toBe(2n);
  });

  it('stops at the instruction limit and resumes where it stopped', async () => {
    const { image } = assemble([{ path: 't.dasm', text: '_start: li a0, 0\n1: addi a0, a0, 1\n j 1b\n' }]);
    const machine = oneCore();
    const core = machine.core();
    machine.load(image!);
    const sink = { write: () => true };
    const a = await runLoaded(machine, { stdout: sink, stderr: sink, maxInstructions: 1001n });
    expect(a.outcome.kind).toBe('limit');
    expect(core.getReg(10)).toBe(500n);
    await runLoaded(machine, { stdout: sink, stderr: sink, maxInstructions: 2n });
    expect(core.getReg(10)).toBe(501n);
  });

  it('is deterministic: two runs give the same registers, instructions and cycles', async () => {
    const body = 'li a1, 12345\n li a2, 0\n1: mul a1, a1, a1\n addi a1, a1, 7\n addi a2, a2, 1\n li a3, 300\n blt a2, a3, 1b\n mv a0, a1';
    const a = await exec(body);
    const b = await exec(body);
    expect([a.core.getReg(10), a.core.instret, a.core.cycles]).toEqual([b.core.getReg(10), b.core.instret, b.core.cycles]);
  });
});
