/**
 * Byte layout of the Qualcomm SMEM region (little-endian throughout). Offsets are relative to
 * the start of the structure they belong to.
 */

/** Items 0..7 belong to the boot loader: get works, alloc is refused. */
export const SMEM_ITEM_LAST_FIXED = 8;
/** Table-of-contents size of the legacy global heap (and the default item limit). */
export const SMEM_ITEM_COUNT = 512;
export const SMEM_HOST_COUNT = 20;
export const SMEM_GLOBAL_HOST = 0xfffe;
/** Pass as `host` to use the global heap/partition rather than a private partition. */
export const QCOM_SMEM_HOST_ANY = -1;

export const SmemHost = {
  APPS: 0,
  MODEM: 1,
  ADSP: 2,
  SLPI: 3,
  WCNSS: 4,
  CDSP: 5,
} as const;

export const SMEM_GLOBAL_HEAP_VERSION = 11;
export const SMEM_GLOBAL_PART_VERSION = 12;
export const SMEM_MASTER_SBL_VERSION_INDEX = 7;

/** Legacy header: 4 proc_comm records, 32 version words, 4 heap words, then the TOC. */
export const Header = {
  procComm: 0,
  version: 64,
  initialized: 192,
  freeOffset: 196,
  available: 200,
  reserved: 204,
  toc: 208,
  size: 208 + SMEM_ITEM_COUNT * 16,
} as const;

/** One TOC entry {allocated, offset, size, aux_base}. */
export const TocEntry = { allocated: 0, offset: 4, size: 8, auxBase: 12, size_: 16 } as const;
export const AUX_BASE_MASK = 0xfffffffc;

/** The partition table lives in the last 4 KiB of the region. */
export const PTABLE_BYTES = 4096;
export const PTABLE_MAGIC = 0x434f5424; // "$TOC" read as a LE u32
export const Ptable = { magic: 0, version: 4, numEntries: 8, header: 32, entry: 48 } as const;
export const PtableEntry = { offset: 0, size: 4, flags: 8, host0: 12, host1: 14, cacheline: 16 } as const;

/** The "SIII" block right after the partition table entries carries the real item count. */
export const INFO_MAGIC = 0x49494953; // "SIII"
export const Info = { magic: 0, size: 4, baseAddr: 8, reserved: 12, numItems: 16 } as const;

export const PARTITION_MAGIC = 0x54525024; // "$PRT"
export const PartitionHeader = {
  magic: 0,
  host0: 4,
  host1: 6,
  size: 8,
  offsetFreeUncached: 12,
  offsetFreeCached: 16,
  bytes: 32,
} as const;

export const SMEM_PRIVATE_CANARY = 0xa5a5;
/** Private entry header {canary u16, item u16, size u32, padding_data u16, padding_hdr u16, reserved u32}. */
export const PrivateEntry = { canary: 0, item: 2, size: 4, paddingData: 8, paddingHdr: 10, bytes: 16 } as const;

export const HWSPINLOCK_TIMEOUT_MS = 1000;

export function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

export function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
