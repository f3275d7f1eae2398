// The D1 vector and matrix instructions, one group at a time: lanes of every width, rounding through the
// number-format library, flags, permutes and transposes, strided/gathered/tiled accesses, conversions
// with both roundings, the matrix units, and the faults (docs/machine.md, "Vector unit").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../assembler/index.js';
import { Core } from '../../emulator/host/core.js';
import { decode, encode, SrGenerator } from '../../emulator/host/numbers.js';
import { oneCore } from '../../emulator/host/mesh.js';
import { runLoaded, type Outcome } from '../../emulator/host/run.js';
import { FORMAT_BY_NAME, entryValue } from '../../isa/numbers.js';

const ID = (name: string) => FORMAT_BY_NAME.get(name)!.id;

/** Assemble `body` and `data` (in .data after a 256-byte `buf`), run to the end, return core and outcome. */
async function exec(body: string, data = ''): Promise<{ core: Core; outcome: Outcome }> {
  const text = `_start:\n${body}\n        ebreak\n        .data\n        .p2align 6\nbuf:    .zero 256\n${data}\n`;
  const { image, diagnostics } = assemble([{ path: 't.dasm', text }]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const machine = oneCore();
  const core = machine.core();
  expect(machine.load(image!)).toEqual([]);
  const r = await runLoaded(machine, { stdout: { write: () => true }, stderr: { write: () => true }, maxInstructions: 1_000_000n });
  return { core, outcome: r.outcome };
}

const show = (o: Outcome) => JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? v.toString() : v));

/** Run; expect the closing ebreak. */
async function run(body: string, data = ''): Promise<Core> {
  const r = await exec(body, data);
  expect(r.outcome.kind, show(r.outcome)).toBe('ebreak');
  return r.core;
}

async function fault(body: string, data = ''): Promise<Outcome> {
  return (await exec(body, data)).outcome;
}

/** Lines that write format-table entries: [entry, format name, bias]. */
const setFormats = (...entries: [number, string, number?][]) =>
  entries.map(([n, f, b]) => `        li t0, ${entryValue(ID(f), b ?? 0)}\n        csrw fmt${n}, t0`).join('\n');

const lanes = (bytes: Uint8Array, size: 1 | 2 | 4): number[] => {
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  return Array.from({ length: 64 / size }, (_, i) => (size === 4 ? dv.getUint32(i * 4, true) : size === 2 ? dv.getUint16(i * 2, true) : dv.getUint8(i)));
};
const f32bits = (x: number) => {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, x, true);
  return dv.getUint32(0, true);
};
const f32 = (bits: number) => {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setUint32(0, bits, true);
  return dv.getFloat32(0, true);
};

