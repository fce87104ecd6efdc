export {
  VcmManager,
  VCM_CPU,
  type VcmCpu,
  VcmPrebuilt,
  VCM_PHYS_CONTIGUOUS,
  VcmAttr,
  VcmAssocAttr,
  VcmPhysAttr,
  leafProtOf,
  vcmAlignAttr,
  type Vcm,
  type Reservation,
  type Avcm,
  type PhysMem,
  type VcmType,
  type VcmOptions,
} from './vcm.ts';
export { BlockPoolAllocator, VCM_DEFAULT_POOLS, type Block, type BlockPoolConfig } from './block-pool.ts';
export { GenPool } from './genpool.ts';
export { MsmSmmuDriver, SmmuDevMapping, SmmuDevNode, type SmmuContextHandle } from './msm-smmu.ts';
