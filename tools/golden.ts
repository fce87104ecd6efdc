/**
 * `npm run golden -- check|update [set...]`: every golden set of the repository behind one
 * command. `check` fails (exit 1) and names each file that differs, is missing, or should not
 * be there; `update` rewrites them. Review golden diffs like code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GOLDEN_SETS } from './golden/sets.ts';
import type { GoldenFile, GoldenSet } from './golden/golden-set.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'));
}

/** Differences between a set's expected files and the tree. */
export async function goldenProblems(set: GoldenSet): Promise<{ problems: string[]; files: GoldenFile[] }> {
  const files = await set.produce(root);
  const problems: string[] = [];
  const expected = new Set(files.map((f) => f.path));
  for (const f of files) {
    const p = join(root, f.path);
    if (!existsSync(p)) problems.push(`missing ${f.path}`);
    else if (readFileSync(p, 'utf8') !== f.content) problems.push(`differs ${f.path}`);
  }
  for (const dir of set.owns) for (const f of filesUnder(join(root, dir))) if (!expected.has(f)) problems.push(`extra ${f}`);
  return { problems, files };
}

async function main(argv: readonly string[]): Promise<number> {
  const [mode, ...names] = argv;
  if (mode !== 'check' && mode !== 'update') {
    console.error(
      `usage: npm run golden -- check|update [set...]\nsets: ${GOLDEN_SETS.map((s) => `${s.name} (${s.describe})`).join(', ')}`,
    );
    return 2;
  }
  const unknown = names.filter((n) => !GOLDEN_SETS.some((s) => s.name === n));
  if (unknown.length > 0) {
    console.error(`unknown golden set ${unknown.join(', ')} (known: ${GOLDEN_SETS.map((s) => s.name).join(', ')})`);
    return 2;
  }
  const sets = names.length > 0 ? GOLDEN_SETS.filter((s) => names.includes(s.name)) : GOLDEN_SETS;
  let failed = 0;
  for (const set of sets) {
    const { problems, files } = await goldenProblems(set);
    if (mode === 'check') {
      if (problems.length > 0) {
        failed++;
        console.error(
          `golden set ${set.name}: ${problems.length} problem(s); run npm run golden -- update ${set.name} and review the diff\n  ${problems.join('\n  ')}`,
        );
      } else console.log(`golden set ${set.name}: ${files.length} file(s) up to date`);
      continue;
    }
    for (const p of problems.filter((x) => x.startsWith('extra '))) rmSync(join(root, p.slice(6)));
    for (const f of files) {
      const p = join(root, f.path);
      if (existsSync(p) && readFileSync(p, 'utf8') === f.content) continue;
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.content);
    }
    console.log(`golden set ${set.name}: ${problems.length === 0 ? 'already up to date' : `updated (${problems.length} change(s))`}`);
    if (set.name === 'templates' && problems.length > 0) {
      // This process has the old templates loaded: the other sets are produced by a fresh one.
      const rest = sets.slice(sets.indexOf(set) + 1).map((s) => s.name);
      if (rest.length === 0) break;
      const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), 'update', ...rest], { stdio: 'inherit' });
      return r.status ?? 1;
    }
  }
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
