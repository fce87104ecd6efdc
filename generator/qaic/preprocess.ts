/**
 * qaic's built-in preprocessor, working on tokens: `#include` splices the included
 * file's tokens in place (so an include inside an interface body adds methods to
 * it), `#define NAME` records a name, `#ifdef`/`#ifndef`/`#endif` drop inactive
 * regions, `#pragma`/`#line` are tolerated and anything else is refused, as qaic
 * does. Doc comments are attached to the neighbouring tokens here, because the
 * parser never sees comments.
 */
import type { IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { isRefusal, type InputRefusal, type ReadFile, type SourceSpan } from '../source.ts';
import { LineIndex } from '../source.ts';
import * as T from './tokens.ts';
import { QaicCodes, type CodeInfo } from '../diagnostics/codes.ts';

/** A token that knows its file and the doc comments around it. */
export interface QToken extends IToken {
  file: string;
  /** Doc comments right before the token. */
  docs?: string[];
  /** Trailing doc comments (`///<`, `/**<`) right after the token. */
  trailing?: string[];
}

export function tokenSpan(tok: IToken, file?: string): SourceSpan {
  const f = file ?? (tok as QToken).file;
  const length = Number.isFinite(tok.endOffset) && tok.endOffset !== undefined ? tok.endOffset - tok.startOffset + 1 : tok.image.length;
  return { file: f, line: tok.startLine ?? 1, col: tok.startColumn ?? 1, offset: tok.startOffset, length: Math.max(1, length) };
}

interface DirectiveItem {
  readonly directive: true;
  readonly name: string;
  readonly arg: string;
  readonly token: QToken;
  /** Column and offset of the directive name (for messages that point at it). */
  readonly nameSpan: SourceSpan;
}

type Item = QToken | DirectiveItem;

interface LexedFile {
  readonly items: Item[];
  readonly diagnostics: Diagnostic[];
  /** Doc comments before the file's first directive, when nothing but comments precedes it. */
  readonly fileDoc: string[];
}

export interface PreprocessContext {
  readonly readFile: ReadFile;
  readonly includeDirs: readonly string[];
  /** Source texts read so far, by path (shared across translation units). */
  readonly sources: Map<string, string>;
  /** Lexed files, by path (shared across translation units). */
  readonly lexed: Map<string, LexedFile>;
}

export interface TranslationUnit {
  readonly root: string;
  readonly tokens: QToken[];
  /** Files expanded in this unit, in first-expansion order, with the files each includes. */
  readonly includes: Map<string, string[]>;
  readonly defines: Set<string>;
  /** File header doc comments, by path. */
  readonly fileDocs: Map<string, string[]>;
  /** Last token of the root file, for errors at end of input. */
  readonly endToken: QToken | undefined;
  readonly diagnostics: Diagnostic[];
}

const MAX_DEPTH = 200;

function normalizePath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  const joined = out.join('/');
  return abs ? `/${joined}` : joined === '' ? '.' : joined;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return p.slice(0, i);
}

function joinPath(dir: string, name: string): string {
  if (name.startsWith('/')) return normalizePath(name);
  return normalizePath(dir === '.' ? name : `${dir}/${name}`);
}

function docText(image: string): { text: string; trailing: boolean } | undefined {
  let body: string;
  let trailing = false;
  if (image.startsWith('/*')) {
    if (!(image.startsWith('/**') || image.startsWith('/*!')) || image === '/**/' || image.startsWith('/***')) return undefined;
    body = image.slice(3, -2);
    if (body.startsWith('<')) {
      trailing = true;
      body = body.slice(1);
    }
    const lines = body.split('\n').map((l) =>
      l
        .replace(/\r$/, '')
        .replace(/^\s*\*? ?/, '')
        .trimEnd(),
    );
    while (lines.length > 0 && lines[0] === '') lines.shift();
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return { text: lines.join('\n'), trailing };
  }
  if (!(image.startsWith('///') || image.startsWith('//!')) || image.startsWith('////')) return undefined;
  body = image.slice(3);
  if (body.startsWith('<')) {
    trailing = true;
    body = body.slice(1);
  }
  return { text: body.trim(), trailing };
}

