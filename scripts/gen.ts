// `npm run gen`: writes every generated file. Generated code (gitignored, under generated/ folders) is
// rebuilt on every build; `--docs` also rewrites the committed docs/isa.md. Output is deterministic and
// nothing is written unless every generator succeeded.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../cli/root.js';
import { generateIsaDoc } from '../isa/gen/docs.js';
import { generateEmulatorSources } from '../emulator/gen/index.js';

function main(): void {
  const root = packageRoot();
  const files = generateEmulatorSources({ watchpoints: process.argv.includes('--watchpoints') });
  if (process.argv.includes('--docs')) files.push({ path: 'docs/isa.md', text: generateIsaDoc() });
  for (const f of files) {
    const path = join(root, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text);
  }
  process.stdout.write(`gen: wrote ${files.map((f) => f.path).join(', ')}\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`gen: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
