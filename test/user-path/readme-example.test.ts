/**
 * Replays the README's calculator walkthrough verbatim: file blocks are written where their
 * first-line comment says, shell blocks run in a scratch copy of the repository, and the
 * `text` block after a shell block is what that command must print.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '..', '..');
const START = '<!-- calculator-example:start -->';
const END = '<!-- calculator-example:end -->';

interface Block {
  readonly lang: string;
  readonly body: string;
}

function sectionBlocks(readme: string): Block[] {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error('README has no calculator-example section');
  const section = readme.slice(a + START.length, b);
  return [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] ?? '', body: m[2] ?? '' }));
}

/** The path a file block names in its first line (`// path`), if any. */
function namedPath(block: Block): string | undefined {
  const m = /^\/\/ ([\w./-]+)(?::|\n)/.exec(block.body);
  return m?.[1];
}

/** A scratch repository: sources linked, package metadata copied, nothing of the example present. */
function scratchRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dspidl-readme-'));
  for (const d of ['generator', 'runtime', 'idl', 'bin', 'node_modules']) symlinkSync(join(REPO, d), join(dir, d));
  for (const f of ['package.json', 'tsconfig.json', 'index.ts']) copyFileSync(join(REPO, f), join(dir, f));
  // Shipped with the repository and used by the last step, not written by the walkthrough.
  mkdirSync(join(dir, 'examples'));
  copyFileSync(join(REPO, 'examples', 'json-descriptor-emitter.ts'), join(dir, 'examples', 'json-descriptor-emitter.ts'));
  return dir;
}

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
const blocks = sectionBlocks(readme);
const scratch = scratchRepo();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README calculator walkthrough', () => {
  it('has the IDL, the two programs and the commands, and they match examples/calculator', () => {
    const files = blocks.map(namedPath).filter((p): p is string => p !== undefined);
    expect(files).toEqual(['examples/calculator/calculator.idl', 'examples/calculator/apps.ts', 'examples/calculator/dsp.ts']);
    for (const b of blocks) {
      const p = namedPath(b);
      if (p === undefined) continue;
      expect(b.body).toBe(readFileSync(join(REPO, p), 'utf8'));
    }
    expect(blocks.filter((b) => b.lang === 'sh')).toHaveLength(3);
  });

  it('runs verbatim: generates with the CLI, calls calculator from a worker DSP, prints the results', async () => {
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i]!;
      const p = namedPath(b);
      if (p !== undefined) {
        const target = join(scratch, p);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, b.body);
        continue;
      }
      if (b.lang !== 'sh') continue;
      const { stdout } = await run('sh', ['-e', '-c', b.body], { cwd: scratch, env: { ...process.env, NO_COLOR: '1' }, timeout: 90_000 });
      const expected = blocks[i + 1];
      if (expected?.lang === 'text') expect(stdout).toBe(expected.body);
    }
    const json = JSON.parse(readFileSync(join(scratch, 'examples/calculator/generated/calculator.interface.json'), 'utf8')) as {
      methods: { name: string; scalars: string }[];
    };
    expect(json.methods.map((m) => `${m.name} ${m.scalars}`)).toEqual([
      'open 0x00020001',
      'close 0x01000010',
      'sum 0x02020100',
      'max 0x03020100',
    ]);
  }, 180_000);
});
