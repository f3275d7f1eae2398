// Link pass (docs/dasm.md "Linking" and docs/machine.md "Memory map"): places every file's part of
// each output section, resolves symbols (file-local first, then .globl ones of any file), has the frags
// encoded at their addresses (assembler/link-encode.ts) and builds the Image: .text and .rodata from the
// link base, .data and .bss from the next 4 KiB page, all in one loadable segment, a symbol table and a
// line table.
import { diag, type Diagnostic } from './diagnostics.js';
import { displayName, evaluate, ExprError, type EvalEnv, type Expr, type Loc } from './expr.js';
import { OUTPUT_SECTIONS, type FileLayout, type FileSection, type OutputSection, type SymInfo } from './layout.js';
import { withLineColumns, type Image, type Section, type Segment, type SymbolDef } from './image.js';
import { encodeFrags, Env, type LinkSymbols } from './link-encode.js';
import { LineRows } from './line-rows.js';
import { MacroCallRanges } from './macro-calls.js';

const PAGE = 0x1000;

const alignUp = (v: number, a: number): number => Math.ceil(v / a) * a;

interface Placement {
  /** Address of each file's part of each output section (an object, not a map: every symbol's value
   * reads it). */
  base: Map<FileLayout, Partial<Record<OutputSection, number>>>;
  sections: { name: OutputSection; addr: number; size: number; align: number }[];
}

function place(files: FileLayout[], textBase: number): Placement {
  const base = new Map<FileLayout, Partial<Record<OutputSection, number>>>(files.map((f) => [f, {}]));
  const sections: Placement['sections'] = [];
  let addr = textBase;
  for (const name of OUTPUT_SECTIONS) {
    // Writable data starts on its own 4 KiB page, so code and data never share one: QEMU (and any
    // emulator that translates code) would otherwise treat every data store as self-modifying code.
    if (name === '.data') addr = alignUp(addr, PAGE);
    let align = 1;
    for (const f of files) align = Math.max(align, f.sections.get(name)?.align ?? 1);
    addr = alignUp(addr, align);
    const start = addr;
    for (const f of files) {
      const s = f.sections.get(name);
      if (!s) continue;
      addr = alignUp(addr, s.align);
      base.get(f)![name] = addr;
      addr += s.size;
    }
    if (addr > start || files.some((f) => f.sections.has(name))) sections.push({ name, addr: start, size: addr - start, align });
  }
  return { base, sections };
}

export interface LinkResult {
  image?: Image;
  diagnostics: Diagnostic[];
}

/**
 * The common symbols (`.comm`) that no file defines as a global: each is one object of the largest size
 * and alignment any file gives it, in a .bss block after every file's (GNU ld's `*(COMMON)`).
 */
function commons(files: FileLayout[]): FileLayout | undefined {
  const defined = new Set<string>();
  const wanted = new Map<string, SymInfo & { common: NonNullable<SymInfo['common']> }>();
  for (const f of files) {
    for (const s of f.symbols.values()) {
      if (s.global && (s.section !== undefined || s.equ !== undefined)) defined.add(s.name);
      else if (s.common) {
        const w = wanted.get(s.name);
        if (!w) wanted.set(s.name, { ...s, common: { ...s.common } });
        else w.common = { size: Math.max(w.common.size, s.common.size), align: Math.max(w.common.align, s.common.align) };
      }
    }
  }
  const bss: FileSection = { frags: [], size: 0, align: 1 };
  const symbols = new Map<string, SymInfo>();
  for (const w of wanted.values()) {
    if (defined.has(w.name)) continue;
    const { size, align } = w.common;
    bss.size = alignUp(bss.size, align);
    bss.align = Math.max(bss.align, align);
    const loc = w.loc ?? { file: files[0]!.file, line: 0, column: 0, span: 1 };
    symbols.set(w.name, { name: w.name, section: '.bss', offset: bss.size, global: true, type: 'object', size: { k: 'num', v: BigInt(size), loc }, loc });
    bss.frags.push({ k: 'fill', offset: bss.size, size, value: 0, nops: false });
    bss.size += size;
  }
  return symbols.size === 0 ? undefined : { file: files[0]!.file, sections: new Map([['.bss', bss]]), symbols, globals: new Map() };
}

