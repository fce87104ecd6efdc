/**
 * The fuzzer's oracle: a walk of a received remote_arg set in qaic's depth-first order
 * that finds every length and capacity word, the buffer it describes, and in-strings.
 * It does not decide everything a skel checks (buffer counts are left to the skel); it
 * answers "must this input be rejected?" for the reasons a reader could overrun a buffer:
 * a length word larger than its buffer, an unterminated string, a slot that is not there,
 * a short primIn/primROut, an unknown method, an unregistered dma fd.
 */
import type { FdRegistry, RemoteArg } from '../../runtime/wire/remote-arg.ts';
import { structView, typeViews, type InterfaceDesc, type MethodDesc, type TypeDesc } from '../../runtime/wire/desc.ts';
import { planFor } from '../../runtime/wire/plan.ts';

/** A count word: at `offset` of slot `slot`, describing `stride`-byte elements of the slots `targets`. */
export interface CountWord {
  readonly slot: number;
  readonly offset: number;
  readonly value: number;
  /** Bytes per counted element in each target (same order as `targets`). */
  readonly strides: readonly number[];
  readonly targets: readonly number[];
  /** Elements without a buffer (sequences of dmahandles) are bounded by the argument count. */
  readonly slotBound: boolean;
}

/** An in-string: its terminator must be at character `len - 1` of slot `slot`. */
export interface InString {
  readonly slot: number;
  readonly len: number;
  readonly charSize: number;
}

export interface WalkResult {
  readonly method: MethodDesc | undefined;
  /** Why the input must be rejected, or undefined when the walk found no such reason. */
  readonly mustFail: string | undefined;
  readonly words: CountWord[];
  readonly strings: InString[];
}

class Reject extends Error {}

