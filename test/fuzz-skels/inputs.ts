/**
 * Fuzz inputs for generated skels: a valid call of a random method built from random values
 * through the generated client (captured at the transport), then 0..4 mutations of its
 * remote_arg set. Mutations are plain data with selectors taken modulo the sizes they index,
 * so fast-check shrinks them and a counterexample prints as a reproducible remote_arg set.
 */
import fc from 'fast-check';
import { invokePlan } from '../../runtime/rpc/invoke.ts';
import { MapFdRegistry, type HandleSlot, type RemoteArg } from '../../runtime/wire/remote-arg.ts';
import type { RemoteHandle, Transport } from '../../runtime/rpc/transport.ts';
import { isByteSeq, typeViews, type TypeDesc } from '../../runtime/wire/desc.ts';
import { planFor } from '../../runtime/wire/plan.ts';
import type { MethodTarget } from './targets.ts';
import { walkRemoteArgs } from './wire-model.ts';

export type Slot = { readonly buf: Uint8Array } | { readonly fd: number; readonly offset: number; readonly h64?: bigint };

/** A remote_arg set as it reaches a skel, independent of any memory it will be placed in. */
export interface RawCall {
  readonly target: MethodTarget;
  readonly handle: RemoteHandle;
  sc: number;
  slots: Slot[];
  /** dma fds the stub registered, with their lengths. */
  readonly fds: readonly (readonly [number, number])[];
}

export type ImplMode = 'void' | 'zero' | 'full';

export type Mutation =
  | { readonly k: 'scField'; readonly field: number; readonly v: number }
  | { readonly k: 'scRaw'; readonly v: number }
  | { readonly k: 'drop'; readonly at: number; readonly adjust: boolean }
  | { readonly k: 'insert'; readonly at: number; readonly slot: Slot; readonly adjust: boolean }
  | {
      readonly k: 'resize';
      readonly which: 'primIn' | 'primROut' | 'any';
      readonly at: number;
      readonly to: 'empty' | 'trunc' | 'extend';
      readonly n: number;
      readonly fill: number;
    }
  | { readonly k: 'countWord'; readonly which: number; readonly pick: number; readonly r: number }
  | { readonly k: 'word'; readonly at: number; readonly off: number; readonly v: number }
  | { readonly k: 'noNul'; readonly which: number; readonly c: number }
  | { readonly k: 'escape'; readonly v: number }
  | { readonly k: 'flip'; readonly at: number; readonly off: number; readonly b: number }
  | { readonly k: 'handle'; readonly at: number; readonly fd: number; readonly offset: number; readonly h64: bigint | undefined }
  | { readonly k: 'swap'; readonly a: number; readonly b: number }
  | { readonly k: 'random'; readonly sc: number; readonly slots: readonly Slot[] };

export interface FuzzInput {
  readonly call: RawCall;
  readonly mutations: readonly Mutation[];
  readonly impl: ImplMode;
}

// ---- values -------------------------------------------------------------------------

const INT: Readonly<Record<string, readonly [number, number]>> = {
  i8: [-128, 127],
  u8: [0, 255],
  i16: [-32768, 32767],
  u16: [0, 65535],
  i32: [-(2 ** 31), 2 ** 31 - 1],
  u32: [0, 2 ** 32 - 1],
};

const narrowUnit = fc.oneof(
  fc.constantFrom('a', 'é', '€', '😀'),
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
);
const wideUnit = fc.integer({ min: 1, max: 0xffff }).map((c) => String.fromCharCode(c));

