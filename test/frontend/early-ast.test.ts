/**
 * The QAIC parser builds each complete definition and interface member's declarations as soon as
 * it is parsed, so a large file's syntax tree is collected young. This relies on a chevrotain
 * method the parser overrides by name: if a release stops calling it, nothing is built early and
 * the first test fails. The declarations must equal those built from the whole tree.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CstNode } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { parseTokens } from '../../generator/qaic/parser.ts';
import { preprocess, type PreprocessContext } from '../../generator/qaic/preprocess.ts';
import { buildAst, buildEarly } from '../../generator/qaic/to-ast.ts';

const conformanceIdl = join(import.meta.dirname, '../conformance/qaic/idl');
const bundledIdl = join(import.meta.dirname, '../../idl');

/** Tokens of `path` with its includes, read from `text` or else from disk. */
function tokensOf(path: string, text: string) {
  const ctx: PreprocessContext = {
    readFile: (p) => (p === path ? text : existsSync(p) ? readFileSync(p, 'utf8') : undefined),
    includeDirs: [conformanceIdl, bundledIdl],
    sources: new Map(),
    lexed: new Map(),
  };
  return preprocess(path, ctx, []).tokens;
}

/** The definition and export nodes under `n`, however deep. */
function declNodes(n: CstNode): CstNode[] {
  const out: CstNode[] = [];
  for (const list of Object.values(n.children)) {
    for (const c of list) {
      if (!('children' in c)) continue;
      if (c.name === 'definition' || c.name === 'export') out.push(c);
      out.push(...declNodes(c));
    }
  }
  return out;
}

describe('early AST building', () => {
  const files = [
    ...readdirSync(conformanceIdl).map((f) => join(conformanceIdl, f)),
    ...['apps_mem.idl', 'remote.idl', 'AEEStdDef.idl', 'adsp_listener.idl'].map((f) => join(bundledIdl, f)),
    // inc_ops.idl is a fragment of an interface body, spliced in by include_chain.idl.
  ].filter((f) => f.endsWith('.idl') && !f.endsWith('inc_ops.idl'));

  it('builds every top-level definition while parsing', () => {
    const { cst, errors } = parseTokens(
      tokensOf('/t.idl', 'module m { struct s { long a; }; interface i { long f(in s v); }; };\nconst long K = 2;\n'),
      buildEarly,
    );
    expect(errors).toEqual([]);
    const top = cst.children['definition'] as CstNode[];
    expect(top).toHaveLength(2);
    for (const d of top) expect(d).toHaveProperty('built');
  });

  it.each(files)('%s: the same declarations as from the whole tree', (file) => {
    const tokens = tokensOf(file, readFileSync(file, 'utf8'));
    const whole = parseTokens(tokens);
    expect(whole.errors).toEqual([]);
    expect(declNodes(whole.cst).some((n) => 'built' in n)).toBe(false);
    const early = parseTokens(tokens, buildEarly);
    expect(buildAst(early.cst)).toEqual(buildAst(whole.cst));
  });

  it('builds nothing after a syntax error, so recovered trees are never built', () => {
    const { cst, errors } = parseTokens(
      tokensOf('/e.idl', 'struct a { long x; };\nstruct b { long ; };\nstruct c { long z; };\n'),
      buildEarly,
    );
    expect(errors.length).toBeGreaterThan(0);
    const top = cst.children['definition'] as CstNode[];
    expect('built' in (top[0] as CstNode)).toBe(true);
    for (const d of top.slice(1)) expect('built' in d).toBe(false);
  });
});
