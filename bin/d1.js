#!/usr/bin/env node
// The d1 command: the compiled CLI lives in dist/ (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli/d1.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('d1: not built yet: run `npm install` (or `npm run build`) in the d1 folder first\n');
  process.exit(1);
}
await import(cli.href);
