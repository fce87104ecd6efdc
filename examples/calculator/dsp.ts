// dsp.ts: the DSP program (in the worker) calls calculator on the application processor.
import { AeeError, type DspEnv } from 'dspidl/runtime';
import { CalculatorClient } from './generated/calculator.js';

export default async function main(env: DspEnv): Promise<string[]> {
  const { handle } = await env.open('calculator');
  // A remote_handle64 client carries the reverse handle open returned in its 64-bit handle.
  const calc = new CalculatorClient(env.reverse, BigInt(handle));
  const lines: string[] = [];
  lines.push(`dsp: sum = ${(await calc.sum([1, 2, 3, 4, 5])).res}`);
  lines.push(`dsp: sum of 2^31-1 three times = ${(await calc.sum([0x7fffffff, 0x7fffffff, 0x7fffffff])).res}`);
  lines.push(`dsp: max = ${(await calc.max([3, -7, 42, 5])).res}`);
  try {
    await calc.max([]);
  } catch (err) {
    if (!(err instanceof AeeError)) throw err;
    lines.push(`dsp: max of nothing fails with ${err.aeeName}`);
  }
  await env.close(handle);
  return lines;
}
