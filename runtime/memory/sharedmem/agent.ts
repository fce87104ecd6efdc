import { createQmiCodec, type QmiMessageDescriptor } from '../../qmi/codec/index.ts';
import { QmiErr, QmiRequestError, QmiService, defineQmiMethod, type QmiServiceId, type QrtrRouter } from '../../qmi/messaging/index.ts';
import type { PhysicalMemory } from '../phys.ts';
import { RfsaBufferError, SharedmemPeripheralClient } from './peripheral.ts';

/**
 * A demo-only QMI service the simulated peripheral runs so the APPS side can tell it what
 * to do. Not a Qualcomm service; the id is chosen from a range no real service uses here.
 */
export const SHAREDMEM_AGENT_SERVICE: QmiServiceId = { service: 0x0ffe, version: 1, instance: 1 };

export interface AgentExchangeReq {
  clientId: number;
  size: number;
  inOffset: number;
  inLength: number;
  outOffset: number;
  restart: boolean;
}

export interface AgentExchangeResp {
  resp: { result: number; error: number };
  address?: bigint;
  outLength?: number;
  addressAfterRestart?: bigint;
}

const u32 = { kind: 'scalar', scalar: 'u32' } as const;
const exchangeReq: QmiMessageDescriptor = {
  name: 'sharedmem_agent_exchange_req_msg',
  response: false,
  elements: [
    { key: 'clientId', name: 'client_id', tlv: 0x01, optional: false, type: u32 },
    { key: 'size', name: 'size', tlv: 0x02, optional: false, type: u32 },
    { key: 'inOffset', name: 'in_offset', tlv: 0x03, optional: false, type: u32 },
    { key: 'inLength', name: 'in_length', tlv: 0x04, optional: false, type: u32 },
    { key: 'outOffset', name: 'out_offset', tlv: 0x05, optional: false, type: u32 },
    { key: 'restart', name: 'restart', tlv: 0x06, optional: false, type: { kind: 'scalar', scalar: 'bool' } },
  ],
};
const exchangeResp: QmiMessageDescriptor = {
  name: 'sharedmem_agent_exchange_resp_msg',
  response: true,
  elements: [
    {
      key: 'resp',
      name: 'resp',
      tlv: 0x02,
      optional: false,
      type: {
        kind: 'struct',
        name: 'qmi_response_type',
        fields: [
          { key: 'result', name: 'result', type: { kind: 'scalar', scalar: 'i16' } },
          { key: 'error', name: 'error', type: { kind: 'scalar', scalar: 'i16' } },
        ],
      },
    },
    { key: 'address', name: 'address', tlv: 0x10, optional: true, type: { kind: 'scalar', scalar: 'u64' } },
    { key: 'outLength', name: 'out_length', tlv: 0x11, optional: true, type: u32 },
    { key: 'addressAfterRestart', name: 'address_after_restart', tlv: 0x12, optional: true, type: { kind: 'scalar', scalar: 'u64' } },
  ],
};

export const agentExchange = defineQmiMethod(
  0x0001,
  createQmiCodec<AgentExchangeReq>(exchangeReq),
  createQmiCodec<AgentExchangeResp>(exchangeResp),
);

/** What the peripheral writes back for `message`. */
export function peripheralReply(message: string): string {
  return `DSP read ${message.length} bytes: ${message.toUpperCase()}`;
}

/**
 * Runs on the peripheral (e.g. inside the DSP worker): serves EXCHANGE by fetching the
 * buffer address over RFSA, reading the APPS message from the buffer and writing a reply
 * into it; with `restart` it then simulates a subsystem restart and asks for the address again.
 */
export function startSharedmemAgent(router: QrtrRouter, memory: PhysicalMemory): QmiService {
  const svc = new QmiService(router, SHAREDMEM_AGENT_SERVICE);
  const clients = new Map<number, SharedmemPeripheralClient>();
  svc.handle(agentExchange, async (req) => {
    let client = clients.get(req.clientId);
    if (!client || client.options.size !== req.size) {
      client?.close();
      client = new SharedmemPeripheralClient(router, memory, { clientId: req.clientId, size: req.size });
      clients.set(req.clientId, client);
    }
    let buf;
    try {
      buf = client.buffer ?? (await client.acquire());
    } catch (err) {
      if (err instanceof RfsaBufferError) throw new QmiRequestError(err.error || QmiErr.INTERNAL, err.message);
      throw err;
    }
    if (req.inOffset + req.inLength > buf.size || req.outOffset > buf.size)
      throw new QmiRequestError(QmiErr.INVALID_ARG, 'outside the buffer');
    const message = new TextDecoder().decode(buf.read(req.inOffset, req.inLength));
    const reply = new TextEncoder().encode(peripheralReply(message));
    if (req.outOffset + reply.length > buf.size) throw new QmiRequestError(QmiErr.INVALID_ARG, 'reply does not fit');
    buf.write(req.outOffset, reply);
    const resp: AgentExchangeResp = { resp: { result: 0, error: 0 }, address: buf.address, outLength: reply.length };
    if (req.restart) resp.addressAfterRestart = (await client.restart()).address;
    return resp;
  });
  svc.start();
  return svc;
}
