/**
 * Names that are legal IDL but hostile to TypeScript (reserved words, Object.prototype members,
 * `then`, globals, runtime helper names) either generate code that type-checks and round-trips,
 * or get a located diagnostic: never a crash, never a silently dropped value.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../generator/compile.ts';
import { camelCase, hostileReason, pascalCase, safeName } from '../../generator/naming.ts';
import { decodeResponseJson, encodeRequestJson, loadCodecTarget } from '../../generator/cli/codec.ts';
import { decodeQmiJson, encodeQmiJson } from '../../generator/qmi/cli-codec.ts';
import { LoopbackTransport } from '../../runtime/transport/loopback.ts';
import type { GeneratedInterface } from '../../runtime/rpc/generated.ts';
import {
  Error_,
  TransportClient,
  createTransportSkel,
  valueOf_,
  type Promise_,
  type Transport as TransportImpl,
} from './generated/hostile.ts';
import { ThenReqMsg } from './generated/hostile.qmi.ts';

describe('naming rules', () => {
  it.each([
    ['constructor', 'method', 'constructor_'],
    ['then', 'method', 'then_'],
    ['then', 'property', 'then_'],
    ['then', 'parameter', 'then'],
    ['__proto__', 'property', '__proto___'],
    ['toString', 'key', 'toString_'],
    ['Promise', 'module', 'Promise_'],
    ['Uint8Array', 'module', 'Uint8Array_'],
    ['string', 'module', 'string_'],
    ['delete', 'parameter', 'delete_'],
    ['delete', 'property', 'delete'],
    ['arguments', 'parameter', 'arguments_'],
    ['plain', 'module', 'plain'],
  ] as const)('%s as a %s becomes %s', (name, role, expected) => {
    expect(safeName(name, role)).toBe(expected);
    expect(hostileReason(name, role) === undefined).toBe(name === expected);
  });

  it('converts case the same way in both dialects', () => {
    expect(pascalCase('apps_mem')).toBe('AppsMem');
    expect(pascalCase('FOO_bar')).toBe('FOOBar');
    expect(pascalCase('palette::paint')).toBe('PalettePaint');
    expect(camelCase('request_map64')).toBe('requestMap64');
    expect(camelCase('URI_path')).toBe('uriPath');
    expect(camelCase('_x_')).toBe('_x_');
    expect(pascalCase('2d_point')).toBe('_2dPoint');
  });
});

describe('the hostile IDL (test/naming/hostile.idl, generated in test/naming/generated)', () => {
  it('renames what it must and keeps the rest', () => {
    expect(valueOf_).toBe(7);
    expect(Object.keys(Error_)).toEqual(['__proto___', 'then_', 'constructor_']);
    expect('then' in TransportClient.prototype).toBe(false);
  });

  it('round-trips every method over loopback, __proto__ members included, and a client is not thenable', async () => {
    const impl: TransportImpl = {
      constructor_: (p) => ({ q: { ...p, constructor_: p.constructor_ + 1 } }),
      then_: (invokePlan, caps) => ({ __proto___: invokePlan * 1000 + caps }),
      toString_: (u) => ({ v: { yield: u.yield.map((b) => b ^ 0xff), valueOf_: `${u.valueOf_}!` } }),
      hasOwnProperty_: (e) => ({ f: e === Error_.then_ ? Error_.constructor_ : Error_.__proto___, delete: 'gone' }),
      __proto___: (transportPlans) => ({ x: -transportPlans }),
    };
    const client = new TransportClient(new LoopbackTransport().register(9, createTransportSkel(impl)), 9);
    // `await client` must not send anything: the client has no `then`.
    expect(await client).toBe(client);
    const p: Promise_ = { __proto___: 1, constructor_: 2, toString_: 3, then_: 4 };
    const { q } = await client.constructor_(p);
    expect(q).toEqual({ __proto___: 1, constructor_: 3, toString_: 3, then_: 4 });
    expect(Object.getPrototypeOf(q)).toBe(Object.prototype);
    expect(await client.then_(4, 2)).toEqual({ __proto___: 4002 });
    expect(await client.toString_({ yield: Uint8Array.of(1, 2), valueOf_: 'hi' }, { v: { yield: 2, valueOf_: 8 } })).toEqual({
      v: { yield: Uint8Array.of(0xfe, 0xfd), valueOf_: 'hi!' },
    });
    expect(await client.hasOwnProperty_(Error_.then_, { delete: 8 })).toEqual({ f: Error_.constructor_, delete: 'gone' });
    expect(await client.__proto___(5)).toEqual({ x: -5 });
  });

  it('keeps __proto__ as an own member through dspidl encode/decode (values keyed by IDL names)', () => {
    const t = loadCodecTarget('test/naming/hostile.idl', 'Transport.constructor', []);
    const args = JSON.parse('{"p":{"__proto__":11,"constructor":12,"toString":13,"then":14}}') as unknown;
    const req = encodeRequestJson(t, { args });
    expect(req).toMatchObject({ sc: '0x00010100' });
    // The reply carries q in primROut: 11, 12, 13 as int32 and 14 as octet.
    const outBufs = ['0b0000000c0000000d0000000e000000'];
    const r = decodeResponseJson(t, { args, outBufs }) as { routs: { q: Record<string, unknown> } };
    expect(Object.getOwnPropertyDescriptor(r.routs.q, '__proto__')?.value).toBe(11);
    expect(JSON.stringify(r.routs.q)).toBe('{"__proto__":11,"constructor":12,"toString":13,"then":14}');
  });

  it('keeps __proto__ elements of QMI messages as own properties, in the codec and in the JSON codec', () => {
    const bytes = ThenReqMsg.encode({ then_: 1, __proto___: { __proto___: 5, constructor_: 6 } });
    const back = ThenReqMsg.decode(bytes);
    expect(back).toEqual({ then_: 1, __proto___: { __proto___: 5, constructor_: 6 } });
    const json = JSON.parse('{"then":1,"__proto__":{"__proto__":5,"constructor":6}}') as unknown;
    const enc = encodeQmiJson(ThenReqMsg.descriptor, json);
    expect(enc).toEqual({ hex: Buffer.from(bytes).toString('hex') });
    const dec = decodeQmiJson(ThenReqMsg.descriptor, { hex: Buffer.from(bytes).toString('hex') }) as { values: Record<string, unknown> };
    expect(JSON.stringify(dec.values)).toBe('{"then":1,"__proto__":{"__proto__":5,"constructor":6}}');
  });
});

// ---------------------------------------------------------------------------------------------
// Random hostile identifiers

/** Names legal in QAIC IDL (not its keywords, not C keywords) that TypeScript or JS treat specially. */
const HOSTILE = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'then',
  'Promise',
  'Uint8Array',
  'Error',
  'Object',
  'Array',
  'Record',
  'Readonly',
  'BigInt',
  'Symbol',
  'JSON',
  'delete',
  'new',
  'class',
  'function',
  'var',
  'let',
  'yield',
  'await',
  'this',
  'typeof',
  'instanceof',
  'arguments',
  'eval',
  'undefined',
  'NaN',
  'null',
  'export',
  'import',
  'super',
  'with',
  'implements',
  'Transport',
  'InterfaceDesc',
  'TypeDesc',
  'planAt',
  'invokePlan',
  'createSkel',
  't',
  'caps',
  'transport',
  'handle',
  'interfaces',
  'MaybePromise',
  'SkelInvoke',
  'GeneratedInterface',
  'foo_bar',
  'fooBar',
] as const;

