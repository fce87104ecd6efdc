/** Reads the root files and their includes, parses each once, in dependency order. */
import { dirname, join, normalize } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { QmiCodes, type CodeInfo } from '../diagnostics/codes.ts';
import { isQmiSource } from '../dialect.ts';
import { isRefusal, readInputFile, type ReadFile, type SourceSpan } from '../source.ts';
import type { AstFile, AstItem, Documented } from './ast.ts';
import { attachDocs } from './docs.ts';
import { MAX_NESTING, parseQmiText, tokenSpan } from './parser.ts';

export type { ReadFile };

export const defaultReadFile: ReadFile = readInputFile;

const slash = (p: string) => normalize(p).replace(/\\/g, '/');

function documentedNodes(items: readonly AstItem[]): Documented[] {
  const out: Documented[] = [];
  for (const it of items) {
    switch (it.kind) {
      case 'const':
        out.push(it);
        break;
      case 'enum':
      case 'mask':
        out.push(it, ...it.members);
        break;
      case 'struct':
        out.push(it, ...it.members);
        break;
      case 'message':
        out.push(it, ...it.elements);
        break;
      case 'service':
        out.push(it, ...it.groups.flatMap((g) => g.pairs));
        break;
      default:
        break;
    }
  }
  return out;
}

/** Parse one text into an AST, with lexer and syntax errors as diagnostics. */
export function parseQmiFile(path: string, text: string, diagnostics: Diagnostic[]): AstFile {
  const out = parseQmiText(path, text);
  if (out.tooDeep) {
    diagnostics.push({
      code: QmiCodes.NESTING_TOO_DEEP.code,
      severity: 'error',
      message: `input nests more than ${MAX_NESTING} levels deep (parentheses, braces or angle brackets)`,
      span: tokenSpan(path, out.tooDeep),
    });
  }
  for (const e of out.lexErrors) {
    const ch = text.charAt(e.offset);
    diagnostics.push({
      code: QmiCodes.LEX_ERROR.code,
      severity: 'error',
      message: text.startsWith('/*', e.offset) ? 'unterminated block comment' : `unexpected character '${ch}'`,
      span: { file: path, line: e.line, col: e.column, offset: e.offset, length: Math.max(1, e.length) },
    });
  }
  for (const e of out.parseErrors) {
    const t = e.token;
    const atEnd = t.tokenType?.name === 'EOF' || !Number.isFinite(t.startOffset);
    const span: SourceSpan = atEnd
      ? { file: path, line: text.split('\n').length, col: (text.split('\n').at(-1)?.length ?? 0) + 1, offset: text.length, length: 1 }
      : tokenSpan(path, t);
    diagnostics.push({
      code: QmiCodes.SYNTAX_ERROR.code,
      severity: 'error',
      message: syntaxMessage(e.message, atEnd ? 'end of file' : `'${t.image}'`),
      span,
    });
  }
  const barriers = out.items.filter((i) => i.kind === 'include' || i.kind === 'revision').map((i) => i.span.offset);
  const doc = attachDocs(documentedNodes(out.items), out.comments, barriers);
  return { path, items: out.items, ...(doc ? { doc } : {}) };
}

/** chevrotain's messages list token names; say it in IDL words. */
function syntaxMessage(raw: string, found: string): string {
  const names: Record<string, string> = {
    Identifier: 'a name',
    AnyName: 'a name',
    StringLiteral: 'a string',
    HexInteger: 'a number',
    DecInteger: 'a number',
    Semi: "';'",
    Comma: "','",
    Equals: "'='",
    LCurly: "'{'",
    RCurly: "'}'",
    LSquare: "'['",
    RSquare: "']'",
    LAngle: "'<'",
    RAngle: "'>'",
    LParen: "'('",
    RParen: "')'",
    Mandatory: "'mandatory'",
    Optional: "'optional'",
    Include: "'include'",
    Revision: "'revision'",
    Const: "'const'",
    EnumKw: "'enum'",
    MaskKw: "'mask'",
    Struct: "'struct'",
    Message: "'message'",
    Service: "'service'",
    Plus: "'+'",
    Minus: "'-'",
    Star: "'*'",
    Slash: "'/'",
  };
  const expecting = /Expecting:? (?:token of type )?--> (\w+) <--/.exec(raw);
  if (expecting?.[1]) return `expected ${names[expecting[1]] ?? expecting[1]}, found ${found}`;
  if (/one of these possible Token sequences/.test(raw)) {
    const alts = [...raw.matchAll(/\[([A-Za-z, ]+)\]/g)].map((m) => (m[1] ?? '').split(', ')[0] ?? '');
    const uniq = [...new Set(alts.map((a) => names[a] ?? a))];
    if (uniq.length > 0) return `expected ${uniq.join(' or ')}, found ${found}`;
  }
  return `unexpected ${found}`;
}

