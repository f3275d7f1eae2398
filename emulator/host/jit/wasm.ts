// A small writer of WebAssembly binaries (the WebAssembly core specification, chapter 5 "Binary
// format"): LEB128 numbers, a function body's instructions, and a module of imports and one exported
// function. The block compiler (translate.ts) writes its blocks with it.

/** Opcodes the block compiler uses (spec 5.4). */
export const OP = {
  block: 0x02, loop: 0x03, br_table: 0x0e, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, call: 0x10, drop: 0x1a, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22, global_get: 0x23, global_set: 0x24,
  i32_load: 0x28, i32_load8_u: 0x2d, i64_load: 0x29, f64_load: 0x2b,
  i64_load8_s: 0x30, i64_load8_u: 0x31, i64_load16_s: 0x32, i64_load16_u: 0x33, i64_load32_s: 0x34, i64_load32_u: 0x35,
  i64_store: 0x37, f64_store: 0x39, i32_store16: 0x3b, i64_store8: 0x3c, i64_store16: 0x3d, i64_store32: 0x3e,
  i32_const: 0x41, i64_const: 0x42,
  i32_eqz: 0x45, i32_eq: 0x46, i32_gt_u: 0x4b, i32_le_u: 0x4d, i32_ge_u: 0x4f, i32_and: 0x71, i32_or: 0x72, i32_xor: 0x73, unreachable: 0x00, i32_add: 0x6a, i32_shl: 0x74, i32_shr_s: 0x75, i32_shr_u: 0x76, i32_mul: 0x6c,
  i64_eqz: 0x50, i64_eq: 0x51, i64_ne: 0x52, i64_lt_s: 0x53, i64_lt_u: 0x54, i64_gt_s: 0x55, i64_gt_u: 0x56,
  i64_le_s: 0x57, i64_le_u: 0x58, i64_ge_s: 0x59, i64_ge_u: 0x5a,
  i64_add: 0x7c, i64_sub: 0x7d, i64_mul: 0x7e, i64_div_s: 0x7f, i64_div_u: 0x80, i64_rem_s: 0x81, i64_rem_u: 0x82,
  i64_and: 0x83, i64_or: 0x84, i64_xor: 0x85, i64_shl: 0x86, i64_shr_s: 0x87, i64_shr_u: 0x88,
  i32_wrap_i64: 0xa7, i64_extend_i32_s: 0xac, i64_extend_i32_u: 0xad, f64_add: 0xa0, f64_convert_i64_u: 0xba,
  i64_extend32_s: 0xc4,
} as const;

const F64_CONST = 0x44;

/** SIMD instructions (spec 5.4.8): the prefix and the sub-opcodes used. */
export const SIMD = 0xfd;
export const V128_LOAD = 0x00, V128_STORE = 0x0b, V128_CONST = 0x0c;

export const I32 = 0x7f;
export const I64 = 0x7e;
export const V128 = 0x7b;
export const VOID = 0x40;

export function uleb(out: number[], v: number): void {
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}

