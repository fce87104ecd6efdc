/**
 * Where each parameter of a method goes on the wire (spec B and C): the scalars word,
 * primIn/primROut offsets, buffer and handle indices. Computed once per method from
 * its descriptor; shared by the marshaller, the generator's layout report and the CLI.
 */
import { makeScalars, ESCAPED_METHOD } from './scalars.ts';
import { alignUp, isComplexType, typeViews, type MethodDesc, type ParamDesc, type TypeDesc, type View } from './desc.ts';

export interface PrimBufLayout {
  /** Logical size: what the skel requires. */
  readonly size: number;
  /** Rounded up to the alignment: what the stub sends. */
  readonly sizeSent: number;
  readonly align: number;
}

export type FieldName = 'value' | 'length' | 'capacity' | 'inPart' | 'routPrimInPart' | 'routPrimROutPart' | 'methodIndex';

export interface FieldPlacement {
  readonly field: FieldName;
  readonly offset: number;
  readonly size: number;
}

export interface ParamLayout {
  readonly param: ParamDesc;
  readonly complex: boolean;
  readonly primIn: readonly FieldPlacement[];
  readonly primROut: readonly FieldPlacement[];
  /** Index in the in list (primIn = 0 when present); undefined after a complex parameter. */
  readonly inBuffer?: number;
  readonly outBuffer?: number;
  readonly inHandle?: number;
  readonly outHandle?: number;
}

export interface MethodLayout {
  readonly method: MethodDesc;
  readonly index: number;
  readonly methodField: number;
  readonly escaped: boolean;
  readonly dynamic: boolean;
  /** Scalars word; for dynamic methods the counts are those of empty sequences. */
  readonly scalars: number;
  readonly primIn: PrimBufLayout;
  readonly primROut: PrimBufLayout;
  /** Static counts (including primIn/primROut); minimums for dynamic methods. */
  readonly inBuffers: number;
  readonly outBuffers: number;
  readonly inHandles: number;
  readonly outHandles: number;
  readonly params: readonly ParamLayout[];
  /**
   * Which counts the skel checks as minimums rather than exactly, as qaic's generated skels do:
   * in a dynamic method (one with a complex parameter) both buffer counts, and both handle
   * counts when the method has any dmahandle (a parameter or in a sequence); otherwise exact.
   */
  readonly variable: { readonly inBufs: boolean; readonly outBufs: boolean; readonly inHandles: boolean; readonly outHandles: boolean };
  /**
   * A dmahandle or remote_handle64 parameter (not one inside a sequence). qaic's skel then finds
   * the handles after all in and out buffers the scalars word counts; otherwise after the in
   * buffers and the out buffers the method declares (see the skel plan).
   */
  readonly directHandle: boolean;
  /**
   * A rout parameter holds buffers whose number is known only at run time (a struct with
   * sequences, a sequence of complex elements): qaic's skel then takes the out-buffer count from
   * the scalars word, so handles again come after every counted out buffer.
   */
  readonly outCountedAtRunTime: boolean;
}

class Cursor {
  size = 0;
  align = 1;
  place(v: View): number {
    this.size = alignUp(this.size, v.align);
    const off = this.size;
    this.size += v.size;
    if (v.align > this.align) this.align = v.align;
    return off;
  }
  layout(): PrimBufLayout {
    return { size: this.size, sizeSent: alignUp(this.size, this.align), align: this.align };
  }
}

const U32: View = { size: 4, align: 4 };

/** Buffers/handles a complex value adds with all sequences empty (the fixed part). */
export interface NestedCounts {
  inBufs: number;
  outBufs: number;
  inHandles: number;
  outHandles: number;
}

/** Nested buffers a value adds beyond its primIn/primROut parts, with sequences empty. */
export function staticNested(t: TypeDesc, dir: 'in' | 'rout', acc: NestedCounts, oneElement = false): void {
  switch (t.k) {
    case 's':
      if (dir === 'in') acc.inBufs++;
      else acc.outBufs++;
      return;
    case 'q': {
      const ev = typeViews(t.e);
      if (!ev.complex) {
        if (dir === 'in') acc.inBufs++;
        else acc.outBufs++;
        return;
      }
      if (dir === 'in') {
        if (ev.in.size > 0) acc.inBufs++;
      } else {
        if (ev.rpi.size > 0) acc.inBufs++;
        if (ev.rpr.size > 0) acc.outBufs++;
      }
      if (oneElement) staticNested(t.e, dir, acc, true);
      return;
    }
    case 'r':
      for (const m of t.f) staticNested(m[2], dir, acc, oneElement);
      return;
    case 'a':
      for (let i = 0; i < t.n; i++) staticNested(t.e, dir, acc, oneElement);
      return;
    case 'd':
    case 'h':
      if (dir === 'in') acc.inHandles++;
      else acc.outHandles++;
      return;
    case 'p':
      return;
  }
}

