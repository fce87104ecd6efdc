import type { QrtrChannel, QrtrPacket } from './channel.ts';
import { waitAsync } from '../../transport/wait-async.ts';

/**
 * A QRTR link over one SharedArrayBuffer, for workers that can be handed data but not a
 * MessagePort (anything structured-clonable carries a SharedArrayBuffer). Two single-producer
 * single-consumer byte rings, one per direction; the receiver sleeps in Atomics.waitAsync.
 *
 * Layout: 64-byte header (per direction: write offset, read offset, writer-closed flag,
 * wake counter), then ring 0 (side 0 -> side 1), then ring 1. A record is a u32 payload
 * length, four u32 address words, the payload, padded to 4 bytes; a length of 0xFFFFFFFF
 * means "continue at offset 0".
 */
const HEADER_BYTES = 64;
const W = 0;
const R = 1;
const CLOSED = 2;
const WAKE = 3;
const RECORD_HEADER = 20;
const WRAP = -1;

export type SharedChannelSide = 0 | 1;

export function createSharedQrtrBuffer(ringBytes = 256 * 1024): SharedArrayBuffer {
  if (!Number.isInteger(ringBytes) || ringBytes % 4 !== 0 || ringBytes < 1024)
    throw new RangeError('ring size must be a multiple of 4, at least 1 KiB');
  return new SharedArrayBuffer(HEADER_BYTES + 2 * ringBytes);
}

