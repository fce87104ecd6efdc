export {
  DEFAULT_SHAREDMEM_NODES,
  SHAREDMEM_COMPATIBLE,
  SHAREDMEM_DEFAULT_CLIENT_ID,
  SharedmemClientId,
  type SharedmemNode,
} from './device-tree.ts';
export {
  AID_ROOT,
  AID_SYSTEM,
  APP_IDENTITY,
  MAX_UIO_MAPS,
  SYSTEM_IDENTITY,
  UioHandle,
  UioRegistry,
  type Identity,
  type UioDeviceInfo,
  type UioMap,
  type UioMapping,
} from './uio.ts';
export { MsmSharedmem, type MsmSharedmemOptions, type SharedmemEntry, type SharedmemProbeResult } from './driver.ts';
export {
  GET_BUFF_ADDR_REQ_MAX_LEN,
  RFSA_SERVICE,
  RfsaMsgId,
  rfsaGetBuffAddr,
  type RfsaGetBuffAddrReq,
  type RfsaGetBuffAddrResp,
} from './rfsa-messages.ts';
export { RfsaSharedmemService, decodeGetBuffAddrLikeKernel } from './rfsa-server.ts';
export {
  RfsaBufferError,
  SharedmemPeripheralClient,
  type PeripheralBuffer,
  type PeripheralState,
  type SharedmemPeripheralOptions,
} from './peripheral.ts';
export {
  SHAREDMEM_AGENT_SERVICE,
  agentExchange,
  peripheralReply,
  startSharedmemAgent,
  type AgentExchangeReq,
  type AgentExchangeResp,
} from './agent.ts';
export {
  attachSharedmemPeripheral,
  createSharedmemPeripheralLink,
  runSharedmemScenario,
  spawnSharedmemPeripheral,
  type AttachedPeripheral,
  type PeripheralWorkerHandle,
  type SharedmemPeripheralLink,
  type SharedmemScenarioOptions,
  type SharedmemScenarioResult,
} from './scenario.ts';
