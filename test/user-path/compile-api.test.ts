/**
 * The library API as a user imports it, through the package name (the `exports` map):
 * compile() in memory for both dialects, the -ho/-ro split producing code that runs, custom
 * emitters, and the runtime pieces re-exported from the root.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Aee, AeeError, LoopbackTransport, type SkelInvoke, type Transport } from 'dspidl';
import { compile, type Emitter } from 'dspidl/generator';
import * as generatorEntry from 'dspidl/generator';
import * as runtimeEntry from 'dspidl/runtime';
import * as qmiEntry from 'dspidl/qmi';
import * as simEntry from 'dspidl/sim';
import { jsonDescriptorEmitter } from '../../examples/json-descriptor-emitter.ts';

const CALC = readFileSync('examples/calculator/calculator.idl', 'utf8');
const idl = (p: string): string | undefined => {
  const virtual: Record<string, string> = {
    'mem/calculator.idl': CALC,
    'mem/broken.idl': 'interface broken {\n  long f(in long x)\n};\n',
  };
  if (p in virtual) return virtual[p];
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};
/** What the generated calculator module exports (typed here: the module is generated at test time). */
interface CalculatorModule {
  createCalculatorSkel(impl: { sum(v: number[]): { res: bigint }; max(v: number[]): { res: number } }): SkelInvoke;
  CalculatorClient: new (
    t: Transport,
    h: bigint,
  ) => { sum(v: number[]): Promise<{ res: bigint }>; max(v: number[]): Promise<{ res: number }> };
}
const tmp = mkdtempSync(join(tmpdir(), 'dspidl-compile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('compile()', () => {
  it('compiles QAIC and QMI files together in memory and writes nothing', () => {
    const outDir = join(tmp, 'never-created');
    const r = compile({ files: ['mem/calculator.idl', 'idl/rfsa.qmi.idl'], includeDirs: ['idl'], readFile: idl, outDir });
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => f.path)).toEqual([join(outDir, 'calculator.ts'), join(outDir, 'rfsa.qmi.ts')]);
    expect(r.files[0]!.content).toContain('export class CalculatorClient');
    expect(r.files[0]!.content).toContain('sum(vec: number[]): Promise<{ res: bigint }>');
    expect(r.files[1]!.content).toContain('createQmiCodec');
    expect(existsSync(outDir)).toBe(false);
    // The same output the CLI writes: generated/ is produced by `npm run generate`.
    const apps = compile({ files: ['idl/apps_mem.idl'], includeDirs: ['idl'], outDir: 'generated' });
    expect(apps.files[0]!.content).toBe(readFileSync('generated/apps_mem.ts', 'utf8'));
  });

  it('returns diagnostics with file:line:col and no files for bad input', () => {
    const r = compile({ files: ['mem/broken.idl'], readFile: idl });
    expect(r.files).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'QAIC003', span: { file: 'mem/broken.idl', line: 2, col: 20 } });
  });

  it('honours defines and parse-only', () => {
    const src = (p: string) => (p === 'd.idl' ? '#ifdef WITH_X\ninterface x { long f(); };\n#endif\nconst long K = 1;\n' : undefined);
    expect(compile({ files: ['d.idl'], readFile: src }).files[0]!.content).not.toContain('XClient');
    expect(compile({ files: ['d.idl'], readFile: src, defines: ['WITH_X'] }).files[0]!.content).toContain('export class XClient');
    expect(compile({ files: ['d.idl'], readFile: src, parseOnly: true }).files).toEqual([]);
  });

  it('splits types (-ho) from remoting (-ro); the pair runs a call client -> skel over loopback', async () => {
    const dir = join(tmp, 'split');
    // Written outside the repository, so the runtime is imported by path rather than package name.
    const runtime = relative(dir, 'runtime');
    const r = compile({
      files: ['mem/calculator.idl'],
      includeDirs: ['idl'],
      readFile: idl,
      outDir: dir,
      parts: ['types', 'remoting'],
      runtime,
    });
    expect(r.files.map((f) => f.path)).toEqual([join(dir, 'calculator.types.ts'), join(dir, 'calculator.ts')]);
    const [types, remoting] = r.files;
    expect(types!.content).not.toContain('Client');
    expect(remoting!.content).toContain("export * from './calculator.types.js';");
    expect(remoting!.content).toContain(`from '${runtime}/codegen/v1.js';`);
    mkdirSync(dir, { recursive: true });
    for (const f of r.files) writeFileSync(f.path, f.content);
    const mod = (await import(join(dir, 'calculator.ts'))) as CalculatorModule;
    const skel = mod.createCalculatorSkel({
      sum: (v) => ({ res: v.reduce((a, x) => a + BigInt(x), 0n) }),
      max: (v) => {
        if (v.length === 0) throw new AeeError(Aee.EBADPARM);
        return { res: Math.max(...v) };
      },
    });
    const h = 0x1234_5678_9abcn;
    const client = new mod.CalculatorClient(new LoopbackTransport().register(h, skel), h);
    expect(await client.sum([0x7fffffff, 0x7fffffff, 5])).toEqual({ res: 0xfffffffen + 5n });
    await expect(client.max([])).rejects.toMatchObject({ code: Aee.EBADPARM });
  });

  it('-ho/-ro together export the same names as the whole module, for every conformance IDL', () => {
    const dir = 'test/conformance/qaic/idl';
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.idl') && f !== 'inc_ops.idl')
      .map((f) => `${dir}/${f}`);
    const exported = (text: string): string[] =>
      [...text.matchAll(/^export (?:const|interface|type|class|function) (\w+)/gm)].map((m) => m[1]!).sort();
    const whole = compile({ files, includeDirs: [dir] });
    const split = compile({ files, includeDirs: [dir], parts: ['types', 'remoting'] });
    expect(whole.diagnostics).toEqual([]);
    expect(split.files).toHaveLength(2 * whole.files.length);
    for (let i = 0; i < whole.files.length; i++) {
      const [types, remoting] = [split.files[2 * i]!, split.files[2 * i + 1]!];
      expect(remoting.path).toBe(whole.files[i]!.path);
      expect(exported(types.content + remoting.content), remoting.path).toEqual(exported(whole.files[i]!.content));
      expect(types.content).not.toMatch(/^import (?!type)/m);
    }
  });

  it('runs extra emitters after the built-in ones, or alone', () => {
    const r = compile({ files: ['mem/calculator.idl'], includeDirs: ['idl'], readFile: idl, emitters: [jsonDescriptorEmitter] });
    expect(r.files.map((f) => f.path)).toEqual(['calculator.ts', 'calculator.interface.json']);
    const json = JSON.parse(r.files[1]!.content) as {
      interface: string;
      handle64: boolean;
      methods: { name: string; index: number; scalars: string; params: { name: string; mode: string; type: string }[] }[];
    };
    expect(json.interface).toBe('calculator');
    expect(json.handle64).toBe(true);
    // The scalars word agrees with the one the TypeScript client sends.
    expect(json.methods.find((m) => m.name === 'sum')).toEqual({
      name: 'sum',
      index: 2,
      scalars: '0x02020100',
      primIn: 4,
      primROut: 8,
      params: [
        { name: 'vec', mode: 'in', type: 'sequence<int32>' },
        { name: 'res', mode: 'rout', type: 'int64' },
      ],
    });
    expect(r.files[0]!.content).toContain('method 2, scalars 0x02020100.');
    const alone = compile({
      files: ['mem/calculator.idl', 'idl/rfsa.qmi.idl'],
      includeDirs: ['idl'],
      readFile: idl,
      emitters: [jsonDescriptorEmitter],
      builtins: false,
    });
    expect(alone.files.map((f) => f.path)).toEqual(['calculator.interface.json']);
  });

  it('reports an emitter that throws as a diagnostic', () => {
    const bad: Emitter = {
      name: 'bad',
      emit: () => {
        throw new Error('no C header today');
      },
    };
    const r = compile({ files: ['mem/calculator.idl'], includeDirs: ['idl'], readFile: idl, emitters: [bad] });
    // Nothing is produced when any emitter fails, as for any other error.
    expect(r.files).toEqual([]);
    expect(r.diagnostics).toEqual([
      { code: 'EMIT001', severity: 'error', message: "emitter 'bad' failed on mem/calculator.idl: no C header today" },
    ]);
  });
});

