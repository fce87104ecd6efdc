/**
 * Every construct of rejected.json (qaic refuses it, or accepts it but generates
 * unusable C) is rejected with an error located in the snippet, on the line qaic
 * reports when qaic gives a position.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadMemory, repoRoot } from './helpers.ts';

interface Rejected {
  id: string;
  idl_snippet: string;
  qaic_error: string | null;
  category?: string;
}
const entries = JSON.parse(readFileSync(`${repoRoot}test/conformance/qaic/rejected.json`, 'utf8')) as Rejected[];

/** qaic's own position, when its message is a located parse or scope error (not a dump of its internals). */
function qaicPosition(e: Rejected): { line: number; col: number } | undefined {
  const m = /^(?:qaic: )?"snippet\.idl" \(line (\d+), column (\d+)\)/.exec(e.qaic_error ?? '');
  return m ? { line: Number(m[1]), col: Number(m[2]) } : undefined;
}

describe('rejected.json', () => {
  it('has the 38 entries the README describes', () => {
    expect(entries.length).toBe(38);
  });
  it.each(entries.map((e) => [e.id, e] as const))('%s is rejected with a located error', (_id, e) => {
    const r = loadMemory({ 'snippet.idl': e.idl_snippet });
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.every((d) => d.span?.file === 'snippet.idl')).toBe(true);
    const pos = qaicPosition(e);
    if (pos) {
      const first = errs[0];
      expect(first?.span?.line).toBe(pos.line);
      expect(Math.abs((first?.span?.col ?? 0) - pos.col)).toBeLessThanOrEqual(15);
    }
  });
});
