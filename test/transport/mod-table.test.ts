import { describe, expect, it } from 'vitest';
import { Aee, AeeError } from '../../runtime/wire/aee-codes.ts';
import { isBuffer } from '../../runtime/wire/remote-arg.ts';
import type { HandleSlot, RemoteArg } from '../../runtime/wire/remote-arg.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';
import type { RemoteHandle, SkelInvoke } from '../../runtime/rpc/transport.ts';
import type { DspEnv } from '../../runtime/transport/dsp-side.ts';
import { MAX_REVERSE_HANDLES, ModTable, parseModUri } from '../../runtime/transport/mod-table.ts';
import { RemotectlOverReverse } from '../../runtime/transport/reverse-protocol.ts';
import { createReverseTable, runInProcess } from '../../runtime/transport/reverse-session.ts';
import { xorSkel } from './xor-skel.ts';

const sc = makeScalars(0, 1, 1);
const io = (): RemoteArg[] => [new Uint8Array([1, 2]), new Uint8Array(2)];

describe('ModTable open / close / invoke', () => {
  it('opens a static module after the loader fails, with the loader text and nErr 0', async () => {
    const t = new ModTable().register('apps_mem', xorSkel);
    const r = await t.openByName('apps_mem');
    expect(r.status).toBe(0);
    expect(r.nErr).toBe(0);
    expect(r.handle).not.toBe(0);
    expect(r.dlerror).toBe('dlopen failed: library "libapps_mem_skel_system.so" not found');
    expect(await t.invoke(r.handle, sc, io())).toBe(0);
  });

  it('answers an unknown name with status 0, nErr AEE_EINVHANDLE and the dlerror text', async () => {
    const r = await new ModTable().openByName('nosuch');
    expect(r).toEqual({
      status: 0,
      handle: 0,
      nErr: Aee.EINVHANDLE,
      dlerror: 'dlopen failed: library "libnosuch_skel_system.so" not found',
    });
  });

  it('reference-counts reopened names and unloads at zero; unknown handles give AEE_ENOSUCHMOD', async () => {
    const t = new ModTable().register('xor', xorSkel);
    const a = await t.openByName('xor');
    const b = await t.openByName('xor');
    expect(b.handle).toBe(a.handle);
    expect(t.openModules()).toEqual([{ handle: a.handle, name: 'xor', refs: 2 }]);
    expect((await t.closeHandle(a.handle)).status).toBe(0);
    expect(await t.invoke(a.handle, sc, io())).toBe(0);
    expect((await t.closeHandle(a.handle)).status).toBe(0);
    expect(await t.invoke(a.handle, sc, io())).toBe(Aee.ENOSUCHMOD);
    expect((await t.closeHandle(a.handle)).status).toBe(Aee.ENOSUCHMOD);
    expect(await t.invoke(0x1234, sc, io())).toBe(Aee.ENOSUCHMOD);
  });

  it(`allows at most ${MAX_REVERSE_HANDLES} open modules (AEE_EINVHANDLE beyond), reopen still works`, async () => {
    const t = new ModTable();
    for (let i = 0; i <= MAX_REVERSE_HANDLES; i++) t.register(`m${i}`, xorSkel);
    const handles: number[] = [];
    for (let i = 0; i < MAX_REVERSE_HANDLES; i++) handles.push((await t.openByName(`m${i}`)).handle);
    expect(new Set(handles).size).toBe(MAX_REVERSE_HANDLES);
    expect((await t.openByName(`m${MAX_REVERSE_HANDLES}`)).status).toBe(Aee.EINVHANDLE);
    expect((await t.openByName('nosuch')).status).toBe(Aee.EINVHANDLE);
    expect((await t.openByName('m3')).handle).toBe(handles[3]);
    await t.closeHandle(handles[0]!);
    const late = await t.openByName(`m${MAX_REVERSE_HANDLES}`);
    expect(late.status).toBe(0);
    expect(await t.invoke(late.handle, sc, io())).toBe(0);
  });

  it('tries static overrides before the loader (no dlerror text)', async () => {
    const t = new ModTable().register('xor', xorSkel, { override: true });
    expect(await t.openByName('xor')).toMatchObject({ status: 0, nErr: 0, dlerror: '' });
  });

  it('turns a skel that throws into its AEE code, anything else into AEE_EUNKNOWN', async () => {
    const t = new ModTable()
      .register('aee', () => {
        throw new AeeError(Aee.EBADITEM);
      })
      .register('bug', () => {
        throw new TypeError('oops');
      })
      .register('async', async () => {
        throw new AeeError(Aee.ENOSUCHMAP);
      });
    for (const [name, code] of [
      ['aee', Aee.EBADITEM],
      ['bug', Aee.EUNKNOWN],
      ['async', Aee.ENOSUCHMAP],
    ] as const) {
      const { handle } = await t.openByName(name);
      expect(await t.invoke(handle, sc, io())).toBe(code);
    }
  });
});

