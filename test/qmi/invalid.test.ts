/**
 * Invalid-input corpus: each test/qmi/invalid/*.idl renders to exactly the diagnostics in
 * its .expected file. Review changes like code; update them all with
 * `UPDATE_GOLDEN=1 npx vitest run test/qmi/invalid.test.ts`.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDiagnostics } from '../../generator/diagnostics/render.ts';
import { QmiCodes } from '../../generator/diagnostics/codes.ts';
import { checkQmiFile } from '../../generator/qmi/index.ts';
import { root } from './helpers.ts';

const dir = 'test/qmi/invalid';
const cases = readdirSync(join(root, dir))
  .filter((f) => f.endsWith('.idl'))
  .sort();

function render(file: string): string {
  const r = checkQmiFile(`${dir}/${file}`, { readFile: (p) => (existsSync(join(root, p)) ? readFileSync(join(root, p), 'utf8') : undefined) });
  return `${renderDiagnostics(r.diagnostics, { sources: r.sources })}\n`;
}

describe('QMI invalid-input corpus', () => {
  it.each(cases)('%s', (file) => {
    const actual = render(file);
    const expectedPath = join(root, dir, file.replace(/\.idl$/, '.expected'));
    if (process.env['UPDATE_GOLDEN'] || !existsSync(expectedPath)) writeFileSync(expectedPath, actual);
    expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
  });

  it('has an input for every diagnostic code', () => {
    const seen = new Set<string>();
    for (const f of cases) for (const m of render(f).matchAll(/\[(QMI\d{3})\]/g)) seen.add(m[1] ?? '');
    expect(Object.values(QmiCodes).map((c) => c.code).filter((c) => !seen.has(c))).toEqual([]);
  });
});
