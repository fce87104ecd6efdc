/**
 * The committed generated modules are what the generator emits today (byte for byte),
 * and generation is deterministic. Regenerate with:
 *   npx tsx generator/cli.ts generate $(ls test/conformance/qaic/idl/*.idl | grep -v inc_ops) \
 *     -I test/conformance/qaic/idl -o test/conformance/generated/qaic
 *   npm run generate
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateFiles } from '../../generator/cli/generate.ts';

function check(files: string[], includeDir: string, outDir: string): void {
  const r = generateFiles(files, { includeDirs: [includeDir], outDir });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const again = generateFiles(files, { includeDirs: [includeDir], outDir });
  expect(again.files).toEqual(r.files);
  for (const f of r.files) {
    expect(existsSync(f.path), `${f.path} is missing: regenerate`).toBe(true);
    expect(readFileSync(f.path, 'utf8') === f.content, `${f.path} is stale: regenerate`).toBe(true);
  }
}

describe('generated code is fresh', () => {
  it('test/conformance/generated/qaic', () => {
    const idl = 'test/conformance/qaic/idl';
    const files = readdirSync(idl).filter((f) => f.endsWith('.idl') && f !== 'inc_ops.idl').sort().map((f) => `${idl}/${f}`);
    check(files, idl, 'test/conformance/generated/qaic');
  });
  it('generated/ (npm run generate)', () => {
    const files = readdirSync('idl').filter((f) => f.endsWith('.idl')).sort().map((f) => `idl/${f}`);
    if (files.length === 0) return;
    check(files, 'idl', 'generated');
  });
});
