/**
 * The `dspidl` program: commander with the commands of commands.ts. Every outcome maps to the one
 * exit-code table (terminal.ts): usage mistakes get a one-line message (with "did you mean" from
 * commander), never the whole help; bugs are reported as internal errors.
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.ts';
import { registerCommands } from './commands.ts';
import { normalizeQaicArgs } from './qaic-args.ts';
import { EXIT_CODES_HELP, Exit, UsageError, processIo, type CliIo } from './terminal.ts';

export function buildProgram(io: CliIo = processIo): Command {
  const program = new Command();
  program
    .name('dspidl')
    .description('QAIC and QMI IDL to typed TypeScript stubs, skels and codecs')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (t) => io.out(t),
      writeErr: (t) => io.err(t),
      // commander's "error: unknown option '--includ'\n(Did you mean --include-path?)" on one line.
      outputError: (t, write) =>
        write(
          `dspidl: ${t
            .replace(/^error: /, '')
            .replace(/\n\((Did you mean [^)]*)\)/, (_m, s: string) => `; ${s.charAt(0).toLowerCase()}${s.slice(1)}`)
            .trimEnd()}\n`,
        ),
    })
    .addHelpText('after', `${EXIT_CODES_HELP}\n\nRun "dspidl <command> --help" for a command's options.`);
  registerCommands(program, io);
  // Sub-commands report like the program does.
  const inherit = (cmd: Command): void => {
    for (const c of cmd.commands) {
      c.exitOverride().showSuggestionAfterError(true).configureOutput(program.configureOutput());
      inherit(c);
    }
  };
  inherit(program);
  return program;
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  process.exitCode = undefined;
  try {
    await program.parseAsync(normalizeQaicArgs(argv), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : Exit.OK;
  } catch (err) {
    // Help and --version end with 0; every other parser error is a usage error, already printed.
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return Exit.OK;
      if (err.code !== 'commander.help' && err.code !== 'commander.helpDisplayed')
        io.err(`Run "dspidl ${commandPath(argv)}--help" for the options.\n`);
      return Exit.USAGE;
    }
    if (err instanceof UsageError) {
      io.err(`dspidl: ${err.message}\n`);
      return Exit.USAGE;
    }
    io.err(`dspidl: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return Exit.INTERNAL;
  } finally {
    process.exitCode = undefined;
  }
}

/** `generate ` for `dspidl generate --bad`, '' when the command itself is unknown. */
function commandPath(argv: readonly string[]): string {
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith('-')) break;
    if (['check', 'generate', 'layout', 'encode', 'decode', 'api'].includes(a) || (words[0] === 'api' && ['dump', 'check'].includes(a)))
      words.push(a);
    else break;
  }
  return words.length > 0 ? `${words.join(' ')} ` : '';
}
