import { QmiErrorType, QmiResultType } from '../../interfaces/common_v01.ts';

/** `qmi_result_type` values (from common_v01.idl). */
export const QmiResult = { SUCCESS: QmiResultType.QMI_RESULT_SUCCESS, FAILURE: QmiResultType.QMI_RESULT_FAILURE } as const;

type ShortName<K> = K extends `QMI_ERR_${infer N}` ? N : never;
type QmiErrTable = { readonly [K in keyof typeof QmiErrorType as ShortName<K>]: (typeof QmiErrorType)[K] };

function shortNames(): QmiErrTable {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(QmiErrorType)) out[k.slice('QMI_ERR_'.length)] = v;
  // Built from QmiErrorType key by key, so it has exactly the mapped type's members.
  return out as QmiErrTable;
}

/**
 * `qmi_error_type` values by their short names (`QmiErr.INTERNAL`). The table is
 * common_v01.idl's, the same one generated QMI modules import.
 */
export const QmiErr: QmiErrTable = shortNames();
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

/** Every transaction id is in flight: the request was not sent. */
export class QmiTxnExhaustedError extends Error {
  override readonly name = 'QmiTxnExhaustedError';
}

/** A message a client dropped (reported through QmiClientOptions.onError). */
export class QmiDroppedMessageError extends Error {
  override readonly name = 'QmiDroppedMessageError';
}
