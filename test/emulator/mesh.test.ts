// The mesh (docs/machine.md, "Mesh"): the network's latency and bandwidth sharing against hand-computed
// figures, semaphores, barriers, deadlock and misuse reports, bad addresses, determinism, and the
// machine figures `d1 info --die/--tile` derives, against ../shared/DOJO-FACTS.md.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import type { Image } from '../../assembler/image.js';
import { Machine, type MeshOutcome } from '../../emulator/host/mesh.js';
import { meshStats } from '../../emulator/host/mesh-stats.js';
import { traceJson } from '../../emulator/host/trace.js';
import { D1_CORE, D1_DIE, D1_TILE, machinePeaks, meshPreset, NOC, type MeshPreset } from '../../emulator/presets.js';
import { d1 as runCli, tempDir } from '../helpers/tools.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function image(text: string): Image {
  const { image, diagnostics } = assemble([{ path: 'mesh.dasm', text }]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return image!;
}

async function run(preset: MeshPreset, text: string): Promise<{ m: Machine; o: MeshOutcome; out: string; img: Image }> {
  const m = new Machine(preset);
  const img = image(text);
  m.load(img, 'mesh.dasm');
  let out = '';
  const o = await m.run({ stdout: { write: (s) => (out += typeof s === 'string' ? s : Buffer.from(s).toString()) }, stderr: process.stderr, maxCycles: 10_000_000n });
  return { m, o, out, img };
}

const word = (m: Machine, x: number, y: number, img: Image, sym: string, i = 0): bigint => {
  const at = img.symbols.find((s) => s.name === sym)!.value + BigInt(8 * i);
  return new DataView(m.cores.get(y * m.preset.w + x)!.core.readMem(at, 8).buffer).getBigInt64(0, true);
};

// Core (0,0) reads `cycle`, posts semaphore 0 of core (H,0); that core waits for it and reads `cycle`.
const latency = (h: number) => `
  .text
  .globl _start
_start:
  csrr t0, corex
  beqz t0, send
  li t1, ${h}
  bne t0, t1, quit
  li t2, 0
  li t3, 1
  swait t2, t3
  csrr t4, cycle
  la t5, when
  sd t4, 0(t5)
  j quit
send:
  li t1, ${h}
  slli t1, t1, 32
  li t2, 1
  slli t2, t2, 48
  or t1, t1, t2
  li t3, 1
  la t5, when
  csrr t4, cycle
  spost t1, t3
  sd t4, 0(t5)
quit:
  li a0, 0
  li a7, 93
  ecall
  .data
  .align 3
when: .dword 0
`;

// Each core fills a row with its rank; core (0,0) gathers the rows of (1,0), (0,1), (1,1) into v4..v6.
const GATHER_TO_VREGS = `  .text
  .globl _start
_start:
  csrr s0, corerank
  # every core fills its 64-byte row with its rank
  la t0, row
  li t1, 0
fill:
  add t2, t0, t1
  sb s0, 0(t2)
  addi t1, t1, 1
  li t3, 64
  blt t1, t3, fill
  li t4, -1
  barrier t4
  bnez s0, quit
  # core (0,0): a table of the rows of cores (1,0), (0,1), (1,1)
  la a0, table
  li t5, 1
  slli t5, t5, 48
  la t6, row
  or t6, t6, t5
  li t1, 1
  slli t1, t1, 32
  or a1, t6, t1
  sd a1, 0(a0)          # (1,0)
  li t1, 1
  slli t1, t1, 40
  or a1, t6, t1
  sd a1, 8(a0)          # (0,1)
  li t1, 0x10100000000
  or a1, t6, t1
  sd a1, 16(a0)         # (1,1)
  la a2, desc
  sd a0, 0(a2)          # src: the table
  li t1, 4
  sd t1, 8(a2)          # dst: v4
  li t1, 64
  sw t1, 16(a2)
  li t1, 3
  sw t1, 20(a2)
  sd zero, 40(a2)       # semaphore 0 of this core
  li t1, 1
  sw t1, 48(a2)
  sw t1, 52(a2)         # flags: to vector registers
  dma.gather a2
  li t1, 0
  li t2, 1
  swait t1, t2
  la a3, got
  vst v4, 0(a3)
  vst v5, 64(a3)
  vst v6, 128(a3)
  lbu a0, 0(a3)
  lbu t1, 64(a3)
  add a0, a0, t1
  lbu t1, 191(a3)
  slli t1, t1, 4
  add a0, a0, t1
  li a7, 93
  ecall
quit:
  li a0, 0
  li a7, 93
  ecall
  .data
  .align 6
row: .zero 64
got: .zero 192
table: .zero 64
desc: .zero 64
`;