const iota = <T,>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('element-wise arithmetic', () => {
  it('adds, multiplies and divides fp32 lanes with IEEE rounding', async () => {
    const a = iota(16, (i) => 0.1 * (i + 1));
    const b = iota(16, (i) => 3.7 - i * 1.3);
    const core = await run(
      `${setFormats([0, 'fp32'])}\n        la a0, va\n        vld v1, 0(a0)\n        vld v2, 64(a0)\n        vadd v3, v1, v2, fmt0\n        vmul v4, v1, v2, fmt0\n        vdiv v5, v1, v2, fmt0\n        vsub v6, v1, v2, fmt0`,
      `        .p2align 6\nva: .fp32 ${a.join(', ')}\n    .fp32 ${b.join(', ')}`,
    );
    const A = a.map(Math.fround), B = b.map(Math.fround);
    expect(lanes(core.getVreg(3), 4)).toEqual(A.map((x, i) => f32bits(x + B[i]!)));
    expect(lanes(core.getVreg(4), 4)).toEqual(A.map((x, i) => f32bits(x * B[i]!)));
    expect(lanes(core.getVreg(5), 4)).toEqual(A.map((x, i) => f32bits(x / B[i]!)));
    expect(lanes(core.getVreg(6), 4)).toEqual(A.map((x, i) => f32bits(x - B[i]!)));
  });

  it('rounds bf16 products once, to nearest even', async () => {
    const a = iota(32, (i) => 1 + i / 128);
    const b = iota(32, (i) => 3 - i / 64);
    const core = await run(
      `${setFormats([1, 'bf16'])}\n        la a0, va\n        vld v1, 0(a0)\n        vld v2, 64(a0)\n        vmul v3, v1, v2, fmt1`,
      `        .p2align 6\nva: .bf16 ${a.join(', ')}\n    .bf16 ${b.join(', ')}`,
    );
    const A = lanes(core.getVreg(1), 2), B = lanes(core.getVreg(2), 2);
    const want = A.map((x, i) => encode({ format: 'bf16' }, decode({ format: 'bf16' }, x) * decode({ format: 'bf16' }, B[i]!)).bits);
    expect(lanes(core.getVreg(3), 2)).toEqual(want);
  });

  it('vfma is one correctly rounded fp32 operation (checked against exact rational arithmetic)', async () => {
    // Exact a*b + c as a dyadic rational, rounded to fp32 by integer arithmetic.
    const exact = (x: number) => {
      const dv = new DataView(new ArrayBuffer(8));
      dv.setFloat64(0, x);
      const bits = dv.getBigUint64(0);
      const e = Number((bits >> 52n) & 0x7ffn);
      const m = (bits & ((1n << 52n) - 1n)) | (e ? 1n << 52n : 0n);
      return { m: bits >> 63n ? -m : m, e: (e || 1) - 1075 };
    };
    const roundF32 = (m: bigint, e: number): number => {
      if (m === 0n) return 0;
      const neg = m < 0n;
      let a = neg ? -m : m;
      const len = a.toString(2).length;
      // keep 24 significant bits, or fewer below fp32's normal range (denormal quantum 2^-149)
      let shift = Math.max(len - 24, -149 - e);
      if (shift > 0) {
        const rem = a & ((1n << BigInt(shift)) - 1n);
        const half = 1n << BigInt(shift - 1);
        a >>= BigInt(shift);
        if (rem > half || (rem === half && (a & 1n) === 1n)) a += 1n;
      } else shift = 0;
      const v = Number(a) * 2 ** (e + shift);
      return neg ? -v : v;
    };
    const cases = fc.sample(fc.tuple(fc.float({ noNaN: true, noDefaultInfinity: true, min: Math.fround(-1e6), max: Math.fround(1e6) }), fc.float({ noNaN: true, noDefaultInfinity: true, min: Math.fround(-1e6), max: Math.fround(1e6) }), fc.float({ noNaN: true, noDefaultInfinity: true, min: Math.fround(-1e12), max: Math.fround(1e12) })), { numRuns: 16, seed: 42 });
    // Add a case where rounding a*b + c to binary64 first and then to fp32 is wrong.
    cases[0] = [Math.fround(1 + 2 ** -23), Math.fround(1 + 2 ** -23), Math.fround(-(2 ** -46) * 0)] as [number, number, number];
    cases[1] = [Math.fround(1 + 2 ** -12), Math.fround(1 + 2 ** -12), Math.fround(2 ** -60)] as [number, number, number];
    const [A, B, C] = [0, 1, 2].map((k) => cases.map((t) => Math.fround(t[k]!)));
    const core = await run(
      `${setFormats([0, 'fp32'])}\n        la a0, va\n        vld v1, 0(a0)\n        vld v2, 64(a0)\n        vld v3, 128(a0)\n        vfma v3, v1, v2, fmt0`,
      `        .p2align 6\nva: .word ${[...A!, ...B!, ...C!].map(f32bits).join(', ')}`,
    );
    const want = A!.map((a, i) => {
      const x = exact(a), y = exact(B![i]!), z = exact(C![i]!);
      const pe = x.e + y.e;
      const lo = Math.min(pe, z.e);
      const m = ((x.m * y.m) << BigInt(pe - lo)) + (z.m << BigInt(z.e - lo));
      return f32bits(roundF32(m, lo));
    });
    expect(lanes(core.getVreg(3), 4)).toEqual(want);
  });

  it('wraps integer lanes and compares them signed or unsigned by format', async () => {
    const core = await run(
      `${setFormats([2, 'int8'], [3, 'uint8'], [4, 'int16'])}\n        la a0, va\n        vld v1, 0(a0)\n        vld v2, 64(a0)\n        vadd v3, v1, v2, fmt2\n        vmax v4, v1, v2, fmt2\n        vmax v5, v1, v2, fmt3\n        vsra v6, v1, v2, fmt4\n        vsrl v7, v1, v2, fmt4\n        vmul v8, v1, v2, fmt2`,
      `        .p2align 6\nva: .byte ${iota(64, (i) => (i * 37) & 255).join(', ')}\n    .byte ${iota(64, (i) => (200 + i * 11) & 255).join(', ')}`,
    );
    const a = iota(64, (i) => (i * 37) & 255), b = iota(64, (i) => (200 + i * 11) & 255);
    const s8 = (x: number) => (x << 24) >> 24;
    expect(lanes(core.getVreg(3), 1)).toEqual(a.map((x, i) => (x + b[i]!) & 255));
    expect(lanes(core.getVreg(4), 1)).toEqual(a.map((x, i) => (s8(x) > s8(b[i]!) ? x : b[i]!)));
    expect(lanes(core.getVreg(5), 1)).toEqual(a.map((x, i) => Math.max(x, b[i]!)));
    expect(lanes(core.getVreg(8), 1)).toEqual(a.map((x, i) => Math.imul(x, b[i]!) & 255));
    const a16 = lanes(core.getVreg(1), 2), b16 = lanes(core.getVreg(2), 2);
    expect(lanes(core.getVreg(6), 2)).toEqual(a16.map((x, i) => (((x << 16) >> 16) >> (b16[i]! & 15)) & 0xffff));
    expect(lanes(core.getVreg(7), 2)).toEqual(a16.map((x, i) => x >>> (b16[i]! & 15)));
  });

  it('compares into lane masks and selects with them', async () => {
    const core = await run(
      `${setFormats([0, 'fp32'])}\n        la a0, va\n        vld v1, 0(a0)\n        vld v2, 64(a0)\n        vcmplt v3, v1, v2, fmt0\n        vmov v4, v3\n        vsel v4, v1, v2\n        vcmpeq v5, v1, v1, fmt0`,
      `        .p2align 6\nva: .fp32 ${iota(16, (i) => i - 8).join(', ')}\n    .fp32 ${iota(16, (i) => 4 - i).join(', ')}\n`,
    );
    const a = iota(16, (i) => i - 8), b = iota(16, (i) => 4 - i);
    expect(lanes(core.getVreg(3), 4)).toEqual(a.map((x, i) => (x < b[i]! ? 0xffffffff : 0)));
    expect(lanes(core.getVreg(4), 4)).toEqual(a.map((x, i) => f32bits(Math.min(x, b[i]!))));
    expect(lanes(core.getVreg(5), 4)).toEqual(iota(16, () => 0xffffffff));
  });

  it('reduces in lane order and applies unary operations', async () => {
    const v = iota(16, (i) => (i % 3 === 0 ? -1 : 1) * (i + 0.25));
    const core = await run(
      `${setFormats([0, 'fp32'])}\n        la a0, va\n        vld v1, 0(a0)\n        vredsum v2, v1, fmt0\n        vredmax v3, v1, fmt0\n        vredmin v4, v1, fmt0\n        vabs v5, v1, fmt0\n        vrelu v6, v1, fmt0\n        vneg v7, v1, fmt0\n        vexp v8, v1, fmt0\n        vrsqrt v9, v5, fmt0`,
      `        .p2align 6\nva: .fp32 ${v.join(', ')}`,
    );
    const rest = iota(15, () => 0);
    expect(lanes(core.getVreg(2), 4)).toEqual([f32bits(v.reduce((s, x) => s + x, 0)), ...rest]);
    expect(lanes(core.getVreg(3), 4)).toEqual([f32bits(Math.max(...v)), ...rest]);
    expect(lanes(core.getVreg(4), 4)).toEqual([f32bits(Math.min(...v)), ...rest]);
    expect(lanes(core.getVreg(5), 4)).toEqual(v.map((x) => f32bits(Math.abs(x))));
    expect(lanes(core.getVreg(6), 4)).toEqual(v.map((x) => f32bits(Math.max(x, 0))));
    expect(lanes(core.getVreg(7), 4)).toEqual(v.map((x) => f32bits(-x)));
    expect(lanes(core.getVreg(8), 4)).toEqual(v.map((x) => f32bits(Math.exp(x))));
    expect(lanes(core.getVreg(9), 4)).toEqual(v.map((x) => f32bits(1 / Math.sqrt(Math.abs(x)))));
  });
});

