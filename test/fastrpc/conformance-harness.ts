/**
 * Runs one qaic conformance vector or bad input through a generated interface: the
 * generated client over a capturing transport (stub direction) and the generated skel
 * with a recording implementation (skel direction). Returns a list of mismatches.
 */
import { AeeError } from '../../runtime/wire/aee-codes.ts';
import { zeroRouts } from '../../runtime/wire/codec.ts';
import { MapFdRegistry, type HandleSlot, type RemoteArg } from '../../runtime/wire/remote-arg.ts';
import type { GeneratedInterface } from '../../runtime/rpc/generated.ts';
import type { RemoteHandle, Transport } from '../../runtime/rpc/transport.ts';
import { formatScalars } from '../../runtime/wire/scalars.ts';
import { planFor, type MethodPlan } from '../../runtime/wire/plan.ts';
import { fromHex, toHex } from '../../runtime/wire/hex.ts';
import {
  argsFromJson,
  argsToJson,
  methodCapsFromJson,
  methodCapsToJson,
  routsFromJson,
  routsToJson,
} from '../../runtime/wire/json-values.ts';
import { isDeepStrictEqual } from 'node:util';

export interface HandleJson {
  fd?: number;
  offset?: number;
  len?: number;
  h64?: string;
}

export interface Vector {
  idl: string;
  interface: string;
  method: string;
  index: number;
  direction: 'both' | 'stub' | 'skel';
  handle: string | number | null;
  args: Record<string, unknown>;
  caps?: Record<string, unknown>;
  sc: string;
  inBufs: string[];
  outBufLens: number[];
  inHandles?: HandleJson[];
  outHandles?: HandleJson[];
  outBufs: string[];
  outHandlesAfter?: HandleJson[];
  routs: Record<string, unknown> | null;
  implRouts?: Record<string, unknown>;
  result: number;
  implCalled?: boolean;
  note: string;
}

export interface BadInput extends SkelInputs {
  interface: string;
  method: string;
  case: string;
  expectedResult: number | 'crash';
  implCalled: boolean;
  note: string;
}

function planOf(gi: GeneratedInterface, method: string): MethodPlan {
  const m = gi.desc.methods.find((x) => x.name === method);
  if (!m) throw new Error(`${gi.name} has no method ${method}`);
  return planFor(m);
}

function handleOf(gi: GeneratedInterface, h: string | number | null): RemoteHandle {
  if (gi.desc.handle64) return BigInt(h ?? 0);
  return typeof h === 'number' ? h : Number(h ?? 0);
}

const slotToJson = (s: HandleSlot, fds: MapFdRegistry): HandleJson =>
  s.h64 !== undefined ? { h64: s.h64.toString() } : { fd: s.fd, offset: s.offset, len: fds.lookup(s.fd) ?? -1 };

const slotFromJson = (h: HandleJson): HandleSlot =>
  h.h64 !== undefined ? { fd: 0, offset: 0, h64: BigInt(h.h64) } : { fd: h.fd ?? 0, offset: h.offset ?? 0 };

const eq = (problems: string[], what: string, got: unknown, want: unknown): void => {
  if (!isDeepStrictEqual(got, want)) problems.push(`${what}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`);
};

/** Stub direction: the generated client's request bytes and its decoding of the reply. */
export async function runStub(gi: GeneratedInterface, v: Vector): Promise<string[]> {
  const problems: string[] = [];
  const plan = planOf(gi, v.method);
  const fds = new MapFdRegistry();
  let called = false;
  const transport: Transport = {
    fds,
    invoke(_h, sc, args) {
      called = true;
      const nIn = (sc >>> 16) & 0xff;
      const nOut = (sc >>> 8) & 0xff;
      const nInH = (sc >>> 4) & 0xf;
      eq(problems, 'sc', formatScalars(sc), v.sc);
      eq(problems, 'handle', _h, handleOf(gi, v.handle));
      eq(
        problems,
        'inBufs',
        args.slice(0, nIn).map((b) => toHex(b as Uint8Array)),
        v.inBufs,
      );
      eq(
        problems,
        'outBufLens',
        args.slice(nIn, nIn + nOut).map((b) => (b as Uint8Array).length),
        v.outBufLens,
      );
      eq(
        problems,
        'inHandles',
        args.slice(nIn + nOut, nIn + nOut + nInH).map((s) => slotToJson(s as HandleSlot, fds)),
        v.inHandles ?? [],
      );
      eq(
        problems,
        'outHandles',
        args.slice(nIn + nOut + nInH).map((s) => slotToJson(s as HandleSlot, fds)),
        v.outHandles ?? [],
      );
      v.outBufs.forEach((hex, i) => {
        const b = args[nIn + i];
        if (b instanceof Uint8Array && b.length === hex.length / 2) b.set(fromHex(hex));
      });
      return v.result;
    },
  };
  const client = new gi.Client(transport, handleOf(gi, v.handle) as never) as Record<
    string,
    (...a: unknown[]) => Promise<Record<string, unknown>>
  >;
  const args = argsFromJson(plan, v.args);
  const call = plan.capParams.length > 0 ? [...args, methodCapsFromJson(plan, v.caps ?? {})] : args;
  const fn = client[plan.desc.ts];
  if (typeof fn !== 'function') return [`client has no method ${plan.desc.ts}`];
  try {
    const routs = await fn.apply(client, call);
    if (v.result !== 0) problems.push(`expected failure ${v.result}, call succeeded`);
    else eq(problems, 'routs', routsToJson(plan, routs), v.routs);
  } catch (e) {
    if (!(e instanceof AeeError)) problems.push(`threw ${String(e)}`);
    else if (e.code !== v.result) problems.push(`failed with ${e.code}, want ${v.result}`);
  }
  if (v.direction === 'stub' && called) problems.push('stub called the transport');
  if (v.direction !== 'stub' && !called) problems.push('transport not called');
  return problems;
}

