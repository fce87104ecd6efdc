/**
 * GeneratedFile: the printer every emitter writes through. It owns the file's header and its
 * import list: code refers to other modules only through `ImportSymbol`s, which the file
 * imports when they are printed (or asked for with `import`), aliasing any that would clash
 * with a name the file declares itself. Nothing is ever inferred from printed text.
 *
 *   const f = new GeneratedFile('calculator.ts');
 *   f.declare('Calculator');
 *   const Transport = importSymbol('Transport', 'dspidl/codegen/v1', { typeOnly: true });
 *   f.print`export function connect(t: ${Transport}) {}`;
 *   f.toString();
 */

/** A name exported by another module. */
export interface ImportSymbol {
  readonly kind: 'import';
  readonly name: string;
  /** Module specifier, exactly as it is printed in the import. */
  readonly from: string;
  /** Only used in type positions: imported with `import type`. */
  readonly typeOnly: boolean;
}

export function importSymbol(name: string, from: string, options: { typeOnly?: boolean } = {}): ImportSymbol {
  return { kind: 'import', name, from, typeOnly: options.typeOnly ?? false };
}

/** What `print` accepts: text, numbers and bigints (printed as TS literals), symbols, and lists of them. */
export type Printable = string | number | bigint | boolean | ImportSymbol | readonly Printable[];

interface ImportEntry {
  readonly local: string;
  typeOnly: boolean;
}

/** Widest line the printer aims for (doc comments, import lists). */
export const MAX_LINE = 100;

/**
 * `text` with runs of blank lines collapsed to one, leading newlines dropped and trailing
 * whitespace trimmed. It copies the text only to collapse a run, which the built-in templates
 * never leave: the body of a large file is megabytes, and on some machines fresh memory costs
 * more than the rest of its generation.
 */
function tidyBody(text: string): string {
  const collapsed = text.includes('\n\n\n') ? text.replace(/\n{3,}/g, '\n\n') : text;
  let start = 0;
  while (collapsed.charCodeAt(start) === 10) start++;
  return (start > 0 ? collapsed.slice(start) : collapsed).trimEnd();
}

export class GeneratedFile {
  private readonly headerLines: string[] = [];
  private readonly chunks: string[] = [];
  private readonly declared = new Set<string>();
  /** specifier -> exported name -> how it is imported. */
  private readonly imports = new Map<string, Map<string, ImportEntry>>();
  private readonly locals = new Set<string>();

  constructor(readonly path: string) {}

  /** Lines printed first, before the imports (the `@generated` banner). */
  header(lines: string | readonly string[]): this {
    this.headerLines.push(...(typeof lines === 'string' ? lines.split('\n') : lines));
    return this;
  }

  /**
   * Names this file declares at module level. Imports are aliased around them, and
   * `uniqueLocal` never returns one of them.
   */
  declare(...names: string[]): this {
    for (const n of names) this.declared.add(n);
    return this;
  }

  /** A module-level name not yet used by a declaration or an import: `base`, `base$1`, ... */
  uniqueLocal(base: string): string {
    let name = base;
    for (let i = 1; this.declared.has(name) || this.locals.has(name); i++) name = `${base}$${i}`;
    this.locals.add(name);
    this.declared.add(name);
    return name;
  }

  /** Imports `sym` (once) and returns the name to print for it. */
  import(sym: ImportSymbol): string {
    let byName = this.imports.get(sym.from);
    if (!byName) this.imports.set(sym.from, (byName = new Map()));
    const known = byName.get(sym.name);
    if (known) {
      if (!sym.typeOnly) known.typeOnly = false;
      return known.local;
    }
    const local = this.declared.has(sym.name) || this.locals.has(sym.name) ? this.uniqueLocal(sym.name) : sym.name;
    this.locals.add(local);
    byName.set(sym.name, { local, typeOnly: sym.typeOnly });
    return local;
  }

  /** Appends code. As a tag (`f.print\`x: ${sym}\``) or with pieces (`f.print('x: ', sym)`); a newline ends each call. */
  print(first?: TemplateStringsArray | Printable, ...rest: Printable[]): this {
    if (first === undefined) {
      this.chunks.push('\n');
      return this;
    }
    if (isTemplateStrings(first)) {
      let out = '';
      first.forEach((s, i) => {
        out += s;
        if (i < rest.length) out += this.text(rest[i] as Printable);
      });
      this.chunks.push(`${out}\n`);
    } else this.chunks.push(`${this.text(first)}${rest.map((p) => this.text(p)).join('')}\n`);
    return this;
  }

