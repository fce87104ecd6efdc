// app.mjs: the same from plain JavaScript, on the js+dts output.
import { Aee, AeeError, DspWorker, LoopbackTransport, createReverseTable, serveReverse } from 'dspidl/runtime';
import { CalculatorClient, createCalculatorSkel } from './generated-js/calculator.js';

/** @type {import('./generated-js/calculator.js').Calculator} */
const calculator = {
  sum: (vec) => ({ res: vec.reduce((acc, x) => acc + BigInt(x), 0n) }),
  max: (vec) => {
    if (vec.length === 0) throw new AeeError(Aee.EBADPARM);
    return { res: Math.max(...vec) };
  },
};

const local = new CalculatorClient(new LoopbackTransport().register(1, createCalculatorSkel(calculator)), 1n);
console.log(`loopback: max = ${(await local.max([3, -7, 42, 5])).res}`);

const table = createReverseTable().register('calculator', createCalculatorSkel(calculator), { handle64: true });
const dsp = new DspWorker({ program: new URL('./dsp.mjs', import.meta.url) });
await serveReverse(dsp.transport, table);
const outcome = await dsp.outcome;
await dsp.close();
if (!outcome.ok) throw new Error(outcome.error);
console.log(outcome.value);