export function valueArb(t: TypeDesc): fc.Arbitrary<unknown> {
  switch (t.k) {
    case 'p': {
      if (t.p === 'bool') return fc.boolean();
      if (t.p === 'i64') return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
      if (t.p === 'u64') return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
      if (t.p === 'f32') return fc.float();
      if (t.p === 'f64') return fc.double();
      const [min, max] = INT[t.p]!;
      return fc.integer({ min, max });
    }
    case 's':
      // Code units, not fast-check's string units: these need no reverse mapping per value.
      return fc.array(t.w ? wideUnit : narrowUnit, { maxLength: 6 }).map((u) => u.join(''));
    case 'q':
      return isByteSeq(t) ? fc.uint8Array({ maxLength: 12 }) : fc.array(valueArb(t.e), { maxLength: typeViews(t.e).complex ? 3 : 4 });
    case 'a':
      return fc.array(valueArb(t.e), { minLength: t.n, maxLength: t.n });
    case 'r':
      return fc.record(Object.fromEntries(t.f.map(([, ts, mt]) => [ts, valueArb(mt)])));
    case 'd':
      // One fd has one registered length, so the length is a function of the fd.
      return fc.record({ fd: fc.integer({ min: 3, max: 6 }), offset: fc.nat(4096) }).map((h) => ({ ...h, len: h.fd * 4096 }));
    case 'h':
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  }
}

/** Capacities of a rout/inrout value (strings: characters incl. the terminator). */
export function capsArb(t: TypeDesc): fc.Arbitrary<unknown> {
  switch (t.k) {
    case 's':
      return fc.nat(8);
    case 'q':
      return typeViews(t.e).complex ? fc.array(capsArb(t.e), { maxLength: 3 }) : fc.nat(8);
    case 'a':
      return fc.array(capsArb(t.e), { minLength: t.n, maxLength: t.n });
    case 'r':
      return fc.record(
        Object.fromEntries(t.f.filter(([, , mt]) => typeViews(mt).complex && mt.k !== 'd').map(([, ts, mt]) => [ts, capsArb(mt)])),
      );
    default:
      return fc.constant(undefined);
  }
}

// ---- valid calls through the generated client ------------------------------------------

/** A transport that keeps a copy of the remote_arg set and answers 0. */
class CapturingTransport implements Transport {
  readonly fds = new MapFdRegistry();
  captured: { sc: number; slots: Slot[] } | undefined;
  invoke(_h: RemoteHandle, sc: number, args: RemoteArg[]): number {
    this.captured = { sc, slots: args.map((a) => (a instanceof Uint8Array ? { buf: a.slice() } : { ...a })) };
    return 0;
  }
}

export function encodeValidCall(
  target: MethodTarget,
  args: readonly unknown[],
  caps: Record<string, unknown> | undefined,
): RawCall | undefined {
  const { factory, method } = target;
  const plan = planFor(method);
  const handle: RemoteHandle = factory.desc.handle64 ? 1n : 1;
  const tr = new CapturingTransport();
  const client = factory.Client ? (new factory.Client(tr, handle as never) as Record<string, unknown>) : undefined;
  const fn = client?.[method.ts];
  const call = plan.capParams.length > 0 ? [...args, caps] : [...args];
  // open/close of remote_handle64 interfaces are no client methods: same encoder, called directly.
  const p =
    typeof fn === 'function' ? (fn as (...a: unknown[]) => Promise<unknown>).apply(client, call) : invokePlan(tr, handle, plan, args, caps);
  p.catch(() => undefined);
  if (!tr.captured) return undefined;
  const fds: [number, number][] = [];
  for (let fd = -1; fd <= 8; fd++) {
    const len = tr.fds.lookup(fd);
    if (len !== undefined) fds.push([fd, len]);
  }
  return { target, handle, sc: tr.captured.sc, slots: tr.captured.slots, fds };
}

