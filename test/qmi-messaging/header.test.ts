import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  QMI_HEADER_SIZE,
  QmiFramingError,
  QmiMessageType,
  decodeQmiHeader,
  encodeQmiHeader,
  frameQmiMessage,
  parseQmiMessage,
} from '../../runtime/qmi/messaging/index.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

describe('QMI header', () => {
  it('frames the RFSA GET_BUFF_ADDR request and response exactly', () => {
    const req = frameQmiMessage(QmiMessageType.REQUEST, 5, 0x23, bytes('01 04 00 01 00 00 00 02 04 00 00 00 20 00'));
    expect(hex(req)).toBe('00050023000e00' + '0104000100000002040000002000');
    const resp = bytes('02 05 00 23 00 12 00 02 04 00 00 00 00 00 10 08 00 00 00 00 8E 00 00 00 00');
    const { header, payload } = parseQmiMessage(resp);
    expect(header).toEqual({ type: QmiMessageType.RESPONSE, txnId: 5, msgId: 0x23, length: 18 });
    expect(payload.length).toBe(18);
  });

  it('round-trips every field value', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 2, 4),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffff }),
        (type, txnId, msgId, length) => {
          const enc = encodeQmiHeader({ type, txnId, msgId, length });
          expect(enc.length).toBe(QMI_HEADER_SIZE);
          expect(decodeQmiHeader(enc)).toEqual({ type, txnId, msgId, length });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects short datagrams, length mismatches and out-of-range fields', () => {
    expect(() => decodeQmiHeader(bytes('000500230000'))).toThrow(QmiFramingError);
    const err = (() => {
      try {
        parseQmiMessage(bytes('00 05 00 23 00 0E 00 01 02'));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(QmiFramingError);
    expect((err as QmiFramingError).reason).toBe('LENGTH_MISMATCH');
    expect(() => encodeQmiHeader({ type: 0, txnId: 0x10000, msgId: 1, length: 0 })).toThrow(/FIELD_RANGE/);
    expect(() => encodeQmiHeader({ type: 0x100, txnId: 1, msgId: 1, length: 0 })).toThrow(/FIELD_RANGE/);
  });
});
