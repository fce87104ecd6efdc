/** Tokens of the QMI IDL dialect. Comments are kept in a group for doc extraction. */
import type { Lexer as LexerInstance, TokenType } from 'chevrotain';
import { createToken, Lexer } from '../chevrotain.ts';
import { TokenLexer } from '../token-lexer.ts';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f]+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n\r]*/, group: 'comments' });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: 'comments', line_breaks: true });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"[^"\n\r]*"/ });
export const HexInteger = createToken({ name: 'HexInteger', pattern: /0[xX][0-9a-fA-F]+/ });
export const DecInteger = createToken({ name: 'DecInteger', pattern: /[0-9]+/ });
/** Anything usable as a declared name: identifiers and, since IDLs name members `mask` or `revision`, keywords. */
export const AnyName = createToken({ name: 'AnyName', pattern: Lexer.NA });
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [AnyName] });

const kw = (name: string, pattern: RegExp): TokenType => createToken({ name, pattern, longer_alt: Identifier, categories: [AnyName] });
export const Include = kw('Include', /include/);
export const Revision = kw('Revision', /revision/);
export const Const = kw('Const', /const/);
export const EnumKw = kw('EnumKw', /enum(?:8|16)?/);
export const MaskKw = kw('MaskKw', /mask(?:8|16|32|64)?/);
export const Struct = kw('Struct', /struct/);
export const Message = kw('Message', /message/);
export const Service = kw('Service', /service/);
export const Mandatory = kw('Mandatory', /mandatory/);
export const Optional = kw('Optional', /optional/);

export const LCurly = createToken({ name: 'LCurly', pattern: /\{/ });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/ });
export const LSquare = createToken({ name: 'LSquare', pattern: /\[/ });
export const RSquare = createToken({ name: 'RSquare', pattern: /\]/ });
export const LAngle = createToken({ name: 'LAngle', pattern: /</ });
export const RAngle = createToken({ name: 'RAngle', pattern: />/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const Semi = createToken({ name: 'Semi', pattern: /;/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });

export const allTokens: TokenType[] = [
  AnyName,
  WhiteSpace,
  LineComment,
  BlockComment,
  StringLiteral,
  HexInteger,
  DecInteger,
  Include,
  Revision,
  Const,
  EnumKw,
  MaskKw,
  Struct,
  Message,
  Service,
  Mandatory,
  Optional,
  Identifier,
  LCurly,
  RCurly,
  LSquare,
  RSquare,
  LAngle,
  RAngle,
  LParen,
  RParen,
  Semi,
  Comma,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
];

let lexer: LexerInstance | undefined;
/** The dialect's single lexer, built on first use. */
export function qmiLexer(): LexerInstance {
  lexer ??= new TokenLexer(allTokens, {
    ensureOptimizations: false,
    skipValidations: process.env['VITEST'] === undefined,
  });
  return lexer;
}
