// DWARF line tables (DWARF 5 standard, 6.2 "Line Number Information"). The writer emits a DWARF 3
// line program with one compile unit in .debug_info/.debug_abbrev pointing at it, as GNU as -g does
// for assembly, so GNU objdump -S/--dwarf and gdb find source lines. The reader decodes line programs
// of DWARF versions 2 to 5 (gcc 12 writes version 5) into address -> file:line rows.
import { dirname, basename, isAbsolute } from 'node:path';
import type { LineColumns, LineEntry } from '../image.js';
import { ByteReader, ByteWriter, stringAt } from './bytes.js';
import { DW } from './constants.js';

const LINE_BASE = -5;
const LINE_RANGE = 14;
const OPCODE_BASE = 13;
/** Operand counts of standard opcodes 1..12. */
const STD_LENGTHS = [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];

export interface DebugSections {
  debug_aranges: Uint8Array;
  debug_info: Uint8Array;
  debug_abbrev: Uint8Array;
  debug_line: Uint8Array;
}

/**
 * Build .debug_line (+ the compile unit that names it) for rows inside [lowPc, highPc). File names are
 * kept as given: a file's folder becomes an include directory (relative ones are read against the
 * compile unit's DW_AT_comp_dir, the current directory), a bare name refers to directory 0 (comp_dir).
 */
export function writeDebugSections(lines: LineColumns, lowPc: bigint, highPc: bigint, producer: string, compDir = process.cwd()): DebugSections {
  // (each pass over the rows is a function of its own: this runs once, and the JIT compiles a small
  // function's loop soon)
  const low = Number(lowPc);
  const high = Number(highPc);
  const { rows, first, count } = rowsInside(lines, low, high);
  const { files, dirs, fileNumber } = fileTable(rows, first, count);

  const w = new ByteWriter(count + 256); // (about a byte a row)
  w.u32(0); // unit_length, patched
  w.u16(3);
  const headerLengthAt = w.length;
  w.u32(0); // header_length, patched
  const headerStart = w.length;
  w.u8(1).u8(1).u8(LINE_BASE & 0xff).u8(LINE_RANGE).u8(OPCODE_BASE);
  for (const n of STD_LENGTHS) w.u8(n);
  for (const d of dirs) w.cstring(d);
  w.u8(0);
  for (const f of files) w.cstring(f.name).uleb(f.dir).uleb(0).uleb(0);
  w.u8(0);
  w.patch32(headerLengthAt, w.length - headerStart);
  if (count > 0) lineProgram(w, rows, first, count, fileNumber, high);
  w.patch32(0, w.length - 4);

  const abbrev = new ByteWriter();
  abbrev.uleb(1).uleb(DW.TAG_compile_unit).u8(0);
  const attrs: [number, number][] = [
    [DW.AT_stmt_list, DW.FORM_data4],
    [DW.AT_low_pc, DW.FORM_addr],
    [DW.AT_high_pc, DW.FORM_addr],
    [DW.AT_name, DW.FORM_string],
    [DW.AT_comp_dir, DW.FORM_string],
    [DW.AT_producer, DW.FORM_string],
    [DW.AT_language, DW.FORM_data2],
  ];
  for (const [a, f] of attrs) abbrev.uleb(a).uleb(f);
  abbrev.u8(0).u8(0).u8(0);

  const info = new ByteWriter();
  info.u32(0).u16(3).u32(0).u8(8);
  info.uleb(1).u32(0).u64(lowPc).u64(highPc);
  const name = count > 0 ? rows.files[rows.file[first]!]! : 'program';
  info.cstring(name).cstring(compDir).cstring(producer).u16(DW.LANG_Mips_Assembler);
  info.patch32(0, info.length - 4);

  // Address ranges -> compile unit (DWARF 5, 6.1.2); GNU binutils look source lines up through it.
  const ar = new ByteWriter();
  ar.u32(0).u16(2).u32(0).u8(8).u8(0).zeros(4);
  ar.u64(lowPc).u64(highPc - lowPc).u64(0).u64(0);
  ar.patch32(0, ar.length - 4);
  return { debug_aranges: ar.done(), debug_info: info.done(), debug_abbrev: abbrev.done(), debug_line: w.done() };
}

/** A line program only moves forward: the rows inside [low, high) in address order, rows at one address
 * in their given order; as rows[first ...], `count` of them. (Rows in order already, as the assembler's
 * are, are not copied.) */
