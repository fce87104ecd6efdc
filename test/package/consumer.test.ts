/**
 * The package as a user gets it: the tarball `npm pack` makes, installed into an empty project
 * in the system's temporary directory (outside this repository, so nothing resolves to it).
 * The README's quick start runs there verbatim, except for two substitutions: the tarball's real
 * path, and the TypeScript version pinned to this repository's (already in the npm cache). No
 * tsx: the TypeScript consumer compiles with its own `tsc --init` configuration and runs the
 * output with plain `node`; the JavaScript consumer runs the js+dts output.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const REPO = resolve(import.meta.dirname, '..', '..');
const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

interface Block {
  readonly lang: string;
  readonly body: string;
}

function sectionBlocks(start: string, end: string): Block[] {
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README has no section between ${start} and ${end}`);
  return [...readme.slice(a + start.length, b).matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1] ?? '',
    body: m[2] ?? '',
  }));
}

/** The file a block names in its first line (`// name: ...`), if any. */
const namedPath = (b: Block): string | undefined => /^\/\/ ([\w./-]+):/.exec(b.body)?.[1];

/** The environment of a user's shell: none of the variables `npm test` and vitest set. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|VITEST|NODE_OPTIONS$|INIT_CWD$|NODE_ENV$|TEST$)/i.test(k)) env[k] = v;
  return {
    ...env,
    NO_COLOR: '1',
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

const work = mkdtempSync(join(tmpdir(), 'dspidl-package-'));
const project = join(work, 'calc');
let tarball = '';
let packedFiles: string[] = [];
const typescriptVersion = (
  JSON.parse(readFileSync(join(REPO, 'node_modules', 'typescript', 'package.json'), 'utf8')) as { version: string }
).version;

async function sh(script: string, cwd = project): Promise<string> {
  try {
    const { stdout } = await exec('sh', ['-e', '-c', script], { cwd, env: userEnv(), timeout: 240_000, maxBuffer: 16 << 20 });
    return stdout;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${script}\nfailed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

/** Runs README blocks in the project: file blocks are saved, shell blocks run, a `text` block after a shell block is its output. */
async function replay(blocks: readonly Block[], substitute: (script: string) => string): Promise<void> {
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    const path = namedPath(b);
    if (path !== undefined && b.lang !== 'sh') {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), b.body);
      continue;
    }
    if (b.lang !== 'sh') continue;
    const stdout = await sh(substitute(b.body));
    const next = blocks[i + 1];
    if (next?.lang === 'text') expect(stdout, b.body).toBe(next.body);
  }
}

beforeAll(async () => {
  // dist/ is fresh (test/setup/dist.ts builds it when a source changed): pack it as it is.
  const out = await sh(`npm pack --ignore-scripts --json --pack-destination '${work}'`, REPO);
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, info!.filename);
  packedFiles = info!.files.map((f) => f.path);
  mkdirSync(project);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('ships the build, the bundled IDLs, the bin and the docs, and no sources, tests or tools', () => {
    const top = new Set(packedFiles.map((p) => p.split('/')[0]));
    expect([...top].sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'idl', 'package.json']);
    expect(packedFiles.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
    for (const f of [
      'dist/cli/program.js',
      'dist/runtime/index.js',
      'dist/runtime/index.d.ts',
      'dist/runtime/codegen/v1.d.ts',
      'idl/remote.idl',
    ]) {
      expect(packedFiles).toContain(f);
    }
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(Object.keys(pkg.dependencies)).not.toContain('esbuild');
  });
});

