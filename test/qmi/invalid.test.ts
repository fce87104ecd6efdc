/**
 * Invalid-input corpus: each test/qmi/invalid/*.idl renders to exactly the diagnostics in its
 * .expected file (the golden set `qmi-invalid`; `npm run golden -- update qmi-invalid`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLive, QmiCodes, type CodeInfo } from '../../generator/diagnostics/codes.ts';
import { invalidCases } from '../../tools/golden/invalid.ts';
import { root } from './helpers.ts';

const dir = 'test/qmi/invalid';
const cases = invalidCases(root, dir, [], 'qmi');

describe('QMI invalid-input corpus', () => {
  it.each(cases.map((c) => [c.file.slice(dir.length + 1), c] as const))('%s', (_file, c) => {
    const expected = readFileSync(join(root, c.file.replace(/\.idl$/, '.expected')), 'utf8');
    expect(c.text, 'run npm run golden -- update qmi-invalid').toBe(expected);
  });

  it('has an input for every diagnostic code', () => {
    const seen = new Set(cases.flatMap((c) => c.diagnostics.map((d) => d.code)));
    expect(
      Object.values<CodeInfo>(QmiCodes)
        .filter(isLive)
        .map((c) => c.code)
        .filter((c) => !seen.has(c)),
    ).toEqual([]);
  });
});