/** A request as the skel sees it, in the conformance JSON form. */
export interface SkelInputs {
  sc: string;
  inBufs: string[];
  outBufLens: number[];
  inHandles?: HandleJson[];
  outHandles?: HandleJson[];
  registeredFds?: Record<string, number>;
}

function buildPra(x: SkelInputs): { pra: RemoteArg[]; fds: MapFdRegistry } {
  const fds = new MapFdRegistry();
  for (const h of [...(x.inHandles ?? []), ...(x.outHandles ?? [])])
    if (h.fd !== undefined && h.len !== undefined) fds.register(h.fd, h.len);
  for (const [fd, len] of Object.entries(x.registeredFds ?? {})) fds.register(Number(fd), len);
  const pra: RemoteArg[] = [
    ...x.inBufs.map((h) => fromHex(h)),
    ...x.outBufLens.map((n) => new Uint8Array(n)),
    ...(x.inHandles ?? []).map(slotFromJson),
    ...(x.outHandles ?? []).map(slotFromJson),
  ];
  return { pra, fds };
}

/** Skel direction: what the implementation sees and what the skel writes back. */
export async function runSkel(gi: GeneratedInterface, v: Vector): Promise<string[]> {
  const problems: string[] = [];
  const plan = planOf(gi, v.method);
  const { pra, fds } = buildPra(v);
  let implCalled = false;
  const impl = new Proxy(
    {},
    {
      get(_t, prop) {
        if (typeof prop !== 'string') return undefined;
        return (...a: unknown[]) => {
          implCalled = true;
          const hasCaps = plan.capParams.length > 0 && !(gi.desc.handle64 && plan.desc.index <= 1);
          const args = hasCaps ? a.slice(0, -1) : a;
          eq(problems, 'impl args', argsToJson(plan, args), v.args);
          if (hasCaps) eq(problems, 'impl caps', methodCapsToJson(plan, a[a.length - 1] as Record<string, unknown>), v.caps ?? {});
          if (v.result !== 0) throw new AeeError(v.result);
          return routsFromJson(plan, v.implRouts ?? v.routs ?? {});
        };
      },
    },
  );
  const skel = gi.createSkel(impl as never);
  const code = await skel(handleOf(gi, v.handle), Number(v.sc), pra, { fds });
  eq(problems, 'result', code, v.result);
  const nIn = v.inBufs.length;
  eq(
    problems,
    'outBufs',
    v.outBufLens.map((_, i) => toHex(pra[nIn + i] as Uint8Array)),
    v.outBufs,
  );
  if (v.outHandlesAfter) {
    const start = nIn + v.outBufLens.length + (v.inHandles?.length ?? 0);
    eq(
      problems,
      'outHandlesAfter',
      pra.slice(start).map((s) => slotToJson(s as HandleSlot, fds)),
      v.outHandlesAfter,
    );
  }
  if (v.implCalled !== undefined) eq(problems, 'implCalled', implCalled, v.implCalled);
  return problems;
}

/** A malformed invocation straight into the skel; returns [result, implCalled]. */
export async function runBad(gi: GeneratedInterface, b: BadInput): Promise<[number, boolean]> {
  const { pra, fds } = buildPra(b);
  let implCalled = false;
  const impl = new Proxy(
    {},
    {
      get: (_t, prop) => {
        const m = typeof prop === 'string' ? gi.desc.methods.find((x) => x.ts === prop) : undefined;
        // Succeeds with zero routs, as a C implementation that writes nothing leaves its buffers.
        return m ? () => ((implCalled = true), zeroRouts(m)) : undefined;
      },
    },
  );
  const skel = gi.createSkel(impl as never);
  const code = await skel(gi.desc.handle64 ? 1n : 1, Number(b.sc), pra, { fds });
  return [code, implCalled];
}
