// The .dasm grammar (docs/dasm.md "Statements"): pure Chevrotain, one parser instance, building a CST
// that assembler/visitor.ts turns into statements. A line is any number of labels, then an optional
// statement: `name operand, operand, ...` (instruction or directive; the grammar lists neither) or
// `symbol = expression`. Operands are strings, `@type` (or `%type`) words, or expressions with an
// optional `(base)` suffix (and `@plt`). Expressions are flat operator chains; assembler/visitor.ts
// applies GNU as's precedence.
import { CstParser, type CstNode, type IToken } from './chevrotain.js';
import * as T from './tokens.js';

class DasmParser extends CstParser {
  constructor() {
    super(T.ALL_TOKENS, { recoveryEnabled: true, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  public line = this.RULE('line', () => {
    this.MANY({ GATE: () => this.LA(2).tokenType === T.Colon, DEF: () => this.SUBRULE(this.label) });
    this.OPTION(() => this.SUBRULE(this.statement));
  });

  private label = this.RULE('label', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.DecNumber) }]);
    this.CONSUME(T.Colon);
  });

  private statement = this.RULE('statement', () => {
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OR([
      {
        GATE: () => this.LA(1).tokenType === T.Equals,
        ALT: () => {
          this.CONSUME(T.Equals);
          this.SUBRULE(this.expression, { LABEL: 'value' });
        },
      },
      {
        ALT: () => {
          this.OPTION(() => {
            this.SUBRULE(this.operand);
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.SUBRULE2(this.operand);
            });
          });
        },
      },
    ]);
  });

  private operand = this.RULE('operand', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLit) },
      {
        ALT: () => {
          this.CONSUME(T.At);
          this.CONSUME(T.Identifier, { LABEL: 'type' });
        },
      },
      { ALT: () => this.CONSUME(T.PercentWord, { LABEL: 'type' }) },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.OPTION(() => {
            this.CONSUME(T.LParen, { LABEL: 'baseOpen' });
            this.SUBRULE2(this.expression, { LABEL: 'base' });
            this.CONSUME(T.RParen);
          });
          // `sym@plt` (call and tail only)
          this.OPTION2(() => {
            this.CONSUME2(T.At, { LABEL: 'suffixAt' });
            this.CONSUME2(T.Identifier, { LABEL: 'suffix' });
          });
        },
      },
    ]);
  });

  /** A flat chain `unary (op unary)*`; the visitor applies GNU as's precedence to it. */
  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(T.BinaryOp);
      this.SUBRULE2(this.unary);
    });
  });

  private unary = this.RULE('unary', () => {
    this.MANY(() => this.CONSUME(T.UnaryOp));
    this.SUBRULE(this.primary);
  });

  private primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.DecNumber) },
      { ALT: () => this.CONSUME(T.HexNumber) },
      { ALT: () => this.CONSUME(T.BinNumber) },
      { ALT: () => this.CONSUME(T.FloatNumber) },
      { ALT: () => this.CONSUME(T.CharLit) },
      { ALT: () => this.CONSUME(T.LocalRef) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.MacroArg) },
      {
        ALT: () => {
          this.CONSUME(T.Reloc);
          this.CONSUME(T.LParen, { LABEL: 'relocOpen' });
          this.SUBRULE(this.expression, { LABEL: 'relocArg' });
          this.CONSUME(T.RParen, { LABEL: 'relocClose' });
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.LParen, { LABEL: 'open' });
          this.SUBRULE2(this.expression, { LABEL: 'inner' });
          this.CONSUME2(T.RParen, { LABEL: 'close' });
        },
      },
    ]);
  });
}

/** The one parser instance (Chevrotain's performance guide: build once, reset input), built when first
 * used: its self-analysis is a good part of start-up, and most lines never need it. */
let parser: DasmParser | undefined;

export interface LineParse {
  cst: CstNode;
  errors: { message: string; token: IToken }[];
}

export function parseLine(tokens: IToken[]): LineParse {
  parser ??= new DasmParser();
  parser.input = tokens;
  const cst = parser.line();
  return { cst, errors: parser.errors.map((e) => ({ message: e.message, token: e.token })) };
}
