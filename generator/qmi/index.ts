/** QMI IDL front end: load, parse, resolve and validate a program. */
import { hasErrors, type Diagnostic, type StageResult } from '../diagnostics/diagnostic.ts';
import type { QmiProgram } from '../model/qmi.ts';
import { defaultReadFile, loadFiles, type ReadFile } from './load.ts';
import { checkQmiNames } from './names.ts';
import { resolveProgram } from './resolve.ts';
import { bundledIdlDir, withBundledIdl } from '../package-root.ts';

export interface QmiLoadOptions {
  readonly files: readonly string[];
  readonly includeDirs?: readonly string[];
  /** Returns a file's text or undefined if it does not exist (default: the file system). */
  readonly readFile?: ReadFile;
  /** Search the standard IDLs bundled with dspidl after `includeDirs` (default true). */
  readonly bundledIdl?: boolean;
}

export interface QmiCheckResult extends StageResult<QmiProgram> {
  /** Text of every file read (included ones too), for rendering diagnostics with excerpts. */
  readonly sources: ReadonlyMap<string, string>;
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  const fa = a.span?.file ?? '';
  const fb = b.span?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a.span?.offset ?? -1) - (b.span?.offset ?? -1);
}

function run(opts: QmiLoadOptions): QmiCheckResult {
  const diagnostics: Diagnostic[] = [];
  const includeDirs = [...(opts.includeDirs ?? []), ...(opts.bundledIdl === false ? [] : [bundledIdlDir()])];
  const read = opts.readFile ?? defaultReadFile;
  const loaded = loadFiles(opts.files, includeDirs, opts.bundledIdl === false ? read : withBundledIdl(read), diagnostics);
  const { files, decls } = resolveProgram(loaded.asts, diagnostics);
  const program: QmiProgram = { files, roots: loaded.roots, decls };
  // Names are checked on a complete model only: after errors it would mostly add noise.
  if (!hasErrors(diagnostics)) diagnostics.push(...checkQmiNames(program));
  const sorted = diagnostics
    .map((d, i) => [d, i] as const)
    .sort((x, y) => byPosition(x[0], y[0]) || x[1] - y[1])
    .map(([d]) => d);
  return { value: program, diagnostics: sorted, sources: loaded.sources };
}

/** Everything a generator or the codec CLI needs; check `diagnostics` for errors first. */
export function loadQmiProgram(opts: QmiLoadOptions): StageResult<QmiProgram> {
  const r = run(opts);
  return { value: r.value, diagnostics: r.diagnostics };
}

/** For `dspidl check`: the same pipeline, plus the file texts for rendering. */
export function checkQmiFile(
  file: string,
  options: { includeDirs?: readonly string[]; readFile?: ReadFile; bundledIdl?: boolean } = {},
): QmiCheckResult {
  return run({ files: [file], ...options });
}

export { isQmiSource } from '../dialect.ts';
export { messageDescriptor } from './descriptors.ts';
export type { ReadFile } from './load.ts';
