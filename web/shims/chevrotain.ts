// The browser's assembler/chevrotain.ts: the bundler resolves the package itself.
export { createToken, Lexer, CstParser } from 'chevrotain';
export type { CstNode, IToken, TokenType } from 'chevrotain';
