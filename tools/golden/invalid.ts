/**
 * Golden sets of the invalid-input corpora: each `<dir>/*.idl` has the exact diagnostics the
 * generator prints for it checked in beside it as `*.expected` (both front ends, names check
 * included, nothing generated).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../../generator/compile.ts';
import { renderDiagnostics } from '../../generator/diagnostics/render.ts';
import { checkQmiFile } from '../../generator/qmi/index.ts';
import type { Diagnostic } from '../../generator/diagnostics/diagnostic.ts';
import type { GoldenFile } from './golden-set.ts';

export interface InvalidCase {
  readonly file: string;
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** How a corpus file is read: as QMI whatever its content (the QMI corpus), or told from its content. */
export type CorpusDialect = 'qmi' | 'auto';

/** The diagnostics of one corpus file, rendered as `dspidl check` prints them (without colour). */
export function renderInvalid(root: string, path: string, includeDirs: readonly string[], dialect: CorpusDialect): InvalidCase {
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const r = dialect === 'qmi' ? checkQmiFile(path, { includeDirs }) : compile({ files: [path], includeDirs, parseOnly: true });
    return { file: path, text: `${renderDiagnostics(r.diagnostics, { sources: r.sources })}\n`, diagnostics: r.diagnostics };
  } finally {
    process.chdir(cwd);
  }
}

export function invalidCases(root: string, dir: string, includeDirs: readonly string[], dialect: CorpusDialect = 'auto'): InvalidCase[] {
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.idl'))
    .sort()
    .map((f) => renderInvalid(root, `${dir}/${f}`, includeDirs, dialect));
}

export function invalidCorpus(
  dir: string,
  includeDirs: readonly string[],
  dialect: CorpusDialect = 'auto',
): (root: string) => GoldenFile[] {
  return (root) =>
    invalidCases(root, dir, includeDirs, dialect).map((c) => ({ path: c.file.replace(/\.idl$/, '.expected'), content: c.text }));
}
