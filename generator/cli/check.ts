/**
 * `dspidl check <files...>`: parse and validate only (qaic's --parse-only). QAIC and QMI files may
 * be mixed; each file's dialect is told from its content. Exit 0 when clean (warnings allowed),
 * 1 with the diagnostics on stderr otherwise.
 */
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { renderDiagnostics } from '../diagnostics/render.ts';
import { loadPrograms } from '../frontend.ts';
import type { ReadFile } from '../source.ts';
import { Exit, type CliIo } from './terminal.ts';

export interface CheckOptions {
  readonly includePath?: readonly string[];
  readonly define?: readonly string[];
  readonly astJson?: boolean;
  /** Inputs from memory (tests); default the disk. */
  readonly readFile?: ReadFile;
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

export function runCheck(files: readonly string[], opts: CheckOptions, io: CliIo): number {
  const r = loadPrograms({
    files,
    includeDirs: opts.includePath ?? [],
    defines: opts.define ?? [],
    ...(opts.readFile ? { readFile: opts.readFile } : {}),
  });
  if (r.diagnostics.length > 0) io.err(`${renderDiagnostics(r.diagnostics, { color: io.color, sources: r.sources })}\n`);
  const failed = hasErrors(r.diagnostics);
  if (failed) {
    const n = r.diagnostics.filter((d) => d.severity === 'error').length;
    io.err(`${n} error${n === 1 ? '' : 's'}\n`);
  }
  if (opts.astJson) {
    const models: unknown[] = [...(r.programs.qaic ? [r.programs.qaic] : []), ...r.programs.qmi.map((p) => ({ dialect: 'qmi', ...p }))];
    io.out(`${modelJson(models.length === 1 ? models[0] : models)}\n`);
  }
  return failed ? Exit.FAILED : Exit.OK;
}
