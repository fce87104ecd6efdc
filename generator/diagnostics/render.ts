import { LineIndex, type SourceSpan } from '../source.ts';
import type { Diagnostic } from './diagnostic.ts';

export interface RenderOptions {
  /** ANSI colours (the CLI turns them on for a TTY). */
  readonly color?: boolean;
  /** File contents by path, for the source excerpt and caret. */
  readonly sources?: ReadonlyMap<string, string>;
}

const ansi = {
  red: (s: string) => `\x1b[31;1m${s}\x1b[0m`,
  yellow: (s: string) => `\x1b[33;1m${s}\x1b[0m`,
  bold: (s: string) => `\x1b[1m${s}\x1b[0m`,
  blue: (s: string) => `\x1b[34m${s}\x1b[0m`,
};

/**
 * `file:line:col: error[CODE]: message`, then the source line with a caret under the
 * offending token, then the context path when there is one.
 */
export function renderDiagnostic(d: Diagnostic, options: RenderOptions = {}): string {
  const color = options.color === true;
  const sev = d.severity === 'error' ? (color ? ansi.red('error') : 'error') : color ? ansi.yellow('warning') : 'warning';
  const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.col}: ` : '';
  const head = `${color ? ansi.bold(where) : where}${sev}[${d.code}]: ${d.message}`;
  const lines = [head];
  if (d.span) lines.push(...excerpt(d.span, options, color ? ansi.red : undefined));
  if (d.context && d.context.length > 0) {
    const path = d.context.join(' -> ');
    lines.push(`  = in ${color ? ansi.blue(path) : path}`);
  }
  for (const r of d.related ?? []) {
    const at = `${r.span.file}:${r.span.line}:${r.span.col}`;
    lines.push(`  = note: ${r.message} at ${color ? ansi.bold(at) : at}`);
    lines.push(...excerpt(r.span, options, color ? ansi.blue : undefined));
  }
  return lines.join('\n');
}

/** The source line of a span with a caret under it; nothing when the text is not at hand. */
function excerpt(span: SourceSpan, options: RenderOptions, paint: ((s: string) => string) | undefined): string[] {
  const text = options.sources?.get(span.file);
  if (text === undefined) return [];
  const index = new LineIndex(text);
  const src = index.lineText(span.line);
  const gutter = String(span.line);
  const pad = ' '.repeat(gutter.length);
  const caretStart = Math.max(0, span.col - 1);
  const width = Math.max(1, Math.min(span.length, src.length - caretStart));
  const prefix = src.slice(0, caretStart).replace(/[^\t]/g, ' ');
  const caret = '^'.repeat(width);
  return [`${pad} |`, `${gutter} | ${src}`, `${pad} | ${prefix}${paint ? paint(caret) : caret}`];
}

export function renderDiagnostics(ds: readonly Diagnostic[], options: RenderOptions = {}): string {
  return ds.map((d) => renderDiagnostic(d, options)).join('\n\n');
}
