/**
 * Per-type codecs compiled once from a TypeDesc: closures that write/read one value in
 * each wire view, push or take the nested buffers depth-first, and validate like a qaic
 * skel. The method plans (plan.ts) combine them per parameter.
 */
import type { HandleSlot, RemoteArg, FdRegistry } from './remote-arg.ts';
import { rF32, rF64, rI16, rI32, rI64, rI8, rU16, rU32, rU64, rU8, w16, w32, w8, wF32, wF64, wI64, wU64 } from './bytes.ts';
import { getMember, setOwn } from './own.ts';
import { PRIM_SIZE, typeViews, type PrimCode, type TypeDesc, type TypeViews } from './desc.ts';
import { BAD_VALUE, PRIM_OK } from './value-check.ts';

/** Thrown inside a skel decode when the remote_arg set is malformed (→ AEE_EBADPARM). */
export class WireReject extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
export const EBADPARM = 0x0e;
const bad = (why: string): never => {
  throw new WireReject(EBADPARM, why);
};

/** dmahandle value: fd and offset travel in the handle slot, len is registered with the fd. */
export interface DmaHandle {
  fd: number;
  offset: number;
  len: number;
}

/** What a stub accumulates while encoding a request. */
export class StubCtx {
  readonly inList: RemoteArg[] = [];
  readonly outList: Uint8Array[] = [];
  readonly inH: HandleSlot[] = [];
  readonly outH: HandleSlot[] = [];
  constructor(readonly fds: FdRegistry | undefined) {}
}

/** Cursor over a received remote_arg list, as a qaic skel walks it. */
export class SkelCtx {
  inIdx: number;
  outIdx: number;
  inHIdx: number;
  outHIdx: number;
  readonly total: number;
  /**
   * `declaredOut`: the out buffers the method declares, when the skel should find the handles
   * after the in buffers and those rather than after every out buffer the scalars count (qaic's
   * skel for methods whose only handles are in sequences; see BufferPlan.decodeRequest).
   */
  constructor(
    readonly pra: readonly RemoteArg[],
    sc: number,
    hasPI: number,
    hasPR: number,
    readonly fds: FdRegistry | undefined,
    declaredOut?: number,
  ) {
    const nIn = (sc >>> 16) & 0xff;
    const nOut = (sc >>> 8) & 0xff;
    const nInH = (sc >>> 4) & 0xf;
    this.total = Math.min(pra.length, nIn + nOut + nInH + (sc & 0xf));
    this.inIdx = hasPI;
    this.outIdx = nIn + hasPR;
    this.inHIdx = nIn + (declaredOut === undefined ? nOut : Math.min(nOut, declaredOut));
    this.outHIdx = this.inHIdx + nInH;
  }
  // The real skel indexes pra[] linearly; a missing in buffer makes it read the next
  // slot. We do the same but never read past the slots `sc` describes.
  takeIn(): Uint8Array {
    const i = this.inIdx++;
    const a = i < this.total ? this.pra[i] : undefined;
    return a instanceof Uint8Array ? a : bad('missing in buffer');
  }
  takeOut(): Uint8Array {
    const i = this.outIdx++;
    const a = i < this.total ? this.pra[i] : undefined;
    return a instanceof Uint8Array ? a : bad('missing out buffer');
  }
  takeInH(): HandleSlot {
    const i = this.inHIdx++;
    const a = i < this.total ? this.pra[i] : undefined;
    return a !== undefined && !(a instanceof Uint8Array) ? a : bad('missing in handle');
  }
  takeOutH(): HandleSlot {
    const i = this.outHIdx++;
    const a = i < this.total ? this.pra[i] : undefined;
    return a !== undefined && !(a instanceof Uint8Array) ? a : bad('missing out handle');
  }
}

type PrimWrite = (d: Uint8Array, off: number, v: unknown) => void;
type PrimRead = (d: Uint8Array, off: number) => unknown;

