import { QmiDecodeError } from './errors.ts';
import {
  prefixWidth,
  type QmiElementDescriptor,
  type QmiFieldDescriptor,
  type QmiMessageDescriptor,
  type QmiValueType,
} from './descriptor.ts';
import { getOwn, setOwn } from '../../wire/own.ts';

const utf8 = new TextDecoder('utf-8');

/** Cursor over one TLV value; running off its end is a length inconsistency. */
class Cursor {
  constructor(
    readonly bytes: Uint8Array,
    readonly view: DataView,
    public pos: number,
    public end: number,
  ) {}

  need(n: number, where: string): void {
    if (this.end - this.pos < n) {
      throw new QmiDecodeError('LENGTH_INCONSISTENCY', `needs ${n} more bytes, TLV value has ${this.end - this.pos}`, this.pos, where);
    }
  }
}

function readCount(c: Cursor, width: 1 | 2, where: string): number {
  c.need(width, where);
  const n = width === 1 ? (c.bytes[c.pos] ?? 0) : c.view.getUint16(c.pos, true);
  c.pos += width;
  return n;
}

/** C reads a NUL-terminated buffer: text ends at the first NUL byte. */
function text(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return utf8.decode(nul >= 0 ? bytes.subarray(0, nul) : bytes);
}

function readType(c: Cursor, t: QmiValueType, where: string, topLevel: boolean): unknown {
  switch (t.kind) {
    case 'scalar': {
      const p = c.pos;
      switch (t.scalar) {
        case 'bool':
          c.need(1, where);
          c.pos += 1;
          return c.bytes[p] !== 0;
        case 'u8':
          c.need(1, where);
          c.pos += 1;
          return c.bytes[p] ?? 0;
        case 'i8':
          c.need(1, where);
          c.pos += 1;
          return c.view.getInt8(p);
        case 'u16':
          c.need(2, where);
          c.pos += 2;
          return c.view.getUint16(p, true);
        case 'i16':
          c.need(2, where);
          c.pos += 2;
          return c.view.getInt16(p, true);
        case 'u32':
          c.need(4, where);
          c.pos += 4;
          return c.view.getUint32(p, true);
        case 'i32':
          c.need(4, where);
          c.pos += 4;
          return c.view.getInt32(p, true);
        case 'f32':
          c.need(4, where);
          c.pos += 4;
          return c.view.getFloat32(p, true);
        case 'u64':
          c.need(8, where);
          c.pos += 8;
          return c.view.getBigUint64(p, true);
        case 'i64':
          c.need(8, where);
          c.pos += 8;
          return c.view.getBigInt64(p, true);
        case 'f64':
          c.need(8, where);
          c.pos += 8;
          return c.view.getFloat64(p, true);
      }
      throw new QmiDecodeError('PARAMETER_ERROR', 'bad scalar descriptor', p, where);
    }
    case 'string': {
      // A top-level string is the whole TLV value; a nested one carries its length.
      const n = topLevel ? c.end - c.pos : readCount(c, prefixWidth(t.max), where);
      if (n > t.max) throw new QmiDecodeError('ARRAY_TOO_BIG', `string of ${n} bytes exceeds max ${t.max}`, c.pos, where);
      c.need(n, where);
      const s = text(c.bytes.subarray(c.pos, c.pos + n));
      c.pos += n;
      return s;
    }
    case 'struct': {
      const o: Record<string, unknown> = {};
      for (const f of t.fields) setOwn(o, f.key, readField(c, f, `${where}.${f.name}`, false));
      return o;
    }
  }
}

function readField(c: Cursor, f: QmiFieldDescriptor, where: string, topLevel: boolean): unknown {
  const a = f.array;
  if (a === undefined) return readType(c, f.type, where, topLevel);
  let n: number;
  if (a.kind === 'fixed') n = a.length;
  else {
    n = readCount(c, a.countWidth, where);
    if (n > a.max) throw new QmiDecodeError('ARRAY_TOO_BIG', `count ${n} exceeds max ${a.max}`, c.pos - a.countWidth, where);
  }
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(readType(c, f.type, `${where}[${i}]`, false));
  return out;
}

/** The value C leaves in a zeroed struct for an element that was not on the wire. */
export function zeroValue(f: QmiFieldDescriptor): unknown {
  const a = f.array;
  if (a?.kind === 'variable') return [];
  const one = (): unknown => zeroOfType(f.type);
  if (a?.kind === 'fixed') return Array.from({ length: a.length }, one);
  return one();
}

function zeroOfType(t: QmiValueType): unknown {
  switch (t.kind) {
    case 'scalar':
      return t.scalar === 'bool' ? false : t.scalar === 'u64' || t.scalar === 'i64' ? 0n : 0;
    case 'string':
      return '';
    case 'struct': {
      const o: Record<string, unknown> = {};
      for (const f of t.fields) setOwn(o, f.key, zeroValue(f));
      return o;
    }
  }
}

/**
 * Per descriptor: TLV type -> element, and a "seen in decode number N" stamp per type so
 * a decode needs no fresh seen-set (decoding is synchronous and never re-entered).
 */
