/**
 * Method descriptors: the plain-data (JSON-serialisable) description of a FastRPC
 * method that generated modules embed and the marshaller compiles into plans. The
 * generator builds them from the resolved IDL model; the runtime never sees the model.
 */

/** Primitive wire kinds. `char`/`octet`/`uint8` are u8, `wchar` is u16, enums are i32. */
export type PrimCode = 'i8' | 'u8' | 'bool' | 'i16' | 'u16' | 'i32' | 'u32' | 'f32' | 'i64' | 'u64' | 'f64';

export type TypeDesc =
  | { readonly k: 'p'; readonly p: PrimCode }
  /** string (`w` false) or wstring. */
  | { readonly k: 's'; readonly w: boolean }
  /** sequence; 1-byte element sequences travel as Uint8Array. */
  | { readonly k: 'q'; readonly e: TypeDesc }
  | { readonly k: 'a'; readonly e: TypeDesc; readonly n: number }
  /** struct: members as [IDL name, TS name, type]. */
  | { readonly k: 'r'; readonly name: string; readonly f: readonly (readonly [string, string, TypeDesc])[] }
  | { readonly k: 'd' }
  /** remote_handle64 (only the open/close entries of handle64 interfaces). */
  | { readonly k: 'h' };

export type ParamMode = 'in' | 'rout' | 'inrout';

export interface ParamDesc {
  /** IDL name (JSON values are keyed by it). */
  readonly name: string;
  /** TS name (camelCase). */
  readonly ts: string;
  readonly mode: ParamMode;
  readonly t: TypeDesc;
}

export interface MethodDesc {
  readonly name: string;
  readonly ts: string;
  readonly index: number;
  readonly params: readonly ParamDesc[];
}

export interface InterfaceDesc {
  /** Scoped IDL name (`palette::paint`). */
  readonly name: string;
  readonly cName: string;
  readonly handle64: boolean;
  /** IDL_VERSION when declared: the skel's open compares the URI's `_idlver` with it. */
  readonly idlVersion?: string;
  readonly staticHandle?: number;
  readonly methods: readonly MethodDesc[];
}

export const PRIM_SIZE: Readonly<Record<PrimCode, number>> = {
  i8: 1,
  u8: 1,
  bool: 1,
  i16: 2,
  u16: 2,
  i32: 4,
  u32: 4,
  f32: 4,
  i64: 8,
  u64: 8,
  f64: 8,
};

/** Size and alignment of one wire view of a type. */
export interface View {
  readonly size: number;
  readonly align: number;
}

export interface TypeViews {
  readonly in: View;
  readonly rpi: View;
  readonly rpr: View;
  /** Needs extra buffers or handles (strings, sequences, dmahandles inside). */
  readonly complex: boolean;
}

export const alignUp = (n: number, a: number): number => (a <= 1 ? n : Math.ceil(n / a) * a);

const EMPTY: View = { size: 0, align: 1 };
const cache = new WeakMap<TypeDesc, TypeViews>();

/** The three wire views of a type (spec C.4) and whether it is complex. */
export function typeViews(t: TypeDesc): TypeViews {
  const hit = cache.get(t);
  if (hit) return hit;
  let v: TypeViews;
  switch (t.k) {
    case 'p': {
      const s = PRIM_SIZE[t.p];
      v = { in: { size: s, align: s }, rpi: EMPTY, rpr: { size: s, align: s }, complex: false };
      break;
    }
    case 's':
    case 'q': {
      const w: View = { size: 4, align: 4 };
      const elemComplex = t.k === 'q' && isComplexElem(t.e);
      v = { in: w, rpi: w, rpr: EMPTY, complex: t.k === 's' || elemComplex || t.k === 'q' };
      break;
    }
    case 'a': {
      const e = typeViews(t.e);
      const mul = (x: View): View => (x.size === 0 ? EMPTY : { size: x.size * t.n, align: x.align });
      v = { in: mul(e.in), rpi: mul(e.rpi), rpr: mul(e.rpr), complex: e.complex };
      break;
    }
    case 'r': {
      const members = t.f.map((m) => typeViews(m[2]));
      const lay = (pick: (m: TypeViews) => View): View => structView(members.map(pick)).view;
      v = { in: lay((m) => m.in), rpi: lay((m) => m.rpi), rpr: lay((m) => m.rpr), complex: members.some((m) => m.complex) };
      break;
    }
    case 'd':
    case 'h':
      v = { in: EMPTY, rpi: EMPTY, rpr: EMPTY, complex: true };
      break;
  }
  cache.set(t, v);
  return v;
}

/** A sequence is "simple" (one flat buffer) when its element type is not complex. */
export function isComplexElem(e: TypeDesc): boolean {
  return typeViews(e).complex;
}

/** A sequence/string/struct parameter that needs the nested (depth-first) treatment. */
export function isComplexType(t: TypeDesc): boolean {
  if (t.k === 'q') return isComplexElem(t.e);
  if (t.k === 'r') return typeViews(t).complex;
  return false;
}

/** Lays members out in order in one view; members of size 0 are absent (offset -1). */
export function structView(members: readonly View[]): { view: View; offsets: number[] } {
  let cur = 0;
  let align = 1;
  const offsets: number[] = [];
  for (const m of members) {
    if (m.size === 0) {
      offsets.push(-1);
      continue;
    }
    cur = alignUp(cur, m.align);
    offsets.push(cur);
    cur += m.size;
    if (m.align > align) align = m.align;
  }
  return { view: cur === 0 ? EMPTY : { size: alignUp(cur, align), align }, offsets };
}

/** Element size of a simple sequence's buffer, or char size of a string. */
export function elemSize(t: TypeDesc): number {
  if (t.k === 's') return t.w ? 2 : 1;
  if (t.k === 'q') return typeViews(t.e).in.size;
  throw new Error('not a string or sequence');
}

export function isByteSeq(t: TypeDesc): boolean {
  return t.k === 'q' && t.e.k === 'p' && (t.e.p === 'u8' || t.e.p === 'i8');
}

const prim = (p: PrimCode): TypeDesc => ({ k: 'p', p });
const STRING: TypeDesc = { k: 's', w: false };
const WSTRING: TypeDesc = { k: 's', w: true };
const DMAHANDLE: TypeDesc = { k: 'd' };
const HANDLE64: TypeDesc = { k: 'h' };

/**
 * Descriptor builders, the vocabulary generated modules spell their descriptors in
 * (`t.sequence(t.u8)` rather than `{ k: 'q', e: { k: 'p', p: 'u8' } }`). They return the
 * plain `TypeDesc` objects above; the primitive ones are shared.
 */
export const t = {
  i8: prim('i8'),
  u8: prim('u8'),
  bool: prim('bool'),
  i16: prim('i16'),
  u16: prim('u16'),
  i32: prim('i32'),
  u32: prim('u32'),
  f32: prim('f32'),
  i64: prim('i64'),
  u64: prim('u64'),
  f64: prim('f64'),
  string: STRING,
  wstring: WSTRING,
  dmahandle: DMAHANDLE,
  /** remote_handle64 (open/close of handle64 interfaces only). */
  handle64: HANDLE64,
  sequence: (elem: TypeDesc): TypeDesc => ({ k: 'q', e: elem }),
  array: (elem: TypeDesc, length: number): TypeDesc => ({ k: 'a', e: elem, n: length }),
  /** A struct: its qaic C name and members as [IDL name, TS name, type]. */
  struct: (name: string, fields: readonly (readonly [string, string, TypeDesc])[]): TypeDesc => ({ k: 'r', name, f: fields }),
} as const;
