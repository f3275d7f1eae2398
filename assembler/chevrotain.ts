// Chevrotain, loaded from the single-file bundle the package ships (lib/chevrotain.mjs) rather than its
// many-module entry point: the same library, but it loads in ~15 ms instead of ~200 ms, which is most
// of `d1 run hello.dasm`'s start-up time. The package's export map does not list the bundle, so it is
// found next to the entry point.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Chevrotain from 'chevrotain';

const entry = createRequire(import.meta.url).resolve('chevrotain');
const chevrotain = (await import(pathToFileURL(join(dirname(entry), '..', 'chevrotain.mjs')).href)) as typeof Chevrotain;

export const { createToken, Lexer, CstParser } = chevrotain;
export type { CstNode, IToken, TokenType } from 'chevrotain';
