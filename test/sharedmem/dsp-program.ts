// A DSP program (runtime/transport DspWorker) that acts as the sharedmem peripheral until APPS closes the link.
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';
import { attachSharedmemPeripheral, type SharedmemPeripheralLink } from '../../runtime/memory/sharedmem/index.ts';

export default async function main(env: DspEnv): Promise<{ node: number }> {
  const { link } = env.args as { link: SharedmemPeripheralLink };
  const peripheral = attachSharedmemPeripheral(link);
  await peripheral.closed;
  return { node: peripheral.router.node };
}
