/**
 * Worker-thread entry of a simulated DSP: serves the static handles over the shared channel
 * and runs the DSP program named in workerData.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { AeeError } from '../wire/aee-codes.ts';
import { DspSide, programOf } from './dsp-side.ts';
import { serveSharedChannel } from './shared-channel.ts';
import { SharedMappings } from './shared-rpcmem.ts';

interface Data {
  readonly buffer: SharedArrayBuffer;
  readonly program: string;
  readonly args: unknown;
  readonly spin?: number;
  /** Where the APPS side announces its shared rpcmem buffers. */
  readonly rpcmemPort?: MessagePort;
}

const data = workerData as Data;
const side = new DspSide(data.args);
parentPort?.postMessage({ type: 'ready' });
const mapped = new SharedMappings(data.rpcmemPort);
const serving = serveSharedChannel(data.buffer, side.dispatch, { spin: data.spin, mapped, frames: side.serveFrame });

const url = /^[a-z]+:/i.test(data.program) ? data.program : pathToFileURL(data.program).href;
try {
  const value = await side.run(programOf(await import(url), data.program));
  parentPort?.postMessage({ type: 'result', value });
} catch (err) {
  side.queue.close();
  parentPort?.postMessage({
    type: 'error',
    error: err instanceof Error ? err.message : String(err),
    code: err instanceof AeeError ? err.code : undefined,
  });
}
await serving;
data.rpcmemPort?.close();
