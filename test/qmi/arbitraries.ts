/**
 * fast-check arbitraries driven by QMI descriptors: typed values for any message, and
 * valid-then-mutated TLV byte strings. Shared by the bounded property tests and the
 * long fuzz runs (test/fuzz/qmi-decoders.ts).
 */
import fc from 'fast-check';
import {
  encodeQmiMessage,
  type QmiElementDescriptor,
  type QmiFieldDescriptor,
  type QmiMessageDescriptor,
  type QmiScalarType,
  type QmiValueType,
} from '../../runtime/qmi/codec/index.ts';

const utf8 = new TextEncoder();

function scalar(s: QmiScalarType): fc.Arbitrary<unknown> {
  switch (s) {
    case 'bool':
      return fc.boolean();
    case 'u8':
      return fc.integer({ min: 0, max: 0xff });
    case 'i8':
      return fc.integer({ min: -0x80, max: 0x7f });
    case 'u16':
      return fc.integer({ min: 0, max: 0xffff });
    case 'i16':
      return fc.integer({ min: -0x8000, max: 0x7fff });
    case 'u32':
      return fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xffffffff));
    case 'i32':
      return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case 'u64':
      return fc.oneof(
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.constantFrom(0n, 1n, (1n << 32n) - 1n, 1n << 32n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n),
      );
    case 'i64':
      return fc.oneof(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.constantFrom(-(1n << 63n), -1n, 0n, (1n << 63n) - 1n));
    case 'f32':
      return fc.float();
    case 'f64':
      return fc.double();
  }
}

/** Strings whose UTF-8 form fits `max` bytes, without NUL (C stops at the first one). */
function boundedString(max: number): fc.Arbitrary<string> {
  const clip = (s: string): string => {
    let out = s.replace(/\0/g, '');
    while (utf8.encode(out).length > max) out = Array.from(out).slice(0, -1).join('');
    return out;
  };
  return fc.oneof(
    fc.string({ maxLength: Math.min(max, 40) }).map(clip),
    fc.string({ unit: 'binary', maxLength: Math.min(max, 40) }).map(clip),
    fc.constant(''),
    fc.constant('A'.repeat(max)),
    fc.constant('é'.repeat(Math.floor(max / 2))),
  );
}

function typeArb(t: QmiValueType): fc.Arbitrary<unknown> {
  switch (t.kind) {
    case 'scalar':
      return scalar(t.scalar);
    case 'string':
      return boundedString(t.max);
    case 'struct':
      return fieldsArb(t.fields, []);
  }
}

function fieldArb(f: QmiFieldDescriptor): fc.Arbitrary<unknown> {
  const one = typeArb(f.type);
  const a = f.array;
  if (a === undefined) return one;
  if (a.kind === 'fixed') return fc.array(one, { minLength: a.length, maxLength: a.length });
  const small = fc.array(one, { maxLength: Math.min(a.max, 8) });
  return a.max <= 64 ? fc.oneof(small, fc.array(one, { minLength: a.max, maxLength: a.max })) : small;
}

function fieldsArb(fields: readonly QmiFieldDescriptor[], optional: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of fields) model[f.key] = fieldArb(f);
  const requiredKeys = fields.map((f) => f.key).filter((k) => !optional.includes(k));
  return fc.record(model, { requiredKeys }) as fc.Arbitrary<Record<string, unknown>>;
}

/** Typed values of a message: mandatory elements always, optional ones sometimes. */
export function messageValues(d: QmiMessageDescriptor): fc.Arbitrary<Record<string, unknown>> {
  return fieldsArb(
    d.elements,
    d.elements.filter((e: QmiElementDescriptor) => e.optional).map((e) => e.key),
  );
}

type Mutation =
  | { op: 'flip'; at: number; xor: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'duplicate'; at: number; len: number }
  | { op: 'delete'; at: number; len: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 4 }) }),
);

function mutate(b: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let out = b;
  for (const m of ms) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    switch (m.op) {
      case 'flip':
        if (out.length > 0) {
          out = out.slice();
          const i = m.at % out.length;
          out[i] = (out[i] ?? 0) ^ m.xor;
        }
        break;
      case 'truncate':
        out = out.slice(0, at);
        break;
      case 'insert':
        out = Uint8Array.from([...out.subarray(0, at), ...m.bytes, ...out.subarray(at)]);
        break;
      case 'duplicate':
        out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at, at + m.len), ...out.subarray(at)]);
        break;
      case 'delete':
        out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + m.len)]);
        break;
    }
  }
  return out;
}

/** Splits a valid payload into its TLVs (type, length and value bytes each). */
function tlvs(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let pos = 0; pos + 3 <= b.length;) {
    const len = (b[pos + 1] ?? 0) | ((b[pos + 2] ?? 0) << 8);
    out.push(b.subarray(pos, pos + 3 + len));
    pos += 3 + len;
  }
  return out;
}

type Reshape = { op: 'drop' | 'repeat' | 'swap'; at: number; to: number } | { op: 'unknown'; at: number; type: number; value: Uint8Array };

const reshape: fc.Arbitrary<Reshape> = fc.oneof(
  fc.record({ op: fc.constantFrom('drop' as const, 'repeat' as const, 'swap' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({
    op: fc.constant('unknown' as const),
    at: fc.nat(),
    type: fc.integer({ min: 0, max: 255 }),
    value: fc.uint8Array({ maxLength: 6 }),
  }),
);

/** TLV-level edits of a valid payload: reorder, repeat or drop TLVs, add unknown ones. */
function restructure(b: Uint8Array, rs: readonly Reshape[]): Uint8Array {
  const parts = tlvs(b);
  for (const r of rs) {
    const at = parts.length === 0 ? 0 : r.at % parts.length;
    if (r.op === 'unknown') parts.splice(r.at % (parts.length + 1), 0, Uint8Array.from([r.type, r.value.length, 0, ...r.value]));
    else if (parts.length === 0) continue;
    else if (r.op === 'drop') parts.splice(at, 1);
    else if (r.op === 'repeat') parts.splice(at, 0, parts[at] ?? new Uint8Array());
    else {
      const to = r.to % parts.length;
      const a = parts[at];
      const c = parts[to];
      if (a && c) {
        parts[at] = c;
        parts[to] = a;
      }
    }
  }
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

/** Byte strings for a decoder: random bytes, random TLV streams, and mutated valid encodings. */
export function decoderInput(d: QmiMessageDescriptor): fc.Arbitrary<Uint8Array> {
  const tlv = fc
    .tuple(
      fc.oneof(fc.constantFrom(...d.elements.map((e) => e.tlv), 0x01, 0x02, 0x10, 0x11, 0xff), fc.integer({ min: 0, max: 255 })),
      fc.uint8Array({ maxLength: 24 }),
      fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined }),
    )
    .map(([t, v, len]) => Uint8Array.from([t, (len ?? v.length) & 0xff, (len ?? v.length) >> 8, ...v]));
  const tlvStream = fc.array(tlv, { maxLength: 6 }).map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])));
  const mutated = fc
    .tuple(messageValues(d), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([v, ms]) => mutate(encodeQmiMessage(d, v), ms));
  const reshaped = fc
    .tuple(messageValues(d), fc.array(reshape, { minLength: 1, maxLength: 3 }))
    .map(([v, rs]) => restructure(encodeQmiMessage(d, v), rs));
  return fc.oneof(fc.uint8Array({ maxLength: 64 }), tlvStream, mutated, reshaped);
}