function validCallArb(target: MethodTarget): fc.Arbitrary<RawCall> {
  const plan = planFor(target.method);
  const { desc } = target.factory;
  const isOpen = desc.handle64 && target.method.index === 0;
  const argArbs = plan.argParams.map((p, i) =>
    // An open URI sometimes carries the skel's own IDL version so the version check passes.
    isOpen && i === 0 && desc.idlVersion !== undefined
      ? fc.oneof(valueArb(p.t), fc.constant(`x?_idlver=${desc.idlVersion}`))
      : valueArb(p.t),
  );
  const capArbs = Object.fromEntries(plan.capParams.map((p) => [p.ts, capsArb(p.t)]));
  return fc.tuple(fc.tuple(...argArbs), fc.record(capArbs)).map(([args, caps]) => {
    // An inrout string's capacity must hold its input (the skel rejects less, the stub does not check).
    plan.argParams.forEach((p, i) => {
      if (p.mode === 'inrout' && p.t.k === 's') {
        const len = p.t.w ? (args[i] as string).length + 1 : new TextEncoder().encode(args[i] as string).length + 1;
        caps[p.ts] = Math.max(Number(caps[p.ts] ?? 0), len);
      }
    });
    const call = encodeValidCall(target, args, caps);
    if (!call) throw new Error(`${desc.name}.${target.method.name}: the client refused a valid call`);
    return call;
  });
}

// ---- mutations ---------------------------------------------------------------------

const u32Arb = fc.integer({ min: 0, max: 0xffffffff });
const specialWord = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 4, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x40000000, 0x20000000),
  u32Arb,
);
const bytesArb = fc.uint8Array({ maxLength: 40 });
const slotArb: fc.Arbitrary<Slot> = fc.oneof(
  bytesArb.map((buf) => ({ buf })),
  fc.record({ fd: fc.integer({ min: -1, max: 8 }), offset: fc.nat(8192) }),
  fc.record({ fd: fc.constant(0), offset: fc.constant(0), h64: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ k: fc.constant('scField' as const), field: fc.nat(5), v: fc.oneof(fc.nat(4), u32Arb) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('scRaw' as const), v: u32Arb }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('drop' as const), at: fc.nat(), adjust: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('insert' as const), at: fc.nat(), slot: slotArb, adjust: fc.boolean() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('resize' as const),
      which: fc.constantFrom('primIn' as const, 'primROut' as const, 'any' as const),
      at: fc.nat(),
      to: fc.constantFrom('empty' as const, 'trunc' as const, 'extend' as const),
      n: fc.nat(24),
      fill: fc.nat(255),
    }),
  },
  { weight: 6, arbitrary: fc.record({ k: fc.constant('countWord' as const), which: fc.nat(), pick: fc.nat(12), r: u32Arb }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('word' as const), at: fc.nat(), off: fc.nat(), v: specialWord }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('noNul' as const), which: fc.nat(), c: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('escape' as const), v: fc.oneof(fc.nat(40), specialWord) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('flip' as const), at: fc.nat(), off: fc.nat(), b: fc.nat(255) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('handle' as const),
      at: fc.nat(),
      fd: fc.integer({ min: -1, max: 8 }),
      offset: fc.nat(8192),
      h64: fc.option(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('random' as const), sc: u32Arb, slots: fc.array(slotArb, { maxLength: 10 }) }) },
);

/** Scalars fields: [shift, width] of attr, method, in, out, in handles, out handles. */
const FIELDS: readonly (readonly [number, number])[] = [
  [29, 3],
  [24, 5],
  [16, 8],
  [8, 8],
  [4, 4],
  [0, 4],
];
const getField = (sc: number, f: number): number => (sc >>> FIELDS[f]![0]) & ((1 << FIELDS[f]![1]) - 1);
const setField = (sc: number, f: number, v: number): number => {
  const [s, w] = FIELDS[f]!;
  const mask = ((1 << w) - 1) << s;
  return ((sc & ~mask) | ((v << s) & mask)) >>> 0;
};
/** Which scalars count (2..5) a slot position belongs to. */
function regionOf(sc: number, at: number): number {
  let end = 0;
  for (let f = 2; f <= 5; f++) {
    end += getField(sc, f);
    if (at < end) return f;
  }
  return 5;
}

const setU32 = (b: Uint8Array, off: number, v: number): void => {
  b[off] = v & 0xff;
  b[off + 1] = (v >>> 8) & 0xff;
  b[off + 2] = (v >>> 16) & 0xff;
  b[off + 3] = (v >>> 24) & 0xff;
};

