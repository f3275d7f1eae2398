// ELF64 writer and reader: round trips, acceptance by GNU binutils (readelf, objdump's DWARF decoder),
// reading GNU-built executables with their line tables, and clear errors for malformed files.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../assembler/index.js';
import { readElf } from '../../../assembler/elf/read.js';
import { writeElf } from '../../../assembler/elf/write.js';
import type { Image } from '../../../assembler/image.js';
import { d1, missing, PROGRAMS, sh, tempDir } from '../../helpers/tools.js';

function build(file: string): Image {
  const { image, diagnostics } = assemble([{ path: join(PROGRAMS, file) }]);
  expect(diagnostics).toEqual([]);
  return image!;
}

function read(bytes: Uint8Array): Image {
  const r = readElf(bytes, 'x.elf');
  if ('diagnostics' in r) throw new Error(r.diagnostics[0]!.message);
  return r.image;
}

function error(bytes: Uint8Array): string {
  const r = readElf(bytes, 'x.elf');
  if ('image' in r) throw new Error('expected an error');
  return r.diagnostics[0]!.message;
}

describe('ELF round trip', () => {
  for (const p of ['hello.dasm', 'sort.dasm', 'crc32.dasm']) {
    it(`${p}: reading back what was written gives the same program`, () => {
      const image = build(p);
      const back = read(writeElf(image));
      expect(back.entry).toBe(image.entry);
      expect(back.segments).toEqual(image.segments);
      const strip = (i: Image) => i.symbols.map((s) => `${s.name}=${s.value}:${s.type}:${s.global}:${s.size}`).sort();
      expect(strip(back)).toEqual(strip(image));
      const text = image.sections.find((s) => s.name === '.text')!;
      const inText = image.lines.filter((l) => l.addr >= text.addr && l.addr < text.addr + BigInt(text.size));
      expect(back.lines.map((l) => `${l.addr}:${l.line}:${l.file.split('/').pop()}`)).toEqual(inText.map((l) => `${l.addr}:${l.line}:${l.file.split('/').pop()}`));
      expect(back.sections.map((s) => [s.name, s.addr, s.size])).toEqual(image.sections.map((s) => [s.name, s.addr, s.size]));
    });
  }
  it('is deterministic', () => expect(writeElf(build('fib.dasm'))).toEqual(writeElf(build('fib.dasm'))));
});

const gnu = missing('gnuAs');
describe.skipIf(gnu !== '')(`GNU binutils read our ELF${gnu}`, () => {
  it('readelf -a finds nothing to complain about, objdump decodes our line table and shows source', () => {
    const dir = tempDir();
    const elf = join(dir, 'fib.elf');
    writeFileSync(elf, writeElf(build('fib.dasm')));
    const r = sh('riscv64-unknown-elf-readelf', ['-a', '-W', elf]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('RISC-V');
    expect(r.stdout).toMatch(/_start/);
    const lines = sh('riscv64-unknown-elf-objdump', ['--dwarf=decodedline', elf]);
    expect(lines.stdout).toMatch(/fib\.dasm\s+\d+\s+0x1140/);
    const src = sh('riscv64-unknown-elf-objdump', ['-S', elf]);
    expect(src.stdout).toContain('call    fib_rec');
  });
});

const gcc = missing('gcc');
describe.skipIf(gcc !== '')(`reading GNU-built executables${gcc}`, () => {
  it('finds segments, symbols and gcc -g line tables (DWARF 5)', () => {
    const dir = tempDir();
    const elf = join(dir, 'primes.elf');
    const r = sh('riscv64-unknown-elf-gcc', ['-O1', '-g', '-march=rv64im', '-mabi=lp64', '-mno-relax', '-Wl,--no-relax', '-nostdlib', '-static', '-ffreestanding', '-o', elf, join(PROGRAMS, 'c', 'primes.c')]);
    expect(r.status, r.stderr).toBe(0);
    const image = read(new Uint8Array(readFileSync(elf)));
    expect(image.symbols.some((s) => s.name === 'main' && s.type === 'func')).toBe(true);
    expect(image.lines.some((l) => l.file.endsWith('primes.c'))).toBe(true);
    expect(image.lines.some((l) => l.file.endsWith('rt.h'))).toBe(true);
  });
});

describe('malformed ELF files', () => {
  const good = writeElf(build('hello.dasm'));
  const patched = (at: number, bytes: number[]) => {
    const b = good.slice();
    b.set(bytes, at);
    return b;
  };
  it('not an ELF', () => expect(error(new TextEncoder().encode('hello'))).toBe('not an ELF file (bad magic number)'));
  it('empty file', () => expect(error(new Uint8Array())).toBe('not an ELF file (bad magic number)'));
  it('truncated header', () => expect(error(good.slice(0, 40))).toMatch(/truncated ELF header/));
  it('truncated segment', () => expect(error(good.slice(0, 0x1010))).toMatch(/segment 0 extends past the end of the file/));
  it('32-bit', () => expect(error(patched(4, [1]))).toMatch(/32-bit is not supported/));
  it('big-endian', () => expect(error(patched(5, [2]))).toMatch(/big-endian/));
  it('wrong machine', () => expect(error(patched(18, [62, 0]))).toBe('ELF machine is x86-64 (62), expected RISC-V (243)'));
  it('not an executable', () => expect(error(patched(16, [1, 0]))).toMatch(/not an executable \(ET_EXEC\)/));
  it('absurd header counts', () => expect(error(patched(56, [0xff, 0xff]))).toMatch(/implausible header counts/));
  it('the host\'s own executables', () => expect(error(new Uint8Array(readFileSync(process.execPath)).slice(0, 4096))).toMatch(/expected RISC-V/));

  it('d1 run reports a segment outside SRAM and exits 1', () => {
    const image = build('hello.dasm');
    image.segments[0]!.vaddr = 0x200000n;
    const dir = tempDir();
    const file = join(dir, 'far.elf');
    writeFileSync(file, writeElf(image));
    const r = d1(['run', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('far.elf: error: segment 0 at 0x200000 (71 bytes) lies outside SRAM [0x0, 0x140000)');
  });
});
