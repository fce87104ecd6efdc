/**
 * `dspidl/codegen/qmi/v1`: everything generated QMI modules import, and nothing else (the
 * versioned contract between generated QMI code and the runtime; see ./v1.ts).
 */
export { q, type QmiValueType, type QmiFieldDescriptor, type QmiElementDescriptor } from '../../qmi/codec/descriptor.ts';
export { createQmiCodec, type QmiMessageCodec } from '../../qmi/codec/codec.ts';
export { createQmiServiceTable, type QmiServiceTable } from '../../qmi/codec/service.ts';
