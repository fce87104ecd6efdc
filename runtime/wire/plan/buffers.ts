/**
 * Plans of methods with buffers or handles: strings, sequences, complex structs, dmahandles,
 * remote_handle64. The stub encodes depth-first into primIn and the buffer lists; the skel walks
 * the received remote_arg list as qaic's C skel does, validating as it goes.
 */
import { Aee } from '../aee-codes.ts';
import { rU32, w32 } from '../bytes.ts';
import { checkedDma, resolveDma, SkelCtx, StubCtx, WireReject } from '../codec.ts';
import { BAD_VALUE, BadValueSignal, PRIM_OK } from '../value-check.ts';
import { getMember, setOwn } from '../own.ts';
import type { FdRegistry, HandleSlot, RemoteArg } from '../remote-arg.ts';
import { makeScalars } from '../scalars.ts';
import { checkSkelRequest, PlanBase, type ParamOp, type PlanShape } from './ops.ts';
import type { MethodPlan, SkelRequest, StubRequest } from './types.ts';

const EMPTY = new Uint8Array(0);
const invalidValue = (): never => {
  throw BAD_VALUE;
};
const NO_ROUTS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/** Where a stub writes one call: primIn and the lists the codecs push onto. */
interface StubWrite {
  readonly din: Uint8Array;
  readonly c: StubCtx;
  readonly caps: Readonly<Record<string, unknown>>;
  readonly routInto: Readonly<Record<string, Uint8Array>> | undefined;
  readonly fds: FdRegistry | undefined;
}

/** Where a skel reads one call from. */
interface SkelRead {
  readonly din: Uint8Array;
  readonly c: SkelCtx;
  readonly args: unknown[];
  readonly caps: Record<string, unknown>;
}

export class BufferPlan extends PlanBase implements MethodPlan {
  /** `open` of a remote_handle64 interface: its rout handle comes back in the last slot. */
  private readonly isOpen: boolean;

  constructor(shape: PlanShape) {
    super(shape);
    const params = shape.layout.method.params;
    this.isOpen = params.length === 2 && params[1]?.t.k === 'h' && params[1].mode === 'rout';
  }

