/**
 * The behaviour table of the design documents (test/seeds/README.md) names tests as
 * `file › test name` (a name may be cut short with "…"): each must exist, so the table cannot
 * point at a test that was renamed or removed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const table = new URL('../seeds/README.md', import.meta.url);
const testRoot = new URL('../', import.meta.url);

/** Every `file › name` reference of the table (a bare `› name` refers to the file before it). */
function references(text: string): { file: string; name: string }[] {
  const refs: { file: string; name: string }[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) continue;
    let file = '';
    for (const m of line.matchAll(/`([^`]*›[^`]*)`/g)) {
      const [path, title] = m[1]!.split('›').map((s) => s.trim());
      if (path) file = path;
      refs.push({ file, name: title!.replace(/,?\s*…$/, '').trim() });
    }
  }
  return refs;
}

describe('test/seeds/README.md', () => {
  const refs = references(readFileSync(table, 'utf8'));

  it('names tests', () => {
    expect(refs.length).toBeGreaterThan(30);
  });

  it('every test it names exists', () => {
    const missing = refs.filter(({ file, name }) => {
      const path = new URL(file, testRoot);
      return !existsSync(path) || !readFileSync(path, 'utf8').includes(name);
    });
    expect(missing).toEqual([]);
  });
});