describe('network latency (docs/machine.md, "Network")', () => {
  it('a one-packet message takes 2 + 2 x hops cycles: each hop adds exactly hopCycles', async () => {
    const delta: number[] = [];
    for (const h of [1, 2, 4, 7]) {
      const { m, o, img } = await run(meshPreset(8, 1), latency(h));
      expect(o).toEqual({ kind: 'exit', code: 0 });
      delta.push(Number(word(m, h, 0, img, 'when') - word(m, 0, 0, img, 'when')));
    }
    // the post leaves half a cycle after the sender's csrr; the receiver reads cycle as it wakes
    for (const [i, h] of [1, 2, 4, 7].entries()) expect(delta[i]! - (delta[0]! + NOC.hopCycles * (h - 1))).toBe(0);
    expect(delta[0]).toBeGreaterThanOrEqual(2 + 2 * 1);
    expect(delta[0]).toBeLessThanOrEqual(2 + 2 * 1 + 1);
  });
});

// Cores listed in SENDERS each DMA 16 KiB to core (3,0), which waits for all of them.
const flows = (senders: number[]) => `
  .text
  .globl _start
_start:
  csrr s0, corex
  li t0, 3
  beq s0, t0, sink
${senders.map((x) => `  li t0, ${x}\n  beq s0, t0, source`).join('\n')}
  j quit
source:
  la a0, desc
  la t1, buf
  sd t1, 0(a0)            # src: local buffer
  li t2, 3
  slli t2, t2, 32
  li t3, 1
  slli t3, t3, 48
  or t2, t2, t3           # core (3,0)
  li t4, 0x80000
  slli t5, s0, 14
  add t4, t4, t5
  or t4, t4, t2
  sd t4, 8(a0)            # dst: core (3,0) + 0x80000 + x * 16 KiB
  li t5, 16384
  sw t5, 16(a0)           # len
  li t5, 1
  sw t5, 20(a0)           # rows
  sd t2, 40(a0)           # sem 0 of core (3,0)
  li t5, 1
  sw t5, 48(a0)           # count
  dma.copy a0
  j quit
sink:
  li t1, 0
  li t2, ${senders.length}
  swait t1, t2
  csrr t3, cycle
  la t4, done
  sd t3, 0(t4)
quit:
  li a0, 0
  li a7, 93
  ecall
  .data
  .align 6
desc: .zero 64
done: .dword 0
  .align 6
buf: .zero 16384
`;

describe('routing', () => {
  it('goes X first, then Y: a store from (0,0) to (2,2) crosses (0,0)-(1,0)-(2,0) east, then (2,0)-(2,1)-(2,2) south', async () => {
    const { m, o } = await run(meshPreset(3, 3), `
  .text
  .globl _start
_start:
  csrr t0, corerank
  bnez t0, quit
  li t1, 0x1020200000100      # core (2,2), offset 0x100
  li t2, 42
  sd t2, 0(t1)
quit:
  li a0, 0
  li a7, 93
  ecall
`);
    expect(o).toEqual({ kind: 'exit', code: 0 });
    const used = m.links().map((l) => `${l.x},${l.y} ${l.dir.toLowerCase()} ${l.bytes}`).sort();
    expect(used).toEqual(['0,0 east 8', '0,0 inject 8', '1,0 east 8', '2,0 south 8', '2,1 south 8', '2,2 eject 8']);
    expect(new DataView(m.cores.get(8)!.core.readMem(0x100n, 8).buffer).getBigInt64(0, true)).toBe(42n);
  });
});

