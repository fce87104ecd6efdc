#!/usr/bin/env node
/**
 * `dspidl`: the command-line front of the generator (the program itself is in cli/program.ts,
 * where tests build it without running it).
 */
import { main } from './cli/program.ts';

process.exitCode = await main(process.argv.slice(2));
