import { describe, expect, it } from 'vitest';
import { ScmPerm, Vmid } from '../../runtime/memory/ownership.ts';
import { PhysicalMemory } from '../../runtime/memory/phys.ts';
import {
  MsmSharedmem,
  RFSA_SERVICE,
  RfsaBufferError,
  RfsaMsgId,
  RfsaSharedmemService,
  SYSTEM_IDENTITY,
  SharedmemPeripheralClient,
  rfsaGetBuffAddr,
  type SharedmemNode,
} from '../../runtime/memory/sharedmem/index.ts';
import { QmiClient, QmiErr, QrtrRouter, createChannelPair, peekResponseTlv } from '../../runtime/qmi/messaging/index.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

const NODES: SharedmemNode[] = [
  { reg: { address: 0x8e00_0000n, size: 0x200000 }, regNames: 'rmtfs', clientId: 1 },
  { reg: { address: 0n, size: 0x20000 }, regNames: 'rfsa_dsp', clientId: 0x011013ec },
  // A second node with client id 1 is never reachable: lookups stop at the first match.
  { reg: { address: 0n, size: 0x400000 }, regNames: 'rmtfs_dup', clientId: 1 },
];

async function setup() {
  const memory = new PhysicalMemory({
    banks: [
      { base: 0x8000_0000n, size: 8 * 1024 * 1024 },
      { base: 0x8e00_0000n, size: 4 * 1024 * 1024 },
    ],
  });
  const sharedmem = new MsmSharedmem({ memory });
  sharedmem.probeAll(NODES);
  const apps = new QrtrRouter(1);
  const modem = new QrtrRouter(3);
  const [a, m] = createChannelPair();
  apps.connect(3, a);
  modem.connect(1, m);
  const rfsa = new RfsaSharedmemService(apps, sharedmem);
  rfsa.start();
  const client = await QmiClient.connect(modem, RFSA_SERVICE);
  const raw = async (msgId: number, payload: Uint8Array) => client.requestRaw(msgId, payload);
  return { memory, sharedmem, apps, modem, rfsa, client, raw };
}

