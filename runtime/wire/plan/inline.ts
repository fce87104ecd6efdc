/**
 * Plans of methods whose parameters all travel inline in primIn/primROut (no buffer lists, no
 * handles): the common case of control interfaces. All-primitive methods run straight-line
 * code from inline-jit.ts; the others loop over their parameter codecs. One primIn/primROut
 * pair is recycled between calls.
 */
import { Aee } from '../aee-codes.ts';
import { w32 } from '../bytes.ts';
import type { SkelCtx, StubCtx } from '../codec.ts';
import { compileInline, inlineType, type InlineCodec } from '../inline-jit.ts';
import { getMember, setOwn } from '../own.ts';
import { BadValueSignal } from '../value-check.ts';
import type { RemoteArg } from '../remote-arg.ts';
import { checkSkelRequest, PlanBase, type ParamOp, type PlanShape } from './ops.ts';
import type { MethodPlan, SkelRequest, StubRequest } from './types.ts';

const EMPTY = new Uint8Array(0);
/** The state of a call that carries no rout bookkeeping (and whose buffers may be recycled). */
const NO_STATE: unknown[] = [];
const NO_CAPS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const NO_ROUTS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
// Inline codecs never push buffers or handles, so they are called without a context.
const NO_STUB_CTX = undefined as unknown as StubCtx;
const NO_SKEL_CTX = undefined as unknown as SkelCtx;

export class InlinePlan extends PlanBase implements MethodPlan {
  private readonly jit: InlineCodec | undefined;
  private readonly inOps: readonly ParamOp[];
  private readonly inOpIndex: readonly number[];
  private readonly routOps: readonly ParamOp[];
  private readonly routOpIndex: readonly number[];
  private readonly hasInrout: boolean;
  /** The primIn/primROut pair of the last completed call: buffers are only valid until then. */
  private spare: [Uint8Array | undefined, Uint8Array | undefined] | undefined;
  // Hot-path constants, read once here rather than through the layout on every call.
  private readonly scalars: number;
  private readonly escapedIndex: number | undefined;
  private readonly piSent: number;
  private readonly prSent: number;
  private readonly hasPI: boolean;
  private readonly hasPR: boolean;

  constructor(shape: PlanShape) {
    super(shape);
    const { ops, sig, layout } = shape;
    this.scalars = layout.scalars;
    this.escapedIndex = layout.escaped ? layout.index : undefined;
    this.piSent = layout.primIn.sizeSent;
    this.prSent = layout.primROut.sizeSent;
    this.hasPI = shape.hasPI === 1;
    this.hasPR = shape.hasPR === 1;
    this.inOps = ops.filter((op) => op.isIn);
    this.inOpIndex = this.inOps.map((op) => ops.indexOf(op));
    this.routOps = ops.filter((op) => op.isRout);
    this.routOpIndex = this.routOps.map((op) => ops.indexOf(op));
    this.hasInrout = ops.some((op) => op.p.mode === 'inrout');
    const types = ops.map((op) => inlineType(op.p.t));
    this.jit = types.every((t) => t !== undefined)
      ? compileInline(
          ops.map((op, i) => ({ ts: op.p.ts, mode: op.p.mode, t: types[i]!, pi: op.pi, pr: op.pr, argIdx: op.argIdx })),
          sig.args.length,
        )
      : undefined;
  }

  encodeRequest(args: readonly unknown[]): StubRequest {
    let primIn: Uint8Array | undefined;
    let primROut: Uint8Array | undefined;
    const spare = this.spare;
    if (spare !== undefined) {
      primIn = spare[0];
      primROut = spare[1];
      this.spare = undefined;
      primROut?.fill(0);
    } else {
      primIn = this.hasPI ? new Uint8Array(this.piSent) : undefined;
      primROut = this.hasPR ? new Uint8Array(this.prSent) : undefined;
    }
    if (primIn) {
      if (this.escapedIndex !== undefined) w32(primIn, 0, this.escapedIndex);
      try {
        if (this.jit) this.jit.encodeArgs(args, primIn);
        else for (const op of this.inOps) op.c.wIn(primIn, op.pi, args[op.argIdx], NO_STUB_CTX);
      } catch (e) {
        // The buffers go back for the next call; this one is refused before it is sent.
        this.spare = [primIn, primROut];
        if (e instanceof BadValueSignal) throw this.invalidArgument(args, undefined);
        throw e;
      }
    }
    const out: RemoteArg[] = primIn ? (primROut ? [primIn, primROut] : [primIn]) : primROut ? [primROut] : [];
    return { sc: this.scalars, args: out, state: NO_STATE, primROut };
  }

  decodeResponse(req: StubRequest): Record<string, unknown> {
    const dpr = req.primROut ?? EMPTY;
    let routs: Record<string, unknown>;
    if (this.jit) routs = this.jit.decodeRouts(dpr);
    else {
      routs = {};
      for (const op of this.routOps) setOwn(routs, op.p.ts, op.c.rRout(dpr, op.pr, undefined));
    }
    if (req.state === NO_STATE) this.spare = [this.hasPI ? (req.args[0] as Uint8Array) : undefined, req.primROut];
    return routs;
  }

  decodeRequest(sc: number, pra: readonly RemoteArg[]): SkelRequest | number {
    const checked = checkSkelRequest(this.shape, sc, pra);
    if (typeof checked === 'number') {
      this.lastReject = 'the scalars word or the primIn/primROut buffers do not match the method';
      return checked;
    }
    const din = checked.din ?? EMPTY;
    try {
      if (this.jit) return { args: this.jit.decodeArgs(din), caps: NO_CAPS, state: NO_STATE, primROut: checked.dpr };
      const args: unknown[] = new Array(this.shape.sig.args.length);
      const state: unknown[] = this.hasInrout ? new Array(this.shape.ops.length) : NO_STATE;
      for (let i = 0; i < this.inOps.length; i++) {
        const op = this.inOps[i] as ParamOp;
        const v = op.c.rIn(din, op.pi, NO_SKEL_CTX);
        args[op.argIdx] = v;
        if (this.hasInrout) state[this.inOpIndex[i] as number] = v;
      }
      return { args, caps: NO_CAPS, state, primROut: checked.dpr };
    } catch (e) {
      if (e instanceof RangeError) {
        this.lastReject = 'a buffer is shorter than what it must hold';
        return Aee.EBADPARM;
      }
      throw e;
    }
  }

  encodeResponse(req: SkelRequest, routs: Readonly<Record<string, unknown>> | undefined): void {
    const dpr = req.primROut ?? EMPTY;
    const r = routs ?? NO_ROUTS;
    try {
      if (this.jit) this.jit.encodeRouts(dpr, r, req.args);
      else this.writeRouts(dpr, r, req);
    } catch (e) {
      if (e instanceof BadValueSignal) throw this.invalidRout(r);
      throw e;
    }
  }

  private writeRouts(dpr: Uint8Array, r: Readonly<Record<string, unknown>>, req: SkelRequest): void {
    for (let i = 0; i < this.routOps.length; i++) {
      const op = this.routOps[i] as ParamOp;
      const v = getMember(r, op.p.ts);
      // A missing inrout value keeps its input; a missing rout value is refused by the writer.
      op.c.wRout(dpr, op.pr, undefined, v === undefined && op.isIn ? req.state[this.routOpIndex[i] as number] : v);
    }
  }
}
