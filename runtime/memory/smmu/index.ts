export { ARM_LPAE_4K, ARM_LPAE_16K, ARM_LPAE_64K, ARM_V7S, IommuProt, type PageTableFormat } from './formats.ts';
export { PageTable, type Leaf, type PageTableOptions } from './page-table.ts';
export { IovaAllocator, DSP_IOVA_WINDOWS, type IovaAllocatorOptions, type IovaAllocMode, type IovaRange } from './iova-allocator.ts';
export { Tlb } from './tlb.ts';
export {
  ContextBank,
  SmmuFault,
  type ContextBankOptions,
  type FaultConvention,
  type FaultHandler,
  type FaultInfo,
  type FaultRecord,
} from './context.ts';
export { SmmuInstance } from './smmu.ts';
export { formatIovaMap, formatIovaMapSvg, sizeName } from './format-map.ts';
