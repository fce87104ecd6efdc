/**
 * The command line facing a careless or hostile user: one exit-code table that every command
 * follows, one-line usage errors with a suggestion, endless and special input files refused,
 * outputs that would overwrite each other refused before anything is written.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { main } from '../../generator/cli/program.ts';
import { Exit } from '../../generator/cli/terminal.ts';

const tmp = mkdtempSync(join(tmpdir(), 'dspidl-hostile-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
});

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function dspidl(args: readonly string[], stdin = ''): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t), color: false, readStdin: () => stdin });
  return { code, out, err };
}

const GOOD = join(tmp, 'good.idl');
const BAD = join(tmp, 'bad.idl');
const QMI = join(tmp, 'svc.idl');
writeFileSync(GOOD, 'interface good { long f(in long a, rout long b); };\n');
writeFileSync(BAD, 'interface bad { long f(in lon a); };\n');
const QMI_BAD = join(tmp, 'svc-bad.idl');
writeFileSync(QMI, 'message {\n  mandatory uint32 a;\n} svc_req_msg;\n');
writeFileSync(QMI_BAD, 'message {\n  mandatory uint23 a;\n} svc_req_msg;\n');
const FILE = join(tmp, 'afile');
writeFileSync(FILE, 'not a directory\n');

/** Per command: a run that succeeds, one whose input has errors, and one that misuses the command. */
const TABLE: readonly {
  readonly command: string;
  readonly ok: string[];
  readonly failed: string[];
  readonly usage: string[];
  readonly stdin?: string;
}[] = [
  { command: 'check', ok: ['check', GOOD], failed: ['check', BAD], usage: ['check'] },
  {
    command: 'generate',
    ok: ['generate', GOOD, '-o', join(tmp, 'out')],
    failed: ['generate', BAD, '-o', join(tmp, 'out')],
    usage: ['generate', GOOD, '-o', join(FILE, 'out')],
  },
  { command: 'layout', ok: ['layout', GOOD], failed: ['layout', BAD], usage: ['layout', GOOD, '--jsn'] },
  {
    command: 'encode',
    ok: ['encode', GOOD, 'good.f'],
    failed: ['encode', BAD, 'bad.f'],
    usage: ['encode', GOOD],
    stdin: '{"args":{"a":1}}',
  },
  {
    command: 'decode',
    ok: ['decode', QMI, 'svc_req_msg'],
    failed: ['decode', QMI_BAD, 'svc_req_msg'],
    usage: ['decode', QMI, 'svc_req_msg', '--nope'],
    stdin: '{"hex":"01040001000000"}',
  },
  {
    command: 'api dump',
    ok: ['api', 'dump', GOOD],
    failed: ['api', 'dump', BAD],
    usage: ['api', 'dump', GOOD, '-o', join(FILE, 'x.json')],
  },
  { command: 'api check', ok: ['api', 'check', GOOD, GOOD], failed: ['api', 'check', GOOD, BAD], usage: ['api', 'check', GOOD] },
];

describe('one exit-code table for every command', () => {
  it.each(TABLE)('$command: 0 on success, 1 on input errors, 2 on a usage error with a one-line message', async (row) => {
    const ok = await dspidl(row.ok, row.stdin);
    expect(ok.code, ok.err).toBe(Exit.OK);
    const failed = await dspidl(row.failed, row.stdin);
    expect(failed.code, failed.err).toBe(Exit.FAILED);
    expect(failed.err).toMatch(/error/);
    const usage = await dspidl(row.usage, row.stdin);
    expect(usage.code, usage.err).toBe(Exit.USAGE);
    const lines = usage.err.trimEnd().split('\n');
    expect(lines.length, usage.err).toBeLessThanOrEqual(2);
    expect(lines[0]).toMatch(/^dspidl/);
  });

  it('an unknown option gets one line with a suggestion and a pointer to --help, not the whole help', async () => {
    const r = await dspidl(['generate', GOOD, '--ouput-path', tmp]);
    expect(r.code).toBe(Exit.USAGE);
    expect(r.err).toMatch(/unknown option '--ouput-path'/);
    expect(r.err).toMatch(/--output-path/);
    expect(r.err).toMatch(/dspidl generate --help/);
    expect(r.err.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
  });

  it('-o through a file is a usage error naming the path, not an internal ENOTDIR', async () => {
    const r = await dspidl(['generate', GOOD, '-o', join(FILE, 'out')]);
    expect(r.code).toBe(Exit.USAGE);
    expect(r.err).not.toMatch(/internal error|ENOTDIR/);
    expect(r.err).toContain(join(FILE, 'out'));
  });
});

describe('inputs that are not IDL files', () => {
  for (const special of ['/dev/zero', '/dev/null', '/dev/urandom']) {
    it(`check ${special} is refused at once (not a regular file)`, async () => {
      if (!existsSync(special)) return;
      const r = await dspidl(['check', special]);
      expect(r.code).toBe(Exit.FAILED);
      expect(r.err).toMatch(/INPUT00[12]/);
    });
  }

  it('#include "/dev/zero" is refused at the include, located', async () => {
    const f = join(tmp, 'inc-zero.idl');
    writeFileSync(f, '#include "/dev/zero"\ninterface z { long f(); };\n');
    const r = await dspidl(['check', f]);
    expect(r.code).toBe(Exit.FAILED);
    expect(r.err).toMatch(/inc-zero\.idl:1:\d+: error\[(INPUT00[12]|QAIC001)\]/);
  });

  it('a directory given as input is refused', async () => {
    const r = await dspidl(['check', tmp]);
    expect(r.code).toBe(Exit.FAILED);
    expect(r.err).toMatch(/INPUT00[12]/);
  });
});

describe('outputs that would overwrite each other', () => {
  it('two inputs with the same file name are an error naming both, and nothing is written', async () => {
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    mkdirSync(a, { recursive: true });
    mkdirSync(b, { recursive: true });
    writeFileSync(join(a, 'x.idl'), 'interface xa { long f(); };\n');
    writeFileSync(join(b, 'x.idl'), 'interface xb { long g(); };\n');
    const out = join(tmp, 'collide');
    const r = await dspidl(['generate', join(a, 'x.idl'), join(b, 'x.idl'), '-o', out]);
    expect(r.code).toBe(Exit.FAILED);
    expect(r.err).toMatch(/OUTPUT001/);
    expect(r.err).toContain(join(a, 'x.idl'));
    expect(r.err).toContain(join(b, 'x.idl'));
    expect(existsSync(join(out, 'x.ts'))).toBe(false);
  });

  it('x.idl with -ho -ro against x.types.idl is refused too', async () => {
    const d = join(tmp, 'types');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'x.idl'), 'interface xa { long f(); };\n');
    writeFileSync(join(d, 'x.types.idl'), 'struct P { long a; };\n');
    const r = await dspidl(['generate', join(d, 'x.idl'), join(d, 'x.types.idl'), '-ho', '-ro', '-o', join(tmp, 'types-out')]);
    expect(r.code).toBe(Exit.FAILED);
    expect(r.err).toMatch(/OUTPUT001.*x\.types\.ts/);
  });
});

describe('README exit-code table', () => {
  it('says what the code does', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [code, words] of [
      [Exit.OK, 'success'],
      [Exit.FAILED, 'errors'],
      [Exit.USAGE, 'usage error'],
      [Exit.INTERNAL, 'internal error'],
    ] as const) {
      expect(readme).toMatch(new RegExp(`\\n\\| ${code} \\| [^\\n]*${words}`));
    }
  });
});
