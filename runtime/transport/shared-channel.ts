/**
 * A FastRPC invocation channel between two threads over one SharedArrayBuffer: a control block,
 * then one or more call slots, each with its own control words and two frame areas (request,
 * response). Requests ring a doorbell the serving thread waits on with Atomics.wait (or
 * Atomics.waitAsync while some of its calls are pending); each caller waits on its slot's reply
 * word with a short poll and Atomics.wait, then Atomics.waitAsync, so its event loop keeps
 * running. No postMessage on the call path.
 *
 * A channel with n slots carries n calls at once, as FastRPC serves several threads' calls at
 * the same time (the reverse listener's threads each wait in next2); more queue on the caller
 * side.
 */
import type { RemoteArg } from '../wire/remote-arg.ts';
import type { CallOptions, RemoteHandle, SkelInvoke, Transport } from '../rpc/transport.ts';
import { readRequest, readResponse, writeRequest, writeResponse } from './frame.ts';
import type { DecodedRequest } from './frame.ts';
import type { BufferRefs, SharedMappings } from './shared-rpcmem.ts';
import { AEE_ECONNRESET, AEE_ETIMEDOUT, statusOf } from './status.ts';
import { waitAsync } from './wait-async.ts';
import { cpuContention } from './cpu-contention.ts';

/** Global control words (Int32 indices). */
const STATE = 0;
/** Rung (incremented) after a request is posted in any slot. */
const DOORBELL = 1;
/** How many threads sleep on the doorbell: a side that changes a word notifies only when someone sleeps. */
const DOORBELL_SLEEPERS = 2;
const SLOT_COUNT = 3;
const CTRL_BYTES = 64;

/** Per-slot control words. */
const REQ_SEQ = 0;
const RESP_SEQ = 1;
const REQ_LEN = 2;
const RESP_LEN = 3;
const RESP_SLEEPERS = 4;
/** Sleepers on REQ_SEQ: a one-slot channel's server waits there instead of on the doorbell. */
const REQ_SLEEPERS = 5;
const SLOT_CTRL_BYTES = 64;

const RUNNING = 0;
const CLOSING = 1;

export const DEFAULT_CHANNEL_AREA = 4 * 1024 * 1024;

/**
 * Allocates the shared memory of a channel with `slots` call slots whose request and response
 * areas hold `areaBytes` each.
 */
export function createChannelBuffer(areaBytes: number = DEFAULT_CHANNEL_AREA, slots = 1): SharedArrayBuffer {
  if (!Number.isSafeInteger(slots) || slots < 1 || slots > 64) throw new RangeError(`a channel has 1 to 64 slots, not ${slots}`);
  const area = Math.ceil(areaBytes / 8) * 8;
  const sab = new SharedArrayBuffer(CTRL_BYTES + slots * (SLOT_CTRL_BYTES + 2 * area));
  new Int32Array(sab, 0, CTRL_BYTES / 4)[SLOT_COUNT] = slots;
  return sab;
}

interface Slot {
  readonly index: number;
  readonly ctrl: Int32Array;
  readonly request: Uint8Array;
  readonly response: Uint8Array;
}

interface Views {
  readonly ctrl: Int32Array;
  readonly slots: readonly Slot[];
}

function views(sab: SharedArrayBuffer): Views {
  const ctrl = new Int32Array(sab, 0, CTRL_BYTES / 4);
  const n = Atomics.load(ctrl, SLOT_COUNT);
  if (!(n >= 1 && n <= 64)) throw new RangeError('not a channel buffer (createChannelBuffer makes them)');
  const area = ((sab.byteLength - CTRL_BYTES) / n - SLOT_CTRL_BYTES) / 2;
  const slots: Slot[] = [];
  for (let i = 0, at = CTRL_BYTES; i < n; i++, at += SLOT_CTRL_BYTES + 2 * area) {
    slots.push({
      index: i,
      ctrl: new Int32Array(sab, at, SLOT_CTRL_BYTES / 4),
      request: new Uint8Array(sab, at + SLOT_CTRL_BYTES, area),
      response: new Uint8Array(sab, at + SLOT_CTRL_BYTES + area, area),
    });
  }
  return { ctrl, slots };
}

