import type { MessagePort } from 'node:worker_threads';
import type { QrtrAddress } from './qrtr.ts';

/** One datagram between two routers. */
export interface QrtrPacket {
  readonly src: QrtrAddress;
  readonly dst: QrtrAddress;
  readonly payload: Uint8Array;
}

/**
 * A point-to-point link between two routers (two processors): in-process, a MessagePort to a
 * worker thread, or anything else that can carry packets in order.
 */
export interface QrtrChannel {
  post(packet: QrtrPacket): void;
  onPacket(handler: (packet: QrtrPacket) => void): void;
  /** Called once when the other side goes away (closed, crashed, terminated). */
  onClose(handler: () => void): void;
  close(): void;
  /** Why the link closed when it was not a close of either side (a corrupt ring), if the link can tell. */
  readonly closeReason?: string | undefined;
}

/** Two connected in-process channels. Delivery is asynchronous and copies the bytes. */
export function createChannelPair(): [QrtrChannel, QrtrChannel] {
  type End = {
    handler?: (p: QrtrPacket) => void;
    /** Packets that arrived before a handler was attached (a real link buffers them too). */
    queued: QrtrPacket[];
    closeHandlers: (() => void)[];
    closed: boolean;
    peer?: End;
  };
  const a: End = { queued: [], closeHandlers: [], closed: false };
  const b: End = { queued: [], closeHandlers: [], closed: false };
  a.peer = b;
  b.peer = a;
  const make = (self: End): QrtrChannel => ({
    post(packet) {
      const peer = self.peer!;
      if (self.closed || peer.closed) return;
      const copy = { src: packet.src, dst: packet.dst, payload: packet.payload.slice() };
      queueMicrotask(() => {
        if (peer.closed) return;
        if (peer.handler) peer.handler(copy);
        else peer.queued.push(copy);
      });
    },
    onPacket(handler) {
      self.handler = handler;
      const backlog = self.queued.splice(0);
      if (backlog.length > 0) queueMicrotask(() => backlog.forEach((p) => self.handler?.(p)));
    },
    onClose(handler) {
      self.closeHandlers.push(handler);
    },
    close() {
      if (self.closed) return;
      self.closed = true;
      const peer = self.peer!;
      queueMicrotask(() => {
        if (peer.closed) return;
        peer.closed = true;
        for (const h of peer.closeHandlers) h();
      });
    },
  });
  return [make(a), make(b)];
}

interface WirePacket {
  readonly qrtr: 'pkt';
  readonly sn: number;
  readonly sp: number;
  readonly dn: number;
  readonly dp: number;
  readonly payload: Uint8Array;
}

function isWirePacket(m: unknown): m is WirePacket {
  return typeof m === 'object' && m !== null && (m as { qrtr?: unknown }).qrtr === 'pkt';
}

/**
 * A channel over a MessagePort (e.g. one end of a MessageChannel handed to a worker).
 * The port's 'close' event, which also fires when the worker on the far side is terminated,
 * counts as the peer going away.
 */
export function messagePortChannel(port: MessagePort): QrtrChannel {
  const closeHandlers: (() => void)[] = [];
  let closed = false;
  const fireClose = () => {
    if (closed) return;
    closed = true;
    for (const h of closeHandlers) h();
  };
  port.on('close', fireClose);
  return {
    post(packet) {
      if (closed) return;
      const msg: WirePacket = {
        qrtr: 'pkt',
        sn: packet.src.node,
        sp: packet.src.port,
        dn: packet.dst.node,
        dp: packet.dst.port,
        payload: packet.payload,
      };
      port.postMessage(msg);
    },
    onPacket(handler) {
      port.on('message', (m: unknown) => {
        if (isWirePacket(m)) handler({ src: { node: m.sn, port: m.sp }, dst: { node: m.dn, port: m.dp }, payload: m.payload });
      });
    },
    onClose(handler) {
      closeHandlers.push(handler);
    },
    close() {
      if (closed) return;
      port.close();
      fireClose();
    },
  };
}
