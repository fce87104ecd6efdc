import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_CODES } from '../../generator/diagnostics/codes.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('opens with exactly two commands: run the main job, run the tests', () => {
    const first = /```\w*\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const lines = first.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    const scripts = (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts.start).toContain('generate');
    expect(scripts.test).toBeDefined();
  });

  it('documents every diagnostic code in its tables', () => {
    const codes = ALL_CODES.map((c) => c.code);
    const missing = codes.filter((c) => !readme.includes(`| \`${c}\` |`));
    expect(missing).toEqual([]);
  });
});

describe('README simulated hardware example', () => {
  it('runs as written and prints the DSP address it mapped', () => {
    const section = readme.slice(readme.indexOf('<!-- sim-example:start -->'), readme.indexOf('<!-- sim-example:end -->'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeDefined();
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const file = join(root, `.readme-quickstart-${process.pid}.ts`);
    writeFileSync(file, code!);
    try {
      const r = spawnSync(process.execPath, ['--conditions=dspidl-source', '--import', 'tsx', file], { cwd: root, encoding: 'utf8' });
      expect(r.stderr).not.toMatch(/Error/);
      expect(r.stdout).toMatch(/^DSP heap grew by 1 MiB at 0x[0-9a-f]+\n$/);
      expect(r.status).toBe(0);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