/** A replacement for a count word: edges, sizes around the buffer it counts, and products that wrap 2^32. */
function countValue(pick: number, r: number, stride: number, bufLen: number, declared: number): number {
  const near = stride > 0 ? Math.floor(bufLen / stride) : bufLen;
  const wrap = stride > 1 ? Math.ceil(2 ** 32 / stride) : 0xffffffff;
  const vals = [
    0,
    1,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    near - 1,
    near,
    near + 1,
    wrap,
    wrap + (r % 4),
    declared + 1,
    declared + (r % 64),
    r,
  ];
  return Math.max(0, vals[pick % vals.length]!) >>> 0;
}

function bufferSlots(slots: readonly Slot[]): number[] {
  return slots.flatMap((s, i) => ('buf' in s ? [i] : []));
}

export function applyMutation(call: RawCall, m: Mutation): void {
  const { slots } = call;
  switch (m.k) {
    case 'scField':
      call.sc = setField(call.sc, m.field, m.v);
      return;
    case 'scRaw':
      call.sc = m.v >>> 0;
      return;
    case 'drop': {
      if (slots.length === 0) return;
      const at = m.at % slots.length;
      if (m.adjust) {
        const f = regionOf(call.sc, at);
        if (getField(call.sc, f) > 0) call.sc = setField(call.sc, f, getField(call.sc, f) - 1);
      }
      slots.splice(at, 1);
      return;
    }
    case 'insert': {
      const at = m.at % (slots.length + 1);
      if (m.adjust) {
        const f = regionOf(call.sc, at);
        call.sc = setField(call.sc, f, getField(call.sc, f) + 1);
      }
      slots.splice(at, 0, 'buf' in m.slot ? { buf: m.slot.buf.slice() } : { ...m.slot });
      return;
    }
    case 'resize': {
      const nIn = getField(call.sc, 2);
      const i =
        m.which === 'primIn' ? 0 : m.which === 'primROut' ? nIn : (bufferSlots(slots)[m.at % Math.max(1, bufferSlots(slots).length)] ?? -1);
      const s = slots[i];
      if (s === undefined || !('buf' in s)) return;
      const b = s.buf;
      let nb: Uint8Array;
      if (m.to === 'empty') nb = new Uint8Array(0);
      else if (m.to === 'trunc') nb = b.slice(0, b.length === 0 ? 0 : m.n % b.length);
      else {
        nb = new Uint8Array(b.length + 1 + m.n).fill(m.fill);
        nb.set(b);
      }
      slots[i] = { buf: nb };
      return;
    }
    case 'countWord': {
      const fds = new MapFdRegistry();
      for (const [fd, len] of call.fds) fds.register(fd, len);
      const { words } = walkRemoteArgs(call.target.factory.desc, call.sc, toRemoteArgs(slots), fds);
      const w = words[m.which % Math.max(1, words.length)];
      if (!w) return;
      const target = w.targets[0];
      const bufLen = target === undefined ? slots.length : (slots[target] as { buf: Uint8Array }).buf.length;
      const v = countValue(m.pick, m.r, w.strides[0] ?? 0, bufLen, w.value);
      setU32((slots[w.slot] as { buf: Uint8Array }).buf, w.offset, v);
      return;
    }
    case 'word': {
      const bs = bufferSlots(slots);
      if (bs.length === 0) return;
      const b = (slots[bs[m.at % bs.length]!] as { buf: Uint8Array }).buf;
      if (b.length < 4) return;
      setU32(b, (m.off % Math.floor(b.length / 4)) * 4, m.v);
      return;
    }
    case 'noNul': {
      const fds = new MapFdRegistry();
      for (const [fd, len] of call.fds) fds.register(fd, len);
      const { strings } = walkRemoteArgs(call.target.factory.desc, call.sc, toRemoteArgs(slots), fds);
      const s = strings[m.which % Math.max(1, strings.length)];
      if (!s || s.len === 0) return;
      const b = (slots[s.slot] as { buf: Uint8Array }).buf;
      const at = (s.len - 1) * s.charSize + (m.c & 1 && s.charSize === 2 ? 1 : 0);
      if (at < b.length) b[at] = m.c;
      return;
    }
    case 'escape': {
      call.sc = setField(call.sc, 1, 31);
      const s = slots[0];
      if (s && 'buf' in s && s.buf.length >= 4) setU32(s.buf, 0, m.v);
      return;
    }
    case 'flip': {
      const bs = bufferSlots(slots);
      if (bs.length === 0) return;
      const b = (slots[bs[m.at % bs.length]!] as { buf: Uint8Array }).buf;
      if (b.length > 0) b[m.off % b.length] = m.b;
      return;
    }
    case 'handle': {
      const hs = slots.flatMap((s, i) => ('buf' in s ? [] : [i]));
      if (hs.length === 0) return;
      slots[hs[m.at % hs.length]!] = m.h64 === undefined ? { fd: m.fd, offset: m.offset } : { fd: m.fd, offset: m.offset, h64: m.h64 };
      return;
    }
    case 'swap': {
      if (slots.length < 2) return;
      const a = m.a % slots.length;
      const b = m.b % slots.length;
      [slots[a], slots[b]] = [slots[b]!, slots[a]!];
      return;
    }
    case 'random': {
      // Keep the method field half of the time so the parameter checks are reached.
      call.sc = m.sc & 1 ? setField(m.sc, 1, getField(call.sc, 1)) : m.sc >>> 0;
      call.slots = m.slots.map((s) => ('buf' in s ? { buf: s.buf.slice() } : { ...s }));
      return;
    }
  }
}

