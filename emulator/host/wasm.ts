// The WebAssembly modules `npm run build` compiles into dist/ (the core, the number-format library):
// their bytes, or a message saying how to build them.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { packageRoot } from '../../cli/root.js';

export function distWasm(file: string, what: string): Uint8Array<ArrayBuffer> {
  const path = join(packageRoot(), 'dist', file);
  try {
    return new Uint8Array(readFileSync(path));
  } catch {
    throw new Error(`${what} ${path} is missing: run \`npm run build\``);
  }
}

/** Whether linear memory can be shared with worker threads (Node: yes). The browser build has its own
 * module in place of this one (web/shims/wasm.ts). */
export const SHARED_MEMORY = true;

/** Compile wasm with V8's optimizing tier from the start (a long-running call never leaves the baseline
 * tier's code it started in). */
export function optimized<T>(compile: () => T): T {
  setFlagsFromString('--no-liftoff');
  try {
    return compile();
  } finally {
    setFlagsFromString('--liftoff');
  }
}
