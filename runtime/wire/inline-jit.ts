/**
 * Straight-line encoders/decoders for methods whose parameters are primitives or structs of
 * primitives, nested to any depth (the common case: apps_mem, listener, remotectl). Built once
 * per method from its descriptor with `new Function`, so a call does fixed-offset byte writes
 * and builds its result objects with one literal shape each instead of looping over parameter
 * and member closures: nesting costs no call per level. Offsets come from the same layout the
 * generic path uses.
 */
import * as B from './bytes.ts';
import { alignUp, typeViews, type ParamMode, type PrimCode, type TypeDesc } from './desc.ts';
import { BAD_VALUE, PRIM_OK } from './value-check.ts';

/**
 * A primitive, a struct whose members are all inline types (offsets within the struct), or a
 * fixed array of an inline type.
 */
export type InlineType =
  | { readonly k: 'p'; readonly prim: PrimCode }
  | { readonly k: 'r'; readonly members: readonly { readonly ts: string; readonly off: number; readonly t: InlineType }[] }
  | { readonly k: 'a'; readonly e: InlineType; readonly n: number; readonly stride: number };

/** Leaves one method's straight-line code may hold; past it the generic loops are as fast. */
export const MAX_INLINE_LEAVES = 256;

function leaves(t: InlineType): number {
  if (t.k === 'p') return 1;
  if (t.k === 'a') return t.n * leaves(t.e);
  return t.members.reduce((n, m) => n + leaves(m.t), 0);
}

/** The inline form of `t`, or undefined when it needs the generic path (buffers, handles, big arrays). */
export function inlineType(t: TypeDesc): InlineType | undefined {
  const it = inlineTypeOf(t);
  return it && leaves(it) <= MAX_INLINE_LEAVES ? it : undefined;
}

function inlineTypeOf(t: TypeDesc): InlineType | undefined {
  if (t.k === 'p') return { k: 'p', prim: t.p };
  if (t.k === 'a') {
    const e = inlineTypeOf(t.e);
    return e && t.n <= MAX_INLINE_LEAVES ? { k: 'a', e, n: t.n, stride: typeViews(t.e).in.size } : undefined;
  }
  if (t.k !== 'r') return undefined;
  const members: { ts: string; off: number; t: InlineType }[] = [];
  let cur = 0;
  for (const [, ts, mt] of t.f) {
    const it = inlineTypeOf(mt);
    if (!it) return undefined;
    const view = typeViews(mt).in;
    cur = alignUp(cur, view.align);
    members.push({ ts, off: cur, t: it });
    cur += view.size;
  }
  return { k: 'r', members };
}

export interface InlineParam {
  readonly ts: string;
  readonly mode: ParamMode;
  readonly t: InlineType;
  /** Offset in primIn (in/inrout) and primROut (rout/inrout). */
  readonly pi: number;
  readonly pr: number;
  /** Index in the positional argument list (in/inrout), else -1. */
  readonly argIdx: number;
}

export interface InlineCodec {
  /** Stub: writes the in values into primIn. */
  encodeArgs(args: readonly unknown[], primIn: Uint8Array): void;
  /** Stub: reads the rout values from primROut. */
  decodeRouts(primROut: Uint8Array): Record<string, unknown>;
  /** Skel: reads the in values (bounds-checked). */
  decodeArgs(primIn: Uint8Array): unknown[];
  /** Skel: writes the rout values (a missing inrout value keeps its input, `args`). */
  encodeRouts(primROut: Uint8Array, routs: Readonly<Record<string, unknown>>, args: readonly unknown[]): void;
}

const WRITE: Readonly<Record<PrimCode, (v: string) => string>> = {
  i8: (v) => `B.w8(p, @, ${v})`,
  u8: (v) => `B.w8(p, @, ${v})`,
  bool: (v) => `B.w8(p, @, ${v} ? 1 : 0)`,
  i16: (v) => `B.w16(p, @, ${v})`,
  u16: (v) => `B.w16(p, @, ${v})`,
  i32: (v) => `B.w32(p, @, ${v})`,
  u32: (v) => `B.w32(p, @, ${v})`,
  f32: (v) => `B.wF32(p, @, ${v})`,
  f64: (v) => `B.wF64(p, @, ${v})`,
  i64: (v) => `B.wI64(p, @, typeof ${v} === 'bigint' ? ${v} : BigInt(${v}))`,
  u64: (v) => `B.wU64(p, @, typeof ${v} === 'bigint' ? ${v} : BigInt(${v}))`,
};
/** The check of value-check.ts's PRIM_OK, inlined: a value that does not fit throws BAD_VALUE. */
const CHECK: Readonly<Record<PrimCode, (v: string) => string>> = {
  i8: (v) => `typeof ${v} === 'number' && (${v} << 24) >> 24 === ${v}`,
  u8: (v) => `typeof ${v} === 'number' && (${v} & 255) === ${v}`,
  bool: (v) => `typeof ${v} === 'boolean'`,
  i16: (v) => `typeof ${v} === 'number' && (${v} << 16) >> 16 === ${v}`,
  u16: (v) => `typeof ${v} === 'number' && (${v} & 65535) === ${v}`,
  i32: (v) => `typeof ${v} === 'number' && (${v} | 0) === ${v}`,
  u32: (v) => `typeof ${v} === 'number' && ${v} >>> 0 === ${v}`,
  f32: (v) => `typeof ${v} === 'number'`,
  f64: (v) => `typeof ${v} === 'number'`,
  i64: (v) => `(typeof ${v} === 'bigint' ? BigInt.asIntN(64, ${v}) === ${v} : typeof ${v} === 'number' && Number.isSafeInteger(${v}))`,
  u64: (v) =>
    `(typeof ${v} === 'bigint' ? BigInt.asUintN(64, ${v}) === ${v} : typeof ${v} === 'number' && Number.isSafeInteger(${v}) && ${v} >= 0)`,
};
const checked = (prim: PrimCode, v: string, off: number): string => `if (!(${CHECK[prim](v)})) throw BAD;\n${at(WRITE[prim](v), off)};`;
const READ: Readonly<Record<PrimCode, string>> = {
  i8: 'B.rI8(p, @)',
  u8: 'B.rU8(p, @)',
  bool: 'B.rU8(p, @) !== 0',
  i16: 'B.rI16(p, @)',
  u16: 'B.rU16(p, @)',
  i32: 'B.rI32(p, @)',
  u32: 'B.rU32(p, @)',
  f32: 'B.rF32(p, @)',
  f64: 'B.rF64(p, @)',
  i64: 'B.rI64(p, @)',
  u64: 'B.rU64(p, @)',
};

