import { QmiDecodeError } from './errors.ts';
import {
  prefixWidth,
  type QmiElementDescriptor,
  type QmiFieldDescriptor,
  type QmiMessageDescriptor,
  type QmiScalarType,
  type QmiValueType,
} from './descriptor.ts';
import { getMember } from '../../wire/own.ts';

const MAX_PAYLOAD = 0xffff;
const utf8 = new TextEncoder();

/** Growable little-endian byte sink. */
class Sink {
  buf = new Uint8Array(64);
  view = new DataView(this.buf.buffer);
  pos = 0;

  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    if (need > MAX_PAYLOAD + 3) throw new QmiDecodeError('BUFFER_TOO_SMALL', `message exceeds ${MAX_PAYLOAD} bytes`);
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}

let scratch = new Sink();

const intRange: Partial<Record<QmiScalarType, readonly [number, number]>> = {
  u8: [0, 0xff],
  i8: [-0x80, 0x7f],
  u16: [0, 0xffff],
  i16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
};

function bad(detail: string, where: string): never {
  throw new QmiDecodeError('PARAMETER_ERROR', detail, undefined, where);
}

function to64(v: unknown, signed: boolean, where: string): bigint {
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
  else bad(`expected a 64-bit integer, got ${typeof v}`, where);
  const ok = signed ? b >= -(1n << 63n) && b < 1n << 63n : b >= 0n && b < 1n << 64n;
  if (!ok) bad(`${b} out of range for ${signed ? 'int64' : 'uint64'}`, where);
  return b;
}

function writeScalar(s: Sink, t: QmiScalarType, v: unknown, where: string): void {
  switch (t) {
    case 'bool':
      if (typeof v !== 'boolean') bad(`expected a boolean, got ${typeof v}`, where);
      s.ensure(1);
      s.buf[s.pos++] = v ? 1 : 0;
      return;
    case 'f32':
    case 'f64':
      if (typeof v !== 'number') bad(`expected a number, got ${typeof v}`, where);
      if (t === 'f32') {
        s.ensure(4);
        s.view.setFloat32(s.pos, v, true);
        s.pos += 4;
      } else {
        s.ensure(8);
        s.view.setFloat64(s.pos, v, true);
        s.pos += 8;
      }
      return;
    case 'u64':
    case 'i64': {
      const b = to64(v, t === 'i64', where);
      s.ensure(8);
      s.view.setBigUint64(s.pos, BigInt.asUintN(64, b), true);
      s.pos += 8;
      return;
    }
    default: {
      const range = intRange[t];
      if (typeof v !== 'number' || !Number.isInteger(v))
        bad(`expected an integer, got ${typeof v === 'number' ? String(v) : typeof v}`, where);
      if (range && (v < range[0] || v > range[1])) bad(`${v} out of range for ${t}`, where);
      if (t === 'u8' || t === 'i8') {
        s.ensure(1);
        s.buf[s.pos++] = v & 0xff;
      } else if (t === 'u16' || t === 'i16') {
        s.ensure(2);
        s.view.setUint16(s.pos, v & 0xffff, true);
        s.pos += 2;
      } else {
        s.ensure(4);
        s.view.setUint32(s.pos, v >>> 0, true);
        s.pos += 4;
      }
    }
  }
}

/** UTF-8 bytes up to the first NUL: C sends strlen() characters and never the NUL. */
function stringBytes(v: unknown, max: number, where: string): Uint8Array {
  if (typeof v !== 'string') bad(`expected a string, got ${typeof v}`, where);
  const nul = v.indexOf('\0');
  const bytes = utf8.encode(nul >= 0 ? v.slice(0, nul) : v);
  if (bytes.length > max) throw new QmiDecodeError('ARRAY_TOO_BIG', `string of ${bytes.length} bytes exceeds max ${max}`, undefined, where);
  return bytes;
}

function writeCount(s: Sink, n: number, width: 1 | 2): void {
  s.ensure(width);
  if (width === 1) s.buf[s.pos++] = n;
  else {
    s.view.setUint16(s.pos, n, true);
    s.pos += 2;
  }
}

function writeType(s: Sink, t: QmiValueType, v: unknown, where: string, topLevel: boolean): void {
  switch (t.kind) {
    case 'scalar':
      writeScalar(s, t.scalar, v, where);
      return;
    case 'string': {
      const bytes = stringBytes(v, t.max, where);
      if (!topLevel) writeCount(s, bytes.length, prefixWidth(t.max));
      s.ensure(bytes.length);
      s.buf.set(bytes, s.pos);
      s.pos += bytes.length;
      return;
    }
    case 'struct': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(`expected an object for struct ${t.name}`, where);
      const o = v as Record<string, unknown>;
      for (const f of t.fields) writeField(s, f, getMember(o, f.key), `${where}.${f.name}`, false);
    }
  }
}

function writeField(s: Sink, f: QmiFieldDescriptor, v: unknown, where: string, topLevel: boolean): void {
  if (v === undefined) bad('missing value', where);
  const a = f.array;
  if (a === undefined) {
    writeType(s, f.type, v, where, topLevel);
    return;
  }
  if (!Array.isArray(v) && !(v instanceof Uint8Array)) bad('expected an array', where);
  const items = v as ArrayLike<unknown>;
  if (a.kind === 'fixed') {
    if (items.length > a.length)
      throw new QmiDecodeError('ARRAY_TOO_BIG', `${items.length} elements for fixed array of ${a.length}`, undefined, where);
    if (items.length < a.length) bad(`${items.length} elements for fixed array of ${a.length}`, where);
  } else {
    if (items.length > a.max) throw new QmiDecodeError('ARRAY_TOO_BIG', `${items.length} elements exceed max ${a.max}`, undefined, where);
    writeCount(s, items.length, a.countWidth);
  }
  for (let i = 0; i < items.length; i++) writeType(s, f.type, items[i], `${where}[${i}]`, false);
}

function writeElement(s: Sink, e: QmiElementDescriptor, v: unknown): void {
  s.ensure(3);
  s.buf[s.pos] = e.tlv;
  const lenAt = s.pos + 1;
  s.pos += 3;
  const start = s.pos;
  writeField(s, e, v, e.name, true);
  const len = s.pos - start;
  if (len > 0xffff) throw new QmiDecodeError('BUFFER_TOO_SMALL', `TLV value of ${len} bytes`, undefined, e.name);
  s.view.setUint16(lenAt, len, true);
}

/**
 * TLV payload (no QMI header) for `values`: elements in declaration order, optional ones
 * only when their value is not undefined.
 */
export function encodeQmiMessage(desc: QmiMessageDescriptor, values: object): Uint8Array {
  if (typeof values !== 'object' || values === null) bad('expected a values object', desc.name);
  const o = values as Record<string, unknown>;
  // Encoding is synchronous and never re-entered, so one scratch buffer serves every call.
  const s = scratch;
  s.pos = 0;
  for (const e of desc.elements) {
    const v = getMember(o, e.key);
    if (v === undefined) {
      if (e.optional) continue;
      bad('mandatory element has no value', e.name);
    }
    writeElement(s, e, v);
  }
  if (s.buf.length > 4096) scratch = new Sink();
  if (s.pos > MAX_PAYLOAD) throw new QmiDecodeError('BUFFER_TOO_SMALL', `payload of ${s.pos} bytes exceeds ${MAX_PAYLOAD}`);
  return s.buf.slice(0, s.pos);
}