describe('flags and configurable formats', () => {
  it('raises sticky Overflow and Underflow converting fp32 to CFloat8, and clamps', async () => {
    const core = await run(
      `${setFormats([0, 'fp32'], [5, 'cfp8_143', 7])}\n        la a0, va\n        vld v1, 0(a0)\n        vcvt v2, v1, fmt5, fmt0, 0\n        csrr a1, vflags\n        csrw vflags, zero\n        csrr a2, vflags`,
      `        .p2align 6\nva: .fp32 1e10, 1e-10, 1.5, -3, ${iota(12, () => 1).join(', ')}`,
    );
    const out = lanes(core.getVreg(2), 1).slice(0, 4);
    expect(out).toEqual([encode({ format: 'cfp8_143', bias: 7 }, 1e10).bits, 0, encode({ format: 'cfp8_143', bias: 7 }, 1.5).bits, encode({ format: 'cfp8_143', bias: 7 }, -3).bits]);
    expect(decode({ format: 'cfp8_143', bias: 7 }, out[0]!)).toBe(480);
    expect(core.getReg(11)).toBe(4n | 8n);
    expect(core.getReg(12)).toBe(0n);
  });

  it('raises Invalid for 0/0 in fp16 and gives the canonical NaN', async () => {
    const core = await run(
      `${setFormats([1, 'fp16'])}\n        vxor v1, v1, v1\n        vdiv v2, v1, v1, fmt1\n        csrr a1, vflags`,
    );
    expect(lanes(core.getVreg(2), 2)).toEqual(iota(32, () => 0x7e00));
    expect(core.getReg(11) & 1n).toBe(1n);
  });
});

