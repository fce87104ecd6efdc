/**
 * A mem-buf supplier VM running in another worker thread, reached by messages: the consumer's
 * ALLOC posts a request in the mailbox and blocks for the response up to MEM_BUF_TIMEOUT_MS
 * (-ETIMEDOUT after), as mem_buf_txn_wait does. The supplier allocates from its own heap (a
 * carve-out it owns) in its thread; its lend to the consumer's ACL is carried out by the
 * hypervisor's resource manager in this thread when the response arrives. A response that comes
 * after its requester gave up finds no transaction and is dropped, its memory left allocated in
 * the supplier's heap.
 */
import type { Worker } from 'node:worker_threads';
import { Errno, KernelError } from '../errno.ts';
import { ScmPerm, Vmid } from '../ownership.ts';
import { startWorker } from '../../transport/start-worker.ts';
import { siblingModule } from '../../transport/module-loading.ts';
import { MEM_BUF_GRANULE, MEM_BUF_TIMEOUT_MS, type AllocRequest, type AllocSupplier, type ResourceManager } from '../mem-buf.ts';
import { Mail, createMailbox, readResponse } from './mailbox.ts';

export interface WorkerSupplierOptions {
  /** Bytes of the supplier's heap, carved out of physical memory at start (a multiple of 2 MiB). */
  readonly heapBytes: number;
  /** How long an ALLOC waits for the response, in ms (default MEM_BUF_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

interface Piece {
  readonly pa: bigint;
  readonly size: number;
}

interface LentPiece extends Piece {
  /** Its owners while lent (what giving it back assigns from). */
  readonly owners: bigint;
}

// The entry beside this module, .ts in a clone and .js in the package.
const ENTRY = siblingModule(import.meta.url, 'supplier-entry');

export class WorkerSupplier implements AllocSupplier {
  readonly vm = 'primary' as const;
  readonly worker: Worker;
  /** Resolves once the supplier's thread is serving. */
  readonly ready: Promise<void>;
  /** Responses that came after their requester had given up (dropped). */
  readonly droppedResponses: { readonly txn: number; readonly pa: bigint }[] = [];
  private readonly box = createMailbox();
  private readonly lent = new Map<number, LentPiece>();
  private readonly timeoutMs: number;
  private respSeen = 0;
  private readonly heap: { readonly pa: bigint; readonly size: number };

  constructor(
    private readonly rm: ResourceManager,
    options: WorkerSupplierOptions,
  ) {
    if (options.heapBytes <= 0 || options.heapBytes % MEM_BUF_GRANULE !== 0) {
      throw new RangeError(`the supplier heap is a positive multiple of ${MEM_BUF_GRANULE} bytes`);
    }
    this.timeoutMs = options.timeoutMs ?? MEM_BUF_TIMEOUT_MS;
    const carve = rm.phys.allocContiguous(options.heapBytes, MEM_BUF_GRANULE);
    this.heap = { pa: carve.pa, size: carve.size };
    this.worker = startWorker(ENTRY, [], {
      workerData: { share: rm.phys.share(), mailbox: this.box, heap: { base: carve.pa, size: carve.size }, granule: MEM_BUF_GRANULE },
    });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', () => resolve());
      this.worker.once('error', reject);
    });
  }

  /** Blocks this thread until the supplier answers `req` or the timeout passes. */
  receiveAlloc(req: AllocRequest): number | undefined {
    this.dropLate(-1);
    const box = this.box;
    Atomics.store(box, Mail.REQ_TXN, req.txn);
    Atomics.store(box, Mail.REQ_SIZE, req.size);
    Atomics.add(box, Mail.REQ_SEQ, 1);
    Atomics.notify(box, Mail.REQ_SEQ);
    const deadline = performance.now() + this.timeoutMs;
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(box, Mail.RESP_SEQ, this.respSeen, left) === 'timed-out') return undefined;
      const resp = readResponse(box);
      this.respSeen = Atomics.load(box, Mail.RESP_SEQ);
      if (resp.txn !== req.txn) {
        this.droppedResponses.push({ txn: resp.txn, pa: resp.pa });
        continue;
      }
      if (resp.status < 0) throw new KernelError(resp.status, `the supplier VM refused ${req.size} bytes`);
      return this.lend({ pa: resp.pa, size: resp.size }, req);
    }
  }

  /** The hypervisor's side of the supplier's lend: assign to the ACL and register the memparcel. */
  private lend(piece: Piece, req: AllocRequest): number {
    let lent: { handle: number; owners: bigint };
    try {
      lent = this.rm.lend([piece], Vmid.HLOS, req.acl, this.vm);
    } catch (e) {
      this.worker.postMessage({ free: piece.pa.toString() });
      throw new KernelError(Errno.EINVAL, (e as Error).message);
    }
    this.lent.set(lent.handle, { ...piece, owners: lent.owners });
    return lent.handle;
  }

  relinquish(handle: number): void {
    const piece = this.lent.get(handle);
    if (!piece) return;
    this.lent.delete(handle);
    this.rm.unregister(handle);
    this.rm.ownership.assign([piece], piece.owners, [{ vmid: Vmid.HLOS, perm: ScmPerm.RWX }]);
    this.worker.postMessage({ free: piece.pa.toString() });
  }

  /** Responses that arrived while nobody waited: their transactions are gone. */
  private dropLate(openTxn: number): void {
    const now = Atomics.load(this.box, Mail.RESP_SEQ);
    if (now === this.respSeen) return;
    const resp = readResponse(this.box);
    this.respSeen = now;
    if (resp.txn !== openTxn) this.droppedResponses.push({ txn: resp.txn, pa: resp.pa });
  }

  /** The supplier VM stops running: it takes requests but answers none until `resume`. */
  stall(): void {
    Atomics.store(this.box, Mail.STALLED, 1);
  }

  resume(): void {
    Atomics.store(this.box, Mail.STALLED, 0);
    Atomics.notify(this.box, Mail.STALLED);
  }

  /** Memory lent and not given back (for invariant checks). */
  get lentCount(): number {
    return this.lent.size;
  }

  /** Stops the supplier's thread and returns its heap. */
  async close(): Promise<void> {
    Atomics.store(this.box, Mail.CLOSED, 1);
    Atomics.notify(this.box, Mail.REQ_SEQ);
    Atomics.notify(this.box, Mail.STALLED);
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    const timer = setTimeout(() => void this.worker.terminate(), 2000);
    await exited;
    clearTimeout(timer);
    this.rm.phys.free(this.heap.pa);
  }
}
