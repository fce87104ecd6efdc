/** Shared helpers of the front-end tests: in-memory loading and model walking. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadQaicProgram } from '../../generator/qaic/index.ts';
import type { Decl, InterfaceDecl, QaicProgram } from '../../generator/model/qaic.ts';
import type { Diagnostic, StageResult } from '../../generator/diagnostics/diagnostic.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const conformanceDir = 'test/conformance/qaic/idl';

export function conformanceText(name: string): string {
  return readFileSync(`${repoRoot}${conformanceDir}/${name}`, 'utf8');
}

export function conformanceFiles(): string[] {
  return readdirSync(`${repoRoot}${conformanceDir}`)
    .filter((f) => f.endsWith('.idl'))
    .sort();
}

/** Loads in-memory sources; `inc/remote.idl` and `inc/AEEStdDef.idl` are always available through -I inc. */
export function loadMemory(
  files: Record<string, string>,
  roots: string[] = Object.keys(files).slice(0, 1),
  defines: string[] = [],
): StageResult<QaicProgram> {
  const all: Record<string, string> = {
    'inc/remote.idl': conformanceText('remote.idl'),
    'inc/AEEStdDef.idl': conformanceText('AEEStdDef.idl'),
    ...files,
  };
  return loadQaicProgram({ files: roots, includeDirs: ['inc'], defines, readFile: (p) => all[p] });
}

export function errors(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => d.severity === 'error');
}

export function allDecls(p: QaicProgram): Decl[] {
  const out: Decl[] = [];
  const walk = (ds: readonly Decl[]): void => {
    for (const d of ds) {
      out.push(d);
      if (d.kind === 'module' || d.kind === 'interface') walk(d.members);
    }
  };
  for (const f of p.files.values()) walk(f.decls);
  return out;
}

export function findInterface(p: QaicProgram, scoped: string): InterfaceDecl | undefined {
  return allDecls(p).find(
    (d): d is InterfaceDecl => d.kind === 'interface' && !d.forwardOnly && [...d.scope, d.name].join('::') === scoped,
  );
}
