// `d1 nm`: a program's symbols, as GNU nm lists them: value, a letter for where the symbol is (upper case
// when global: T text, R read-only data, D data, B bss, A absolute), name; sorted by name, or by value.
import type { Image, SymbolDef } from '../assembler/image.js';

/** GNU nm's letter for a symbol's section. */
function letter(s: SymbolDef): string {
  const section = s.section ?? '';
  const l = s.section === undefined ? 'a' : /^\.text/.test(section) ? 't' : /^\.s?bss/.test(section) ? 'b' : /^\.rodata/.test(section) ? 'r' : 'd';
  return s.global ? l.toUpperCase() : l;
}

/** The symbol table's lines (`byValue`: sorted by address, as nm -n). */
export function symbolLines(image: Image, byValue = false): string[] {
  const shown = image.symbols.filter((s) => s.type !== 'section' && s.type !== 'file' && s.name !== '' && !s.name.startsWith('.L'));
  const byName = (a: SymbolDef, b: SymbolDef) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  shown.sort(byValue ? (a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : byName(a, b)) : byName);
  return shown.map((s) => `${BigInt.asUintN(64, s.value).toString(16).padStart(16, '0')} ${letter(s)} ${s.name}`);
}
