import type { QrtrChannel, QrtrPacket } from './channel.ts';
import {
  NameService,
  QRTR_PORT_CTRL,
  QrtrCtrl,
  decodeCtrlPacket,
  encodeCtrlPacket,
  instanceWord,
  type NameServiceEvent,
  type QmiServiceId,
  type QrtrAddress,
  type QrtrLookupFilter,
  type QrtrServer,
} from './qrtr.ts';

export type DatagramHandler = (src: QrtrAddress, payload: Uint8Array) => void;

/** First port number handed out; QRTR allocates ephemeral ports from 0x4000 upward. */
const FIRST_EPHEMERAL_PORT = 0x4000;

/**
 * One processor's QRTR router: sockets (ports) on this node, links to other nodes, and the
 * name service that tracks servers everywhere. Datagrams to a local port are delivered
 * asynchronously (in a later event-loop turn, in order); datagrams to another node go over the link to that node.
 */
export class QrtrRouter {
  readonly nameService = new NameService();
  private readonly sockets = new Map<number, QrtrSocket>();
  private readonly links = new Map<number, QrtrChannel>();
  private nextPort = FIRST_EPHEMERAL_PORT;

  constructor(readonly node: number) {}

  /** Open sockets on this node (for leak checks). */
  get socketCount(): number {
    return this.sockets.size;
  }

  /** Opens a socket on a fresh port (or the given one). */
  open(port?: number): QrtrSocket {
    let p = port;
    if (p === undefined) {
      while (this.sockets.has(this.nextPort)) this.nextPort++;
      p = this.nextPort++;
    } else if (this.sockets.has(p)) {
      throw new Error(`QRTR port ${p} already in use on node ${this.node}`);
    }
    const socket = new QrtrSocket(this, { node: this.node, port: p });
    this.sockets.set(p, socket);
    return socket;
  }

  /**
   * Links this router to the router of node `remoteNode`. Local servers are announced to
   * it; when the link goes away everything learned from it is withdrawn (as on BYE).
   */
  connect(remoteNode: number, channel: QrtrChannel): void {
    if (this.links.has(remoteNode)) throw new Error(`node ${this.node} already linked to node ${remoteNode}`);
    this.links.set(remoteNode, channel);
    channel.onPacket((packet) => this.fromLink(remoteNode, packet));
    channel.onClose(() => this.linkLost(remoteNode, channel));
    this.sendCtrl(remoteNode, { cmd: QrtrCtrl.HELLO });
    this.announceLocalServers(remoteNode);
  }

  private announceLocalServers(remoteNode: number): void {
    for (const server of this.nameService.list()) {
      if (server.node === this.node) this.sendCtrl(remoteNode, { cmd: QrtrCtrl.NEW_SERVER, server });
    }
  }

  /** Drops the link to `remoteNode` (the far side sees it close). */
  disconnect(remoteNode: number): void {
    const channel = this.links.get(remoteNode);
    if (!channel) return;
    channel.close();
    this.linkLost(remoteNode, channel);
  }

  isLinked(remoteNode: number): boolean {
    return this.links.has(remoteNode);
  }

  /** Watches servers matching `filter` (NEW_LOOKUP); returns the cancel function. */
  lookup(filter: QrtrLookupFilter, notify: (e: NameServiceEvent) => void): () => void {
    return this.nameService.lookup(filter, notify);
  }