describe('conversions', () => {
  const data = `        .p2align 6\nva: .fp32 ${iota(16, (i) => (i - 7.3) * 0.37).join(', ')}`;
  const src = iota(16, (i) => Math.fround((i - 7.3) * 0.37));

  it('narrows fp32 to bf16 into the chosen half and widens back', async () => {
    const core = await run(
      `${setFormats([0, 'fp32'], [1, 'bf16'])}\n        la a0, va\n        vld v1, 0(a0)\n        vxor v2, v2, v2\n        vcvt v2, v1, fmt1, fmt0, 1\n        vcvt v3, v2, fmt0, fmt1, 1\n        vcvt v4, v2, fmt0, fmt1, 0`,
      data,
    );
    const bf = src.map((x) => encode({ format: 'bf16' }, x).bits);
    expect(lanes(core.getVreg(2), 2)).toEqual([...iota(16, () => 0), ...bf]);
    expect(lanes(core.getVreg(3), 4)).toEqual(bf.map((b) => b << 16 >>> 0));
    expect(lanes(core.getVreg(4), 4)).toEqual(iota(16, () => 0));
  });

  it('stochastic rounding draws vsrstate in lane order: same seed, same bits', async () => {
    const body = `${setFormats([0, 'fp32'], [5, 'cfp8_152', 15])}\n        li t1, 12345\n        csrw vsrstate, t1\n        la a0, va\n        vld v1, 0(a0)\n        vcvt.sr v2, v1, fmt5, fmt0, 2\n        csrr a1, vsrstate`;
    const core = await run(body, data);
    const g = new SrGenerator(12345n);
    const want = src.map((x) => encode({ format: 'cfp8_152', bias: 15 }, x, 'sr', g.next()).bits);
    expect(lanes(core.getVreg(2), 1).slice(32, 48)).toEqual(want);
    expect(BigInt.asUintN(64, core.getReg(11))).toBe(g.state);
    const again = await run(body, data);
    expect(again.getVreg(2)).toEqual(core.getVreg(2));
  });

  it('faults on a part beyond the wider side, naming the entry', async () => {
    const o = await fault(`${setFormats([0, 'fp32'], [1, 'bf16'])}\n        vcvt v2, v1, fmt1, fmt0, 2`);
    expect(o).toMatchObject({ kind: 'fault', cause: 'format' });
  });
});

describe('moves, permutes and transposes', () => {
  it('broadcasts, inserts and extracts lanes', async () => {
    const core = await run(`${setFormats([2, 'int16'], [3, 'uint16'])}\n        li a0, -5\n        vbcast v1, a0, fmt2\n        li a1, 7\n        li a2, 1234\n        vins v1, a2, a1, fmt2\n        vext a3, v1, zero, fmt2\n        vext a4, v1, zero, fmt3\n        vext a5, v1, a1, fmt2\n        vbcastl v2, v1, a1, fmt2`);
    expect(lanes(core.getVreg(1), 2)).toEqual(iota(32, (i) => (i === 7 ? 1234 : 0xfffb)));
    expect(core.getReg(13)).toBe(BigInt.asUintN(64, -5n));
    expect(core.getReg(14)).toBe(0xfffbn);
    expect(core.getReg(15)).toBe(1234n);
    expect(lanes(core.getVreg(2), 2)).toEqual(iota(32, () => 1234));
  });

  it('permutes by an index vector and by an xor pattern, even in place', async () => {
    const core = await run(
      `${setFormats([0, 'uint32'])}\n        la a0, va\n        vld v1, 0(a0)\n        vld v2, 64(a0)\n        vperm v3, v1, v2, fmt0\n        vmov v4, v1\n        vshuf v4, v4, 5, fmt0`,
      `        .p2align 6\nva: .word ${iota(16, (i) => 100 + i).join(', ')}\n    .word ${iota(16, (i) => (i * 7 + 3) % 16 + 16 * (i % 2)).join(', ')}`,
    );
    expect(lanes(core.getVreg(3), 4)).toEqual(iota(16, (i) => 100 + ((i * 7 + 3) % 16)));
    expect(lanes(core.getVreg(4), 4)).toEqual(iota(16, (i) => 100 + (i ^ 5)));
  });

  it.each([8, 16, 32, 4])('vtrn.%i transposes a register group', async (esz: number) => {
    const r = 64 / esz;
    const base = 32 - r; // source group v(32-r).., destination v0..
    const init = iota(r, (k) => `        la a0, va\n        vld v${base + k}, ${k * 64}(a0)`).join('\n');
    const bytes = iota(r * 64, (i) => (i * 13 + 7) & 255);
    const core = await run(`${init}\n        vtrn.${esz} v0, v${base}`, `        .p2align 6\nva: .byte ${bytes.join(', ')}`);
    for (let row = 0; row < r; row++) {
      const out = core.getVreg(row);
      for (let col = 0; col < r; col++) {
        // output register `row`, element `col` = input register `col`, element `row`
        expect(Array.from(out.subarray(col * esz, col * esz + esz))).toEqual(bytes.slice(col * 64 + row * esz, col * 64 + row * esz + esz));
      }
    }
  });

  it('faults when a vtrn group is not aligned', async () => {
    expect(await fault('        vtrn.8 v1, v8')).toMatchObject({ kind: 'fault', cause: 'format' });
  });
});

