/**
 * The shape of a per-message codec this layer needs; generated codecs (runtime/qmi/codec)
 * satisfy it structurally. Method syntax keeps codecs of different value types assignable.
 */
export interface QmiCodec<T> {
  encode(values: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/** A request/response pair sharing one message id. */
export interface QmiMethod<Req, Resp> {
  readonly msgId: number;
  readonly request: QmiCodec<Req>;
  readonly response: QmiCodec<Resp>;
}

export interface QmiIndicationDef<Ind> {
  readonly msgId: number;
  readonly indication: QmiCodec<Ind>;
}

export function defineQmiMethod<Req, Resp>(msgId: number, request: QmiCodec<Req>, response: QmiCodec<Resp>): QmiMethod<Req, Resp> {
  return { msgId, request, response };
}
