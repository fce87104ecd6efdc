/**
 * Tokens of the qaic IDL dialect and the one lexer instance built from them.
 * Comments and preprocessor lines are real tokens here (not skipped): the
 * preprocessor consumes the directives and turns doc comments into
 * attachments before the parser sees the stream.
 */
import type { IToken, Lexer as LexerInstance, TokenType } from 'chevrotain';
import { createToken, Lexer } from '../chevrotain.ts';
import { TokenLexer } from '../token-lexer.ts';

export const Identifier = createToken({ name: 'Identifier', label: 'identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

/** Every reserved word; a parser error on one of these where a name was expected says so. */
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA });
/** Sized integer names built into qaic; legacy AEEStdDef.idl files typedef them. */
export const SizedName = createToken({ name: 'SizedName', pattern: Lexer.NA, categories: [Keyword] });

/**
 * Keywords are not patterns of the lexer: it reads them as identifiers, and `classifyKeywords`
 * gives each its keyword type afterwards. Sixty-odd keyword patterns would cost the lexer's
 * construction more than all the other tokens together (it runs once per CLI invocation).
 */
const keywordTokens: TokenType[] = [];
const keywordByImage = new Map<string, TokenType>();
function kw(word: string, extra: TokenType[] = []): TokenType {
  const t = createToken({ name: `Kw_${word}`, label: `"${word}"`, pattern: Lexer.NA, categories: [Keyword, ...extra] });
  keywordTokens.push(t);
  keywordByImage.set(word, t);
  return t;
}

/** Turns identifiers that are reserved words into their keyword tokens, in place. */
export function classifyKeywords(tokens: readonly IToken[]): void {
  for (const t of tokens) {
    if (t.tokenType !== Identifier) continue;
    const k = keywordByImage.get(t.image);
    if (k === undefined) continue;
    t.tokenType = k;
    t.tokenTypeIdx = k.tokenTypeIdx as number;
  }
}

export const Typedef = kw('typedef');
export const Struct = kw('struct');
export const Union = kw('union');
export const Switch = kw('switch');
export const Default = kw('default');
export const Case = kw('case');
export const Enum = kw('enum');
export const Notnil = kw('notnil');
export const Sequence = kw('sequence');
export const Interface = kw('interface');
export const Wstring = kw('wstring');
export const StringKw = kw('string');
export const Float = kw('float');
export const Double = kw('double');
export const Short = kw('short');
export const Long = kw('long');
export const Unsigned = kw('unsigned');
export const Wchar = kw('wchar');
export const Char = kw('char');
export const Boolean = kw('boolean');
export const Octet = kw('octet');
export const Const = kw('const');
export const Module = kw('module');
export const Readonly = kw('readonly');
export const Attribute = kw('attribute');
export const Void = kw('void');
export const Inrout = kw('inrout');
export const Inout = kw('inout');
export const In = kw('in');
export const Rout = kw('rout');
export const Out = kw('out');
export const True = kw('TRUE');
export const False = kw('FALSE');
export const Local = kw('local');
export const Native = kw('native');
export const Async = kw('async');
export const Dmahandle = kw('dmahandle');
export const ExtParams = kw('ext_params');