/**
 * Default upper bound of the busy-poll before sleeping, in microseconds. The other side
 * usually answers within tens of microseconds and waking from a sleep (a futex, or an
 * event-loop turn for waitAsync) costs about as much again.
 */
export const DEFAULT_SPIN = 50;

/** Default upper bound of the blocking wait before an event-loop thread falls back to waitAsync, in microseconds. */
export const DEFAULT_BLOCK = 200;
const MIN_BLOCK = 20;

/**
 * Adaptive busy-poll budget (as adaptive mutexes do). A wait whose answer came within `maxUs`
 * of its start, polled or not, doubles the budget: polling that long would have caught it and
 * saved a futex or event-loop wake-up, which costs about as much again. A longer wait halves
 * it. On an idle machine the waits stay in the polling window; when the other side is slow the
 * budget falls to a couple of microseconds, yet recovers as soon as answers come quickly again.
 *
 * Polling is off altogether while more threads are runnable than there are cores
 * (cpu-contention.ts): then the peer is often not running, a poll only takes the core it needs,
 * and a sleeping waiter is also the one the scheduler wakes first. The budget alone cannot see
 * that, since answers still come quickly once the poller gives way.
 *
 * An event-loop thread (waitChangeAsync) then sleeps in Atomics.wait for a short adaptive
 * window (`maxBlockUs`) before falling back to Atomics.waitAsync: a futex wake-up costs a
 * fraction of a waitAsync one, which goes through the event loop.
 */
export class SpinBudget {
  private us: number;
  private blockUs: number;
  constructor(
    readonly maxUs: number = DEFAULT_SPIN,
    readonly maxBlockUs: number = DEFAULT_BLOCK,
  ) {
    this.us = maxUs;
    this.blockUs = maxBlockUs;
  }
  get current(): number {
    return this.us;
  }
  get block(): number {
    return this.blockUs;
  }
  /** Microseconds to poll before sleeping at time `t`: the budget, or 0 while the cores are oversubscribed. */
  pollAt(t: number): number {
    return this.us > 0 && !cpuContention.at(t) ? this.us : 0;
  }
  hit(): void {
    this.us = Math.min(this.maxUs, Math.max(2, this.us * 2));
  }
  miss(): void {
    this.us = this.us <= 2 ? Math.min(2, this.maxUs) : this.us / 2;
  }
  /** Records a wait that took `ms` (performance.now() units). */
  waited(ms: number): void {
    if (ms * 1000 <= this.maxUs) this.hit();
    else this.miss();
  }
  blockHit(): void {
    this.blockUs = Math.min(this.maxBlockUs, Math.max(MIN_BLOCK, this.blockUs * 2));
  }
  blockMiss(): void {
    this.blockUs = Math.max(Math.min(MIN_BLOCK, this.maxBlockUs), this.blockUs / 2);
  }
}

const budgetOf = (spin: number | SpinBudget | undefined): SpinBudget =>
  spin instanceof SpinBudget ? spin : new SpinBudget(spin ?? DEFAULT_SPIN);

/** Polls `ctrl[index]` until `until` (performance.now() clock); true once it differs from `old`. */
function spinUntil(ctrl: Int32Array, index: number, old: number, until: number): boolean {
  for (;;) {
    for (let i = 0; i < 32; i++) if (Atomics.load(ctrl, index) !== old) return true;
    if (performance.now() >= until) return false;
  }
}

/**
 * Atomics.wait that counts itself in `ctrl[sleepers]` (when given) while it sleeps. With
 * sequentially consistent atomics on both sides, a writer that stores the new value and then
 * reads no sleeper may skip Atomics.notify: a waiter counted later compares against the new
 * value and does not sleep. Notifying costs a lock in V8 even when nobody waits.
 */