describe('RFSA GET_BUFF_ADDR served by msm_sharedmem', () => {
  it('registers as service 0x1C, instance word 0x0101', async () => {
    const { client } = await setup();
    expect(client.server).toMatchObject({ service: 0x1c, instance: 0x0101, node: 1 });
  });

  it('answers a valid request with the buffer address, byte for byte', async () => {
    const { raw, sharedmem } = await setup();
    const resp = await raw(0x23, bytes('01 04 00 01 00 00 00 02 04 00 00 00 20 00'));
    expect(hex(resp)).toBe('02040000000000' + '1008000000008e00000000');
    expect(sharedmem.entries[0]!.requestCount).toBe(1);
  });

  it('accepts a size smaller than the buffer and returns the start of the region', async () => {
    const { client, sharedmem } = await setup();
    const r = await client.request(rfsaGetBuffAddr, { clientId: 0x011013ec, size: 16 });
    expect(r).toEqual({ resp: { result: 0, error: 0 }, address: sharedmem.entries[1]!.address });
  });

  it('the first entry with a client id wins', async () => {
    const { client } = await setup();
    // rmtfs_dup (4 MiB, client 1) would satisfy 3 MiB, but rmtfs (2 MiB) is found first.
    const r = await client.request(rfsaGetBuffAddr, { clientId: 1, size: 0x300000 });
    expect(r.resp).toEqual({ result: 1, error: QmiErr.NO_MEMORY });
  });

  it('fails like the stock kernel: size 0 / too big -> NO_MEMORY, unknown client -> INTERNAL, TLV 0x02 only', async () => {
    const { raw, sharedmem } = await setup();
    const failure = (err: number) => '020400' + '0100' + err.toString(16).padStart(2, '0') + '00';
    expect(hex(await raw(0x23, bytes('01 04 00 01 00 00 00 02 04 00 00 00 00 00')))).toBe(failure(QmiErr.NO_MEMORY));
    expect(hex(await raw(0x23, bytes('01 04 00 01 00 00 00 02 04 00 01 00 20 00')))).toBe(failure(QmiErr.NO_MEMORY));
    expect(hex(await raw(0x23, bytes('01 04 00 02 00 00 00 02 04 00 00 10 00 00')))).toBe(failure(QmiErr.INTERNAL));
    // The kernel decoder does not insist on mandatory TLVs: no size TLV means size 0.
    expect(hex(await raw(0x23, bytes('01 04 00 01 00 00 00')))).toBe(failure(QmiErr.NO_MEMORY));
    // Unknown client checked before size: client 0 with size 0x10 is INTERNAL.
    expect(hex(await raw(0x23, bytes('02 04 00 10 00 00 00')))).toBe(failure(QmiErr.INTERNAL));
    expect(sharedmem.entries.every((e) => e.requestCount === 0)).toBe(true);
  });

  it('malformed requests: ENCODING, and an empty payload is MISSING_ARG', async () => {
    const { raw } = await setup();
    const err = async (msgId: number, payload: string) => peekResponseTlv(await raw(msgId, bytes(payload)));
    // 14-byte limit of the kernel's table: one more optional TLV pushes it over.
    expect(await err(0x23, '01 04 00 01 00 00 00 02 04 00 00 10 00 00 10 00 00')).toEqual({ result: 1, error: QmiErr.ENCODING });
    expect(await err(0x23, '01 04 00 01 00 00 00 02 08 00 00 10 00 00')).toEqual({ result: 1, error: QmiErr.ENCODING });
    expect(await err(0x23, '03 04 00 01 00 00 00')).toEqual({ result: 1, error: QmiErr.ENCODING });
    expect(await err(0x23, '01 02 00 01 00')).toEqual({ result: 1, error: QmiErr.ENCODING });
    expect(await err(0x23, '01 04')).toEqual({ result: 1, error: QmiErr.ENCODING });
    expect(await err(0x23, '')).toEqual({ result: 1, error: QmiErr.MISSING_ARG });
    // Unknown optional TLVs are skipped when they fit.
    expect(await err(0x23, '10 00 00 01 04 00 01 00 00 00')).toEqual({ result: 1, error: QmiErr.NO_MEMORY });
  });

  it('every other RFSA message is NOT_SUPPORTED, release included', async () => {
    const { raw } = await setup();
    for (const id of [
      RfsaMsgId.FILE_STAT,
      RfsaMsgId.FILE_CREATE,
      RfsaMsgId.FILE_READ,
      RfsaMsgId.RELEASE_BUFF_ADDR,
      RfsaMsgId.IOVEC_FILE_READ,
      RfsaMsgId.IOVEC_FILE_WRITE,
      0x27,
    ]) {
      const resp = await raw(id, bytes('01 04 00 01 00 00 00 02 08 00 00 00 00 8e 00 00 00 00'));
      expect(hex(resp)).toBe('02040001005e00');
    }
  });

  it('answers concurrent requests one at a time, in order', async () => {
    const { client, sharedmem } = await setup();
    const sizes = [0x1000, 0, 0x200000, 0x200001, 0x10, 0];
    const got = await Promise.all(sizes.map((size) => client.request(rfsaGetBuffAddr, { clientId: 1, size })));
    expect(got.map((r) => r.resp.error)).toEqual([0, 2, 0, 2, 0, 2]);
    expect(sharedmem.entries[0]!.requestCount).toBe(3);
  });
});

