/** Which export of a DSP program module runs: ESM default, CommonJS-compiled default, or a refusal. */
import { describe, expect, it } from 'vitest';
import { programOf } from '../../runtime/transport/dsp-side.ts';

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
