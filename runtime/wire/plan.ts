/**
 * Method plans: a method descriptor compiled once into the stub's request encoder and
 * response decoder and the skel's validating decoder and reply encoder. Generated
 * clients and skels, the CLI codec and the tests all go through these functions.
 */
import { Aee } from './aee-codes.ts';
import type { FdRegistry, HandleSlot, RemoteArg } from './remote-arg.ts';
import { makeScalars } from './scalars.ts';
import { rU32, w32 } from './bytes.ts';
import { getMember, setOwn } from './own.ts';
import { compileInline, type InlineCodec } from './inline-jit.ts';
import { codecFor, resolveDma, SkelCtx, StubCtx, WireReject, type Codec, type DmaHandle } from './codec.ts';
import { isComplexType, type InterfaceDesc, type MethodDesc, type ParamDesc, type PrimCode } from './desc.ts';
import { layoutMethod, signatureOf, type MethodLayout } from './method-layout.ts';

/** A request as the stub sends it. */
export interface StubRequest {
  readonly sc: number;
  readonly args: RemoteArg[];
  /** Rout bookkeeping used to decode the reply. */
  readonly state: unknown[];
  readonly primROut: Uint8Array | undefined;
}

/** What a skel hands the implementation. */
export interface SkelRequest {
  /** in/inrout values and dmahandles, positional in IDL order. */
  readonly args: unknown[];
  /** Capacities of rout/inrout strings and sequences (and complex rout values), by TS name. */
  readonly caps: Record<string, unknown>;
  readonly state: unknown[];
  readonly primROut: Uint8Array | undefined;
}

type Kind = 'value' | 'bufIn' | 'bufRout' | 'bufInrout' | 'complexIn' | 'complexRout' | 'handle';

interface ParamOp {
  readonly p: ParamDesc;
  readonly kind: Kind;
  readonly c: Codec;
  readonly isIn: boolean;
  readonly isRout: boolean;
  readonly pi: number;
  readonly pr: number;
  /** bytes per element of a string/simple sequence buffer. */
  readonly es: number;
  /** Index into the positional argument list, or -1. */
  readonly argIdx: number;
}

/** Rout/inrout values by TS name, as a client resolves them and an implementation returns them. */
export type RoutValues = Record<string, unknown>;
/** Capacities of rout strings and sequences by TS name, or undefined when a method has none. */
export type CapValues = Readonly<Record<string, unknown>> | undefined;

/**
 * One method compiled for both directions. The type parameters describe the method to
 * TypeScript (generated code fills them in: `A` the positional in values, `R` the rout values,
 * `C` the capacities); the plan itself works from the descriptor alone.
 */
export interface MethodPlan<A extends readonly unknown[] = readonly unknown[], R = RoutValues, C = CapValues> {
  readonly desc: MethodDesc;
  readonly layout: MethodLayout;
  /** TS names of rout/inrout values the client returns. */
  readonly routNames: readonly string[];
  /** Params passed positionally (in, inrout, and every dmahandle). */
  readonly argParams: readonly ParamDesc[];
  /** Params with a capacity entry (rout/inrout strings and sequences, rout complex). */
  readonly capParams: readonly ParamDesc[];
  /**
   * `routInto` names rout byte sequences (by TS name) to receive into the given buffers instead
   * of fresh ones: the buffer's length is the capacity sent, and the decoded value is the buffer.
   */
  encodeRequest(args: A, caps: C | undefined, fds?: FdRegistry, routInto?: Readonly<Record<string, Uint8Array>>): StubRequest | number;
  decodeResponse(req: StubRequest): R;
  decodeRequest(sc: number, pra: readonly RemoteArg[], fds?: FdRegistry): SkelRequest | number;
  encodeResponse(req: SkelRequest, routs: Readonly<Record<string, unknown>> | undefined): void;
}

const planCache = new WeakMap<MethodDesc, MethodPlan>();

/** The plan of a method, compiled on first use and cached with the descriptor. */
export function planFor<A extends readonly unknown[] = readonly unknown[], R = RoutValues, C = CapValues>(desc: MethodDesc): MethodPlan<A, R, C> {
  let plan = planCache.get(desc);
  if (!plan) {
    plan = compile(desc);
    planCache.set(desc, plan);
  }
  // The descriptor decides what the plan reads and returns; the caller's types name that shape.
  return plan as MethodPlan<A, R, C>;
}

/** The plan of method `index` of an interface (generated clients build their plans this way). */
export function planAt<A extends readonly unknown[] = readonly unknown[], R = RoutValues, C = CapValues>(
  iface: InterfaceDesc,
  index: number,
): MethodPlan<A, R, C> {
  const m = iface.methods.find((x) => x.index === index);
  if (m === undefined) throw new RangeError(`${iface.name} has no method ${index}`);
  return planFor<A, R, C>(m);
}

