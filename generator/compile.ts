/**
 * `compile()`: both IDL front ends and the emitters, in memory. It reads inputs through
 * `readFile` and never writes; `dspidl generate` is this plus writing the files.
 *
 * Every IDL file of the program is generated, not only the ones asked for: an included file
 * gets its own module, and modules import each other's types, as protoc does. Standard IDLs
 * bundled with dspidl are the exception: their modules ship in the package.
 */
import { realpathSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { CommonCodes } from './diagnostics/codes.ts';
import type { Diagnostic } from './diagnostics/diagnostic.ts';
import { hasErrors } from './diagnostics/diagnostic.ts';
import type { EmitInput, EmitPart, Emitter, EmitterOptions } from './emit/emitter.ts';
import { toJsAndDts } from './emit/js-dts.ts';
import { qaicTypeScriptEmitter } from './emit/qaic/emitter.ts';
import { qmiTypeScriptEmitter } from './emit/qmi/emitter.ts';
import { DEFAULT_RUNTIME_ROOT, type RuntimeLocation } from './emit/symbols.ts';
import { builtinTemplates, templatesFrom, TemplateError, type TemplateSet } from './emit/templates.ts';
import { qaicFileLayout } from './model/layout.ts';
import type { QaicProgram } from './model/qaic.ts';
import type { QmiFile, QmiProgram } from './model/qmi.ts';
import { bundledIdlDir } from './package-root.ts';
import { normalizePath } from './qaic/preprocess.ts';
import { qmiFileLayout } from './qmi/descriptors.ts';
import { loadPrograms, type FrontendOptions, type Programs } from './frontend.ts';

export type Target = 'ts' | 'js+dts';
export type ImportExtension = '.js' | '.ts' | '';

export interface CompileOptions extends FrontendOptions {
  /** Emitters run after the built-in ones (or instead of them with `builtins: false`). */
  readonly emitters?: readonly Emitter[];
  /** Run the built-in TypeScript emitters (default true). */
  readonly builtins?: boolean;
  /** Directory the files are meant for: output paths are joined to it. Default `.`. */
  readonly outDir?: string;
  /**
   * Where generated code imports dspidl from: the package name (default `dspidl`, giving
   * `dspidl/codegen/v1`) or a directory relative to the output that holds `codegen/v1.ts`.
   */
  readonly runtime?: string;
  /** Extension of relative imports in generated code: `.js` (default), `.ts`, or '' for none. */
  readonly importExtension?: ImportExtension;
  /** `ts` (default), or `js+dts`: JavaScript plus declarations from the same TypeScript. */
  readonly target?: Target;
  /** TypeScript parts: `['all']` (default), `['types']` (qaic's `-ho`), `['remoting']` (`-ro`), or both. */
  readonly parts?: readonly EmitPart[];
  /** Only parse and validate (qaic's `-s`): no files. */
  readonly parseOnly?: boolean;
  /** A directory of `.hbs` files replacing built-in templates of the same name. */
  readonly templates?: string;
}

export interface CompiledFile {
  readonly path: string;
  readonly content: string;
}

export interface CompileResult {
  readonly files: readonly CompiledFile[];
  /** Errors and warnings of every stage; no files are produced when there are errors. */
  readonly diagnostics: readonly Diagnostic[];
  /** Texts of every file read (inputs and includes), for rendering diagnostics with excerpts. */
  readonly sources: ReadonlyMap<string, string>;
  readonly programs: Programs;
}

/** One IDL file to generate, with the program it belongs to. */
type Unit =
  | { readonly dialect: 'qaic'; readonly path: string; readonly program: QaicProgram }
  | { readonly dialect: 'qmi'; readonly path: string; readonly program: QmiProgram; readonly file: QmiFile };

const idlBaseName = (path: string): string => basename(path).replace(/\.idl$/, '');
const slash = (p: string): string => p.split(sep).join('/');

/** Real paths, so a symlinked include directory (a copy of the bundled one) is recognised. */
function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

function isBundled(path: string, bundledDir: string | undefined): boolean {
  return bundledDir !== undefined && realPath(path).startsWith(realPath(bundledDir) + sep);
}

function headerParameters(o: CompileOptions, loc: RuntimeLocation, target: Target): string {
  const ps = [`target=${target}`, `import_extension=${loc.importExtension === '' ? 'none' : loc.importExtension}`];
  if (loc.root !== DEFAULT_RUNTIME_ROOT) ps.push(`runtime=${loc.root}`);
  if (o.templates !== undefined) ps.push(`templates=${slash(o.templates)}`);
  return ps.join(',');
}

/** QAIC units: the roots, then every included file that is not a bundled standard IDL. */
function qaicUnits(program: QaicProgram, bundledDir: string | undefined): Unit[] {
  const roots = new Set(program.roots);
  return [...program.files.keys()]
    .filter((p) => roots.has(p) || !isBundled(p, bundledDir))
    .map((path) => ({ dialect: 'qaic', path, program }));
}

function qmiUnits(program: QmiProgram, bundledDir: string | undefined, seen: Set<string>): Unit[] {
  const roots = new Set(program.roots);
  const out: Unit[] = [];
  for (const file of program.files) {
    if (seen.has(file.path) || (!roots.has(file.path) && isBundled(file.path, bundledDir))) continue;
    seen.add(file.path);
    out.push({ dialect: 'qmi', path: file.path, program, file });
  }
  return out;
}

/** OUTPUT001 for two units whose modules would have the same file name. */
function outputCollisions(units: readonly Unit[], parts: readonly EmitPart[]): Diagnostic[] {
  const byName = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const u of units) {
    const names =
      u.dialect === 'qmi' ? [`${idlBaseName(u.path)}.ts`] : parts.map((p) => `${idlBaseName(u.path)}${p === 'types' ? '.types' : ''}.ts`);
    for (const n of names) {
      const prev = byName.get(n);
      if (prev !== undefined && prev !== u.path) {
        out.push({
          code: CommonCodes.OUTPUT_COLLISION.code,
          severity: 'error',
          message: `${u.path} and ${prev} would both be generated as ${n}; outputs are named after the IDL file, so rename one or generate them into different directories`,
        });
      } else byName.set(n, u.path);
    }
  }
  return out;
}

