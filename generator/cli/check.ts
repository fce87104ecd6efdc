/**
 * `dspidl check <files...>`: parse and validate only (qaic's --parse-only). QAIC and
 * QMI files may be mixed; each file's dialect is told from its content. Exit 0 when
 * clean (warnings allowed), 1 with the diagnostics on stderr otherwise.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { renderDiagnostics } from '../diagnostics/render.ts';
import { isQmiSource } from '../dialect.ts';
import { loadQaicProgram } from '../qaic/index.ts';
import { checkQmiFile } from '../qmi/index.ts';
import type { QaicProgram } from '../model/qaic.ts';
import { EXIT_CODES_HELP, shouldColor } from './terminal.ts';

export interface CheckOptions {
  readonly includePath?: readonly string[];
  readonly define?: readonly string[];
  readonly astJson?: boolean;
}

export interface CheckIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly color: boolean;
  readonly readFile?: (path: string) => string | undefined;
}

function diskRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** JSON of the resolved model: references to declarations become their scoped names. */
export function modelJson(value: unknown): string {
  const seen = new WeakSet<object>();
  const scoped = (d: { scope?: readonly string[]; name?: string }): string => [...(d.scope ?? []), d.name ?? ''].join('::');
  return JSON.stringify(
    value,
    function (this: unknown, key: string, v: unknown) {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Map) return Object.fromEntries(v);
      if (v instanceof Set) return [...v];
      if (v && typeof v === 'object') {
        const o = v as { kind?: unknown; decl?: { scope?: readonly string[]; name?: string } };
        if (key === 'base' && o.kind === 'interface') return scoped(o as { name: string });
        if ('decl' in o && o.decl && typeof o.decl === 'object') return { kind: o.kind, ref: scoped(o.decl) };
        if (seen.has(v)) return '[circular]';
        seen.add(v);
      }
      return v;
    },
    2,
  );
}

export function runCheck(files: readonly string[], opts: CheckOptions, io: CheckIo): number {
  const read = io.readFile ?? diskRead;
  const sources = new Map<string, string>();
  const recordingRead = (p: string): string | undefined => {
    const t = read(p);
    if (t !== undefined) sources.set(p, t);
    return t;
  };
  const diagnostics: Diagnostic[] = [];
  const qaicFiles: string[] = [];
  const models: unknown[] = [];
  for (const f of files) {
    const text = read(f);
    if (text !== undefined && isQmiSource(text)) {
      const r = checkQmiFile(f, { includeDirs: opts.includePath ?? [], readFile: read });
      for (const [p, t] of r.sources) sources.set(p, t);
      diagnostics.push(...r.diagnostics);
      models.push({ dialect: 'qmi', ...r.value });
    } else qaicFiles.push(f);
  }
  let qaic: QaicProgram | undefined;
  if (qaicFiles.length > 0) {
    const r = loadQaicProgram({
      files: qaicFiles,
      includeDirs: [...(opts.includePath ?? [])],
      defines: [...(opts.define ?? [])],
      readFile: recordingRead,
    });
    diagnostics.push(...r.diagnostics);
    qaic = r.value;
    models.unshift(qaic);
  }
  if (diagnostics.length > 0) io.stderr(`${renderDiagnostics(diagnostics, { color: io.color, sources })}\n`);
  const failed = hasErrors(diagnostics);
  if (failed) {
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    io.stderr(`${n} error${n === 1 ? '' : 's'}\n`);
  }
  if (opts.astJson) io.stdout(`${modelJson(models.length === 1 ? models[0] : models)}\n`);
  return failed ? 1 : 0;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description("parse and validate IDL files without generating code (qaic's --parse-only)")
    .argument('<files...>', 'IDL files (QAIC or QMI, told apart by content)')
    .option('-I, --include-path <dir>', 'add a directory to the #include search path (repeatable)', collect, [])
    .option('-D, --define <sym>', 'define a preprocessor symbol (repeatable)', collect, [])
    .option('--ast-json', 'print the resolved model as JSON on stdout')
    .addHelpText('after', EXIT_CODES_HELP)
    .action((files: string[], opts: { includePath: string[]; define: string[]; astJson?: boolean }) => {
      try {
        process.exitCode = runCheck(files, opts, {
          stdout: (s) => process.stdout.write(s),
          stderr: (s) => process.stderr.write(s),
          color: shouldColor(process.stderr),
        });
      } catch (err) {
        // A bug in a front end must still not print a stack trace at the user.
        process.stderr.write(`dspidl check: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 2;
      }
    });
}
