/**
 * `dspidl/sim`: the simulated hardware and drivers skels dispatch into: physical memory, heaps
 * and dma-buf, rpcmem, the SMMU, FastRPC kernel mmap, apps_mem, mem-buf, VCM, SMEM and
 * msm_sharedmem. See runtime/memory/README.md.
 */
export { createMemorySystem } from './system.ts';
export type { MemorySystem, MemorySystemOptions } from './system.ts';
export { PhysicalMemory } from './phys.ts';
export { MemoryOwnership } from './ownership.ts';
export { HeapRegistry } from './heaps.ts';
export { DmaBuf, DmaBufTable } from './dmabuf.ts';
export { RpcMem } from './rpcmem.ts';
export { FastRpcChannel, FastRpcFile } from './fastrpc-kernel.ts';
export { AppsMem } from './apps-mem.ts';
export { DspHeap, type AppsMemCalls, type DspHeapOptions } from './dsp-heap.ts';
export { MemBufDevice, ResourceManager, createMemBufPair, type AllocSupplier } from './mem-buf.ts';
export { WorkerSupplier, type WorkerSupplierOptions } from './mem-buf-supplier/worker-supplier.ts';
export { MEM_BUF_IOC, UserRegions, memBufIoctl, type UserMemory } from './mem-buf-uapi.ts';
export { Errno, KernelError, errnoName } from './errno.ts';
export { ContextBank, IovaAllocator, PageTable, SmmuFault, SmmuInstance } from './smmu/index.ts';
export { VcmManager } from './vcm/index.ts';
export { Smem, createSmemRegion } from './smem/index.ts';
export {
  DEFAULT_SHAREDMEM_NODES,
  MsmSharedmem,
  RfsaSharedmemService,
  SharedmemPeripheralClient,
  attachSharedmemPeripheral,
  createSharedmemPeripheralLink,
  runSharedmemScenario,
  spawnSharedmemPeripheral,
} from './sharedmem/index.ts';
export type {
  PeripheralWorkerHandle,
  SharedmemPeripheralLink,
  SharedmemScenarioOptions,
  SharedmemScenarioResult,
} from './sharedmem/index.ts';
