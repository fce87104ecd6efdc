/** The 7-byte QMI header QRTR/IPC-router datagrams carry before the TLV payload. */
export const QMI_HEADER_SIZE = 7;

export const QmiMessageType = {
  REQUEST: 0x00,
  RESPONSE: 0x02,
  INDICATION: 0x04,
} as const;
export type QmiMessageType = (typeof QmiMessageType)[keyof typeof QmiMessageType];

export interface QmiHeader {
  /** Control flag: 0 request, 2 response, 4 indication. */
  readonly type: number;
  readonly txnId: number;
  readonly msgId: number;
  /** Payload bytes after the header. */
  readonly length: number;
}

/** A datagram that is not a well-formed QMI message. */
export class QmiFramingError extends Error {
  override readonly name = 'QmiFramingError';
  constructor(
    readonly reason: 'SHORT_HEADER' | 'LENGTH_MISMATCH' | 'FIELD_RANGE',
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}

function checkU16(what: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new QmiFramingError('FIELD_RANGE', `${what} ${v} is not a u16`);
}

export function encodeQmiHeader(h: QmiHeader, into = new Uint8Array(QMI_HEADER_SIZE), offset = 0): Uint8Array {
  if (!Number.isInteger(h.type) || h.type < 0 || h.type > 0xff) throw new QmiFramingError('FIELD_RANGE', `type ${h.type} is not a u8`);
  checkU16('transaction id', h.txnId);
  checkU16('message id', h.msgId);
  checkU16('length', h.length);
  into[offset] = h.type;
  into[offset + 1] = h.txnId & 0xff;
  into[offset + 2] = h.txnId >>> 8;
  into[offset + 3] = h.msgId & 0xff;
  into[offset + 4] = h.msgId >>> 8;
  into[offset + 5] = h.length & 0xff;
  into[offset + 6] = h.length >>> 8;
  return into;
}

export function decodeQmiHeader(bytes: Uint8Array): QmiHeader {
  if (bytes.length < QMI_HEADER_SIZE) throw new QmiFramingError('SHORT_HEADER', `${bytes.length} bytes`);
  return {
    type: bytes[0]!,
    txnId: bytes[1]! | (bytes[2]! << 8),
    msgId: bytes[3]! | (bytes[4]! << 8),
    length: bytes[5]! | (bytes[6]! << 8),
  };
}

/** Header + payload as one datagram. */
export function frameQmiMessage(type: number, txnId: number, msgId: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(QMI_HEADER_SIZE + payload.length);
  encodeQmiHeader({ type, txnId, msgId, length: payload.length }, out);
  out.set(payload, QMI_HEADER_SIZE);
  return out;
}

/**
 * Splits a datagram. The header's length must equal the bytes that follow it (receivers
 * drop or refuse anything else), so a mismatch throws LENGTH_MISMATCH with the header attached.
 */
export function parseQmiMessage(datagram: Uint8Array): { header: QmiHeader; payload: Uint8Array } {
  const header = decodeQmiHeader(datagram);
  const payload = datagram.subarray(QMI_HEADER_SIZE);
  if (header.length !== payload.length) {
    throw Object.assign(new QmiFramingError('LENGTH_MISMATCH', `header says ${header.length}, datagram has ${payload.length}`), { header });
  }
  return { header, payload };
}
