#!/usr/bin/env node
// The dspidl command. `--version` answers before anything else loads (builds often run dspidl
// once per IDL file); everything else runs the bundled CLI in dist/cli/.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  // A run of the CLI is short: V8's optimizing compiler would spend more CPU compiling the
  // parser than the run lasts. A larger interrupt budget means a function must run longer before
  // it is optimized, so long runs (big inputs, --watch) are still optimized.
  setFlagsFromString('--interrupt-budget=1000000');
  let cli;
  try {
    cli = await import('../dist/cli/program.js');
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist/cli/program.js')) throw e;
    process.stderr.write('dspidl: the compiled CLI (dist/) is missing: in a checkout, run `npm run build`\n');
    process.exit(3);
  }
  process.exitCode = await cli.main(argv);
}