function kindOf(p: ParamDesc): Kind {
  const t = p.t;
  if (t.k === 'd' || t.k === 'h') return 'handle';
  if (isComplexType(t)) return p.mode === 'in' ? 'complexIn' : 'complexRout';
  if (t.k === 's' || t.k === 'q') return p.mode === 'in' ? 'bufIn' : p.mode === 'rout' ? 'bufRout' : 'bufInrout';
  return 'value';
}

function compile(desc: MethodDesc): MethodPlan {
  const layout = layoutMethod(desc);
  const { args: argParams, caps: capParams, routs } = signatureOf(desc);
  const routNames = routs.map((p) => p.ts);
  const ops: ParamOp[] = layout.params.map((pl) => {
    const p = pl.param;
    const kind = kindOf(p);
    return {
      p, kind, c: codecFor(p.t), isIn: p.mode !== 'rout', isRout: p.mode !== 'in', argIdx: argParams.indexOf(p),
      pi: pl.primIn[0]?.offset ?? 0,
      pr: pl.primROut[0]?.offset ?? 0,
      es: p.t.k === 's' ? (p.t.w ? 2 : 1) : p.t.k === 'q' ? codecFor(p.t.e).v.in.size : 0,
    };
  });
  const piSent = layout.primIn.sizeSent;
  const prSent = layout.primROut.sizeSent;
  const hasPI = layout.primIn.size > 0 ? 1 : 0;
  const hasPR = layout.primROut.size > 0 ? 1 : 0;
  const dynamic = layout.dynamic;
  const escaped = layout.escaped;
  const index = layout.index;
  const staticSc = layout.scalars;
  const emptyDv: Uint8Array = new Uint8Array(0);
  const { inBuffers, outBuffers, inHandles, outHandles } = layout;
  const isOpen = desc.params.length === 2 && desc.params[1]?.t.k === 'h' && desc.params[1].mode === 'rout';

  // Methods whose parameters all travel inline in primIn/primROut need no buffer lists.
  const allValues = ops.every((op) => op.kind === 'value');
  const inValueOps = ops.filter((op) => op.isIn);
  const inValueIdx = inValueOps.map((op) => ops.indexOf(op));
  const routValueOps = ops.filter((op) => op.isRout);
  const noState: unknown[] = [];
  const noCtx = undefined as unknown as StubCtx;
  const jit: InlineCodec | undefined =
    allValues && ops.every((op) => op.p.t.k === 'p')
      ? compileInline(
          ops.map((op) => ({ ts: op.p.ts, mode: op.p.mode, prim: (op.p.t as { p: PrimCode }).p, pi: op.pi, pr: op.pr, argIdx: op.argIdx })),
          argParams.length,
        )
      : undefined;

  // One primIn/primROut pair is recycled between calls of an inline method: the buffers
  // are only valid until the invocation completes (as with FastRPC itself), and a pair
  // in use by a pending call is never handed out twice.
  let spare: [Uint8Array | undefined, Uint8Array | undefined] | undefined;

  function encodeInline(args: readonly unknown[]): StubRequest {
    let primIn: Uint8Array | undefined;
    let primROut: Uint8Array | undefined;
    if (spare !== undefined) {
      [primIn, primROut] = spare;
      spare = undefined;
      primROut?.fill(0);
    } else {
      primIn = hasPI ? new Uint8Array(piSent) : undefined;
      primROut = hasPR ? new Uint8Array(prSent) : undefined;
    }
    if (primIn) {
      if (escaped) w32(primIn, 0, index);
      if (jit) jit.encodeArgs(args, primIn);
      else for (let i = 0; i < inValueOps.length; i++) {
        const op = inValueOps[i]!;
        op.c.wIn(primIn, op.pi, args[op.argIdx], noCtx);
      }
    }
    const out: RemoteArg[] = primIn ? (primROut ? [primIn, primROut] : [primIn]) : primROut ? [primROut] : [];
    return { sc: staticSc, args: out, state: noState, primROut };
  }

  function decodeInline(req: StubRequest): Record<string, unknown> {
    const dpr = req.primROut ?? emptyDv;
    let routs: Record<string, unknown>;
    if (jit) routs = jit.decodeRouts(dpr);
    else {
      routs = {};
      for (let i = 0; i < routValueOps.length; i++) {
        const op = routValueOps[i]!;
        setOwn(routs, op.p.ts, op.c.rRout(dpr, op.pr, undefined));
      }
    }
    if (req.state === noState) spare = [hasPI ? (req.args[0] as Uint8Array) : undefined, req.primROut];
    return routs;
  }

  function encodeRequest(
    args: readonly unknown[],
    caps: Readonly<Record<string, unknown>> | undefined,
    fds?: FdRegistry,
    routInto?: Readonly<Record<string, Uint8Array>>,
  ): StubRequest | number {
    if (allValues) return encodeInline(args);
    const primIn = hasPI ? new Uint8Array(piSent) : undefined;
    const primROut = hasPR ? new Uint8Array(prSent) : undefined;
    const din = primIn ? primIn : emptyDv;
    if (escaped) w32(din, 0, index);
    const c = new StubCtx(fds);
    const state: unknown[] = new Array(ops.length);
    const cp = caps ?? {};
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      const val = op.argIdx >= 0 ? args[op.argIdx] : undefined;
      switch (op.kind) {
        case 'value':
          if (op.isIn) op.c.wIn(din, op.pi, val, c);
          if (op.p.mode === 'inrout') state[i] = val;
          break;
        case 'bufIn':
        case 'complexIn':
          op.c.wIn(din, op.pi, val, c);
          break;
        case 'bufRout':
        case 'complexRout': {
          const into = routInto !== undefined && op.c.wRpiInto !== undefined ? routInto[op.p.ts] : undefined;
          state[i] = into !== undefined ? op.c.wRpiInto!(din, op.pi, into, c) : op.c.wRpi(din, op.pi, getMember(cp, op.p.ts), c);
          break;
        }
        case 'bufInrout': {
          op.c.wIn(din, op.pi, val, c);
          const len = rU32(din, op.pi);
          const cap = op.p.t.k === 'q' ? len : Number(getMember(cp, op.p.ts) ?? 0) >>> 0;
          state[i] = op.c.wRpi(din, op.pi + 4, cap, c);
          break;
        }
        case 'handle':
          if (op.p.t.k === 'd') {
            const h = val as DmaHandle;
            fds?.register(h.fd, h.len);
            (op.isIn ? c.inH : c.outH).push({ fd: h.fd, offset: h.offset });
          } else if (op.isIn) op.c.wIn(din, 0, val, c);
          else c.outH.push({ fd: 0, offset: 0, h64: 0n });
          break;
      }
    }
    let sc = staticSc;
    if (dynamic) {
      // qaic stubs refuse 255+ secondary buffers and more than 15 handles.
      if (c.inList.length >= 255 || c.outList.length >= 255) return Aee.EUNSUPPORTED;
      if (c.inH.length > 15 || c.outH.length > 15) return Aee.EBADPARM;
      sc = makeScalars(layout.methodField, c.inList.length + hasPI, c.outList.length + hasPR, c.inH.length, c.outH.length);
    }
    const out: RemoteArg[] = [];
    if (primIn) out.push(primIn);
    for (const b of c.inList) out.push(b);
    if (primROut) out.push(primROut);
    for (const b of c.outList) out.push(b);
    for (const h of c.inH) out.push(h);
    for (const h of c.outH) out.push(h);
    return { sc, args: out, state, primROut };
  }

  function decodeResponse(req: StubRequest): Record<string, unknown> {
    if (allValues) return decodeInline(req);
    const dpr = req.primROut ? req.primROut : emptyDv;
    const routs: Record<string, unknown> = {};
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      if (!op.isRout || op.kind === 'handle') {
        if (isOpen && op.kind === 'handle' && op.isRout) {
          const slot = req.args[req.args.length - 1] as HandleSlot;
          setOwn(routs, op.p.ts, slot.h64 ?? 0n);
        }
        continue;
      }
      setOwn(routs, op.p.ts, op.c.rRout(dpr, op.pr, req.state[i]));
    }
    return routs;
  }

  const nArgs = argParams.length;
  const inlineHasInrout = ops.some((op) => op.p.mode === 'inrout');
  const noCaps: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

  function decodeInlineRequest(din: Uint8Array, dpr: Uint8Array | undefined): SkelRequest | number {
    if (jit) {
      try {
        return { args: jit.decodeArgs(din), caps: noCaps, state: noState, primROut: dpr };
      } catch (e) {
        if (e instanceof RangeError) return Aee.EBADPARM;
        throw e;
      }
    }
    const args: unknown[] = new Array(nArgs);
    const state: unknown[] = inlineHasInrout ? new Array(ops.length) : noState;
    try {
      for (let i = 0; i < inValueOps.length; i++) {
        const op = inValueOps[i]!;
        const v = op.c.rIn(din, op.pi, undefined as unknown as SkelCtx);
        args[op.argIdx] = v;
        if (inlineHasInrout) state[inValueIdx[i]!] = v;
      }
    } catch (e) {
      if (e instanceof RangeError) return Aee.EBADPARM;
      throw e;
    }
    return { args, caps: noCaps, state, primROut: dpr };
  }

  function decodeRequest(sc: number, pra: readonly RemoteArg[], fds?: FdRegistry): SkelRequest | number {
    const nIn = (sc >>> 16) & 0xff;
    const nOut = (sc >>> 8) & 0xff;
    const nInH = (sc >>> 4) & 0xf;
    const nOutH = sc & 0xf;
    const vr = layout.variable;
    if (vr.inBufs ? nIn < inBuffers : nIn !== inBuffers) return Aee.EBADPARM;
    if (vr.outBufs ? nOut < outBuffers : nOut !== outBuffers) return Aee.EBADPARM;
    if (vr.inHandles ? nInH < inHandles : nInH !== inHandles) return Aee.EBADPARM;
    if (vr.outHandles ? nOutH < outHandles : nOutH !== outHandles) return Aee.EBADPARM;
    if (pra.length < nIn + nOut + nInH + nOutH) return Aee.EBADPARM;
    let din: Uint8Array = emptyDv;
    if (hasPI) {
      const b = pra[0];
      if (!(b instanceof Uint8Array) || b.length < layout.primIn.size) return Aee.EBADPARM;
      din = b;
    }
    let dpr: Uint8Array | undefined;
    if (hasPR) {
      const b = pra[nIn];
      if (!(b instanceof Uint8Array) || b.length < layout.primROut.size) return Aee.EBADPARM;
      dpr = b;
    }
    if (allValues) return decodeInlineRequest(din, dpr);
    const c = new SkelCtx(pra, sc, hasPI, hasPR, fds);
    const args: unknown[] = [];
    const caps: Record<string, unknown> = {};
    const state: unknown[] = new Array(ops.length);
    try {
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i]!;
        switch (op.kind) {
          case 'value':
            if (op.isIn) {
              const v = op.c.rIn(din, op.pi, c);
              args.push(v);
              state[i] = v;
            }
            break;
          case 'bufIn':
          case 'complexIn':
            args.push(op.c.rIn(din, op.pi, c));
            break;
          case 'bufRout':
          case 'complexRout': {
            const [cap, st] = op.c.rRpi(din, op.pi, c);
            setOwn(caps, op.p.ts, cap);
            state[i] = st;
            break;
          }
          case 'bufInrout': {
            const len = rU32(din, op.pi);
            const v = op.c.rIn(din, op.pi, c);
            const inBuf = c.pra[c.inIdx - 1] as Uint8Array;
            const [cap, st] = op.c.rRpi(din, op.pi + 4, c);
            if ((cap as number) < len) return Aee.EBADPARM;
            const outBuf = (st as { buf: Uint8Array }).buf;
            // qaic copies the input into the rout buffer before the call.
            if (outBuf !== inBuf) outBuf.set(inBuf.subarray(0, len * op.es));
            args.push(v);
            if (op.p.t.k === 's') setOwn(caps, op.p.ts, cap);
            state[i] = st;
            break;
          }
          case 'handle':
            if (op.p.t.k === 'd') args.push(op.isIn ? op.c.rIn(din, 0, c) : resolveDma(c.takeOutH(), c.fds));
            else if (op.isIn) args.push(op.c.rIn(din, 0, c));
            else state[i] = c.takeOutH();
            break;
        }
      }
    } catch (e) {
      if (e instanceof WireReject) return e.code;
      if (e instanceof RangeError) return Aee.EBADPARM;
      throw e;
    }
    return { args, caps, state, primROut: dpr };
  }

  const routValueIdx = routValueOps.map((op) => ops.indexOf(op));
  const emptyRouts: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

  function encodeResponse(req: SkelRequest, routs: Readonly<Record<string, unknown>> | undefined): void {
    const dpr = req.primROut ?? emptyDv;
    const r = routs ?? emptyRouts;
    if (jit) {
      jit.encodeRouts(dpr, r, req.args);
      return;
    }
    if (allValues) {
      for (let i = 0; i < routValueOps.length; i++) {
        const op = routValueOps[i]!;
        const v = getMember(r, op.p.ts);
        op.c.wRout(dpr, op.pr, undefined, v === undefined && op.isIn ? req.state[routValueIdx[i]!] : v);
      }
      return;
    }
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      if (!op.isRout) continue;
      const v = getMember(r, op.p.ts);
      switch (op.kind) {
        case 'value':
          op.c.wRout(dpr, op.pr, undefined, v === undefined && op.isIn ? req.state[i] : v);
          break;
        case 'handle':
          if (op.p.t.k === 'h' && v !== undefined) (req.state[i] as HandleSlot).h64 = BigInt(v as bigint);
          break;
        default:
          op.c.wRout(dpr, op.pr, req.state[i], v);
      }
    }
  }

  return { desc, layout, routNames, argParams, capParams, encodeRequest, decodeResponse, decodeRequest, encodeResponse };
}
