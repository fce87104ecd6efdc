/**
 * Handlebars templates of the built-in emitters. The view models (qaic/view.ts, qmi/view.ts)
 * make every decision; templates only lay them out, with `each`, `if` and partials, compiled
 * with `noEscape`, `strict` and `knownHelpersOnly`.
 *
 * The built-in templates (templates/*.hbs) are precompiled into templates/precompiled.js
 * (`npm run golden -- update templates`), so generating code needs only the small handlebars
 * runtime. `--templates DIR` replaces any built-in partial by a file `DIR/<name>.hbs` and keeps
 * the rest; only then is the handlebars compiler loaded.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type HandlebarsNamespace from 'handlebars';
import { specs } from './templates/precompiled.js';
import { didYouMean } from '../suggest.ts';

type Handlebars = typeof HandlebarsNamespace;
type Render = (view: object) => string;

/** Compile options of every template, built-in or user-supplied. */
export const TEMPLATE_OPTIONS = { noEscape: true, strict: true, knownHelpersOnly: true } as const;

/** Names of the built-in templates (each is also a partial of the others). */
export const BUILTIN_TEMPLATE_NAMES: readonly string[] = Object.keys(specs).sort();

export interface TemplateSet {
  /** Renders template `name` with `view`. */
  render(name: string, view: object): string;
  /** Names replaced by user files. */
  readonly overridden: readonly string[];
}

const require = createRequire(import.meta.url);

function registerBuiltins(hb: Handlebars, skip: ReadonlySet<string>): Map<string, Render> {
  const out = new Map<string, Render>();
  for (const [name, spec] of Object.entries(specs)) {
    if (skip.has(name)) continue;
    const fn = hb.template(spec);
    hb.registerPartial(name, fn);
    out.set(name, fn);
  }
  return out;
}

function templateSet(fns: ReadonlyMap<string, Render>, overridden: readonly string[]): TemplateSet {
  return {
    overridden,
    render(name, view) {
      const fn = fns.get(name);
      if (!fn) throw new Error(`no template named '${name}'`);
      return fn(view);
    },
  };
}

let builtin: TemplateSet | undefined;

/** The built-in templates, on the handlebars runtime only. */
export function builtinTemplates(): TemplateSet {
  if (!builtin) {
    const runtime: Handlebars = require('handlebars/runtime');
    builtin = templateSet(registerBuiltins(runtime.create(), new Set()), []);
  }
  return builtin;
}

/** Thrown for a template directory that cannot be used; the message names the file. */
export class TemplateError extends Error {}

const cache = new Map<string, TemplateSet>();

/**
 * The built-in templates with the partials of `dir` in place of theirs. A file must be named
 * after a built-in template (`header.hbs`, `doc.hbs`, `qaic-client.hbs`, ...); anything else
 * is refused, so a typo cannot be silently ignored.
 */
export function templatesFrom(dir: string): TemplateSet {
  const hit = cache.get(dir);
  if (hit) return hit;
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new TemplateError(`--templates ${dir}: not a directory`);
    names = readdirSync(dir)
      .filter((f) => f.endsWith('.hbs'))
      .sort();
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    throw new TemplateError(`--templates ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const known = new Set(BUILTIN_TEMPLATE_NAMES);
  const overrides = names.map((f) => basename(f, '.hbs'));
  const unknown = overrides.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    const what = unknown.map(
      (n) => `${n}.hbs is not a built-in template name${didYouMean(n, BUILTIN_TEMPLATE_NAMES).replace(/'([\w-]+)'/, "'$1.hbs'")}`,
    );
    throw new TemplateError(`--templates ${dir}: ${what.join('; ')} (the built-in ones: ${BUILTIN_TEMPLATE_NAMES.join(', ')})`);
  }
  const hb: Handlebars = (require('handlebars') as Handlebars).create();
  const fns = registerBuiltins(hb, new Set(overrides));
  for (const name of overrides) {
    const file = join(dir, `${name}.hbs`);
    let fn: Render;
    try {
      const source = readFileSync(file, 'utf8');
      // Parse now so a syntax error is reported here, not at the first render.
      hb.parse(source);
      const compiled = hb.compile(source, { ...TEMPLATE_OPTIONS });
      fn = (view) => compiled(view);
    } catch (e) {
      throw new TemplateError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    hb.registerPartial(name, fn);
    fns.set(name, fn);
  }
  const set = templateSet(fns, overrides);
  cache.set(dir, set);
  return set;
}