/** Fresh remote_arg objects for a slot list (plain arrays, not yet placed in an arena). */
export function toRemoteArgs(slots: readonly Slot[]): RemoteArg[] {
  return slots.map((s): RemoteArg => ('buf' in s ? s.buf : ({ ...s } as HandleSlot)));
}

export function cloneCall(c: RawCall): RawCall {
  return { ...c, slots: c.slots.map((s) => ('buf' in s ? { buf: s.buf.slice() } : { ...s })) };
}

/** Valid call of any method of any target, then up to four mutations (none in about 1 of 8 inputs). */
export function fuzzInputArb(targets: readonly MethodTarget[]): fc.Arbitrary<FuzzInput> {
  const valid = fc.oneof(...targets.map(validCallArb));
  return fc
    .tuple(
      valid,
      fc.oneof(
        { weight: 1, arbitrary: fc.constant([] as Mutation[]) },
        { weight: 7, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 4 }) },
      ),
      fc.constantFrom<ImplMode>('void', 'zero', 'full'),
    )
    .map(([base, mutations, impl]): FuzzInput => {
      const call = cloneCall(base);
      for (const m of mutations) applyMutation(call, m);
      return {
        call,
        mutations,
        impl,
        [fc.toStringMethod]: () => `${describeCall(call)} impl=${impl} mutations=${mutations.length}`,
      } as FuzzInput;
    });
}

// ---- printing ----------------------------------------------------------------------

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** A counterexample in the shape of bad_inputs.json (slots in remote_arg order). */
export function describeCall(c: RawCall): string {
  return JSON.stringify({
    interface: c.target.factory.desc.name,
    file: c.target.factory.file,
    method: c.target.method.name,
    sc: `0x${(c.sc >>> 0).toString(16).padStart(8, '0')}`,
    slots: c.slots.map((s) =>
      'buf' in s
        ? hex(s.buf)
        : s.h64 !== undefined
          ? { fd: s.fd, offset: s.offset, h64: s.h64.toString() }
          : { fd: s.fd, offset: s.offset },
    ),
    registeredFds: Object.fromEntries(c.fds),
  });
}
