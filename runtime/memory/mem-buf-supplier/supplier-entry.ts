/**
 * The supplier VM of mem-buf in its own worker thread: it owns a carve-out of physical memory
 * (its heap), answers ALLOC requests from the mailbox by allocating 2 MiB-granular pieces of
 * it and zeroing them, and frees pieces the consumer gives back (postMessage, not waited for).
 * While stalled it takes requests but answers them only once it runs again.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PhysicalMemory, type PhysicalMemoryShare } from '../phys.ts';
import { Errno } from '../errno.ts';
import { Mail } from './mailbox.ts';
import { waitAsync } from '../../transport/wait-async.ts';

interface Data {
  readonly share: PhysicalMemoryShare;
  readonly mailbox: Int32Array;
  readonly heap: { readonly base: bigint; readonly size: number };
  readonly granule: number;
}

const data = workerData as Data;
const phys = PhysicalMemory.attach(data.share);
const box = data.mailbox;
const { granule } = data;
const slots = Math.floor(data.heap.size / granule);
/** Which granules of the heap are in use, and the run each allocation took. */
const used = new Uint8Array(slots);
const runs = new Map<bigint, number>();

function allocate(size: number): bigint | undefined {
  const n = Math.ceil(size / granule);
  for (let i = 0; i + n <= slots; i++) {
    let free = true;
    for (let j = i; j < i + n && free; j++) if (used[j]) free = false;
    if (!free) continue;
    used.fill(1, i, i + n);
    const pa = data.heap.base + BigInt(i * granule);
    runs.set(pa, n);
    phys.view(pa, n * granule).fill(0);
    return pa;
  }
  return undefined;
}

parentPort?.on('message', (m: { free?: string }) => {
  if (m.free === undefined) return;
  const pa = BigInt(m.free);
  const n = runs.get(pa);
  if (n === undefined) return;
  runs.delete(pa);
  const i = Number((pa - data.heap.base) / BigInt(granule));
  used.fill(0, i, i + n);
});

let seen = 0;
async function serve(): Promise<void> {
  for (;;) {
    if (Atomics.load(box, Mail.CLOSED)) return;
    if (Atomics.load(box, Mail.REQ_SEQ) === seen) {
      // Wait in slices so frees posted meanwhile are handled between requests.
      const w = waitAsync(box, Mail.REQ_SEQ, seen, 20);
      if (w.async) await w.value;
      continue;
    }
    seen = Atomics.load(box, Mail.REQ_SEQ);
    const txn = Atomics.load(box, Mail.REQ_TXN);
    const size = Atomics.load(box, Mail.REQ_SIZE) >>> 0;
    while (Atomics.load(box, Mail.STALLED) && !Atomics.load(box, Mail.CLOSED)) {
      const w = waitAsync(box, Mail.STALLED, 1, 20);
      if (w.async) await w.value;
    }
    if (Atomics.load(box, Mail.CLOSED)) return;
    const pa = allocate(size);
    Atomics.store(box, Mail.RESP_TXN, txn);
    Atomics.store(box, Mail.RESP_STATUS, pa === undefined ? -Errno.ENOMEM : 0);
    Atomics.store(box, Mail.RESP_PA_LO, Number((pa ?? 0n) & 0xffff_ffffn) | 0);
    Atomics.store(box, Mail.RESP_PA_HI, Number((pa ?? 0n) >> 32n) | 0);
    Atomics.store(box, Mail.RESP_SIZE, pa === undefined ? 0 : Math.ceil(size / granule) * granule);
    Atomics.add(box, Mail.RESP_SEQ, 1);
    Atomics.notify(box, Mail.RESP_SEQ);
  }
}

parentPort?.postMessage({ ready: true });
await serve();
parentPort?.close();
