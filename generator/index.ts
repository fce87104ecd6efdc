/**
 * The generator as a library: `compile()` runs both IDL front ends and the emitters in memory
 * (it reads inputs through `readFile`, never writes), and returns the output files and the
 * diagnostics. `dspidl generate` is this plus writing the files.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from './diagnostics/diagnostic.ts';
import { hasErrors } from './diagnostics/diagnostic.ts';
import { CommonCodes } from './diagnostics/codes.ts';
import { isQmiSource } from './dialect.ts';
import { builtinEmitters, idlBaseName, qaicLayout, qmiLayout, type EmitInput, type EmitPart, type Emitter, type EmitterOptions } from './emit/emitter.ts';
import { loadQaicProgram } from './qaic/index.ts';
import { loadQmiProgram } from './qmi/index.ts';

const RUNTIME_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'runtime');

export interface CompileOptions {
  /** IDL files, QAIC or QMI (told apart by content); each is its own translation unit. */
  readonly files: readonly string[];
  /** `#include` / `include` search path (qaic's `-I`). */
  readonly includeDirs?: readonly string[];
  /** Preprocessor symbols (qaic's `-D NAME`). */
  readonly defines?: readonly string[];
  /** File contents by path; `undefined` means "no such file". Default: the disk. */
  readonly readFile?: (path: string) => string | undefined;
  /** Emitters run after the built-in ones (or instead of them with `builtins: false`). */
  readonly emitters?: readonly Emitter[];
  /** Run the built-in TypeScript emitters (default true). */
  readonly builtins?: boolean;
  /** Directory the files are meant for: output paths are joined to it and the runtime import is relative to it. Default `.`. */
  readonly outDir?: string;
  /** Import specifier of the runtime directory in generated code (e.g. `dspidl/runtime`); default: the relative path from `outDir`. */
  readonly runtime?: string;
  /** TypeScript parts: `['all']` (default), `['types']` (qaic's `-ho`), `['remoting']` (`-ro`), or both. */
  readonly parts?: readonly EmitPart[];
  /** Only parse and validate (qaic's `-s`): no files. */
  readonly parseOnly?: boolean;
}

export interface CompiledFile {
  readonly path: string;
  readonly content: string;
}

export interface CompileResult {
  readonly files: readonly CompiledFile[];
  /** Errors and warnings of every stage; no files are produced for a dialect with errors. */
  readonly diagnostics: readonly Diagnostic[];
  /** Texts of every file read (inputs and includes), for rendering diagnostics with excerpts. */
  readonly sources: ReadonlyMap<string, string>;
}

function diskRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Import specifier of the repository's `runtime/` directory as seen from a file in `outDir`. */
export function runtimeSpecifier(outDir: string): string {
  let rel = relative(resolve(outDir), RUNTIME_DIR).split(sep).join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}

function runEmitters(emitters: readonly Emitter[], input: EmitInput, outDir: string, out: CompiledFile[], diagnostics: Diagnostic[]): void {
  for (const e of emitters) {
    try {
      for (const f of e.emit(input)) out.push({ path: join(outDir, f.path), content: f.content });
    } catch (err) {
      // A faulty plug-in is reported like any other problem, with the file it failed on.
      diagnostics.push({
        code: CommonCodes.EMITTER_FAILED.code,
        severity: 'error',
        message: `emitter '${e.name}' failed on ${input.options.sourceLabel}: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }
}

/** Compiles IDL files to output files in memory. Nothing is written to disk. */
export function compile(options: CompileOptions): CompileResult {
  const read = options.readFile ?? diskRead;
  const sources = new Map<string, string>();
  const recordingRead = (p: string): string | undefined => {
    const t = read(p);
    if (t !== undefined) sources.set(p, t);
    return t;
  };
  const outDir = options.outDir ?? '.';
  const emitters = [...(options.builtins === false ? [] : builtinEmitters), ...(options.emitters ?? [])];
  const base = { runtime: options.runtime ?? runtimeSpecifier(outDir), parts: options.parts ?? ['all'] };
  const includeDirs = [...(options.includeDirs ?? [])];
  const diagnostics: Diagnostic[] = [];
  const out: CompiledFile[] = [];
  const qaicFiles: string[] = [];
  const qmiFiles: string[] = [];
  for (const f of options.files) {
    const text = read(f);
    if (text !== undefined && isQmiSource(text)) qmiFiles.push(f);
    else qaicFiles.push(f);
  }
  const opts = (file: string): EmitterOptions => ({ ...base, sourceLabel: file.split(sep).join('/'), baseName: idlBaseName(file) });
  if (qaicFiles.length > 0) {
    const r = loadQaicProgram({ files: qaicFiles, includeDirs, defines: [...(options.defines ?? [])], readFile: recordingRead });
    diagnostics.push(...r.diagnostics);
    if (!hasErrors(r.diagnostics) && !options.parseOnly) {
      for (const root of r.value.roots) {
        runEmitters(emitters, { dialect: 'qaic', program: r.value, file: root, layout: qaicLayout(r.value, root), options: opts(root) }, outDir, out, diagnostics);
      }
    }
  }
  for (const f of qmiFiles) {
    const r = loadQmiProgram({ files: [f], includeDirs, readFile: recordingRead });
    diagnostics.push(...r.diagnostics);
    if (!hasErrors(r.diagnostics) && !options.parseOnly) {
      runEmitters(emitters, { dialect: 'qmi', program: r.value, file: f, layout: qmiLayout(r.value, f), options: opts(f) }, outDir, out, diagnostics);
    }
  }
  return { files: out, diagnostics, sources };
}

export type { Diagnostic, Severity, StageResult } from './diagnostics/diagnostic.ts';
export { hasErrors } from './diagnostics/diagnostic.ts';
export { renderDiagnostics } from './diagnostics/render.ts';
export type { SourceSpan } from './source.ts';
export { isQmiSource } from './dialect.ts';
export { loadQaicProgram } from './qaic/index.ts';
export { loadQmiProgram } from './qmi/index.ts';
export type { QaicProgram } from './model/qaic.ts';
export type { QmiProgram } from './model/qmi.ts';
export { builtinEmitters, isEmitter, qaicTypeScriptEmitter, qmiTypeScriptEmitter, qaicLayout, qmiLayout } from './emit/emitter.ts';
export type { EmitInput, EmitPart, EmittedFile, Emitter, EmitterOptions, QaicEmitInput, QaicInterfaceLayout, QmiEmitInput, QmiMessageLayout } from './emit/emitter.ts';
export { dumpApi, formatApiDump } from './api/dump.ts';
export { checkApiCompat, formatApiChange, isIncompatible } from './api/check.ts';
export { VERSION } from './version.ts';
