/**
 * Runs one fuzz input through its skel and checks the contract: the skel returns a number
 * (0 or an AEE code) synchronously within the time bound, throws nothing, rejects every
 * input the wire model says overruns a buffer, and touches no byte outside the out
 * buffers. Buffers are views into one arena filled with a canary; the input runs twice
 * with two different canaries and must behave identically, so a read outside the views
 * (through `.buffer`) would show as a different result, call or reply.
 */
import { Aee } from '../../runtime/wire/aee-codes.ts';
import { MapFdRegistry, type HandleSlot, type RemoteArg } from '../../runtime/wire/remote-arg.ts';
import type { SkelInvoke } from '../../runtime/rpc/transport.ts';
import { zeroOf } from '../../runtime/wire/codec.ts';
import { isByteSeq, typeViews, type MethodDesc, type TypeDesc } from '../../runtime/wire/desc.ts';
import { planFor } from '../../runtime/wire/plan.ts';
import { describeCall, type FuzzInput, type ImplMode, type RawCall } from './inputs.ts';
import type { SkelFactory } from './targets.ts';
import { walkRemoteArgs } from './wire-model.ts';

export const TIME_BOUND_MS = 50;
const GAP = 16;
const AEE_CODES = new Set<number>(Object.values(Aee));

/** Thrown by `checkInput` with the counterexample in the message. */
export class SkelContractError extends Error {}

// ---- the trivial implementation ------------------------------------------------------

const FULL_PRIM: Readonly<Record<string, unknown>> = {
  i8: -1,
  u8: 255,
  bool: true,
  i16: -1,
  u16: 65535,
  i32: -1,
  u32: 0xffffffff,
  f32: -1.5,
  f64: -1.5,
  i64: -1n,
  u64: 2n ** 64n - 1n,
};

/** A value that fills the capacities the skel granted, so every reply byte is written. */
function fullValue(t: TypeDesc, cap: unknown, input: unknown): unknown {
  switch (t.k) {
    case 'p':
      return FULL_PRIM[t.p];
    case 's':
      return 'Z'.repeat(Math.max(0, Math.min(Number(cap ?? 0), 4096) - 1));
    case 'q': {
      if (typeViews(t.e).complex) return ((cap ?? []) as unknown[]).map((c) => fullValue(t.e, c, undefined));
      const n = Math.min(cap === undefined ? ((input as ArrayLike<unknown> | undefined)?.length ?? 0) : Number(cap), 4096);
      return isByteSeq(t) ? new Uint8Array(n).fill(0x5a) : Array.from({ length: n }, () => fullValue(t.e, undefined, undefined));
    }
    case 'a':
      return Array.from({ length: t.n }, (_, i) => fullValue(t.e, (cap as unknown[] | undefined)?.[i], undefined));
    case 'r': {
      const c = (cap ?? {}) as Record<string, unknown>;
      return Object.fromEntries(t.f.map(([, ts, mt]) => [ts, mt.k === 'd' ? zeroOf(mt) : fullValue(mt, c[ts], undefined)]));
    }
    case 'd':
      return zeroOf(t);
    case 'h':
      return 2n ** 64n - 1n;
  }
}

interface ImplState {
  mode: ImplMode;
  calls: string[];
}

/** Zero values of the rout-only parameters: the least an implementation may return. */
function requiredRouts(m: MethodDesc): Record<string, unknown> | undefined {
  const routs = m.params.filter((p) => p.mode === 'rout' && p.t.k !== 'd');
  return routs.length === 0 ? undefined : Object.fromEntries(routs.map((p) => [p.ts, zeroOf(p.t)]));
}

