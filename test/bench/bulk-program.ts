/**
 * DSP program of the cross-thread bulk benchmark: serves a sink module that reads the last byte
 * of its one in buffer, as a skel that consumes the data would touch it.
 */
import { Aee } from '../../runtime/wire/aee-codes.ts';
import { isBuffer } from '../../runtime/wire/remote-arg.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';

export const SINK_HANDLE = 0x200;

export default function bulkSink(env: DspEnv): string {
  let touched = 0;
  env.serve(SINK_HANDLE, (_h, _sc, args) => {
    const a = args[0];
    if (!isBuffer(a) || a.length === 0) return Aee.EBADPARM;
    touched = (touched + a[a.length - 1]!) | 0;
    return 0;
  });
  return 'serving';
}