describe('package entry points', () => {
  it('splits the runtime: transports in dspidl/runtime, QMI in dspidl/qmi, simulators in dspidl/sim', () => {
    for (const name of [
      'LoopbackTransport',
      'DspWorker',
      'ModTable',
      'createReverseTable',
      'serveReverse',
      'AeeError',
      'Aee',
      'invokePlan',
      'createSkel',
    ]) {
      expect((runtimeEntry as Record<string, unknown>)[name], name).toBeDefined();
    }
    for (const name of ['QmiDecodeError', 'QmiClient', 'QmiService', 'QrtrRouter', 'createQmiCodec', 'QmiErr']) {
      expect((qmiEntry as Record<string, unknown>)[name], name).toBeDefined();
      expect((runtimeEntry as Record<string, unknown>)[name], name).toBeUndefined();
    }
    for (const name of ['createMemorySystem', 'SmmuInstance', 'MemBufDevice', 'VcmManager', 'Smem', 'MsmSharedmem']) {
      expect((simEntry as Record<string, unknown>)[name], name).toBeDefined();
      expect((runtimeEntry as Record<string, unknown>)[name], name).toBeUndefined();
    }
    expect(new runtimeEntry.AeeError(Aee.EBADPARM).aeeName).toBe('AEE_EBADPARM');
    expect(generatorEntry.compile).toBe(compile);
    expect([generatorEntry.qaicTypeScriptEmitter.name, generatorEntry.qmiTypeScriptEmitter.name]).toEqual(['typescript', 'typescript-qmi']);
  });
});

