/**
 * Line layout for generated code: every decision about where a line breaks is made here, in
 * the view model, so templates only print lines. Nothing generated is wider than MAX_LINE
 * columns unless a single word is (a long URL in an IDL comment).
 */
import { MAX_LINE } from './generated-file.ts';

/** Breaks one line of prose at spaces so that `indent + line` fits `width`; keeps its own indentation. */
export function wrapProse(line: string, indent: number, width = MAX_LINE): string[] {
  const room = width - indent;
  if (line.length <= room) return [line];
  const lead = /^\s*/.exec(line)?.[0] ?? '';
  const words = line.trim().split(/ +/);
  const out: string[] = [];
  let cur = lead;
  for (const w of words) {
    if (cur.trim() === '') cur = lead + w;
    else if (cur.length + 1 + w.length <= room) cur += ` ${w}`;
    else {
      out.push(cur);
      cur = lead + w;
    }
  }
  if (cur.trim() !== '') out.push(cur);
  return out;
}

/** Doc lines wrapped to fit a JSDoc block at `indent` columns (` * ` adds three). */
export function wrapDoc(lines: readonly string[], indent: number): string[] {
  return lines.flatMap((l) => (l.trim() === '' ? [''] : wrapProse(l.trimEnd(), indent + 3)));
}

/**
 * `head(a, b, c)tail` on one line when it fits, otherwise one item per line:
 *
 *   head(
 *     a,
 *     b,
 *   )tail
 *
 * `head` ends with the opening bracket and `tail` starts with the closing one. Items keep a
 * trailing comma when `trailingComma` (lists where TS allows it).
 */
export function wrapList(head: string, items: readonly string[], tail: string, indent: number, trailingComma = true): string[] {
  const pad = ' '.repeat(indent);
  const one = `${pad}${head}${items.join(', ')}${tail}`;
  if ((one.length <= MAX_LINE && !one.includes('\n')) || items.length === 0) return one.split('\n');
  const inner = ' '.repeat(indent + 2);
  return [`${pad}${head}`, ...items.map((x, i) => `${inner}${x}${trailingComma || i < items.length - 1 ? ',' : ''}`), `${pad}${tail}`];
}

/**
 * `{ a: A; b: B }` on one line when it fits starting at `column`, else one member per line,
 * members at `indent + 2` and the closing brace at `indent`.
 */
export function objectType(members: readonly string[], indent: number, column: number): string {
  if (members.length === 0) return '{}';
  const one = `{ ${members.join('; ')} }`;
  if (column + one.length <= MAX_LINE) return one;
  const inner = ' '.repeat(indent + 2);
  return `{\n${members.map((m) => `${inner}${m};`).join('\n')}\n${' '.repeat(indent)}}`;
}