const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(v as number));
const invalid = (): never => {
  throw BAD_VALUE;
};
/** A capacity the caller gave: absent is 0; anything else must be a uint32. */
const capacity = (v: unknown): number => (v === undefined ? 0 : PRIM_OK.u32(v) ? (v as number) : invalid());

/** Writers of checked primitives: a value that does not fit throws BAD_VALUE (value-check.ts). */
export const PRIM_WRITE: Readonly<Record<PrimCode, PrimWrite>> = {
  i8: (d, o, v) => (PRIM_OK.i8(v) ? w8(d, o, v as number) : invalid()),
  u8: (d, o, v) => (PRIM_OK.u8(v) ? w8(d, o, v as number) : invalid()),
  bool: (d, o, v) => (typeof v === 'boolean' ? w8(d, o, v ? 1 : 0) : invalid()),
  i16: (d, o, v) => (PRIM_OK.i16(v) ? w16(d, o, v as number) : invalid()),
  u16: (d, o, v) => (PRIM_OK.u16(v) ? w16(d, o, v as number) : invalid()),
  i32: (d, o, v) => (PRIM_OK.i32(v) ? w32(d, o, v as number) : invalid()),
  u32: (d, o, v) => (PRIM_OK.u32(v) ? w32(d, o, v as number) : invalid()),
  f32: (d, o, v) => (typeof v === 'number' ? wF32(d, o, v) : invalid()),
  i64: (d, o, v) => (PRIM_OK.i64(v) ? wI64(d, o, big(v)) : invalid()),
  u64: (d, o, v) => (PRIM_OK.u64(v) ? wU64(d, o, big(v)) : invalid()),
  f64: (d, o, v) => (typeof v === 'number' ? wF64(d, o, v) : invalid()),
};
export const PRIM_READ: Readonly<Record<PrimCode, PrimRead>> = {
  i8: rI8,
  u8: rU8,
  bool: (d, o) => rU8(d, o) !== 0,
  i16: rI16,
  u16: rU16,
  i32: rI32,
  u32: rU32,
  f32: rF32,
  i64: rI64,
  u64: rU64,
  f64: rF64,
};

const utf8enc = new TextEncoder();
const utf8dec = new TextDecoder('utf-8');

