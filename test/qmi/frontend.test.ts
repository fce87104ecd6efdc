/** QMI IDL front end: constructs of the dialect, TLV/message id assignment, docs, dialect detection. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQmiSource } from '../../generator/dialect.ts';
import { loadQmiProgram } from '../../generator/qmi/index.ts';
import type { QmiEnumDecl, QmiMaskDecl, QmiMessageDecl, QmiConstDecl } from '../../generator/model/qmi.ts';
import { messageDescriptor, qmiMessageDescriptorOf } from '../../generator/qmi/descriptors.ts';
import { encodeQmiMessage, decodeQmiMessage } from '../../runtime/qmi/codec/index.ts';
import { RFSA_IDL, root } from './helpers.ts';

const SAMPLE = 'test/qmi/idl/wlfw_sample_v01.idl';
const sample = loadQmiProgram({ files: [SAMPLE] });
const decl = <T>(name: string) => sample.value.decls.get(name) as T;

describe('QMI IDL front end', () => {
  it('accepts the sample without diagnostics', () => {
    expect(sample.diagnostics).toEqual([]);
    expect(sample.value.roots).toEqual([SAMPLE]);
    expect(sample.value.files.map((f) => f.path)).toEqual(['idl/common_v01.idl', SAMPLE]);
  });

  it('evaluates constant expressions and references', () => {
    expect(decl<QmiConstDecl>('MAX_SSID').value).toBe(32);
    expect(decl<QmiConstDecl>('BUF_LEN').value).toBe(65);
  });

  it('numbers enum members from the previous value and keeps widths', () => {
    const e = decl<QmiEnumDecl>('mode_enum');
    expect(e.width).toBe(4);
    expect(e.members.map((m) => m.value)).toEqual([0, 5, 6]);
    expect(e.members[0]?.doc?.text).toBe('First mode.');
    const small = decl<QmiEnumDecl>('small_enum');
    expect(small.width).toBe(1);
    expect(small.members[0]?.value).toBe(-1);
    expect(decl<QmiMaskDecl>('ce_attr_mask').width).toBe(4);
    expect(decl<QmiMaskDecl>('band_mask').members[1]?.value).toBe(0x8000000000000000n);
  });

  it('assigns TLV ids as Qualcomm does: mandatory from 0x01, resp 0x02, optional from 0x10', () => {
    const ping = decl<QmiMessageDecl>('sample_ping_resp_msg');
    expect(ping.elements.map((e) => [e.name, e.tlvType])).toEqual([
      ['pong', 0x01],
      ['resp', 0x02],
    ]);
    const ind = decl<QmiMessageDecl>('sample_info_ind_msg');
    expect(ind.elements.map((e) => e.tlvType)).toEqual([0x10, 0x11, 0x12, 0x20, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c]);
    expect(ind.elements.find((e) => e.name === 'pinned')?.explicitTlv).toBe(true);
    expect(ind.elements.find((e) => e.name === 'blob')?.arity).toEqual({ kind: 'variable', max: 300, countWidth: 2 });
    expect(ind.elements.find((e) => e.name === 'conn')?.doc?.text).toBe('Connection details.');
  });

  it('assigns RFSA ids and maxima of spec E.3/E.4', () => {
    const rfsa = loadQmiProgram({ files: [RFSA_IDL] });
    expect(rfsa.diagnostics).toEqual([]);
    const svc = rfsa.value.files.at(-1)?.service;
    expect(svc?.serviceId).toBe(0x1c);
    expect(svc?.maxLength).toBe(869);
    const req = svc?.bindings.filter((b) => b.kind === 'request').map((b) => [b.msgId, b.message.maxLength]);
    const resp = svc?.bindings.filter((b) => b.kind === 'response').map((b) => [b.msgId, b.message.maxLength]);
    expect(req).toEqual([
      [0x20, 258],
      [0x21, 269],
      [0x22, 279],
      [0x23, 14],
      [0x24, 18],
      [0x25, 869],
      [0x26, 869],
    ]);
    expect(resp).toEqual([
      [0x20, 25],
      [0x21, 7],
      [0x22, 22],
      [0x23, 18],
      [0x24, 7],
      [0x25, 7],
      [0x26, 7],
    ]);
    expect(rfsa.value.files.at(-1)?.doc?.tags['FILE']).toBe('rfsa.qmi.idl');
    expect(rfsa.value.decls.get('RFSA_MAX_FILE_PATH')?.doc?.text).toBe('Longest path in an open-type request, NUL excluded.');
    const stat = svc?.bindings.find((b) => b.msgId === 0x20 && b.kind === 'response')?.message;
    expect(stat?.elements.map((e) => e.tlvType)).toEqual([0x02, 0x03, 0x10]);
  });

  it('groups service pairs, continues ids, classifies directions by name', () => {
    const svc = sample.value.files.at(-1)?.service;
    expect(svc?.serviceId).toBe(0x45);
    expect(svc?.bindings.map((b) => [b.msgId, b.kind, b.message.name])).toEqual([
      [0x20, 'request', 'sample_empty_req_msg'],
      [0x20, 'response', 'sample_ping_resp_msg'],
      [0x21, 'indication', 'sample_info_ind_msg'],
      [0x22, 'request', 'sample_empty_req_msg'],
      [0x22, 'response', 'sample_ping_resp_msg'],
      [0x22, 'indication', 'sample_info_ind_msg'],
      [0x1e, 'request', 'qmi_get_supported_msgs_req'],
      [0x1e, 'response', 'qmi_get_supported_msgs_resp'],
    ]);
    expect(sample.value.files.at(-1)?.revision).toBe(2);
    expect(sample.value.files.at(-1)?.majorVersion).toBe(1);
    expect(decl<QmiMessageDecl>('sample_ping_resp_msg').doc?.tags).toEqual({ MSG: 'QMI_SAMPLE_PING_RESP', TYPE: 'Response' });
  });

  it('binds kinds by position in the group, names notwithstanding (1: indication, 2: request, response, 3: + indication)', () => {
    const text = [
      'include "common_v01.idl";',
      'message { mandatory uint32 token; } foo_resp_msg;',
      'message { mandatory qmi_response_type resp; } foo_resp_ack_msg;',
      'message { optional uint32 level; } foo_status;',
      'message { mandatory uint32 a; } bar_one;',
      'message { mandatory qmi_response_type resp; } bar_two;',
      'message { optional uint32 b; } bar_three;',
      'service foo {',
      '  foo_resp_msg QMI_FOO_RESP,',
      '  foo_resp_ack_msg QMI_FOO_RESP_ACK = 0x23;',
      '  foo_status QMI_FOO_STATUS;',
      '  bar_one QMI_BAR_ONE, bar_two QMI_BAR_TWO, bar_three QMI_BAR_THREE;',
      '} = 0x42;',
      '',
    ].join('\n');
    const r = loadQmiProgram({ files: ['kinds.idl'], readFile: (p) => (p === 'kinds.idl' ? text : undefined) });
    // Only the misleading *_RESP request name is worth a warning; nothing is refused.
    expect(r.diagnostics.map((d) => `${d.code}:${d.severity}:${d.span?.line}`)).toEqual(['QMI028:warning:9']);
    const svc = r.value.files.at(-1)?.service;
    expect(svc?.bindings.map((b) => [b.msgId, b.kind, b.message.name])).toEqual([
      [0x23, 'request', 'foo_resp_msg'],
      [0x23, 'response', 'foo_resp_ack_msg'],
      [0x24, 'indication', 'foo_status'],
      [0x25, 'request', 'bar_one'],
      [0x25, 'response', 'bar_two'],
      [0x25, 'indication', 'bar_three'],
    ]);
    // The response decodes as one (a failure response may omit its mandatory TLVs).
    const ack = r.value.files.at(-1)!.decls.find((d) => d.name === 'foo_resp_ack_msg') as QmiMessageDecl;
    expect(qmiMessageDescriptorOf(r.value, ack).response).toBe(true);
    expect(
      qmiMessageDescriptorOf(r.value, r.value.files.at(-1)!.decls.find((d) => d.name === 'foo_resp_msg') as QmiMessageDecl).response,
    ).toBe(false);
  });

  it('encodes the spec C.11 examples from the sample model', () => {
    const d = messageDescriptor(decl<QmiMessageDecl>('sample_info_ind_msg'), false);
    const conn = {
      isConnected: 1,
      rssi: -50,
      countryCode: [0x55, 0x53, 0],
      freq: 5180,
      bssid: [0, 0x11, 0x22, 0x33, 0x44, 0x55],
      ssid: [0x61, 0x62],
    };
    const bytes = encodeQmiMessage(d, { conn });
    expect(Buffer.from(bytes).toString('hex')).toBe('111200' + '01ce5553003c14000000112233445502' + '6162');
    const fw = encodeQmiMessage(d, { fw: { fwVersion: 0x01020304, ts: '2019' } });
    expect(Buffer.from(fw).toString('hex')).toBe('100900' + '040302010432303139');
    expect(decodeQmiMessage(d, bytes)).toEqual({ conn });
  });

  it('resolves include "common_v01.idl" from an include dir before the built-in copy', () => {
    const files: Record<string, string> = {
      'a/main.idl': 'include "common_v01.idl";\nmessage { mandatory my_t x; } m_req_msg;\n',
      'inc/common_v01.idl': 'enum16 { V = 1 } my_t;\n',
    };
    const r = loadQmiProgram({ files: ['a/main.idl'], includeDirs: ['inc'], readFile: (p) => files[p] });
    expect(r.diagnostics).toEqual([]);
    expect(r.value.files.map((f) => f.path)).toEqual(['inc/common_v01.idl', 'a/main.idl']);
  });

  it('reports every syntax error of a file and still resolves the rest', () => {
    const text = 'message { mandatory uint32 a } x_req_msg;\nmessage { mandatory uint32 ok; } y_req_msg;\nconst Z = ;\n';
    const r = loadQmiProgram({ files: ['t.idl'], readFile: (p) => (p === 't.idl' ? text : undefined) });
    expect(r.diagnostics.filter((d) => d.code === 'QMI002').length).toBe(2);
    expect(r.value.decls.get('y_req_msg')?.kind).toBe('message');
  });
});

describe('isQmiSource', () => {
  it('recognises QMI IDL by content', () => {
    expect(isQmiSource(readFileSync(join(root, RFSA_IDL), 'utf8'))).toBe(true);
    expect(isQmiSource(readFileSync(join(root, SAMPLE), 'utf8'))).toBe(true);
    expect(isQmiSource('message { } a;')).toBe(true);
  });
  it('rejects every QAIC conformance IDL', () => {
    const dir = join(root, 'test/conformance/qaic/idl');
    const files = readdirSync(dir).filter((f) => f.endsWith('.idl'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect([f, isQmiSource(readFileSync(join(dir, f), 'utf8'))]).toEqual([f, false]);
  });
});

describe('keywords as names', () => {
  it('accepts keywords where the IDL declares a name', () => {
    const text =
      'enum { message, service = 3 } mask;\nstruct { uint32 revision; uint8 mask<4>; string service<8>; } optional;\nmessage { mandatory optional include; optional uint32 mandatory; } message;\n';
    const r = loadQmiProgram({ files: ['k.idl'], readFile: (p) => (p === 'k.idl' ? text : undefined) });
    expect(r.diagnostics).toEqual([]);
    const m = r.value.decls.get('message') as QmiMessageDecl;
    expect(m.elements.map((e) => [e.name, e.tlvType])).toEqual([
      ['include', 0x01],
      ['mandatory', 0x10],
    ]);
  });
});
