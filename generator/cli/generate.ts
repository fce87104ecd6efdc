/**
 * `dspidl generate <files...>`: compile IDL files (QAIC and QMI mixed, dialect told from
 * content) and write the modules into the output directory. Accepts qaic's options
 * (`-I`, `-o`, `-D`, `-s`, `-ho`, `-ro`, also as `-I=dir`); writes only files whose content
 * changed; `--watch` regenerates when an input or included file changes.
 */
import { watch as fsWatch, mkdirSync, readFileSync, statSync, writeFileSync, type FSWatcher } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { renderDiagnostics } from '../diagnostics/render.ts';
import { isEmitter, type EmitPart, type Emitter } from '../emit/emitter.ts';
import { compile, type CompileOptions, type CompileResult, type CompiledFile, type ImportExtension, type Target } from '../compile.ts';
import { Exit, UsageError, type CliIo } from './terminal.ts';
import { moduleLoadingFor } from '../../runtime/transport/module-loading.ts';

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

/** Why a file could not be written, in words (ENOTDIR says which part is not a directory). */
function writeFailure(e: unknown, path: string): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOTDIR') {
    for (let d = dirname(path); d !== dirname(d); d = dirname(d)) {
      try {
        if (!statSync(d).isDirectory()) return `${d} is a file, not a directory`;
      } catch {
        // Missing parts are created; keep looking further up.
      }
    }
    return 'a part of the path is not a directory';
  }
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ENOSPC') return 'no space left on the device';
  return e instanceof Error ? e.message : String(e);
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
    try {
      mkdirSync(dirname(f.path), { recursive: true });
      writeFileSync(f.path, f.content);
    } catch (e) {
      throw new UsageError(`cannot write ${f.path}: ${writeFailure(e, f.path)}`);
    }
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
    return { code: Exit.FAILED, sources };
  }
  for (const e of writeChanged(r.files).entries) io.out(`${e.status} ${e.path}\n`);
  return { code: Exit.OK, sources };
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
    let sources: readonly string[] = [];
    try {
      sources = runGenerate(files, opts, io).sources;
    } catch (e) {
      // An unwritable output fails this round; the next change tries again.
      if (!(e instanceof UsageError)) throw e;
      io.err(`dspidl generate: ${e.message}\n`);
    }
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

/**
 * Imports a module; a TypeScript one the running Node cannot load is loaded through tsx when the
 * user's project has it (the compiled CLI runs without a loader), else the error says what to do.
 */
async function importModule(url: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
    const { tsxApi } = moduleLoadingFor([url]);
    if (tsxApi === undefined) throw e;
    const { register } = (await import(tsxApi)) as { register: () => unknown };
    register();
    // Another URL: Node keeps the failed load of the first one.
    return (await import(`${url}?tsx`)) as Record<string, unknown>;
  }
}

/** Loads `--emitter` modules: the default export, or every exported Emitter. */
export async function loadEmitters(specs: readonly string[]): Promise<Emitter[]> {
  const out: Emitter[] = [];
  for (const spec of specs) {
    const url = spec.startsWith('.') || spec.startsWith('/') || /^[A-Za-z]:[\\/]/.test(spec) ? pathToFileURL(resolve(spec)).href : spec;
    const mod = await importModule(url);
    const found = isEmitter(mod['default']) ? [mod['default']] : Object.values(mod).filter(isEmitter);
    if (found.length === 0) throw new Error(`${spec} exports no emitter (an object with name and emit(input))`);
    out.push(...found);
  }
  return out;
}

export function partsOf(o: { headerOnly?: boolean; remotingOnly?: boolean }): EmitPart[] {
  const parts: EmitPart[] = [];
  if (o.headerOnly) parts.push('types');
  if (o.remotingOnly) parts.push('remoting');
  return parts.length > 0 ? parts : ['all'];
}

/** The options of `dspidl generate` as commander parses them. */
export interface GenerateCliOptions {
  includePath: string[];
  define: string[];
  outputPath: string;
  parseOnly?: boolean;
  headerOnly?: boolean;
  remotingOnly?: boolean;
  watch?: boolean;
  emitter: string[];
  runtime: string;
  target: string;
  importExtension: string;
  templates?: string;
  bundledIdl: boolean;
}

const TARGETS: readonly Target[] = ['ts', 'js+dts'];
const EXTENSIONS: Readonly<Record<string, ImportExtension>> = { '.js': '.js', js: '.js', '.ts': '.ts', ts: '.ts', none: '' };

/** The command line's options as compile() takes them; a bad value is a usage error. */
export async function generateOptionsOf(o: GenerateCliOptions): Promise<GenerateOptions> {
  const target = TARGETS.find((t) => t === o.target);
  if (target === undefined) throw new UsageError(`--target must be ts or js+dts, not '${o.target}'`);
  const importExtension = EXTENSIONS[o.importExtension];
  if (importExtension === undefined) throw new UsageError(`--import-extension must be .js, .ts or none, not '${o.importExtension}'`);
  let emitters: Emitter[];
  try {
    emitters = await loadEmitters(o.emitter);
  } catch (err) {
    throw new UsageError(`cannot load emitter: ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    includeDirs: o.includePath,
    defines: o.define,
    outDir: o.outputPath,
    parseOnly: o.parseOnly === true,
    parts: partsOf(o),
    emitters,
    target,
    importExtension,
    bundledIdl: o.bundledIdl,
    runtime: o.runtime,
    ...(o.templates !== undefined ? { templates: o.templates } : {}),
  };
}

/** `dspidl generate`: once, or with --watch until Ctrl-C. */
export async function generateCommand(files: readonly string[], o: GenerateCliOptions, io: CliIo): Promise<number> {
  const opts = await generateOptionsOf(o);
  const gio: GenerateIo = { out: (t) => io.out(t), err: (t) => io.err(t), color: io.color };
  if (!o.watch) return runGenerate(files, opts, gio).code;
  const stop = new AbortController();
  const onSigint = (): void => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    await watchGenerate(files, opts, gio, stop.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
  return Exit.OK;
}
