import { createQmiCodec, type QmiMessageDescriptor } from '../../qmi/codec/index.ts';
import { defineQmiMethod, type QmiServiceId } from '../../qmi/messaging/index.ts';

/** RFSA as msm_sharedmem registers it: service 0x1C, IDL major 1, instance 1 (word 0x0101). */
export const RFSA_SERVICE: QmiServiceId = { service: 0x1c, version: 1, instance: 1 };

export const RfsaMsgId = {
  FILE_STAT: 0x20,
  FILE_CREATE: 0x21,
  FILE_READ: 0x22,
  GET_BUFF_ADDR: 0x23,
  RELEASE_BUFF_ADDR: 0x24,
  IOVEC_FILE_READ: 0x25,
  IOVEC_FILE_WRITE: 0x26,
} as const;

/** Largest GET_BUFF_ADDR request the kernel's decoder accepts (its max_msg_len). */
export const GET_BUFF_ADDR_REQ_MAX_LEN = 14;

export interface QmiResponse {
  result: number;
  error: number;
}

export interface RfsaGetBuffAddrReq {
  clientId: number;
  size: number;
}

export interface RfsaGetBuffAddrResp {
  resp: QmiResponse;
  address?: bigint;
}

const u32 = { kind: 'scalar', scalar: 'u32' } as const;
const respElement = {
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
} as const;

const getBuffAddrReq: QmiMessageDescriptor = {
  name: 'rfsa_get_buff_addr_req_msg',
  response: false,
  elements: [
    { key: 'clientId', name: 'client_id', tlv: 0x01, optional: false, type: u32 },
    { key: 'size', name: 'size', tlv: 0x02, optional: false, type: u32 },
  ],
};

const getBuffAddrResp: QmiMessageDescriptor = {
  name: 'rfsa_get_buff_addr_resp_msg',
  response: true,
  elements: [respElement, { key: 'address', name: 'address', tlv: 0x10, optional: true, type: { kind: 'scalar', scalar: 'u64' } }],
};

/**
 * GET_BUFF_ADDR with qmi_idl_lib semantics: what a peripheral (built on Qualcomm's library)
 * encodes and decodes. Matches the RFSA IDL in idl/rfsa.qmi.idl.
 */
export const rfsaGetBuffAddr = defineQmiMethod(
  RfsaMsgId.GET_BUFF_ADDR,
  createQmiCodec<RfsaGetBuffAddrReq>(getBuffAddrReq),
  createQmiCodec<RfsaGetBuffAddrResp>(getBuffAddrResp),
);