function sleep(ctrl: Int32Array, index: number, old: number, ms: number, sleepers: number | undefined): void {
  if (sleepers === undefined) {
    Atomics.wait(ctrl, index, old, ms);
    return;
  }
  Atomics.add(ctrl, sleepers, 1);
  try {
    Atomics.wait(ctrl, index, old, ms);
  } finally {
    Atomics.sub(ctrl, sleepers, 1);
  }
}

/** Wakes the waiters of `ctrl[index]` after a change, if any sleeps (see `sleep`). */
export function wake(ctrl: Int32Array, index: number, sleepers: number): void {
  if (Atomics.load(ctrl, sleepers) !== 0) Atomics.notify(ctrl, index);
}

/** Sleeps in Atomics.wait for up to the budget's block window; true once `ctrl[index]` differs from `old`. */
function blockFor(ctrl: Int32Array, index: number, old: number, budget: SpinBudget, sleepers: number | undefined): boolean {
  const us = budget.block;
  if (us <= 0) return false;
  sleep(ctrl, index, old, us / 1000, sleepers);
  if (Atomics.load(ctrl, index) !== old) {
    budget.blockHit();
    return true;
  }
  budget.blockMiss();
  return false;
}

/**
 * Resolves once `ctrl[index]` differs from `old`, without blocking the event loop.
 * Returns 'ok', or 'timeout' after `deadline` (ms, performance.now() clock), or 'stopped'
 * as soon as `stopped()` is true (checked on every wake-up).
 */
export async function waitChangeAsync(
  ctrl: Int32Array,
  index: number,
  old: number,
  deadline: number,
  stopped: () => boolean,
  spin?: number | SpinBudget,
): Promise<'ok' | 'timeout' | 'stopped'> {
  if (waitChangeBriefly(ctrl, index, old, spin)) return 'ok';
  return waitChangeEventLoop(ctrl, index, old, deadline, stopped);
}

/**
 * The synchronous first phase of waitChangeAsync: polls for the budget, then sleeps in a short
 * Atomics.wait. True once `ctrl[index]` differs from `old`; false when the caller should wait
 * through its event loop (waitChangeAsync). Holds the thread for at most the budget's polling
 * and block windows.
 */
export function waitChangeBriefly(ctrl: Int32Array, index: number, old: number, spin?: number | SpinBudget, sleepers?: number): boolean {
  if (Atomics.load(ctrl, index) !== old) return true;
  const budget = budgetOf(spin);
  const t0 = performance.now();
  const poll = budget.pollAt(t0);
  if ((poll > 0 && spinUntil(ctrl, index, old, t0 + poll / 1000)) || blockFor(ctrl, index, old, budget, sleepers)) {
    budget.waited(performance.now() - t0);
    return true;
  }
  budget.miss();
  return false;
}

/** The second phase of waitChangeAsync: Atomics.waitAsync slices until the change, the deadline or `stopped()`. */
export async function waitChangeEventLoop(
  ctrl: Int32Array,
  index: number,
  old: number,
  deadline: number,
  stopped: () => boolean,
  sleepers?: number,
): Promise<'ok' | 'timeout' | 'stopped'> {
  for (;;) {
    if (Atomics.load(ctrl, index) !== old) return 'ok';
    if (stopped()) return 'stopped';
    const left = deadline - performance.now();
    if (left <= 0) return 'timeout';
    if (sleepers !== undefined) Atomics.add(ctrl, sleepers, 1);
    try {
      const w = waitAsync(ctrl, index, old, Math.min(left, 1000));
      if (w.async) await w.value;
    } finally {
      if (sleepers !== undefined) Atomics.sub(ctrl, sleepers, 1);
    }
  }
}