function rowsInside(lines: LineColumns, low: number, high: number): { rows: LineColumns; first: number; count: number } {
  const addr = lines.addr;
  let sorted = true;
  for (let k = 1; k < addr.length && sorted; k++) sorted = addr[k]! >= addr[k - 1]!;
  if (sorted) {
    let first = 0;
    while (first < addr.length && addr[first]! < low) first++;
    let last = first;
    while (last < addr.length && addr[last]! < high) last++;
    return { rows: lines, first, count: last - first };
  }
  const order = Array.from({ length: addr.length }, (_, k) => k).filter((k) => addr[k]! >= low && addr[k]! < high).sort((a, b) => addr[a]! - addr[b]! || a - b);
  const by = (c: ArrayLike<number>) => order.map((k) => c[k]!);
  return { rows: { addr: by(lines.addr), line: by(lines.line), file: by(lines.file), files: lines.files }, first: 0, count: order.length };
}

/** The line program's files (those of the rows, in the order the rows name them first), their folders as
 * include directories, and the file number of each of rows.files (0: not in the program). */
function fileTable(rows: LineColumns, first: number, count: number): { files: { name: string; dir: number }[]; dirs: string[]; fileNumber: number[] } {
  const files: { name: string; dir: number }[] = [];
  const dirs: string[] = [];
  const fileNumber = rows.files.map(() => 0);
  for (let k = first; k < first + count; k++) {
    const id = rows.file[k]!;
    if (fileNumber[id] !== 0) continue;
    const name = rows.files[id]!;
    const folder = dirname(name);
    let d = 0;
    if (folder !== '.') {
      d = dirs.indexOf(folder) + 1;
      if (d === 0) d = dirs.push(folder);
    }
    files.push({ name: basename(name), dir: d });
    fileNumber[id] = files.length;
  }
  return { files, dirs, fileNumber };
}

/** The line program of rows[first ...] (`count` > 0 of them, in address order), ending at high. */
function lineProgram(w: ByteWriter, rows: LineColumns, first: number, count: number, fileNumber: number[], high: number): void {
  let addr = rows.addr[first]!;
  w.u8(0).uleb(9).u8(DW.LNE_set_address).u64(addr);
  let line = 1;
  let file = 1;
  for (let k = first; k < first + count; k++) {
    const f = fileNumber[rows.file[k]!]!;
    if (f !== file) {
      w.u8(DW.LNS_set_file).uleb(f);
      file = f;
    }
    const lineDelta = rows.line[k]! - line;
    const at = rows.addr[k]!;
    const addrDelta = at - addr;
    // A special opcode advances both and adds the row in one byte (DWARF 5, 6.2.5.1); most rows fit.
    const special = lineDelta - LINE_BASE + LINE_RANGE * addrDelta + OPCODE_BASE;
    if (lineDelta >= LINE_BASE && lineDelta < LINE_BASE + LINE_RANGE && addrDelta >= 0 && special <= 255) w.u8(special);
    else {
      if (lineDelta !== 0) w.u8(DW.LNS_advance_line).sleb(lineDelta);
      if (addrDelta !== 0) w.u8(DW.LNS_advance_pc).uleb(addrDelta);
      w.u8(DW.LNS_copy);
    }
    line = rows.line[k]!;
    addr = at;
  }
  if (high > addr) w.u8(DW.LNS_advance_pc).uleb(high - addr);
  w.u8(0).uleb(1).u8(DW.LNE_end_sequence);
}