describe('--target js+dts', () => {
  it('turns the same TypeScript into JavaScript and declarations, both dialects', () => {
    const ts = compile({ files: ['mem/calculator.idl', 'idl/rfsa.qmi.idl'], readFile: idl });
    const js = compile({ files: ['mem/calculator.idl', 'idl/rfsa.qmi.idl'], readFile: idl, target: 'js+dts' });
    expect(js.diagnostics).toEqual([]);
    expect(js.files.map((f) => f.path).sort()).toEqual(['calculator.d.ts', 'calculator.js', 'rfsa.qmi.d.ts', 'rfsa.qmi.js']);
    const file = (p: string): string => js.files.find((f) => f.path === p)!.content;
    for (const stem of ['calculator', 'rfsa.qmi']) {
      expect(file(`${stem}.js`).split('\n')[0]).toContain('target=js+dts');
      expect(file(`${stem}.d.ts`).split('\n')[0]).toContain('@generated by dspidl');
      // Plain JavaScript: node parses it as a module.
      const mjs = join(tmp, `${stem}.check.mjs`);
      writeFileSync(mjs, file(`${stem}.js`));
      const r = spawnSync(process.execPath, ['--check', mjs], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
    }
    // Every export of the TypeScript module is declared, with its type.
    const exported = (text: string): string[] =>
      [...text.matchAll(/^export (?:declare )?(?:const|interface|type|class|function) (\w+)/gm)].map((m) => m[1]!).sort();
    expect(exported(file('calculator.d.ts'))).toEqual(exported(ts.files.find((f) => f.path === 'calculator.ts')!.content));
    expect(file('calculator.d.ts')).toContain('export declare class CalculatorClient');
    expect(file('calculator.d.ts')).toContain('sum(vec: number[]): Promise<{');
    expect(file('rfsa.qmi.d.ts')).toContain('export declare const RfsaGetBuffAddrReqMsg: QmiMessageCodec<RfsaGetBuffAddrReqMsg>;');
  });
});
