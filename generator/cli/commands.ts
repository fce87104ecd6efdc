/**
 * The commands of `dspidl`, their options and help. Only commander and this table load at
 * start-up: each action imports its command's module when it runs, so `dspidl check` never loads
 * the emitters and `--help` loads no front end.
 */
import type { Command } from 'commander';
import { EXIT_CODES_HELP, type CliIo } from './terminal.ts';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

interface Io {
  readonly io: CliIo;
}

function check(program: Command, { io }: Io): void {
  program
    .command('check')
    .description("parse and validate IDL files without generating code (qaic's --parse-only)")
    .argument('<files...>', 'IDL files (QAIC or QMI, told apart by content)')
    .option('-I, --include-path <dir>', 'add a directory to the #include search path (repeatable; also -I=dir)', collect, [])
    .option('-D, --define <sym>', 'define a preprocessor symbol (repeatable)', collect, [])
    .option('--ast-json', 'print the resolved model as JSON on stdout')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (files: string[], opts: { includePath: string[]; define: string[]; astJson?: boolean }) => {
      const { runCheck } = await import('./check.ts');
      process.exitCode = runCheck(files, opts, io);
    });
}

function generate(program: Command, { io }: Io): void {
  program
    .command('generate')
    .description('generate TypeScript stubs, skels and codecs from IDL files')
    .argument('<files...>', 'IDL files (QAIC or QMI, told apart by content)')
    .option('-I, --include-path <dir>', 'add a directory to the #include search path (repeatable; also -I=dir)', collect, [])
    .option('-D, --define <sym>', 'define a preprocessor symbol (repeatable; also -D=sym)', collect, [])
    .option('-o, --output-path <dir>', 'output directory (also -o=dir)', '.')
    .option('-s, --parse-only', 'parse and validate only, write nothing')
    .option('--header-only', "types only: <name>.types.ts with constants, enums, structs, typedefs (qaic's -ho)")
    .option('--remoting-only', "client and skel only: <name>.ts importing the types from ./<name>.types.js (qaic's -ro)")
    .option('--target <target>', 'ts: TypeScript modules; js+dts: JavaScript plus .d.ts declarations', 'ts')
    .option('--import-extension <ext>', 'extension of relative imports in generated code: .js, .ts or none', '.js')
    .option(
      '--runtime <root>',
      'where generated code imports dspidl from: a package name, or a directory relative to the output holding codegen/v1',
      'dspidl',
    )
    .option('--templates <dir>', 'replace built-in templates by the .hbs files of this directory (same names)')
    .option('--no-bundled-idl', 'do not search the standard IDLs bundled with dspidl (AEEStdDef.idl, remote.idl, common_v01.idl, ...)')
    .option('--emitter <module>', 'add an output kind: a module whose default export is an Emitter (repeatable)', collect, [])
    .option('-w, --watch', 'regenerate when an input or included file changes (Ctrl-C to stop)')
    .addHelpText(
      'after',
      `${EXIT_CODES_HELP}\n\nEach output file is reported as "wrote <path>" or "unchanged <path>" (files whose content\nis unchanged are not rewritten). Included IDL files get modules of their own, except the\nstandard IDLs bundled with dspidl. --header-only/--remoting-only split QAIC modules; a QMI\nmodule (types and codecs) is always written whole.`,
    )
    .action(async (files: string[], opts: import('./generate.ts').GenerateCliOptions) => {
      const { generateCommand } = await import('./generate.ts');
      process.exitCode = await generateCommand(files, opts, io);
    });
}

function layout(program: Command, { io }: Io): void {
  program
    .command('layout')
    .description('show the FastRPC wire layout of every method of a QAIC IDL file')
    .argument('<file>', 'QAIC IDL file')
    .option('-I, --include-path <dir>', 'add a directory to the #include search path (repeatable)', collect, [])
    .option('-D, --define <sym>', 'define a preprocessor symbol (repeatable)', collect, [])
    .option('--json', 'print JSON (the schema of the conformance layout.json)')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (file: string, opts: { includePath: string[]; define: string[]; json?: boolean }) => {
      const { runLayout } = await import('./layout.ts');
      process.exitCode = runLayout(file, opts, io);
    });
}

