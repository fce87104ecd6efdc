export { Errno, KernelError, errnoName, type ErrnoName } from '../errno.ts';
export { HwSpinlock, HwSpinlockBank, QCOM_MUTEX_APPS_PROC_ID, QCOM_MUTEX_NUM_LOCKS, type HwSpinlockBankShare } from './hwspinlock.ts';
export * from './layout.ts';
export { formatSmem, type SmemFormatOptions, type SmemPartitionSpec } from './format.ts';
export { createSmemRegion, type SmemRegion } from './region.ts';
export { Smem, type SmemItem, type SmemOptions, type SmemShare } from './smem.ts';