function runEmitters(emitters: readonly Emitter[], input: EmitInput, outDir: string, out: CompiledFile[], diagnostics: Diagnostic[]): void {
  for (const e of emitters) {
    try {
      for (const f of e.emit(input)) out.push({ path: join(outDir, f.path), content: f.content });
    } catch (err) {
      // A faulty plug-in (or a user template) is reported like any other problem, with the file it failed on.
      diagnostics.push({
        code: CommonCodes.EMITTER_FAILED.code,
        severity: 'error',
        message: `emitter '${e.name}' failed on ${input.options.sourceLabel}: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }
}

function loadTemplates(dir: string | undefined, diagnostics: Diagnostic[]): TemplateSet | undefined {
  if (dir === undefined) return builtinTemplates();
  try {
    return templatesFrom(dir);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    diagnostics.push({ code: CommonCodes.TEMPLATES_UNUSABLE.code, severity: 'error', message: e.message });
    return undefined;
  }
}

/** Compiles IDL files to output files in memory. Nothing is written to disk. */
export function compile(options: CompileOptions): CompileResult {
  const loaded = loadPrograms(options);
  const { programs, sources } = loaded;
  const diagnostics = [...loaded.diagnostics];
  const outDir = options.outDir ?? '.';
  const target = options.target ?? 'ts';
  const parts = options.parts ?? ['all'];
  const loc: RuntimeLocation = { root: options.runtime ?? DEFAULT_RUNTIME_ROOT, importExtension: options.importExtension ?? '.js' };
  const bundledDir = options.bundledIdl === false ? undefined : bundledIdlDir();
  const units: Unit[] = [];
  if (programs.qaic && loaded.clean.has(programs.qaic)) units.push(...qaicUnits(programs.qaic, bundledDir));
  const qmiSeen = new Set<string>();
  for (const p of programs.qmi) if (loaded.clean.has(p)) units.push(...qmiUnits(p, bundledDir, qmiSeen));
  diagnostics.push(...outputCollisions(units, parts));
  if (options.parseOnly || hasErrors(diagnostics)) return { files: [], diagnostics, sources, programs };
  const templates = loadTemplates(options.templates, diagnostics);
  if (!templates) return { files: [], diagnostics, sources, programs };
  const emitters = [...(options.builtins === false ? [] : [qaicTypeScriptEmitter, qmiTypeScriptEmitter]), ...(options.emitters ?? [])];
  const generated = new Set(units.map((u) => u.path));
  const split = parts.includes('types') && parts.includes('remoting');
  const moduleOf = (idlPath: string, part: 'types' | 'all'): string => {
    const base = idlBaseName(idlPath);
    if (!generated.has(idlPath) && isBundled(idlPath, bundledDir)) {
      return loc.root.startsWith('.') ? `${loc.root}/interfaces/${base}${loc.importExtension}` : `${loc.root}/interfaces/${base}`;
    }
    return `./${base}${split && part === 'types' ? '.types' : ''}${loc.importExtension}`;
  };
  const parameters = headerParameters(options, loc, target);
  const out: CompiledFile[] = [];
  for (const u of units) {
    const emitterOptions: EmitterOptions = {
      runtime: loc,
      sourceLabel: slash(u.path),
      baseName: idlBaseName(u.path),
      parts,
      templates,
      parameters,
      moduleOf,
    };
    const input: EmitInput =
      u.dialect === 'qaic'
        ? { dialect: 'qaic', program: u.program, file: u.path, layout: qaicFileLayout(u.program, u.path), options: emitterOptions }
        : {
            dialect: 'qmi',
            program: u.program,
            file: u.path,
            qmiFile: u.file,
            layout: qmiFileLayout(u.program, u.file),
            options: emitterOptions,
          };
    runEmitters(emitters, input, outDir, out, diagnostics);
  }
  if (hasErrors(diagnostics)) return { files: [], diagnostics, sources, programs };
  if (target === 'js+dts') return { ...toJsAndDts(out, diagnostics), sources, programs };
  return { files: out, diagnostics, sources, programs };
}

export { normalizePath };
