/**
 * Memory for listener streams and areas, whose sizes change from call to call. Fresh memory pays
 * a page fault per page on first touch: on some machines that is several milliseconds per MiB,
 * far more than the copy it is allocated for. Buffers given back are kept, one per size class
 * (powers of two and 1.5 times them), up to a total, and handed out again for any size they fit
 * within one class: traffic that alternates between sizes reuses memory already faulted in.
 */

/** The smallest buffer the pool hands out; smaller requests share this class. */
const MIN_BYTES = 4096;

/** The size class of `n` bytes: the smallest 2^k or 1.5 * 2^k (k >= 12) that holds them. */
export function classBytes(n: number): number {
  if (n <= MIN_BYTES) return MIN_BYTES;
  const pow = 2 ** Math.ceil(Math.log2(n));
  return n <= pow * 0.75 ? pow * 0.75 : pow;
}

export class BufferPool {
  /**
   * Kept buffers by their length (a class size). A taken buffer leaves `undefined` behind
   * rather than its key: a Map emptied by delete shrinks its table and grows it again on the
   * next set, which costs more than the rest of a small reverse call's bookkeeping.
   */
  private readonly free = new Map<number, Uint8Array | undefined>();
  /** Memory this pool allocated (only that is ever taken back), with a view of all of it. */
  private readonly own = new WeakMap<ArrayBufferLike, Uint8Array>();
  private held = 0;

  /** `maxBytes`: the most the pool keeps in all; a buffer given back past it is dropped. */
  constructor(readonly maxBytes: number) {}

  /** Bytes kept for reuse. */
  get heldBytes(): number {
    return this.held;
  }

  /**
   * A buffer of `size` bytes, a view at the start of kept memory when some fits (its class or
   * the next one), else of fresh memory sized to the class. Its contents are unspecified.
   */
  take(size: number): Uint8Array {
    const cls = classBytes(size);
    const kept = this.takeKept(cls) ?? this.takeKept(classBytes(cls + 1));
    const whole = kept ?? this.allocate(cls);
    return size === whole.length ? whole : new Uint8Array(whole.buffer, 0, size);
  }

  private allocate(cls: number): Uint8Array {
    const fresh = new Uint8Array(cls);
    this.own.set(fresh.buffer, fresh);
    return fresh;
  }

  private takeKept(cls: number): Uint8Array | undefined {
    const b = this.free.get(cls);
    if (b === undefined) return undefined;
    this.free.set(cls, undefined);
    this.held -= cls;
    return b;
  }

  /**
   * Gives back the memory under a buffer `take` returned; the caller must not use it again.
   * Anything else (a caller's own buffer) is ignored.
   */
  give(view: Uint8Array): void {
    const whole = this.own.get(view.buffer);
    if (whole === undefined || this.free.get(whole.length) !== undefined || this.held + whole.length > this.maxBytes) return;
    this.free.set(whole.length, whole);
    this.held += whole.length;
  }
}
