/**
 * The dspidl command line as users type it: --help of every command (with the exit codes),
 * qaic's option spellings, only-changed writes, colour rules, --emitter and --watch. In-process
 * through main() (spawning tsx is slow on CI), plus two runs of the real bin.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../generator/cli/program.ts';
import { watchGenerate, type GenerateIo } from '../../generator/cli/generate.ts';
import { normalizeQaicArgs } from '../../generator/cli/qaic-args.ts';
import { EXIT_CODES_HELP, shouldColor } from '../../generator/cli/terminal.ts';
import { VERSION } from '../../generator/version.ts';

const CALC = 'examples/calculator/calculator.idl';
const tmp = mkdtempSync(join(tmpdir(), 'dspidl-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
  process.exitCode = undefined;
});

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `dspidl <args>` in this process, output captured. */
async function dspidl(...args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  process.exitCode = undefined;
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

describe('--help and --version', () => {
  it.each(['check', 'generate', 'layout', 'encode', 'decode', 'api dump', 'api check'])('dspidl %s --help', async (cmd) => {
    const path = cmd.split(' ');
    const r = await dspidl(...path, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Usage: dspidl ${path.join(' ')} [options]`);
    expect(r.out).toContain(EXIT_CODES_HELP.trim().split('\n\n')[0]);
  });

  it('lists every command at the top level and prints the version', async () => {
    const r = await dspidl('--help');
    expect(r.code).toBe(0);
    for (const c of ['check', 'generate', 'layout', 'encode', 'decode', 'api']) expect(r.out).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect((await dspidl('--version')).out.trim()).toBe(VERSION);
    expect((await dspidl('-V')).out.trim()).toBe(VERSION);
  });

  it('usage errors exit 2', async () => {
    expect((await dspidl('generate')).code).toBe(2);
    expect((await dspidl('generate', '--bogus', CALC)).code).toBe(2);
    expect((await dspidl('frobnicate')).code).toBe(2);
    const missing = await dspidl('generate', '--emitter', './no/such/emitter.ts', CALC, '-o', join(tmp, 'x'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot load emitter');
    expect(existsSync(join(tmp, 'x'))).toBe(false);
  });
});

let spellings = 0;

describe("qaic's option spellings", () => {
  it('rewrites -I=, -o=, -D=, -ho, -ro, -s and keeps the rest', () => {
    expect(normalizeQaicArgs(['-I=idl', '-o=out', '-D=X', '-ho', '-ro', '-s', '-I', 'a', '-Ib', 'f.idl'])).toEqual([
      '--include-path=idl',
      '--output-path=out',
      '--define=X',
      '--header-only',
      '--remoting-only',
      '--parse-only',
      '-I',
      'a',
      '-Ib',
      'f.idl',
    ]);
  });

  it.each([
    ['-I=idl', '-o=DIR'],
    ['-I', 'idl', '-o', 'DIR'],
    ['-Iidl', '-oDIR'],
    ['--include-path', 'idl', '--output-path', 'DIR'],
    ['--include-path=idl', '--output-path=DIR'],
  ])('generate %s %s ... writes calculator.ts', async (...spelling: string[]) => {
    const dir = join(tmp, `spelling-${++spellings}`);
    const r = await dspidl('generate', ...spelling.map((s) => s.replace('DIR', dir)), CALC);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${join(dir, 'calculator.ts')}\n`);
    expect(readFileSync(join(dir, 'calculator.ts'), 'utf8')).toContain('export class CalculatorClient');
  });

  it('-D defines a symbol, -s / --parse-only writes nothing', async () => {
    const src = join(tmp, 'opt.idl');
    writeFileSync(src, '#ifdef WITH_X\ninterface x { long f(); };\n#endif\nconst long K = 1;\n');
    const dir = join(tmp, 'defs');
    expect((await dspidl('generate', '-DWITH_X', `-o=${dir}`, src)).code).toBe(0);
    expect(readFileSync(join(dir, 'opt.ts'), 'utf8')).toContain('XClient');
    expect((await dspidl('generate', '-D', 'OTHER', '-o', dir, src)).out).toBe(`wrote ${join(dir, 'opt.ts')}\n`);
    expect(readFileSync(join(dir, 'opt.ts'), 'utf8')).not.toContain('XClient');
    for (const flag of ['-s', '--parse-only']) {
      const none = join(tmp, `none${flag}`);
      const r = await dspidl('generate', flag, '-I', 'idl', '-o', none, CALC);
      expect(r.code).toBe(0);
      expect(existsSync(none)).toBe(false);
    }
  });

  it('-ho writes the types only, -ro the remoting module importing them, both give the pair', async () => {
    const ho = join(tmp, 'ho');
    expect((await dspidl('generate', '-ho', '-I=idl', `-o=${ho}`, CALC)).out).toBe(`wrote ${join(ho, 'calculator.types.ts')}\n`);
    const types = readFileSync(join(ho, 'calculator.types.ts'), 'utf8');
    expect(types).not.toMatch(/Client|Skel|invokePlan/);
    const ro = join(tmp, 'ro');
    expect((await dspidl('generate', '--remoting-only', '-I=idl', `-o=${ro}`, CALC)).out).toBe(`wrote ${join(ro, 'calculator.ts')}\n`);
    expect(readFileSync(join(ro, 'calculator.ts'), 'utf8')).toContain("export * from './calculator.types.js';");
    const both = join(tmp, 'both');
    expect((await dspidl('generate', '-ho', '-ro', '-I=idl', `-o=${both}`, CALC)).out).toBe(
      `wrote ${join(both, 'calculator.types.ts')}\nwrote ${join(both, 'calculator.ts')}\n`,
    );
  });
});

describe('generate writes only what changed', () => {
  it('reports unchanged files and leaves them untouched', async () => {
    const dir = join(tmp, 'same');
    await dspidl('generate', '-I', 'idl', '-o', dir, CALC, 'idl/apps_mem.idl');
    const before = statSync(join(dir, 'calculator.ts')).mtimeMs;
    writeFileSync(join(dir, 'apps_mem.ts'), '// edited by hand\n');
    await new Promise((r) => setTimeout(r, 20));
    const r = await dspidl('generate', '-I', 'idl', '-o', dir, CALC, 'idl/apps_mem.idl');
    expect(r.out).toBe(`unchanged ${join(dir, 'calculator.ts')}\nwrote ${join(dir, 'apps_mem.ts')}\n`);
    expect(statSync(join(dir, 'calculator.ts')).mtimeMs).toBe(before);
    expect(readFileSync(join(dir, 'apps_mem.ts'), 'utf8')).toContain('export class AppsMemClient');
  });
});

describe('diagnostics', () => {
  const broken = join(tmp, 'broken.idl');
  writeFileSync(broken, 'interface broken {\n  long f(in long x)\n};\n');

  it('exit 1 with file:line:col, plain when NO_COLOR, coloured with FORCE_COLOR', async () => {
    vi.stubEnv('NO_COLOR', '1');
    vi.stubEnv('FORCE_COLOR', undefined);
    for (const cmd of ['check', 'generate']) {
      const r = await dspidl(cmd, broken, ...(cmd === 'generate' ? ['-o', join(tmp, 'never')] : []));
      expect(r.code, cmd).toBe(1);
      expect(r.err).toContain(`${broken}:2:20: error[QAIC003]: expected ";" after ")"`);
      expect(r.err).not.toContain('\x1b[');
    }
    expect(existsSync(join(tmp, 'never'))).toBe(false);
    vi.stubEnv('FORCE_COLOR', '1');
    const colored = await dspidl('check', broken);
    expect(colored.code).toBe(1);
    expect(colored.err).toContain('\x1b[');
  });

  it('colours a TTY unless NO_COLOR; FORCE_COLOR wins', () => {
    expect(shouldColor({ isTTY: true }, {})).toBe(true);
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
    expect(shouldColor({}, {})).toBe(false);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(shouldColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
  });
});

describe('--emitter', () => {
  it('loads an emitter module and writes its files next to the built-in ones', async () => {
    const dir = join(tmp, 'emit');
    const r = await dspidl('generate', '-I', 'idl', '-o', dir, '--emitter', './examples/json-descriptor-emitter.ts', CALC);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${join(dir, 'calculator.ts')}\nwrote ${join(dir, 'calculator.interface.json')}\n`);
    expect(JSON.parse(readFileSync(join(dir, 'calculator.interface.json'), 'utf8'))).toMatchObject({
      interface: 'calculator',
      methods: [{ name: 'open' }, { name: 'close' }, { name: 'sum' }, { name: 'max' }],
    });
  });
});

describe('--watch', () => {
  it('regenerates when an included file changes, debounced, until stopped', async () => {
    const src = join(tmp, 'w');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'point.idl'), 'struct point { long x; };\n');
    writeFileSync(join(src, 'main.idl'), '#include "point.idl"\ninterface watched { long f(in point p); };\n');
    const out = join(tmp, 'w-out');
    let log = '';
    let changed: () => void = () => {};
    const io: GenerateIo = {
      out: (s) => {
        log += s;
        if (log.split('change detected').length === 2 && s.startsWith('wrote')) changed();
      },
      err: (s) => void (log += s),
      color: false,
    };
    const stop = new AbortController();
    const done = watchGenerate([join(src, 'main.idl')], { includeDirs: [src], outDir: out }, io, stop.signal, 50);
    // The included file gets its own module, which main.ts imports Point from.
    expect(log).toBe(`wrote ${join(out, 'main.ts')}\nwrote ${join(out, 'point.ts')}\nwatching 2 files (Ctrl-C to stop)\n`);
    const regenerated = new Promise<void>((r) => (changed = r));
    // Three quick writes: one regeneration.
    writeFileSync(join(src, 'point.idl'), 'struct point { long x; long y; };\n');
    writeFileSync(join(src, 'point.idl'), 'struct point { long x; long y; long z; };\n');
    writeFileSync(join(src, 'point.idl'), 'struct point { long x; long y; long z; long w; };\n');
    await regenerated;
    stop.abort();
    await done;
    expect(log.split('change detected')).toHaveLength(2);
    expect(log).toContain(`change detected, regenerating\nwrote ${join(out, 'main.ts')}\nwrote ${join(out, 'point.ts')}\n`);
    expect(readFileSync(join(out, 'point.ts'), 'utf8')).toMatch(/export interface Point \{[^}]*w: number;/);
    expect(readFileSync(join(out, 'main.ts'), 'utf8')).toContain("import type { Point } from './point.js';");
  }, 20_000);
});

describe('the real bin', () => {
  const bin = join('bin', 'dspidl.mjs');

  it('runs qaic-style options end to end', () => {
    const dir = join(tmp, 'bin');
    const r = spawnSync(process.execPath, [bin, 'generate', '-ho', '-ro', '-I=idl', `-o=${dir}`, CALC], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`wrote ${join(dir, 'calculator.types.ts')}\nwrote ${join(dir, 'calculator.ts')}\n`);
  }, 60_000);

  it('--watch exits 0 on Ctrl-C (SIGINT)', async () => {
    const child = spawn(process.execPath, [bin, 'generate', '--watch', '-I', 'idl', '-o', join(tmp, 'bin-watch'), CALC], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('watching')) resolve();
      });
      child.on('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    const code = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    child.kill('SIGINT');
    expect(await code).toBe(0);
    expect(out).toContain(`wrote ${join(tmp, 'bin-watch', 'calculator.ts')}`);
  }, 60_000);
});
