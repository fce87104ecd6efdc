#!/usr/bin/env node
/**
 * `dspidl`: the command-line front of the generator. Each command lives in its own
 * module under cli/ and registers itself on the program.
 */
import { Command } from 'commander';
import { registerCheck } from './cli/check.ts';
import { registerGenerate } from './cli/generate.ts';
import { registerLayout } from './cli/layout.ts';
import { registerCodec } from './cli/codec.ts';
import { registerApi } from './cli/api.ts';
import { normalizeQaicArgs } from './cli/qaic-args.ts';
import { VERSION } from './version.ts';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('dspidl')
    .description('QAIC and QMI IDL to typed TypeScript stubs, skels and codecs')
    .version(VERSION, '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  registerCheck(program);
  registerGenerate(program);
  registerLayout(program);
  registerCodec(program);
  registerApi(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(normalizeQaicArgs(argv), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    const code = (err as { exitCode?: unknown }).exitCode;
    if (typeof code === 'number') return code;
    process.stderr.write(`dspidl: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