/** A parameter placed so far: its primIn/primROut fields and its indices before adjustment. */
interface Placed {
  readonly param: ParamDesc;
  readonly complex: boolean;
  readonly primIn: FieldPlacement[];
  readonly primROut: FieldPlacement[];
  ib?: number;
  ob?: number;
  ih?: number;
  oh?: number;
}

const field = (c: Cursor, f: FieldName, view: View): FieldPlacement => ({ field: f, offset: c.place(view), size: view.size });
const noCounts = (): NestedCounts => ({ inBufs: 0, outBufs: 0, inHandles: 0, outHandles: 0 });

/** Places a method's parameters in order, as qaic does, counting buffers and handles. */
class LayoutBuilder {
  readonly pi = new Cursor();
  readonly pr = new Cursor();
  nIn = 0;
  nOut = 0;
  nInH = 0;
  nOutH = 0;
  dynamic = false;
  /** Any dmahandle, as a parameter or inside a sequence. */
  anyHandle = false;
  directHandle = false;
  outCountedAtRunTime = false;
  readonly variable = { inBufs: false, outBufs: false, inHandles: false, outHandles: false };
  readonly placed: Placed[] = [];

  constructor(readonly escaped: boolean) {
    if (escaped) this.pi.place(U32);
  }

  place(p: ParamDesc): void {
    const t = p.t;
    const rec: Placed = { param: p, complex: isComplexType(t), primIn: [], primROut: [] };
    if (containsHandle(t)) this.anyHandle = true;
    if (t.k === 'd' || t.k === 'h') {
      this.directHandle = true;
      if (p.mode === 'in') rec.ih = this.nInH++;
      else rec.oh = this.nOutH++;
    } else if (t.k === 's' || (t.k === 'q' && !rec.complex)) this.placeBuffer(p, rec);
    else if (rec.complex) this.placeComplex(p, rec);
    else {
      // prims, enums, simple structs and fixed arrays travel inline.
      const v = typeViews(t);
      if (p.mode !== 'rout' && v.in.size > 0) rec.primIn.push(field(this.pi, 'value', v.in));
      if (p.mode !== 'in' && v.rpr.size > 0) rec.primROut.push(field(this.pr, 'value', v.rpr));
    }
    this.placed.push(rec);
  }

  /** A string or simple sequence: its length (in) and capacity (rout) in primIn, one buffer each way. */
  private placeBuffer(p: ParamDesc, rec: Placed): void {
    if (p.mode !== 'rout') {
      rec.primIn.push(field(this.pi, 'length', U32));
      rec.ib = this.nIn++;
    }
    if (p.mode !== 'in') {
      rec.primIn.push(field(this.pi, 'capacity', U32));
      rec.ob = this.nOut++;
    }
  }

  /** A complex value: its parts in primIn/primROut, its nested buffers counted as with empty sequences. */
  private placeComplex(p: ParamDesc, rec: Placed): void {
    const t = p.t;
    const v = typeViews(t);
    const dir = p.mode === 'in' ? 'in' : 'rout';
    this.dynamic = true;
    if (p.mode !== 'in') this.outCountedAtRunTime = true;
    const acc = noCounts();
    const one = noCounts();
    staticNested(t, dir, one, true);
    staticNested(t, dir, acc);
    if (t.k === 'q') rec.primIn.push(field(this.pi, p.mode === 'in' ? 'length' : 'capacity', U32));
    else if (p.mode === 'in') rec.primIn.push(field(this.pi, 'inPart', v.in));
    else {
      rec.primIn.push(field(this.pi, 'routPrimInPart', v.rpi));
      rec.primROut.push(field(this.pr, 'routPrimROutPart', v.rpr));
    }
    if (one.inBufs !== acc.inBufs) this.variable.inBufs = true;
    if (one.outBufs !== acc.outBufs) this.variable.outBufs = true;
    if (one.inHandles !== acc.inHandles) this.variable.inHandles = true;
    if (one.outHandles !== acc.outHandles) this.variable.outHandles = true;
    this.nIn += acc.inBufs;
    this.nOut += acc.outBufs;
    this.nInH += acc.inHandles;
    this.nOutH += acc.outHandles;
  }

