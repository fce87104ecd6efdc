/**
 * Replays the README's house-style example: its template files are written where their first
 * line says, the command runs in a scratch directory, and its output is what the README shows.
 * Also: a broken or misnamed template is an error that names the file, not a crash.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../generator/compile.ts';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '..', '..');
const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('<!-- templates-example:start -->'), readme.indexOf('<!-- templates-example:end -->'));
const blocks = [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] ?? '', body: m[2] ?? '' }));
const scratch = mkdtempSync(join(tmpdir(), 'dspidl-templates-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README house-style templates', () => {
  it('runs as written and prints what the README shows', async () => {
    copyFileSync(join(REPO, 'examples', 'calculator', 'calculator.idl'), join(scratch, 'calculator.idl'));
    const files = blocks.filter((b) => b.lang === 'hbs');
    expect(files).toHaveLength(2);
    for (const b of files) {
      const path = /^\{\{!-- ([\w./-]+):/.exec(b.body)?.[1];
      expect(path).toBeDefined();
      mkdirSync(dirname(join(scratch, path!)), { recursive: true });
      writeFileSync(join(scratch, path!), b.body);
    }
    const sh = blocks.find((b) => b.lang === 'sh')!.body.replace('npx dspidl', `node ${join(REPO, 'bin', 'dspidl.mjs')}`);
    const { stdout } = await run('sh', ['-e', '-c', sh], {
      cwd: scratch,
      env: { ...process.env, NO_COLOR: '1', NODE_PATH: join(REPO, 'node_modules') },
    });
    expect(stdout).toBe(blocks.find((b) => b.lang === 'text')!.body);
    // Only the two partials changed: the rest of the module is the built-in output.
    const house = readFileSync(join(scratch, 'house', 'calculator.ts'), 'utf8');
    const builtin = compile({ files: [join(scratch, 'calculator.idl')] }).files[0]!.content;
    const code = (t: string): string =>
      t
        .split('\n')
        .filter((l) => !/^\s*(\/\/|\/\*\*|\*)/.test(l))
        .join('\n');
    expect(code(house)).toBe(code(builtin));
  });

  it('refuses a template that is not a built-in name, or does not compile, naming the file (EMIT002)', () => {
    const dir = join(scratch, 'bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'headr.hbs'), '// x\n');
    const r1 = compile({ files: [join(REPO, 'examples', 'calculator', 'calculator.idl')], templates: dir });
    expect(r1.files).toEqual([]);
    expect(r1.diagnostics[0]).toMatchObject({
      code: 'EMIT002',
      message: expect.stringContaining("headr.hbs is not a built-in template name; did you mean 'header.hbs'?"),
    });
    rmSync(join(dir, 'headr.hbs'));
    writeFileSync(join(dir, 'header.hbs'), '// {{#each}}\n');
    const r2 = compile({ files: [join(REPO, 'examples', 'calculator', 'calculator.idl')], templates: dir });
    expect(r2.diagnostics[0]).toMatchObject({ code: 'EMIT002', message: expect.stringContaining('header.hbs') });
    writeFileSync(join(dir, 'header.hbs'), '// {{sourse}}\n');
    const r3 = compile({ files: [join(REPO, 'examples', 'calculator', 'calculator.idl')], templates: dir });
    expect(r3.files).toEqual([]);
    expect(r3.diagnostics[0]).toMatchObject({ code: 'EMIT001', message: expect.stringContaining('"sourse" not defined') });
  });
});
