/** Codec runtime details the RFSA vectors do not reach: widths, views, limits, error fields. */
import { describe, expect, it } from 'vitest';
import {
  createQmiCodec,
  decodeQmiMessage,
  encodeQmiMessage,
  QmiDecodeError,
  type QmiMessageDescriptor,
  type QmiValueType,
} from '../../runtime/qmi/codec/index.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

function fails(f: () => unknown): QmiDecodeError {
  try {
    f();
  } catch (e) {
    if (e instanceof QmiDecodeError) return e;
    throw e;
  }
  throw new Error('expected a QmiDecodeError');
}

const named = (n: number): QmiValueType => ({
  kind: 'struct',
  name: 'named',
  fields: [{ key: 'name', name: 'name', type: { kind: 'string', max: n } }],
});

const desc: QmiMessageDescriptor = {
  name: 'widths_ind_msg',
  response: false,
  elements: [
    { key: 'small', name: 'small', tlv: 0x10, optional: true, type: named(255) },
    { key: 'large', name: 'large', tlv: 0x11, optional: true, type: named(256) },
    {
      key: 'count255',
      name: 'count255',
      tlv: 0x12,
      optional: true,
      type: { kind: 'scalar', scalar: 'u8' },
      array: { kind: 'variable', max: 255, countWidth: 1 },
    },
    {
      key: 'count256',
      name: 'count256',
      tlv: 0x13,
      optional: true,
      type: { kind: 'scalar', scalar: 'u8' },
      array: { kind: 'variable', max: 256, countWidth: 2 },
    },
    { key: 'e8', name: 'e8', tlv: 0x14, optional: true, type: { kind: 'scalar', scalar: 'i8' } },
    { key: 'flag', name: 'flag', tlv: 0x15, optional: true, type: { kind: 'scalar', scalar: 'bool' } },
    {
      key: 'fixed',
      name: 'fixed',
      tlv: 0x16,
      optional: true,
      type: { kind: 'scalar', scalar: 'u16' },
      array: { kind: 'fixed', length: 2 },
    },
    { key: 'neg', name: 'neg', tlv: 0x17, optional: true, type: { kind: 'scalar', scalar: 'i64' } },
  ],
};
const codec = createQmiCodec<Record<string, unknown>>(desc);