describe('a consumer project (README quick start)', () => {
  const blocks = sectionBlocks('<!-- consumer-example:start -->', '<!-- consumer-example:end -->');

  it('README files are the ones in examples/calculator', () => {
    const files = blocks.filter((b) => b.lang !== 'sh').flatMap((b) => namedPath(b) ?? []);
    expect(files).toEqual(['calculator.idl', 'apps.ts', 'dsp.ts', 'app.mjs', 'dsp.mjs']);
    for (const b of blocks) {
      const p = namedPath(b);
      if (p !== undefined) expect(b.body, p).toBe(readFileSync(join(REPO, 'examples', 'calculator', p), 'utf8'));
    }
  });

  it('installs, generates, compiles with tsc --init and runs: loopback and worker DSP, from TypeScript and from JavaScript', async () => {
    const install = '../dspidl/dspidl-0.1.0.tgz';
    expect(blocks[0]?.body).toContain(install);
    expect(blocks[0]?.body).toContain('npm install --save-dev typescript\n');
    await replay(blocks, (s) =>
      s
        .replace(install, tarball)
        .replace('npm install --save-dev typescript\n', `npm install --save-dev typescript@${typescriptVersion}\n`),
    );
    expect(existsSync(join(project, 'node_modules', 'tsx'))).toBe(false);
    expect(readFileSync(join(project, 'generated', 'calculator.ts'), 'utf8')).toContain("from 'dspidl/codegen/v1'");
  }, 300_000);

  it('CommonJS code can require the runtime', async () => {
    const out = await sh(`node -e "const r = require('dspidl/runtime'); console.log(typeof r.LoopbackTransport, typeof r.DspWorker)"`);
    expect(out).toBe('function function\n');
  });

  it('importing dspidl/runtime or dspidl/codegen/v1 loads neither QMI nor the simulators', async () => {
    writeFileSync(
      join(project, 'list-modules.mjs'),
      "import { register } from 'node:module';\n" +
        "register('data:text/javascript,' + encodeURIComponent('export async function load(url, context, next) { process.stderr.write(`loaded ${url}\\\\n`); return next(url, context); }'));\n",
    );
    for (const entry of ['dspidl/runtime', 'dspidl/codegen/v1']) {
      const { stderr } = await exec(
        process.execPath,
        ['--import', './list-modules.mjs', '--input-type=module', '-e', `await import('${entry}')`],
        {
          cwd: project,
          env: userEnv(),
        },
      );
      const ours = stderr
        .split('\n')
        .filter((l) => l.includes('/node_modules/dspidl/'))
        .map((l) => l.slice(l.indexOf('/node_modules/dspidl/') + '/node_modules/dspidl/'.length));
      expect(ours, entry).toContain('dist/runtime/wire/plan.js');
      expect(
        ours.filter((p) => /^dist\/runtime\/(qmi|memory)\//.test(p)),
        entry,
      ).toEqual([]);
    }
  });

  it('the simulated msm_sharedmem peripheral runs in a worker from the compiled package (QMI over a worker link)', async () => {
    writeFileSync(
      join(project, 'sharedmem.mjs'),
      [
        "import { QrtrRouter } from 'dspidl/qmi';",
        "import { DEFAULT_SHAREDMEM_NODES, MsmSharedmem, PhysicalMemory, RfsaSharedmemService, runSharedmemScenario, spawnSharedmemPeripheral } from 'dspidl/sim';",
        'const memory = new PhysicalMemory({ base: 0x8000_0000n, size: 8 * 1024 * 1024 });',
        'const sharedmem = new MsmSharedmem({ memory });',
        'sharedmem.probeAll(DEFAULT_SHAREDMEM_NODES);',
        'const apps = new QrtrRouter(1);',
        'new RfsaSharedmemService(apps, sharedmem).start();',
        'const dsp = spawnSharedmemPeripheral(apps, memory, 5);',
        "const r = await runSharedmemScenario({ router: apps, sharedmem, clientName: 'rfsa_dsp', message: 'load adsp.mdt' });",
        'console.log(r.uio, r.peripheralAddress === r.uioAddress, r.received);',
        'await dsp.stop();',
        '',
      ].join('\n'),
    );
    expect(await sh('node sharedmem.mjs')).toBe('uio1 true DSP read 13 bytes: LOAD ADSP.MDT\n');
  });

  it('dspidl check and --version answer from the installed bin', async () => {
    expect(await sh('npx dspidl --version')).toBe(
      `${(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version}\n`,
    );
    expect(await sh('npx dspidl check calculator.idl')).toBe('');
  });
});

describe('a consumer project: emitters', () => {
  it('loads a TypeScript emitter through the project\'s tsx (README "Another output kind")', async () => {
    const blocks = sectionBlocks('## Another output kind: emitters', '`generator/README.md` describes the pipeline');
    copyFileSync(join(REPO, 'examples', 'json-descriptor-emitter.ts'), join(project, 'json-descriptor-emitter.ts'));
    const tsx = (JSON.parse(readFileSync(join(REPO, 'node_modules', 'tsx', 'package.json'), 'utf8')) as { version: string }).version;
    await sh(`npm install --save-dev tsx@${tsx}`);
    await replay(blocks, (s) => s);
    const json = JSON.parse(readFileSync(join(project, 'generated', 'calculator.interface.json'), 'utf8')) as {
      methods: { name: string; scalars: string }[];
    };
    expect(json.methods.map((m) => `${m.name} ${m.scalars}`)).toEqual([
      'open 0x00020001',
      'close 0x01000010',
      'sum 0x02020100',
      'max 0x03020100',
    ]);
  }, 240_000);
});
