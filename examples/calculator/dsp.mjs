// dsp.mjs: the DSP program of app.mjs.
import { CalculatorClient } from './generated-js/calculator.js';

export default async function main(env) {
  const { handle } = await env.open('calculator');
  const calc = new CalculatorClient(env.reverse, BigInt(handle));
  const { res } = await calc.sum([1, 2, 3, 4, 5]);
  await env.close(handle);
  return `dsp: sum = ${res}`;
}