/**
 * Blocks the calling thread (Atomics.wait) until `ctrl[index]` differs from `old`, for at most
 * `sliceMs`. Returns true when it changed. For worker threads only.
 */
export function waitChangeBlocking(
  ctrl: Int32Array,
  index: number,
  old: number,
  sliceMs: number,
  spin?: number | SpinBudget,
  sleepers?: number,
): boolean {
  if (Atomics.load(ctrl, index) !== old) return true;
  const budget = budgetOf(spin);
  const t0 = performance.now();
  const poll = budget.pollAt(t0);
  if (poll > 0 && spinUntil(ctrl, index, old, t0 + poll / 1000)) {
    budget.hit();
    return true;
  }
  sleep(ctrl, index, old, sliceMs, sleepers);
  if (Atomics.load(ctrl, index) === old) {
    budget.miss();
    return false;
  }
  budget.waited(performance.now() - t0);
  return true;
}

/** Default per-call timeout of a shared channel (ms). */
export const DEFAULT_CHANNEL_TIMEOUT_MS = 30_000;

export interface ChannelClientOptions {
  /**
   * Per-call limit in ms (default DEFAULT_CHANNEL_TIMEOUT_MS, 30 s; Infinity for none; a call may
   * set its own). A call that times out breaks the channel (AEE_EEXPIRED): its reply could still
   * land in the shared area.
   */
  readonly timeoutMs?: number;
  /** Limit in ms of calls that wait for the peer's initiative (CallOptions.idle; default none). */
  readonly idleTimeoutMs?: number;
  /** Upper bound of the adaptive busy-poll in microseconds (default DEFAULT_SPIN; 0 never polls). */
  readonly spin?: number;
  /**
   * Upper bound in microseconds of the Atomics.wait that follows polling, before the wait goes
   * through the event loop (default DEFAULT_BLOCK; 0 never blocks the event loop beyond polling).
   */
  readonly block?: number;
  /** Shared rpcmem whose buffers travel by reference instead of through the channel area. */
  readonly refs?: BufferRefs;
}

const NO_ARGS: RemoteArg[] = [];

/** One call slot on the caller's side, with the call it carries. */
interface ClientSlot extends Slot {
  seq: number;
  handle: RemoteHandle;
  sc: number;
  args: RemoteArg[];
  readonly writeCall: (request: Uint8Array) => number;
  readonly readCall: (reply: Uint8Array) => number;
}

/**
 * The calling side of a shared channel, as a Transport. `fail(code)` (called when the serving
 * thread dies) completes the calls in flight and every later call with `code`.
 */
export class SharedChannelClient implements Transport {
  private readonly ctrl: Int32Array;
  private readonly slots: ClientSlot[];
  private readonly idle: ClientSlot[];
  private readonly timeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly spin: SpinBudget;
  private readonly queue: (() => void)[] = [];
  private failedCode = 0;
  private failedWhy = '';
  private readonly refs: BufferRefs | undefined;

  constructor(
    readonly buffer: SharedArrayBuffer,
    options: ChannelClientOptions = {},
  ) {
    const v = views(buffer);
    this.ctrl = v.ctrl;
    this.refs = options.refs;
    this.slots = v.slots.map((slot) => {
      const c: ClientSlot = {
        ...slot,
        seq: Atomics.load(slot.ctrl, REQ_SEQ),
        handle: 0,
        sc: 0,
        args: [],
        writeCall: (request) => writeRequest(request, c.handle, c.sc, c.args, this.refs),
        readCall: (reply) => readResponse(reply, c.sc, c.args, this.refs),
      };
      return c;
    });
    // Free slots are taken from the end: slot 0 is the one a lone caller keeps using.
    this.idle = [...this.slots].reverse();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? Number.POSITIVE_INFINITY;
    this.spin = new SpinBudget(options.spin ?? DEFAULT_SPIN, options.block ?? DEFAULT_BLOCK);
  }

