/**
 * `dspidl generate <files...>`: compile IDL files (QAIC and QMI mixed, dialect told from
 * content) and write the modules into the output directory. Accepts qaic's options
 * (`-I`, `-o`, `-D`, `-s`, `-ho`, `-ro`, also as `-I=dir`); writes only files whose content
 * changed; `--watch` regenerates when an input or included file changes.
 */
import { watch as fsWatch, mkdirSync, readFileSync, writeFileSync, type FSWatcher } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { renderDiagnostics } from '../diagnostics/render.ts';
import { isEmitter, type EmitPart, type Emitter } from '../emit/emitter.ts';
import { compile, type CompileOptions, type CompileResult, type CompiledFile, type ImportExtension, type Target } from '../compile.ts';
import { EXIT_CODES_HELP, shouldColor } from './terminal.ts';

/** Everything `compile()` takes except the files. */
export type GenerateOptions = Omit<CompileOptions, 'files'>;

export type GeneratedFile = CompiledFile;
export type GenerateResult = CompileResult;

/** Generates (in memory) the modules for `files`; nothing is written. */
export function generateFiles(files: readonly string[], opts: GenerateOptions = {}): GenerateResult {
  return compile({ ...opts, files });
}

/** Where the command writes; tests capture it. */
export interface GenerateIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly color: boolean;
}

export interface WriteReport {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  /** Every file in output order with what happened to it. */
  readonly entries: readonly { readonly path: string; readonly status: 'wrote' | 'unchanged' }[];
}

/** Writes the files whose content differs from what is on disk; reports both kinds. */
export function writeChanged(files: readonly CompiledFile[]): WriteReport {
  const written: string[] = [];
  const unchanged: string[] = [];
  const entries: { path: string; status: 'wrote' | 'unchanged' }[] = [];
  for (const f of files) {
    let old: string | undefined;
    try {
      old = readFileSync(f.path, 'utf8');
    } catch {
      old = undefined;
    }
    if (old === f.content) {
      unchanged.push(f.path);
      entries.push({ path: f.path, status: 'unchanged' });
      continue;
    }
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content);
    written.push(f.path);
    entries.push({ path: f.path, status: 'wrote' });
  }
  return { written, unchanged, entries };
}

/** One generate run: compile, print diagnostics, write. Returns the exit code and what was read. */
export function runGenerate(files: readonly string[], opts: GenerateOptions, io: GenerateIo): { code: number; sources: readonly string[] } {
  const r = generateFiles(files, opts);
  const sources = [...r.sources.keys()];
  if (r.diagnostics.length > 0) io.err(`${renderDiagnostics(r.diagnostics, { color: io.color, sources: r.sources })}\n`);
  if (hasErrors(r.diagnostics)) {
    const n = r.diagnostics.filter((d) => d.severity === 'error').length;
    io.err(`${n} error${n === 1 ? '' : 's'}; nothing written\n`);
    return { code: 1, sources };
  }
  for (const e of writeChanged(r.files).entries) io.out(`${e.status} ${e.path}\n`);
  return { code: 0, sources };
}

/**
 * Runs generate, then again whenever one of the inputs or the files they included changes
 * (debounced), until `signal` aborts. Directories are watched, not files, so editors that
 * save by rename and files that do not exist yet are seen too.
 */
export async function watchGenerate(
  files: readonly string[],
  opts: GenerateOptions,
  io: GenerateIo,
  signal: AbortSignal,
  debounceMs = 100,
): Promise<void> {
  const watchers = new Map<string, FSWatcher>();
  let wanted = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const rebuild = (): void => {
    const { sources } = runGenerate(files, opts, io);
    wanted = new Set([...files, ...sources].map((p) => resolve(p)));
    const dirs = new Set([...wanted].map((p) => dirname(p)));
    for (const [d, w] of watchers) {
      if (!dirs.has(d)) {
        w.close();
        watchers.delete(d);
      }
    }
    for (const d of dirs) {
      if (watchers.has(d)) continue;
      try {
        const w = fsWatch(d, (_event, name) => {
          if (name !== null && !wanted.has(resolve(d, name.toString()))) return;
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => {
            timer = undefined;
            io.out(`change detected, regenerating\n`);
            rebuild();
          }, debounceMs);
        });
        w.on('error', () => undefined);
        watchers.set(d, w);
      } catch {
        // A directory that does not exist cannot be watched; its files are reported missing anyway.
      }
    }
  };
  rebuild();
  io.out(`watching ${wanted.size} file${wanted.size === 1 ? '' : 's'} (Ctrl-C to stop)\n`);
  await new Promise<void>((done) => {
    if (signal.aborted) done();
    else signal.addEventListener('abort', () => done(), { once: true });
  });
  if (timer) clearTimeout(timer);
  for (const w of watchers.values()) w.close();
}

