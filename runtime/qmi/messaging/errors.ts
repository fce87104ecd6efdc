/** `qmi_result_type` values. */
export const QmiResult = { SUCCESS: 0, FAILURE: 1 } as const;

/** `qmi_error_type` values this runtime produces or that peers commonly report. */
export const QmiErr = {
  NONE: 0x00,
  MALFORMED_MSG: 0x01,
  NO_MEMORY: 0x02,
  INTERNAL: 0x03,
  ABORTED: 0x04,
  CLIENT_IDS_EXHAUSTED: 0x05,
  INVALID_CLIENT_ID: 0x07,
  INVALID_HANDLE: 0x09,
  MISSING_ARG: 0x11,
  ARG_TOO_LONG: 0x13,
  INVALID_TX_ID: 0x16,
  DEVICE_IN_USE: 0x17,
  NO_EFFECT: 0x1a,
  GENERAL: 0x2e,
  UNKNOWN: 0x2f,
  INVALID_ID: 0x29,
  INVALID_ARG: 0x30,
  INVALID_INDEX: 0x31,
  NO_ENTRY: 0x32,
  DEVICE_NOT_READY: 0x34,
  INVALID_MESSAGE_ID: 0x39,
  ENCODING: 0x3a,
  INSUFFICIENT_RESOURCES: 0x44,
  DISABLED: 0x45,
  INVALID_OPERATION: 0x46,
  ACCESS_DENIED: 0x52,
  INCOMPATIBLE_STATE: 0x5a,
  NOT_SUPPORTED: 0x5e,
  NO_PERMISSION: 0x73,
} as const;
export type QmiErrName = keyof typeof QmiErr;

const errNames = new Map<number, string>(Object.entries(QmiErr).map(([k, v]) => [v, k]));

export function qmiErrName(code: number): string {
  return errNames.get(code) ?? `0x${code.toString(16)}`;
}

/** The standard response TLV (type 0x02, 4 bytes: result u16, error u16) alone. */
export function standardResponsePayload(result: number, error: number): Uint8Array {
  return Uint8Array.of(0x02, 0x04, 0x00, result & 0xff, result >>> 8, error & 0xff, error >>> 8);
}

/** Reads TLV 0x02 of a response payload without a codec; undefined when absent or malformed. */
export function peekResponseTlv(payload: Uint8Array): { result: number; error: number } | undefined {
  let i = 0;
  while (i + 3 <= payload.length) {
    const type = payload[i]!;
    const len = payload[i + 1]! | (payload[i + 2]! << 8);
    if (i + 3 + len > payload.length) return undefined;
    if (type === 0x02 && len === 4) {
      const v = payload.subarray(i + 3, i + 7);
      return { result: v[0]! | (v[1]! << 8), error: v[2]! | (v[3]! << 8) };
    }
    i += 3 + len;
  }
  return undefined;
}

/**
 * How the MSM kernel QMI framework turns a handler's negative errno into the error of its
 * failure response; anything not listed becomes INTERNAL.
 */
export function errnoToQmiError(errno: number): number {
  switch (Math.abs(errno)) {
    case 111: // ECONNREFUSED
      return QmiErr.CLIENT_IDS_EXHAUSTED;
    case 74: // EBADMSG
      return QmiErr.ENCODING;
    case 12: // ENOMEM
      return QmiErr.NO_MEMORY;
    case 95: // EOPNOTSUPP
      return QmiErr.MALFORMED_MSG;
    case 524: // ENOTSUPP
      return QmiErr.NOT_SUPPORTED;
    default:
      return QmiErr.INTERNAL;
  }
}

/** Thrown by a service handler to answer FAILURE with a specific QMI error. */
export class QmiRequestError extends Error {
  override readonly name = 'QmiRequestError';
  constructor(
    readonly error: number,
    detail?: string,
  ) {
    super(`${qmiErrName(error)}${detail ? `: ${detail}` : ''}`);
  }
}

/** A request got no response in time. */
export class QmiTimeoutError extends Error {
  override readonly name = 'QmiTimeoutError';
}

/** The server went away (DEL_SERVER / BYE, e.g. a subsystem restart) or the client closed. */
export class QmiServiceGoneError extends Error {
  override readonly name = 'QmiServiceGoneError';
}
