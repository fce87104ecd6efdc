/**
 * The shape of the code base, checked: layers point one way (wire <- rpc <- transport <- the
 * rest), the runtime never imports generated code or the generator, and no function in the
 * generator or the wire layer outgrows what a reader can hold (120 lines).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionSizes } from '../tools/function-sizes.ts';

const ROOT = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/'));
}

/** Relative imports of a file (static, re-exports, dynamic with a literal), as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) =>
      relative(ROOT, resolve(ROOT, dirname(file), s))
        .split('\\')
        .join('/'),
    );
}

const area = (path: string): string => {
  const parts = path.split('/');
  if (parts[0] !== 'runtime') return parts[0] ?? '';
  return parts[1] === 'qmi' || parts[1] === 'memory' ? `runtime/${parts[1]}` : `runtime/${(parts[1] ?? '').replace(/\.[jt]s$/, '')}`;
};

/** Which runtime areas each area may import (besides itself). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  'runtime/wire': [],
  'runtime/rpc': ['runtime/wire'],
  'runtime/codegen': ['runtime/wire', 'runtime/rpc', 'runtime/qmi'],
  'runtime/interfaces': ['runtime/codegen'],
  'runtime/transport': ['runtime/wire', 'runtime/rpc', 'runtime/interfaces'],
  'runtime/qmi': ['runtime/wire', 'runtime/transport', 'runtime/interfaces'],
  'runtime/memory': ['runtime/wire', 'runtime/rpc', 'runtime/transport', 'runtime/qmi', 'runtime/interfaces'],
  'runtime/index': ['runtime/wire', 'runtime/rpc', 'runtime/transport'],
};

describe('layering', () => {
  const runtime = sourceFiles('runtime');

  it.each(Object.keys(ALLOWED))('%s imports only what it may', (from) => {
    const bad = runtime
      .filter((f) => area(f) === from)
      .flatMap((f) => importsOf(f).map((to) => [f, to] as const))
      .filter(([, to]) => area(to) !== from && !(ALLOWED[from] ?? []).includes(area(to)))
      .map(([f, to]) => `${f} -> ${to}`);
    expect(bad).toEqual([]);
  });

  it('no runtime file imports generated/, the generator or the tests', () => {
    const bad = runtime.flatMap((f) =>
      importsOf(f)
        .filter((to) => /^(generated|generator|test|tools)\//.test(to))
        .map((to) => `${f} -> ${to}`),
    );
    expect(bad).toEqual([]);
  });

  it('every runtime file belongs to a known layer', () => {
    expect(runtime.map(area).filter((a) => !(a in ALLOWED))).toEqual([]);
  });
});

describe('function sizes', () => {
  it('no function in generator/ or runtime/wire is longer than 120 lines', () => {
    const big = functionSizes([join(ROOT, 'generator'), join(ROOT, 'runtime', 'wire')]).filter((f) => f.lines > 120);
    expect(big.map((f) => `${relative(ROOT, f.file)}:${f.line} ${f.name} (${f.lines} lines)`)).toEqual([]);
  });
});
