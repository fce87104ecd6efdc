import { describe, expect, it } from 'vitest';
import {
  NameService,
  QrtrCtrl,
  decodeCtrlPacket,
  encodeCtrlPacket,
  instanceWord,
  splitInstanceWord,
  type NameServiceEvent,
} from '../../runtime/qmi/messaging/index.ts';

describe('QRTR name service', () => {
  it('packs version and instance into the instance word', () => {
    expect(instanceWord(1, 1)).toBe(0x0101);
    expect(instanceWord(1, 0)).toBe(0x0001);
    expect(splitInstanceWord(0x0101)).toEqual({ version: 1, instance: 1 });
  });

  it('encodes control packets as little-endian u32 words', () => {
    const p = encodeCtrlPacket({ cmd: QrtrCtrl.NEW_SERVER, server: { service: 0x1c, instance: 0x101, node: 1, port: 0x4000 } });
    expect(Buffer.from(p).toString('hex')).toBe('04000000' + '1c000000' + '01010000' + '01000000' + '00400000');
    expect(decodeCtrlPacket(p)).toEqual({ cmd: QrtrCtrl.NEW_SERVER, server: { service: 0x1c, instance: 0x101, node: 1, port: 0x4000 } });
    expect(decodeCtrlPacket(encodeCtrlPacket({ cmd: QrtrCtrl.DEL_CLIENT, client: { node: 5, port: 7 } }))).toEqual({
      cmd: QrtrCtrl.DEL_CLIENT,
      client: { node: 5, port: 7 },
    });
    expect(decodeCtrlPacket(Uint8Array.of(99, 0, 0, 0))).toBeUndefined();
  });

  it('a lookup gets the matching servers, an end marker, then live changes', () => {
    const ns = new NameService();
    ns.add({ service: 0x1c, instance: 0x101, node: 1, port: 10 });
    ns.add({ service: 0x1c, instance: 0x001, node: 1, port: 11 });
    ns.add({ service: 0x0f, instance: 0x101, node: 1, port: 12 });
    const seen: NameServiceEvent[] = [];
    const cancel = ns.lookup({ service: 0x1c, instance: 0x101 }, (e) => seen.push(e));
    expect(seen).toEqual([{ type: 'new', server: { service: 0x1c, instance: 0x101, node: 1, port: 10 } }, { type: 'end' }]);
    ns.add({ service: 0x1c, instance: 0x101, node: 5, port: 20 });
    ns.add({ service: 0x1c, instance: 0x201, node: 5, port: 21 });
    ns.removeNode(1);
    expect(seen.slice(2)).toEqual([
      { type: 'new', server: { service: 0x1c, instance: 0x101, node: 5, port: 20 } },
      { type: 'del', server: { service: 0x1c, instance: 0x101, node: 1, port: 10 } },
    ]);
    cancel();
    ns.remove(5, 20);
    ns.add({ service: 0x0f, instance: 0x101, node: 5, port: 22 });
    expect(seen.length).toBe(4);
    // Wildcards: service 0 = any service, instance 0 = any instance.
    expect(ns.list({ service: 0, instance: 0 }).map((s) => s.port)).toEqual([21, 22]);
    expect(ns.list({ service: 0x1c, instance: 0 }).map((s) => s.port)).toEqual([21]);
  });
});
