/**
 * Failures of the QMI TLV encoder/decoder, named and numbered as Qualcomm's qmi_idl_lib
 * reports them, so a verdict can be compared with the library's return code.
 */
export const QMI_CODEC_ERROR_CODES = {
  BUFFER_TOO_SMALL: -41,
  ARRAY_TOO_BIG: -42,
  MESSAGE_ID_NOT_FOUND: -43,
  TLV_DUPLICATED: -44,
  LENGTH_INCONSISTENCY: -45,
  MISSING_TLV: -46,
  PARAMETER_ERROR: -47,
  UNKNOWN_MANDATORY_TLV: -49,
} as const;

export type QmiCodecErrorKind = keyof typeof QMI_CODEC_ERROR_CODES;

export function isQmiCodecErrorKind(s: string): s is QmiCodecErrorKind {
  return Object.prototype.hasOwnProperty.call(QMI_CODEC_ERROR_CODES, s);
}

/** The only exception the codec throws, for bad bytes and for values it cannot encode. */
export class QmiDecodeError extends Error {
  override readonly name = 'QmiDecodeError';
  /** qmi_idl_lib's numeric code (negative), e.g. -45 for LENGTH_INCONSISTENCY. */
  readonly code: number;

  constructor(
    readonly kind: QmiCodecErrorKind,
    detail: string,
    /** Byte offset in the payload where the problem was found, when it has one. */
    readonly offset?: number,
    /** The element (and member path) being processed. */
    readonly element?: string,
  ) {
    super(`${kind}: ${detail}${element !== undefined ? ` (${element})` : ''}${offset !== undefined ? ` at offset ${offset}` : ''}`);
    this.code = QMI_CODEC_ERROR_CODES[kind];
  }
}
