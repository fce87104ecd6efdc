/**
 * What every command shares about its terminal: where it writes, whether to colour (a TTY,
 * unless NO_COLOR; FORCE_COLOR forces it on, e.g. in CI logs), and the one exit-code table
 * every command follows.
 */
import { readFileSync } from 'node:fs';

/** Colour for a stream: FORCE_COLOR (not "0"/"false") wins, then NO_COLOR (any non-empty value), then isTTY. */
export function shouldColor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (force !== undefined) return false;
  return stream.isTTY === true;
}

/** The exit codes, the same for every command. */
export const Exit = {
  /** Success; warnings allowed. */
  OK: 0,
  /** The inputs have errors (diagnostics on stderr), or `api check` found an incompatible change. */
  FAILED: 1,
  /** Usage error: unknown command or option, missing or invalid argument, an output that cannot be written. */
  USAGE: 2,
  /** A bug in dspidl. */
  INTERNAL: 3,
} as const;

/** The exit codes every command uses, for the --help epilogue and the README. */
export const EXIT_CODES_HELP = `
Exit codes:
  0  success (warnings allowed)
  1  the inputs have errors (diagnostics on stderr: invalid, missing or unreadable input files,
     a malformed dump), or api check found an incompatible change (with --strict: any change)
  2  usage error: unknown command or option, missing or invalid argument, an output path that
     cannot be written
  3  internal error (a bug in dspidl: please report it with the input)

Diagnostics are coloured on a terminal and plain otherwise; NO_COLOR=1 turns colour off,
FORCE_COLOR=1 turns it on.`;

/** Thrown by a command for a usage mistake found after parsing (an unwritable -o, a bad value). */
export class UsageError extends Error {}

/** Where a command reads and writes; the CLI uses the process, tests capture it. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Colour diagnostics on stderr. */
  readonly color: boolean;
  readStdin(): string;
}

export const processIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  get color() {
    return shouldColor(process.stderr);
  },
  readStdin: () => readFileSync(0, 'utf8'),
};