/** Sized names, longest spelling first so `uint8_t` is not cut at `uint8`. */
export const sizedNames = [
  'uint8_t',
  'uint16_t',
  'uint32_t',
  'uint64_t',
  'int8_t',
  'int16_t',
  'int32_t',
  'int64_t',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'int8',
  'int16',
  'int32',
  'int64',
] as const;
export const SizedTokens: Readonly<Record<string, TokenType>> = Object.fromEntries(sizedNames.map((n) => [n, kw(n, [SizedName])]));

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED, line_breaks: true });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n]*/ });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, line_breaks: true });
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/, line_breaks: true });
export const Directive = createToken({ name: 'Directive', pattern: /#[^\n]*/ });

export const FloatLiteral = createToken({
  name: 'FloatLiteral',
  label: 'floating point literal',
  pattern: /(?:\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)[fFdD]?/,
});
export const HexLiteral = createToken({ name: 'HexLiteral', label: 'integer literal', pattern: /0[xX][0-9a-fA-F]+/ });
export const IntLiteral = createToken({ name: 'IntLiteral', label: 'integer literal', pattern: /\d+/ });
export const WCharLiteral = createToken({
  name: 'WCharLiteral',
  label: 'character literal',
  pattern: /L'(?:\\(?:x[0-9a-fA-F]+|u[0-9a-fA-F]{4}|[0-7]{1,3}|[^\n])|[^'\\\n])'/,
});
export const WStringLiteral = createToken({ name: 'WStringLiteral', label: 'string literal', pattern: /L"(?:\\[^\n]|[^"\\\n])*"/ });
export const CharLiteral = createToken({
  name: 'CharLiteral',
  label: 'character literal',
  pattern: /'(?:\\(?:x[0-9a-fA-F]+|[0-7]{1,3}|[^\n])|[^'\\\n])'/,
});
export const StringLiteral = createToken({ name: 'StringLiteral', label: 'string literal', pattern: /"(?:\\[^\n]|[^"\\\n])*"/ });

function punct(name: string, text: string): TokenType {
  return createToken({ name, label: `"${text}"`, pattern: text });
}
export const DoubleColon = punct('DoubleColon', '::');
export const Colon = punct('Colon', ':');
export const Semi = punct('Semi', ';');
export const Comma = punct('Comma', ',');
export const LCurly = punct('LCurly', '{');
export const RCurly = punct('RCurly', '}');
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const LBracket = punct('LBracket', '[');
export const RBracket = punct('RBracket', ']');
export const ShiftLeft = punct('ShiftLeft', '<<');
export const ShiftRight = punct('ShiftRight', '>>');
export const LAngle = punct('LAngle', '<');
export const RAngle = punct('RAngle', '>');
export const Equals = punct('Equals', '=');
export const Plus = punct('Plus', '+');
export const Minus = punct('Minus', '-');
export const Star = punct('Star', '*');
export const Slash = punct('Slash', '/');
export const Percent = punct('Percent', '%');
export const Amp = punct('Amp', '&');
export const Pipe = punct('Pipe', '|');
export const Caret = punct('Caret', '^');
export const Tilde = punct('Tilde', '~');

/** Order matters: comments before `/`, wide literals before identifiers, `::` before `:`. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  Directive,
  WCharLiteral,
  WStringLiteral,
  // Not lexed (see classifyKeywords), but part of the vocabulary the parser knows.
  ...keywordTokens,
  Keyword,
  SizedName,
  Identifier,
  FloatLiteral,
  HexLiteral,
  IntLiteral,
  CharLiteral,
  StringLiteral,
  DoubleColon,
  Colon,
  Semi,
  Comma,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  ShiftLeft,
  ShiftRight,
  LAngle,
  RAngle,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Amp,
  Pipe,
  Caret,
  Tilde,
];

let lexer: LexerInstance | undefined;
/** The dialect's single lexer (built on first use: construction validates the token set). */
export function qaicLexer(): LexerInstance {
  lexer ??= new TokenLexer(allTokens, {
    ensureOptimizations: false,
    skipValidations: process.env['VITEST'] === undefined,
  });
  return lexer;
}

/** Spellings of the built-in types, for "did you mean" on an undeclared type name. */
export const builtinTypeNames: readonly string[] = [
  'boolean',
  'char',
  'wchar',
  'octet',
  'short',
  'long',
  'float',
  'double',
  'string',
  'wstring',
  'sequence',
  'dmahandle',
  ...sizedNames,
];

/** Reserved words of the dialect, for messages and the C-keyword check. */
export const reservedWords: ReadonlySet<string> = new Set(keywordTokens.map((t) => (t.name.startsWith('Kw_') ? t.name.slice(3) : t.name)));