  /** Why the channel failed, in words ('' while it works). AEE_ECONNRESET shares 104 with AEE_ENORPCMEMORY. */
  get failureReason(): string {
    return this.failedWhy;
  }

  /** Largest buffer payload one call can carry each way (the area less frame headers and slack). */
  get maxPayload(): number {
    return this.slots[0]!.request.length - 1024;
  }

  /** Calls the channel carries at once. */
  get slotCount(): number {
    return this.slots.length;
  }

  /** Non-zero once the channel is unusable: the status every call now returns. */
  get failure(): number {
    return this.failedCode;
  }

  /**
   * Answers synchronously when the reply arrives within the polling and short-sleep windows
   * (the usual case): no Promise per call. A call made while every slot is in use queues.
   */
  invoke(handle: RemoteHandle, sc: number, args: RemoteArg[], call?: CallOptions): number | Promise<number> {
    if (this.failedCode !== 0) return this.failedCode;
    const slot = this.idle.pop();
    if (slot === undefined) return this.later().then(() => this.invoke(handle, sc, args, call));
    slot.handle = handle;
    slot.sc = sc;
    slot.args = args;
    return this.exchange(slot, slot.writeCall, slot.readCall, sc, this.timeoutOf(call));
  }

  /**
   * A call whose codec writes the request frame itself (returning its length; an AeeError it
   * throws is the call's status) and reads the reply frame itself (returning the status). For
   * fixed-layout calls such as the reverse listener's next2 (listener-codec.ts).
   */
  invokeFrame(write: (request: Uint8Array) => number, read: (reply: Uint8Array) => number, call?: CallOptions): number | Promise<number> {
    if (this.failedCode !== 0) return this.failedCode;
    const slot = this.idle.pop();
    if (slot === undefined) return this.later().then(() => this.invokeFrame(write, read, call));
    return this.exchange(slot, write, read, -1, this.timeoutOf(call));
  }

  private later(): Promise<void> {
    return new Promise<void>((resolve) => this.queue.push(resolve));
  }

  private timeoutOf(call: CallOptions | undefined): number {
    return call?.timeoutMs ?? (call?.idle ? this.idleTimeoutMs : this.timeoutMs);
  }

  /** Marks the channel dead (e.g. the worker exited) and wakes the calls in flight. */
  fail(code: number = AEE_ECONNRESET, reason = 'the serving thread is gone'): void {
    if (this.failedCode === 0) {
      this.failedCode = code;
      this.failedWhy = reason;
    }
    for (const slot of this.slots) Atomics.notify(slot.ctrl, RESP_SEQ);
    for (const next of this.queue.splice(0)) next();
  }

  /** Asks the serving loop to return; calls made afterwards fail with AEE_ECONNRESET. */
  close(): void {
    Atomics.store(this.ctrl, STATE, CLOSING);
    Atomics.add(this.ctrl, DOORBELL, 1);
    Atomics.notify(this.ctrl, DOORBELL);
    for (const slot of this.slots) Atomics.notify(slot.ctrl, REQ_SEQ);
    this.fail(AEE_ECONNRESET, 'the channel was closed');
  }

  /** One request and its reply in `slot`; `sc` names the call in a timeout message (-1: a frame call). */
  private exchange(
    slot: ClientSlot,
    write: (request: Uint8Array) => number,
    read: (reply: Uint8Array) => number,
    sc: number,
    timeoutMs: number,
  ): number | Promise<number> {
    let settled = true;
    try {
      const { ctrl, request } = slot;
      let len: number;
      try {
        // Throws AEE_EBADSIZE when the frame does not fit the area.
        len = write(request);
      } catch (err) {
        return statusOf(err);
      }
      const seq = (slot.seq = (slot.seq + 1) | 0);
      const prev = Atomics.load(ctrl, RESP_SEQ);
      Atomics.store(ctrl, REQ_LEN, len);
      Atomics.store(ctrl, REQ_SEQ, seq);
      this.ring(slot);
      if (waitChangeBriefly(ctrl, RESP_SEQ, prev, this.spin, RESP_SLEEPERS)) return this.reply(slot, read);
      settled = false;
      return this.awaitReply(slot, prev, read, sc, timeoutMs);
    } finally {
      if (settled) this.release(slot);
    }
  }