describe('memory', () => {
  it('loads strided lanes, gathers by index and stores strided', async () => {
    const core = await run(
      `${setFormats([1, 'int16'])}\n        la a0, va\n        li a1, 6\n        vlds v1, a0, a1, fmt1\n        la a2, idx\n        vld v2, 0(a2)\n        vgather v3, a0, v2, fmt1\n        la a3, buf\n        li a4, 4\n        vsts v1, a3, a4, fmt1\n        vld v4, 0(a3)\n        vld v5, 64(a3)`,
      `        .p2align 6\nva: .half ${iota(128, (i) => i * 3).join(', ')}\n        .p2align 6\nidx: .half ${iota(32, (i) => (i * 5) % 128).join(', ')}`,
    );
    expect(lanes(core.getVreg(1), 2)).toEqual(iota(32, (i) => i * 3 * 3));
    expect(lanes(core.getVreg(3), 2)).toEqual(iota(32, (i) => ((i * 5) % 128) * 3));
    const stored = [...lanes(core.getVreg(4), 2), ...lanes(core.getVreg(5), 2)];
    expect(stored.filter((_, i) => i % 2 === 0)).toEqual(iota(32, (i) => i * 9));
    expect(stored.filter((_, i) => i % 2 === 1)).toEqual(iota(32, () => 0));
  });

  it('vldt reads a tile row with implicit zero padding outside the tensor', async () => {
    // a 5 x 20 tensor of fp32 (row stride 80 bytes); read rows -1, 2 and 5 starting at column 10
    const core = await run(
      `        la t0, tensor\n        csrw vtbase, t0\n        li t0, 5\n        csrw vtrows, t0\n        li t0, 20\n        csrw vtcols, t0\n        li t0, 80\n        csrw vtstride, t0\n        li a0, 2\n        li a1, 10\n        vldt v1, a0, a1, fmt0\n        li a0, -1\n        vldt v2, a0, a1, fmt0\n        li a0, 2\n        li a1, -3\n        vldt v3, a0, a1, fmt0`,
      `        .p2align 6\ntensor: .word ${iota(100, (i) => 1000 + i).join(', ')}`,
    );
    expect(lanes(core.getVreg(1), 4)).toEqual(iota(16, (i) => (10 + i < 20 ? 1000 + 2 * 20 + 10 + i : 0)));
    expect(lanes(core.getVreg(2), 4)).toEqual(iota(16, () => 0));
    expect(lanes(core.getVreg(3), 4)).toEqual(iota(16, (i) => (i - 3 >= 0 ? 1000 + 40 + i - 3 : 0)));
  });

  it('faults on a misaligned vector load and on an access outside SRAM', async () => {
    expect(await fault('        la a0, buf\n        vld v1, 4(a0)')).toMatchObject({ kind: 'fault', cause: 'misaligned' });
    expect(await fault('        li a0, 0x140000\n        vst v1, 0(a0)')).toMatchObject({ kind: 'fault', cause: 'store' });
  });

  it('a vector store over code is seen by the next fetch', async () => {
    // Overwrite the 16 words at `patch` (which would fault) with copies of the nops before them.
    const core = await run(`        la a0, nops\n        vld v1, 0(a0)\n        la a0, patch\n        vst v1, 0(a0)\n        j patch\n        .p2align 6\nnops:   .rept 16\n        addi a5, a5, 1\n        .endr\npatch:  .rept 16\n        .word 0\n        .endr`);
    expect(core.getReg(15)).toBe(16n);
  });
});