describe('_modver=1.0 (remote_handle64) modules', () => {
  function handle64Skel(log: string[]): SkelInvoke {
    return (h: RemoteHandle, s: number, args: RemoteArg[]) => {
      const method = (s >>> 24) & 31;
      if (method === 0) {
        expect(s).toBe(makeScalars(0, 2, 0, 0, 1));
        const [len, uri, slot] = args as [Uint8Array, Uint8Array, HandleSlot];
        expect(new DataView(len.buffer, len.byteOffset).getUint32(0, true)).toBe(uri.length);
        log.push(`open ${new TextDecoder().decode(uri.subarray(0, uri.length - 1))}`);
        slot.h64 = 0xabcdef0123n;
        return 0;
      }
      if (method === 1) {
        expect(s).toBe(makeScalars(1, 0, 0, 1, 0));
        log.push(`close ${(args[0] as HandleSlot).h64?.toString(16)}`);
        return 0;
      }
      log.push(`invoke ${String(h)}`);
      return isBuffer(args[0]) ? 0 : Aee.EBADPARM;
    };
  }

  it('runs method 0 with the URI on open, passes the 64-bit handle on invoke, method 1 on close', async () => {
    const log: string[] = [];
    const t = new ModTable().register('calc', handle64Skel(log), { handle64: true });
    const uri = 'file:///libcalc_skel.so?calc_skel_handle_invoke&_modver=1.0';
    const r = await t.openByName(uri);
    expect(r.status).toBe(0);
    expect(r.dlerror).toBe('dlopen failed: library "libcalc_skel_system.so" not found');
    expect(await t.invoke(r.handle, makeScalars(2, 1, 1), io())).toBe(0);
    await t.closeHandle(r.handle);
    expect(log).toEqual([`open ${uri}`, `invoke ${0xabcdef0123n}`, 'close abcdef0123']);
  });

  it('parses URIs as mod_table.c does', () => {
    expect(parseModUri('file:///libx_skel.so?x_skel_handle_invoke&_modver=1.0&_dom=adsp')).toEqual({
      file: 'libx_skel.so',
      sym: 'x_skel_handle_invoke',
      ver: '1.0',
    });
    expect(parseModUri('file://liby.so?y_invoke')).toEqual({ file: 'liby.so', sym: 'y_invoke', ver: undefined });
    expect(parseModUri('apps_mem')).toBeUndefined();
    expect(parseModUri('file:///noquery.so')).toBeUndefined();
  });
});

describe('apps_remotectl on reverse handle 0 (generated skel and stub)', () => {
  it('opens, invokes and closes from DSP code; truncates dlerror to its capacity; unknown close is ENOSUCHMOD', async () => {
    const table = createReverseTable().register('xor', xorSkel);
    const program = async (env: DspEnv) => {
      const small = new RemotectlOverReverse(env.reverse, 16);
      const opened = await small.open('xor');
      const out = new Uint8Array(2);
      const r = await env.reverse.invoke(opened.handle, sc, [new Uint8Array([0, 0x5a]), out]);
      await small.close(opened.handle);
      const unknown = await env.open('nope').catch((e: AeeError) => e);
      const badClose = await env.close(opened.handle).catch((e: AeeError) => e);
      return { dlerror: opened.dlerror, r, out: [...out], unknown, badClose };
    };
    const { value } = await runInProcess(program, table);
    const v = value as { dlerror: string; r: number; out: number[]; unknown: AeeError; badClose: AeeError };
    expect(v.dlerror).toBe('dlopen failed: ');
    expect(v.r).toBe(0);
    expect(v.out).toEqual([0x5a, 0]);
    expect(v.unknown).toBeInstanceOf(AeeError);
    expect(v.unknown.code).toBe(Aee.EINVHANDLE);
    expect(v.unknown.message).toContain('libnope_skel_system.so');
    expect(v.badClose.code).toBe(Aee.ENOSUCHMOD);
  });
});
