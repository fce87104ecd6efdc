/** QMI TLV codec runtime: descriptor-driven, with qmi_idl_lib's decoding verdicts. */
export { QmiDecodeError, QMI_CODEC_ERROR_CODES, isQmiCodecErrorKind, type QmiCodecErrorKind } from './errors.ts';
export {
  maxFieldSize,
  maxMessageLength,
  prefixWidth,
  scalarWidth,
  type QmiArrayShape,
  type QmiElementDescriptor,
  type QmiFieldDescriptor,
  type QmiMessageDescriptor,
  type QmiMessageKind,
  type QmiScalarType,
  type QmiValueType,
} from './descriptor.ts';
export { encodeQmiMessage } from './encode.ts';
export { decodeQmiMessage, zeroValue, type QmiDecodeOptions } from './decode.ts';
export { createQmiCodec, type QmiMessageCodec } from './codec.ts';
export { createQmiServiceTable, type QmiServiceMessage, type QmiServiceTable } from './service.ts';
