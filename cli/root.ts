// The d1 package folder (where package.json is), found from this module's location so that the same
// code works compiled in dist/ and as sources under vitest.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the d1 package folder (package.json)');
    dir = up;
  }
  cached = dir;
  return dir;
}