describe('peripheral client', () => {
  it('maps the buffer the APPS UIO mapping shows, and gets the same address after a restart', async () => {
    const { memory, modem, sharedmem } = await setup();
    const peripheral = new SharedmemPeripheralClient(modem, memory, { clientId: 1, size: 0x200000 });
    const buf = await peripheral.acquire();
    expect(buf.address).toBe(0x8e00_0000n);
    const uio = sharedmem.uio.open(`/dev/${sharedmem.uio.findByName('rmtfs')}`, SYSTEM_IDENTITY).mmap(0x200000);
    uio.write(0, new TextEncoder().encode('from apps'));
    expect(new TextDecoder().decode(buf.read(0, 9))).toBe('from apps');
    buf.write(0x1ffffd, new Uint8Array([1, 2, 3]));
    expect([...uio.read(0x1ffffd, 3)]).toEqual([1, 2, 3]);

    const again = await peripheral.restart();
    expect(again.address).toBe(buf.address);
    expect(new TextDecoder().decode(again.read(0, 9))).toBe('from apps');
    expect(sharedmem.entries[0]!.requestCount).toBe(2);
    peripheral.close();
  });

  it('reports FAILURE responses as RfsaBufferError with the QMI error', async () => {
    const { memory, modem } = await setup();
    const unknown = new SharedmemPeripheralClient(modem, memory, { clientId: 0x42, size: 0x1000 });
    await expect(unknown.acquire()).rejects.toMatchObject({ name: 'RfsaBufferError', error: QmiErr.INTERNAL });
    const tooBig = new SharedmemPeripheralClient(modem, memory, { clientId: 1, size: 0x200001 });
    await expect(tooBig.acquire()).rejects.toBeInstanceOf(RfsaBufferError);
  });

  it('keeps serving across a link loss: the peripheral reconnects and gets the same address', async () => {
    const { apps, memory, modem, sharedmem } = await setup();
    const peripheral = new SharedmemPeripheralClient(modem, memory, { clientId: 0x011013ec, size: 0x20000, timeoutMs: 60_000 });
    const first = await peripheral.acquire();
    apps.disconnect(3);
    await new Promise((r) => setTimeout(r, 0)); // the modem notices the link loss asynchronously
    expect(modem.isLinked(1)).toBe(false);
    const [a, m] = createChannelPair();
    apps.connect(3, a);
    modem.connect(1, m);
    // The old client's server was withdrawn with the link; acquire looks the service up again.
    const second = await peripheral.acquire();
    expect(second.address).toBe(first.address);
    expect(sharedmem.entries[1]!.requestCount).toBe(2);
  });
});

describe('peripheral access control', () => {
  it('the modem maps its buffer, which probe locked to HLOS and MPSS; an ADSP client asking for it is refused', async () => {
    const { memory, modem, sharedmem } = await setup();
    const { ownership } = sharedmem;
    const mpss = new SharedmemPeripheralClient(modem, memory, { clientId: 1, size: 0x1000, vm: { vmid: Vmid.MSS_MSA, ownership } });
    expect((await mpss.acquire()).address).toBe(0x8e00_0000n);
    const adsp = new SharedmemPeripheralClient(modem, memory, { clientId: 1, size: 0x1000, vm: { vmid: Vmid.ADSP_Q6, ownership } });
    await expect(adsp.acquire()).rejects.toThrow(/not shared with VM 0x6/);
    expect(adsp.buffer).toBeUndefined();
    // The refusal changed nothing: still HLOS and MPSS only.
    expect(ownership.allows(Vmid.ADSP_Q6, 0x8e00_0000n, 0x1000, ScmPerm.READ)).toBe(false);
    mpss.close();
    adsp.close();
  });

  it('an ADSP client sets the access control of an HLOS-only buffer itself: HLOS and ADSP, nobody else', async () => {
    const { memory, modem, sharedmem } = await setup();
    const { ownership } = sharedmem;
    const dsp = sharedmem.entries.find((e) => e.name === 'rfsa_dsp')!;
    expect(ownership.allows(Vmid.HLOS, dsp.address, dsp.size, ScmPerm.RWX)).toBe(true);
    const adsp = new SharedmemPeripheralClient(modem, memory, {
      clientId: 0x011013ec,
      size: 0x20000,
      vm: { vmid: Vmid.ADSP_Q6, ownership },
    });
    await adsp.acquire();
    expect(ownership.allows(Vmid.ADSP_Q6, dsp.address, dsp.size, ScmPerm.RW)).toBe(true);
    expect(ownership.allows(Vmid.HLOS, dsp.address, dsp.size, ScmPerm.RW)).toBe(true);
    expect(ownership.allows(Vmid.MSS_MSA, dsp.address, dsp.size, ScmPerm.READ)).toBe(false);
    // After a restart the ADSP finds the buffer already shared with it.
    await adsp.restart();
    const mpss = new SharedmemPeripheralClient(modem, memory, {
      clientId: 0x011013ec,
      size: 0x20000,
      vm: { vmid: Vmid.MSS_MSA, ownership },
    });
    await expect(mpss.acquire()).rejects.toThrow(/not shared with VM 0xf/);
    adsp.close();
    mpss.close();
  });

  it('an address overlapping another image is refused before it is mapped', async () => {
    const { memory, modem } = await setup();
    const images = [{ name: 'modem image', base: 0x8e10_0000n, size: 0x10_0000 }];
    const p = new SharedmemPeripheralClient(modem, memory, { clientId: 1, size: 0x200000, images });
    await expect(p.acquire()).rejects.toThrow(/overlaps the memory of modem image/);
    expect(p.buffer).toBeUndefined();
    const below = new SharedmemPeripheralClient(modem, memory, { clientId: 1, size: 0x100000, images });
    expect((await below.acquire()).address).toBe(0x8e00_0000n);
    p.close();
    below.close();
  });
});