describe('matrix units', () => {
  it('mma accumulates bf16 8x4 by 4x8 products into fp32, and mget/mset/mzero move rows', async () => {
    const A = iota(32, (i) => ((i * 7) % 11) / 4 - 1);
    const B = iota(32, (i) => ((i * 5) % 13) / 8 - 0.5);
    const core = await run(
      `${setFormats([1, 'bf16'])}\n        la a0, va\n        vld v1, 0(a0)\n        vld v2, 64(a0)\n        mzero m2\n        mma m2, v1, v2, fmt1\n        mma m2, v1, v2, fmt1\n        mget v3, m2, 1\n        mset m0, v3, 3\n        mget v4, m0, 3`,
      `        .p2align 6\nva: .bf16 ${A.join(', ')}\n    .bf16 ${B.join(', ')}`,
    );
    const acc = core.getAccumulator(2);
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        let once = 0;
        for (let k = 0; k < 4; k++) once += A[i * 4 + k]! * B[k * 8 + j]!;
        expect(acc[i * 8 + j]).toBe(Math.fround(Math.fround(once) + once));
      }
    }
    expect(lanes(core.getVreg(3), 4)).toEqual(Array.from(acc.slice(16, 32), f32bits));
    expect(core.getVreg(4)).toEqual(core.getVreg(3));
    expect(f32(lanes(core.getVreg(3), 4)[0]!)).toBe(acc[16]);
  });

  it('refuses fp32 inputs with a format fault', async () => {
    expect(await fault(`${setFormats([0, 'fp32'])}\n        mma m0, v1, v2, fmt0`)).toMatchObject({ kind: 'fault', cause: 'format' });
  });
});

describe('format faults', () => {
  it('an entry naming no format, and integer-only or float-only operations on the wrong kind', async () => {
    expect(await fault('        li t0, 200\n        csrw fmt3, t0\n        vadd v1, v2, v3, fmt3')).toMatchObject({ kind: 'fault', cause: 'format', word: 3 | (200 << 8) | (1 << 16) });
    expect(await fault(`${setFormats([0, 'fp32'])}\n        vsll v1, v2, v3, fmt0`)).toMatchObject({ kind: 'fault', cause: 'format', word: 0 | (0 << 8) | (3 << 16) });
    expect(await fault(`${setFormats([4, 'int8'])}\n        vexp v1, v2, fmt4`)).toMatchObject({ kind: 'fault', cause: 'format', word: 4 | (ID('int8') << 8) | (2 << 16) });
  });
});

describe('the remaining lane operations', () => {
  it('vand, vor, vmin, vcmple, vsll on integer lanes', async () => {
    const a = iota(16, (i) => (i * 2654435761) >>> 0);
    const b = iota(16, (i) => ((i + 7) * 40503) >>> 0);
    const core = await run(
      `${setFormats([2, 'int32'], [3, 'uint32'])}\n        la a0, va\n        vld v1, 0(a0)\n        vld v2, 64(a0)\n        vand v3, v1, v2\n        vor v4, v1, v2\n        vmin v5, v1, v2, fmt2\n        vmin v6, v1, v2, fmt3\n        vcmple v7, v1, v2, fmt2\n        vsll v8, v1, v2, fmt3`,
      `        .p2align 6\nva: .word ${a.join(', ')}\n    .word ${b.join(', ')}`,
    );
    const s32 = (x: number) => x | 0;
    expect(lanes(core.getVreg(3), 4)).toEqual(a.map((x, i) => (x & b[i]!) >>> 0));
    expect(lanes(core.getVreg(4), 4)).toEqual(a.map((x, i) => (x | b[i]!) >>> 0));
    expect(lanes(core.getVreg(5), 4)).toEqual(a.map((x, i) => (s32(x) < s32(b[i]!) ? x : b[i]!)));
    expect(lanes(core.getVreg(6), 4)).toEqual(a.map((x, i) => Math.min(x, b[i]!)));
    expect(lanes(core.getVreg(7), 4)).toEqual(a.map((x, i) => (s32(x) <= s32(b[i]!) ? 0xffffffff : 0)));
    expect(lanes(core.getVreg(8), 4)).toEqual(a.map((x, i) => (x << (b[i]! & 31)) >>> 0));
  });
});

