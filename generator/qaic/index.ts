/**
 * The QAIC IDL front end: preprocess -> lex -> parse -> AST -> resolve/validate.
 * Each requested file is its own translation unit, as with qaic; files included
 * by several units appear once in the program (the first unit's view wins).
 */
import { hasErrors, type Diagnostic, type StageResult } from '../diagnostics/diagnostic.ts';
import type { Decl, IdlFileModel, QaicProgram } from '../model/qaic.ts';
import type { AstDecl } from './ast.ts';
import { readInputFile, type ReadFile } from '../source.ts';
import { bundledIdlDir, withBundledIdl } from '../package-root.ts';
import { normalizePath, preprocess, tokenSpan, type PreprocessContext, type QToken } from './preprocess.ts';
import { MISSING_SEMI, parseTokens } from './parser.ts';
import { checkQaicNames } from './names.ts';
import { resolveUnit } from './resolve.ts';
import { buildAst, buildEarly } from './to-ast.ts';
import * as T from './tokens.ts';
import { QaicCodes } from '../diagnostics/codes.ts';

export interface LoadOptions {
  files: string[];
  includeDirs?: string[];
  /** Symbols defined before preprocessing (`-D NAME`; a `=value` part is ignored, as qaic does). */
  defines?: string[];
  /** Supplies file contents (tests, programmatic use); `undefined` means "no such file". Defaults to the disk. */
  readFile?: ReadFile;
  /** Search the standard IDLs bundled with dspidl after `includeDirs` (default true). */
  bundledIdl?: boolean;
}

