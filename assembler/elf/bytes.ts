// Little-endian byte building and reading for ELF and DWARF, with LEB128 (DWARF 5, 7.6).

export class ByteWriter {
  private buf: Uint8Array;
  length = 0;

  /** `capacity`: bytes expected (it grows past them). */
  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(v: number): this {
    if (this.length === this.buf.length) this.room(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(Math.floor(v / 0x10000) & 0xffff);
  }
  u64(v: bigint | number): this {
    if (typeof v === 'number' && v >= 0 && v <= Number.MAX_SAFE_INTEGER) return this.u32(v % 0x100000000).u32(Math.floor(v / 0x100000000));
    const b = BigInt.asUintN(64, BigInt(v));
    return this.u32(Number(b & 0xffffffffn)).u32(Number(b >> 32n));
  }
  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  cstring(s: string): this {
    if (!/^[\x01-\x7f]*$/.test(s)) return this.bytes(new TextEncoder().encode(s)).u8(0);
    this.room(s.length + 1); // ASCII (most names): a byte a character, without an encoder
    for (let k = 0; k < s.length; k++) this.buf[this.length++] = s.charCodeAt(k);
    this.buf[this.length++] = 0;
    return this;
  }
  uleb(v: number | bigint): this {
    if (typeof v === 'number' && v >= 0 && v < 0x80) return this.u8(v); // the common case, without BigInt
    let x = BigInt(v);
    if (x < 0n) throw new RangeError(`unsigned LEB128 of a negative number (${x})`);
    do {
      const byte = Number(x & 0x7fn);
      x >>= 7n;
      this.u8(x !== 0n ? byte | 0x80 : byte);
    } while (x !== 0n);
    return this;
  }
  sleb(v: number | bigint): this {
    if (typeof v === 'number' && v >= -64 && v < 64) return this.u8(v & 0x7f);
    let x = BigInt(v);
    for (;;) {
      const byte = Number(x & 0x7fn);
      x >>= 7n;
      const done = (x === 0n && (byte & 0x40) === 0) || (x === -1n && (byte & 0x40) !== 0);
      this.u8(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }
  zeros(n: number): this {
    this.room(n);
    this.length += n;
    return this;
  }
  align(a: number): this {
    return this.zeros((a - (this.length % a)) % a);
  }
  /** Overwrite a u32 at an earlier position. */
  patch32(at: number, v: number): void {
    new DataView(this.buf.buffer).setUint32(at, v, true);
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Bounds-checked reader; every read past the end throws a RangeError naming what was being read. */
export class ByteReader {
  private readonly dv: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
    readonly end = bytes.length,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number, what: string): void {
    if (this.pos < 0 || this.pos + n > this.end) throw new RangeError(`${what} runs past the end of the data`);
  }
  u8(what = 'byte'): number {
    this.need(1, what);
    return this.dv.getUint8(this.pos++);
  }
  i8(what = 'byte'): number {
    this.need(1, what);
    return this.dv.getInt8(this.pos++);
  }
  u16(what = 'half-word'): number {
    this.need(2, what);
    const v = this.dv.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(what = 'word'): number {
    this.need(4, what);
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(what = 'double-word'): bigint {
    this.need(8, what);
    const v = this.dv.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
  uleb(what = 'LEB128 number'): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.u8(what);
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) return result;
      if (shift > 70n) throw new RangeError(`${what} is too long`);
    }
  }
  sleb(what = 'LEB128 number'): bigint {
    let result = 0n;
    let shift = 0n;
    let b: number;
    do {
      b = this.u8(what);
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (shift > 70n) throw new RangeError(`${what} is too long`);
    } while (b & 0x80);
    if (b & 0x40) result -= 1n << shift;
    return result;
  }
  cstring(what = 'string'): string {
    const start = this.pos;
    while (this.pos < this.end && this.bytes[this.pos] !== 0) this.pos++;
    if (this.pos >= this.end) throw new RangeError(`${what} is not terminated`);
    const s = new TextDecoder().decode(this.bytes.subarray(start, this.pos));
    this.pos++;
    return s;
  }
  skip(n: number, what = 'data'): void {
    this.need(n, what);
    this.pos += n;
  }
}

/** NUL-terminated string at an offset of a string table. */
export function stringAt(table: Uint8Array, offset: number): string {
  if (offset < 0 || offset >= table.length) return '';
  let end = offset;
  while (end < table.length && table[end] !== 0) end++;
  return new TextDecoder().decode(table.subarray(offset, end));
}