  encodeRequest(
    args: readonly unknown[],
    caps: Readonly<Record<string, unknown>> | undefined,
    fds?: FdRegistry,
    routInto?: Readonly<Record<string, Uint8Array>>,
  ): StubRequest | number {
    const { layout, ops, hasPI, hasPR } = this.shape;
    const primIn = hasPI ? new Uint8Array(layout.primIn.sizeSent) : undefined;
    const primROut = hasPR ? new Uint8Array(layout.primROut.sizeSent) : undefined;
    const w: StubWrite = { din: primIn ?? EMPTY, c: new StubCtx(fds), caps: caps ?? NO_ROUTS, routInto, fds };
    if (layout.escaped) w32(w.din, 0, layout.index);
    const state: unknown[] = new Array(ops.length);
    try {
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i] as ParamOp;
        state[i] = this.writeOp(op, op.argIdx >= 0 ? args[op.argIdx] : undefined, w);
      }
    } catch (e) {
      if (e instanceof BadValueSignal) throw this.invalidArgument(args, caps);
      throw e;
    }
    const sc = this.scalarsFor(w.c);
    if ('refused' in sc) return sc.refused;
    const out: RemoteArg[] = [];
    if (primIn) out.push(primIn);
    for (const b of w.c.inList) out.push(b);
    if (primROut) out.push(primROut);
    for (const b of w.c.outList) out.push(b);
    for (const h of w.c.inH) out.push(h);
    for (const h of w.c.outH) out.push(h);
    return { sc: sc.sc, args: out, state, primROut };
  }

  /** The scalars word of a call, or the AEE status qaic's stub refuses it with. */
  private scalarsFor(c: StubCtx): { sc: number } | { refused: number } {
    const { layout, hasPI, hasPR } = this.shape;
    if (!layout.dynamic) return { sc: layout.scalars };
    // qaic stubs refuse 255+ secondary buffers and more than 15 handles.
    if (c.inList.length >= 255 || c.outList.length >= 255) return { refused: Aee.EUNSUPPORTED };
    if (c.inH.length > 15 || c.outH.length > 15) return { refused: Aee.EBADPARM };
    return { sc: makeScalars(layout.methodField, c.inList.length + hasPI, c.outList.length + hasPR, c.inH.length, c.outH.length) };
  }

  /** Writes one parameter; returns its rout state. */
  private writeOp(op: ParamOp, val: unknown, w: StubWrite): unknown {
    const { din, c } = w;
    switch (op.kind) {
      case 'value':
        if (op.isIn) op.c.wIn(din, op.pi, val, c);
        return op.p.mode === 'inrout' ? val : undefined;
      case 'bufIn':
      case 'complexIn':
        op.c.wIn(din, op.pi, val, c);
        return undefined;
      case 'bufRout':
      case 'complexRout': {
        const into = w.routInto !== undefined && op.c.wRpiInto !== undefined ? w.routInto[op.p.ts] : undefined;
        return into !== undefined && op.c.wRpiInto
          ? op.c.wRpiInto(din, op.pi, into, c)
          : op.c.wRpi(din, op.pi, getMember(w.caps, op.p.ts), c);
      }
      case 'bufInrout': {
        op.c.wIn(din, op.pi, val, c);
        const len = rU32(din, op.pi);
        // An inrout sequence's capacity is its input length; a string's is in caps.
        const cap = op.p.t.k === 'q' ? len : Number(getMember(w.caps, op.p.ts) ?? 0) >>> 0;
        return op.c.wRpi(din, op.pi + 4, cap, c);
      }
      case 'handle':
        this.writeHandle(op, val, w);
        return undefined;
    }
  }

  private writeHandle(op: ParamOp, val: unknown, w: StubWrite): void {
    if (op.p.t.k === 'd') {
      const h = checkedDma(val);
      w.fds?.register(h.fd, h.len);
      (op.isIn ? w.c.inH : w.c.outH).push({ fd: h.fd, offset: h.offset });
    } else if (op.isIn) op.c.wIn(w.din, 0, val, w.c);
    else w.c.outH.push({ fd: 0, offset: 0, h64: 0n });
  }

  decodeResponse(req: StubRequest): Record<string, unknown> {
    const { ops } = this.shape;
    const dpr = req.primROut ?? EMPTY;
    const routs: Record<string, unknown> = {};
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as ParamOp;
      if (!op.isRout) continue;
      if (op.kind !== 'handle') setOwn(routs, op.p.ts, op.c.rRout(dpr, op.pr, req.state[i]));
      else if (this.isOpen) setOwn(routs, op.p.ts, (req.args[req.args.length - 1] as HandleSlot).h64 ?? 0n);
    }
    return routs;
  }

  decodeRequest(sc: number, pra: readonly RemoteArg[], fds?: FdRegistry): SkelRequest | number {
    const { ops, hasPI, hasPR } = this.shape;
    const checked = checkSkelRequest(this.shape, sc, pra);
    if (typeof checked === 'number') {
      this.lastReject = 'the scalars word or the primIn/primROut buffers do not match the method';
      return checked;
    }
    // qaic's skel finds the handles after all buffers the scalars count when the method has a
    // dmahandle parameter or out buffers counted at run time, else right after the in buffers
    // and the out buffers the method declares: an extra out buffer is then read as a handle (and
    // refused). The declared count is the same for every call a qaic stub makes to such a method
    // whose only out buffer is its primROut; for one with other out buffers qaic's skel misreads
    // honest calls, we do not.
    const { directHandle, outCountedAtRunTime, outBuffers } = this.shape.layout;
    const declaredOut = directHandle || outCountedAtRunTime ? undefined : outBuffers;
    const r: SkelRead = { din: checked.din ?? EMPTY, c: new SkelCtx(pra, sc, hasPI, hasPR, fds, declaredOut), args: [], caps: {} };
    const state: unknown[] = new Array(ops.length);
    try {
      for (let i = 0; i < ops.length; i++) {
        const st = this.readOp(ops[i] as ParamOp, r);
        if (typeof st === 'number') {
          this.lastReject = 'an inrout capacity is smaller than its input';
          return st;
        }
        state[i] = st.state;
      }
    } catch (e) {
      if (e instanceof WireReject) {
        this.lastReject = e.message;
        return e.code;
      }
      if (e instanceof RangeError) {
        this.lastReject = 'a buffer is shorter than what it must hold';
        return Aee.EBADPARM;
      }
      throw e;
    }
    return { args: r.args, caps: r.caps, state, primROut: checked.dpr };
  }

  /** Reads one parameter as the skel receives it; its rout state, or an AEE status to answer. */
  private readOp(op: ParamOp, r: SkelRead): { state: unknown } | number {
    const { din, c, args, caps } = r;
    switch (op.kind) {
      case 'value': {
        if (!op.isIn) return { state: undefined };
        const v = op.c.rIn(din, op.pi, c);
        args.push(v);
        return { state: v };
      }
      case 'bufIn':
      case 'complexIn':
        args.push(op.c.rIn(din, op.pi, c));
        return { state: undefined };
      case 'bufRout':
      case 'complexRout': {
        const [cap, st] = op.c.rRpi(din, op.pi, c);
        setOwn(caps, op.p.ts, cap);
        return { state: st };
      }
      case 'bufInrout':
        return this.readInrout(op, r);
      case 'handle':
        if (op.p.t.k === 'd') args.push(op.isIn ? op.c.rIn(din, 0, c) : resolveDma(c.takeOutH(), c.fds));
        else if (op.isIn) args.push(op.c.rIn(din, 0, c));
        else return { state: c.takeOutH() };
        return { state: undefined };
    }
  }

  /** An inrout string or sequence: qaic copies the input into the rout buffer before the call. */
  private readInrout(op: ParamOp, r: SkelRead): { state: unknown } | number {
    const { din, c } = r;
    const len = rU32(din, op.pi);
    const v = op.c.rIn(din, op.pi, c);
    const inBuf = c.pra[c.inIdx - 1] as Uint8Array;
    const [cap, st] = op.c.rRpi(din, op.pi + 4, c);
    if ((cap as number) < len) return Aee.EBADPARM;
    const outBuf = (st as { buf: Uint8Array }).buf;
    if (outBuf !== inBuf) outBuf.set(inBuf.subarray(0, len * op.es));
    r.args.push(v);
    if (op.p.t.k === 's') setOwn(r.caps, op.p.ts, cap);
    return { state: st };
  }

  encodeResponse(req: SkelRequest, routs: Readonly<Record<string, unknown>> | undefined): void {
    const r = routs ?? NO_ROUTS;
    try {
      this.writeRouts(req, r);
    } catch (e) {
      if (e instanceof BadValueSignal) throw this.invalidRout(r);
      throw e;
    }
  }

  private writeRouts(req: SkelRequest, r: Readonly<Record<string, unknown>>): void {
    const { ops } = this.shape;
    const dpr = req.primROut ?? EMPTY;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as ParamOp;
      if (!op.isRout) continue;
      const v = getMember(r, op.p.ts);
      if (op.kind === 'handle') {
        if (op.p.t.k === 'h') (req.state[i] as HandleSlot).h64 = PRIM_OK.u64(v) ? BigInt(v as bigint) : invalidValue();
        continue;
      }
      // A missing inrout value keeps its input; a missing rout value is an error.
      if (v === undefined) {
        if (!op.isIn) invalidValue();
        if (op.kind === 'value') op.c.wRout(dpr, op.pr, undefined, req.state[i]);
        continue;
      }
      op.c.wRout(dpr, op.pr, op.kind === 'value' ? undefined : req.state[i], v);
    }
  }
}
