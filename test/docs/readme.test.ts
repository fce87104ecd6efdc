import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EmitCodes, QaicCodes } from '../../generator/diagnostics/codes.ts';
import { QmiCodes } from '../../generator/diagnostics/qmi-codes.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('opens with exactly two commands: run the main job, run the tests', () => {
    const first = /```\w*\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const lines = first.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toContain('generate');
    expect(scripts.test).toBeDefined();
  });

  it('documents every diagnostic code in its tables', () => {
    const codes = [...Object.keys(QaicCodes), ...Object.keys(EmitCodes), ...Object.values(QmiCodes)];
    const missing = codes.filter((c) => !readme.includes(`| \`${c}\` |`));
    expect(missing).toEqual([]);
  });
});
