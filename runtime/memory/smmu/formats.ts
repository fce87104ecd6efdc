const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** A page-table format: the leaf sizes it can install and its address widths. */
export interface PageTableFormat {
  readonly name: string;
  /** Leaf sizes, ascending. The first is the minimum page size. */
  readonly pageSizes: readonly number[];
  /** Input (IOVA) and output (PA) address bits. */
  readonly ias: number;
  readonly oas: number;
  /** Hardware descriptors per leaf of each size (ARMv7 short format replicates 64K and 16M x16). */
  readonly descriptorsPerLeaf: readonly number[];
}

/** ARMv8 LPAE, 4 KiB granule: 4K pages, 2M and 1G blocks. */
export const ARM_LPAE_4K: PageTableFormat = {
  name: 'arm-lpae-4k',
  pageSizes: [4 * KiB, 2 * MiB, GiB],
  ias: 48,
  oas: 48,
  descriptorsPerLeaf: [1, 1, 1],
};

/** ARMv7 short-descriptor (old MSM SMMU): 4K small, 64K large, 1M section, 16M supersection. */
export const ARM_V7S: PageTableFormat = {
  name: 'arm-v7s',
  pageSizes: [4 * KiB, 64 * KiB, MiB, 16 * MiB],
  ias: 32,
  oas: 32,
  descriptorsPerLeaf: [1, 16, 1, 16],
};

/** ARMv8 LPAE with 16K and 64K granules, for completeness of the bitmap table. */
export const ARM_LPAE_16K: PageTableFormat = {
  name: 'arm-lpae-16k',
  pageSizes: [16 * KiB, 32 * MiB],
  ias: 48,
  oas: 48,
  descriptorsPerLeaf: [1, 1],
};
export const ARM_LPAE_64K: PageTableFormat = {
  name: 'arm-lpae-64k',
  pageSizes: [64 * KiB, 512 * MiB],
  ias: 48,
  oas: 48,
  descriptorsPerLeaf: [1, 1],
};

/** IOMMU_* prot bits. */
/**
 * IOMMU_* protection bits of a mapping. SYS_CACHE is the downstream kernels' system-cache (LLC)
 * hint, set for FastRPC ADSP_MMAP_ADD_PAGES_LLC pages (DMA_ATTR_IOMMU_USE_UPSTREAM_HINT).
 */
export const IommuProt = { READ: 1, WRITE: 2, CACHE: 4, NOEXEC: 8, MMIO: 0x10, PRIV: 0x20, SYS_CACHE: 0x40 } as const;