  /** Appends code exactly as given (a rendered template), without an added newline. */
  printRaw(text: string): this {
    this.chunks.push(text);
    return this;
  }

  /** A JSDoc block for `lines`, indented by `indent`; empty when there is nothing to say. */
  jsDoc(lines: string | readonly string[], indent = ''): string {
    return jsDocBlock(typeof lines === 'string' ? lines.split('\n') : lines, indent);
  }

  /** A single-quoted TypeScript string literal. */
  string(value: string): string {
    return stringLiteral(value);
  }

  /** A TypeScript literal for a number, bigint, boolean or string. */
  literal(value: number | bigint | boolean | string): string {
    return literal(value);
  }

  /** The whole file: header, imports (sorted, one statement per module), body; LF, one trailing newline. */
  toString(): string {
    const head = [...this.headerLines, ...this.renderImports()];
    const body = tidyBody(this.chunks.join(''));
    if (body === '') return `${head.join('\n').trimEnd()}\n`;
    // Concatenated, not joined: a large file's body is not copied once more here.
    return head.length > 0 ? `${head.join('\n')}\n\n${body}\n` : `${body}\n`;
  }

  private text(p: Printable): string {
    if (typeof p === 'string') return p;
    if (typeof p === 'number' || typeof p === 'bigint' || typeof p === 'boolean') return literal(p);
    if (isImportSymbol(p)) return this.import(p);
    return p.map((x) => this.text(x)).join('');
  }

  private renderImports(): string[] {
    const out: string[] = [];
    for (const from of [...this.imports.keys()].sort(compareSpecifiers)) {
      const entries = [...(this.imports.get(from) ?? new Map<string, ImportEntry>()).entries()].sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      const allTypes = entries.every(([, e]) => e.typeOnly);
      const names = entries.map(
        ([name, e]) => `${!allTypes && e.typeOnly ? 'type ' : ''}${name === e.local ? name : `${name} as ${e.local}`}`,
      );
      const head = allTypes ? 'import type' : 'import';
      const oneLine = `${head} { ${names.join(', ')} } from '${from}';`;
      if (oneLine.length <= MAX_LINE) out.push(oneLine);
      else out.push(`${head} {`, ...names.map((n) => `  ${n},`), `} from '${from}';`);
    }
    return out;
  }
}

/** Package imports before relative ones, each group sorted. */
function compareSpecifiers(a: string, b: string): number {
  const ra = a.startsWith('.') ? 1 : 0;
  const rb = b.startsWith('.') ? 1 : 0;
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function isTemplateStrings(v: unknown): v is TemplateStringsArray {
  return Array.isArray(v) && 'raw' in v;
}

function isImportSymbol(v: unknown): v is ImportSymbol {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { kind?: unknown }).kind === 'import';
}

export function stringLiteral(value: string): string {
  let out = "'";
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === "'" || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

export function literal(value: number | bigint | boolean | string): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Object.is(value, -0)) return '-0';
  if (Number.isNaN(value)) return 'Number.NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Number.POSITIVE_INFINITY' : 'Number.NEGATIVE_INFINITY';
  return String(value);
}

/** Text that may sit inside a `/** … *\/` comment. */
export function commentSafe(line: string): string {
  return line.replace(/\*\//g, '*\u200b/');
}

/** Lines of a JSDoc block (`/** x *\/` for one line), or '' for none. */
export function jsDocBlock(lines: readonly string[], indent = ''): string {
  const text = trimBlankEnds(lines.map((l) => commentSafe(l.trimEnd())));
  if (text.length === 0) return '';
  if (text.length === 1 && indent.length + 7 + (text[0] ?? '').trim().length <= MAX_LINE)
    return `${indent}/** ${(text[0] ?? '').trim()} */`;
  return [`${indent}/**`, ...text.map((t) => (t.trim() === '' ? `${indent} *` : `${indent} * ${t}`)), `${indent} */`].join('\n');
}

export function trimBlankEnds(lines: readonly string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && (out[0] ?? '').trim() === '') out.shift();
  while (out.length > 0 && (out[out.length - 1] ?? '').trim() === '') out.pop();
  return out;
}
