// examples/calculator/apps.ts: the application processor implements calculator and serves the DSP.
import { Aee, AeeError, DspWorker, createReverseTable, serveReverse } from 'dspidl/runtime';
import { createCalculatorSkel, type Calculator } from './generated/calculator.js';

const calculator: Calculator = {
  sum: (vec) => ({ res: vec.reduce((acc, x) => acc + BigInt(x), 0n) }),
  max: (vec) => {
    if (vec.length === 0) throw new AeeError(Aee.EBADPARM);
    return { res: Math.max(...vec) };
  },
};

// The skel goes into the reverse handle table under the name the DSP opens.
const table = createReverseTable().register('calculator', createCalculatorSkel(calculator), { handle64: true });

// The DSP runs dsp.ts in a worker thread; serveReverse answers its calls until the program ends.
const dsp = new DspWorker({ program: new URL('./dsp.ts', import.meta.url) });
await serveReverse(dsp.transport, table);
const outcome = await dsp.outcome;
await dsp.close();
if (!outcome.ok) throw new Error(outcome.error);
console.log((outcome.value as string[]).join('\n'));
