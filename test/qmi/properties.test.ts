/**
 * Bounded properties over every generated RFSA and sample message: random values
 * round-trip through encode/decode; random and mutated bytes end in a value or a
 * QmiDecodeError, never another exception. Long runs: test/fuzz/qmi-decoders.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QmiDecodeError, type QmiServiceMessage } from '../../runtime/qmi/codec/index.ts';
import { loadQmiProgram } from '../../generator/qmi/index.ts';
import { RfsaService } from '../../generated/rfsa.qmi.ts';
import { SampleService } from './generated/wlfw_sample_v01.ts';
import { decoderInput, messageValues } from './arbitraries.ts';

const messages: QmiServiceMessage[] = [...RfsaService.messages, ...SampleService.messages];
const label = (m: QmiServiceMessage) => `${m.name} (0x${m.msgId.toString(16)} ${m.kind})`;

describe('QMI codec properties', () => {
  it.each(messages.map((m) => [label(m), m] as const))('round-trips random values: %s', (_, m) => {
    fc.assert(
      fc.property(messageValues(m.codec.descriptor), (v) => {
        expect(m.codec.decode(m.codec.encode(v))).toEqual(v);
      }),
      { numRuns: 60 },
    );
  });

  it.each(messages.map((m) => [label(m), m] as const))('accepts TLVs in any order and skips unknown optional ones: %s', (_, m) => {
    fc.assert(
      fc.property(messageValues(m.codec.descriptor), fc.array(fc.nat()), fc.uint8Array({ maxLength: 5 }), (v, keys, junk) => {
        const b = m.codec.encode(v);
        const parts: Uint8Array[] = [];
        for (let pos = 0; pos < b.length;) {
          const len = (b[pos + 1] ?? 0) | ((b[pos + 2] ?? 0) << 8);
          parts.push(b.subarray(pos, pos + 3 + len));
          pos += 3 + len;
        }
        const used = new Set(m.codec.descriptor.elements.map((e) => e.tlv));
        let unknown = 0x10;
        while (used.has(unknown) && unknown < 0xff) unknown++;
        if (!used.has(unknown)) parts.push(Uint8Array.from([unknown, junk.length, 0, ...junk]));
        const order = parts.map((p, i) => [keys[i] ?? i, p] as const).sort((x, y) => x[0] - y[0]);
        const shuffled = Uint8Array.from(order.flatMap(([, p]) => [...p]));
        expect(m.codec.decode(shuffled)).toEqual(v);
      }),
      { numRuns: 40 },
    );
  });

  it.each(messages.map((m) => [label(m), m] as const))('decodes any bytes to a value or a QmiDecodeError: %s', (_, m) => {
    fc.assert(
      fc.property(decoderInput(m.codec.descriptor), (bytes) => {
        try {
          m.codec.decode(bytes);
        } catch (e) {
          if (!(e instanceof QmiDecodeError)) throw e;
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never throws on mangled IDL text, only reports diagnostics', () => {
    const base =
      'include "common_v01.idl";\nconst N = 4;\nenum { A, B = 2 } e;\nmask32 { F = 1 } m;\nstruct { uint8 x<N>; string s<N>; } st;\nmessage { mandatory qmi_response_type resp; optional st v; } a_resp_msg;\nservice s { a_resp_msg QMI_A_RESP = 0x20; } = 0x10;\n';
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(4), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 5 }), (edits) => {
        let text = base;
        for (const [at, del, ins] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + ins + text.slice(i + del);
        }
        const r = loadQmiProgram({ files: ['f.idl'], readFile: (p) => (p === 'f.idl' ? text : undefined) });
        expect(Array.isArray(r.diagnostics)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
