/**
 * `dspidl`: the generator's library API (`compile`, emitters, diagnostics) and the runtime's
 * public pieces in one import. `dspidl/generator` and `dspidl/runtime` give each alone (the
 * runtime without the IDL front ends, for applications that only run generated code).
 */
export * from './generator/index.ts';
export * from './runtime/index.ts';