const u32 = (b: Uint8Array, off: number): number => {
  if (off < 0 || off + 4 > b.length) throw new Reject(`word at ${off} outside a ${b.length}-byte buffer`);
  return (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
};

const memberOffsets = (t: TypeDesc & { k: 'r' }, view: 'in' | 'rpi'): number[] => structView(t.f.map((m) => typeViews(m[2])[view])).offsets;

export function walkRemoteArgs(iface: InterfaceDesc, sc: number, pra: readonly RemoteArg[], fds: FdRegistry): WalkResult {
  const words: CountWord[] = [];
  const strings: InString[] = [];
  const nIn = (sc >>> 16) & 0xff;
  const nOut = (sc >>> 8) & 0xff;
  const nInH = (sc >>> 4) & 0xf;
  const nOutH = sc & 0xf;
  const fail = (why: string, method?: MethodDesc): WalkResult => ({ method, mustFail: why, words, strings });

  let idx = (sc >>> 24) & 31;
  if (idx === 31) {
    const b = pra[0];
    if (nIn < 1 || !(b instanceof Uint8Array) || b.length < 4) return fail('escaped method without room for its index');
    idx = u32(b, 0);
    if (idx < 31) return fail(`escaped method index ${idx} below 31`);
  }
  const method = iface.methods.find((m) => m.index === idx);
  if (!method) return fail(`no method ${idx}`);
  const layout = planFor(method).layout;
  const total = nIn + nOut + nInH + nOutH;
  if (pra.length < total) return fail(`${pra.length} slots for ${total} in the scalars`, method);
  const hasPI = layout.primIn.size > 0 ? 1 : 0;
  const hasPR = layout.primROut.size > 0 ? 1 : 0;
  let din: Uint8Array = new Uint8Array(0);
  if (hasPI) {
    const b = pra[0];
    if (nIn < 1 || !(b instanceof Uint8Array) || b.length < layout.primIn.size) return fail('primIn missing or short', method);
    din = b;
  }
  if (hasPR) {
    const b = pra[nIn];
    if (nOut < 1 || !(b instanceof Uint8Array) || b.length < layout.primROut.size) return fail('primROut missing or short', method);
  }

  let inIdx = hasPI;
  let outIdx = nIn + hasPR;
  let inHIdx = nIn + nOut;
  let outHIdx = nIn + nOut + nInH;
  const buf = (i: number, end: number, what: string): [number, Uint8Array] => {
    const a = i < end ? pra[i] : undefined;
    if (!(a instanceof Uint8Array)) throw new Reject(`missing ${what} at slot ${i}`);
    return [i, a];
  };
  // Like qaic's skel, slots are taken linearly: a missing in buffer takes the next slot.
  const takeIn = (): [number, Uint8Array] => buf(inIdx++, total, 'in buffer');
  const takeOut = (): [number, Uint8Array] => buf(outIdx++, total, 'out buffer');
  const handle = (i: number, what: string, dma: boolean): void => {
    const a = i < total ? pra[i] : undefined;
    if (a === undefined || a instanceof Uint8Array) throw new Reject(`missing ${what} at slot ${i}`);
    if (dma && fds.lookup(a.fd) === undefined) throw new Reject(`dma fd ${a.fd} not registered`);
  };
  const check = (w: CountWord): void => {
    words.push(w);
    w.targets.forEach((t, k) => {
      const b = pra[t] as Uint8Array;
      if (w.value * w.strides[k]! > b.length)
        throw new Reject(`count ${w.value} x ${w.strides[k]} at slot ${w.slot}+${w.offset} exceeds slot ${t} (${b.length} bytes)`);
    });
    if (w.slotBound && w.value > total) throw new Reject(`count ${w.value} at slot ${w.slot}+${w.offset} exceeds the argument list`);
  };
  const inString = (slot: number, offset: number, cs: number): number => {
    const len = u32(pra[slot] as Uint8Array, offset);
    const [ti, tb] = takeIn();
    check({ slot, offset, value: len, strides: [cs], targets: [ti], slotBound: false });
    strings.push({ slot: ti, len, charSize: cs });
    if (len === 0) throw new Reject('in string of length 0');
    if (tb[(len - 1) * cs] !== 0 || (cs === 2 && tb[(len - 1) * 2 + 1] !== 0)) throw new Reject(`in string at slot ${ti} not terminated`);
    return len;
  };

  function walkIn(t: TypeDesc, slot: number, off: number): void {
    const b = slot < 0 ? din : (pra[slot] as Uint8Array);
    const at = slot < 0 ? 0 : slot;
    switch (t.k) {
      case 'p':
        return;
      case 's':
        inString(at, off, t.w ? 2 : 1);
        return;
      case 'q': {
        const e = typeViews(t.e);
        const len = u32(b, off);
        if (!e.complex) {
          const [ti] = takeIn();
          check({ slot: at, offset: off, value: len, strides: [e.in.size], targets: [ti], slotBound: false });
          return;
        }
        if (e.in.size === 0) {
          check({ slot: at, offset: off, value: len, strides: [], targets: [], slotBound: true });
          for (let i = 0; i < len; i++) walkIn(t.e, slot, 0);
          return;
        }
        const [ti] = takeIn();
        check({ slot: at, offset: off, value: len, strides: [e.in.size], targets: [ti], slotBound: false });
        for (let i = 0; i < len; i++) walkIn(t.e, ti, i * e.in.size);
        return;
      }
      case 'r': {
        const offs = memberOffsets(t, 'in');
        t.f.forEach(([, , mt], i) => walkIn(mt, slot, off + Math.max(0, offs[i]!)));
        return;
      }
      case 'a': {
        const es = typeViews(t.e).in.size;
        for (let i = 0; i < t.n; i++) walkIn(t.e, slot, off + i * es);
        return;
      }
      case 'd':
        handle(inHIdx++, 'in handle', true);
        return;
      case 'h':
        handle(inHIdx++, 'in handle', false);
        return;
    }
  }

  function walkRpi(t: TypeDesc, slot: number, off: number): void {
    const b = slot < 0 ? din : (pra[slot] as Uint8Array);
    const at = slot < 0 ? 0 : slot;
    switch (t.k) {
      case 's':
      case 'q': {
        const cap = u32(b, off);
        if (t.k === 's' || !typeViews(t.e).complex) {
          const [to] = takeOut();
          check({
            slot: at,
            offset: off,
            value: cap,
            strides: [t.k === 's' ? (t.w ? 2 : 1) : typeViews(t.e).in.size],
            targets: [to],
            slotBound: false,
          });
          return;
        }
        const e = typeViews(t.e);
        const strides: number[] = [];
        const targets: number[] = [];
        let pd = -2;
        if (e.rpi.size > 0) {
          const [ti] = takeIn();
          pd = ti;
          strides.push(e.rpi.size);
          targets.push(ti);
        }
        if (e.rpr.size > 0) {
          const [to] = takeOut();
          strides.push(e.rpr.size);
          targets.push(to);
        }
        check({ slot: at, offset: off, value: cap, strides, targets, slotBound: targets.length === 0 });
        for (let i = 0; i < cap; i++) walkRpi(t.e, pd, i * e.rpi.size);
        return;
      }
      case 'r': {
        const offs = memberOffsets(t, 'rpi');
        t.f.forEach(([, , mt], i) => walkRpi(mt, slot, off + Math.max(0, offs[i]!)));
        return;
      }
      case 'a': {
        const es = typeViews(t.e).rpi.size;
        for (let i = 0; i < t.n; i++) walkRpi(t.e, slot, off + i * es);
        return;
      }
      default:
        // prims have no rout-primIn part; dmahandles inside rout structs take no slot (as qaic's skel).
        return;
    }
  }

  try {
    for (const pl of layout.params) {
      const p = pl.param;
      const t = p.t;
      const off = pl.primIn[0]?.offset ?? 0;
      if (t.k === 'd') handle(p.mode === 'in' ? inHIdx++ : outHIdx++, p.mode === 'in' ? 'in handle' : 'out handle', true);
      else if (t.k === 'h') handle(p.mode === 'in' ? inHIdx++ : outHIdx++, p.mode === 'in' ? 'in handle' : 'out handle', false);
      else if (!pl.complex && (t.k === 's' || t.k === 'q')) {
        const es = t.k === 's' ? (t.w ? 2 : 1) : typeViews(t.e).in.size;
        if (p.mode === 'in') walkIn(t, -1, off);
        else if (p.mode === 'rout') walkRpi(t, -1, off);
        else {
          const len = t.k === 's' ? inString(0, off, es) : (walkIn(t, -1, off), u32(din, off));
          const cap = u32(din, off + 4);
          const [to] = takeOut();
          check({ slot: 0, offset: off + 4, value: cap, strides: [es], targets: [to], slotBound: false });
          if (cap < len) throw new Reject(`inrout capacity ${cap} below its length ${len}`);
        }
      } else if (pl.complex) {
        if (p.mode === 'in') walkIn(t, -1, off);
        else walkRpi(t, -1, off);
      }
    }
  } catch (e) {
    if (e instanceof Reject) return fail(e.message, method);
    throw e;
  }
  return { method, mustFail: undefined, words, strings };
}
