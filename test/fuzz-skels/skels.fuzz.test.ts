/**
 * Every generated skel answers malformed remote_arg sets with a status code: bounded fuzz
 * run over all skels (valid calls from the generated clients, then mutated), plus checks
 * that the fuzzer's oracle agrees with the real qaic skels and that its checks catch
 * skels that throw, overrun a view, skip a length check or loop.
 * Long runs: `npx tsx test/fuzz/skels.ts --runs 1000000 --seed S`.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Aee } from '../../runtime/wire/aee-codes.ts';
import type { GeneratedInterface } from '../../runtime/rpc/generated.ts';
import { MapFdRegistry, type RemoteArg } from '../../runtime/wire/remote-arg.ts';
import type { SkelInvoke } from '../../runtime/rpc/transport.ts';
import { fromHex } from '../../runtime/wire/hex.ts';
import { assertInput, checkInput } from './check.ts';
import { applyMutation, cloneCall, encodeValidCall, fuzzInputArb, type FuzzInput, type Mutation } from './inputs.ts';
import { loadSkelFactories, methodTargets, type SkelFactory } from './targets.ts';
import { walkRemoteArgs } from './wire-model.ts';
import type { HandleJson, SkelInputs } from '../fastrpc/conformance-harness.ts';

const SEED = Number(process.env.SKEL_FUZZ_SEED ?? 20261121);
const RUNS = Number(process.env.SKEL_FUZZ_RUNS ?? 3000);

const { factories, problems } = await loadSkelFactories();
const targets = methodTargets(factories);

describe('skel enumeration', () => {
  it('finds a descriptor and a client for every generated skel factory', () => {
    expect(problems).toEqual([]);
    expect(factories.every((f) => f.Client !== undefined)).toBe(true);
    const files = new Set(factories.map((f) => f.file));
    for (const f of [
      'generated/apps_mem.ts',
      'generated/adsp_listener.ts',
      'generated/apps_remotectl.ts',
      'test/conformance/generated/qaic/complex.ts',
    ]) {
      expect(files).toContain(f);
    }
  });

  it('covers every interface of the modules `interfaces` tables', async () => {
    const tables: GeneratedInterface[] = [];
    for (const f of new Set(factories.map((x) => x.file))) {
      const mod = (await import(new URL(`../../${f}`, import.meta.url).href)) as { interfaces?: readonly GeneratedInterface[] };
      tables.push(...(mod.interfaces ?? []));
    }
    const made = new Set(factories.map((f) => f.createSkel));
    expect(tables.filter((gi) => !made.has(gi.createSkel)).map((gi) => gi.name)).toEqual([]);
  });
});

describe('fuzz: malformed remote_arg sets into every generated skel', () => {
  it(`${RUNS} inputs over ${targets.length} methods end in a status code (seed ${SEED})`, () => {
    fc.assert(
      fc.property(fuzzInputArb(targets), (input) => {
        assertInput(input);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

// ---- the oracle against the real skels --------------------------------------------------

interface Invocation extends SkelInputs {
  interface: string;
  method: string;
  case?: string;
  expectedResult?: number | 'crash';
  result?: number;
  direction?: string;
}

const readJson = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../conformance/qaic/${name}`, import.meta.url), 'utf8')) as T;
const factoryByName = new Map<string, SkelFactory>();
for (const f of factories) if (!factoryByName.has(f.desc.name)) factoryByName.set(f.desc.name, f);

function walkInvocation(v: Invocation): string | undefined {
  const f = factoryByName.get(v.interface);
  if (!f) throw new Error(`no generated skel for ${v.interface}`);
  const fds = new MapFdRegistry();
  for (const [fd, len] of Object.entries(v.registeredFds ?? {})) fds.register(Number(fd), len);
  const slot = (h: HandleJson): RemoteArg => {
    if (h.len !== undefined && h.fd !== undefined) fds.register(h.fd, h.len);
    return h.h64 !== undefined ? { fd: 0, offset: 0, h64: BigInt(h.h64) } : { fd: h.fd ?? 0, offset: h.offset ?? 0 };
  };
  const pra: RemoteArg[] = [
    ...v.inBufs.map(fromHex),
    ...v.outBufLens.map((n) => new Uint8Array(n)),
    ...(v.inHandles ?? []).map(slot),
    ...(v.outHandles ?? []).map(slot),
  ];
  return walkRemoteArgs(f.desc, Number(v.sc), pra, fds).mustFail;
}

describe('the wire model used as oracle', () => {
  it('rejects only inputs that the real qaic skels reject (bad_inputs.json)', () => {
    const bad = readJson<Invocation[]>('bad_inputs.json');
    const wrong = bad
      .filter((b) => b.expectedResult === 0 && walkInvocation(b) !== undefined)
      .map((b) => `${b.interface}.${b.method} ${b.case}: ${walkInvocation(b)}`);
    expect(wrong).toEqual([]);
    // It is not vacuous: it finds a reason for most rejected inputs.
    const rejected = bad.filter((b) => b.expectedResult !== 0);
    expect(rejected.filter((b) => walkInvocation(b) !== undefined).length).toBeGreaterThan(rejected.length / 3);
  });

  it('accepts every successful invocation of vectors.json', () => {
    const vectors = readJson<Invocation[]>('vectors.json').filter((v) => v.direction !== 'stub' && v.result === 0);
    expect(vectors.length).toBeGreaterThan(300);
    expect(vectors.map((v) => [`${v.interface}.${v.method}`, walkInvocation(v)]).filter(([, why]) => why !== undefined)).toEqual([]);
  });
});

// ---- the checks catch broken skels -------------------------------------------------------

/** The real factory of `iface`, with its skel wrapped by `wrap`. */
function broken(iface: string, wrap: (real: SkelInvoke, impl: Record<string, (...a: unknown[]) => unknown>) => SkelInvoke): SkelFactory {
  const real = factoryByName.get(iface)!;
  return { ...real, file: 'broken', createSkel: (impl: never) => wrap(real.createSkel(impl), impl) };
}

