/**
 * DSP program acting as the msm_sharedmem peripheral: asks the RFSA QMI service for its
 * shared buffer's address and answers APPS through that buffer, until APPS closes the link.
 */
import { attachSharedmemPeripheral } from '../../runtime/memory/sharedmem/index.ts';
import type { SharedmemPeripheralLink } from '../../runtime/memory/sharedmem/index.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';

export default async function main(env: DspEnv): Promise<{ node: number }> {
  const { link } = env.args as { link: SharedmemPeripheralLink };
  const peripheral = attachSharedmemPeripheral(link);
  await peripheral.closed;
  return { node: peripheral.router.node };
}
