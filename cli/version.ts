// The version printed by `d1 --version`, read from package.json so it is stated once.
import { readFileSync } from 'node:fs';
import { packageRoot } from './root.js';

export const VERSION: string = (JSON.parse(readFileSync(`${packageRoot()}/package.json`, 'utf8')) as { version: string }).version;