function codec(program: Command, { io }: Io): void {
  for (const mode of ['encode', 'decode'] as const) {
    program
      .command(mode)
      .description(
        mode === 'encode'
          ? 'encode one call from JSON on stdin (QAIC: the stub view of a request, or with --response the skel view of a reply; QMI: a message)'
          : 'decode one call from JSON on stdin (QAIC: the skel view of a request, or with --response the stub view of a reply; QMI: a message)',
      )
      .argument('<file>', 'IDL file (QAIC or QMI)')
      .argument('<name>', 'QAIC: <interface>.<method> (scoped IDL name or C name); QMI: message name')
      .option('-I, --include-path <dir>', 'add a directory to the include search path (repeatable)', collect, [])
      .option('--response', 'QAIC: the reply instead of the request')
      .addHelpText('after', EXIT_CODES_HELP)
      .action(async (file: string, name: string, opts: { includePath: string[]; response?: boolean }) => {
        const { runCodec } = await import('./codec.ts');
        process.exitCode = await runCodec(mode, file, name, opts, io);
      });
  }
}

function api(program: Command, { io }: Io): void {
  const group = program
    .command('api')
    .description('frozen API dumps with hashes, and compatibility checks between interface versions')
    .addHelpText('after', EXIT_CODES_HELP);
  const apiIo = async (): Promise<import('./api.ts').ApiIo> => {
    const { processIo } = await import('./api.ts');
    return { ...processIo, out: (t) => io.out(t), err: (t) => io.err(t), color: io.color };
  };
  group
    .command('dump')
    .description('write a normalized, hashed description of the interfaces, types and constants of IDL files')
    .argument('<files...>', 'QAIC IDL files')
    .option('-I, --include-path <dir>', 'add an include directory (repeatable)', collect, [])
    .option('-D, --define <sym>', 'define a preprocessor symbol (repeatable)', collect, [])
    .option('-o, --output-path <file>', 'write the dump to this file (default: stdout, hashes to stderr)')
    .addHelpText('after', `${EXIT_CODES_HELP}\n\nPrints the dump hash, then one "<hash>  interface <name>" line per interface.`)
    .action(async (files: string[], opts: { includePath: string[]; define: string[]; outputPath?: string }) => {
      const { runApiDump } = await import('./api.ts');
      const options = {
        includeDirs: opts.includePath,
        defines: opts.define,
        ...(opts.outputPath === undefined ? {} : { outputPath: opts.outputPath }),
      };
      process.exitCode = runApiDump(files, options, await apiIo());
    });
  group
    .command('check')
    .description('report changes from <old> to <new>; each is an API dump (JSON) or an IDL file')
    .argument('<old>', 'the released version: dump JSON or IDL file')
    .argument('<new>', 'the candidate version: dump JSON or IDL file')
    .option('-I, --include-path <dir>', 'include directory for IDL operands (repeatable)', collect, [])
    .option('-D, --define <sym>', 'define a preprocessor symbol for IDL operands (repeatable)', collect, [])
    .option('--strict', 'treat <old> as frozen: any change, even a compatible one, exits 1')
    .option('--json', 'print the changes as a JSON array of {kind, severity, path, message}')
    .addHelpText('after', `${EXIT_CODES_HELP}\n\nEach line: "<incompatible|compatible>: <path in the dump>: <message> [<kind>]".`)
    .action(
      async (oldPath: string, newPath: string, opts: { includePath: string[]; define: string[]; strict?: boolean; json?: boolean }) => {
        const { runApiCheck } = await import('./api.ts');
        const options = { includeDirs: opts.includePath, defines: opts.define, strict: opts.strict === true, json: opts.json === true };
        process.exitCode = runApiCheck(oldPath, newPath, options, await apiIo());
      },
    );
}

/** Adds every command to `program`. */
export function registerCommands(program: Command, io: CliIo): void {
  for (const add of [check, generate, layout, codec, api]) add(program, { io });
}
