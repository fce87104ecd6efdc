/**
 * Both IDL front ends behind one call: reads the inputs, tells each file's dialect from its
 * content, and parses and resolves them into programs. `dspidl check` stops here; `compile()`
 * continues with the emitters, which this module does not load.
 */
import type { Diagnostic } from './diagnostics/diagnostic.ts';
import { hasErrors } from './diagnostics/diagnostic.ts';
import { isQmiSource } from './dialect.ts';
import type { QaicProgram } from './model/qaic.ts';
import type { QmiProgram } from './model/qmi.ts';
import { loadQaicProgram } from './qaic/index.ts';
import { loadQmiProgram } from './qmi/index.ts';
import { readInputFile, type ReadFile, type ReadResult } from './source.ts';

export interface FrontendOptions {
  /** IDL files, QAIC or QMI (told apart by content). */
  readonly files: readonly string[];
  /** `#include` / `include` search path (qaic's `-I`); the bundled standard IDLs come after it. */
  readonly includeDirs?: readonly string[];
  /** Preprocessor symbols (qaic's `-D NAME`). */
  readonly defines?: readonly string[];
  /** File contents by path; `undefined` means "no such file". Default: the disk. */
  readonly readFile?: ReadFile;
  /** Search the standard IDLs bundled with dspidl after `includeDirs` (default true). */
  readonly bundledIdl?: boolean;
}

/** The resolved models (possibly partial after errors): one QAIC program, one QMI program per QMI input. */
export interface Programs {
  readonly qaic: QaicProgram | undefined;
  readonly qmi: readonly QmiProgram[];
}

export interface FrontendResult {
  readonly programs: Programs;
  /** Programs that loaded without errors. */
  readonly clean: ReadonlySet<QaicProgram | QmiProgram>;
  readonly diagnostics: readonly Diagnostic[];
  /** Texts of every file read (inputs and includes), for rendering diagnostics with excerpts. */
  readonly sources: ReadonlyMap<string, string>;
}

/** Reads each path once, keeping the texts for diagnostics. */
function cachingReader(read: ReadFile, sources: Map<string, string>): ReadFile {
  const seen = new Map<string, ReadResult>();
  return (p) => {
    if (seen.has(p)) return seen.get(p);
    const r = read(p);
    seen.set(p, r);
    if (typeof r === 'string') sources.set(p, r);
    return r;
  };
}

/** Parses and resolves IDL files of both dialects. Reads through `readFile`; writes nothing. */
export function loadPrograms(options: FrontendOptions): FrontendResult {
  const sources = new Map<string, string>();
  const read = cachingReader(options.readFile ?? readInputFile, sources);
  const includeDirs = [...(options.includeDirs ?? [])];
  const diagnostics: Diagnostic[] = [];
  const clean = new Set<QaicProgram | QmiProgram>();
  const qaicFiles: string[] = [];
  const qmiFiles: string[] = [];
  for (const f of options.files) {
    const text = read(f);
    if (typeof text === 'string' && isQmiSource(text)) qmiFiles.push(f);
    else qaicFiles.push(f);
  }
  const common = { includeDirs, readFile: read, bundledIdl: options.bundledIdl !== false };
  let qaic: QaicProgram | undefined;
  if (qaicFiles.length > 0) {
    const r = loadQaicProgram({ files: qaicFiles, defines: [...(options.defines ?? [])], ...common, includeDirs: [...includeDirs] });
    diagnostics.push(...r.diagnostics);
    qaic = r.value;
    if (!hasErrors(r.diagnostics)) clean.add(r.value);
  }
  const qmi: QmiProgram[] = [];
  for (const f of qmiFiles) {
    const r = loadQmiProgram({ files: [f], ...common });
    diagnostics.push(...r.diagnostics);
    qmi.push(r.value);
    if (!hasErrors(r.diagnostics)) clean.add(r.value);
  }
  return { programs: { qaic, qmi }, clean, diagnostics, sources };
}
