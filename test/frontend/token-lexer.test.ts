/**
 * Both dialects lex into LexedTokens: one object per token with small-integer positions. The
 * lexer replaces a chevrotain method by name; if a chevrotain release stops calling it, tokens
 * come back as chevrotain's own objects and this fails.
 */
import { describe, expect, it } from 'vitest';
import { qaicLexer } from '../../generator/qaic/tokens.ts';
import { qmiLexer } from '../../generator/qmi/tokens.ts';
import { LexedToken } from '../../generator/token-lexer.ts';

const positions = (t: LexedToken): number[] => [t.startOffset, t.endOffset, t.startLine, t.endLine, t.startColumn, t.endColumn];

describe('token lexer', () => {
  it('qaic: every token is a LexedToken with the positions chevrotain would give, multi-line tokens included', () => {
    const text = 'interface i {\n  /** two\n lines */ long f(in long a);\n};\n';
    const { tokens, errors } = qaicLexer().tokenize(text);
    expect(errors).toEqual([]);
    expect(tokens.every((t) => t instanceof LexedToken)).toBe(true);
    const lexed = tokens as LexedToken[];
    expect(lexed.map((t) => t.image).slice(0, 5)).toEqual(['interface', 'i', '{', '/** two\n lines */', 'long']);
    expect(positions(lexed[0]!)).toEqual([0, 8, 1, 1, 1, 9]);
    // The comment starts on line 2, column 3 and ends on line 3, column 9.
    expect(positions(lexed[3]!)).toEqual([16, 32, 2, 3, 3, 9]);
    expect(positions(lexed[4]!)).toEqual([34, 37, 3, 3, 11, 14]);
    for (const t of lexed) for (const p of positions(t)) expect(Number.isInteger(p)).toBe(true);
  });

  it('qmi: every token is a LexedToken', () => {
    const { tokens, errors } = qmiLexer().tokenize('message { mandatory uint32 x; } req = 0x01;\n');
    expect(errors).toEqual([]);
    expect(tokens.length).toBeGreaterThan(5);
    expect(tokens.every((t) => t instanceof LexedToken)).toBe(true);
    expect(positions(tokens[0] as LexedToken)).toEqual([0, 6, 1, 1, 1, 7]);
  });
});
