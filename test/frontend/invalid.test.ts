/**
 * Invalid-input corpus: each test/frontend/invalid/*.idl has the diagnostics the
 * front end must print for it checked in next to it (*.expected).
 * Update after an intended change with: UPDATE_GOLDEN=1 npx vitest run test/frontend
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadQaicProgram } from '../../generator/qaic/index.ts';
import { renderDiagnostics } from '../../generator/diagnostics/render.ts';
import { QaicCodes } from '../../generator/diagnostics/codes.ts';
import { repoRoot } from './helpers.ts';

const dir = 'test/frontend/invalid';
const update = process.env['UPDATE_GOLDEN'] === '1';
const cases = readdirSync(`${repoRoot}${dir}`).filter((f) => f.endsWith('.idl')).sort();

function render(file: string): { text: string; codes: string[] } {
  const sources = new Map<string, string>();
  const read = (p: string): string | undefined => {
    try {
      const t = readFileSync(`${repoRoot}${p}`, 'utf8');
      sources.set(p, t);
      return t;
    } catch {
      return undefined;
    }
  };
  const r = loadQaicProgram({ files: [`${dir}/${file}`], includeDirs: ['idl'], readFile: read });
  return { text: `${renderDiagnostics(r.diagnostics, { sources })}\n`, codes: r.diagnostics.map((d) => `${d.code}:${d.severity}`) };
}

describe('invalid-input corpus', () => {
  const seen = new Set<string>();
  it.each(cases)('%s', (file) => {
    const { text, codes } = render(file);
    for (const c of codes) seen.add(c.split(':')[0] ?? '');
    const expectedPath = `${repoRoot}${dir}/${file.replace(/\.idl$/, '.expected')}`;
    if (update || !existsSync(expectedPath)) {
      if (!update) throw new Error(`missing ${expectedPath}: run UPDATE_GOLDEN=1 npx vitest run test/frontend`);
      writeFileSync(expectedPath, text);
    }
    expect(text).toBe(readFileSync(expectedPath, 'utf8'));
    // The file name says which code it is about: that code must be among the results.
    const m = /^qaic(\d{3})-/.exec(file);
    if (m) expect(codes.some((c) => c.startsWith(`QAIC${m[1]}:`))).toBe(true);
    // Every corpus file except the warning-only one must fail.
    if (!file.startsWith('qaic052')) expect(codes.some((c) => c.endsWith(':error'))).toBe(true);
    else expect(codes.every((c) => c.endsWith(':warning'))).toBe(true);
  });

  it('covers every diagnostic code', () => {
    for (const f of cases) for (const c of render(f).codes) seen.add(c.split(':')[0] ?? '');
    expect(Object.values(QaicCodes).map((c) => c.code).filter((c) => !seen.has(c))).toEqual([]);
  });
});