/** Loads `--emitter` modules: the default export, or every exported Emitter. */
export async function loadEmitters(specs: readonly string[]): Promise<Emitter[]> {
  const out: Emitter[] = [];
  for (const spec of specs) {
    const url = spec.startsWith('.') || spec.startsWith('/') || /^[A-Za-z]:[\\/]/.test(spec) ? pathToFileURL(resolve(spec)).href : spec;
    const mod = (await import(url)) as Record<string, unknown>;
    const found = isEmitter(mod['default']) ? [mod['default']] : Object.values(mod).filter(isEmitter);
    if (found.length === 0) throw new Error(`${spec} exports no emitter (an object with name and emit(input))`);
    out.push(...found);
  }
  return out;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface GenerateCliOptions {
  includePath: string[];
  define: string[];
  outputPath: string;
  parseOnly?: boolean;
  headerOnly?: boolean;
  remotingOnly?: boolean;
  watch?: boolean;
  emitter: string[];
  runtime?: string;
  target: string;
  importExtension: string;
  templates?: string;
  bundledIdl: boolean;
}

const TARGETS: readonly Target[] = ['ts', 'js+dts'];
const EXTENSIONS: Readonly<Record<string, ImportExtension>> = { '.js': '.js', js: '.js', '.ts': '.ts', ts: '.ts', none: '' };

export function partsOf(o: { headerOnly?: boolean; remotingOnly?: boolean }): EmitPart[] {
  const parts: EmitPart[] = [];
  if (o.headerOnly) parts.push('types');
  if (o.remotingOnly) parts.push('remoting');
  return parts.length > 0 ? parts : ['all'];
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('generate TypeScript stubs, skels and codecs from IDL files')
    .argument('<files...>', 'IDL files (QAIC or QMI, told apart by content)')
    .option('-I, --include-path <dir>', 'add a directory to the #include search path (repeatable; also -I=dir)', collect, [])
    .option('-D, --define <sym>', 'define a preprocessor symbol (repeatable; also -D=sym)', collect, [])
    .option('-o, --output-path <dir>', 'output directory (also -o=dir)', '.')
    .option('-s, --parse-only', 'parse and validate only, write nothing')
    .option('--header-only', "types only: <name>.types.ts with constants, enums, structs, typedefs (qaic's -ho)")
    .option('--remoting-only', "client and skel only: <name>.ts importing the types from ./<name>.types.ts (qaic's -ro)")
    .option('--emitter <module>', 'add an output kind: a module whose default export is an Emitter (repeatable)', collect, [])
    .option('--target <target>', 'ts: TypeScript modules; js+dts: JavaScript plus .d.ts declarations', 'ts')
    .option('--import-extension <ext>', 'extension of relative imports in generated code: .js, .ts or none', '.js')
    .option(
      '--runtime <root>',
      'where generated code imports dspidl from: a package name, or a directory relative to the output holding codegen/v1',
      'dspidl',
    )
    .option('--templates <dir>', 'replace built-in templates by the .hbs files of this directory (same names)')
    .option('--no-bundled-idl', 'do not search the standard IDLs bundled with dspidl (AEEStdDef.idl, remote.idl, common_v01.idl, ...)')
    .option('-w, --watch', 'regenerate when an input or included file changes (Ctrl-C to stop)')
    .addHelpText(
      'after',
      `${EXIT_CODES_HELP}\n\nEach output file is reported as "wrote <path>" or "unchanged <path>" (files whose content\nis unchanged are not rewritten). --header-only/--remoting-only split QAIC modules; a QMI\nmodule (types and codecs) is always written whole.`,
    )
    .action(async (files: string[], o: GenerateCliOptions) => {
      const io: GenerateIo = {
        out: (s) => void process.stdout.write(s),
        err: (s) => void process.stderr.write(s),
        color: shouldColor(process.stderr),
      };
      let emitters: Emitter[];
      try {
        emitters = await loadEmitters(o.emitter);
      } catch (err) {
        io.err(`dspidl generate: cannot load emitter: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 2;
        return;
      }
      const target = TARGETS.find((t) => t === o.target);
      const importExtension = EXTENSIONS[o.importExtension];
      if (target === undefined || importExtension === undefined) {
        io.err(
          target === undefined
            ? `dspidl generate: --target must be ts or js+dts, not '${o.target}'\n`
            : `dspidl generate: --import-extension must be .js, .ts or none, not '${o.importExtension}'\n`,
        );
        process.exitCode = 2;
        return;
      }
      const opts: GenerateOptions = {
        includeDirs: o.includePath,
        defines: o.define,
        outDir: o.outputPath,
        parseOnly: o.parseOnly === true,
        parts: partsOf(o),
        emitters,
        target,
        importExtension,
        bundledIdl: o.bundledIdl,
        ...(o.runtime !== undefined ? { runtime: o.runtime } : {}),
        ...(o.templates !== undefined ? { templates: o.templates } : {}),
      };
      try {
        if (o.watch) {
          const stop = new AbortController();
          const onSigint = (): void => stop.abort();
          process.once('SIGINT', onSigint);
          await watchGenerate(files, opts, io, stop.signal);
          process.off('SIGINT', onSigint);
          process.exitCode = 0;
          return;
        }
        process.exitCode = runGenerate(files, opts, io).code;
      } catch (err) {
        io.err(`dspidl generate: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 2;
      }
    });
}