function inputFor(
  f: SkelFactory,
  method: string,
  args: unknown[],
  caps: Record<string, unknown> | undefined,
  mutations: Mutation[] = [],
): FuzzInput {
  const m = f.desc.methods.find((x) => x.name === method)!;
  const call = cloneCall(encodeValidCall({ factory: f, method: m }, args, caps)!);
  for (const mu of mutations) applyMutation(call, mu);
  return { call, mutations, impl: 'full' };
}

const bufs = (pra: RemoteArg[]): Uint8Array[] => pra.filter((a): a is Uint8Array => a instanceof Uint8Array);

describe('the checks fail on broken skels', () => {
  it('accepts the real skel on the same inputs', () => {
    expect(checkInput(inputFor(factoryByName.get('apps::mem')!, 'request_map', [1, 2, 3, 4, 5], undefined))).toBeUndefined();
    expect(
      checkInput(inputFor(factoryByName.get('strs')!, 'put', ['hello'], undefined, [{ k: 'countWord', which: 0, pick: 4, r: 0 }])),
    ).toBeUndefined();
  });

  it('a skel that throws', () => {
    const f = broken('apps::mem', () => () => {
      throw new RangeError('boom');
    });
    expect(checkInput(inputFor(f, 'request_map', [1, 2, 3, 4, 5], undefined))).toMatch(/threw RangeError: boom/);
  });

  it('a skel that reads the byte after its primIn view', () => {
    const f = broken('apps::mem', (real) => (h, sc, pra, ctx) => {
      const b = bufs(pra)[0]!;
      const after = new Uint8Array(b.buffer, b.byteOffset + b.length, 1)[0]!;
      return after & 1 ? Aee.EBADPARM : real(h, sc, pra, ctx);
    });
    expect(checkInput(inputFor(f, 'request_map', [1, 2, 3, 4, 5], undefined))).toMatch(/differently with another canary/);
  });

  it('a skel that writes one byte past its out buffer', () => {
    const f = broken('apps::mem', (real) => (h, sc, pra, ctx) => {
      const r = real(h, sc, pra, ctx);
      const out = bufs(pra)[1]!;
      new Uint8Array(out.buffer)[out.byteOffset + out.length] = 0;
      return r;
    });
    expect(checkInput(inputFor(f, 'request_map', [1, 2, 3, 4, 5], undefined))).toMatch(/canary byte at arena offset \d+ was written/);
  });

  it('a skel that writes into an in buffer', () => {
    const f = broken('apps::mem', (real) => (h, sc, pra, ctx) => {
      const b = bufs(pra)[0]!;
      b[0] = b[0]! ^ 1;
      return real(h, sc, pra, ctx);
    });
    expect(checkInput(inputFor(f, 'request_map', [1, 2, 3, 4, 5], undefined))).toMatch(/in-buffer slot 0 byte 0 was written/);
  });

  it('a skel that trusts a string length word', () => {
    const f = broken('strs', (_real, impl) => () => (impl['put']!('x'), 0));
    for (const pick of [2, 3, 4, 8]) {
      // 2^31-1, 2^31, 2^32-1 and a product that wraps 2^32.
      const input = inputFor(f, 'put', ['hello'], undefined, [{ k: 'countWord', which: 0, pick, r: 0 }]);
      expect(checkInput(input)).toMatch(/accepted an input the wire model rejects \(count \d+ x 1 at slot 0\+0 exceeds slot 1/);
    }
  });

  it('a skel that trusts a nested element count whose byte size wraps 2^32', () => {
    const f = broken('docs', (_real, impl) => () => (impl['namedList']!([], {}), 0));
    const input = inputFor(
      f,
      'named_list',
      [
        [
          { id: 1, name: 'a' },
          { id: 2, name: 'b' },
        ],
      ],
      { b: [] },
      [{ k: 'countWord', which: 0, pick: 8, r: 0 }],
    );
    const m = /wire model rejects \(count (\d+) x (\d+) at slot 0\+0/.exec(checkInput(input) ?? '');
    expect(m).not.toBeNull();
    const product = Number(m![1]) * Number(m![2]);
    expect(product).toBeGreaterThanOrEqual(2 ** 32);
    expect(product % 2 ** 32).toBeLessThan(64);
  });

  it('a skel that spins', () => {
    const f = broken('apps::mem', (real) => (h, sc, pra, ctx) => {
      const t0 = process.cpuUsage();
      for (;;) {
        const u = process.cpuUsage(t0);
        if (u.user + u.system > 60_000) break;
      }
      return real(h, sc, pra, ctx);
    });
    expect(checkInput(inputFor(f, 'request_map', [1, 2, 3, 4, 5], undefined))).toMatch(/took .* ms of CPU/);
  });
});