  private async awaitReply(
    slot: ClientSlot,
    prev: number,
    read: (reply: Uint8Array) => number,
    sc: number,
    timeoutMs: number,
  ): Promise<number> {
    try {
      const deadline = performance.now() + timeoutMs;
      const w = await waitChangeEventLoop(slot.ctrl, RESP_SEQ, prev, deadline, () => this.failedCode !== 0, RESP_SLEEPERS);
      if (w === 'stopped') return this.failedCode;
      if (w === 'timeout') {
        const what = sc === -1 ? 'a call' : `a call (sc 0x${(sc >>> 0).toString(16)})`;
        this.fail(AEE_ETIMEDOUT, `${what} got no answer within ${timeoutMs} ms`);
        return AEE_ETIMEDOUT;
      }
      return this.reply(slot, read);
    } finally {
      this.release(slot);
    }
  }

  /**
   * Tells the server a request is posted. With one slot the server waits on that slot's REQ_SEQ
   * itself, which spares a second cache line crossing between the threads on every call.
   */
  private ring(slot: Slot): void {
    if (this.slots.length === 1) {
      wake(slot.ctrl, REQ_SEQ, REQ_SLEEPERS);
      return;
    }
    Atomics.add(this.ctrl, DOORBELL, 1);
    wake(this.ctrl, DOORBELL, DOORBELL_SLEEPERS);
  }

  private reply(slot: Slot, read: (reply: Uint8Array) => number): number {
    return read(slot.response.subarray(0, Atomics.load(slot.ctrl, RESP_LEN)));
  }

  private release(slot: ClientSlot): void {
    // The caller's arguments are not kept past the call.
    slot.args = NO_ARGS;
    this.idle.push(slot);
    this.queue.shift()?.();
  }
}

export interface ServeOptions {
  /** How long one Atomics.wait may block before the loop lets the thread's event loop run (ms). */
  readonly idleSliceMs?: number;
  /** Upper bound of the adaptive busy-poll in microseconds (default DEFAULT_SPIN; 0 never polls). */
  readonly spin?: number;
  /** The caller's shared rpcmem buffers, for calls that pass them by reference. */
  readonly mapped?: SharedMappings;
  /**
   * Serves a request frame directly, writing the reply frame into `response` and returning its
   * length; undefined leaves the frame to `dispatch` (listener-codec.ts serves next2 this way).
   */
  readonly frames?: (request: Uint8Array, response: Uint8Array) => number | Promise<number> | undefined;
}

/**
 * The serving side: waits for the doorbell, serves every slot with a new request through
 * `options.frames` or `dispatch` (which may be async: the thread's event loop runs while calls
 * are pending, and new requests in other slots are served meanwhile) and posts each response in
 * its slot. Returns when the client closes the channel.
 */