  /** Buffer and handle indices of each parameter; after a complex parameter they depend on the values. */
  paramLayouts(hasPI: number, hasPR: number): ParamLayout[] {
    let seenComplex = false;
    return this.placed.map((r) => {
      const pl: { -readonly [K in keyof ParamLayout]: ParamLayout[K] } = {
        param: r.param,
        complex: r.complex,
        primIn: r.primIn,
        primROut: r.primROut,
      };
      if (!seenComplex) {
        if (r.ib !== undefined) pl.inBuffer = r.ib + hasPI;
        if (r.ob !== undefined) pl.outBuffer = r.ob + hasPR;
        if (r.ih !== undefined) pl.inHandle = r.ih;
        if (r.oh !== undefined) pl.outHandle = r.oh;
      }
      if (r.complex) seenComplex = true;
      return pl;
    });
  }
}

/** Does a value of this type travel (partly) in handle slots? */
function containsHandle(t: TypeDesc): boolean {
  switch (t.k) {
    case 'd':
    case 'h':
      return true;
    case 'q':
    case 'a':
      return containsHandle(t.e);
    case 'r':
      return t.f.some(([, , mt]) => containsHandle(mt));
    default:
      return false;
  }
}

export function layoutMethod(m: MethodDesc): MethodLayout {
  const escaped = m.index >= ESCAPED_METHOD;
  const b = new LayoutBuilder(escaped);
  for (const p of m.params) b.place(p);
  const primIn = b.pi.layout();
  const primROut = b.pr.layout();
  const hasPI = primIn.size > 0 ? 1 : 0;
  const hasPR = primROut.size > 0 ? 1 : 0;
  const inBuffers = b.nIn + hasPI;
  const outBuffers = b.nOut + hasPR;
  const methodField = escaped ? ESCAPED_METHOD : m.index;
  return {
    method: m,
    index: m.index,
    methodField,
    escaped,
    dynamic: b.dynamic,
    scalars: makeScalars(methodField, inBuffers, outBuffers, b.nInH, b.nOutH),
    primIn,
    primROut,
    inBuffers,
    outBuffers,
    inHandles: b.nInH,
    outHandles: b.nOutH,
    params: b.paramLayouts(hasPI, hasPR),
    variable: {
      inBufs: b.dynamic,
      outBufs: b.dynamic,
      inHandles: b.variable.inHandles || (b.dynamic && b.anyHandle),
      outHandles: b.variable.outHandles || (b.dynamic && b.anyHandle),
    },
    directHandle: b.directHandle,
    outCountedAtRunTime: b.outCountedAtRunTime,
  };
}

/** How each parameter appears to TypeScript: the shape of client and implementation methods. */
export interface MethodSignature {
  /** Passed positionally, in IDL order: in and inrout values, and every dmahandle. */
  readonly args: readonly ParamDesc[];
  /**
   * Given a capacity in the `caps` object: rout/inrout strings, rout sequences, and complex
   * rout values (an inrout sequence's capacity is its input length, so it has none).
   */
  readonly caps: readonly ParamDesc[];
  /** Returned by name: rout and inrout values (not handles). */
  readonly routs: readonly ParamDesc[];
}

export function signatureOf(desc: MethodDesc): MethodSignature {
  const args: ParamDesc[] = [];
  const caps: ParamDesc[] = [];
  const routs: ParamDesc[] = [];
  for (const p of desc.params) {
    const t = p.t;
    const handle = t.k === 'd' || t.k === 'h';
    if (p.mode !== 'rout' || t.k === 'd') args.push(p);
    if (p.mode !== 'in' && !handle) {
      routs.push(p);
      const buffer = t.k === 's' || t.k === 'q';
      const complex = isComplexType(t);
      if (complex || (buffer && !(p.mode === 'inrout' && t.k === 'q'))) caps.push(p);
    }
  }
  return { args, caps, routs };
}
