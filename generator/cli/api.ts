/**
 * `dspidl api dump` and `dspidl api check`: frozen API descriptions of QAIC interfaces
 * and the compatibility check between two versions (generator/api).
 *
 * Exit codes: 0 success / only compatible changes, 1 at least one incompatible change,
 * 2 usage or load errors (bad option, unreadable file, IDL with errors, malformed dump).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { checkApiCompat, formatApiChange, isIncompatible } from '../api/check.ts';
import { dumpApi, formatApiDump } from '../api/dump.ts';
import { ApiDumpError, readApiDump } from '../api/read.ts';
import type { ApiDump } from '../api/dump.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { renderDiagnostics } from '../diagnostics/render.ts';
import { loadQaicProgram } from '../qaic/index.ts';

export const API_EXIT = { ok: 0, incompatible: 1, usage: 2 } as const;

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
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  writeFile: (p, t) => writeFileSync(p, t),
  color: process.stderr.isTTY === true,
};

class ApiUsageError extends Error {}

function loadDumpFromIdl(files: readonly string[], opts: ApiLoadOptions, io: ApiIo): ApiDump {
  for (const f of files) {
    if (io.readFile(f) === undefined) throw new ApiUsageError(`cannot read ${f}`);
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
    throw new ApiUsageError(`${files.join(', ')}: not loaded (errors above)`);
  }
  return dumpApi(result.value);
}

/** Parses a dump written by `api dump`; any shape problem is a usage error naming the place. */
export function parseApiDump(text: string, path: string): { dump: ApiDump; warnings: string[] } {
  try {
    const { dump, hashMatches } = readApiDump(text);
    return { dump, warnings: hashMatches ? [] : [`${path}: the recorded hash does not match the content (edited by hand?)`] };
  } catch (e) {
    if (e instanceof ApiDumpError) throw new ApiUsageError(`${path}: ${e.message}`);
    throw e;
  }
}

/** An `api check` operand: a dump (JSON, starts with `{`) or an IDL file. */
function loadOperand(path: string, opts: ApiLoadOptions, io: ApiIo): ApiDump {
  const text = io.readFile(path);
  if (text === undefined) throw new ApiUsageError(`cannot read ${path}`);
  if (text.trimStart().startsWith('{')) {
    const { dump, warnings } = parseApiDump(text, path);
    for (const w of warnings) io.err(`warning: ${w}\n`);
    return dump;
  }
  return loadDumpFromIdl([path], opts, io);
}

function usageFailure(e: unknown, io: ApiIo): number {
  if (e instanceof ApiUsageError) {
    io.err(`dspidl api: ${e.message}\n`);
    return API_EXIT.usage;
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
      io.writeFile(opts.outputPath, formatApiDump(dump));
      io.out(`${hashes}\n`);
    }
    return API_EXIT.ok;
  } catch (e) {
    return usageFailure(e, io);
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
    if (opts.strict === true && changes.length > 0) return API_EXIT.incompatible;
    return isIncompatible(changes) ? API_EXIT.incompatible : API_EXIT.ok;
  } catch (e) {
    return usageFailure(e, io);
  }
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Usage errors of these commands exit with 2, like load errors; help still exits 0. */
function usageExit(err: CommanderError): never {
  if (err.exitCode === 0) throw err;
  throw new CommanderError(API_EXIT.usage, err.code, err.message);
}

const EXIT_HELP = `
Exit codes:
  0  success (check: no incompatible change)
  1  check: at least one incompatible change (with --strict: any change)
  2  usage error, unreadable file, IDL errors or malformed dump`;

export function registerApi(program: Command, io: ApiIo = processIo): void {
  const api = program
    .command('api')
    .description('frozen API dumps with hashes, and compatibility checks between interface versions')
    .exitOverride(usageExit)
    .addHelpText('after', EXIT_HELP);

  api
    .command('dump')
    .description('write a normalized, hashed description of the interfaces, types and constants of IDL files')
    .argument('<files...>', 'QAIC IDL files')
    .option('-I, --include-path <dir>', 'add an include directory (repeatable)', collect, [])
    .option('-D, --define <sym>', 'define a preprocessor symbol (repeatable)', collect, [])
    .option('-o, --output-path <file>', 'write the dump to this file (default: stdout, hashes to stderr)')
    .exitOverride(usageExit)
    .addHelpText('after', `${EXIT_HELP}\n\nPrints the dump hash, then one "<hash>  interface <name>" line per interface.`)
    .action((files: string[], opts: { includePath: string[]; define: string[]; outputPath?: string }) => {
      process.exitCode = runApiDump(
        files,
        { includeDirs: opts.includePath, defines: opts.define, ...(opts.outputPath === undefined ? {} : { outputPath: opts.outputPath }) },
        io,
      );
    });

  api
    .command('check')
    .description('report changes from <old> to <new>; each is an API dump (JSON) or an IDL file')
    .argument('<old>', 'the released version: dump JSON or IDL file')
    .argument('<new>', 'the candidate version: dump JSON or IDL file')
    .option('-I, --include-path <dir>', 'include directory for IDL operands (repeatable)', collect, [])
    .option('-D, --define <sym>', 'define a preprocessor symbol for IDL operands (repeatable)', collect, [])
    .option('--strict', 'treat <old> as frozen: any change, even a compatible one, exits 1')
    .option('--json', 'print the changes as a JSON array of {kind, severity, path, message}')
    .exitOverride(usageExit)
    .addHelpText('after', `${EXIT_HELP}\n\nEach line: "<incompatible|compatible>: <path in the dump>: <message> [<kind>]".`)
    .action((oldPath: string, newPath: string, opts: { includePath: string[]; define: string[]; strict?: boolean; json?: boolean }) => {
      process.exitCode = runApiCheck(
        oldPath,
        newPath,
        { includeDirs: opts.includePath, defines: opts.define, strict: opts.strict === true, json: opts.json === true },
        io,
      );
    });
}
