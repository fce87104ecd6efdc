/** Which export of a DSP program module runs, and how a DSP side routes calls to the modules it serves. */
import { describe, expect, it } from 'vitest';
import { DspSide, programOf } from '../../runtime/transport/dsp-side.ts';
import { Aee } from '../../runtime/wire/aee-codes.ts';

describe('programOf', () => {
  const main = (): string => 'ran';

  it('takes an ES module default export and a CommonJS module.exports function', () => {
    expect(programOf({ default: main }, 'dsp.mjs')).toBe(main);
  });

  it('takes exports.default of CommonJS compiled from `export default`', () => {
    expect(programOf({ default: { default: main } }, 'dsp.cjs')).toBe(main);
  });

  it('refuses a module without a function default, naming the module', () => {
    expect(() => programOf({ main }, 'dsp.js')).toThrow(/dsp\.js has no default export/);
    expect(() => programOf({ default: 42 }, 'dsp.js')).toThrow(/no default export/);
    expect(() => programOf(null, 'dsp.js')).toThrow(/no default export/);
  });
});

describe('modules a DSP program serves', () => {
  it('routes calls by handle, 0x42 and 0x42n alike; the listener handle and a served handle cannot be taken again', async () => {
    const side = new DspSide();
    side.env.serve(0x42n, () => 7);
    expect(await side.dispatch(0x42, 0, [])).toBe(7);
    expect(await side.dispatch(0x43, 0, [])).toBe(Aee.ENOSUCHMOD);
    expect(() => side.env.serve(0x42, () => 0)).toThrow(/already served/);
    expect(() => side.env.serve(3, () => 0)).toThrow(/0x3 is already served/);
    side.queue.close();
  });
});
