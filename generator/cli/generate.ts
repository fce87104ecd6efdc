/**
 * `dspidl generate <files...> [-I dir]... [-o outdir]`: one TypeScript module per IDL
 * file. QAIC and QMI files may be mixed (dialect told from content). Also accepts qaic's
 * spellings (`-I=dir`, `-o=dir`, `-D`, `--parse-only`). Output is deterministic.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { renderDiagnostics } from '../diagnostics/render.ts';
import { isQmiSource } from '../dialect.ts';
import { emitQaicFile } from '../emit/qaic-ts.ts';
import { emitQmiFile } from '../emit/qmi/index.ts';
import { loadQaicProgram } from '../qaic/index.ts';
import { loadQmiProgram } from '../qmi/index.ts';

const RUNTIME_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'runtime');

export interface GenerateOptions {
  readonly includeDirs?: readonly string[];
  readonly defines?: readonly string[];
  /** Output directory (default: current directory). */
  readonly outDir?: string;
  /** Only parse and validate. */
  readonly parseOnly?: boolean;
  readonly readFile?: (path: string) => string | undefined;
}

export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

export interface GenerateResult {
  readonly files: readonly GeneratedFile[];
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;
}

function diskRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Import specifier of `runtime/<sub>` as seen from a file in `outDir`. */
export function runtimeSpecifier(outDir: string): string {
  let rel = relative(resolve(outDir), RUNTIME_DIR).split(sep).join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}

/** Generates (in memory) the modules for `files`; nothing is written. */
export function generateFiles(files: readonly string[], opts: GenerateOptions = {}): GenerateResult {
  const read = opts.readFile ?? diskRead;
  const sources = new Map<string, string>();
  const recordingRead = (p: string): string | undefined => {
    const t = read(p);
    if (t !== undefined) sources.set(p, t);
    return t;
  };
  const outDir = opts.outDir ?? '.';
  const diagnostics: Diagnostic[] = [];
  const out: GeneratedFile[] = [];
  const qaicFiles: string[] = [];
  const qmiFiles: string[] = [];
  for (const f of files) {
    const text = read(f);
    if (text !== undefined && isQmiSource(text)) qmiFiles.push(f);
    else qaicFiles.push(f);
  }
  const runtime = runtimeSpecifier(outDir);
  if (qaicFiles.length > 0) {
    const r = loadQaicProgram({ files: [...qaicFiles], includeDirs: [...(opts.includeDirs ?? [])], defines: [...(opts.defines ?? [])], readFile: recordingRead });
    diagnostics.push(...r.diagnostics);
    if (!hasErrors(r.diagnostics) && !opts.parseOnly) {
      for (const root of r.value.roots) {
        const name = `${basename(root).replace(/\.idl$/, '')}.ts`;
        const label = root.split(sep).join('/');
        out.push({ path: join(outDir, name), content: emitQaicFile(r.value, root, { runtime, sourceLabel: label }) });
      }
    }
  }
  for (const f of qmiFiles) {
    const r = loadQmiProgram({ files: [f], includeDirs: [...(opts.includeDirs ?? [])], readFile: recordingRead });
    diagnostics.push(...r.diagnostics);
    if (!hasErrors(r.diagnostics) && !opts.parseOnly) {
      for (const g of emitQmiFile(r.value, f, { runtimeImport: `${runtime}/qmi/codec/index.ts` })) out.push({ path: join(outDir, g.path), content: g.content });
    }
  }
  return { files: out, diagnostics, sources };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('generate TypeScript stubs, skels and codecs from IDL files')
    .argument('<files...>', 'IDL files (QAIC or QMI, told apart by content)')
    .option('-I, --include-path <dir>', 'add a directory to the #include search path (repeatable)', collect, [])
    .option('-D, --define <sym>', 'define a preprocessor symbol (repeatable)', collect, [])
    .option('-o, --output-path <dir>', 'output directory', '.')
    .option('--parse-only', 'parse and validate only')
    .action((files: string[], opts: { includePath: string[]; define: string[]; outputPath: string; parseOnly?: boolean }) => {
      try {
        const r = generateFiles(files, { includeDirs: opts.includePath, defines: opts.define, outDir: opts.outputPath, parseOnly: opts.parseOnly === true });
        if (r.diagnostics.length > 0) process.stderr.write(`${renderDiagnostics(r.diagnostics, { color: process.stderr.isTTY === true, sources: r.sources })}\n`);
        if (hasErrors(r.diagnostics)) {
          process.exitCode = 1;
          return;
        }
        for (const f of r.files) {
          mkdirSync(dirname(f.path), { recursive: true });
          writeFileSync(f.path, f.content);
        }
        process.exitCode = 0;
      } catch (err) {
        process.stderr.write(`dspidl generate: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 2;
      }
    });
}
