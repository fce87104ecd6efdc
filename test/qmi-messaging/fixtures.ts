// A small test service built on the real TLV codec runtime: "add" (0x0030) and a notice indication.
import { createQmiCodec, type QmiMessageDescriptor } from '../../runtime/qmi/codec/index.ts';
import { defineQmiMethod, type QmiIndicationDef } from '../../runtime/qmi/messaging/index.ts';

const resp = {
  key: 'resp',
  name: 'resp',
  tlv: 0x02,
  optional: false,
  type: {
    kind: 'struct',
    name: 'qmi_response_type',
    fields: [
      { key: 'result', name: 'result', type: { kind: 'scalar', scalar: 'u16' } },
      { key: 'error', name: 'error', type: { kind: 'scalar', scalar: 'u16' } },
    ],
  },
} as const;

const addReq: QmiMessageDescriptor = {
  name: 'test_add_req_msg',
  response: false,
  elements: [
    { key: 'a', name: 'a', tlv: 0x01, optional: false, type: { kind: 'scalar', scalar: 'u32' } },
    { key: 'b', name: 'b', tlv: 0x02, optional: false, type: { kind: 'scalar', scalar: 'u32' } },
  ],
};
const addResp: QmiMessageDescriptor = {
  name: 'test_add_resp_msg',
  response: true,
  elements: [resp, { key: 'sum', name: 'sum', tlv: 0x10, optional: true, type: { kind: 'scalar', scalar: 'u64' } }],
};
const notice: QmiMessageDescriptor = {
  name: 'test_notice_ind_msg',
  response: false,
  elements: [{ key: 'text', name: 'text', tlv: 0x01, optional: false, type: { kind: 'string', max: 32 } }],
};

export interface AddReq {
  a: number;
  b: number;
}
export interface AddResp {
  resp: { result: number; error: number };
  sum?: bigint;
}
export interface Notice {
  text: string;
}

export const TEST_SERVICE = { service: 0x42, version: 1, instance: 3 } as const;
export const add = defineQmiMethod(0x0030, createQmiCodec<AddReq>(addReq), createQmiCodec<AddResp>(addResp));
export const noticeInd: QmiIndicationDef<Notice> = { msgId: 0x0031, indication: createQmiCodec<Notice>(notice) };
export const OK = { result: 0, error: 0 };