interface DecodeTable {
  readonly byType: readonly (QmiElementDescriptor | undefined)[];
  readonly indexOf: Map<QmiElementDescriptor, number>;
  readonly stamp: Uint32Array;
  generation: number;
}

const tables = new WeakMap<QmiMessageDescriptor, DecodeTable>();

function tableOf(desc: QmiMessageDescriptor): DecodeTable {
  let t = tables.get(desc);
  if (t === undefined) {
    const arr: (QmiElementDescriptor | undefined)[] = new Array<QmiElementDescriptor | undefined>(256).fill(undefined);
    for (const e of desc.elements) arr[e.tlv & 0xff] = e;
    t = { byType: arr, indexOf: new Map(desc.elements.map((e, i) => [e, i])), stamp: new Uint32Array(256), generation: 0 };
    tables.set(desc, t);
  }
  return t;
}

const RESP_TLV = 0x02;

export interface QmiDecodeOptions {
  /**
   * `qualcomm` (default): qmi_idl_lib's verdicts. `kernel`: the Linux/libqrtr decoder's
   * tolerance where it differs in outcome and not only in memory safety: a repeated TLV
   * overwrites the earlier one, and missing mandatory TLVs are left zeroed. Framing,
   * length and bound checks stay strict.
   */
  readonly mode?: 'qualcomm' | 'kernel';
}

/**
 * Values of a TLV payload (no QMI header), with qmi_idl_lib's verdicts: TLVs in any
 * order, unknown ones from 0x10 skipped, below 0x10 rejected, duplicates rejected, each
 * value consuming exactly its length, mandatory TLVs required unless this is a response
 * whose TLV 0x02 reports a failure. Throws only QmiDecodeError.
 */
export function decodeQmiMessage(desc: QmiMessageDescriptor, bytes: Uint8Array, options: QmiDecodeOptions = {}): Record<string, unknown> {
  const kernel = options.mode === 'kernel';
  if (!(bytes instanceof Uint8Array)) throw new QmiDecodeError('PARAMETER_ERROR', 'expected a Uint8Array', undefined, desc.name);
  const t = tableOf(desc);
  const table = t.byType;
  t.generation = (t.generation + 1) >>> 0;
  if (t.generation === 0) {
    t.stamp.fill(0);
    t.generation = 1;
  }
  const gen = t.generation;
  const seen = t.stamp;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  const out: Record<string, unknown> = {};
  const cursor = new Cursor(bytes, view, 0, 0);
  let inOrder = true;
  let lastIndex = -1;
  let respResultLow = 0;
  let pos = 0;
  while (pos < len) {
    if (len - pos < 3) throw new QmiDecodeError('LENGTH_INCONSISTENCY', `${len - pos} bytes left, too few for a TLV header`, pos);
    const type = bytes[pos] ?? 0;
    const tlvLen = view.getUint16(pos + 1, true);
    const start = pos + 3;
    if (tlvLen > len - start) {
      throw new QmiDecodeError('LENGTH_INCONSISTENCY', `TLV 0x${type.toString(16)} declares ${tlvLen} bytes, ${len - start} remain`, pos);
    }
    const e = table[type];
    if (e === undefined) {
      if (type < 0x10) throw new QmiDecodeError('UNKNOWN_MANDATORY_TLV', `unknown TLV 0x${type.toString(16).padStart(2, '0')}`, pos);
      pos = start + tlvLen;
      continue;
    }
    if (seen[type] === gen && !kernel)
      throw new QmiDecodeError('TLV_DUPLICATED', `TLV 0x${type.toString(16).padStart(2, '0')} appears twice`, pos, e.name);
    seen[type] = gen;
    const c = cursor;
    c.pos = start;
    c.end = start + tlvLen;
    setOwn(out, e.key, readField(c, e, e.name, true));
    const index = t.indexOf.get(e) ?? 0;
    if (index < lastIndex) inOrder = false;
    lastIndex = index;
    if (c.pos !== c.end) {
      throw new QmiDecodeError(
        'LENGTH_INCONSISTENCY',
        `TLV 0x${type.toString(16).padStart(2, '0')} has ${tlvLen} bytes, element uses ${c.pos - start}`,
        start,
        e.name,
      );
    }
    if (type === RESP_TLV && tlvLen > 0) respResultLow = bytes[start] ?? 0;
    pos = start + tlvLen;
  }
  const failure = desc.response && seen[RESP_TLV] === gen && respResultLow !== 0;
  for (const e of desc.elements) {
    if (e.optional || seen[e.tlv & 0xff] === gen) continue;
    if (!failure && !kernel)
      throw new QmiDecodeError('MISSING_TLV', `mandatory TLV 0x${e.tlv.toString(16).padStart(2, '0')} missing`, undefined, e.name);
    setOwn(out, e.key, zeroValue(e));
    inOrder = false;
  }
  return inOrder ? out : reorder(desc, out);
}

/** Keys in declaration order, so decoded objects print and compare predictably. */
function reorder(desc: QmiMessageDescriptor, o: Record<string, unknown>): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  for (const e of desc.elements) if (Object.hasOwn(o, e.key)) setOwn(r, e.key, getOwn(o, e.key));
  return r;
}
