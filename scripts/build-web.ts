// `npm run build:web`: the browser playground (web/) into dist/web, static files any web server can serve
// (`d1 serve` does): the page and its worker bundled by esbuild from the same sources the command line
// runs, the wasm builds of the core copied beside them, and the example programs. Node built-ins the
// bundled modules import are replaced by browser modules (web/shims); run after build:wasm.
import { build, type Plugin } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../cli/root.js';
import { CORE_BUILDS } from '../emulator/builds.js';

const root = packageRoot();
const out = join(root, 'dist', 'web');

/** The machine each example that needs more than one core runs on (its header says so). */
const EXAMPLE_MACHINES: Record<string, string> = { allreduce: '4x4', allreduce2d: '4x4', bisection: 'die', scatter: '4x4', stencil: '4x4', summa: '4x4' };

/** The example programs (programs/*.dasm, with their machine, and the library they include), as a
 * module of their text. */
function examplesModule(): string {
  const dir = join(root, 'programs');
  const dasm = (d: string) => readdirSync(join(dir, d)).filter((f) => f.endsWith('.dasm')).sort();
  const examples = dasm('.').map((f) => ({ name: f.replace(/\.dasm$/, ''), machine: EXAMPLE_MACHINES[f.replace(/\.dasm$/, '')] ?? '1', text: readFileSync(join(dir, f), 'utf8') }));
  const library = Object.fromEntries(dasm('lib').map((f) => [`lib/${f}`, readFileSync(join(dir, 'lib', f), 'utf8')]));
  for (const name of Object.keys(EXAMPLE_MACHINES)) if (!examples.some((e) => e.name === name)) throw new Error(`web/examples.ts names ${name}, which is not in programs/`);
  return `export const EXAMPLES = ${JSON.stringify(examples)};\nexport const LIBRARY = ${JSON.stringify(library)};\n`;
}

const browser: Plugin = {
  name: 'd1-browser',
  setup(b) {
    const shim = (f: string) => ({ path: join(root, 'web', 'shims', f) });
    // our modules with a browser version, however they are imported
    const replaced: Record<string, string> = { [join(root, 'assembler', 'chevrotain.js')]: 'chevrotain.ts', [join(root, 'emulator', 'host', 'wasm.js')]: 'wasm.ts' };
    b.onResolve({ filter: /^\.\.?\/.*(chevrotain|wasm)\.js$/ }, (a) => {
      const f = replaced[join(a.resolveDir, a.path)];
      return f ? shim(f) : undefined;
    });
    b.onResolve({ filter: /^node:path$/ }, () => ({ path: join(root, 'node_modules', 'path-browserify', 'index.js') }));
    b.onResolve({ filter: /^node:/ }, () => shim('node.ts'));
    b.onResolve({ filter: /^d1:examples$/ }, () => ({ path: 'examples', namespace: 'd1' }));
    b.onLoad({ filter: /.*/, namespace: 'd1' }, () => ({ contents: examplesModule(), loader: 'js' }));
  },
};

/** A copy of a wasm module whose imported memory is not shared: a page that is not cross-origin isolated
 * has no shared memory, and the page runs no threads. Only the import's limits flag changes (the
 * modules use no atomic instructions). */
export function unshareMemory(wasm: Uint8Array): Uint8Array {
  const b = Uint8Array.from(wasm);
  let at = 8;
  const uleb = () => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = b[at++]!;
      v += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return v;
    }
  };
  while (at < b.length) {
    const id = b[at++]!;
    const size = uleb();
    const end = at + size;
    if (id === 2) {
      for (let n = uleb(); n > 0; n--) {
        for (let name = 0; name < 2; name++) {
          const len = uleb(); // module name, field name
          at += len;
        }
        const kind = b[at++]!;
        if (kind === 0) uleb(); // function: type index
        else if (kind === 1) {
          at++; // table: element type, then limits
          const flags = b[at++]!;
          uleb();
          if (flags & 1) uleb();
        } else if (kind === 2) {
          if (b[at] === 0x03) b[at] = 0x01;
          const flags = b[at++]!;
          uleb();
          if (flags & 1) uleb();
        } else if (kind === 3) at += 2; // global: type, mutability
        else throw new Error(`unexpected import kind ${kind}`);
      }
    }
    at = end;
  }
  return b;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { main: join(root, 'web', 'main.ts'), worker: join(root, 'web', 'worker.ts') },
  outdir: out,
  bundle: true,
  format: 'esm',
  target: 'chrome110',
  minify: true,
  sourcemap: true,
  plugins: [browser],
  // modules that read the environment or the working folder get an empty one
  banner: { js: 'var process = { env: {}, cwd: () => "/" };' },
  logLevel: 'warning',
});
for (const f of ['index.html']) copyFileSync(join(root, 'web', f), join(out, f));
for (const f of [...CORE_BUILDS.filter((b) => !('races' in b.options)).map((b) => b.file), 'd1-numbers.wasm']) writeFileSync(join(out, f), unshareMemory(readFileSync(join(root, 'dist', f))));
console.log(`build:web: ${out}`);
