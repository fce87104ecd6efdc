import { decodeQmiMessage, type QmiDecodeOptions } from './decode.ts';
import { encodeQmiMessage } from './encode.ts';
import { maxMessageLength, type QmiMessageDescriptor } from './descriptor.ts';

/** Encoder/decoder of one QMI message type, values typed as `T`. */
export interface QmiMessageCodec<T extends object> {
  readonly descriptor: QmiMessageDescriptor;
  /** Largest payload this message can encode to (the generated tables' max_msg_len). */
  readonly maxLength: number;
  encode(values: T): Uint8Array;
  decode(bytes: Uint8Array, options?: QmiDecodeOptions): T;
}

export function createQmiCodec<T extends object>(descriptor: QmiMessageDescriptor): QmiMessageCodec<T> {
  return {
    descriptor,
    maxLength: maxMessageLength(descriptor),
    encode: (values: T) => encodeQmiMessage(descriptor, values),
    decode: (bytes: Uint8Array, options?: QmiDecodeOptions) => decodeQmiMessage(descriptor, bytes, options) as T,
  };
}