// Core (17,0) sends 64 KiB by DMA to (18,0), across the edge between two dies; both note the cycle.
const ACROSS_THE_EDGE = `  .text
  .globl _start
_start:
  csrr s0, corex
  csrr s1, corey
  bnez s1, quit
  li t0, 17
  beq s0, t0, send
  li t0, 18
  beq s0, t0, sink
  j quit
send:
  la a0, desc
  la t1, buf
  sd t1, 0(a0)
  li t2, 0x1001200000000      # core (18,0)
  la t3, buf
  or t3, t3, t2
  sd t3, 8(a0)
  li t4, 65536
  sw t4, 16(a0)
  li t4, 1
  sw t4, 20(a0)
  sd t2, 40(a0)
  sw t4, 48(a0)
  csrr t5, cycle
  la t6, start
  sd t5, 0(t6)
  dma.copy a0
  j quit
sink:
  li t1, 0
  li t2, 1
  swait t1, t2
  csrr t5, cycle
  la t6, start
  sd t5, 0(t6)
quit:
  li a0, 0
  li a7, 93
  ecall
  .data
  .align 6
desc: .zero 64
start: .dword 0
  .align 6
buf: .zero 65536
`;

describe('die-to-die links', () => {
  it('a die edge carries 2 TB/s each way, shared by its 20 rows: 64 KiB over one edge link takes 1,310.72 link cycles', async () => {
    const twoDies: MeshPreset = { name: 'two-dies', w: 36, h: 20, dieW: 18, dieH: 20, disabled: [] };
    const { m, o, img } = await run(twoDies, ACROSS_THE_EDGE);
    expect(m.parts).toHaveLength(2); // an instance a die: the message went from one to the other
    expect(o).toEqual({ kind: 'exit', code: 0 });
    const perLink = NOC.dieEdgeBytesPerSecond / twoDies.dieH / D1_CORE.clockHz; // 50 bytes a cycle
    const edge = m.links().find((l) => l.x === 17 && l.y === 0 && l.dir === 'EAST')!;
    expect(edge.bytes).toBe(65536);
    expect(edge.busy).toBeCloseTo(65536 / perLink, 6);
    const sent = Number(word(m, 17, 0, img, 'start'));
    const arrived = Number(word(m, 18, 0, img, 'start'));
    // the edge is the bottleneck; the path adds the SRAM ports, a hop and the SerDes latency
    expect(arrived - sent).toBeGreaterThanOrEqual(65536 / perLink);
    expect(arrived - sent).toBeLessThan(65536 / perLink + 2 + NOC.hopCycles + NOC.dieHopExtraCycles + 4);
  });
});

describe('bandwidth sharing', () => {
  it('one 16 KiB flow takes 256 link cycles; two flows over a shared link take it twice as long, the link carrying both', async () => {
    const one = await run(meshPreset(4, 1), flows([1]));
    expect(one.o).toEqual({ kind: 'exit', code: 0 });
    const two = await run(meshPreset(4, 1), flows([0, 1]));
    expect(two.o).toEqual({ kind: 'exit', code: 0 });
    const t1 = Number(word(one.m, 3, 0, one.img, 'done'));
    const t2 = Number(word(two.m, 3, 0, two.img, 'done'));
    // 256 packets at one per cycle, plus the path's latency (a few cycles)
    expect(t1).toBeGreaterThanOrEqual(256);
    expect(t1).toBeLessThan(256 + 40);
    expect(t2).toBeGreaterThanOrEqual(512);
    expect(t2).toBeLessThan(512 + 40);
    const shared = two.m.links().find((l) => l.x === 2 && l.y === 0 && l.dir === 'EAST')!;
    expect(shared.bytes).toBe(2 * 16384);
    expect(shared.busy).toBe(512);
    expect(one.m.links().find((l) => l.x === 2 && l.dir === 'EAST')!.bytes).toBe(16384);
  });
});