export function link(layouts: FileLayout[], opts: { textBase: number; memoryEnd: number }): LinkResult {
  const common = commons(layouts);
  const files = common ? [...layouts, common] : layouts;
  const diagnostics: Diagnostic[] = [];
  const error = (code: string, message: string, loc: Loc | { file: string; line: number }) => diagnostics.push(diag(code, message, loc));
  const { base, sections } = place(files, opts.textBase);

  // Global symbols: defined in exactly one file.
  const globalDefs = new Map<string, { file: FileLayout; sym: SymInfo }>();
  for (const f of files) {
    for (const s of f.symbols.values()) {
      if (!s.global || (s.section === undefined && s.equ === undefined)) continue;
      const prev = globalDefs.get(s.name);
      if (prev && (s.weak || prev.sym.weak)) {
        // A global definition overrides a weak one; the first of two weak ones stays.
        if (prev.sym.weak && !s.weak) globalDefs.set(s.name, { file: f, sym: s });
        continue;
      }
      if (prev) {
        error('duplicate-symbol', `duplicate global symbol '${s.name}' (first defined at ${prev.sym.loc?.file}:${prev.sym.loc?.line})`, s.loc ?? { file: f.file, line: 0 });
        continue;
      }
      globalDefs.set(s.name, { file: f, sym: s });
    }
  }
  for (const f of files) {
    for (const [name, loc] of f.globals) {
      const s = f.symbols.get(name);
      if (s?.section === undefined && s?.equ === undefined && !s?.weak && !globalDefs.has(name)) error('undefined-symbol', `global symbol '${name}' is never defined`, loc);
    }
  }

  const values = new Map<FileLayout, Map<string, bigint>>(files.map((f) => [f, new Map()]));
  const visiting = new Set<SymInfo>();
  function symbolValue(f: FileLayout, name: string, loc: Loc): bigint | undefined {
    return valueOf(f, name, f.symbols.get(name), loc);
  }
  /** The value of `name` in file f, whose symbol there is s (if any). */
  function valueOf(f: FileLayout, name: string, s: SymInfo | undefined, loc: Loc): bigint | undefined {
    let owner = f;
    if (!s || (s.section === undefined && s.equ === undefined) || s.weak) {
      if (s?.dropped) throw new ExprError(`'${displayName(name)}' is a label in a section that is not loaded (no "a" flag): it has no address`, loc, 'not-loaded');
      const g = globalDefs.get(name);
      if (!g) return s?.weak ? 0n : undefined; // an undefined weak symbol is 0, as in GNU ld
      owner = g.file;
      s = g.sym;
    }
    if (s.section !== undefined) return BigInt(base.get(owner)![s.section]! + s.offset!);
    // an .equ/.set symbol: evaluated once
    const cache = values.get(owner)!;
    const cached = cache.get(name);
    if (cached !== undefined) return cached;
    if (visiting.has(s)) throw new ExprError(`symbol '${name}' is defined in terms of itself`, loc, 'circular');
    visiting.add(s);
    let v: bigint;
    try {
      v = evaluate(s.equ!, envFor(owner, 0n));
    } finally {
      visiting.delete(s);
    }
    cache.set(name, v);
    return v;
  }

  // %pcrel_lo(label) needs the %pcrel_hi computed by the auipc at label.
  const pcrelHi = new Map<bigint, { f: FileLayout; target: Expr }>();
  // (indexed loops over frags here and below: a large program has many, and an iterator is slow until
  // the JIT has compiled the loop, which in a pass that runs once is most of the time)
  for (const f of files) {
    for (const [secName, s] of f.sections) {
      for (let j = 0; j < s.frags.length; j++) {
        const fr = s.frags[j]!;
        if (fr.k !== 'ops') continue;
        for (let k = 0; k < fr.ops.length; k++) {
          const op = fr.ops[k]!;
          const v = op.fields['imm20'];
          if (op.instr.mnemonic === 'auipc' && v && 'e' in v && v.e.k === 'reloc' && v.e.op === 'pcrel_hi') {
            pcrelHi.set(BigInt(base.get(f)![secName]! + fr.offset + 4 * k), { f, target: v.e.a });
          }
        }
      }
    }
  }

  const linkSymbols: LinkSymbols = { value: symbolValue, pcrelHi };
  const envFor = (f: FileLayout, dot: bigint): EvalEnv => new Env(linkSymbols, f, dot);

  // Encode every section.
  const buffers = new Map<OutputSection, Uint8Array>();
  for (const s of sections) if (s.name !== '.bss') buffers.set(s.name, new Uint8Array(s.size));
  // a row per word and per instruction of a frag, one per other datum: counted first
  let rowCount = 0;
  for (const f of files) {
    for (const { frags } of f.sections.values()) {
      for (let j = 0; j < frags.length; j++) {
        const fr = frags[j]!;
        rowCount += fr.k === 'words' ? fr.count : fr.k === 'ops' ? fr.ops.length : fr.k === 'fill' ? 0 : 1;
      }
    }
  }
  const rows = new LineRows(rowCount);
  const calls = new MacroCallRanges();
  for (const f of files) {
    for (const [secName, s] of f.sections) {
      const secStart = sections.find((x) => x.name === secName)!.addr;
      encodeFrags(s.frags, base.get(f)![secName]!, secStart, buffers.get(secName), (dot) => envFor(f, dot), rows, calls, diagnostics);
    }
  }

  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };

  const end = sections.reduce((m, s) => Math.max(m, s.addr + s.size), opts.textBase);
  if (end > opts.memoryEnd) {
    error('too-large', `the program ends at 0x${end.toString(16)}, past the end of SRAM at 0x${opts.memoryEnd.toString(16)}`, { file: files[0]?.file ?? '', line: 0 });
    return { diagnostics };
  }

  const outSections: Section[] = sections.map((s) => ({
    name: s.name,
    addr: BigInt(s.addr),
    bytes: buffers.get(s.name) ?? new Uint8Array(0),
    size: s.size,
    nobits: s.name === '.bss',
    flags: { alloc: true, write: s.name === '.data' || s.name === '.bss', exec: s.name === '.text' },
    align: s.align,
  }));
  const segments = makeSegments(outSections);
  const overridden = (s: SymInfo) => s.weak === true && globalDefs.get(s.name)?.sym !== s;
  const symbols = symbolTable(files, valueOf, envFor, overridden);
  const start = globalDefs.get('_start');
  const text = outSections.find((s) => s.name === '.text');
  const entry = start ? symbolValue(start.file, '_start', start.sym.loc!)! : (text?.addr ?? BigInt(opts.textBase));
  const macroCalls = calls.calls();
  return { image: withLineColumns({ entry, sections: outSections, segments, symbols, ...(macroCalls.length > 0 ? { macroCalls } : {}) }, rows.columns()), diagnostics };
}

