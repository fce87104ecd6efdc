/**
 * A small line printer for generated TypeScript: indentation, doc comments, and an
 * import table printed (sorted, deduplicated) above the body with the @generated header.
 */
export class Printer {
  private readonly lines: string[] = [];
  private depth = 0;
  private readonly imports = new Map<string, { types: Set<string>; values: Set<string> }>();

  line(text = ''): this {
    this.lines.push(text === '' ? '' : '  '.repeat(this.depth) + text);
    return this;
  }

  indent(open: string, body: () => void, close = '}'): this {
    this.line(open);
    this.depth++;
    body();
    this.depth--;
    this.line(close);
    return this;
  }

  /** JSDoc from IDL doc comments (one entry per comment). */
  doc(entries: readonly string[], extra: readonly string[] = []): this {
    const idl = entries.flatMap((d) => d.split('\n'));
    const text = [...idl, ...(idl.some((l) => l.trim() !== '') && extra.length > 0 ? [''] : []), ...extra].map((l) => l.trimEnd().replace(/\*\//g, '*\u200b/'));
    while (text.length > 0 && text[0]!.trim() === '') text.shift();
    while (text.length > 0 && text[text.length - 1]!.trim() === '') text.pop();
    if (text.length === 0) return this;
    if (text.length === 1) return this.line(`/** ${text[0]!.trim()} */`);
    this.line('/**');
    for (const t of text) this.line(t.trim() === '' ? ' *' : ` * ${t.trim()}`);
    return this.line(' */');
  }

  /** The body printed so far (for deciding which imports it needs). */
  bodyText(): string {
    return this.lines.join('\n');
  }

  importType(from: string, name: string): void {
    this.entry(from).types.add(name);
  }

  importValue(from: string, name: string): void {
    this.entry(from).values.add(name);
  }

  private entry(from: string): { types: Set<string>; values: Set<string> } {
    let e = this.imports.get(from);
    if (!e) {
      e = { types: new Set(), values: new Set() };
      this.imports.set(from, e);
    }
    return e;
  }

  /** The whole file: header, imports, body; LF line endings, one trailing newline. */
  render(header: string): string {
    const out: string[] = [header];
    for (const from of [...this.imports.keys()].sort()) {
      const e = this.imports.get(from)!;
      const values = [...e.values].sort();
      const types = [...e.types].filter((t) => !e.values.has(t)).sort();
      if (values.length > 0) out.push(`import { ${[...values, ...types.map((t) => `type ${t}`)].join(', ')} } from '${from}';`);
      else if (types.length > 0) out.push(`import type { ${types.join(', ')} } from '${from}';`);
    }
    out.push('');
    const body = [...this.lines];
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    return `${out.join('\n')}\n${body.join('\n')}\n`;
  }
}

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval undefined'.split(' '),
);

/** A safe identifier for a parameter or local. */
export function safeIdent(name: string): string {
  return RESERVED.has(name) ? `${name}_` : name;
}
