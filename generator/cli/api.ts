/**
 * `dspidl api dump` and `dspidl api check`: frozen API descriptions of QAIC interfaces and the
 * compatibility check between two versions (generator/api). Exit codes as every command: 0
 * success (only compatible changes), 1 errors in the inputs (unreadable file, IDL with errors,
 * malformed dump) or an incompatible change, 2 an output that cannot be written.
 */
import { writeFileSync } from 'node:fs';
import { checkApiCompat, formatApiChange, isIncompatible } from '../api/check.ts';
import { dumpApi, formatApiDump } from '../api/dump.ts';
import { ApiDumpError, readApiDump } from '../api/read.ts';
import type { ApiDump } from '../api/dump.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { renderDiagnostics } from '../diagnostics/render.ts';
import { loadQaicProgram } from '../qaic/index.ts';
import { readInputFile } from '../source.ts';
import { Exit, UsageError } from './terminal.ts';

/** Where the commands read and write; the CLI uses the process, tests capture it. */
export interface ApiIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly readFile: (path: string) => string | undefined;
  readonly writeFile: (path: string, text: string) => void;
  readonly color?: boolean;
}

export interface ApiLoadOptions {
  readonly includeDirs?: readonly string[];
  readonly defines?: readonly string[];
}

export const processIo: ApiIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  readFile: (p) => {
    const r = readInputFile(p);
    return typeof r === 'string' ? r : undefined;
  },
  writeFile: (p, t) => writeFileSync(p, t),
  color: process.stderr.isTTY === true,
};

/** An input the commands cannot use: reported in one line, exit 1. */
class ApiInputError extends Error {}

function loadDumpFromIdl(files: readonly string[], opts: ApiLoadOptions, io: ApiIo): ApiDump {
  for (const f of files) {
    if (io.readFile(f) === undefined) throw new ApiInputError(`cannot read ${f}`);
  }
  const sources = new Map<string, string>();
  const result = loadQaicProgram({
    files: [...files],
    includeDirs: [...(opts.includeDirs ?? [])],
    defines: [...(opts.defines ?? [])],
    readFile: (p) => {
      const text = io.readFile(p);
      if (text !== undefined) sources.set(p, text);
      return text;
    },
  });
  if (result.diagnostics.length > 0) {
    io.err(`${renderDiagnostics(result.diagnostics, { color: io.color === true, sources })}\n`);
  }
  if (hasErrors(result.diagnostics)) {
    throw new ApiInputError(`${files.join(', ')}: not loaded (errors above)`);
  }
  return dumpApi(result.value);
}

/** Parses a dump written by `api dump`; any shape problem is a usage error naming the place. */
export function parseApiDump(text: string, path: string): { dump: ApiDump; warnings: string[] } {
  try {
    const { dump, hashMatches } = readApiDump(text);
    return { dump, warnings: hashMatches ? [] : [`${path}: the recorded hash does not match the content (edited by hand?)`] };
  } catch (e) {
    if (e instanceof ApiDumpError) throw new ApiInputError(`${path}: ${e.message}`);
    throw e;
  }
}

/** An `api check` operand: a dump (JSON, starts with `{`) or an IDL file. */
function loadOperand(path: string, opts: ApiLoadOptions, io: ApiIo): ApiDump {
  const text = io.readFile(path);
  if (text === undefined) throw new ApiInputError(`cannot read ${path}`);
  if (text.trimStart().startsWith('{')) {
    const { dump, warnings } = parseApiDump(text, path);
    for (const w of warnings) io.err(`warning: ${w}\n`);
    return dump;
  }
  return loadDumpFromIdl([path], opts, io);
}

function inputFailure(e: unknown, io: ApiIo): number {
  if (e instanceof ApiInputError) {
    io.err(`dspidl api: ${e.message}\n`);
    return Exit.FAILED;
  }
  if (e instanceof UsageError) {
    io.err(`dspidl api: ${e.message}\n`);
    return Exit.USAGE;
  }
  throw e;
}

/** `api dump`: writes the dump (to `outputPath` or stdout) and prints its hashes. */
export function runApiDump(
  files: readonly string[],
  opts: ApiLoadOptions & { readonly outputPath?: string },
  io: ApiIo = processIo,
): number {
  try {
    const dump = loadDumpFromIdl(files, opts, io);
    const hashes = [dump.hash, ...Object.entries(dump.interfaces).map(([name, i]) => `${i.hash}  interface ${name}`)].join('\n');
    if (opts.outputPath === undefined) {
      io.out(formatApiDump(dump));
      io.err(`${hashes}\n`);
    } else {
      try {
        io.writeFile(opts.outputPath, formatApiDump(dump));
      } catch (e) {
        throw new UsageError(`cannot write ${opts.outputPath}: ${e instanceof Error ? e.message : String(e)}`);
      }
      io.out(`${hashes}\n`);
    }
    return Exit.OK;
  } catch (e) {
    return inputFailure(e, io);
  }
}

/** `api check`: one line per change on stdout; 1 when any change is incompatible. */
export interface ApiCheckOptions extends ApiLoadOptions {
  /** Print the changes as one JSON array instead of lines. */
  readonly json?: boolean;
  /** A frozen version: any change, compatible or not, fails (exit 1). */
  readonly strict?: boolean;
}

export function runApiCheck(oldPath: string, newPath: string, opts: ApiCheckOptions, io: ApiIo = processIo): number {
  try {
    const oldDump = loadOperand(oldPath, opts, io);
    const newDump = loadOperand(newPath, opts, io);
    const changes = checkApiCompat(oldDump, newDump);
    if (opts.json === true) io.out(`${JSON.stringify(changes, null, 2)}\n`);
    else for (const c of changes) io.out(`${formatApiChange(c)}\n`);
    const bad = changes.filter((c) => c.severity === 'incompatible').length;
    io.err(
      changes.length === 0
        ? `api check: no changes (hash ${newDump.hash})\n`
        : `api check: ${bad} incompatible, ${changes.length - bad} compatible change${changes.length - bad === 1 ? '' : 's'}\n`,
    );
    if (opts.strict === true && changes.length > 0) return Exit.FAILED;
    return isIncompatible(changes) ? Exit.FAILED : Exit.OK;
  } catch (e) {
    return inputFailure(e, io);
  }
}
