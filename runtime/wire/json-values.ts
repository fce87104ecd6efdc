/**
 * JSON <-> runtime values for FastRPC calls, with the conformance data's conventions:
 * 64-bit integers as decimal strings, 1-byte sequences as hex, dmahandle as
 * {fd, offset, len}, structs keyed by IDL member names, `caps` as capacities.
 * Shared by `dspidl encode/decode` and the conformance tests.
 */
import { isByteSeq, typeViews, type ParamDesc, type TypeDesc } from './desc.ts';
import type { MethodPlan } from './plan.ts';
import { fromHex, toHex } from './hex.ts';
import { getMember, getOwn, setOwn } from './own.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const obj = (j: unknown): Record<string, unknown> =>
  j !== null && typeof j === 'object' && !Array.isArray(j) ? (j as Record<string, unknown>) : {};
const arr = (j: unknown): unknown[] => (Array.isArray(j) ? j : []);

export function valueFromJson(t: TypeDesc, j: unknown): unknown {
  switch (t.k) {
    case 'p':
      if (t.p === 'i64' || t.p === 'u64') return BigInt(j as string | number);
      if (t.p === 'bool') return Boolean(j);
      return Number(j);
    case 's':
      return String(j ?? '');
    case 'q':
      if (isByteSeq(t)) return fromHex(String(j ?? ''));
      return arr(j).map((e) => valueFromJson(t.e, e));
    case 'a':
      return arr(j).map((e) => valueFromJson(t.e, e));
    case 'r': {
      const o = obj(j);
      const out: Record<string, unknown> = {};
      for (const [idl, ts, mt] of t.f) setOwn(out, ts, valueFromJson(mt, getOwn(o, idl)));
      return out;
    }
    case 'd': {
      const o = obj(j);
      return { fd: Number(o['fd']), offset: Number(o['offset'] ?? 0), len: Number(o['len'] ?? 0) };
    }
    case 'h':
      return BigInt(j as string | number);
  }
}

export function valueToJson(t: TypeDesc, v: unknown): Json {
  switch (t.k) {
    case 'p':
      if (typeof v === 'bigint') return v.toString();
      if (t.p === 'bool') return Boolean(v);
      return v as number;
    case 's':
      return v as string;
    case 'q':
      if (isByteSeq(t)) return toHex(v as Uint8Array);
      return (v as unknown[]).map((e) => valueToJson(t.e, e));
    case 'a':
      return (v as unknown[]).map((e) => valueToJson(t.e, e));
    case 'r': {
      const o = obj(v);
      const out: Record<string, Json> = {};
      for (const [idl, ts, mt] of t.f) setOwn(out, idl, valueToJson(mt, getMember(o, ts)));
      return out;
    }
    case 'd': {
      const o = obj(v);
      return { fd: o['fd'] as number, offset: o['offset'] as number, len: o['len'] as number };
    }
    case 'h':
      return String(v);
  }
}

/** Capacities: a number for strings/simple sequences, per-element arrays, member objects. */
export function capsFromJson(t: TypeDesc, j: unknown): unknown {
  if (t.k === 's') return Number(j ?? 0);
  if (t.k === 'q') return typeViews(t.e).complex ? arr(j).map((e) => capsFromJson(t.e, e)) : Number(j ?? 0);
  if (t.k === 'r') {
    const o = obj(j);
    const out: Record<string, unknown> = {};
    for (const [idl, ts, mt] of t.f) if (typeViews(mt).complex && mt.k !== 'd') setOwn(out, ts, capsFromJson(mt, getOwn(o, idl)));
    return out;
  }
  if (t.k === 'a') return arr(j).map((e) => capsFromJson(t.e, e));
  return undefined;
}

export function capsToJson(t: TypeDesc, c: unknown): Json {
  if (t.k === 's') return c as number;
  if (t.k === 'q') return typeViews(t.e).complex ? (c as unknown[]).map((e) => capsToJson(t.e, e)) : (c as number);
  if (t.k === 'r') {
    const o = obj(c);
    const out: Record<string, Json> = {};
    for (const [idl, ts, mt] of t.f) if (Object.hasOwn(o, ts)) setOwn(out, idl, capsToJson(mt, getOwn(o, ts)));
    return out;
  }
  if (t.k === 'a') return (c as unknown[]).map((e) => capsToJson(t.e, e));
  return null;
}

/** `{"args":{...}}` keyed by IDL names -> positional values for the plan. */
export function argsFromJson(plan: MethodPlan, j: unknown): unknown[] {
  const o = obj(j);
  return plan.argParams.map((p) => valueFromJson(p.t, getOwn(o, p.name)));
}

export function argsToJson(plan: MethodPlan, args: readonly unknown[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  plan.argParams.forEach((p, i) => setOwn(out, p.name, valueToJson(p.t, args[i])));
  return out;
}

export function methodCapsFromJson(plan: MethodPlan, j: unknown): Record<string, unknown> {
  const o = obj(j);
  const out: Record<string, unknown> = {};
  for (const p of plan.capParams) setOwn(out, p.ts, capsFromJson(p.t, getOwn(o, p.name)));
  return out;
}

export function methodCapsToJson(plan: MethodPlan, caps: Readonly<Record<string, unknown>>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const p of plan.capParams) if (Object.hasOwn(caps, p.ts)) setOwn(out, p.name, capsToJson(p.t, getOwn(caps, p.ts)));
  return out;
}

function routParams(plan: MethodPlan): ParamDesc[] {
  return plan.desc.params.filter((p) => p.mode !== 'in' && p.t.k !== 'd');
}

/** Rout values by TS name -> JSON keyed by IDL name. Raw rout strings may be `{"hex"}`. */
export function routsToJson(plan: MethodPlan, routs: Readonly<Record<string, unknown>>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const p of routParams(plan)) if (Object.hasOwn(routs, p.ts)) setOwn(out, p.name, valueToJson(p.t, getOwn(routs, p.ts)));
  return out;
}

/** Reverse of routsToJson; `{"hex": ...}` where a string is expected yields raw bytes. */
export function routsFromJson(plan: MethodPlan, j: unknown): Record<string, unknown> {
  const o = obj(j);
  const out: Record<string, unknown> = {};
  for (const p of routParams(plan)) if (Object.hasOwn(o, p.name)) setOwn(out, p.ts, rawAware(p.t, getOwn(o, p.name)));
  return out;
}

function rawAware(t: TypeDesc, j: unknown): unknown {
  const o = obj(j);
  if (typeof o['hex'] === 'string' && Object.keys(o).length === 1 && (t.k === 's' || t.k === 'q')) return fromHex(o['hex']);
  if (t.k === 'r') {
    const out: Record<string, unknown> = {};
    for (const [idl, ts, mt] of t.f) setOwn(out, ts, rawAware(mt, getOwn(o, idl)));
    return out;
  }
  if (t.k === 'q' && !isByteSeq(t) && Array.isArray(j)) return j.map((e) => rawAware(t.e, e));
  return valueFromJson(t, j);
}
