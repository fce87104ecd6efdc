/** One `qcom,sharedmem-uio` node, as the driver reads it from the device tree. */
export interface SharedmemNode {
  readonly compatible?: string;
  /** `reg = <address size>`; address 0 asks the driver to allocate at probe. */
  readonly reg?: { readonly address: bigint; readonly size: number };
  /** `reg-names`: the client / UIO name (e.g. "rmtfs"). */
  readonly regNames?: string;
  /** `qcom,client-id`; absent means 0xFFFFFFFF (with a warning). */
  readonly clientId?: number;
  /** `qcom,guard-memory`: 4 KiB unexposed, unassigned guard below and above a dynamic buffer. */
  readonly guardMemory?: boolean;
  /** `qcom,vm-nav-path`: also give the NAV VM access to client 1's buffer. */
  readonly vmNavPath?: boolean;
}

export const SHAREDMEM_COMPATIBLE = 'qcom,sharedmem-uio';

export const SharedmemClientId = {
  /** MPSS remote storage (rmtfs). */
  RMTFS: 0x00000001,
  RFSA_DSP: 0x011013ec,
  RFSA_MDM: 0x011013ed,
} as const;

/** Client ids a node without `qcom,client-id` ends up with. */
export const SHAREDMEM_DEFAULT_CLIENT_ID = 0xffffffff;

/** The msm89xx-era defaults: rmtfs 1.5 MiB plus the two 128 KiB dynamic-loading buffers. */
export const DEFAULT_SHAREDMEM_NODES: readonly SharedmemNode[] = [
  { compatible: SHAREDMEM_COMPATIBLE, reg: { address: 0n, size: 0x180000 }, regNames: 'rmtfs', clientId: SharedmemClientId.RMTFS },
  { compatible: SHAREDMEM_COMPATIBLE, reg: { address: 0n, size: 0x20000 }, regNames: 'rfsa_dsp', clientId: SharedmemClientId.RFSA_DSP },
  { compatible: SHAREDMEM_COMPATIBLE, reg: { address: 0n, size: 0x20000 }, regNames: 'rfsa_mdm', clientId: SharedmemClientId.RFSA_MDM },
];