/** Signed LEB128 of a 32-bit integer (a Number: no BigInt arithmetic, which is slow). */
function sleb32(out: number[], v: number): void {
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

export function sleb(out: number[], v: bigint): void {
  if (v >= -0x80000000n && v <= 0x7fffffffn) {
    sleb32(out, Number(v));
    return;
  }
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** A function body under construction: its instructions, and how deep in blocks it is (for branches). */
export class Body {
  readonly code: number[] = [];
  depth = 0;

  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  i32(v: number): this {
    this.code.push(OP.i32_const);
    sleb32(this.code, v | 0);
    return this;
  }
  i64(v: bigint): this {
    this.code.push(OP.i64_const);
    sleb(this.code, BigInt.asIntN(64, v));
    return this;
  }
  f64(v: number): this {
    this.code.push(F64_CONST, ...new Uint8Array(new Float64Array([v]).buffer));
    return this;
  }
  get(local: number): this {
    this.code.push(OP.local_get);
    uleb(this.code, local);
    return this;
  }
  set(local: number): this {
    this.code.push(OP.local_set);
    uleb(this.code, local);
    return this;
  }
  tee(local: number): this {
    this.code.push(OP.local_tee);
    uleb(this.code, local);
    return this;
  }
  gget(global: number): this {
    this.code.push(OP.global_get);
    uleb(this.code, global);
    return this;
  }
  gset(global: number): this {
    this.code.push(OP.global_set);
    uleb(this.code, global);
    return this;
  }
  /** A load or store with its memory argument (alignment hint 0: guest accesses may be misaligned). */
  mem(opcode: number, offset: number): this {
    this.code.push(opcode, 0);
    uleb(this.code, offset);
    return this;
  }
  /** A SIMD load or store (prefix 0xfd, then `sub`) with its memory argument. */
  simd(sub: number, offset: number): this {
    this.code.push(SIMD);
    uleb(this.code, sub);
    this.code.push(0);
    uleb(this.code, offset);
    return this;
  }
  /** A v128 of zeros. */
  zero128(): this {
    this.code.push(SIMD, V128_CONST, ...Array<number>(16).fill(0));
    return this;
  }
  /** Open a block, loop or if with a result type (or VOID); `end` closes it. */
  open(opcode: number, type: number = VOID): this {
    this.code.push(opcode, type);
    this.depth++;
    return this;
  }
  end(): this {
    this.code.push(OP.end);
    this.depth--;
    return this;
  }
  /** Branch to the construct opened when the depth was `target` (its label). */
  br(target: number, opcode: number = OP.br): this {
    this.code.push(opcode);
    uleb(this.code, this.depth - 1 - target);
    return this;
  }
}

export interface Imports {
  memory: { maximum: number; shared: boolean };
  /** Mutable globals, by name and type (module "core"). */
  globals: { name: string; type: number }[];
  /** Functions, by name, with their parameter and result types (module "core"). */
  functions: { name: string; params: number[]; results: number[] }[];
}

/** A module with the given imports and one exported function "f" (the first of `funcs`; the others
 * are helpers it may call, numbered after the imported functions). */
export function module(imports: Imports, funcs: { params: number[]; results: number[]; locals: number[]; body: number[] }[]): Uint8Array<ArrayBuffer> {
  // Pieces, joined once at the end: a function body is copied once, however large.
  const parts: (number[] | Uint8Array)[] = [[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]];
  const length = (p: (number[] | Uint8Array)[]) => p.reduce((n, x) => n + x.length, 0);
  const section = (id: number, content: (number[] | Uint8Array)[]) => {
    const head = [id];
    uleb(head, length(content));
    parts.push(head, ...content);
  };
  const vec = (items: number[][]) => {
    const v: number[] = [];
    uleb(v, items.length);
    for (const i of items) v.push(...i);
    return v;
  };
  const name = (s: string) => {
    const b = [...new TextEncoder().encode(s)];
    const v: number[] = [];
    uleb(v, b.length);
    return [...v, ...b];
  };
  const types = [...imports.functions, ...funcs].map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))]);
  section(1, [vec(types)]);
  const imp: number[][] = [];
  const mem: number[] = [...name('env'), ...name('memory'), 0x02, imports.memory.shared ? 0x03 : 0x01, 0x00];
  uleb(mem, imports.memory.maximum);
  imp.push(mem);
  for (const g of imports.globals) imp.push([...name('core'), ...name(g.name), 0x03, g.type, 0x01]);
  imports.functions.forEach((f, k) => {
    const e = [...name('core'), ...name(f.name), 0x00];
    uleb(e, k);
    imp.push(e);
  });
  section(2, [vec(imp)]);
  section(3, [vec(funcs.map((_, k) => {
    const v: number[] = [];
    uleb(v, imports.functions.length + k);
    return v;
  }))]);
  const exp = [...name('f'), 0x00];
  uleb(exp, imports.functions.length);
  section(7, [vec([exp])]);
  const code: (number[] | Uint8Array)[] = [];
  const count: number[] = [];
  uleb(count, funcs.length);
  code.push(count);
  for (const f of funcs) {
    const runs: number[][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]!++;
      else runs.push([1, t]);
    }
    const locals = vec(runs.map(([n, t]) => {
      const v: number[] = [];
      uleb(v, n!);
      return [...v, t!];
    }));
    const body = Uint8Array.from(f.body);
    const size: number[] = [];
    uleb(size, locals.length + body.length + 1);
    code.push(size, locals, body, [OP.end]);
  }
  section(10, code);
  const out = new Uint8Array(length(parts));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