function lexFile(path: string, text: string): LexedFile {
  const diagnostics: Diagnostic[] = [];
  // A UTF-8 byte order mark is not part of the text; blank it so offsets stay put.
  const result = T.qaicLexer().tokenize(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
  T.classifyKeywords(result.tokens);
  let index: LineIndex | undefined;
  for (const e of result.errors) {
    index ??= new LineIndex(text);
    const pos = index.position(e.offset);
    const ch = text.charAt(e.offset);
    const hint = ch === '"' || ch === "'" ? ' (unterminated literal?)' : '';
    diagnostics.push({
      code: QaicCodes.LEX_ERROR.code,
      severity: 'error',
      message: `unexpected character ${JSON.stringify(ch)}${hint}`,
      span: { file: path, line: pos.line, col: pos.col, offset: e.offset, length: Math.max(1, e.length) },
    });
  }
  const items: Item[] = [];
  let fileDoc: string[] = [];
  let pending: string[] = [];
  let lastCode: QToken | undefined;
  for (const raw of result.tokens) {
    const tok = raw as QToken;
    tok.file = path;
    const type = tok.tokenType;
    if (type === T.LineComment || type === T.BlockComment) {
      const doc = docText(tok.image);
      if (doc === undefined) continue;
      if (doc.trailing) {
        if (lastCode) (lastCode.trailing ??= []).push(doc.text);
      } else pending.push(doc.text);
      continue;
    }
    if (type === T.UnterminatedComment) {
      diagnostics.push({
        code: QaicCodes.LEX_ERROR.code,
        severity: 'error',
        message: 'unterminated comment',
        span: { ...tokenSpan(tok), length: 2 },
      });
      continue;
    }
    if (type === T.Directive) {
      if (items.length === 0 && fileDoc.length === 0) fileDoc = pending;
      pending = [];
      // A directive must start its line; anything else is a stray '#'.
      const lineStart = text.lastIndexOf('\n', tok.startOffset - 1) + 1;
      if (text.slice(lineStart, tok.startOffset).trim() !== '') {
        diagnostics.push({
          code: QaicCodes.LEX_ERROR.code,
          severity: 'error',
          message: `unexpected character "#"`,
          span: { ...tokenSpan(tok), length: 1 },
        });
        continue;
      }
      const m = /^#(\s*)([A-Za-z_]*)(.*)$/.exec(tok.image.replace(/\r$/, ''));
      const name = m?.[2] ?? '';
      const nameOffset = 1 + (m?.[1]?.length ?? 0);
      const span = tokenSpan(tok);
      items.push({
        directive: true,
        name,
        arg: (m?.[3] ?? '').trim(),
        token: tok,
        nameSpan: { ...span, col: span.col + nameOffset, offset: span.offset + nameOffset, length: Math.max(1, name.length) },
      });
      continue;
    }
    if (pending.length > 0) {
      tok.docs = pending;
      pending = [];
    }
    items.push(tok);
    lastCode = tok;
  }
  return { items, diagnostics, fileDoc };
}

function stripComment(arg: string): string {
  return arg
    .replace(/\/\/.*$/, '')
    .replace(/\/\*.*?\*\//g, '')
    .trim();
}

/** Each open conditional: whether it is active, and where it started. */
interface Conditional {
  readonly active: boolean;
  readonly at: DirectiveItem;
}

/** Expands one root file into the token stream the parser reads. */
export function preprocess(root: string, ctx: PreprocessContext, initialDefines: readonly string[]): TranslationUnit {
  return new Preprocessor(ctx, initialDefines).run(root);
}

/** One translation unit's expansion: tokens in order, includes spliced, conditionals applied. */
class Preprocessor {
  private readonly tokens: QToken[] = [];
  private readonly includes = new Map<string, string[]>();
  private readonly fileDocs = new Map<string, string[]>();
  private readonly defines: Set<string>;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly reported = new Set<string>();
  /** Files being expanded, outermost first (an include of one of them is a cycle). */
  private readonly stack: string[] = [];

  constructor(
    private readonly ctx: PreprocessContext,
    initialDefines: readonly string[],
  ) {
    this.defines = new Set(initialDefines);
  }

  run(root: string): TranslationUnit {
    let endToken: QToken | undefined;
    const lexed = this.load(root);
    if (lexed === undefined) {
      this.diagnostics.push({ code: QaicCodes.FILE_NOT_FOUND.code, severity: 'error', message: `cannot read input file ${root}` });
    } else if (isRefusal(lexed)) {
      this.diagnostics.push({ code: lexed.refused.code, severity: 'error', message: lexed.message });
    } else {
      this.expand(root, lexed, 0);
      for (let i = lexed.items.length - 1; i >= 0; i--) {
        const it = lexed.items[i];
        if (it && !('directive' in it)) {
          endToken = it;
          break;
        }
      }
    }
    return {
      root,
      tokens: this.tokens,
      includes: this.includes,
      fileDocs: this.fileDocs,
      defines: this.defines,
      endToken,
      diagnostics: this.diagnostics,
    };
  }

  private load(path: string): LexedFile | InputRefusal | undefined {
    const { ctx } = this;
    let lexed = ctx.lexed.get(path);
    if (lexed) return lexed;
    let text = ctx.sources.get(path);
    if (text === undefined) {
      const read = ctx.readFile(path);
      if (read === undefined || isRefusal(read)) return read;
      text = read;
      ctx.sources.set(path, text);
    }
    lexed = lexFile(path, text);
    ctx.lexed.set(path, lexed);
    return lexed;
  }

  /** The first candidate that exists; a refused one (a directory, a huge file) ends the search. */
  private resolveInclude(from: string, name: string): string | InputRefusal | undefined {
    const candidates = [joinPath(dirname(from), name), ...this.ctx.includeDirs.map((d) => joinPath(normalizePath(d), name))];
    for (const c of candidates) {
      const r = this.load(c);
      if (r === undefined) continue;
      return isRefusal(r) ? r : c;
    }
    return undefined;
  }

  private error(code: CodeInfo, message: string, span: SourceSpan): void {
    this.diagnostics.push({ code: code.code, severity: 'error', message, span });
  }

  private expand(path: string, lexed: LexedFile, depth: number): void {
    this.stack.push(path);
    const firstTime = !this.includes.has(path);
    const myIncludes: string[] = [];
    if (firstTime) {
      this.includes.set(path, myIncludes);
      if (lexed.fileDoc.length > 0) this.fileDocs.set(path, lexed.fileDoc);
      if (!this.reported.has(path)) {
        this.reported.add(path);
        this.diagnostics.push(...lexed.diagnostics);
      }
    }
    const conds: Conditional[] = [];
    for (const item of lexed.items) {
      if (!('directive' in item)) {
        if (conds.every((c) => c.active)) this.tokens.push(item);
        continue;
      }
      this.directive(item, conds, path, depth, firstTime ? myIncludes : undefined);
    }
    for (const c of conds) this.error(QaicCodes.UNBALANCED_CONDITIONAL, `#${c.at.name} without a matching #endif`, c.at.nameSpan);
    this.stack.pop();
  }

  private directive(d: DirectiveItem, conds: Conditional[], path: string, depth: number, includesOf: string[] | undefined): void {
    const active = conds.every((c) => c.active);
    switch (d.name) {
      case 'ifdef':
      case 'ifndef': {
        const sym = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(stripComment(d.arg))?.[1];
        if (sym === undefined) {
          if (active) this.error(QaicCodes.BAD_DIRECTIVE, `#${d.name} needs a name`, d.nameSpan);
          conds.push({ active: false, at: d });
        } else conds.push({ active: d.name === 'ifdef' ? this.defines.has(sym) : !this.defines.has(sym), at: d });
        return;
      }
      case 'endif':
        if (conds.length === 0) this.error(QaicCodes.UNBALANCED_CONDITIONAL, '#endif without a matching #ifdef or #ifndef', d.nameSpan);
        else conds.pop();
        return;
      case 'if':
      case 'else':
      case 'elif':
      case 'undef':
      case 'error':
      case 'warning':
      case 'elifdef':
      case 'elifndef':
        // Keep the matching #endif of an #if balanced so one mistake gives one error.
        if (d.name === 'if') conds.push({ active: true, at: d });
        if (conds.every((c) => c.active) || d.name !== 'if') {
          this.error(
            QaicCodes.UNSUPPORTED_DIRECTIVE,
            `#${d.name} is not supported by qaic's preprocessor (only #include, #define, #ifdef, #ifndef, #endif, #pragma and #line)`,
            d.nameSpan,
          );
        }
        return;
      case 'pragma':
      case 'line':
        return;
      case 'define': {
        if (!active) return;
        const sym = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(d.arg)?.[1];
        if (sym === undefined) this.error(QaicCodes.BAD_DIRECTIVE, '#define needs a name', d.nameSpan);
        else this.defines.add(sym);
        return;
      }
      case 'include':
        if (active) this.include(d, path, depth, includesOf);
        return;
      default:
        if (active)
          this.error(
            QaicCodes.UNSUPPORTED_DIRECTIVE,
            d.name === '' ? 'empty or malformed preprocessor directive' : `unknown preprocessor directive #${d.name}`,
            d.nameSpan,
          );
    }
  }

  private include(d: DirectiveItem, path: string, depth: number, includesOf: string[] | undefined): void {
    const m = /^(?:"([^"]+)"|<([^>]+)>)$/.exec(stripComment(d.arg));
    const name = m?.[1] ?? m?.[2];
    if (name === undefined) {
      this.error(QaicCodes.BAD_DIRECTIVE, '#include needs a file name in "quotes" or <angle brackets>', d.nameSpan);
      return;
    }
    const found = this.resolveInclude(path, name);
    const argSpan = tokenSpan(d.token);
    const at = d.token.image.indexOf(name) - 1;
    const fileSpan: SourceSpan = { ...argSpan, col: argSpan.col + at, offset: argSpan.offset + at, length: name.length + 2 };
    if (found === undefined) {
      this.error(
        QaicCodes.FILE_NOT_FOUND,
        `cannot find include file "${name}" (searched the including file's directory${this.ctx.includeDirs.length > 0 ? ' and the -I paths' : '; no -I paths given'})`,
        fileSpan,
      );
      return;
    }
    if (isRefusal(found)) {
      this.error(found.refused, found.message, fileSpan);
      return;
    }
    includesOf?.push(found);
    const lexedInc = this.ctx.lexed.get(found);
    if (this.stack.includes(found)) {
      // Including a file that is being expanded only ends if its guard is already defined.
      const first = lexedInc?.items.find((it) => 'directive' in it);
      const guard =
        first && 'directive' in first && first.name === 'ifndef'
          ? /^([A-Za-z_][A-Za-z0-9_]*)/.exec(stripComment(first.arg))?.[1]
          : undefined;
      if (guard === undefined || !this.defines.has(guard)) {
        this.error(
          QaicCodes.INCLUDE_TOO_DEEP,
          `#include cycle: "${name}" is already being included (${[...this.stack, found].map((x) => x.slice(x.lastIndexOf('/') + 1)).join(' -> ')}) and has no include guard`,
          fileSpan,
        );
      }
      return;
    }
    if (depth + 1 > MAX_DEPTH) {
      this.error(QaicCodes.INCLUDE_TOO_DEEP, `#include nesting deeper than ${MAX_DEPTH} levels at "${name}"`, fileSpan);
      return;
    }
    if (lexedInc) this.expand(found, lexedInc, depth + 1);
  }
}

export { normalizePath };
