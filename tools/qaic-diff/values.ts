/**
 * Random argument, capacity and rout values for the differential runner, in the JSON
 * conventions of test/conformance/qaic/README.md (64-bit integers as decimal strings, 1-byte
 * sequences as hex, dmahandles as {fd, offset, len}, structs keyed by member name).
 */
import { resolveAlias, type MethodDecl, type PrimKind, type TypeRef } from '../../generator/model/qaic.ts';
import type { Rng } from './random-idl.ts';
import { isComplex } from '../../generator/qaic/resolve.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A sequence whose elements are 1-byte integers travels as hex. */
export function isByteSequence(t: TypeRef): boolean {
  const r = resolveAlias(t);
  if (r.kind !== 'sequence') return false;
  const e = resolveAlias(r.elem);
  return e.kind === 'prim' && (e.prim === 'octet' || e.prim === 'char' || e.prim === 'int8' || e.prim === 'uint8');
}

const F32 = new Float32Array(1);

function primValue(p: PrimKind, r: Rng): Json {
  switch (p) {
    case 'octet':
    case 'char':
    case 'uint8':
      return r.int(256);
    case 'int8':
      return r.int(256) - 128;
    case 'boolean':
      return r.chance(0.5);
    case 'wchar':
    case 'uint16':
      return r.int(65536);
    case 'int16':
      return r.int(65536) - 32768;
    case 'int32':
      return (r.next() | 0) >> r.int(24);
    case 'uint32':
      return r.next() >>> r.int(24);
    case 'int64':
      return (BigInt.asIntN(64, (BigInt(r.next()) << 32n) | BigInt(r.next())) >> BigInt(r.int(40))).toString();
    case 'uint64':
      return (((BigInt(r.next()) << 32n) | BigInt(r.next())) >> BigInt(r.int(40))).toString();
    case 'float': {
      if (r.chance(0.1)) return -0;
      F32[0] = ((r.next() | 0) / 65536) * (r.chance(0.5) ? 1 : 1 / 1024);
      return F32[0]!;
    }
    case 'double':
      if (r.chance(0.1)) return -0;
      return ((r.next() | 0) / 4096) * (r.chance(0.5) ? 1 : 1e-9);
  }
}

const CHARS = ['a', 'b', 'z', ' ', '0', '~', 'é', 'ß', '€', 'ж', '中', '😀'];

function stringValue(r: Rng, max: number): string {
  let s = '';
  const n = r.int(max + 1);
  for (let i = 0; i < n; i++) s += r.pick(CHARS);
  return s;
}

/** UTF-8 bytes (string) or UTF-16 units (wstring), terminator excluded. */
export function stringUnits(s: string, wide: boolean): number {
  return wide ? s.length : new TextEncoder().encode(s).length;
}

function hex(n: number, r: Rng): string {
  let out = '';
  for (let i = 0; i < n; i++) out += r.int(256).toString(16).padStart(2, '0');
  return out;
}

/** A value of `t`; sequences have `length` elements when given, else 0..3. */
export function valueOf(t: TypeRef, r: Rng, length?: number): Json {
  const x = resolveAlias(t);
  switch (x.kind) {
    case 'prim':
      return primValue(x.prim, r);
    case 'enum':
      return r.int(x.decl.enumerators.length);
    case 'string':
      return stringValue(r, 4);
    case 'sequence': {
      const n = length ?? r.int(4);
      if (isByteSequence(x)) return hex(n, r);
      return Array.from({ length: n }, () => valueOf(x.elem, r));
    }
    case 'array':
      return Array.from({ length: x.length }, () => valueOf(x.elem, r));
    case 'struct':
      return Object.fromEntries(x.decl.members.map((m) => [m.name, valueOf(m.type, r)]));
    case 'dmahandle':
      return { fd: 3 + r.int(6), offset: r.int(64), len: 16 + r.int(4096) };
    default:
      throw new Error(`no values for ${x.kind}`);
  }
}

/**
 * The capacities a caller gives for a rout value of `t` that must hold `v`: a string gets room
 * for `v` and its terminator (plus some slack), a sequence exactly `v`'s length.
 */
export function capsFor(t: TypeRef, v: Json, r: Rng): Json | undefined {
  const x = resolveAlias(t);
  switch (x.kind) {
    case 'string':
      return stringUnits(v as string, x.wide) + 1 + r.int(3);
    case 'sequence': {
      const items = isByteSequence(x) ? (v as string).length / 2 : (v as Json[]).length;
      if (!isComplex(x.elem)) return items;
      return (v as Json[]).map((e) => capsFor(x.elem, e, r) ?? null);
    }
    case 'struct': {
      if (!isComplex(x)) return undefined;
      const out: Record<string, Json> = {};
      for (const m of x.decl.members) {
        const c = isComplex(m.type) ? capsFor(m.type, (v as Record<string, Json>)[m.name]!, r) : undefined;
        if (c !== undefined) out[m.name] = c;
      }
      return out;
    }
    default:
      return undefined;
  }
}

export interface CaseValues {
  /** in and inrout values, and every dmahandle, by IDL parameter name. */
  readonly args: Record<string, Json>;
  /** Capacities of rout/inrout strings and sequences and complex rout values. */
  readonly caps: Record<string, Json>;
  /** rout and inrout values the implementation returns. */
  readonly routs: Record<string, Json>;
  /** What the implementation returns (0, or an AEE error). */
  readonly result: number;
}

/** One random call of `m`: arguments, capacities and the implementation's answer, consistent with each other. */
export function caseFor(m: MethodDecl, r: Rng): CaseValues {
  const args: Record<string, Json> = {};
  const caps: Record<string, Json> = {};
  const routs: Record<string, Json> = {};
  for (const p of m.params) {
    const x = resolveAlias(p.type);
    if (p.mode !== 'rout' || x.kind === 'dmahandle') args[p.name] = valueOf(p.type, r);
    if (p.mode === 'in' || x.kind === 'dmahandle') continue;
    // An inrout sequence keeps its length: its capacity is the input's.
    const length = p.mode === 'inrout' && x.kind === 'sequence' ? seqLength(x, args[p.name]!) : undefined;
    const out = valueOf(p.type, r, length);
    routs[p.name] = out;
    if (p.mode === 'inrout' && x.kind === 'sequence') continue;
    let c = capsFor(p.type, out, r);
    if (p.mode === 'inrout' && x.kind === 'string') c = Math.max(c as number, stringUnits(args[p.name] as string, x.wide) + 1);
    if (c !== undefined) caps[p.name] = c;
  }
  return { args, caps, routs, result: r.chance(0.05) ? 14 : 0 };
}

function seqLength(t: TypeRef, v: Json): number {
  return isByteSequence(t) ? (v as string).length / 2 : (v as Json[]).length;
}