/** A line-table file name in its directory, joined as written (no normalising, so names stay as given). */
function inDir(dir: string, name: string): string {
  if (dir === '' || isAbsolute(name)) return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** Decode every line program in .debug_line; `lineStr` is .debug_line_str (DWARF 5), `str` is .debug_str. */
export function readDebugLine(section: Uint8Array, lineStr?: Uint8Array, str?: Uint8Array): LineEntry[] {
  const out: LineEntry[] = [];
  const r = new ByteReader(section);
  while (r.pos < section.length) {
    let unitLength = r.u32('line table length');
    let offsetSize = 4;
    if (unitLength === 0xffffffff) {
      unitLength = Number(r.u64('line table length'));
      offsetSize = 8;
    }
    const unitEnd = r.pos + unitLength;
    if (unitEnd > section.length || unitLength < 2) throw new RangeError('a .debug_line unit runs past the end of the section');
    const u = new ByteReader(section, r.pos, unitEnd);
    readUnit(u, offsetSize, out, lineStr, str);
    r.pos = unitEnd;
  }
  return out;
}

function readUnit(r: ByteReader, offsetSize: number, out: LineEntry[], lineStr?: Uint8Array, str?: Uint8Array): void {
  const version = r.u16('line table version');
  if (version < 2 || version > 5) throw new RangeError(`unsupported DWARF line table version ${version}`);
  if (version >= 5) r.skip(2, 'address and selector sizes');
  const headerLength = offsetSize === 8 ? Number(r.u64()) : r.u32();
  const programStart = r.pos + headerLength;
  const minInst = r.u8();
  if (version >= 4) r.u8(); // maximum_operations_per_instruction
  r.u8(); // default_is_stmt
  const lineBase = r.i8();
  const lineRange = r.u8() || 1;
  const opcodeBase = r.u8();
  const stdLengths = [0];
  for (let i = 1; i < opcodeBase; i++) stdLengths.push(r.u8());

  const dirs: string[] = [];
  const files: string[] = [];
  const form = (f: number): string | bigint => {
    switch (f) {
      case DW.FORM_string: return r.cstring();
      case DW.FORM_line_strp: { const o = offsetSize === 8 ? Number(r.u64()) : r.u32(); return lineStr ? stringAt(lineStr, o) : ''; }
      case DW.FORM_strp: { const o = offsetSize === 8 ? Number(r.u64()) : r.u32(); return str ? stringAt(str, o) : ''; }
      case DW.FORM_udata: return r.uleb();
      case DW.FORM_data1: return BigInt(r.u8());
      case DW.FORM_data2: return BigInt(r.u16());
      case DW.FORM_data4: return BigInt(r.u32());
      case DW.FORM_data8: return r.u64();
      case DW.FORM_data16: r.skip(16); return 0n;
      case DW.FORM_block: r.skip(Number(r.uleb())); return 0n;
      default: throw new RangeError(`unsupported DWARF form 0x${f.toString(16)} in the line table header`);
    }
  };
  const entries = (): { path: string; dir: number }[] => {
    const formatCount = r.u8();
    const format: [number, number][] = [];
    for (let i = 0; i < formatCount; i++) format.push([Number(r.uleb()), Number(r.uleb())]);
    const count = Number(r.uleb());
    if (count > 100000) throw new RangeError('implausible number of line table entries');
    const list: { path: string; dir: number }[] = [];
    for (let i = 0; i < count; i++) {
      let path = '';
      let dir = 0;
      for (const [ct, f] of format) {
        const v = form(f);
        if (ct === DW.LNCT_path) path = String(v);
        else if (ct === DW.LNCT_directory_index) dir = Number(v);
      }
      list.push({ path, dir });
    }
    return list;
  };
  if (version >= 5) {
    // Directory 0 is the compilation directory; the others, when relative, are relative to it.
    for (const d of entries()) dirs.push(dirs.length === 0 ? d.path : inDir(dirs[0]!, d.path));
    for (const f of entries()) files.push(inDir(dirs[f.dir] ?? '', f.path));
  } else {
    dirs.push('');
    for (let s = r.cstring(); s !== ''; s = r.cstring()) dirs.push(s);
    files.push('');
    for (let s = r.cstring(); s !== ''; s = r.cstring()) {
      const dir = Number(r.uleb());
      r.uleb();
      r.uleb();
      files.push(inDir(dirs[dir] ?? '', s));
    }
  }

  r.pos = programStart;
  let addr = 0n;
  let file = 1;
  let line = 1;
  const emit = () => out.push({ addr, file: files[file] ?? `file${file}`, line });
  const reset = () => {
    addr = 0n;
    file = 1;
    line = 1;
  };
  while (r.pos < r.end) {
    const op = r.u8();
    if (op >= opcodeBase) {
      const adj = op - opcodeBase;
      addr += BigInt(Math.floor(adj / lineRange) * minInst);
      line += lineBase + (adj % lineRange);
      emit();
      continue;
    }
    switch (op) {
      case 0: {
        const len = Number(r.uleb());
        const end = r.pos + len;
        const sub = len > 0 ? r.u8() : 0;
        if (sub === DW.LNE_end_sequence) reset();
        else if (sub === DW.LNE_set_address) addr = len - 1 === 8 ? r.u64() : BigInt(r.u32());
        r.pos = end;
        break;
      }
      case DW.LNS_copy: emit(); break;
      case DW.LNS_advance_pc: addr += r.uleb() * BigInt(minInst); break;
      case DW.LNS_advance_line: line += Number(r.sleb()); break;
      case DW.LNS_set_file: file = Number(r.uleb()); break;
      case DW.LNS_const_add_pc: addr += BigInt(Math.floor((255 - opcodeBase) / lineRange) * minInst); break;
      case DW.LNS_fixed_advance_pc: addr += BigInt(r.u16()); break;
      default: for (let i = 0; i < (stdLengths[op] ?? 0); i++) r.uleb();
    }
  }
}
