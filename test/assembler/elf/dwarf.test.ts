// Reading the DWARF line tables gcc writes (versions 2 to 5, with .debug_line_str and MD5 entries in
// version 5): every row must match what GNU objdump --dwarf=decodedline decodes from the same file; and
// DWARF 5 directory and file tables with MD5 sums as GNU as writes them; and d1 as's line table from
// `.file`/`.loc` maps every instruction to the same source line as GNU as's.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../assembler/index.js';
import { readElf } from '../../../assembler/elf/read.js';
import { readDebugLine, writeDebugSections } from '../../../assembler/elf/dwarf.js';
import type { LineEntry } from '../../../assembler/image.js';
import { gnuBuild, missing, PROGRAMS, sh, tempDir } from '../../helpers/tools.js';
import { decodedRows, gccBuild, lineAt } from './gnu.js';

const gcc = missing('gnuAs', 'gcc');
describe.skipIf(gcc !== '')(`line tables of gcc-built executables${gcc}`, () => {
  for (const debug of ['-gdwarf-2', '-gdwarf-3', '-gdwarf-4', '-gdwarf-5']) {
    it(`reads every row of a ${debug} line table as GNU objdump decodes it`, () => {
      const file = gccBuild('words.c', debug);
      const r = readElf(new Uint8Array(readFileSync(file)), file);
      if (!('image' in r)) throw new Error(r.diagnostics[0]!.message);
      expect(r.warnings).toEqual([]);
      const ours = r.image.lines.map((l) => `${l.file.split('/').pop()} ${l.line} 0x${l.addr.toString(16)}`);
      const gnuRows = decodedRows(sh('riscv64-unknown-elf-objdump', ['--dwarf=decodedline', file]).stdout);
      const byAddr = (rows: string[]) => rows.map((row, k) => [BigInt(row.split(' ')[2]!), k, row] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1])).map((x) => x[2]);
      expect(ours.length).toBeGreaterThan(50);
      expect(ours).toEqual(byAddr(gnuRows));
      // Both files of the program, each with the folder gcc recorded.
      expect(new Set(r.image.lines.map((l) => l.file))).toEqual(new Set([join(PROGRAMS, 'c', 'words.c'), join(PROGRAMS, 'c', 'rt.h')]));
    });
  }
});

const gnuAs = missing('gnuAs');
describe.skipIf(gnuAs !== '')(`DWARF 5 file entries from GNU as${gnuAs}`, () => {
  it('reads line_strp names, directory indexes and MD5 sums; relative folders are under directory 0', () => {
    const source = [
      '        .file 0 "/src/dir" "main.c" md5 0x00112233445566778899aabbccddeeff',
      '        .file 1 "main.c" md5 0x00112233445566778899aabbccddeeff',
      '        .file 2 "inc/util.h" md5 0xffeeddccbbaa99887766554433221100',
      '        .text',
      '        .globl _start',
      '_start: .loc 1 3 0',
      '        nop',
      '        .loc 2 10 0',
      '        nop',
      '        .loc 1 7 0',
      '        ret',
    ].join('\n');
    const dir = tempDir('d1-dwarf5-');
    writeFileSync(join(dir, 'md5.s'), `${source}\n`);
    expect(sh('riscv64-unknown-elf-as', ['--gdwarf-5', '-march=rv64im', 'md5.s', '-o', 'md5.o'], { cwd: dir }).status).toBe(0);
    expect(sh('riscv64-unknown-elf-ld', ['-Ttext=0x1000', 'md5.o', '-o', 'md5.elf'], { cwd: dir }).status).toBe(0);
    const raw = sh('riscv64-unknown-elf-readelf', ['--debug-dump=rawline', join(dir, 'md5.elf')]).stdout;
    expect(raw).toContain('MD5');
    const r = readElf(new Uint8Array(readFileSync(join(dir, 'md5.elf'))), 'md5.elf');
    if (!('image' in r)) throw new Error(r.diagnostics[0]!.message);
    expect(r.image.lines).toEqual([
      { addr: 0x1000n, file: '/src/dir/main.c', line: 3 },
      { addr: 0x1004n, file: '/src/dir/inc/util.h', line: 10 },
      { addr: 0x1008n, file: '/src/dir/main.c', line: 7 },
    ]);
  });
});

describe.skipIf(gnuAs !== '')(`.file and .loc as GNU as reads them${gnuAs}`, () => {
  it('give every instruction the source line GNU as gives it', () => {
    const source = [
      '        .file "x.c"',
      '        .file 0 "/src/dir" "x.c"',
      '        .file 1 "x.c" md5 0x00112233445566778899aabbccddeeff',
      '        .file 2 "inc" "util.h"',
      '        .file 3 "/usr/include" "stdint.h"',
      '        .text',
      '        .globl _start',
      '_start: .loc 1 3 5',
      '        nop',
      '        nop',
      '        .loc 2 10 1 is_stmt 0',
      '        nop',
      '        .loc 1 7 2 discriminator 3',
      '        .loc 3 1 0', // two at one address: the last counts
      '        addi a0, a0, 1',
      '        .loc 1 2 0 prologue_end',
      '        ret',
      '',
    ].join('\n');
    const built = gnuBuild(source, tempDir('d1-loc-'));
    if (built.error) throw new Error(built.error);
    const r = readElf(new Uint8Array(readFileSync(built.elf!)), 'gnu.elf');
    if (!('image' in r)) throw new Error(r.diagnostics[0]!.message);
    const { image, diagnostics } = assemble([{ path: 'x.s', text: source }]);
    expect(diagnostics).toEqual([]);
    const rows = (lines: LineEntry[]) => [0, 4, 8, 12, 16].map((off) => lineAt(lines, 0x1000n + BigInt(off)));
    expect(rows(image!.lines)).toEqual(rows(r.image.lines));
    expect(rows(image!.lines)).toEqual(['/src/dir/x.c:3', '/src/dir/x.c:3', '/src/dir/inc/util.h:10', '/usr/include/stdint.h:1', '/src/dir/x.c:2']);
  });
});

describe('the line program d1 writes', () => {
  it('has the rows inside the code in address order, whatever order they are given in', () => {
    const files = ['/src/a.c', '/src/b.h'];
    const given = [
      [0x1008, 7, 0],
      [0x1000, 3, 0],
      [0x3000, 9, 1], // data, past the code
      [0x1004, 10, 1],
      [0x1004, 11, 0], // two rows at one address keep their order
      [0x0800, 1, 0], // before the code
    ];
    const lines = { addr: given.map((r) => r[0]!), line: given.map((r) => r[1]!), file: given.map((r) => r[2]!), files };
    const rows = (l: typeof lines) => readDebugLine(writeDebugSections(l, 0x1000n, 0x1010n, 'test').debug_line).map((r) => `${r.addr.toString(16)} ${r.file}:${r.line}`);
    expect(rows(lines)).toEqual(['1000 /src/a.c:3', '1004 /src/b.h:10', '1004 /src/a.c:11', '1008 /src/a.c:7']);
    // the same rows in order, with others before and after: the same program
    const order = [5, 1, 3, 4, 0, 2];
    const sorted = { addr: order.map((k) => lines.addr[k]!), line: order.map((k) => lines.line[k]!), file: order.map((k) => lines.file[k]!), files };
    expect(rows(sorted)).toEqual(rows(lines));
  });
});
