/**
 * What every command shares about its terminal: whether to colour (a TTY, unless NO_COLOR;
 * FORCE_COLOR forces it on, e.g. in CI logs) and the exit-code table printed by --help.
 */

/** Colour for a stream: FORCE_COLOR (not "0"/"false") wins, then NO_COLOR (any non-empty value), then isTTY. */
export function shouldColor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (force !== undefined) return false;
  return stream.isTTY === true;
}

/** The exit codes every command uses, for the --help epilogue. */
export const EXIT_CODES_HELP = `
Exit codes:
  0  success (warnings allowed)
  1  the input has errors (diagnostics on stderr) or, for compatibility checks, incompatible changes
  2  usage error (unknown option, missing argument, unreadable file) or internal error

Diagnostics are coloured on a terminal and plain otherwise; NO_COLOR=1 turns colour off,
FORCE_COLOR=1 turns it on.`;