describe('synchronisation and its failures', () => {
  it('a barrier over all cores releases every core after the last arrives', async () => {
    const { m, o, img } = await run(meshPreset(3, 2), `
  .text
  .globl _start
_start:
  csrr t0, corerank
  li t1, 100
  mul t1, t1, t0
spin:
  addi t1, t1, -1
  bgtz t1, spin
  li t2, -1
  barrier t2
  csrr t3, cycle
  la t4, after
  sd t3, 0(t4)
  li a0, 0
  li a7, 93
  ecall
  .data
  .align 3
after: .dword 0
`);
    expect(o).toEqual({ kind: 'exit', code: 0 });
    const times = [0, 1, 2].flatMap((x) => [0, 1].map((y) => word(m, x, y, img, 'after')));
    expect(new Set(times).size).toBeLessThanOrEqual(2); // everyone leaves together (within a cycle)
    const s = meshStats(m);
    expect(s.stalls.barrier).toBeGreaterThan(0);
  });

  it('a group of one core is complete at each arrival: two threads of that core both leave at once, on a mesh and on one core', async () => {
    // core (0,0)'s threads 0 and 1 each arrive at the group of core (0,0) alone (rs1 = 0), in the same
    // window; core (1,0) exits at once
    const text = `
  .text
  .globl _start
_start:
  csrr t0, corerank
  bnez t0, done
  la a0, helper
  li a1, 0
  tspawn s1, a0, a1
  barrier zero
  tjoin s1
  la t4, count
  ld a0, 0(t4)
  addi a0, a0, 1
done:
  li a7, 93
  ecall
helper:
  barrier zero
  la t4, count
  li t5, 1
  sd t5, 0(t4)
  texit
  .data
  .align 3
count: .dword 0
`;
    for (const preset of [meshPreset(2, 1), meshPreset(1, 1)]) {
      const { o, m } = await run(preset, text);
      expect(o, preset.name).toEqual({ kind: 'exit', code: 2 });
      expect(m.cores.get(0)!.core.threads().filter((t) => t.instret > 0n).length).toBe(2);
    }
  });

  it('a deadlock names every waiting core, thread, source line and semaphore, and exits 134', () => {
    const dir = tempDir();
    const f = join(dir, 'dead.dasm');
    writeFileSync(f, '  .text\n  .globl _start\n_start:\n  li t0, 3\n  li t1, 1\n  swait t0, t1\n  li a7, 93\n  ecall\n');
    const r = runCli(['run', '--mesh', '2x1', f]);
    expect(r.code).toBe(134);
    expect(r.stderr).toContain('deadlock');
    expect(r.stderr).toMatch(/core \(1,0\) thread 0 waits for semaphore 3 \(needs 1, has 0\)/);
    expect(r.stderr).toContain('dead.dasm:6');
  });

  it('a barrier one core never reaches (it exited) is reported as misuse', () => {
    const dir = tempDir();
    const f = join(dir, 'misuse.dasm');
    writeFileSync(f, '  .text\n  .globl _start\n_start:\n  csrr t0, corerank\n  beqz t0, out\n  li t1, -1\n  barrier t1\nout:\n  li a0, 0\n  li a7, 93\n  ecall\n');
    const r = runCli(['run', '--mesh', '2x2', f]);
    expect(r.code).toBe(134);
    expect(r.stderr).toMatch(/barrier misuse: .*can never complete: core \(0,0\) has exited/);
  });

  it('an address outside the mesh, or on a disabled core, is a located fault', () => {
    const dir = tempDir();
    const f = join(dir, 'far.dasm');
    // core (17,19) is disabled on the die; (40,0) is outside it
    for (const [x, y] of [[17, 19], [40, 0]]) {
      writeFileSync(f, `  .text\n  .globl _start\n_start:\n  li t0, 1\n  slli t0, t0, 48\n  li t1, ${x}\n  slli t1, t1, 32\n  or t0, t0, t1\n  li t1, ${y}\n  slli t1, t1, 40\n  or t0, t0, t1\n  sd zero, 0x100(t0)\n  li a7, 93\n  ecall\n`);
      const r = runCli(['run', '--die', f]);
      expect(r.code).toBe(134);
      expect(r.stderr).toMatch(/fault on core \(0,0\) thread 0: remote access fault/);
      expect(r.stderr).toContain('far.dasm:12');
    }
  });

  it('unknown machines and bad options are clear errors', () => {
    const dir = tempDir();
    const f = join(dir, 'x.dasm');
    writeFileSync(f, '  .text\n  .globl _start\n_start:\n  li a7, 93\n  ecall\n');
    for (const [args, msg] of [
      [['--mesh', 'abc'], /--mesh takes WxH/],
      [['--mesh', '0x3'], /a mesh has 1 to/],
      [['--die', '--tile'], /choose one machine/],
      [['--mesh', '2x2', '--disable', '5,5'], /--disable takes/],
      [['--mesh', '2x2', '--load', '9,9:0=x'], /outside the 2x2 mesh/],
    ] as const) {
      const r = runCli(['run', ...args, f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
});

describe('the gather engine into vector registers', () => {
  it('brings a 64-byte row from each of three cores into v4..v6 of the thread that started it', async () => {
    const { m, o, img } = await run(meshPreset(2, 2), GATHER_TO_VREGS);
    expect(o).toEqual({ kind: 'exit', code: 1 + 2 + 3 * 16 });
    const got = m.cores.get(0)!.core.readMem(img.symbols.find((x) => x.name === 'got')!.value, 192);
    expect([...got]).toEqual([...Array(64).fill(1), ...Array(64).fill(2), ...Array(64).fill(3)]);
  });
});

describe('limits and programs on rectangles', () => {
  it('--max-cycles stops a program that never ends (exit 137), with the cycle it reached', () => {
    const dir = tempDir();
    const f = join(dir, 'spin.dasm');
    writeFileSync(f, '  .text\n  .globl _start\n_start:\n  j _start\n');
    const r = runCli(['run', '--mesh', '2x2', '--max-cycles', '100000', f]);
    expect(r.code).toBe(137);
    const at = Number(/cycle limit reached \(--max-cycles\) at cycle (\d+)/.exec(r.stderr)?.[1]);
    expect(at).toBeGreaterThanOrEqual(100000);
    expect(at).toBeLessThan(100000 + 64 * NOC.windowCycles + 10);
  });

  it('--on runs another program on a rectangle; the rest run the main one', () => {
    const dir = tempDir();
    const main = join(dir, 'main.dasm');
    const other = join(dir, 'other.dasm');
    const prog = (tag: string) => `  .text\n  .globl _start\n_start:\n  la a1, s\n  li a2, 1\n  li a0, 1\n  li a7, 64\n  ecall\n  li a0, 0\n  li a7, 93\n  ecall\n  .data\ns: .ascii "${tag}"\n`;
    writeFileSync(main, prog('m'));
    writeFileSync(other, prog('o'));
    const r = runCli(['run', '--mesh', '3x2', '--on', `1,0-2,0=${other}`, main]);
    expect(r.code).toBe(0);
    expect([...r.stdout].sort().join('')).toBe('mmmmoo');
  });
});

describe('determinism', () => {
  it('the same program gives the same output, cycles and statistics, run after run', async () => {
    const text = flows([0, 1, 2]);
    const a = await run(meshPreset(4, 2), text);
    const b = await run(meshPreset(4, 2), text);
    const strip = (s: ReturnType<typeof meshStats>) => ({ ...s, wallSeconds: 0, mips: 0 });
    expect(strip(meshStats(a.m))).toEqual(strip(meshStats(b.m)));
  });
});

describe('machine figures against DOJO-FACTS.md', () => {
  it('the die: 354 cores, ~440 MB SRAM, 362-376 TFLOPS BF16, ~22 TFLOPS FP32, 8 TB/s off-die, ~10 TB/s both bisections both ways', () => {
    const d = machinePeaks(D1_DIE);
    expect(d.cores).toBe(354);
    expect(d.sramBytes / 2 ** 20).toBeCloseTo(442.5, 1); // 354 x 1.25 MiB: "440 MB"
    expect(d.bf16Flops / 1e12).toBeGreaterThanOrEqual(362);
    expect(d.bf16Flops / 1e12).toBeLessThanOrEqual(376);
    expect(Math.round(d.fp32Flops / 1e12)).toBe(23);
    expect(d.offDieBytesPerSecond).toBe(8e12);
    expect(d.bisectionAllDirections / 1e12).toBeGreaterThan(9.5);
    expect(d.bisectionAllDirections / 1e12).toBeLessThan(10.5);
  });
  it('the tile: 8,850 cores, ~9 PFLOPS, 11 GB SRAM, 10 TB/s bisection', () => {
    const t = machinePeaks(D1_TILE);
    expect(t.cores).toBe(8850);
    expect(t.dies).toBe(25);
    expect(t.bf16Flops / 1e15).toBeCloseTo(9, 0);
    expect(t.sramBytes / 2 ** 30).toBeCloseTo(10.8, 1); // "11 GB"
    expect(t.bisectionBytesPerSecond.x).toBe(10e12);
    expect(t.bisectionBytesPerSecond.y).toBe(10e12);
  });
});

describe('a tile on worker threads', () => {
  it('gives the same output, exit code, cycles and statistics on 1 and 2 workers', async () => {
    const text = `
  .text
  .globl _start
_start:
  csrr s0, corerank
  csrr s1, ncores
  li t0, 1
  slli t0, t0, 48            # core (0,0)
  bnez s0, worker
  addi t1, s1, -1
  li t2, 0
  swait t2, t1               # every other core posted
  la a1, msg
  li a2, 6
  li a0, 1
  li a7, 64
  ecall
  li a0, 0
  li a7, 93
  ecall
worker:
  la t2, slot
  or t2, t2, t0
  sd s0, 0(t2)               # a remote store across the dies
  li t4, 1
  spost t0, t4
  li a0, 0
  li a7, 93
  ecall
  .data
msg: .ascii "tile!\\n"
  .align 3
slot: .dword 0
`;
    const img = image(text);
    const results = [];
    for (const workers of [1, 2]) {
      const m = new Machine(D1_TILE);
      m.load(img, 'tile.dasm');
      m.trace();
      let out = '';
      const o = await m.run({ stdout: { write: (s) => (out += typeof s === 'string' ? s : Buffer.from(s).toString()) }, stderr: process.stderr, workers });
      results.push({ o, out, stats: { ...meshStats(m), wallSeconds: 0, mips: 0 }, trace: traceJson(m) });
    }
    expect(results[0]!.o).toEqual({ kind: 'exit', code: 0 });
    expect(results[0]!.out).toBe('tile!\n');
    expect(results[0]!.stats.cores).toBe(8850);
    expect(results[1]).toEqual(results[0]);
  }, 60_000);
});

describe('--trace and --heatmap', () => {
  it('write a Chrome trace (a process per core, waits and engine work) and an SVG of every core and busy link', () => {
    const dir = tempDir();
    const f = join(dir, 'flows.dasm');
    writeFileSync(f, flows([0, 1]));
    const r = runCli(['run', '--mesh', '4x1', '--trace', join(dir, 't.json'), '--heatmap', join(dir, 'h.svg'), f]);
    expect(r.code).toBe(0);
    const t = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')) as { traceEvents: { ph: string; name: string; pid: number; tid?: number; ts?: number; dur?: number; cat?: string }[] };
    const names = t.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name');
    expect(names).toHaveLength(4);
    for (const e of t.traceEvents.filter((e) => e.ph === 'X')) {
      expect(e.ts).toBeGreaterThanOrEqual(0);
      expect(e.dur).toBeGreaterThanOrEqual(0);
    }
    // core (3,0) waited on semaphore 0; the engines of cores 0 and 1 each ran one descriptor
    expect(t.traceEvents.some((e) => e.ph === 'X' && e.pid === 4 && e.name === 'semaphore 0' && e.dur! > 0.1)).toBe(true);
    expect(t.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'engine').map((e) => e.pid).sort()).toEqual([1, 2]);
    const svg = readFileSync(join(dir, 'h.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<rect x="\d+" y="\d+" width="28"/g)).toHaveLength(4); // a square a core
    expect(svg).toMatch(/\(2,0\) east: \d+\.\d% busy, 32768 bytes/);
    // the same run writes the same trace, byte for byte
    const again = runCli(['run', '--mesh', '4x1', '--trace', join(dir, 't2.json'), f]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 't2.json'), 'utf8')).toBe(readFileSync(join(dir, 't.json'), 'utf8'));
  });
});

describe('data in and out of cores, and the machine as JSON', () => {
  it('--load copies a file into chosen cores, --dump writes SRAM back; --json has every core and link', () => {
    const dir = tempDir();
    const f = join(dir, 'double.dasm');
    // every core doubles the 16 bytes at 0x80000 in place
    writeFileSync(f, '  .text\n  .globl _start\n_start:\n  li t0, 0x80000\n  li t1, 16\n1:\n  lbu t2, 0(t0)\n  slli t2, t2, 1\n  sb t2, 0(t0)\n  addi t0, t0, 1\n  addi t1, t1, -1\n  bnez t1, 1b\n  li a0, 0\n  li a7, 93\n  ecall\n');
    const input = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    writeFileSync(join(dir, 'in.bin'), input);
    const r = runCli(['run', '--mesh', '2x2', '--load', `1,0:0x80000=${join(dir, 'in.bin')}`, '--dump', `1,0:0x80000:16=${join(dir, 'out.bin')}`, '--dump', `0,1:0x80000:16=${join(dir, 'zero.bin')}`, '--json', f]);
    expect(r.code).toBe(0);
    expect([...readFileSync(join(dir, 'out.bin'))]).toEqual([...input].map((v) => 2 * v));
    expect([...readFileSync(join(dir, 'zero.bin'))]).toEqual(Array(16).fill(0));
    const j = JSON.parse(r.stdout) as { exitCode: number; cores: number; perCore: { x: number; y: number; instructions: number }[]; network: { links: unknown[] } };
    expect(j.exitCode).toBe(0);
    expect(j.cores).toBe(4);
    expect(j.perCore.map((c) => [c.x, c.y])).toEqual([[0, 0], [1, 0], [0, 1], [1, 1]]);
    expect(j.network.links).toEqual([]); // nothing crossed the network
  });

  it('--load and --dump take symbols (+/- an offset); a bad --dump is refused before the program runs', () => {
    const dir = tempDir();
    const f = join(dir, 'sym.dasm');
    // writes a line and stores 42 at ys + 8
    writeFileSync(f, '_start:\n  la t0, ys\n  li t1, 42\n  sd t1, 8(t0)\n  li a0, 1\n  la a1, msg\n  li a2, 4\n  li a7, 64\n  ecall\n  li a0, 0\n  li a7, 93\n  ecall\n  .data\nmsg: .ascii "ran\\n"\nys: .zero 64\n');
    writeFileSync(join(dir, 'in.bin'), Uint8Array.from([7, 7]));
    const r = runCli(['run', '--load', `0,0:ys+32=${join(dir, 'in.bin')}`, '--dump', `0,0:ys:48=${join(dir, 'ys.bin')}`, f]);
    expect(r.code).toBe(0);
    const ys = readFileSync(join(dir, 'ys.bin'));
    expect(ys.readBigUInt64LE(8)).toBe(42n);
    expect([ys[32], ys[33]]).toEqual([7, 7]);
    const bad = runCli(['run', '--dump', `0,0:nosuch:16=${join(dir, 'x.bin')}`, f]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--dump address: no symbol 'nosuch' in the program");
    expect(bad.stdout).not.toContain('ran'); // refused before it ran
  });

  it('d1 info --die --json gives the derived figures', () => {
    const r = runCli(['info', '--die', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { cores: number; disabled: number[][]; bf16Flops: number; bisectionAllDirections: number };
    expect(j.cores).toBe(354);
    expect(j.disabled).toHaveLength(6);
    expect(j.bf16Flops).toBeCloseTo(362.496e12, -9);
  });
});
