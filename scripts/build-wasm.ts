// `npm run build:wasm`: compiles the AssemblyScript core to WebAssembly, once per build variant, each
// from its own generated sources (emulator/gen): the core `d1 run` uses, the debugging build whose loads
// and stores check watch ranges, the functional build without the cycle model (`--no-timing`) and the
// race-checking build (`--check-races`); then the number-format library. The generated sources are left
// as the default variant's.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../cli/root.js';
import { CORE_BUILDS } from '../emulator/builds.js';
import { generateEmulatorSources } from '../emulator/gen/index.js';

const root = packageRoot();
const asc = join(root, 'node_modules', '.bin', 'asc');
const CORE_FLAGS = ['--importMemory', '--sharedMemory', '--maximumMemory', '65536', '--zeroFilledMemory', '--importTable', '--enable', 'threads'];

function generate(opts: Parameters<typeof generateEmulatorSources>[0]): void {
  for (const f of generateEmulatorSources(opts)) {
    const path = join(root, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text);
  }
}

function compile(entry: string, out: string, flags: string[]): void {
  execFileSync(asc, [entry, '--config', 'emulator/asconfig.json', '--target', 'release', ...flags, '-o', out], { cwd: root, stdio: 'inherit' });
}

try {
  for (const b of CORE_BUILDS) {
    generate(b.options);
    compile('emulator/assembly/index.ts', `dist/${b.file}`, CORE_FLAGS);
    process.stdout.write(`build:wasm: dist/${b.file}\n`);
  }
  generate({});
  compile('emulator/assembly/numbers-module.ts', 'dist/d1-numbers.wasm', []);
} catch (e) {
  process.stderr.write(`build:wasm: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
