/**
 * APPS-side entry points of the reverse path: a handle table with apps_remotectl on handle 0,
 * the listener loop over any Transport to the DSP, and an in-process pairing for tests.
 */
import type { Transport } from '../rpc/transport.ts';
import { DspSide } from './dsp-side.ts';
import type { DspProgram } from './dsp-side.ts';
import { runListener } from './listener.ts';
import type { ListenerExit, ListenerOptions } from './listener.ts';
import { ModTable } from './mod-table.ts';
import { LoopbackTransport } from './loopback.ts';
import { ADSP_LISTENER_HANDLE, installRemotectl } from './reverse-protocol.ts';
import { fastListenerCalls } from './listener-codec.ts';
import type { TracedCall } from './trace.ts';

/** A reverse handle table serving apps_remotectl on handle 0 (optionally traced); register modules on it. */
export function createReverseTable(options: { trace?: (call: TracedCall) => void } = {}): ModTable {
  return installRemotectl(new ModTable(), options.trace);
}

/** Runs the APPS listener loop over `toDsp` (the transport carrying next2 to the DSP) until the DSP ends it. */
export function serveReverse(
  toDsp: Transport & { readonly maxPayload?: number },
  table: ModTable,
  options: ListenerOptions = {},
): Promise<ListenerExit> {
  // A transport with bounded messages bounds the listener's areas: a call too large to carry
  // then fails alone (AEE_ENORPCMEMORY) instead of breaking next2 for every later call.
  const maxArea = options.maxArea ?? (toDsp.maxPayload !== undefined ? Math.floor(toDsp.maxPayload / 4096) * 4096 : undefined);
  return runListener(fastListenerCalls(toDsp), table, maxArea !== undefined ? { ...options, maxArea } : options);
}

export interface InProcessResult {
  readonly value: unknown;
  readonly exit: ListenerExit;
}

/**
 * Runs a DSP program and the APPS listener in this thread, the DSP's adsp_listener reached
 * through the in-process LoopbackTransport (optionally wrapped, e.g. to observe calls).
 */
export async function runInProcess(
  program: DspProgram,
  table: ModTable,
  options: ListenerOptions & { args?: unknown; wrap?: (dsp: Transport) => Transport } = {},
): Promise<InProcessResult> {
  const dsp = new DspSide(options.args);
  const loopback = new LoopbackTransport().register(ADSP_LISTENER_HANDLE, dsp.dispatch);
  const toDsp = options.wrap ? options.wrap(loopback) : loopback;
  const listening = serveReverse(toDsp, table, options);
  const [value, exit] = await Promise.all([dsp.run(program), listening]);
  return { value, exit };
}
