/** Golden set `readme`: the README sections generated from code (the diagnostic code tables). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommonCodes, QaicCodes, QmiCodes, type CodeInfo } from '../../generator/diagnostics/codes.ts';
import type { GoldenFile } from './golden-set.ts';

function table(title: string, codes: readonly CodeInfo[]): string {
  const rows = codes.map((c) => `| \`${c.code}\` | ${c.summary.replace(/\|/g, '\\|')} |`);
  return [`${title}:`, '', '| code | meaning |', '| --- | --- |', ...rows].join('\n');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceSection(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md has no ${name} section`);
  return `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`;
}

export function readmeSections(root: string): GoldenFile[] {
  const text = readFileSync(join(root, 'README.md'), 'utf8');
  const codes = [
    table('QAIC IDL', Object.values(QaicCodes)),
    table('QMI IDL', Object.values(QmiCodes)),
    table('Both dialects (inputs, TypeScript names, emitters, outputs)', Object.values(CommonCodes)),
  ].join('\n\n');
  return [{ path: 'README.md', content: replaceSection(text, 'diagnostic-codes', codes) }];
}
