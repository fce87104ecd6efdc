/**
 * Golden sets of generated code: `generated/` (what `npm run generate` writes from idl/),
 * `runtime/interfaces/` (the runtime's own interfaces, from the same IDL, importing the runtime
 * by relative path), and the conformance modules the tests import.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compile, type CompileOptions } from '../../generator/compile.ts';
import { renderDiagnostics } from '../../generator/diagnostics/render.ts';
import type { GoldenFile } from './golden-set.ts';

function idlFiles(root: string, dir: string, skip: readonly string[] = []): string[] {
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.idl') && !skip.includes(f))
    .sort()
    .map((f) => `${dir}/${f}`);
}

/** Compiles with paths relative to the repository root, as the npm scripts do. */
export function generatedSet(root: string, options: Omit<CompileOptions, 'readFile'>): GoldenFile[] {
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const r = compile(options);
    if (r.diagnostics.some((d) => d.severity === 'error')) throw new Error(renderDiagnostics(r.diagnostics, { sources: r.sources }));
    return r.files.map((f) => ({ path: relative(root, join(root, f.path)).split('\\').join('/'), content: f.content }));
  } finally {
    process.chdir(cwd);
  }
}

export const generatedDir = (root: string): GoldenFile[] =>
  generatedSet(root, { files: idlFiles(root, 'idl'), includeDirs: ['idl'], outDir: 'generated' });

export const runtimeInterfaces = (root: string): GoldenFile[] =>
  generatedSet(root, {
    files: idlFiles(root, 'idl'),
    includeDirs: ['idl'],
    outDir: 'runtime/interfaces',
    runtime: '..',
    importExtension: '.ts',
  });

export const conformanceModules = (root: string): GoldenFile[] =>
  generatedSet(root, {
    files: idlFiles(root, 'test/conformance/qaic/idl', ['inc_ops.idl']),
    includeDirs: ['test/conformance/qaic/idl'],
    outDir: 'test/conformance/generated/qaic',
  });

export const qmiSampleModules = (root: string): GoldenFile[] =>
  generatedSet(root, { files: idlFiles(root, 'test/qmi/idl'), includeDirs: ['test/qmi/idl'], outDir: 'test/qmi/generated' });

/** The hostile-names IDLs: their modules must type-check under the project tsconfig. */
export const hostileModules = (root: string): GoldenFile[] =>
  generatedSet(root, { files: ['test/naming/hostile.idl', 'test/naming/hostile.qmi.idl'], outDir: 'test/naming/generated' });
