import { KernelError } from '../errno.ts';
import { QmiErr, QmiRequestError, QmiService, type QrtrRouter, type QrtrServer } from '../../qmi/messaging/index.ts';
import type { MsmSharedmem } from './driver.ts';
import { GET_BUFF_ADDR_REQ_MAX_LEN, RFSA_SERVICE, RfsaMsgId, rfsaGetBuffAddr, type RfsaGetBuffAddrReq } from './rfsa-messages.ts';

/**
 * Decodes a GET_BUFF_ADDR request the way the MSM kernel's table-driven decoder does, which
 * is laxer than qmi_idl_lib: missing TLVs stay 0 (so a missing size reaches the handler as
 * 0 and fails with NO_MEMORY), a repeated TLV overwrites, unknown TLVs >= 0x10 are skipped.
 * It refuses (-EBADMSG, answered ENCODING) a payload longer than the message's max length,
 * a TLV running past the end, an unknown TLV < 0x10, and a u32 TLV whose length is not 4.
 * An empty payload, which the stock driver dereferences as NULL, is answered MISSING_ARG.
 */
export function decodeGetBuffAddrLikeKernel(payload: Uint8Array): RfsaGetBuffAddrReq {
  if (payload.length === 0) throw new QmiRequestError(QmiErr.MISSING_ARG, 'empty GET_BUFF_ADDR request');
  if (payload.length > GET_BUFF_ADDR_REQ_MAX_LEN) throw badMessage(`${payload.length} bytes > max ${GET_BUFF_ADDR_REQ_MAX_LEN}`);
  const out: RfsaGetBuffAddrReq = { clientId: 0, size: 0 };
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let i = 0;
  while (i < payload.length) {
    if (i + 3 > payload.length) throw badMessage('truncated TLV header');
    const type = payload[i]!;
    const len = dv.getUint16(i + 1, true);
    if (i + 3 + len > payload.length) throw badMessage(`TLV 0x${type.toString(16)} runs past the end`);
    if (type === 0x01 || type === 0x02) {
      if (len !== 4) throw badMessage(`TLV 0x${type.toString(16)} has length ${len}`);
      const v = dv.getUint32(i + 3, true);
      if (type === 0x01) out.clientId = v;
      else out.size = v;
    } else if (type < 0x10) {
      throw badMessage(`unknown mandatory TLV 0x${type.toString(16)}`);
    }
    i += 3 + len;
  }
  return out;
}

function badMessage(why: string): KernelError {
  return new KernelError(74 /* EBADMSG */, why);
}

/**
 * The in-kernel RFSA service msm_sharedmem registers (0x1C, v1, instance 1). Only
 * GET_BUFF_ADDR is served; every other message id is answered NOT_SUPPORTED. Requests are
 * handled one at a time, in order. Errors travel as the kernel framework sends them:
 * -ENOMEM -> FAILURE/NO_MEMORY, -ENOENT (unknown client) -> FAILURE/INTERNAL.
 */
export class RfsaSharedmemService {
  readonly service: QmiService;
  private server: QrtrServer | undefined;

  constructor(
    router: QrtrRouter,
    readonly driver: MsmSharedmem,
  ) {
    this.service = new QmiService(router, RFSA_SERVICE, { serialize: true });
    this.service.handleRaw(RfsaMsgId.GET_BUFF_ADDR, (payload) => {
      const req = decodeGetBuffAddrLikeKernel(payload);
      const address = driver.lookup(req.clientId, req.size);
      return rfsaGetBuffAddr.response.encode({ resp: { result: 0, error: 0 }, address });
    });
  }

  start(): QrtrServer {
    this.server ??= this.service.start();
    return this.server;
  }

  stop(): void {
    this.service.stop();
    this.server = undefined;
  }

  /** Resolves once every request received so far has been answered. */
  idle(): Promise<void> {
    return this.service.idle();
  }
}