/** Parses one token stream into declarations, reporting syntax errors. */
function parseUnit(
  tokens: QToken[],
  endToken: QToken | undefined,
  root: string,
  diagnostics: Diagnostic[],
): { decls: AstDecl[]; syntaxErrors: number } {
  const { cst, errors } = parseTokens(tokens, buildEarly);
  const fallback = endToken ? tokenSpan(endToken) : { file: root, line: 1, col: 1, offset: 0, length: 1 };
  const seen = new Set<string>();
  /** Just after a token, where something missing belongs. */
  const after = (prev: QToken | undefined) =>
    prev && prev.file !== undefined
      ? { ...tokenSpan(prev), col: tokenSpan(prev).col + prev.image.length, offset: prev.startOffset + prev.image.length, length: 1 }
      : undefined;
  for (const e of errors) {
    const t = e.token as QToken;
    let span = t && Number.isFinite(t.startOffset) && t.file !== undefined ? tokenSpan(t) : undefined;
    // A missing ';' belongs after the previous token, usually on the line before the next one.
    if (e.message.startsWith(MISSING_SEMI)) span = after(e.previous as QToken | undefined) ?? span;
    // End of input: point just after the last real token.
    span ??= after((e.previous as QToken | undefined) ?? endToken) ?? fallback;
    // Recovery often trips again on the rest of the same line: keep the first error of a line.
    const key = e.message.startsWith(MISSING_SEMI) ? `${span.file}:${span.line}:${span.col}` : `${span.file}:${span.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const reserved = t && t.tokenType && T.reservedWords.has(t.image) && e.message.includes('cannot be used as a name');
    diagnostics.push({
      code: (reserved ? QaicCodes.RESERVED_WORD : QaicCodes.SYNTAX_ERROR).code,
      severity: 'error',
      message: e.message,
      span,
    });
  }
  // A CST with syntax errors is partial: its declarations would mostly add noise.
  return { decls: errors.length === 0 ? buildAst(cst) : [], syntaxErrors: errors.length };
}

/** Deeper than any real IDL; keeps the recursive-descent parser far from the stack limit. */
const MAX_NESTING = 64;

function nestingTooDeep(tokens: readonly QToken[]): QToken | undefined {
  let depth = 0;
  for (const t of tokens) {
    const ty = t.tokenType;
    if (ty === T.LParen || ty === T.LCurly || ty === T.LBracket || ty === T.LAngle) {
      if (++depth > MAX_NESTING) return t;
    } else if (ty === T.RParen || ty === T.RCurly || ty === T.RBracket || ty === T.RAngle) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of ds) {
    const key = `${d.code}|${d.span?.file}|${d.span?.offset}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/** Loads, parses and resolves QAIC IDL files into the model the layout engine and emitters read. */
export function loadQaicProgram(opts: LoadOptions): StageResult<QaicProgram> {
  const ctx: PreprocessContext = {
    readFile: opts.bundledIdl === false ? (opts.readFile ?? readInputFile) : withBundledIdl(opts.readFile ?? readInputFile),
    includeDirs: [...(opts.includeDirs ?? []), ...(opts.bundledIdl === false ? [] : [bundledIdlDir()])],
    sources: new Map(),
    lexed: new Map(),
  };
  const defines = (opts.defines ?? []).map((d) => d.split('=')[0] ?? d).filter((d) => d !== '');
  const diagnostics: Diagnostic[] = [];
  const files = new Map<string, IdlFileModel>();
  const allDefines = new Set<string>(defines);
  const roots = opts.files.map(normalizePath);
  for (const root of roots) {
    const unit = preprocess(root, ctx, defines);
    diagnostics.push(...unit.diagnostics);
    for (const d of unit.defines) allDefines.add(d);
    if (!ctx.lexed.has(root)) continue;
    let model: { fileDecls: Map<string, Decl[]> } = { fileDecls: new Map() };
    const tooDeep = nestingTooDeep(unit.tokens);
    if (tooDeep) {
      diagnostics.push({
        code: QaicCodes.NESTING_TOO_DEEP.code,
        severity: 'error',
        message: `brackets nest more than ${MAX_NESTING} levels deep`,
        span: tokenSpan(tooDeep),
      });
    } else {
      try {
        const { decls, syntaxErrors } = parseUnit(unit.tokens, unit.endToken, root, diagnostics);
        // After a syntax error the tree is partial: resolving it would mostly add noise.
        if (syntaxErrors === 0) model = resolveUnit(decls, diagnostics);
      } catch (err) {
        // Backstop for inputs deep enough to exhaust the stack in some other way.
        if (!(err instanceof RangeError)) throw err;
        diagnostics.push({
          code: QaicCodes.NESTING_TOO_DEEP.code,
          severity: 'error',
          message: 'input nests too deeply to be processed',
          span: unit.endToken ? tokenSpan(unit.endToken) : { file: root, line: 1, col: 1, offset: 0, length: 1 },
        });
      }
    }
    for (const [path, includes] of unit.includes) {
      if (files.has(path)) continue;
      const doc = unit.fileDocs.get(path);
      files.set(path, { path, decls: model.fileDecls.get(path) ?? [], includes, ...(doc ? { doc } : {}) });
    }
  }
  // Requested roots first, includes after.
  const ordered = new Map<string, IdlFileModel>();
  for (const r of roots) {
    const f = files.get(r);
    if (f) ordered.set(r, f);
  }
  for (const [p, f] of files) if (!ordered.has(p)) ordered.set(p, f);
  const program: QaicProgram = { dialect: 'qaic', files: ordered, roots, defines: allDefines };
  // Names are checked on a complete model only: after errors it would mostly add noise.
  if (!hasErrors(diagnostics)) diagnostics.push(...checkQaicNames(program));
  // Report in reading order: by file (roots first, then includes), then by position.
  const fileRank = new Map([...ordered.keys()].map((p, i) => [p, i]));
  const rank = (d: Diagnostic): number => (d.span ? (fileRank.get(d.span.file) ?? fileRank.size) : -1);
  const sorted = dedupe(diagnostics)
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank(a.d) - rank(b.d) || (a.d.span?.offset ?? 0) - (b.d.span?.offset ?? 0) || a.i - b.i)
    .map((x) => x.d);
  return { value: program, diagnostics: sorted };
}

/** Parses one in-memory source on its own (includes resolved against nothing but itself). */
export function parseQaicSource(path: string, text: string, extra: Readonly<Record<string, string>> = {}): StageResult<QaicProgram> {
  const sources: Record<string, string> = { ...extra, [normalizePath(path)]: text };
  return loadQaicProgram({ files: [path], readFile: (p) => sources[p] });
}

/** The source texts a load read, for rendering diagnostics with excerpts. */
export function readSources(paths: Iterable<string>, readFile: ReadFile = readInputFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of paths) {
    const t = readFile(p);
    if (typeof t === 'string') out.set(p, t);
  }
  return out;
}

export { renderDiagnostics } from '../diagnostics/render.ts';