/** A sync implementation of every method that records its calls and returns routs per `state.mode`. */
function trivialImpl(methods: readonly MethodDesc[], state: ImplState): object {
  const byTs = new Map(methods.map((m) => [m.ts, m]));
  return new Proxy(
    {},
    {
      get(_t, name) {
        if (typeof name !== 'string') return undefined;
        const m = byTs.get(name);
        return (...args: unknown[]) => {
          state.calls.push(`${name}(${stable(args)})`);
          if (!m) return undefined;
          // 'void': only what must be returned (rout values; a missing inrout keeps its input).
          if (state.mode === 'void') return requiredRouts(m);
          const plan = planFor(m);
          const caps = (plan.capParams.length > 0 ? args[plan.argParams.length] : {}) as Record<string, unknown>;
          const routs: Record<string, unknown> = {};
          plan.argParams.forEach((p, i) => {
            if (p.mode === 'inrout') routs[p.ts] = args[i];
          });
          for (const p of m.params) {
            if (p.mode === 'in' || p.t.k === 'd') continue;
            routs[p.ts] = state.mode === 'zero' ? zeroOf(p.t) : fullValue(p.t, caps[p.ts], routs[p.ts]);
          }
          return routs;
        };
      },
    },
  );
}

/** Deterministic text of any argument value (bigints, byte views, -0 and NaN included). */
function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return `${x}n`;
    if (typeof x === 'number' && (!Number.isFinite(x) || Object.is(x, -0))) return `num:${Object.is(x, -0) ? '-0' : String(x)}`;
    if (x instanceof Uint8Array) return `u8:${Array.from(x, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    return x;
  });
}

// ---- skels per interface -------------------------------------------------------------

interface Bench {
  readonly skel: SkelInvoke;
  readonly state: ImplState;
}
const benches = new WeakMap<SkelFactory, Bench>();

function benchFor(f: SkelFactory): Bench {
  let b = benches.get(f);
  if (!b) {
    const state: ImplState = { mode: 'void', calls: [] };
    b = { skel: f.createSkel(trivialImpl(f.desc.methods, state) as never), state };
    benches.set(f, b);
  }
  return b;
}

// ---- one run in an arena ---------------------------------------------------------------

interface Placed {
  readonly arena: Uint8Array;
  readonly pra: RemoteArg[];
  /** [start, end) of each buffer slot in the arena. */
  readonly spans: (readonly [number, number] | undefined)[];
}

function place(call: RawCall, canary: number): Placed {
  let size = GAP;
  const spans: (readonly [number, number] | undefined)[] = call.slots.map((s) => {
    if (!('buf' in s)) return undefined;
    const start = size;
    size = Math.ceil((start + s.buf.length + GAP) / 8) * 8;
    return [start, start + s.buf.length] as const;
  });
  const arena = new Uint8Array(size);
  for (let i = 0; i < size; i++) arena[i] = (i * 73 + canary) & 0xff;
  const pra = call.slots.map((s, i): RemoteArg => {
    if (!('buf' in s)) return { ...s } as HandleSlot;
    const [a, b] = spans[i]!;
    arena.set(s.buf, a);
    return arena.subarray(a, b);
  });
  return { arena, pra, spans };
}

interface RunResult {
  readonly code: unknown;
  readonly thrown: unknown;
  readonly ms: number;
  readonly calls: string[];
  readonly outs: string;
  readonly outside: string | undefined;
}

function runOnce(input: FuzzInput, canary: number): RunResult {
  const { call } = input;
  const bench = benchFor(call.target.factory);
  const fds = new MapFdRegistry();
  for (const [fd, len] of call.fds) fds.register(fd, len);
  const placed = place(call, canary);
  const before = placed.arena.slice();
  bench.state.mode = input.impl;
  bench.state.calls = [];
  let code: unknown;
  let thrown: unknown;
  // CPU time, not wall time: on a loaded machine the process may wait for a core.
  const t0 = process.cpuUsage();
  try {
    code = bench.skel(call.handle, call.sc, placed.pra, { fds });
  } catch (e) {
    thrown = e;
  }
  const used = process.cpuUsage(t0);
  const ms = (used.user + used.system) / 1000;
  // The skel may write only the buffers its scalars word calls out buffers.
  const nIn = (call.sc >>> 16) & 0xff;
  const nOut = (call.sc >>> 8) & 0xff;
  const writable = new Uint8Array(placed.arena.length);
  let outs = '';
  placed.spans.forEach((sp, i) => {
    if (sp && i >= nIn && i < nIn + nOut) {
      writable.fill(1, sp[0], sp[1]);
      outs += `${i}:${stable(placed.arena.subarray(sp[0], sp[1]))};`;
    }
  });
  let outside: string | undefined;
  for (let i = 0; i < before.length; i++) {
    if (writable[i] === 0 && placed.arena[i] !== before[i]) {
      const slot = placed.spans.findIndex((sp) => sp !== undefined && i >= sp[0] && i < sp[1]);
      outside =
        slot >= 0
          ? `in-buffer slot ${slot} byte ${i - placed.spans[slot]![0]} was written`
          : `canary byte at arena offset ${i} was written`;
      break;
    }
  }
  return { code, thrown, ms, calls: bench.state.calls, outs, outside };
}

/** Runs the input and returns a description of the first broken rule, or undefined. */
export function checkInput(input: FuzzInput): string | undefined {
  return runChecked(input).broken;
}

export interface Verdict {
  /** What the skel returned (when it returned a number). */
  readonly code: number | undefined;
  readonly broken: string | undefined;
  /** The wire model's reason to reject the input, if it has one. */
  readonly mustFail: string | undefined;
}

export function runChecked(input: FuzzInput): Verdict {
  const first = runOnce(input, 0xa5);
  const code = typeof first.code === 'number' ? first.code : undefined;
  const fds = new MapFdRegistry();
  for (const [fd, len] of input.call.fds) fds.register(fd, len);
  const model = walkRemoteArgs(
    input.call.target.factory.desc,
    input.call.sc,
    input.call.slots.map((s): RemoteArg => ('buf' in s ? s.buf : ({ ...s } as HandleSlot))),
    fds,
  );
  return { code, broken: judge(input, first, model.mustFail), mustFail: model.mustFail };
}

function judge(input: FuzzInput, first: RunResult, mustFail: string | undefined): string | undefined {
  const { call } = input;
  if (first.thrown !== undefined) {
    const e = first.thrown;
    return `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
  if (typeof first.code !== 'number')
    return `returned ${first.code instanceof Promise ? 'a Promise for a sync implementation' : typeof first.code}`;
  const code = first.code;
  if (!Number.isInteger(code) || !AEE_CODES.has(code)) return `returned ${code}, not an AEE code`;
  if (code === Aee.EUNKNOWN) return 'returned AEE_EUNKNOWN: an internal exception was swallowed (the implementation never throws)';
  if (first.outside) return `wrote outside its out buffers: ${first.outside}`;
  if ((code === 0) !== (first.calls.length === 1)) return `result ${code} with ${first.calls.length} implementation calls`;
  if (first.ms > TIME_BOUND_MS) {
    // A GC pause can hit any call: measure again before calling it slow.
    const again = runOnce(input, 0xa5);
    if (again.ms > TIME_BOUND_MS) return `took ${first.ms.toFixed(1)} ms and ${again.ms.toFixed(1)} ms of CPU (bound ${TIME_BOUND_MS} ms)`;
  }
  const second = runOnce(input, 0x3c);
  if (second.code !== code || second.outside)
    return `behaved differently with another canary: ${String(second.code)} vs ${code}${second.outside ? `, ${second.outside}` : ''}`;
  if (second.calls.join('|') !== first.calls.join('|'))
    return `implementation saw different arguments with another canary: ${first.calls[0]} vs ${second.calls[0]}`;
  if (second.outs !== first.outs) return 'out buffers differ with another canary';
  if (mustFail !== undefined && code === 0) return `accepted an input the wire model rejects (${mustFail})`;
  if (input.mutations.length === 0 && code !== 0) {
    const versionMismatch = code === Aee.ESTUBSKELVERMISMATCH && call.target.factory.desc.idlVersion !== undefined;
    if (!versionMismatch) return `rejected the unmutated call from the generated client with ${code}`;
  }
  return undefined;
}

/** `checkInput` as a fast-check predicate: throws with the counterexample. */
export function assertInput(input: FuzzInput): void {
  const broken = checkInput(input);
  if (broken !== undefined) {
    throw new SkelContractError(
      `${input.call.target.factory.desc.name}.${input.call.target.method.name}: ${broken}\n  input: ${describeCall(input.call)}\n  impl: ${input.impl}, mutations: ${stable(input.mutations)}`,
    );
  }
}
