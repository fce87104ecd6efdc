/**
 * What a plan does per parameter: its kind (inline value, buffer, complex value, handle), its
 * codec, and where it sits (primIn/primROut offsets, position among the arguments).
 */
import { Aee } from '../aee-codes.ts';
import { codecFor, type Codec } from '../codec.ts';
import { isComplexType, type MethodDesc, type ParamDesc } from '../desc.ts';
import { getMember } from '../own.ts';
import { describeInvalid, InvalidValueError, PRIM_OK, showValue } from '../value-check.ts';
import type { MethodLayout, MethodSignature } from '../method-layout.ts';

export type Kind = 'value' | 'bufIn' | 'bufRout' | 'bufInrout' | 'complexIn' | 'complexRout' | 'handle';

export interface ParamOp {
  readonly p: ParamDesc;
  readonly kind: Kind;
  readonly c: Codec;
  readonly isIn: boolean;
  readonly isRout: boolean;
  /** Offset of the parameter's part in primIn / primROut. */
  readonly pi: number;
  readonly pr: number;
  /** Bytes per element of a string/simple sequence buffer. */
  readonly es: number;
  /** Index into the positional argument list, or -1. */
  readonly argIdx: number;
}

function kindOf(p: ParamDesc): Kind {
  const t = p.t;
  if (t.k === 'd' || t.k === 'h') return 'handle';
  if (isComplexType(t)) return p.mode === 'in' ? 'complexIn' : 'complexRout';
  if (t.k === 's' || t.k === 'q') return p.mode === 'in' ? 'bufIn' : p.mode === 'rout' ? 'bufRout' : 'bufInrout';
  return 'value';
}

export function buildOps(layout: MethodLayout, sig: MethodSignature): ParamOp[] {
  return layout.params.map((pl) => {
    const p = pl.param;
    return {
      p,
      kind: kindOf(p),
      c: codecFor(p.t),
      isIn: p.mode !== 'rout',
      isRout: p.mode !== 'in',
      argIdx: sig.args.indexOf(p),
      pi: pl.primIn[0]?.offset ?? 0,
      pr: pl.primROut[0]?.offset ?? 0,
      es: p.t.k === 's' ? (p.t.w ? 2 : 1) : p.t.k === 'q' ? codecFor(p.t.e).v.in.size : 0,
    };
  });
}

/** The shared, per-method constants both plan kinds read. */
export interface PlanShape {
  readonly layout: MethodLayout;
  readonly sig: MethodSignature;
  readonly ops: readonly ParamOp[];
  readonly hasPI: 0 | 1;
  readonly hasPR: 0 | 1;
}

export function planShape(layout: MethodLayout, sig: MethodSignature): PlanShape {
  return { layout, sig, ops: buildOps(layout, sig), hasPI: layout.primIn.size > 0 ? 1 : 0, hasPR: layout.primROut.size > 0 ? 1 : 0 };
}

/**
 * The skel's first check of a request, as qaic's C skel does it: the counts in `sc` against the
 * method's (exact, or minimums where they vary), the slots present, primIn and primROut big
 * enough. Returns the two buffers, or the AEE status to answer.
 */
export function checkSkelRequest(
  shape: PlanShape,
  sc: number,
  pra: readonly unknown[],
): { din: Uint8Array | undefined; dpr: Uint8Array | undefined } | number {
  const { layout, hasPI, hasPR } = shape;
  const nIn = (sc >>> 16) & 0xff;
  const nOut = (sc >>> 8) & 0xff;
  const nInH = (sc >>> 4) & 0xf;
  const nOutH = sc & 0xf;
  const vr = layout.variable;
  if (vr.inBufs ? nIn < layout.inBuffers : nIn !== layout.inBuffers) return Aee.EBADPARM;
  if (vr.outBufs ? nOut < layout.outBuffers : nOut !== layout.outBuffers) return Aee.EBADPARM;
  if (vr.inHandles ? nInH < layout.inHandles : nInH !== layout.inHandles) return Aee.EBADPARM;
  if (vr.outHandles ? nOutH < layout.outHandles : nOutH !== layout.outHandles) return Aee.EBADPARM;
  if (pra.length < nIn + nOut + nInH + nOutH) return Aee.EBADPARM;
  let din: Uint8Array | undefined;
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
  return { din, dpr };
}

/** The descriptive half of a MethodPlan, shared by both plan kinds. */
export abstract class PlanBase {
  readonly desc: MethodDesc;
  readonly layout: MethodLayout;
  readonly routNames: readonly string[];
  readonly argParams: readonly ParamDesc[];
  readonly capParams: readonly ParamDesc[];

  /** `interface.method` in messages once the interface is known (planAt), else the method. */
  private label: string;
  /** Why the latest refused decodeRequest refused (set only when it refuses). */
  lastReject = '';

  constructor(protected readonly shape: PlanShape) {
    this.desc = shape.layout.method;
    this.layout = shape.layout;
    this.routNames = shape.sig.routs.map((p) => p.ts);
    this.argParams = shape.sig.args;
    this.capParams = shape.sig.caps;
    this.label = this.desc.name;
  }

  /** Names the interface the method belongs to in error messages. */
  nameInterface(iface: string): void {
    this.label = `${iface}.${this.desc.name}`;
  }

  /** The error for arguments or capacities a writer refused: the first that does not fit, with its path. */
  protected invalidArgument(args: readonly unknown[], caps: Readonly<Record<string, unknown>> | undefined): InvalidValueError {
    for (const op of this.shape.ops) {
      if (op.argIdx < 0) continue;
      const why = describeInvalid(op.p.t, args[op.argIdx], op.p.ts);
      if (why !== undefined) return new InvalidValueError(this.label, why, 'argument');
    }
    for (const p of this.capParams) {
      const cap = caps === undefined ? undefined : getMember(caps, p.ts);
      if (p.t.k !== 'r' && cap !== undefined && !PRIM_OK.u32(cap)) {
        return new InvalidValueError(this.label, `caps.${p.ts}: invalid capacity (a uint32): ${showValue(cap)}`, 'argument');
      }
    }
    return new InvalidValueError(this.label, 'a capacity does not fit its IDL type', 'argument');
  }

  /** The error for rout values an implementation returned that a writer refused. */
  protected invalidRout(routs: Readonly<Record<string, unknown>>): InvalidValueError {
    for (const op of this.shape.ops) {
      if (!op.isRout || (op.kind === 'handle' && op.p.t.k === 'd')) continue;
      const v = getMember(routs, op.p.ts);
      if (v === undefined) {
        if (op.isIn) continue;
        return new InvalidValueError(this.label, `${op.p.ts}: missing (every rout value must be returned)`, 'rout');
      }
      const why = describeInvalid(op.p.t, v, op.p.ts, true);
      if (why !== undefined) return new InvalidValueError(this.label, why, 'rout');
    }
    return new InvalidValueError(this.label, 'a rout value does not fit its IDL type', 'rout');
  }
}
