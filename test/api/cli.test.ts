/**
 * `dspidl api dump|check`: output, exit codes and help, in-process through the same
 * commander wiring the CLI uses, plus one run of the real entry point.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { main } from '../../generator/cli/program.ts';

const FIX = 'test/api/fixtures';
const V1 = `${FIX}/v1/calculator.idl`;
const V2_OK = `${FIX}/v2-compatible/calculator.idl`;
const V2_BAD = `${FIX}/v2-breaking/calculator.idl`;
const tmp = mkdtempSync(join(tmpdir(), 'dspidl-api-'));

afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
});

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `dspidl <args>` in-process with captured output, through the CLI's own main(). */
async function run(args: readonly string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t), color: false, readStdin: () => '' });
  return { code, out, err };
}

describe('api dump', () => {
  it('writes the dump with -o and prints its hash first', async () => {
    const file = join(tmp, 'v1.json');
    const r = await run(['api', 'dump', V1, '-I', FIX, '-o', file]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const dump = JSON.parse(readFileSync(file, 'utf8')) as { hash: string; format: string; interfaces: Record<string, { hash: string }> };
    expect(dump.format).toBe('dspidl-api/1');
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe(dump.hash);
    expect(lines).toContain(`${dump.interfaces['calculator']?.hash}  interface calculator`);
  });

  it('writes the dump to stdout and the hashes to stderr without -o; qaic spellings -I= and -D= work', async () => {
    const r = await run(['api', 'dump', V1, `-I=${FIX}`, '-D=UNUSED']);
    expect(r.code).toBe(0);
    const dump = JSON.parse(r.out) as { hash: string };
    expect(r.err.split('\n')[0]).toBe(dump.hash);
  });

  it('gives the same hash to a reformatted IDL with the same API', async () => {
    const a = join(tmp, 'a.idl');
    const b = join(tmp, 'b.idl');
    writeFileSync(a, 'interface tiny { long f(in long x, rout string s); };\n');
    writeFileSync(b, '// tiny, reformatted\ninterface tiny\n{\n  /** f */ long f( in long x,\n rout string s ) ;\n} ;\n');
    const ra = await run(['api', 'dump', a, '-o', join(tmp, 'a.json')]);
    const rb = await run(['api', 'dump', b, '-o', join(tmp, 'b.json')]);
    expect(ra.code).toBe(0);
    expect(rb.out.split('\n')[0]).toBe(ra.out.split('\n')[0]);
  });

  it('exits 1 with the diagnostic for an IDL with errors', async () => {
    const bad = join(tmp, 'bad.idl');
    writeFileSync(bad, 'interface broken {\n  long f(in long);\n};\n');
    const r = await run(['api', 'dump', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.idl:\d+:\d+: error\[/);
  });

  it('exits 1 for a missing input file, 2 for a missing argument and for an output it cannot write', async () => {
    expect((await run(['api', 'dump', join(tmp, 'nope.idl')])).code).toBe(1);
    const r = await run(['api', 'dump']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('missing required argument');
    const w = await run(['api', 'dump', V1, '-I', FIX, '-o', join(V1, 'out.json')]);
    expect(w.code).toBe(2);
    expect(w.err).toContain('cannot write');
  });
});

describe('api check', () => {
  it('exits 0 and prints only compatible lines for a compatible evolution (dump vs IDL)', async () => {
    const old = join(tmp, 'calc-v1.json');
    expect((await run(['api', 'dump', V1, '-I', FIX, '-o', old])).code).toBe(0);
    const r = await run(['api', 'check', old, V2_OK, '-I', FIX]);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(line).toMatch(/^compatible: /);
    expect(r.out).toContain('[param-renamed]');
    expect(r.out).toContain('[method-added]');
    expect(r.out).toContain('[enumerator-added]');
    expect(r.out).toContain('[constant-added]');
  });

  it('exits 1 and names each incompatible change (IDL vs IDL)', async () => {
    const r = await run(['api', 'check', V1, V2_BAD, '-I', FIX]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('incompatible: interfaces/calculator/methods/stats: ');
    expect(r.out).toContain('incompatible: types/calculator::Stats/members/max: ');
    expect(r.out).toContain('incompatible: constants/MAX_TERMS: ');
    expect(r.err).toMatch(/\d+ incompatible/);
  });

  it('exits 0 with no change lines when comparing a dump with its own IDL', async () => {
    const old = join(tmp, 'calc-same.json');
    await run(['api', 'dump', V1, '-I', FIX, '-o', old]);
    const r = await run(['api', 'check', old, V1, '-I', FIX]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toContain('no changes');
    expect(r.err).not.toContain('does not match');
  });

  it('--strict fails on compatible changes too; --json prints the change list as JSON', async () => {
    const strict = await run(['api', 'check', V1, V2_OK, '-I', FIX, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.out).toMatch(/^compatible: /);
    const same = await run(['api', 'check', V1, V1, '-I', FIX, '--strict']);
    expect(same.code).toBe(0);
    const json = await run(['api', 'check', V1, V2_BAD, '-I', FIX, '--json']);
    expect(json.code).toBe(1);
    const changes = JSON.parse(json.out) as { kind: string; severity: string; path: string; message: string }[];
    expect(changes.map((c) => c.kind)).toEqual(['method-removed', 'method-inserted', 'member-added', 'constant-changed']);
    expect(changes.every((c) => c.severity === 'incompatible' && c.message.length > 0)).toBe(true);
  });

  it('exits 1 for unreadable, non-dump and malformed dump operands, 2 for a missing operand', async () => {
    const notDump = join(tmp, 'other.json');
    writeFileSync(notDump, '{"name": "x"}');
    const truncated = join(tmp, 'trunc.json');
    writeFileSync(truncated, '{"format": "dspidl-api/1", "interfaces": {');
    const badMethod = join(tmp, 'badmethod.json');
    writeFileSync(
      badMethod,
      JSON.stringify({
        format: 'dspidl-api/1',
        hash: '',
        interfaces: { i: { methods: [{ name: 1 }], uses: [] } },
        types: {},
        constants: {},
      }),
    );
    for (const operand of [join(tmp, 'missing.json'), notDump, truncated, badMethod]) {
      const r = await run(['api', 'check', operand, V1, '-I', FIX]);
      expect(r.code, operand).toBe(1);
      expect(r.err, operand).toContain('dspidl api:');
    }
    const r = await run(['api', 'check', badMethod, V1, '-I', FIX]);
    expect(r.err).toContain('$.interfaces["i"]');
    expect((await run(['api', 'check', V1])).code).toBe(2);
  });

  it('warns when a dump was edited by hand', async () => {
    const old = join(tmp, 'edited.json');
    await run(['api', 'dump', V1, '-I', FIX, '-o', old]);
    writeFileSync(
      old,
      readFileSync(old, 'utf8').replace(
        '"MAX_TERMS": {\n      "type": "int32",\n      "value": 16',
        '"MAX_TERMS": {\n      "type": "int32",\n      "value": 17',
      ),
    );
    const r = await run(['api', 'check', old, V1, '-I', FIX]);
    expect(r.err).toContain('does not match the content');
    expect(r.code).toBe(1);
  });
});

describe('help', () => {
  it.each([['api'], ['api', 'dump'], ['api', 'check']])('%s %s --help exits 0 and documents exit codes', async (...cmd) => {
    const r = await run([...cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: dspidl api');
    expect(r.out).toContain('Exit codes:');
  });
});

describe('the dspidl entry point', () => {
  it('runs api check with exit code 1 on an incompatible change', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'generator/cli.ts', 'api', 'check', V1, V2_BAD, `-I=${FIX}`], {
      encoding: 'utf8',
    });
    expect(r.stderr).toMatch(/incompatible/);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('incompatible: interfaces/calculator/methods/stats');
  });
});
