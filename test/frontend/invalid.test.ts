/**
 * Invalid-input corpus: each test/frontend/invalid/*.idl has the diagnostics the front end
 * must print for it checked in next to it (*.expected, the golden set `qaic-invalid`; update
 * after an intended change with `npm run golden -- update qaic-invalid` and review the diff).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QaicCodes } from '../../generator/diagnostics/codes.ts';
import { invalidCases } from '../../tools/golden/invalid.ts';
import { repoRoot } from './helpers.ts';

const dir = 'test/frontend/invalid';
const cases = invalidCases(repoRoot, dir, ['idl']);

describe('invalid-input corpus', () => {
  it.each(cases.map((c) => [c.file.slice(dir.length + 1), c] as const))('%s', (file, c) => {
    const expected = readFileSync(`${repoRoot}${c.file.replace(/\.idl$/, '.expected')}`, 'utf8');
    expect(c.text, 'run npm run golden -- update qaic-invalid').toBe(expected);
    const codes = c.diagnostics.map((d) => `${d.code}:${d.severity}`);
    // The file name says which code it is about: that code must be among the results.
    const m = /^qaic(\d{3})-/.exec(file);
    if (m) expect(codes.some((x) => x.startsWith(`QAIC${m[1]}:`))).toBe(true);
    // Every corpus file except the warning-only one must fail.
    if (!file.startsWith('qaic052')) expect(codes.some((x) => x.endsWith(':error'))).toBe(true);
    else expect(codes.every((x) => x.endsWith(':warning'))).toBe(true);
  });

  it('covers every QAIC diagnostic code', () => {
    const seen = new Set(cases.flatMap((c) => c.diagnostics.map((d) => d.code)));
    expect(
      Object.values(QaicCodes)
        .map((c) => c.code)
        .filter((c) => !seen.has(c)),
    ).toEqual([]);
  });
});