export interface LoadedFiles {
  /** Dependency order: a file comes after everything it includes. */
  readonly asts: AstFile[];
  readonly roots: string[];
  readonly sources: Map<string, string>;
}

export function loadFiles(
  files: readonly string[],
  includeDirs: readonly string[],
  readFile: ReadFile,
  diagnostics: Diagnostic[],
): LoadedFiles {
  const asts: AstFile[] = [];
  const sources = new Map<string, string>();
  const done = new Set<string>();
  const active: string[] = [];
  const roots: string[] = [];

  function visit(path: string, text: string): void {
    if (done.has(path)) return;
    if (active.includes(path)) return;
    active.push(path);
    sources.set(path, text);
    const ast = parseQmiFile(path, text, diagnostics);
    for (const item of ast.items) {
      if (item.kind !== 'include') continue;
      const found = findInclude(item.path, path);
      if (found !== undefined && 'refused' in found) {
        diagnostics.push({ code: found.refused.code, severity: 'error', message: found.message, span: item.span });
        continue;
      }
      if (!found) {
        diagnostics.push({
          code: QmiCodes.FILE_NOT_FOUND.code,
          severity: 'error',
          message: `cannot find included file "${item.path}" (searched ${[dirname(path), ...includeDirs].map(slash).join(', ')})`,
          span: item.span,
        });
        continue;
      }
      if (active.includes(found.path)) {
        diagnostics.push({
          code: QmiCodes.INCLUDE_CYCLE.code,
          severity: 'error',
          message: `include cycle: ${[...active.slice(active.indexOf(found.path)), found.path].join(' -> ')}`,
          span: item.span,
        });
        continue;
      }
      visit(found.path, found.text);
    }
    active.pop();
    done.add(path);
    asts.push(ast);
  }

  /** The first candidate that exists; a refused one (a directory, a huge file) ends the search. */
  function findInclude(name: string, from: string): { path: string; text: string } | { refused: CodeInfo; message: string } | undefined {
    for (const dir of [dirname(from), ...includeDirs]) {
      const p = slash(join(dir, name));
      const cached = sources.get(p);
      if (cached !== undefined) return { path: p, text: cached };
      const t = readFile(p);
      if (t === undefined) continue;
      return isRefusal(t) ? t : { path: p, text: t };
    }
    return undefined;
  }

  for (const f of files) {
    const p = slash(f);
    const text = readFile(f);
    if (text === undefined) {
      diagnostics.push({ code: QmiCodes.FILE_NOT_FOUND.code, severity: 'error', message: `cannot read ${p}` });
      continue;
    }
    if (isRefusal(text)) {
      diagnostics.push({ code: text.refused.code, severity: 'error', message: text.message });
      continue;
    }
    if (!isQmiSource(text) && /\binterface\s+\w+|#\s*include/.test(text)) {
      diagnostics.push({
        code: QmiCodes.WRONG_DIALECT.code,
        severity: 'error',
        message: `${p} is written in the QAIC (FastRPC) dialect, not QMI IDL`,
        span: { file: p, line: 1, col: 1, offset: 0, length: 1 },
      });
      continue;
    }
    roots.push(p);
    visit(p, text);
  }
  return { asts, roots, sources };
}