describe('QMI codec runtime', () => {
  it('uses 1-byte prefixes up to a bound of 255 and 2 bytes above', () => {
    expect(hex(codec.encode({ small: { name: 'ab' } }))).toBe('100300026162');
    expect(hex(codec.encode({ large: { name: 'ab' } }))).toBe('11040002006162');
    expect(hex(codec.encode({ count255: [7] }))).toBe('12020001' + '07');
    expect(hex(codec.encode({ count256: [7] }))).toBe('1303000100' + '07');
  });

  it('sign-extends 1-byte enums, reads booleans and negative 64-bit values', () => {
    expect(codec.decode(bytes('140100ff15010001170800feffffffffffffff'))).toEqual({ e8: -1, flag: true, neg: -2n });
    expect(hex(codec.encode({ e8: -1, neg: -2n }))).toBe('140100ff' + '170800feffffffffffffff');
  });

  it('needs exactly N elements for a fixed array', () => {
    expect(hex(codec.encode({ fixed: [1, 2] }))).toBe('16040001000200');
    expect(fails(() => codec.encode({ fixed: [1, 2, 3] })).kind).toBe('ARRAY_TOO_BIG');
    expect(fails(() => codec.encode({ fixed: [1] })).kind).toBe('PARAMETER_ERROR');
  });

  it('decodes from a view without reading the bytes around it', () => {
    const backing = bytes('ff' + '100300026162' + '0102');
    expect(codec.decode(backing.subarray(1, 7))).toEqual({ small: { name: 'ab' } });
    // The view ends inside a TLV; the bytes after it in the buffer must not complete it.
    const e = fails(() => codec.decode(backing.subarray(1, 6)));
    expect(e.kind).toBe('LENGTH_INCONSISTENCY');
  });

  it('fails with BUFFER_TOO_SMALL when a payload cannot fit 16-bit lengths', () => {
    const big: QmiMessageDescriptor = {
      name: 'big',
      response: false,
      elements: [0x10, 0x11].map((tlv) => ({
        key: `b${tlv}`,
        name: `b${tlv}`,
        tlv,
        optional: true,
        type: { kind: 'scalar', scalar: 'u8' } as const,
        array: { kind: 'variable', max: 40000, countWidth: 2 } as const,
      })),
    };
    const v = new Array<number>(40000).fill(1);
    expect(encodeQmiMessage(big, { b16: v }).length).toBe(40005);
    expect(fails(() => encodeQmiMessage(big, { b16: v, b17: v })).kind).toBe('BUFFER_TOO_SMALL');
  });

  it('fills a missing mandatory struct with zeroes in a failure response', () => {
    const d: QmiMessageDescriptor = {
      name: 'x_resp_msg',
      response: true,
      elements: [
        {
          key: 'resp',
          name: 'resp',
          tlv: 0x02,
          optional: false,
          type: {
            kind: 'struct',
            name: 'qmi_response_type',
            fields: [
              { key: 'result', name: 'result', type: { kind: 'scalar', scalar: 'i16' } },
              { key: 'error', name: 'error', type: { kind: 'scalar', scalar: 'i16' } },
            ],
          },
        },
        { key: 'info', name: 'info', tlv: 0x03, optional: false, type: named(8), array: { kind: 'fixed', length: 2 } },
        {
          key: 'list',
          name: 'list',
          tlv: 0x04,
          optional: false,
          type: { kind: 'scalar', scalar: 'u64' },
          array: { kind: 'variable', max: 4, countWidth: 1 },
        },
      ],
    };
    expect(decodeQmiMessage(d, bytes('02040001000300'))).toEqual({
      resp: { result: 1, error: 3 },
      info: [{ name: '' }, { name: '' }],
      list: [],
    });
    const e = fails(() => decodeQmiMessage(d, bytes('02040000000000')));
    expect([e.kind, e.code, e.element]).toEqual(['MISSING_TLV', -46, 'info']);
  });

  it('names the element and offset of a failure', () => {
    const e = fails(() => codec.decode(bytes('100300036162')));
    expect(e).toMatchObject({ kind: 'LENGTH_INCONSISTENCY', code: -45, element: 'small.name' });
    expect(e.offset).toBe(4);
    const t = fails(() => codec.decode(bytes('0501000015010001')));
    expect(t).toMatchObject({ kind: 'UNKNOWN_MANDATORY_TLV', offset: 0 });
  });

  it('rejects wrongly typed values with PARAMETER_ERROR, not a TypeError', () => {
    for (const v of [{ e8: 'x' }, { e8: 1.5 }, { neg: 1.5 }, { flag: 1 }, { small: 'x' }, { small: { name: 7 } }, { fixed: 'ab' }]) {
      expect(fails(() => codec.encode(v)).kind).toBe('PARAMETER_ERROR');
    }
    expect(fails(() => codec.decode('0100' as unknown as Uint8Array)).kind).toBe('PARAMETER_ERROR');
  });
});

describe('kernel-compatible decoding', () => {
  const req: QmiMessageDescriptor = {
    name: 'get_buff_addr_req',
    response: false,
    elements: [
      { key: 'clientId', name: 'client_id', tlv: 0x01, optional: false, type: { kind: 'scalar', scalar: 'u32' } },
      { key: 'size', name: 'size', tlv: 0x02, optional: false, type: { kind: 'scalar', scalar: 'u32' } },
    ],
  };
  it('lets a repeated TLV overwrite and leaves missing mandatories zero', () => {
    expect(decodeQmiMessage(req, bytes('010400010000000104000200000002040000100000'), { mode: 'kernel' })).toEqual({
      clientId: 2,
      size: 0x1000,
    });
    expect(decodeQmiMessage(req, bytes('01040001000000'), { mode: 'kernel' })).toEqual({ clientId: 1, size: 0 });
    expect(fails(() => decodeQmiMessage(req, bytes('01040001000000'))).kind).toBe('MISSING_TLV');
  });
  it('keeps framing and length checks', () => {
    expect(fails(() => decodeQmiMessage(req, bytes('0102000100'), { mode: 'kernel' })).kind).toBe('LENGTH_INCONSISTENCY');
    expect(fails(() => decodeQmiMessage(req, bytes('05040000000000'), { mode: 'kernel' })).kind).toBe('UNKNOWN_MANDATORY_TLV');
  });
});