const at = (code: string, off: number): string => code.replace('@', String(off));

const key = (s: string): string => JSON.stringify(s);
// In an object literal even a quoted "__proto__" sets the prototype; a computed key defines it.
const literalKey = (s: string): string => (s === '__proto__' ? `[${key(s)}]` : key(s));
/** An own member of `o` (a `__proto__` member only when it is an own property). */
const member = (o: string, ts: string): string =>
  ts === '__proto__' ? `(Object.hasOwn(${o}, ${key(ts)}) ? ${o}[${key(ts)}] : undefined)` : `${o}[${key(ts)}]`;

/** An expression reading a value of type `t` at byte `off`. */
function readExpr(t: InlineType, off: number): string {
  if (t.k === 'p') return at(READ[t.prim], off);
  if (t.k === 'a') return `[${Array.from({ length: t.n }, (_, i) => readExpr(t.e, off + i * t.stride)).join(', ')}]`;
  return `{${t.members.map((m) => `${literalKey(m.ts)}: ${readExpr(m.t, off + m.off)}`).join(', ')}}`;
}

/** Statements checking and writing the value in variable `v` of type `t` at byte `off`. */
function writeStmts(t: InlineType, v: string, off: number, names: { n: number }): string {
  if (t.k === 'p') return checked(t.prim, v, off);
  if (t.k === 'a') {
    const lines = [`if (!Array.isArray(${v}) || ${v}.length !== ${t.n}) throw BAD;`];
    for (let i = 0; i < t.n; i++) {
      const ev = `m${names.n++}`;
      lines.push(`const ${ev} = ${v}[${i}];`, writeStmts(t.e, ev, off + i * t.stride, names));
    }
    return lines.join('\n');
  }
  const lines = [`if (${v} === null || typeof ${v} !== 'object') throw BAD;`];
  for (const m of t.members) {
    const mv = `m${names.n++}`;
    lines.push(`const ${mv} = ${member(v, m.ts)};`, writeStmts(m.t, mv, off + m.off, names));
  }
  return lines.join('\n');
}

export function compileInline(params: readonly InlineParam[], nArgs: number): InlineCodec {
  const ins = params.filter((p) => p.mode !== 'rout');
  const routs = params.filter((p) => p.mode !== 'in');
  const names = { n: 0 };
  const encodeArgs = ins.map((p, i) => `const x${i} = a[${p.argIdx}];\n${writeStmts(p.t, `x${i}`, p.pi, names)}`).join('\n');
  const decodeRouts = `return {${routs.map((p) => `${literalKey(p.ts)}: ${readExpr(p.t, p.pr)}`).join(', ')}};`;
  const argSlots = Array.from({ length: nArgs }, (_, i) => {
    const p = ins.find((x) => x.argIdx === i);
    return p ? readExpr(p.t, p.pi) : 'undefined';
  });
  const decodeArgs = `return [${argSlots.join(', ')}];`;
  // A missing rout value is refused; a missing inrout value keeps its input.
  const encodeRouts = routs
    .map((p, i) => {
      const read = member('r', p.ts);
      const value =
        p.mode === 'inrout'
          ? `const r${i} = ${read};\nconst v${i} = r${i} === undefined ? a[${p.argIdx}] : r${i};`
          : `const v${i} = ${read};`;
      return `${value}\n${writeStmts(p.t, `v${i}`, p.pr, names)}`;
    })
    .join('\n');
  const make = <T>(args: string, body: string): T =>
    new Function('B', 'BAD', 'OK', `'use strict'; return function (${args}) {\n${body}\n};`)(B, BAD_VALUE, PRIM_OK) as T;
  return {
    encodeArgs: make('a, p', encodeArgs),
    decodeRouts: make('p', decodeRouts),
    decodeArgs: make('p', decodeArgs),
    encodeRouts: make('p, r, a', encodeRouts),
  };
}
