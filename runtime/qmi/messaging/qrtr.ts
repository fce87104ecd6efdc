/** QRTR addressing and control packets, as the kernel's AF_QIPCRTR and its name service use them. */

export interface QrtrAddress {
  readonly node: number;
  readonly port: number;
}

export const QRTR_PORT_CTRL = 0xfffffffe;
export const QRTR_NODE_BCAST = 0xffffffff;

export const QrtrCtrl = {
  DATA: 1,
  HELLO: 2,
  BYE: 3,
  NEW_SERVER: 4,
  DEL_SERVER: 5,
  DEL_CLIENT: 6,
  RESUME_TX: 7,
  EXIT: 8,
  PING: 9,
  NEW_LOOKUP: 10,
  DEL_LOOKUP: 11,
} as const;

/** A service identity: QMI service id plus the "instance word" (version | instance << 8). */
export interface QmiServiceId {
  readonly service: number;
  readonly version: number;
  readonly instance: number;
}

export function instanceWord(version: number, instance: number): number {
  return ((version & 0xff) | ((instance & 0xffffff) << 8)) >>> 0;
}

export function splitInstanceWord(word: number): { version: number; instance: number } {
  return { version: word & 0xff, instance: word >>> 8 };
}

export interface QrtrServer {
  readonly service: number;
  /** The instance word. */
  readonly instance: number;
  readonly node: number;
  readonly port: number;
}

export type QrtrCtrlPacket =
  | { readonly cmd: typeof QrtrCtrl.NEW_SERVER | typeof QrtrCtrl.DEL_SERVER; readonly server: QrtrServer }
  | { readonly cmd: typeof QrtrCtrl.DEL_CLIENT; readonly client: QrtrAddress }
  | { readonly cmd: typeof QrtrCtrl.HELLO | typeof QrtrCtrl.BYE };

/** 20-byte little-endian control packet: cmd, then service/instance/node/port or node/port. */
export function encodeCtrlPacket(p: QrtrCtrlPacket): Uint8Array {
  const out = new Uint8Array(20);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, p.cmd, true);
  if (p.cmd === QrtrCtrl.NEW_SERVER || p.cmd === QrtrCtrl.DEL_SERVER) {
    dv.setUint32(4, p.server.service, true);
    dv.setUint32(8, p.server.instance, true);
    dv.setUint32(12, p.server.node, true);
    dv.setUint32(16, p.server.port, true);
  } else if (p.cmd === QrtrCtrl.DEL_CLIENT) {
    dv.setUint32(4, p.client.node, true);
    dv.setUint32(8, p.client.port, true);
  }
  return out;
}

export function decodeCtrlPacket(bytes: Uint8Array): QrtrCtrlPacket | undefined {
  if (bytes.length < 4) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cmd = dv.getUint32(0, true);
  switch (cmd) {
    case QrtrCtrl.NEW_SERVER:
    case QrtrCtrl.DEL_SERVER:
      if (bytes.length < 20) return undefined;
      return {
        cmd,
        server: {
          service: dv.getUint32(4, true),
          instance: dv.getUint32(8, true),
          node: dv.getUint32(12, true),
          port: dv.getUint32(16, true),
        },
      };
    case QrtrCtrl.DEL_CLIENT:
      if (bytes.length < 12) return undefined;
      return { cmd, client: { node: dv.getUint32(4, true), port: dv.getUint32(8, true) } };
    case QrtrCtrl.HELLO:
    case QrtrCtrl.BYE:
      return { cmd };
    default:
      return undefined;
  }
}

/** A lookup filter: service 0 matches any service, instance word 0 any instance. */
export interface QrtrLookupFilter {
  readonly service: number;
  readonly instance: number;
}

export function serverMatches(server: QrtrServer, filter: QrtrLookupFilter): boolean {
  if (filter.service !== 0 && server.service !== filter.service) return false;
  return filter.instance === 0 || server.instance === filter.instance;
}

export type NameServiceEvent =
  | { readonly type: 'new'; readonly server: QrtrServer }
  | { readonly type: 'del'; readonly server: QrtrServer }
  /** Sent once after the servers that existed when the lookup started. */
  | { readonly type: 'end' };

/**
 * The table of known servers (local and learned from remote nodes) and the lookups
 * watching it. A new lookup gets every matching server, then 'end', then live changes.
 */
export class NameService {
  private readonly servers = new Map<string, QrtrServer>();
  private readonly lookups = new Set<{ filter: QrtrLookupFilter; notify: (e: NameServiceEvent) => void }>();

  /** Lookups being watched (for leak checks: each client watches one while it lives). */
  get lookupCount(): number {
    return this.lookups.size;
  }

  private static key(node: number, port: number): string {
    return `${node}:${port}`;
  }

  add(server: QrtrServer): void {
    const key = NameService.key(server.node, server.port);
    const old = this.servers.get(key);
    if (old && old.service === server.service && old.instance === server.instance) return;
    if (old) this.remove(old.node, old.port);
    this.servers.set(key, server);
    this.emit({ type: 'new', server });
  }

  remove(node: number, port: number): QrtrServer | undefined {
    const key = NameService.key(node, port);
    const server = this.servers.get(key);
    if (!server) return undefined;
    this.servers.delete(key);
    this.emit({ type: 'del', server });
    return server;
  }

  /** Everything a node published (its BYE or link loss). */
  removeNode(node: number): QrtrServer[] {
    const gone = [...this.servers.values()].filter((s) => s.node === node);
    for (const s of gone) this.remove(s.node, s.port);
    return gone;
  }

  list(filter: QrtrLookupFilter = { service: 0, instance: 0 }): QrtrServer[] {
    return [...this.servers.values()].filter((s) => serverMatches(s, filter));
  }

  /** Starts a lookup; returns its cancel function (DEL_LOOKUP). */
  lookup(filter: QrtrLookupFilter, notify: (e: NameServiceEvent) => void): () => void {
    const entry = { filter, notify };
    for (const server of this.list(filter)) notify({ type: 'new', server });
    notify({ type: 'end' });
    this.lookups.add(entry);
    return () => {
      this.lookups.delete(entry);
    };
  }

  private emit(e: NameServiceEvent): void {
    if (e.type === 'end') return;
    for (const l of [...this.lookups]) if (serverMatches(e.server, l.filter)) l.notify(e);
  }
}