export async function serveSharedChannel(buffer: SharedArrayBuffer, dispatch: SkelInvoke, options: ServeOptions = {}): Promise<void> {
  const { ctrl, slots } = views(buffer);
  const slice = options.idleSliceMs ?? 20;
  const spin = new SpinBudget(options.spin ?? DEFAULT_SPIN);
  // Sequence numbers start at 0 in a new buffer; a request posted before this loop starts is served.
  const seen = slots.map(() => 0);
  const busy = slots.map(() => false);
  let pending = 0;
  let settledOne: (() => void) | undefined;
  const respond = (slot: Slot, len: number): void => {
    Atomics.store(slot.ctrl, RESP_LEN, len);
    Atomics.add(slot.ctrl, RESP_SEQ, 1);
    wake(slot.ctrl, RESP_SEQ, RESP_SLEEPERS);
  };
  const finish = (slot: Slot, len: number): void => {
    respond(slot, len);
    busy[slot.index] = false;
    pending--;
    settledOne?.();
  };
  // What a request changes: the doorbell, or with one slot that slot's REQ_SEQ (see ring()).
  const bellCtrl = slots.length === 1 ? slots[0]!.ctrl : ctrl;
  const bellIndex = slots.length === 1 ? REQ_SEQ : DOORBELL;
  const bellSleepers = slots.length === 1 ? REQ_SLEEPERS : DOORBELL_SLEEPERS;
  for (;;) {
    if (Atomics.load(ctrl, STATE) !== RUNNING) return;
    const bell = Atomics.load(bellCtrl, bellIndex);
    let started = false;
    for (const slot of slots) {
      if (busy[slot.index]) continue;
      const seq = Atomics.load(slot.ctrl, REQ_SEQ);
      if (seq === seen[slot.index]) continue;
      seen[slot.index] = seq;
      started = true;
      const frame = slot.request.subarray(0, Atomics.load(slot.ctrl, REQ_LEN));
      const served = options.frames?.(frame, slot.response) ?? serveRequest(frame, slot.response, dispatch, options.mapped);
      // A call answered at once costs no await.
      if (typeof served === 'number') respond(slot, served);
      else if (slots.length === 1) {
        // With one slot nothing else can arrive meanwhile: wait for this call alone.
        let len: number;
        try {
          len = await served;
        } catch (err) {
          len = writeResponse(slot.response, statusOf(err), undefined);
        }
        respond(slot, len);
      } else {
        busy[slot.index] = true;
        pending++;
        served.then(
          (len) => finish(slot, len),
          (err: unknown) => finish(slot, writeResponse(slot.response, statusOf(err), undefined)),
        );
      }
    }
    if (started) continue;
    if (pending === slots.length) {
      // Every slot is busy: nothing can arrive until one of them is answered.
      await new Promise<void>((resolve) => (settledOne = resolve));
      settledOne = undefined;
    } else if (pending > 0) {
      await doorbellOrSettled(ctrl, bell, slice, (resolve) => (settledOne = resolve));
      settledOne = undefined;
    } else if (!waitChangeBlocking(bellCtrl, bellIndex, bell, slice, spin, bellSleepers)) {
      // Idle: apply buffer unmaps, let timers and I/O of this thread run before blocking again.
      options.mapped?.drain();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/** Resolves when the doorbell moves past `bell`, a pending call settles, or `sliceMs` passes; never blocks the thread. */
function doorbellOrSettled(ctrl: Int32Array, bell: number, sliceMs: number, onSettled: (resolve: () => void) => void): Promise<unknown> {
  Atomics.add(ctrl, DOORBELL_SLEEPERS, 1);
  const w = waitAsync(ctrl, DOORBELL, bell, sliceMs);
  const rung = w.async ? w.value : Promise.resolve(w.value);
  void rung.then(() => Atomics.sub(ctrl, DOORBELL_SLEEPERS, 1));
  return Promise.race([rung, new Promise<void>(onSettled)]);
}

/** Decodes one request frame, dispatches it and writes its reply frame. Returns the reply length. */
function serveRequest(
  frame: Uint8Array,
  response: Uint8Array,
  dispatch: SkelInvoke,
  mapped: SharedMappings | undefined,
): number | Promise<number> {
  let req: DecodedRequest;
  let r: number | Promise<number>;
  try {
    req = readRequest(frame, response, mapped);
    r = dispatch(req.handle, req.sc, req.args);
  } catch (err) {
    return writeResponse(response, statusOf(err), undefined);
  }
  if (typeof r === 'number') return writeResponse(response, r, req);
  return r.then(
    (result) => writeResponse(response, result, req),
    (err: unknown) => writeResponse(response, statusOf(err), req),
  );
}