interface RandomIdl {
  readonly text: string;
  readonly iface: string;
}

const distinct = (n: number): fc.Arbitrary<string[]> => fc.uniqueArray(fc.constantFrom(...HOSTILE), { minLength: n, maxLength: n });

/** One struct, one interface with a struct round-trip method and a scalar one, names from HOSTILE. */
const randomIdl: fc.Arbitrary<RandomIdl> = fc
  .record({ types: distinct(2), members: distinct(3), methods: distinct(2), params: distinct(4) })
  .map(({ types, members, methods, params }) => {
    const [s, iface] = types as [string, string];
    const [m0, m1] = methods as [string, string];
    const [a, b, c, d] = params as [string, string, string, string];
    const text = [
      `struct ${s} { ${members.map((m, i) => `${i === 2 ? 'string' : 'long'} ${m};`).join(' ')} };`,
      `interface ${iface} {`,
      `  long ${m0}(in ${s} ${a}, rout ${s} ${b});`,
      `  long ${m1}(in long ${c}, rout long ${d});`,
      '};',
      '',
    ].join('\n');
    return { text, iface };
  });

const scratch = mkdtempSync(join(process.cwd(), 'test', 'naming', '.scratch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Outcome {
  readonly idl: RandomIdl;
  /** The generated module, or undefined when the IDL was refused. */
  readonly module: string | undefined;
}

/** Compiles one random IDL: either located diagnostics, or a module written to its own directory. */
function compileRandom(idl: RandomIdl, k: number): Outcome {
  const dir = join(scratch, `m${k}`);
  const r = compile({
    files: [`r${k}.idl`],
    readFile: (p) => (p === `r${k}.idl` ? idl.text : undefined),
    outDir: dir,
    runtime: relative(dir, 'runtime'),
    bundledIdl: false,
  });
  const errors = r.diagnostics.filter((x) => x.severity === 'error');
  if (errors.length > 0) {
    for (const e of errors) expect(e.span, `${e.code} ${e.message}\n${idl.text}`).toBeDefined();
    return { idl, module: undefined };
  }
  mkdirSync(dir, { recursive: true });
  for (const f of r.files) writeFileSync(f.path, f.content);
  return { idl, module: join(dir, `r${k}.ts`) };
}

describe('random hostile identifiers', () => {
  const samples = fc.sample(randomIdl, { numRuns: 40, seed: 20261202 }).concat(fc.sample(randomIdl, 20));
  const outcomes = samples.map(compileRandom);
  const generated = outcomes.filter((o): o is Outcome & { module: string } => o.module !== undefined);

  it('generate for most samples (the rest are refused with a located diagnostic)', () => {
    expect(generated.length).toBeGreaterThan(samples.length / 2);
  });

  it('type-check under the project tsconfig', () => {
    const tsconfig = join(scratch, 'tsconfig.json');
    writeFileSync(tsconfig, JSON.stringify({ extends: relative(scratch, 'tsconfig.json'), include: ['**/*.ts'], exclude: [] }));
    const r = spawnSync(process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('round-trip over loopback', async () => {
    for (const o of generated) {
      const mod = (await import(o.module)) as { interfaces: readonly GeneratedInterface[] };
      const gi = mod.interfaces[0];
      if (!gi || gi.handle64) throw new Error(`no interface in ${o.module}`);
      const [m0, m1] = gi.desc.methods;
      const [pa, pb] = m0!.params;
      const [pc, pd] = m1!.params;
      const impl: Record<string, (...a: unknown[]) => unknown> = {
        [m0!.ts]: (s: unknown) => ({ [pb!.ts]: s }),
        [m1!.ts]: (x: unknown) => ({ [pd!.ts]: (x as number) + 1 }),
      };
      const client = new gi.Client(new LoopbackTransport().register(1, gi.createSkel(impl)), 1) as Record<
        string,
        (...a: unknown[]) => Promise<Record<string, unknown>>
      >;
      const struct = pa!.t.k === 'r' ? pa!.t : undefined;
      if (!struct) throw new Error('expected a struct parameter');
      const value: Record<string, unknown> = {};
      struct.f.forEach(([, ts], i) =>
        Object.defineProperty(value, ts, { value: i === 2 ? `s${i}` : i * 7, enumerable: true, writable: true, configurable: true }),
      );
      const caps = { [pb!.ts]: { [struct.f[2]![1]]: 16 } };
      const r0 = await client[m0!.ts]!(value, caps);
      expect(r0[pb!.ts], o.idl.text).toEqual(value);
      const r1 = await client[m1!.ts]!(41);
      expect(r1[pd!.ts], o.idl.text).toBe(42);
      expect(pc!.mode).toBe('in');
    }
  });
});
