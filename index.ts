/**
 * `dspidl`: the runtime, the same as `dspidl/runtime` (wire, rpc, transports). The generator is
 * `dspidl/generator`, QMI `dspidl/qmi`, the simulated hardware `dspidl/sim`.
 */
export * from './runtime/index.ts';
