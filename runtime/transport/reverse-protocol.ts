/**
 * The glue between the reverse-path machinery (listener.ts, mod-table.ts) and the adsp_listener
 * and apps_remotectl interfaces: the APPS loop calls adsp_listener through its stub, the DSP
 * serves it with its skel; apps_remotectl's skel serves reverse handle 0 from a ModTable and
 * DSP code opens modules through its stub.
 */
import { Aee, AeeError } from '../wire/aee-codes.ts';
import type { SkelInvoke, Transport } from '../rpc/transport.ts';
import { invokePlan } from '../rpc/invoke.ts';
import { planFor } from '../wire/plan.ts';
import type { MethodPlan } from '../wire/plan.ts';
import { AdspListenerClient, adspListenerDescriptor, createAdspListenerSkel } from '../interfaces/adsp_listener.ts';
import type { AdspListener } from '../interfaces/adsp_listener.ts';
import { AppsRemotectlClient, appsRemotectlDescriptor, createAppsRemotectlSkel } from '../interfaces/apps_remotectl.ts';
import type { AppsRemotectl } from '../interfaces/apps_remotectl.ts';
import type { ListenerCalls, Next2Result, ReverseCallQueue } from './listener.ts';
import type { ModTable } from './mod-table.ts';
import { traceImpl } from './trace.ts';
import type { TracedCall } from './trace.ts';

/** Static handle of adsp_listener on the DSP (B.5). */
export const ADSP_LISTENER_HANDLE = 3;
/** Reverse handle 0 = apps_remotectl. */
export const APPS_REMOTECTL_HANDLE = 0;

function listenerPlan<A extends readonly unknown[], R>(ts: string): MethodPlan<A, R, undefined> {
  const m = adspListenerDescriptor.methods.find((d) => d.ts === ts);
  if (!m) throw new Error(`adsp_listener has no method ${ts}`);
  return planFor<A, R, undefined>(m);
}

/**
 * The APPS listener's view of adsp_listener, over the generated stub on `transport`. next2 and
 * get_in_bufs2 go through the generated descriptor's plans with the listener's own area as
 * the rout buffer: the in stream lands where the loop reads it, with no buffer per call.
 */
export function listenerCallsOver(transport: Transport): ListenerCalls {
  const client = new AdspListenerClient(transport, ADSP_LISTENER_HANDLE);
  // Called with routInto instead of caps: the rout is the listener's buffer, so no caps object.
  const next2 = listenerPlan<[prevCtx: number, prevResult: number, prevbufs: Uint8Array], Next2Result>('next2');
  const getInBufs2 = listenerPlan<[ctx: number, offset: number], { bufsLenReq: number }>('getInBufs2');
  const into: { bufs: Uint8Array } = { bufs: new Uint8Array(0) };
  const options = { routInto: into };
  // next2 waits for the DSP's next reverse call, which may be long in coming: the idle timeout applies.
  const waiting = { routInto: into, call: { idle: true } };
  return {
    async init2() {
      await client.init2();
    },
    next2(prevCtx, prevResult, prevbufs, bufs): Promise<Next2Result> {
      into.bufs = bufs;
      // The routs object has ctx, handle, sc and bufsLenReq: it is the Next2Result.
      return invokePlan(transport, ADSP_LISTENER_HANDLE, next2, [prevCtx, prevResult, prevbufs], undefined, waiting);
    },
    async getInBufs2(ctx, offset, bufs) {
      into.bufs = bufs;
      const r = await invokePlan(transport, ADSP_LISTENER_HANDLE, getInBufs2, [ctx, offset], undefined, options);
      return r.bufsLenReq;
    },
  };
}

/** The DSP's adsp_listener implementation backed by a ReverseCallQueue. */
export function listenerImpl(queue: ReverseCallQueue): AdspListener {
  const legacy = (): never => {
    // The first-generation loop (next_invoke) is declared but this DSP only speaks next2.
    throw new AeeError(Aee.EUNSUPPORTED);
  };
  return {
    nextInvoke: legacy,
    invokeGetInBufs: legacy,
    init: legacy,
    init2() {
      queue.init2();
    },
    // The skel copies the returned views into the out buffers: no intermediate copy here.
    next2: (prevCtx, prevResult, prevbufs, caps) => queue.next2View(prevCtx, prevResult, prevbufs, caps.bufs),
    getInBufs2: (ctx, offset, caps) => queue.getInBufs2View(ctx, offset, caps.bufs),
  };
}

/** The generated adsp_listener skel serving `queue` (the DSP side's static handle 3). */
export function createListenerSkel(queue: ReverseCallQueue): SkelInvoke {
  return createAdspListenerSkel(listenerImpl(queue));
}

/** strlcpy into a `sequence<char>` of capacity `cap`: at most cap-1 bytes and a NUL. */
function cText(text: string, cap: number): Uint8Array {
  const out = new Uint8Array(cap);
  if (cap === 0 || text.length === 0) return out;
  out.set(new TextEncoder().encode(text).subarray(0, cap - 1));
  return out;
}

/** apps_remotectl implemented by a ModTable (listener_android.c's apps_remotectl_open/close). */
export function remotectlImpl(table: ModTable): AppsRemotectl {
  return {
    async open(name, caps) {
      const r = await table.openByName(name);
      if (r.status !== 0) throw new AeeError(r.status);
      return { handle: r.handle | 0, dlerror: cText(r.dlerror, caps.dlerror), nErr: r.nErr };
    },
    async close(handle, caps) {
      const r = await table.closeHandle(handle >>> 0);
      if (r.status !== 0) throw new AeeError(r.status);
      return { dlerror: cText(r.dlerror, caps.dlerror), nErr: r.nErr };
    },
  };
}

/**
 * Registers the generated apps_remotectl skel as constant handle 0 of `table`, as
 * listener_android_init does. Returns the table.
 */
export function installRemotectl(table: ModTable, trace?: (call: TracedCall) => void): ModTable {
  const impl = remotectlImpl(table);
  const served = trace ? traceImpl(appsRemotectlDescriptor, impl, trace) : impl;
  return table.registerConst(APPS_REMOTECTL_HANDLE, 'apps_remotectl', createAppsRemotectlSkel(served));
}

/** What the DSP sees when it opens a module by name. */
export interface OpenedModule {
  readonly handle: number;
  /** The loader text apps_remotectl returned (present even on success of a static module). */
  readonly dlerror: string;
}

function cString(b: Uint8Array): string {
  const nul = b.indexOf(0);
  return new TextDecoder().decode(nul < 0 ? b : b.subarray(0, nul));
}

/** DSP-side access to apps_remotectl over the reverse transport. */
export class RemotectlOverReverse {
  private readonly client: AppsRemotectlClient;
  constructor(
    reverse: Transport,
    private readonly dlerrorCap = 256,
  ) {
    this.client = new AppsRemotectlClient(reverse, APPS_REMOTECTL_HANDLE);
  }

  /** Opens `name`; a loader failure (nErr != 0) throws AeeError(nErr) carrying the dlerror text. */
  async open(name: string): Promise<OpenedModule> {
    const r = await this.client.open(name, { dlerror: this.dlerrorCap });
    const dlerror = cString(r.dlerror);
    if (r.nErr !== 0) throw new AeeError(r.nErr, `open ${name}: ${dlerror || `nErr ${r.nErr}`}`);
    return { handle: r.handle >>> 0, dlerror };
  }

  async close(handle: number): Promise<void> {
    const r = await this.client.close(handle | 0, { dlerror: this.dlerrorCap });
    if (r.nErr !== 0) throw new AeeError(r.nErr, cString(r.dlerror));
  }
}
