/**
 * Attaches documentation comments to parsed nodes: `//!` and `/** … *\/` lead the next
 * node, `//!<` and `/**< … *\/` trail the previous one. Plain comments are not docs.
 */
import type { IToken } from 'chevrotain';
import type { QmiDoc } from '../model/qmi.ts';
import type { Documented } from './ast.ts';

interface DocComment {
  readonly offset: number;
  readonly trailing: boolean;
  readonly body: string;
}

function classify(image: string): { trailing: boolean; body: string } | undefined {
  if (image.startsWith('//!<')) return { trailing: true, body: image.slice(4) };
  if (image.startsWith('//!')) return { trailing: false, body: image.slice(3) };
  if (image.startsWith('/**<')) return { trailing: true, body: image.slice(4, -2) };
  if (image.startsWith('/**') && image !== '/**/') return { trailing: false, body: image.slice(3, -2) };
  return undefined;
}

export function makeDoc(parts: readonly string[]): QmiDoc {
  const text: string[] = [];
  const tags: Record<string, string> = {};
  for (const part of parts) {
    for (const raw of part.split(/\r?\n/)) {
      const line = raw.replace(/^\s*\*?\s?/, '').trimEnd();
      const tag = /^@(\w+)\s*(.*)$/.exec(line.trim());
      if (tag) tags[(tag[1] ?? '').toUpperCase()] = (tag[2] ?? '').trim();
      else if (line.trim() !== '') text.push(line.trim());
    }
  }
  return { text: text.join('\n'), tags };
}

/**
 * Attaches doc comments to nodes and returns the file's own documentation: a leading doc
 * comment with an `@FILE` tag, or one that precedes the first include/revision statement
 * (`barriers`: nodes that take no docs of their own).
 */
export function attachDocs(nodes: Documented[], comments: readonly IToken[], barriers: readonly number[] = []): QmiDoc | undefined {
  const fileParts: string[] = [];
  const sorted = [...nodes].sort((a, b) => a.start - b.start);
  const docs: DocComment[] = [];
  for (const c of comments) {
    const k = classify(c.image);
    if (k) docs.push({ offset: c.startOffset, ...k });
  }
  const parts = new Map<Documented, string[]>();
  const add = (n: Documented, body: string) => {
    const list = parts.get(n) ?? [];
    list.push(body);
    parts.set(n, list);
  };
  for (const d of docs) {
    if (d.trailing) {
      let target: Documented | undefined;
      for (const n of sorted) {
        if (n.start < d.offset) target = n;
        else break;
      }
      if (target) add(target, d.body);
    } else {
      const target = sorted.find((n) => n.start > d.offset);
      const barrier = barriers.find((b) => b > d.offset);
      if (/(^|\s)@FILE\b/.test(d.body) || (barrier !== undefined && (target === undefined || barrier < target.start)))
        fileParts.push(d.body);
      else if (target) add(target, d.body);
    }
  }
  for (const [n, list] of parts) n.doc = makeDoc(list);
  return fileParts.length > 0 ? makeDoc(fileParts) : undefined;
}