describe('peripheral boot, FATAL and subsystem restart', () => {
  it('boots running with its buffer; a subsystem restart boots again to the same address', async () => {
    const { memory, modem, sharedmem } = await setup();
    const peripheral = new SharedmemPeripheralClient(modem, memory, { clientId: 1, size: 0x1000 });
    const first = await peripheral.boot();
    expect(first.kind).toBe('running');
    const again = await peripheral.subsystemRestart();
    expect(again).toMatchObject({ kind: 'running', buffer: { address: 0x8e00_0000n } });
    expect(peripheral.restarts).toBe(1);
    expect(peripheral.fatals).toBe(0);
    expect(sharedmem.entries[0]!.requestCount).toBe(2);
    peripheral.close();
  });

  it('a buffer the HLOS cannot give is FATAL on the peripheral, again after each restart', async () => {
    const { memory, modem } = await setup();
    const tooBig = new SharedmemPeripheralClient(modem, memory, { clientId: 1, size: 0x200001 });
    const state = await tooBig.boot();
    expect(state).toMatchObject({ kind: 'fatal', error: { name: 'RfsaBufferError', error: QmiErr.NO_MEMORY } });
    expect(tooBig.buffer).toBeUndefined();
    expect((await tooBig.subsystemRestart()).kind).toBe('fatal');
    expect(tooBig.fatals).toBe(2);
    const unknown = new SharedmemPeripheralClient(modem, memory, { clientId: 0x42, size: 0x1000 });
    expect(await unknown.boot()).toMatchObject({ kind: 'fatal', error: { error: QmiErr.INTERNAL } });
    tooBig.close();
    unknown.close();
  });

  it('an older HLOS without the service: the peripheral carries on without the buffer, not FATAL', async () => {
    const memory = new PhysicalMemory({ banks: [{ base: 0x8000_0000n, size: 1024 * 1024 }] });
    const apps = new QrtrRouter(1);
    const modem = new QrtrRouter(3);
    const [a, m] = createChannelPair();
    apps.connect(3, a);
    modem.connect(1, m);
    const peripheral = new SharedmemPeripheralClient(modem, memory, { clientId: 1, size: 0x1000, timeoutMs: 20 });
    const state = await peripheral.boot();
    expect(state).toMatchObject({ kind: 'degraded', reason: expect.stringContaining('older HLOS') });
    expect(peripheral.fatals).toBe(0);
    expect(peripheral.buffer).toBeUndefined();
  });

  it('an older peripheral image on this HLOS is FATAL at boot, without asking', async () => {
    const { memory, modem, sharedmem } = await setup();
    const legacy = new SharedmemPeripheralClient(modem, memory, { clientId: 1, size: 0x1000, legacyImage: true });
    expect(await legacy.boot()).toMatchObject({ kind: 'fatal', reason: expect.stringContaining('older peripheral') });
    expect(sharedmem.entries[0]!.requestCount).toBe(0);
  });
});
