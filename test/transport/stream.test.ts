import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appsMemDescriptor, createAppsMemSkel } from '../../generated/apps_mem.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';
import { createMemorySystem } from '../../runtime/memory/system.ts';
import { DspSide } from '../../runtime/transport/dsp-side.ts';
import { spawnDspProcess } from '../../runtime/transport/dsp-process.ts';
import { createReverseTable, serveReverse } from '../../runtime/transport/reverse-session.ts';
import { AEE_ECONNRESET } from '../../runtime/transport/status.ts';
import { connectStream, listenStream } from '../../runtime/transport/stream-transport.ts';
import { traceImpl } from '../../runtime/transport/trace.ts';
import xorProgram from './fixtures/xor-program.ts';
import { xorSkel } from './xor-skel.ts';

describe('stream transport (socket)', () => {
  it('carries the reverse protocol over TCP on loopback in one process, large streams included', async () => {
    const dsp = new DspSide({ count: 40 });
    const server = await listenStream(0, dsp.dispatch);
    const port = (server.address() as { port: number }).port;
    const transport = await connectStream(port);
    const table = createReverseTable().register('xor', xorSkel);
    const [value, exit] = await Promise.all([dsp.run(xorProgram), serveReverse(transport, table)]);
    expect(value).toMatchObject({ ok: 40, bad: 0 });
    expect(exit).toMatchObject({ reason: 'stopped', calls: 42 });
    transport.close();
    server.close();
  });

  it('reports AEE_ECONNRESET for calls in flight when the peer goes away', async () => {
    const server = await listenStream(
      0,
      () => new Promise<number>(() => {}),
      (socket) => setTimeout(() => socket.destroy(), 50),
    );
    const transport = await connectStream((server.address() as { port: number }).port);
    expect(await transport.invoke(3, makeScalars(3, 0, 0), [])).toBe(AEE_ECONNRESET);
    expect(await transport.invoke(3, makeScalars(3, 0, 0), [])).toBe(AEE_ECONNRESET);
    server.close();
  });

  it('runs a DSP simulator as a separate process over a Unix socket, serving apps_mem', async () => {
    const sys = createMemorySystem();
    let calls = 0;
    const table = createReverseTable().register('apps_mem', createAppsMemSkel(traceImpl(appsMemDescriptor, sys.appsMem, () => calls++)));
    const socket = join(mkdtempSync(join(tmpdir(), 'dspidl-')), 'dsp.sock');
    const dsp = await spawnDspProcess({ program: new URL('../../demo/dsp/misbehave.ts', import.meta.url), socket });
    const exit = await serveReverse(dsp.transport, table);
    const outcome = await dsp.outcome;
    expect(exit.reason).toBe('stopped');
    expect(outcome.ok).toBe(true);
    const attempts = (outcome as { value: { code: number; expected: number }[] }).value;
    expect(attempts.length).toBe(9);
    expect(attempts.every((a) => a.code === a.expected)).toBe(true);
    expect(calls).toBe(10);
    expect(await dsp.close()).toBe(0);
  }, 30_000);

  it('a killed DSP process ends the APPS listener with AEE_ECONNRESET', async () => {
    const table = createReverseTable().register('xor', xorSkel);
    const dsp = await spawnDspProcess({
      program: new URL('./fixtures/xor-program.ts', import.meta.url),
      args: { count: 1, sleepMs: 60_000 },
    });
    const listening = serveReverse(dsp.transport, table);
    await new Promise((r) => setTimeout(r, 200));
    await dsp.kill();
    expect(await listening).toMatchObject({ reason: 'failed', code: AEE_ECONNRESET });
  }, 30_000);
});
