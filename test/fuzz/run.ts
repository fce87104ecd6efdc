/**
 * `npm run fuzz -- [--runs N] [--seed S] [target...]`: long fuzz runs outside the test
 * suite. Each target is a script in this folder taking `--runs` and `--seed`; `npm test`
 * runs bounded versions of the same properties. Without `--runs`, each target runs its own
 * default: 100,000 inputs, and 10,000 operation sequences per memory model.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TARGETS = ['skels', 'qmi-decoders', 'idl-frontend', 'memory-models'] as const;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const DEFAULT_RUNS: Readonly<Record<(typeof TARGETS)[number], string>> = {
  skels: '100000',
  'qmi-decoders': '100000',
  'idl-frontend': '100000',
  'memory-models': '10000',
};
const runsOption = option('--runs');
const seed = option('--seed') ?? String(Date.now() % 2 ** 31);
const named = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !['--runs', '--seed'].includes(all[i - 1] ?? ''));
const targets = named.length > 0 ? named : [...TARGETS];

let failed = 0;
for (const target of targets) {
  const script = fileURLToPath(new URL(`./${target}.ts`, import.meta.url));
  if (!existsSync(script)) {
    console.error(`unknown fuzz target ${target} (known: ${TARGETS.join(', ')})`);
    failed++;
    continue;
  }
  const runs = runsOption ?? DEFAULT_RUNS[target as (typeof TARGETS)[number]];
  console.log(`== ${target}: ${runs} runs, seed ${seed}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, '--runs', runs, '--seed', seed], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
