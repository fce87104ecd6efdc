/**
 * The `dspidl` program: each command lives in its own module and registers itself here.
 * Exit codes: 0 ok, 1 errors in the input (or incompatible API changes), 2 usage errors.
 */
import { Command, CommanderError } from 'commander';
import { registerCheck } from './check.ts';
import { registerGenerate } from './generate.ts';
import { registerLayout } from './layout.ts';
import { registerCodec } from './codec.ts';
import { registerApi } from './api.ts';
import { normalizeQaicArgs } from './qaic-args.ts';
import { VERSION } from '../version.ts';
import { EXIT_CODES_HELP } from './terminal.ts';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('dspidl')
    .description('QAIC and QMI IDL to typed TypeScript stubs, skels and codecs')
    .version(VERSION, '-V, --version')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', `${EXIT_CODES_HELP}\n\nRun "dspidl <command> --help" for a command's options.`);
  registerCheck(program);
  registerGenerate(program);
  registerLayout(program);
  registerCodec(program);
  registerApi(program);
  // Commands registered elsewhere without their own exit-code epilogue get the shared one.
  for (const cmd of program.commands) {
    if (['layout', 'encode', 'decode'].includes(cmd.name())) cmd.addHelpText('after', EXIT_CODES_HELP);
  }
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(normalizeQaicArgs(argv), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // Help and --version end with 0; every other parser error is a usage error (2).
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    process.stderr.write(`dspidl: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}
