import { Errno, KernelError } from '../errno.ts';

/** The TCSR mutex block has 32 lock registers. */
export const QCOM_MUTEX_NUM_LOCKS = 32;
/** A processor writes its own id into a lock register to take it; APPS is 1 (= host 0 + 1). */
export const QCOM_MUTEX_APPS_PROC_ID = 1;

/** What a shared lock bank looks like when posted to another worker. */
export interface HwSpinlockBankShare {
  readonly buffer: SharedArrayBuffer;
}

/**
 * The TCSR hardware mutex block: one 32-bit register per lock, holding 0 when free or the
 * id of the owning processor. Backed by a SharedArrayBuffer so every worker (= processor)
 * sees the same registers.
 */
export class HwSpinlockBank {
  readonly words: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(QCOM_MUTEX_NUM_LOCKS * 4)) {
    this.words = new Int32Array(buffer);
  }

  static fromShare(share: HwSpinlockBankShare): HwSpinlockBank {
    return new HwSpinlockBank(share.buffer);
  }

  share(): HwSpinlockBankShare {
    return { buffer: this.buffer };
  }

  lock(index: number): HwSpinlock {
    if (!Number.isInteger(index) || index < 0 || index >= this.words.length) {
      throw new KernelError(Errno.EINVAL, `hwspinlock ${index} out of range`);
    }
    return new HwSpinlock(this.words, index);
  }
}

/**
 * One hardware lock. Taking it is a compare-and-swap 0 -> owner id, so two workers of the same
 * processor also exclude each other (the real driver adds a local spinlock for that).
 * Waiting uses Atomics.wait, so it must not run on a thread that may not block (browsers'
 * main thread); Node's main thread may.
 */
export class HwSpinlock {
  constructor(
    private readonly words: Int32Array,
    readonly index: number,
  ) {}

  tryLock(owner: number): boolean {
    return Atomics.compareExchange(this.words, this.index, 0, owner) === 0;
  }

  /** Takes the lock or throws KernelError(-ETIMEDOUT) after `timeoutMs`. */
  lockTimeout(owner: number, timeoutMs: number): void {
    if (owner === 0) throw new KernelError(Errno.EINVAL, 'owner id 0 means unlocked');
    for (let spin = 0; spin < 64; spin++) {
      if (this.tryLock(owner)) return;
    }
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.compareExchange(this.words, this.index, 0, owner);
      if (seen === 0) return;
      const remaining = deadline - performance.now();
      if (remaining <= 0) throw new KernelError(Errno.ETIMEDOUT, `hwspinlock ${this.index} held by ${seen}`);
      Atomics.wait(this.words, this.index, seen, remaining);
    }
  }

  unlock(): void {
    Atomics.store(this.words, this.index, 0);
    Atomics.notify(this.words, this.index, 1);
  }

  /** The current register value: 0 when free, else the owner's id. */
  owner(): number {
    return Atomics.load(this.words, this.index);
  }

  /**
   * Frees the lock if `owner` holds it (a crashed remote processor); returns whether it did.
   * A lock that is free or held by someone else is left alone.
   */
  bust(owner: number): boolean {
    const released = Atomics.compareExchange(this.words, this.index, owner, 0) === owner;
    if (released) Atomics.notify(this.words, this.index);
    return released;
  }
}
