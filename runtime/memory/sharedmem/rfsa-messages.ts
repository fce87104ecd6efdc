import {
  RfsaGetBuffAddrReqMsg,
  RfsaGetBuffAddrRespMsg,
  RfsaMessageId,
  RfsaService,
  type RfsaGetBuffAddrReqMsg as GetBuffAddrReq,
  type RfsaGetBuffAddrRespMsg as GetBuffAddrResp,
} from '../../interfaces/rfsa.qmi.ts';
import { defineQmiMethod, type QmiServiceId } from '../../qmi/messaging/index.ts';

/** RFSA as msm_sharedmem registers it: service 0x1C, IDL major 1, instance 1 (word 0x0101). */
export const RFSA_SERVICE: QmiServiceId = { service: RfsaService.serviceId, version: RfsaService.version, instance: 1 };

export const RfsaMsgId = {
  FILE_STAT: RfsaMessageId.QMI_RFSA_FILE_STAT_REQ_MSG,
  FILE_CREATE: RfsaMessageId.QMI_RFSA_FILE_CREATE_REQ_MSG,
  FILE_READ: RfsaMessageId.QMI_RFSA_FILE_READ_REQ_MSG,
  GET_BUFF_ADDR: RfsaMessageId.QMI_RFSA_GET_BUFF_ADDR_REQ_MSG,
  RELEASE_BUFF_ADDR: RfsaMessageId.QMI_RFSA_RELEASE_BUFF_ADDR_REQ_MSG,
  IOVEC_FILE_READ: RfsaMessageId.QMI_RFSA_IOVEC_FILE_READ_REQ_MSG,
  IOVEC_FILE_WRITE: RfsaMessageId.QMI_RFSA_IOVEC_FILE_WRITE_REQ_MSG,
} as const;

/** Largest GET_BUFF_ADDR request the kernel's decoder accepts (its max_msg_len). */
export const GET_BUFF_ADDR_REQ_MAX_LEN = 14;

export type RfsaGetBuffAddrReq = GetBuffAddrReq;
export type RfsaGetBuffAddrResp = GetBuffAddrResp;

/**
 * GET_BUFF_ADDR through the codecs generated from idl/rfsa.qmi.idl, i.e. with qmi_idl_lib
 * semantics: what a peripheral built on Qualcomm's library encodes and decodes.
 */
export const rfsaGetBuffAddr = defineQmiMethod(RfsaMsgId.GET_BUFF_ADDR, RfsaGetBuffAddrReqMsg, RfsaGetBuffAddrRespMsg);
