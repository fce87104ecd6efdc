/**
 * `npm run qaic-diff -- [--qaic <path>] [--from 1] [--to 500] [--mutated 100] [--invalid 20] [--record <part>]`:
 * the differential runner. For each seed it writes a random IDL file (and, for the mutated and
 * invalid seeds, a valid file with one mutation, or a construct qaic refuses), records what the
 * real qaic does with it (verdict, valid calls through its stubs and skels, malformed requests
 * into its skels), and compares dspidl against that. `--record <part>` writes the recordings to
 * test/conformance/random/<part>.json.gz, which `npm test` replays without qaic. Exits 1 on any
 * mismatch outside the tolerances documented in test/conformance/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compareFile } from './compare.ts';
import { invalidIdl, mutatedIdl, randomIdl, Rng } from './random-idl.ts';
import { recordFile, type FileRecord } from './record.ts';

/** JSON in which -0 stays -0.0 (JSON.stringify writes 0), as the conformance vectors write it. */
function jsonKeepingNegativeZero(value: unknown): string {
  const marker = '\u0000-0.0\u0000';
  return JSON.stringify(value, (_k, v: unknown) => (Object.is(v, -0) ? marker : v)).replaceAll(JSON.stringify(marker), '-0.0');
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const qaic = option('--qaic', process.env['QAIC'] ?? join(homedir(), 'qaic', 'build', 'qaic'));
const from = Number(option('--from', '1'));
const to = Number(option('--to', '500'));
const mutated = Number(option('--mutated', '0'));
const invalid = Number(option('--invalid', '0'));
const part = option('--record', '');
const corpus = new URL(`../../test/conformance/random/${part}.json.gz`, import.meta.url).pathname;
const support = [new URL('../../test/conformance/qaic/idl', import.meta.url).pathname];
const work = mkdtempSync(join(tmpdir(), 'qaic-diff-'));
const tools = { qaic, cc: option('--cc', 'gcc'), work };

const files: FileRecord[] = [];
const mismatches: string[] = [];
const tolerated: Record<string, number> = {};
let interfaces = 0;
const started = Date.now();

async function one(name: string, text: string, seed: number): Promise<void> {
  let rec: FileRecord;
  try {
    rec = recordFile(tools, name, text, { casesPerMethod: 2, badPerVector: 4, seed });
  } catch (e) {
    // A driver that does not compile is a runner defect: report it and go on with the next file.
    mismatches.push(`${name}: runner: ${(e instanceof Error ? e.message : String(e)).split('\n').slice(0, 3).join(' | ')}`);
    return;
  }
  files.push(rec);
  interfaces += rec.qaic.accepted ? (text.match(/^interface /gm) ?? []).length : 0;
  const cmp = await compareFile(rec, support);
  mismatches.push(...cmp.mismatches);
  for (const [k, n] of Object.entries(cmp.tolerated)) tolerated[k] = (tolerated[k] ?? 0) + n;
  for (const c of rec.crashes) tolerated[`qaic crash: ${c.note}`] = (tolerated[`qaic crash: ${c.note}`] ?? 0) + 1;
}

try {
  for (let seed = from; seed <= to; seed++) {
    const n = 1 + new Rng(seed * 7919).int(3);
    await one(`r${seed}.idl`, randomIdl(seed, `r${seed}_`, n), seed);
    if ((seed - from) % 25 === 24)
      console.log(
        `${seed - from + 1} files, ${interfaces} interfaces, ${mismatches.length} mismatches (${Math.round((Date.now() - started) / 1000)} s)`,
      );
  }
  for (let k = from; k < from + mutated; k++) await one(`m${k}.idl`, mutatedIdl(k, `m${k}_`), k);
  for (let k = from; k < from + invalid; k++) await one(`bad${k}.idl`, invalidIdl(k, `bad${k}`), k);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const vectors = files.reduce((a, f) => a + f.vectors.length, 0);
const bad = files.reduce((a, f) => a + f.badInputs.length, 0);
const refused = files.filter((f) => !f.qaic.accepted).length;
console.log(
  `${files.length} IDL files (${refused} refused by qaic), ${interfaces} interfaces, ${vectors} valid calls, ${bad} malformed requests`,
);
console.log(`tolerated: ${JSON.stringify(tolerated)}`);
for (const m of mismatches.slice(0, 50)) console.log(`MISMATCH ${m}`);
console.log(`${mismatches.length} mismatches`);
if (part) {
  mkdirSync(new URL('../../test/conformance/random/', import.meta.url).pathname, { recursive: true });
  const data = { generator: 'tools/qaic-diff', qaic: '01.00.51', seeds: { from, to, mutated, invalid }, files };
  writeFileSync(corpus, gzipSync(jsonKeepingNegativeZero(data), { level: 9 }));
  console.log(`wrote ${corpus}`);
}
if (mismatches.length > 0) process.exitCode = 1;
