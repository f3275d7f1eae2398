// Tokens of the .dasm language (docs/dasm.md "Lexical structure"), GNU as compatible for RISC-V:
// identifiers may contain '.', '$' and '_', numbers are C-style (decimal, 0x, 0b, leading-0 octal),
// '#' starts a comment, ';' separates statements, `\name` is a macro parameter reference.
import { createToken, Lexer, type TokenType } from './chevrotain.js';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\f\v]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /(?:#|\/\/)[^\n]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[^]*?\*\//, line_breaks: true, group: Lexer.SKIPPED });
export const NewLine = createToken({ name: 'NewLine', pattern: /\n|;/, line_breaks: true });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_.$][A-Za-z0-9_.$]*/ });
export const LocalRef = createToken({ name: 'LocalRef', pattern: /[0-9]+[bf](?![A-Za-z0-9_.$])/ });
export const HexNumber = createToken({ name: 'HexNumber', pattern: /0[xX][0-9a-fA-F]+/ });
export const BinNumber = createToken({ name: 'BinNumber', pattern: /0[bB][01]+(?![0-9A-Za-z_])/ });
export const DecNumber = createToken({ name: 'DecNumber', pattern: /[0-9]+/ });
/** A decimal floating-point literal (only the float data directives accept one): 1.5, 2e-3, 6.02e23. */
export const FloatNumber = createToken({ name: 'FloatNumber', pattern: /[0-9]+(?:\.[0-9]*(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)(?![A-Za-z0-9_$])/ });
export const CharLit = createToken({ name: 'CharLit', pattern: /'(?:\\(?:[0-7]{1,3}|x[0-9a-fA-F]+|.)|[^\\\n])'?/ });
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n]|\\.)*"/ });
export const Reloc = createToken({ name: 'Reloc', pattern: /%[A-Za-z_][A-Za-z0-9_]*/ });
/** `%progbits`, `%function`: a type word in the ARM spelling GNU as also accepts (a `%name` not followed
 * by `(`, which would make it a relocation operator). */
export const PercentWord = createToken({ name: 'PercentWord', pattern: /%[A-Za-z_][A-Za-z0-9_]*(?![\w(]|\s+\()/ });
export const MacroArg = createToken({ name: 'MacroArg', pattern: /\\(?:[A-Za-z_][A-Za-z0-9_]*|@|\(\))/ });

export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const At = createToken({ name: 'At', pattern: /@/ });
export const Equals = createToken({ name: 'Equals', pattern: /=(?!=)/ });

// Binary operators (precedence is applied by the visitor, GNU as rules), then unary ones. BinaryOp and
// UnaryOp are token categories, so the grammar names each once.
export const BinaryOp = createToken({ name: 'BinaryOp', pattern: Lexer.NA });
export const UnaryOp = createToken({ name: 'UnaryOp', pattern: Lexer.NA });
export const OrOr = createToken({ name: 'OrOr', pattern: /\|\|/, categories: [BinaryOp] });
export const AndAnd = createToken({ name: 'AndAnd', pattern: /&&/, categories: [BinaryOp] });
export const Or = createToken({ name: 'Or', pattern: /\|/, categories: [BinaryOp] });
export const Xor = createToken({ name: 'Xor', pattern: /\^/, categories: [BinaryOp] });
export const And = createToken({ name: 'And', pattern: /&/, categories: [BinaryOp] });
export const EqOp = createToken({ name: 'EqOp', pattern: /==|!=|<>/, categories: [BinaryOp] });
export const RelOp = createToken({ name: 'RelOp', pattern: /<=|>=|<(?!<)|>(?!>)/, categories: [BinaryOp] });
export const ShiftOp = createToken({ name: 'ShiftOp', pattern: /<<|>>/, categories: [BinaryOp] });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, categories: [BinaryOp, UnaryOp] });
export const Minus = createToken({ name: 'Minus', pattern: /-/, categories: [BinaryOp, UnaryOp] });
export const MulOp = createToken({ name: 'MulOp', pattern: /[*/%]/, categories: [BinaryOp] });
export const Tilde = createToken({ name: 'Tilde', pattern: /~/, categories: [UnaryOp] });
/** Unary `!` is logical not; infix `!` is GNU's or-not. */
export const Bang = createToken({ name: 'Bang', pattern: /!(?!=)/, categories: [BinaryOp, UnaryOp] });

/** Order matters: longer and more specific patterns first. */
export const ALL_TOKENS: TokenType[] = [
  WhiteSpace, BlockComment, Comment, NewLine,
  PercentWord, Reloc, MacroArg, StringLit, CharLit,
  HexNumber, BinNumber, FloatNumber, LocalRef, DecNumber, Identifier,
  Comma, Colon, LParen, RParen, At,
  OrOr, AndAnd, EqOp, ShiftOp, RelOp, Equals, Or, Xor, And, Plus, Minus, MulOp, Tilde, Bang,
  BinaryOp, UnaryOp,
];

let built: InstanceType<typeof Lexer> | undefined;
/** The lexer, built when first used: building it is a good part of start-up, and the lines of most
 * programs never need it (assembler/fastline.ts reads them). */
export const lexer = {
  tokenize: (text: string) => (built ??= new Lexer(ALL_TOKENS, { positionTracking: 'full', ensureOptimizations: false })).tokenize(text),
};