  /** Resolves with the first server matching `id`, waiting up to `timeoutMs` for one to appear. */
  waitForServer(id: QmiServiceId, timeoutMs = 5000): Promise<QrtrServer> {
    const filter = { service: id.service, instance: instanceWord(id.version, id.instance) };
    return new Promise((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        cancel();
        reject(new Error(`no server for service 0x${id.service.toString(16)} instance word 0x${filter.instance.toString(16)}`));
      }, timeoutMs);
      // A server that already exists is reported synchronously, before `cancel` is bound.
      const cancel = this.lookup(filter, (e) => {
        if (done || e.type !== 'new') return;
        done = true;
        clearTimeout(timer);
        queueMicrotask(() => cancel());
        resolve(e.server);
      });
    });
  }

  /** @internal used by QrtrSocket */
  route(src: QrtrAddress, dst: QrtrAddress, payload: Uint8Array): void {
    if (dst.node === this.node) {
      // A macrotask, as a socket's data event is: a request/response loop between two local
      // sockets must not starve timers and I/O (microtasks would run it without end).
      const copy = payload.slice();
      setImmediate(() => this.sockets.get(dst.port)?.deliver(src, copy));
      return;
    }
    this.links.get(dst.node)?.post({ src, dst, payload });
  }

  /** @internal */
  publish(socket: QrtrSocket, id: QmiServiceId): QrtrServer {
    const server: QrtrServer = {
      service: id.service,
      instance: instanceWord(id.version, id.instance),
      node: this.node,
      port: socket.address.port,
    };
    this.nameService.add(server);
    for (const remote of this.links.keys()) this.sendCtrl(remote, { cmd: QrtrCtrl.NEW_SERVER, server });
    return server;
  }

  /** @internal */
  unpublish(server: QrtrServer): void {
    if (!this.nameService.remove(server.node, server.port)) return;
    for (const remote of this.links.keys()) this.sendCtrl(remote, { cmd: QrtrCtrl.DEL_SERVER, server });
  }

  /** @internal */
  closed(socket: QrtrSocket): void {
    this.sockets.delete(socket.address.port);
    const client = socket.address;
    for (const s of this.sockets.values()) s.clientGone(client);
    for (const remote of this.links.keys()) this.sendCtrl(remote, { cmd: QrtrCtrl.DEL_CLIENT, client });
  }

  private sendCtrl(remoteNode: number, packet: Parameters<typeof encodeCtrlPacket>[0]): void {
    this.links.get(remoteNode)?.post({
      src: { node: this.node, port: QRTR_PORT_CTRL },
      dst: { node: remoteNode, port: QRTR_PORT_CTRL },
      payload: encodeCtrlPacket(packet),
    });
  }

  private fromLink(remoteNode: number, packet: QrtrPacket): void {
    if (packet.dst.port === QRTR_PORT_CTRL) {
      const ctrl = decodeCtrlPacket(packet.payload);
      if (!ctrl) return;
      switch (ctrl.cmd) {
        case QrtrCtrl.NEW_SERVER:
          // A node may only announce its own servers.
          if (ctrl.server.node === remoteNode) this.nameService.add(ctrl.server);
          break;
        case QrtrCtrl.DEL_SERVER:
          if (ctrl.server.node === remoteNode) this.nameService.remove(ctrl.server.node, ctrl.server.port);
          break;
        case QrtrCtrl.DEL_CLIENT:
          // A node may only report its own clients gone (Linux's name service drops the rest).
          if (ctrl.client.node === remoteNode) for (const s of this.sockets.values()) s.clientGone(ctrl.client);
          break;
        case QrtrCtrl.BYE:
          this.nameService.removeNode(remoteNode);
          break;
        case QrtrCtrl.HELLO:
          // A (re)started peer: tell it about our servers again (adds are idempotent).
          this.announceLocalServers(remoteNode);
          break;
        default:
          break;
      }
      return;
    }
    if (packet.dst.node !== this.node || packet.src.node !== remoteNode) return;
    this.sockets.get(packet.dst.port)?.deliver(packet.src, packet.payload);
  }

  private linkLost(remoteNode: number, channel: QrtrChannel): void {
    if (this.links.get(remoteNode) !== channel) return;
    this.links.delete(remoteNode);
    this.nameService.removeNode(remoteNode);
  }
}

/** A datagram socket bound to (node, port). */
export class QrtrSocket {
  private handler: DatagramHandler | undefined;
  private readonly goneHandlers = new Set<(client: QrtrAddress) => void>();
  private readonly published: QrtrServer[] = [];
  private isClosed = false;

  /** @internal created by QrtrRouter.open */
  constructor(
    readonly router: QrtrRouter,
    readonly address: QrtrAddress,
  ) {}

  send(dst: QrtrAddress, payload: Uint8Array): void {
    if (this.isClosed) throw new Error('QRTR socket is closed');
    this.router.route(this.address, dst, payload);
  }

  onMessage(handler: DatagramHandler): void {
    this.handler = handler;
  }

  /** Called when a client somewhere closed its socket (DEL_CLIENT). */
  onClientGone(handler: (client: QrtrAddress) => void): () => void {
    this.goneHandlers.add(handler);
    return () => this.goneHandlers.delete(handler);
  }

  /** Announces a server at this socket (NEW_SERVER). */
  publish(id: QmiServiceId): QrtrServer {
    const server = this.router.publish(this, id);
    this.published.push(server);
    return server;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const s of this.published.splice(0)) this.router.unpublish(s);
    this.router.closed(this);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** @internal */
  deliver(src: QrtrAddress, payload: Uint8Array): void {
    if (!this.isClosed) this.handler?.(src, payload);
  }

  /** @internal */
  clientGone(client: QrtrAddress): void {
    for (const h of [...this.goneHandlers]) h(client);
  }
}
