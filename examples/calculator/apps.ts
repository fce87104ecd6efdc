// apps.ts: the application processor implements calculator, calls it in process, then serves a DSP.
import { Aee, AeeError, DspWorker, LoopbackTransport, createReverseTable, serveReverse } from 'dspidl/runtime';
import { CalculatorClient, createCalculatorSkel, type Calculator } from './generated/calculator.js';

const calculator: Calculator = {
  sum: (vec) => ({ res: vec.reduce((acc, x) => acc + BigInt(x), 0n) }),
  max: (vec) => {
    if (vec.length === 0) throw new AeeError(Aee.EBADPARM);
    return { res: Math.max(...vec) };
  },
};

// In process: the stub's remote_arg buffers go straight to the skel registered under handle 1.
const loopback = new LoopbackTransport().register(1, createCalculatorSkel(calculator));
const local = new CalculatorClient(loopback, 1n);
console.log(`loopback: sum = ${(await local.sum([1, 2, 3])).res}`);

// Across threads: the DSP program (dsp.js, in a worker thread) opens calculator by name through
// apps_remotectl and calls it in reverse; the skel waits in the reverse handle table.
const table = createReverseTable().register('calculator', createCalculatorSkel(calculator), { handle64: true });
const dsp = new DspWorker({ program: new URL('./dsp.js', import.meta.url) });
await serveReverse(dsp.transport, table);
const outcome = await dsp.outcome;
await dsp.close();
if (!outcome.ok) throw new Error(outcome.error);
console.log((outcome.value as string[]).join('\n'));
