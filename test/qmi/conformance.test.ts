/**
 * RFSA conformance: every golden vector encodes byte for byte and decodes back, through
 * the generated codecs and through the CLI functions; every bad input gets the verdict
 * Qualcomm's qmi_idl_lib gives it.
 */
import { describe, expect, it } from 'vitest';
import { QMI_CODEC_ERROR_CODES, QmiDecodeError, type QmiMessageKind } from '../../runtime/qmi/codec/index.ts';
import { qmiDecodeCommand, qmiEncodeCommand } from '../../generator/qmi/cli-codec.ts';
import { RfsaService } from '../../generated/rfsa.qmi.ts';
import { badInputs, bytesHex, hexBytes, RFSA_IDL, typedValues, vectors } from './helpers.ts';

const label = (v: { message: string | null; msgId: string; kind: string; note?: string }) =>
  `${v.message ?? v.msgId}/${v.kind}${v.note ? ` (${v.note})` : ''}`;

describe('RFSA golden vectors through the generated codecs', () => {
  it.each(vectors.map((v) => [label(v), v] as const))('%s', (_, v) => {
    const entry = RfsaService.lookup(Number(v.msgId), v.kind);
    expect(entry.name).toBe(v.message);
    const typed = typedValues(entry.codec.descriptor.elements, v.values);
    expect(bytesHex(entry.codec.encode(typed))).toBe(v.hex);
    expect(entry.codec.decode(hexBytes(v.hex))).toEqual(typed);
  });
});

describe('RFSA golden vectors through the CLI functions', () => {
  it('encodes every vector by IDL name and decodes it back (array form)', () => {
    for (const kind of ['request', 'response'] as const) {
      for (const name of new Set(vectors.filter((v) => v.kind === kind).map((v) => v.message))) {
        const vs = vectors.filter((v) => v.message === name);
        expect(
          qmiEncodeCommand(
            RFSA_IDL,
            name,
            [],
            vs.map((v) => v.values),
          ),
        ).toEqual(vs.map((v) => ({ hex: v.hex })));
        expect(
          qmiDecodeCommand(
            RFSA_IDL,
            name,
            [],
            vs.map((v) => ({ hex: v.hex })),
          ),
        ).toEqual(vs.map((v) => ({ values: v.values })));
      }
    }
  });

  it('names a message by <msgid>/<kind> as a QMI header does', () => {
    for (const v of vectors) {
      expect(qmiEncodeCommand(RFSA_IDL, `${v.msgId}/${v.kind}`, [], v.values)).toEqual({ hex: v.hex });
      expect(qmiDecodeCommand(RFSA_IDL, `${v.msgId}/${v.kind}`, [], { hex: v.hex })).toEqual({ values: v.values });
    }
  });
});

const verdict = (expected: string) => expected.replace(/^QMI_IDL_LIB_/, '');

describe('RFSA bad inputs get qmi_idl_lib verdicts', () => {
  it.each(badInputs.map((b) => [label(b), b] as const))('%s', (_, b) => {
    const kind = verdict(b.expected);
    const cli = qmiDecodeCommand(RFSA_IDL, `${b.msgId}/${b.kind}`, [], { hex: b.hex });
    if (kind === 'OK') {
      expect(cli).toEqual({ values: b.values });
      const entry = RfsaService.lookup(Number(b.msgId), b.kind as QmiMessageKind);
      expect(entry.codec.decode(hexBytes(b.hex))).toEqual(typedValues(entry.codec.descriptor.elements, b.values ?? {}));
      return;
    }
    expect(cli).toEqual({ error: kind });
    let err: unknown;
    try {
      const entry = RfsaService.lookup(Number(b.msgId), b.kind as QmiMessageKind);
      entry.codec.decode(hexBytes(b.hex));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QmiDecodeError);
    expect((err as QmiDecodeError).kind).toBe(kind);
    expect((err as QmiDecodeError).code).toBe(b.code);
    expect(QMI_CODEC_ERROR_CODES[kind as keyof typeof QMI_CODEC_ERROR_CODES]).toBe(b.code);
  });
});

describe('encoder limits', () => {
  const name = 'rfsa_iovec_file_read_req_msg';
  it('fails with ARRAY_TOO_BIG for a string or an array over its max', () => {
    expect(qmiEncodeCommand(RFSA_IDL, 'rfsa_file_stat_req_msg', [], { filename: 'a'.repeat(256) })).toEqual({ error: 'ARRAY_TOO_BIG' });
    const iov = Array.from({ length: 51 }, () => ({ file_offset: 0, buff_addr_offset: 0, size: 1 }));
    expect(qmiEncodeCommand(RFSA_IDL, name, [], { client_id: 1, filename: 'f', iovec_struct: iov })).toEqual({ error: 'ARRAY_TOO_BIG' });
  });
  it('counts string bounds in UTF-8 bytes', () => {
    expect(qmiEncodeCommand(RFSA_IDL, 'rfsa_file_stat_req_msg', [], { filename: 'é'.repeat(128) })).toEqual({ error: 'ARRAY_TOO_BIG' });
    expect(qmiEncodeCommand(RFSA_IDL, 'rfsa_file_stat_req_msg', [], { filename: 'é'.repeat(127) })).toHaveProperty('hex');
  });
  it('rejects values that do not fit and names nothing it does not know', () => {
    expect(qmiEncodeCommand(RFSA_IDL, 'rfsa_get_buff_addr_req_msg', [], { client_id: 2 ** 32, size: 1 })).toEqual({
      error: 'PARAMETER_ERROR',
    });
    expect(qmiEncodeCommand(RFSA_IDL, 'rfsa_get_buff_addr_req_msg', [], { client_id: 1 })).toEqual({ error: 'PARAMETER_ERROR' });
    expect(qmiEncodeCommand(RFSA_IDL, 'rfsa_get_buff_addr_req_msg', [], { client_id: 1, size: 1, extra: 1 })).toEqual({
      error: 'PARAMETER_ERROR',
    });
    expect(qmiEncodeCommand(RFSA_IDL, 'rfsa_release_buff_addr_req_msg', [], { client_id: 1, address: '18446744073709551616' })).toEqual({
      error: 'PARAMETER_ERROR',
    });
    expect(qmiEncodeCommand(RFSA_IDL, '0x0027/request', [], { client_id: 1 })).toEqual({ error: 'MESSAGE_ID_NOT_FOUND' });
    expect(() => qmiEncodeCommand(RFSA_IDL, 'no_such_msg', [], {})).toThrow(/no message 'no_such_msg'/);
  });
  it('refuses an IDL with errors, showing its diagnostics', () => {
    expect(() => qmiEncodeCommand('test/qmi/invalid/duplicate_tlv.idl', 'foo_resp_msg', [], {})).toThrow(/error\[QMI010\]/);
  });
  it('reports bad hex on decode as PARAMETER_ERROR', () => {
    expect(qmiDecodeCommand(RFSA_IDL, 'rfsa_get_buff_addr_req_msg', [], { hex: 'zz' })).toEqual({ error: 'PARAMETER_ERROR' });
    expect(qmiDecodeCommand(RFSA_IDL, 'rfsa_get_buff_addr_req_msg', [], { hex: '010' })).toEqual({ error: 'PARAMETER_ERROR' });
  });
});
