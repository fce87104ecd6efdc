/**
 * Splits a byte stream into length-prefixed messages: `u32 length (header included) | u32 id |
 * body`. Chunks are kept in a list with a read offset and each byte is copied once, into its
 * message, so reading is linear in the bytes received however the peer splits them. A length
 * outside [8, maxMessage] is reported before anything is buffered for it.
 */
export const MESSAGE_HEADER = 8;

export class MessageReader {
  private readonly chunks: Uint8Array[] = [];
  /** Read offset into chunks[0]. */
  private offset = 0;
  /** Unread bytes across all chunks. */
  private size = 0;
  private broken = false;
  private copied = 0;

  constructor(
    private readonly maxMessage: number,
    private readonly onMessage: (id: number, body: Uint8Array) => void,
    private readonly onBad: (why: string) => void,
  ) {}

  /** Unread bytes held. */
  get buffered(): number {
    return this.size;
  }

  /** Bytes copied so far: exactly the message bodies delivered, whatever the chunking. */
  get bytesCopied(): number {
    return this.copied;
  }

  push(chunk: Uint8Array): void {
    if (this.broken || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size >= MESSAGE_HEADER) {
      const len = this.peekU32(0);
      if (len < MESSAGE_HEADER || len > this.maxMessage) {
        this.broken = true;
        this.chunks.length = 0;
        this.size = 0;
        this.onBad(`message length ${len} outside [${MESSAGE_HEADER}, ${this.maxMessage}]`);
        return;
      }
      if (this.size < len) return;
      const id = this.peekU32(4);
      this.skip(MESSAGE_HEADER);
      // A buffer of its own: 8-aligned, so the stream's alignment holds in memory too.
      const body = new Uint8Array(len - MESSAGE_HEADER);
      this.read(body);
      this.onMessage(id, body);
      if (this.broken) return;
    }
  }

  /** Stops delivering messages (the connection is being torn down). */
  stop(): void {
    this.broken = true;
    this.chunks.length = 0;
    this.size = 0;
  }

  /** The little-endian u32 at `at` bytes past the read position (the caller checked `size`). */
  private peekU32(at: number): number {
    let value = 0;
    let ci = 0;
    let pos = this.offset + at;
    for (let i = 0; i < 4; i++) {
      while (pos >= this.chunks[ci]!.length) pos -= this.chunks[ci++]!.length;
      value |= this.chunks[ci]![pos++]! << (8 * i);
    }
    return value >>> 0;
  }

  private skip(n: number): void {
    this.consume(n, undefined);
  }

  private read(into: Uint8Array): void {
    this.consume(into.length, into);
  }

  private consume(n: number, into: Uint8Array | undefined): void {
    let done = 0;
    while (done < n) {
      const c = this.chunks[0]!;
      const take = Math.min(c.length - this.offset, n - done);
      if (into !== undefined) {
        into.set(c.subarray(this.offset, this.offset + take), done);
        this.copied += take;
      }
      done += take;
      this.offset += take;
      if (this.offset === c.length) {
        this.chunks.shift();
        this.offset = 0;
      }
    }
    this.size -= n;
  }
}
