/**
 * The lexer both dialects use: chevrotain's, making tokens of one class whose positions are small
 * integers. Chevrotain's own token objects share their shape with its end-of-input token, whose
 * positions are NaN, so V8 keeps every position of every lexed token as a boxed double: seven
 * heap objects per token instead of one. On a large file (10,000 methods) those kept the parse
 * in garbage collection most of its time.
 */
import type { ILexerConfig, IToken, TokenType } from 'chevrotain';
import { Lexer } from './chevrotain.ts';

/** A token as lexed, with the file and doc comments the preprocessors attach in place. */
export class LexedToken implements IToken {
  endOffset: number;
  endLine: number;
  endColumn: number;
  /** Set by the preprocessor; a field from the start so that setting it keeps the shape. */
  file = '';
  docs: string[] | undefined = undefined;
  trailing: string[] | undefined = undefined;

  constructor(
    readonly image: string,
    readonly startOffset: number,
    public tokenTypeIdx: number,
    public tokenType: TokenType,
    readonly startLine: number,
    readonly startColumn: number,
    length: number,
  ) {
    this.endOffset = startOffset + length - 1;
    this.endLine = startLine;
    this.endColumn = startColumn + length - 1;
  }
}

/**
 * A chevrotain Lexer with full position tracking whose tokens are LexedTokens. It replaces the
 * method chevrotain 11 picks for full position tracking (`createFullToken`, same arguments);
 * `test/frontend/token-lexer.test.ts` fails if a chevrotain release stops calling it.
 */
export class TokenLexer extends Lexer {
  constructor(tokens: TokenType[], config: Omit<ILexerConfig, 'positionTracking'> = {}) {
    super(tokens, { ...config, positionTracking: 'full' });
  }

  createFullToken(
    image: string,
    startOffset: number,
    tokenTypeIdx: number,
    tokenType: TokenType,
    startLine: number,
    startColumn: number,
    length: number,
  ): LexedToken {
    return new LexedToken(image, startOffset, tokenTypeIdx, tokenType, startLine, startColumn, length);
  }
}