/**
 * One loadable segment holding every section (read, write, execute: D1's SRAM has no protection, and
 * qemu-riscv64 only loads low-address executables whose program lies in one segment).
 */
function makeSegments(sections: Section[]): Segment[] {
  const parts = sections.filter((s) => s.size > 0);
  if (parts.length === 0) return [];
  const first = parts[0]!;
  const lastFile = [...parts].reverse().find((s) => !s.nobits);
  const fileEnd = lastFile ? Number(lastFile.addr) + lastFile.size : Number(first.addr);
  const memEnd = Math.max(...parts.map((s) => Number(s.addr) + s.size));
  const data = new Uint8Array(fileEnd - Number(first.addr));
  for (const s of parts) if (!s.nobits) data.set(s.bytes, Number(s.addr - first.addr));
  return [{ vaddr: first.addr, data, memsz: memEnd - Number(first.addr), flags: { alloc: true, write: true, exec: true } }];
}

function symbolTable(
  files: FileLayout[],
  value: (f: FileLayout, name: string, s: SymInfo, loc: Loc) => bigint | undefined,
  envFor: (f: FileLayout, dot: bigint) => EvalEnv,
  overridden: (s: SymInfo) => boolean,
): SymbolDef[] {
  const out: SymbolDef[] = [];
  for (const f of files) {
    for (const s of f.symbols.values()) {
      if (s.name.includes('\u0000') || s.name.startsWith('.L')) continue;
      if ((s.section === undefined && s.equ === undefined) || overridden(s)) continue;
      const loc = s.loc ?? { file: f.file, line: 0, column: 0, span: 1 };
      let v: bigint | undefined;
      let size = 0;
      try {
        v = value(f, s.name, s, loc);
        if (s.size) size = Number(evaluate(s.size, envFor(f, 0n)));
      } catch {
        continue;
      }
      if (v === undefined) continue;
      out.push({ name: displayName(s.name), value: BigInt.asUintN(64, v), size, global: s.global, type: s.type, ...(s.section ? { section: s.section } : {}) });
    }
  }
  return out;
}
