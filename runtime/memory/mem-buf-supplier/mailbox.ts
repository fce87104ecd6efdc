/**
 * The message queue between a consumer VM and a supplier VM that runs in another thread: one
 * request and one response word block in a SharedArrayBuffer. The consumer's ALLOC blocks in
 * Atomics.wait for the response, as mem_buf_txn_wait blocks in wait_for_completion_timeout.
 */

/** Int32 words of the mailbox. */
export const Mail = {
  REQ_SEQ: 0,
  RESP_SEQ: 1,
  /** Non-zero: the supplier VM does not run (it reads requests but answers only once resumed). */
  STALLED: 2,
  REQ_TXN: 3,
  REQ_SIZE: 4,
  RESP_TXN: 5,
  /** 0, or a negative errno. */
  RESP_STATUS: 6,
  RESP_PA_LO: 7,
  RESP_PA_HI: 8,
  RESP_SIZE: 9,
  /** Non-zero: the supplier's loop returns. */
  CLOSED: 10,
} as const;

export const MAILBOX_WORDS = 16;

export function createMailbox(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(MAILBOX_WORDS * 4));
}

/** A response as the consumer reads it. */
export interface SupplierResponse {
  readonly txn: number;
  readonly status: number;
  readonly pa: bigint;
  readonly size: number;
}

export function readResponse(box: Int32Array): SupplierResponse {
  const lo = BigInt(Atomics.load(box, Mail.RESP_PA_LO) >>> 0);
  const hi = BigInt(Atomics.load(box, Mail.RESP_PA_HI) >>> 0);
  return {
    txn: Atomics.load(box, Mail.RESP_TXN),
    status: Atomics.load(box, Mail.RESP_STATUS),
    pa: (hi << 32n) | lo,
    size: Atomics.load(box, Mail.RESP_SIZE) >>> 0,
  };
}
