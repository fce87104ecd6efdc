import {
  Header,
  INFO_MAGIC,
  Info,
  PARTITION_MAGIC,
  PTABLE_BYTES,
  PTABLE_MAGIC,
  PartitionHeader,
  Ptable,
  PtableEntry,
  SMEM_GLOBAL_HOST,
  SMEM_GLOBAL_PART_VERSION,
  SMEM_MASTER_SBL_VERSION_INDEX,
  alignUp,
} from './layout.ts';
import type { SmemRegion } from './region.ts';

export interface SmemPartitionSpec {
  readonly host0: number;
  readonly host1: number;
  readonly size: number;
  /** Alignment of cached entry headers; 64 unless told. */
  readonly cacheline?: number;
}

export interface SmemFormatOptions {
  /** 11 = legacy global heap, 12 = global partition. Default 11. */
  readonly version?: 11 | 12;
  /** Private partitions between two hosts. */
  readonly partitions?: readonly SmemPartitionSpec[];
  /** Size of the global partition (version 12 only). Default: 256 KiB. */
  readonly globalPartitionSize?: number;
  /** Item limit written to the "SIII" block (only read when a partition table exists). */
  readonly itemCount?: number;
  /** Write a partition table even without partitions (version 11 tolerates its absence). */
  readonly partitionTable?: boolean;
}

const PARTITION_ALIGN = 4096;

/**
 * Lays out SMEM the way the boot loader leaves it: legacy header and heap at the start,
 * partitions packed below the partition table, which takes the last 4 KiB.
 */
export function formatSmem(region: SmemRegion, options: SmemFormatOptions = {}): void {
  const version = options.version ?? 11;
  const dv = new DataView(region.buffer, region.byteOffset, region.byteLength);
  new Uint8Array(region.buffer, region.byteOffset, region.byteLength).fill(0);

  const partitions: SmemPartitionSpec[] = [...(options.partitions ?? [])];
  if (version === SMEM_GLOBAL_PART_VERSION) {
    partitions.unshift({ host0: SMEM_GLOBAL_HOST, host1: SMEM_GLOBAL_HOST, size: options.globalPartitionSize ?? 256 * 1024 });
  }
  const writeTable = partitions.length > 0 || options.partitionTable === true || options.itemCount !== undefined;
  const tableStart = writeTable ? region.byteLength - PTABLE_BYTES : region.byteLength;

  let partitionStart = tableStart;
  for (const p of partitions) partitionStart -= alignUp(p.size, PARTITION_ALIGN);
  partitionStart -= partitionStart % PARTITION_ALIGN;
  if (partitionStart < Header.size) throw new RangeError('SMEM region too small for the requested partitions');

  dv.setUint32(Header.version + SMEM_MASTER_SBL_VERSION_INDEX * 4, version << 16, true);
  dv.setUint32(Header.initialized, 1, true);
  dv.setUint32(Header.freeOffset, Header.size, true);
  dv.setUint32(Header.available, partitionStart - Header.size, true);
  dv.setUint32(Header.reserved, 0, true);

  if (!writeTable) return;
  dv.setUint32(tableStart + Ptable.magic, PTABLE_MAGIC, true);
  dv.setUint32(tableStart + Ptable.version, 1, true);
  dv.setUint32(tableStart + Ptable.numEntries, partitions.length, true);
  let offset = partitionStart;
  partitions.forEach((p, i) => {
    const e = tableStart + Ptable.header + i * Ptable.entry;
    const size = alignUp(p.size, PARTITION_ALIGN);
    dv.setUint32(e + PtableEntry.offset, offset, true);
    dv.setUint32(e + PtableEntry.size, size, true);
    dv.setUint16(e + PtableEntry.host0, p.host0, true);
    dv.setUint16(e + PtableEntry.host1, p.host1, true);
    dv.setUint32(e + PtableEntry.cacheline, p.cacheline ?? 64, true);

    dv.setUint32(offset + PartitionHeader.magic, PARTITION_MAGIC, true);
    dv.setUint16(offset + PartitionHeader.host0, p.host0, true);
    dv.setUint16(offset + PartitionHeader.host1, p.host1, true);
    dv.setUint32(offset + PartitionHeader.size, size, true);
    dv.setUint32(offset + PartitionHeader.offsetFreeUncached, PartitionHeader.bytes, true);
    dv.setUint32(offset + PartitionHeader.offsetFreeCached, size, true);
    offset += size;
  });
  if (options.itemCount !== undefined) {
    const info = tableStart + Ptable.header + partitions.length * Ptable.entry;
    dv.setUint32(info + Info.magic, INFO_MAGIC, true);
    dv.setUint32(info + Info.size, region.byteLength, true);
    dv.setUint32(info + Info.baseAddr, Number(region.physBase & 0xffffffffn), true);
    dv.setUint16(info + Info.numItems, options.itemCount, true);
  }
}