describe('whole-register paths against lane-by-lane references', () => {
  // The core adds, subtracts and multiplies integer lanes a register at a time, shifts them in one loop per
  // lane width, converts integers to integers without going through binary64, and does mma two binary64
  // lanes at a time: each against the definition lane by lane (docs/machine.md, "Arithmetic",
  // "Conversions", "Matrix units") on random lanes of every integer format and every matrix format.
  const INT_FORMATS = ['int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32'] as const;
  const rand = (seed: number) => {
    let s = seed >>> 0;
    return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0), s);
  };
  const bytesOf = (words: number[]) => new Uint8Array(new Uint32Array(words).buffer);
  /** Lane i of a register as a signed or unsigned integer (BigInt). */
  const laneOf = (reg: Uint8Array, i: number, bytes: number, signed: boolean) => {
    let v = 0n;
    for (let k = bytes - 1; k >= 0; k--) v = (v << 8n) | BigInt(reg[i * bytes + k]!);
    return signed ? BigInt.asIntN(bytes * 8, v) : v;
  };

  it('vadd, vsub, vmul, vsll, vsrl, vsra on every integer format wrap and shift as one lane at a time', async () => {
    for (const [n, name] of INT_FORMATS.entries()) {
      const next = rand(1234 + n);
      const a = iota(16, () => next()), b = iota(16, () => (next() % 3 === 0 ? next() % 40 : next()));
      const ops = ['vadd', 'vsub', 'vmul', 'vsll', 'vsrl', 'vsra'] as const;
      const core = await run(
        `${setFormats([5, name])}\n        la a0, va\n        vld v1, 0(a0)\n        vld v2, 64(a0)\n${ops.map((op, k) => `        ${op} v${10 + k}, v1, v2, fmt5`).join('\n')}\n        vadd v1, v1, v1, fmt5`,
        `        .p2align 6\nva: .word ${a.join(', ')}\n    .word ${b.join(', ')}`,
      );
      const f = FORMAT_BY_NAME.get(name)!;
      const bits = BigInt(f.bytes * 8);
      const A = bytesOf(a), B = bytesOf(b);
      ops.forEach((op, k) => {
        const want = iota(64 / f.bytes, (i) => {
          const x = laneOf(A, i, f.bytes, !!f.signed), y = laneOf(B, i, f.bytes, !!f.signed);
          const s = BigInt.asUintN(Number(bits), y) & (bits - 1n);
          const r = op === 'vadd' ? x + y : op === 'vsub' ? x - y : op === 'vmul' ? x * y : op === 'vsll' ? x << s : op === 'vsrl' ? BigInt.asUintN(Number(bits), x) >> s : x >> s;
          return BigInt.asUintN(Number(bits), r);
        });
        const got = core.getVreg(10 + k);
        expect(iota(64 / f.bytes, (i) => laneOf(got, i, f.bytes, false)), `${op} ${name}`).toEqual(want);
      });
      // in place (vd = vs1 = vs2)
      expect(iota(64 / f.bytes, (i) => laneOf(core.getVreg(1), i, f.bytes, false)), `vadd in place ${name}`).toEqual(iota(64 / f.bytes, (i) => BigInt.asUintN(Number(bits), 2n * laneOf(A, i, f.bytes, !!f.signed))));
    }
  });

  it('vsll, vsrl, vsra by one count in every lane (a register at a time) shift as one lane at a time', async () => {
    for (const [n, name] of INT_FORMATS.entries()) {
      const next = rand(77 + n);
      const f = FORMAT_BY_NAME.get(name)!;
      const bits = BigInt(f.bytes * 8);
      const a = iota(16, () => next());
      const count = next() % 40; // (past the lane width too: its low bits count)
      const c = bytesOf(iota(16, () => 0));
      for (let i = 0; i < 64; i += f.bytes) for (let k = 0; k < f.bytes; k++) c[i + k] = Number((BigInt(count) >> BigInt(8 * k)) & 0xffn);
      const ops = ['vsll', 'vsrl', 'vsra'] as const;
      const core = await run(
        // the last one in place: vd is the register of counts
        `${setFormats([5, name])}\n        la a0, va\n        vld v1, 0(a0)\n        vld v2, 64(a0)\n${ops.map((op, k) => `        ${op} v${10 + k}, v1, v2, fmt5`).join('\n')}\n        vsra v2, v1, v2, fmt5`,
        `        .p2align 6\nva: .word ${a.join(', ')}\n    .word ${[...new Uint32Array(c.buffer)].join(', ')}`,
      );
      const A = bytesOf(a);
      const s = BigInt(count) & (bits - 1n);
      ops.forEach((op, k) => {
        const want = iota(64 / f.bytes, (i) => {
          const x = laneOf(A, i, f.bytes, !!f.signed);
          return BigInt.asUintN(Number(bits), op === 'vsll' ? x << s : op === 'vsrl' ? BigInt.asUintN(Number(bits), x) >> s : x >> s);
        });
        expect(iota(64 / f.bytes, (i) => laneOf(core.getVreg(10 + k), i, f.bytes, false)), `${op} ${name} by ${count}`).toEqual(want);
      });
      expect(core.getVreg(2), `vsra in place ${name}`).toEqual(core.getVreg(12));
    }
  });

  it('vcvt and vcvt.sr between integer formats saturate (raising Invalid) and take their draws', async () => {
    for (const [d, dst] of INT_FORMATS.entries()) {
      for (const [s, src] of INT_FORMATS.entries()) {
        const next = rand(99 + 8 * d + s);
        const a = iota(16, () => next());
        const df = FORMAT_BY_NAME.get(dst)!, sf = FORMAT_BY_NAME.get(src)!;
        const wide = Math.max(df.bytes, sf.bytes), narrow = Math.min(df.bytes, sf.bytes);
        const part = (d + s) % (wide / narrow);
        const core = await run(
          `${setFormats([6, dst], [7, src])}\n        li t0, 77\n        csrw vsrstate, t0\n        la a0, va\n        vld v1, 0(a0)\n        vld v2, 64(a0)\n        vcvt v2, v1, fmt6, fmt7, ${part}\n        vmov v3, v1\n        vcvt.sr v3, v1, fmt6, fmt7, ${part}\n        csrr a1, vflags\n        csrr a2, vsrstate`,
          `        .p2align 6\nva: .word ${a.join(', ')}\n    .word ${iota(16, () => next()).join(', ')}`,
        );
        const n = 64 / wide;
        const s0 = sf.bytes < df.bytes ? part * n : 0, d0 = df.bytes < sf.bytes ? part * n : 0;
        const A = bytesOf(a);
        const lo = df.signed ? -(1n << BigInt(df.bytes * 8 - 1)) : 0n, hi = df.signed ? (1n << BigInt(df.bytes * 8 - 1)) - 1n : (1n << BigInt(df.bytes * 8)) - 1n;
        let invalid = false;
        for (const v of [2, 3]) {
          const got = core.getVreg(v);
          for (let i = 0; i < n; i++) {
            const x = laneOf(A, s0 + i, sf.bytes, !!sf.signed);
            if (x < lo || x > hi) invalid = true;
            const want = BigInt.asUintN(df.bytes * 8, x < lo ? lo : x > hi ? hi : x);
            expect(laneOf(got, d0 + i, df.bytes, false), `${dst} <- ${src} part ${part} lane ${i}`).toBe(want);
          }
        }
        expect(core.getReg(11) & 1n, `Invalid ${dst} <- ${src}`).toBe(invalid ? 1n : 0n);
        expect(core.getReg(12), 'one draw a lane').toBe(BigInt.asUintN(64, 77n + BigInt(n) * 0x9e3779b97f4a7c15n));
      }
    }
  });

  it('mma of random bf16, fp16 and CFloat8 lanes (infinities and NaNs among them) is the binary64 sum in k order, rounded once', async () => {
    for (const [name, bias, bytes] of [['bf16', 0, 2], ['fp16', 0, 2], ['cfp8_143', 7, 1], ['cfp8_152', 11, 1]] as const) {
      const next = rand(555 + bytes + bias);
      const raw = iota(64 * 2, () => next() & 0xff);
      if (name === 'bf16') raw[5] = 0x80; // a +Inf lane (0x7f80) next to finite ones
      const accIn = iota(64, (i) => (i % 9 === 0 ? 0 : ((next() % 2001) - 1000) / 64));
      const core = await run(
        `${setFormats([8, name, bias])}\n        la a0, va\n        vld v1, 0(a0)\n        vld v2, 64(a0)\n${iota(4, (p) => `        vld v${4 + p}, ${128 + 64 * p}(a0)\n        mset m3, v${4 + p}, ${p}`).join('\n')}\n        mma m3, v1, v2, fmt8\n        mma m3, v2, v1, fmt8`,
        `        .p2align 6\nva: .byte ${raw.join(', ')}\n    .float ${accIn.join(', ')}`,
      );
      const value = (bits: number) => decode({ format: name, bias }, bits);
      const lanesOf = (off: number) => iota(32, (i) => value(bytes === 2 ? raw[off + 2 * i]! | (raw[off + 2 * i + 1]! << 8) : raw[off + i]!));
      const A = lanesOf(0), B = lanesOf(64);
      const acc = accIn.map((x) => Math.fround(x));
      for (const [a, b] of [[A, B], [B, A]]) {
        for (let i = 0; i < 8; i++) {
          for (let j = 0; j < 8; j++) {
            let s = acc[i * 8 + j]!;
            for (let k = 0; k < 4; k++) s += a![i * 4 + k]! * b![k * 8 + j]!;
            acc[i * 8 + j] = Math.fround(s);
          }
        }
      }
      const got = Array.from(core.getAccumulator(3));
      expect(got.map((x) => (Number.isNaN(x) ? 'NaN' : x)), name).toEqual(acc.map((x) => (Number.isNaN(x) ? 'NaN' : x)));
    }
  });
});