/** A string as sent: UTF-8 (or UTF-16LE) code units plus the terminator. */
export function encodeCString(s: string, wide: boolean): Uint8Array {
  if (!wide) {
    const out = new Uint8Array(s.length * 3 + 1);
    const { written } = utf8enc.encodeInto(s, out);
    return out.subarray(0, written + 1);
  }
  const out = new Uint8Array((s.length + 1) * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

/** Decodes up to the first terminator within `chars` characters. */
export function decodeCString(b: Uint8Array, chars: number, wide: boolean): string {
  if (!wide) {
    const lim = Math.min(chars, b.length);
    let end = b.indexOf(0);
    if (end < 0 || end > lim) end = lim;
    return utf8dec.decode(b.subarray(0, end));
  }
  const lim = Math.min(chars, b.length >>> 1);
  let s = '';
  for (let i = 0; i < lim; i++) {
    const c = b[2 * i]! | (b[2 * i + 1]! << 8);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * Writes a rout string into its buffer: characters then a terminator, within `cap` characters.
 * A Uint8Array is written as it is: the raw bytes a C implementation would leave there.
 */
function writeCString(buf: Uint8Array, cap: number, v: string | Uint8Array, wide: boolean): void {
  const lim = Math.min(buf.length, cap * (wide ? 2 : 1));
  if (v instanceof Uint8Array) {
    buf.set(v.subarray(0, lim));
    return;
  }
  const enc = encodeCString(v, wide);
  if (enc.length <= lim) buf.set(enc);
  else {
    buf.set(enc.subarray(0, lim));
    if (lim > 0) buf.fill(0, lim - (wide ? 2 : 1), lim);
  }
}

/** Rout bookkeeping of a string or simple sequence: its out buffer and capacity. */
interface BufState {
  buf: Uint8Array;
  cap: number;
}
interface SeqState {
  cap: number;
  prDv: Uint8Array | undefined;
  elems: unknown[];
}

export interface Codec {
  readonly t: TypeDesc;
  readonly v: TypeViews;
  /** Stub: write the in-part at `off` (plus nested in buffers/handles). */
  wIn(d: Uint8Array, off: number, val: unknown, c: StubCtx): void;
  /** Stub: write the rout-primIn part (capacities), allocate nested out buffers; returns the rout state. */
  wRpi(d: Uint8Array, off: number, caps: unknown, c: StubCtx): unknown;
  /**
   * Stub, byte sequences only: like wRpi with the caller's buffer as the out buffer (its
   * length is the capacity), so a loop calling the same method does not allocate one per call.
   */
  wRpiInto?(d: Uint8Array, off: number, buf: Uint8Array, c: StubCtx): unknown;
  /** Stub: read a rout value back from the rout-primROut part at `off` and the rout state. */
  rRout(d: Uint8Array, off: number, st: unknown): unknown;
  /** Skel: read and validate an in value. */
  rIn(d: Uint8Array, off: number, c: SkelCtx): unknown;
  /** Skel: read capacities and take nested rout buffers; returns [caps, state]. */
  rRpi(d: Uint8Array, off: number, c: SkelCtx): [unknown, unknown];
  /** Skel: write a rout value into the rout-primROut part and nested out buffers. */
  wRout(d: Uint8Array, off: number, st: unknown, val: unknown): void;
}

const codecCache = new WeakMap<TypeDesc, Codec>();

export function codecFor(t: TypeDesc): Codec {
  const hit = codecCache.get(t);
  if (hit) return hit;
  const c = build(t);
  codecCache.set(t, c);
  return c;
}

const noop = (): undefined => undefined;

function build(t: TypeDesc): Codec {
  const v = typeViews(t);
  switch (t.k) {
    case 'p': {
      const w = PRIM_WRITE[t.p];
      const r = PRIM_READ[t.p];
      return {
        t,
        v,
        wIn: (d, off, val) => w(d, off, val),
        wRpi: noop,
        rRout: (d, off) => r(d, off),
        rIn: (d, off) => r(d, off),
        rRpi: () => [undefined, undefined],
        wRout: (d, off, _st, val) => w(d, off, val),
      };
    }
    case 's':
      return stringCodec(t, v);
    case 'q':
      return v.complex && typeViews(t.e).complex ? complexSeqCodec(t, v) : simpleSeqCodec(t, v);
    case 'a':
      return arrayCodec(t, v);
    case 'r':
      return structCodec(t, v);
    case 'd':
      return dmaCodec(t, v);
    case 'h':
      return h64Codec(t, v);
  }
}

function stringCodec(t: TypeDesc & { k: 's' }, v: TypeViews): Codec {
  const wide = t.w;
  const cs = wide ? 2 : 1;
  return {
    t,
    v,
    wIn(d, off, val, c) {
      if (typeof val !== 'string') invalid();
      const b = encodeCString(val as string, wide);
      w32(d, off, b.length / cs);
      c.inList.push(b);
    },
    wRpi(d, off, caps, c) {
      const cap = capacity(caps);
      w32(d, off, cap);
      const buf = new Uint8Array(cap * cs);
      c.outList.push(buf);
      return { buf, cap } satisfies BufState;
    },
    rRout(_d, _off, st) {
      const s = st as BufState;
      // qaic stubs force a terminator at capacity-1.
      return s.cap > 0 ? decodeCString(s.buf, s.cap - 1, wide) : '';
    },
    rIn(d, off, c) {
      const len = rU32(d, off);
      const b = c.takeIn();
      if (Math.floor(b.length / cs) < len) bad('string length word exceeds its buffer');
      if (len === 0) bad('in string without terminator');
      if (b[(len - 1) * cs] !== 0 || (wide && b[(len - 1) * 2 + 1] !== 0)) bad('in string not terminated');
      return decodeCString(b, len - 1, wide);
    },
    rRpi(d, off, c) {
      const cap = rU32(d, off);
      const buf = c.takeOut();
      if (Math.floor(buf.length / cs) < cap) bad('string capacity exceeds its buffer');
      return [cap, { buf, cap } satisfies BufState];
    },
    wRout(_d, _off, st, val) {
      if (typeof val !== 'string' && !(val instanceof Uint8Array)) invalid();
      const s = st as BufState;
      writeCString(s.buf, s.cap, val as string | Uint8Array, wide);
    },
  };
}

/** Encodes a simple sequence into a fresh buffer (or passes a byte view through). */
function seqBytes(e: Codec, es: number, bytes: boolean, val: unknown, c: StubCtx): Uint8Array {
  if (bytes) return byteView(e, val);
  if (!Array.isArray(val)) invalid();
  const arr = val as readonly unknown[];
  const b = new Uint8Array(arr.length * es);
  if (arr.length > 0) {
    const d = b;
    for (let i = 0; i < arr.length; i++) e.wIn(d, i * es, arr[i], c);
  }
  return b;
}

function seqValue(e: Codec, es: number, bytes: boolean, b: Uint8Array, count: number, skel: SkelCtx | undefined): unknown {
  if (bytes) return b.subarray(0, count);
  const out = new Array<unknown>(count);
  if (count > 0) {
    const d = b;
    for (let i = 0; i < count; i++) out[i] = skel ? e.rIn(d, i * es, skel) : e.rRout(d, i * es, undefined);
  }
  return out;
}

/** A byte sequence's value: the Uint8Array itself, or an array of checked bytes copied into one. */
function byteView(e: Codec, val: unknown): Uint8Array {
  if (val instanceof Uint8Array) return val;
  if (!Array.isArray(val)) invalid();
  const arr = val as readonly unknown[];
  const out = new Uint8Array(arr.length);
  for (let i = 0; i < arr.length; i++) e.wIn(out, i, arr[i], undefined as unknown as StubCtx);
  return out;
}

function writeSeq(e: Codec, es: number, bytes: boolean, buf: Uint8Array, cap: number, val: unknown): void {
  if (bytes) {
    const src = byteView(e, val);
    if (src !== buf) buf.set(src.subarray(0, Math.min(cap, buf.length)));
    return;
  }
  if (!Array.isArray(val)) invalid();
  const arr = val as readonly unknown[];
  const n = Math.min(cap, arr.length);
  const d = buf;
  for (let i = 0; i < n; i++) e.wRout(d, i * es, undefined, arr[i]);
}

function simpleSeqCodec(t: TypeDesc & { k: 'q' }, v: TypeViews): Codec {
  const e = codecFor(t.e);
  const es = e.v.in.size;
  const bytes = t.e.k === 'p' && (t.e.p === 'u8' || t.e.p === 'i8');
  return {
    t,
    v,
    wIn(d, off, val, c) {
      const b = seqBytes(e, es, bytes, val, c);
      w32(d, off, es === 0 ? 0 : b.length / es);
      c.inList.push(b);
    },
    wRpi(d, off, caps, c) {
      const cap = capacity(caps);
      w32(d, off, cap);
      const buf = new Uint8Array(cap * es);
      c.outList.push(buf);
      return { buf, cap } satisfies BufState;
    },
    wRpiInto: bytes
      ? (d, off, buf, c) => {
          w32(d, off, buf.length);
          c.outList.push(buf);
          return { buf, cap: buf.length } satisfies BufState;
        }
      : undefined,
    rRout(_d, _off, st) {
      const s = st as BufState;
      if (bytes && s.cap === s.buf.length) return s.buf;
      return seqValue(e, es, bytes, s.buf, s.cap, undefined);
    },
    rIn(d, off, c) {
      const len = rU32(d, off);
      const b = c.takeIn();
      if (Math.floor(b.length / es) < len) bad('sequence length word exceeds its buffer');
      return seqValue(e, es, bytes, b, len, c);
    },
    rRpi(d, off, c) {
      const cap = rU32(d, off);
      const buf = c.takeOut();
      if (Math.floor(buf.length / es) < cap) bad('sequence capacity exceeds its buffer');
      return [cap, { buf, cap } satisfies BufState];
    },
    wRout(_d, _off, st, val) {
      const s = st as BufState;
      writeSeq(e, es, bytes, s.buf, s.cap, val);
    },
  };
}

function complexSeqCodec(t: TypeDesc & { k: 'q' }, v: TypeViews): Codec {
  const e = codecFor(t.e);
  const inS = e.v.in.size;
  const piS = e.v.rpi.size;
  const prS = e.v.rpr.size;
  const scratch: Uint8Array = new Uint8Array(0);
  return {
    t,
    v,
    wIn(d, off, val, c) {
      if (!Array.isArray(val)) invalid();
      const arr = val as readonly unknown[];
      w32(d, off, arr.length);
      let ed: Uint8Array = scratch;
      if (inS > 0) {
        const b = new Uint8Array(arr.length * inS);
        c.inList.push(b);
        ed = b;
      }
      for (let i = 0; i < arr.length; i++) e.wIn(ed, i * inS, arr[i], c);
    },
    wRpi(d, off, caps, c) {
      const arr = (caps ?? []) as readonly unknown[];
      w32(d, off, arr.length);
      let pd: Uint8Array = scratch;
      let prDv: Uint8Array | undefined;
      if (piS > 0) {
        const b = new Uint8Array(arr.length * piS);
        c.inList.push(b);
        pd = b;
      }
      if (prS > 0) {
        const b = new Uint8Array(arr.length * prS);
        c.outList.push(b);
        prDv = b;
      }
      const elems = arr.map((cap, i) => e.wRpi(pd, i * piS, cap, c));
      return { cap: arr.length, prDv, elems } satisfies SeqState;
    },
    rRout(_d, _off, st) {
      const s = st as SeqState;
      const pd = s.prDv ?? scratch;
      return s.elems.map((es, i) => e.rRout(pd, i * prS, es));
    },
    rIn(d, off, c) {
      const len = rU32(d, off);
      let ed: Uint8Array = scratch;
      // Elements without an in-part still take a slot each (dmahandles): bound the loop.
      if (inS === 0 && len > c.total) bad('length word exceeds the argument list');
      if (inS > 0) {
        const b = c.takeIn();
        if (Math.floor(b.length / inS) < len) bad('element array shorter than its length word');
        ed = b;
      }
      const out: unknown[] = [];
      for (let i = 0; i < len; i++) out.push(e.rIn(ed, i * inS, c));
      return out;
    },
    rRpi(d, off, c) {
      const cap = rU32(d, off);
      let pd: Uint8Array = scratch;
      let prDv: Uint8Array | undefined;
      if (piS === 0 && prS === 0 && cap > c.total) bad('capacity word exceeds the argument list');
      if (piS > 0) {
        const b = c.takeIn();
        if (Math.floor(b.length / piS) < cap) bad('element capacity array too short');
        pd = b;
      }
      if (prS > 0) {
        const b = c.takeOut();
        if (Math.floor(b.length / prS) < cap) bad('element out array too short');
        prDv = b;
      }
      const caps: unknown[] = [];
      const elems: unknown[] = [];
      for (let i = 0; i < cap; i++) {
        const [ec, es] = e.rRpi(pd, i * piS, c);
        caps.push(ec);
        elems.push(es);
      }
      return [caps, { cap, prDv, elems } satisfies SeqState];
    },
    wRout(_d, _off, st, val) {
      if (!Array.isArray(val)) invalid();
      const s = st as SeqState;
      const arr = val as readonly unknown[];
      const pd = s.prDv ?? scratch;
      const n = Math.min(s.cap, arr.length);
      for (let i = 0; i < n; i++) e.wRout(pd, i * prS, s.elems[i], arr[i]);
    },
  };
}

function arrayCodec(t: TypeDesc & { k: 'a' }, v: TypeViews): Codec {
  const e = codecFor(t.e);
  const n = t.n;
  const inS = e.v.in.size;
  const piS = e.v.rpi.size;
  const prS = e.v.rpr.size;
  return {
    t,
    v,
    wIn(d, off, val, c) {
      if (!Array.isArray(val) || val.length !== n) invalid();
      const arr = val as readonly unknown[];
      for (let i = 0; i < n; i++) e.wIn(d, off + i * inS, arr[i], c);
    },
    wRpi(d, off, caps, c) {
      const arr = (caps ?? []) as readonly unknown[];
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(e.wRpi(d, off + i * piS, arr[i], c));
      return out;
    },
    rRout(d, off, st) {
      const sts = (st ?? []) as readonly unknown[];
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(e.rRout(d, off + i * prS, sts[i]));
      return out;
    },
    rIn(d, off, c) {
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(e.rIn(d, off + i * inS, c));
      return out;
    },
    rRpi(d, off, c) {
      const caps: unknown[] = [];
      const sts: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const [a, b] = e.rRpi(d, off + i * piS, c);
        caps.push(a);
        sts.push(b);
      }
      return [caps, sts];
    },
    wRout(d, off, st, val) {
      if (!Array.isArray(val) || val.length !== n) invalid();
      const arr = val as readonly unknown[];
      const sts = (st ?? []) as readonly unknown[];
      for (let i = 0; i < n; i++) e.wRout(d, off + i * prS, sts[i], arr[i]);
    },
  };
}

/** Zero value of a type, used when a caller leaves an array element or member out. */
export function zeroOf(t: TypeDesc): unknown {
  switch (t.k) {
    case 'p':
      return t.p === 'i64' || t.p === 'u64' ? 0n : t.p === 'bool' ? false : 0;
    case 's':
      return '';
    case 'q':
      return t.e.k === 'p' && (t.e.p === 'u8' || t.e.p === 'i8') ? new Uint8Array(0) : [];
    case 'a':
      return Array.from({ length: t.n }, () => zeroOf(t.e));
    case 'r':
      return Object.fromEntries(t.f.map(([, ts, mt]) => [ts, zeroOf(mt)]));
    case 'd':
      return { fd: -1, offset: 0, len: 0 };
    case 'h':
      return 0n;
  }
}

/**
 * Zero values of a method's rout and inrout parameters by TS name (dmahandles have none): what an
 * implementation that only records its calls returns.
 */
export function zeroRouts(method: {
  readonly params: readonly { readonly mode: string; readonly ts: string; readonly t: TypeDesc }[];
}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of method.params) if (p.mode !== 'in' && p.t.k !== 'd') setOwn(out, p.ts, zeroOf(p.t));
  return out;
}

function structCodec(t: TypeDesc & { k: 'r' }, v: TypeViews): Codec {
  const ms = t.f.map(([, ts, mt]) => ({ ts, c: codecFor(mt) }));
  const offs = (pick: (x: TypeViews) => { size: number; align: number }): number[] => {
    let cur = 0;
    return ms.map((m) => {
      const view = pick(m.c.v);
      if (view.size === 0) return -1;
      cur = Math.ceil(cur / view.align) * view.align;
      const o = cur;
      cur += view.size;
      return o;
    });
  };
  const inO = offs((x) => x.in);
  const piO = offs((x) => x.rpi);
  const prO = offs((x) => x.rpr);
  const capsKeys = ms.map((m) => m.c.v.complex);
  return {
    t,
    v,
    wIn(d, off, val, c) {
      if (val === null || typeof val !== 'object') invalid();
      const o = val as Record<string, unknown>;
      for (let i = 0; i < ms.length; i++) {
        const m = ms[i]!;
        m.c.wIn(d, off + inO[i]!, getMember(o, m.ts), c);
      }
    },
    wRpi(d, off, caps, c) {
      const o = (caps ?? {}) as Record<string, unknown>;
      return ms.map((m, i) => m.c.wRpi(d, off + piO[i]!, capsKeys[i] ? getMember(o, m.ts) : undefined, c));
    },
    rRout(d, off, st) {
      const sts = (st ?? []) as readonly unknown[];
      const out: Record<string, unknown> = {};
      for (let i = 0; i < ms.length; i++) {
        const m = ms[i]!;
        // Members absent from the rout view (dmahandles) come back as their zero value.
        setOwn(out, m.ts, prO[i]! < 0 && !capsKeys[i] ? zeroOf(m.c.t) : m.c.rRout(d, off + prO[i]!, sts[i]));
      }
      return out;
    },
    rIn(d, off, c) {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < ms.length; i++) setOwn(out, ms[i]!.ts, ms[i]!.c.rIn(d, off + inO[i]!, c));
      return out;
    },
    rRpi(d, off, c) {
      const caps: Record<string, unknown> = {};
      const sts: unknown[] = [];
      for (let i = 0; i < ms.length; i++) {
        const [a, b] = ms[i]!.c.rRpi(d, off + piO[i]!, c);
        if (capsKeys[i]) setOwn(caps, ms[i]!.ts, a);
        sts.push(b);
      }
      return [caps, sts];
    },
    wRout(d, off, st, val) {
      if (val === null || typeof val !== 'object') invalid();
      const o = val as Record<string, unknown>;
      const sts = (st ?? []) as readonly unknown[];
      for (let i = 0; i < ms.length; i++) {
        if (prO[i]! < 0 && !capsKeys[i]) continue;
        ms[i]!.c.wRout(d, off + prO[i]!, sts[i], getMember(o, ms[i]!.ts));
      }
    },
  };
}

/** A received dmahandle slot with its registered length (qaic's adsp_mmap_fd_getinfo). */
export function resolveDma(slot: HandleSlot, fds: FdRegistry | undefined): DmaHandle {
  const len = fds?.lookup(slot.fd);
  if (len === undefined) return bad(`dmahandle fd ${slot.fd} is not registered`);
  return { fd: slot.fd, offset: slot.offset, len };
}

/** A dmahandle value after checking: `{ fd: int32, offset: uint32, len: uint32 }`. */
export function checkedDma(val: unknown): DmaHandle {
  if (val === null || typeof val !== 'object') return invalid();
  const h = val as DmaHandle;
  return PRIM_OK.i32(h.fd) && PRIM_OK.u32(h.offset) && PRIM_OK.u32(h.len) ? h : invalid();
}

function dmaCodec(t: TypeDesc, v: TypeViews): Codec {
  const slotOf = (val: unknown, c: StubCtx): HandleSlot => {
    const h = checkedDma(val);
    c.fds?.register(h.fd, h.len);
    return { fd: h.fd, offset: h.offset };
  };
  return {
    t,
    v,
    wIn: (_d, _o, val, c) => void c.inH.push(slotOf(val, c)),
    wRpi: noop,
    rRout: () => undefined,
    rIn: (_d, _o, c) => resolveDma(c.takeInH(), c.fds),
    rRpi: () => [undefined, undefined],
    wRout: noop,
  };
}

/** remote_handle64 parameters: only the open/close entries of handle64 interfaces have them. */
function h64Codec(t: TypeDesc, v: TypeViews): Codec {
  return {
    t,
    v,
    wIn: (_d, _o, val, c) => void c.inH.push({ fd: 0, offset: 0, h64: PRIM_OK.u64(val) ? big(val) : invalid() }),
    wRpi: noop,
    rRout: () => undefined,
    rIn: (_d, _o, c) => c.takeInH().h64 ?? 0n,
    rRpi: () => [undefined, undefined],
    wRout: noop,
  };
}

export { PRIM_SIZE };
