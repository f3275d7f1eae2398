// A large, deterministic C program for the assembler benchmark's gcc-output input: gcc -S turns it into
// the kind of assembly compilers write (functions, loops and calls, %hi/%lo addressing, initialized
// tables, strings, and with -g .loc lines and DWARF sections), as much of it as wanted. Freestanding:
// it only needs to compile, never to run.
import { prng } from './prng.js';

export function generateC(functions: number, seed = 1): string {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]): T => xs[rnd() % xs.length]!;
  const out: string[] = ['typedef unsigned long u64;', 'typedef long i64;', 'struct pair { i64 a; int b; short c; unsigned char d[6]; };'];
  const globals = Math.max(4, functions >> 2);
  for (let g = 0; g < globals; g++) {
    const n = 4 + (rnd() % 24);
    const values = Array.from({ length: n }, () => String((rnd() % 2000) - 1000));
    out.push(`${rnd() % 2 ? 'static ' : ''}${pick(['int', 'i64', 'short', 'unsigned char'])} t${g}[${n}] = { ${values.join(', ')} };`);
    out.push(`struct pair p${g}[${n}] = { ${values.map((v, k) => `{ ${v}, ${k}, ${-k}, "ab" }`).join(', ')} };`);
  }
  const expr = (vars: string[], depth: number): string => {
    const r = rnd() % 9;
    if (depth > 2 || r < 3) return r === 0 ? String(rnd() % 5000) : pick(vars);
    const a = expr(vars, depth + 1);
    const b = expr(vars, depth + 1);
    if (r === 3) return `(${a} ${pick(['+', '-', '*', '^', '&', '|'])} ${b})`;
    if (r === 4) return `(${a} ${pick(['<<', '>>'])} ${rnd() % 13})`;
    if (r === 5) return `(${b} != 0 ? ${a} / ${b} : ${a})`;
    if (r === 6) return `t${rnd() % globals}[(u64)${a} % 4]`;
    if (r === 7) return `(${a} < ${b} ? ${a} : ${b})`;
    return `f${rnd() % Math.max(1, functions)}(${a}, ${b})`;
  };
  for (let f = 0; f < functions; f++) out.push(`i64 f${f}(i64 x, i64 y);`);
  for (let f = 0; f < functions; f++) {
    const vars = ['x', 'y', 'i', 's'];
    const body: string[] = ['  i64 s = 0;'];
    for (let k = 0; k < 1 + (rnd() % 4); k++) {
      const r = rnd() % 4;
      if (r === 0) body.push(`  for (i64 i = 0; i < ${expr(['x', 'y'], 1)} % 64; i++) s += ${expr(vars, 0)};`);
      else if (r === 1) body.push(`  if (${expr(vars.filter((v) => v !== 'i'), 1)} > ${rnd() % 100}) s ^= ${expr(['x', 'y', 's'], 0)}; else s -= ${expr(['x', 'y', 's'], 1)};`);
      else if (r === 2) body.push(`  switch ((x ^ s) & 7) { ${Array.from({ length: 5 }, (_, c) => `case ${c}: s += ${expr(['x', 'y', 's'], 1)}; break;`).join(' ')} default: s = ${expr(['x', 'y', 's'], 1)}; }`);
      else if (rnd() % 2) body.push(`  t${rnd() % globals}[(u64)s % 4] = ${expr(['x', 'y', 's'], 0)};`);
      else body.push(`  p${rnd() % globals}[(u64)x % 4].${pick(['a', 'b', 'c'])} += s; s += p${rnd() % globals}[(u64)y % 4].d[(u64)s % 6];`);
    }
    out.push(`i64 f${f}(i64 x, i64 y) {`, ...body, `  return s + ${rnd() % 100};`, '}');
  }
  out.push(`const char *names[] = { ${Array.from({ length: 16 }, (_, k) => `"name ${k}\\n"`).join(', ')} };`);
  return `${out.join('\n')}\n`;
}