export function sharedBufferChannel(buffer: SharedArrayBuffer, side: SharedChannelSide): QrtrChannel {
  const cap = (buffer.byteLength - HEADER_BYTES) / 2;
  if (!Number.isInteger(cap) || cap % 4 !== 0 || cap < 1024) throw new RangeError('not a shared QRTR buffer');
  const ctl = new Int32Array(buffer, 0, HEADER_BYTES / 4);
  const out = side; // ring this side writes
  const inn = 1 - side; // ring this side reads
  const ringBytes = (d: number) => new Uint8Array(buffer, HEADER_BYTES + d * cap, cap);
  const outBytes = ringBytes(out);
  const inBytes = ringBytes(inn);
  const outView = new DataView(buffer, HEADER_BYTES + out * cap, cap);
  const inView = new DataView(buffer, HEADER_BYTES + inn * cap, cap);
  const word = (d: number, i: number) => d * 8 + i;

  let handler: ((p: QrtrPacket) => void) | undefined;
  const closeHandlers: (() => void)[] = [];
  let closed = false;
  const backlog: QrtrPacket[] = [];
  let retry: ReturnType<typeof setTimeout> | undefined;

  const fireClose = () => {
    if (closed) return;
    closed = true;
    if (retry) clearTimeout(retry);
    for (const h of closeHandlers) h();
  };

  /** The peer's ring cannot be trusted any more: close this side, as a peer that went away. */
  let corruption: string | undefined;
  const corrupt = (why: string): void => {
    corruption ??= why;
    Atomics.store(ctl, word(out, CLOSED), 1);
    Atomics.add(ctl, word(out, WAKE), 1);
    Atomics.notify(ctl, word(out, WAKE));
    fireClose();
  };

  const tryWrite = (p: QrtrPacket): boolean => {
    const size = RECORD_HEADER + Math.ceil(p.payload.length / 4) * 4;
    if (size + 4 > cap) throw new RangeError(`packet of ${p.payload.length} bytes does not fit a ${cap}-byte ring`);
    let w = Atomics.load(ctl, word(out, W));
    const r = Atomics.load(ctl, word(out, R));
    const used = (w - r + cap) % cap;
    const tail = cap - w;
    const needed = tail < size ? tail + size : size;
    if (used + needed + 4 > cap) return false;
    if (tail < size) {
      outView.setInt32(w, WRAP, true);
      w = 0;
    }
    outView.setUint32(w, p.payload.length, true);
    outView.setUint32(w + 4, p.src.node, true);
    outView.setUint32(w + 8, p.src.port, true);
    outView.setUint32(w + 12, p.dst.node, true);
    outView.setUint32(w + 16, p.dst.port, true);
    outBytes.set(p.payload, w + RECORD_HEADER);
    Atomics.store(ctl, word(out, W), (w + size) % cap);
    Atomics.add(ctl, word(out, WAKE), 1);
    Atomics.notify(ctl, word(out, WAKE));
    return true;
  };

  const flush = () => {
    retry = undefined;
    while (backlog.length > 0 && !closed) {
      if (!tryWrite(backlog[0]!)) {
        // The reader is behind: try again shortly (datagrams are kept, in order).
        retry = setTimeout(flush, 1);
        return;
      }
      backlog.shift();
    }
  };

  /**
   * Delivers the records the peer wrote. Every offset and length comes from the other side and
   * is checked before use: a record must lie within what was written and within the ring. On
   * anything else the ring is corrupt and the channel closes; nothing is delivered past it.
   */
  const drain = () => {
    let r = Atomics.load(ctl, word(inn, R));
    const w = Atomics.load(ctl, word(inn, W));
    const aligned = (x: number) => x >= 0 && x < cap && x % 4 === 0;
    if (!aligned(r) || !aligned(w)) return corrupt(`ring offsets r=${r} w=${w} outside the ${cap}-byte ring`);
    while (r !== w) {
      const available = (w - r + cap) % cap;
      if (available < 4) return corrupt(`${available} bytes cannot hold a record`);
      const len = inView.getInt32(r, true);
      if (len === WRAP) {
        // The writer skips the tail; what it skipped must not reach past what it wrote.
        if (w > r) return corrupt('wrap marker before the write offset');
        r = 0;
        continue;
      }
      const size = RECORD_HEADER + Math.ceil(len / 4) * 4;
      if (len < 0 || r + size > cap || size > available) return corrupt(`record of ${len} bytes at ${r} exceeds the written data`);
      const packet: QrtrPacket = {
        src: { node: inView.getUint32(r + 4, true), port: inView.getUint32(r + 8, true) },
        dst: { node: inView.getUint32(r + 12, true), port: inView.getUint32(r + 16, true) },
        payload: inBytes.slice(r + RECORD_HEADER, r + RECORD_HEADER + len),
      };
      r = (r + size) % cap;
      Atomics.store(ctl, word(inn, R), r);
      handler?.(packet);
      if (closed) return;
    }
  };

  const receiveLoop = async () => {
    while (!closed) {
      const seen = Atomics.load(ctl, word(inn, WAKE));
      drain();
      if (closed) return;
      if (Atomics.load(ctl, word(inn, CLOSED)) !== 0) {
        fireClose();
        return;
      }
      if (Atomics.load(ctl, word(inn, W)) !== Atomics.load(ctl, word(inn, R))) continue;
      const wait = waitAsync(ctl, word(inn, WAKE), seen);
      if (wait.async) await wait.value;
    }
  };

  return {
    get closeReason() {
      return corruption;
    },
    post(packet) {
      if (closed) return;
      if (backlog.length === 0 && tryWrite(packet)) return;
      backlog.push({ src: packet.src, dst: packet.dst, payload: packet.payload.slice() });
      retry ??= setTimeout(flush, 1);
    },
    onPacket(h) {
      const first = handler === undefined;
      handler = h;
      if (first) void receiveLoop();
    },
    onClose(h) {
      closeHandlers.push(h);
    },
    close() {
      if (closed) return;
      Atomics.store(ctl, word(out, CLOSED), 1);
      Atomics.add(ctl, word(out, WAKE), 1);
      Atomics.notify(ctl, word(out, WAKE));
      // Wake our own receive loop so it can finish.
      Atomics.add(ctl, word(inn, WAKE), 1);
      Atomics.notify(ctl, word(inn, WAKE));
      fireClose();
    },
  };
}
