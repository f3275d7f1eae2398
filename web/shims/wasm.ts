// The browser's emulator/host/wasm.ts (the web build puts this module in its place): the wasm modules
// come from the page's folder, fetched once by the worker before any core is made; memory is not shared
// (a page that is not cross-origin isolated has no SharedArrayBuffer, and the page runs no threads).
const modules = new Map<string, Uint8Array<ArrayBuffer>>();

export const SHARED_MEMORY = false;

/** Fetch the wasm files next to `base` (the worker's URL), once. */
export async function fetchWasm(base: string, files: string[]): Promise<void> {
  await Promise.all(
    files.map(async (f) => {
      const r = await fetch(new URL(f, base));
      if (!r.ok) throw new Error(`cannot load ${f}: HTTP ${r.status}`);
      modules.set(f, new Uint8Array(await r.arrayBuffer()));
    }),
  );
}

export function distWasm(file: string, what: string): Uint8Array<ArrayBuffer> {
  const bytes = modules.get(file);
  if (!bytes) throw new Error(`${what} (${file}) was not loaded`);
  return bytes;
}

export function optimized<T>(compile: () => T): T {
  return compile();
}
