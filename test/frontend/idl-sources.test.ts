/** Our own IDL sources in idl/ check clean and have the method indices the wire needs. */
import { describe, expect, it } from 'vitest';
import { loadQaicProgram } from '../../generator/qaic/index.ts';
import { findInterface, repoRoot } from './helpers.ts';

const idl = (f: string) => `${repoRoot}idl/${f}`.replace(/\/+/g, '/');
const load = (f: string) => loadQaicProgram({ files: [idl(f)], includeDirs: [idl('')] });
const methods = (f: string, iface: string) => findInterface(load(f).value, iface)?.methods.map((m) => [m.name, m.index]);

describe('idl/', () => {
  it.each(['AEEStdDef.idl', 'remote.idl', 'apps_mem.idl', 'adsp_listener.idl', 'apps_remotectl.idl'])('%s checks clean', (f) => {
    expect(load(f).diagnostics).toEqual([]);
  });

  it('apps_mem has the eight methods in wire order, C name apps_mem, opened by name', () => {
    expect(methods('apps_mem.idl', 'apps::mem')).toEqual([
      ['request_map', 0],
      ['request_unmap', 1],
      ['request_map64', 2],
      ['request_unmap64', 3],
      ['share_map', 4],
      ['share_unmap', 5],
      ['dma_handle_map', 6],
      ['dma_handle_unmap', 7],
    ]);
    const mem = findInterface(load('apps_mem.idl').value, 'apps::mem');
    expect(mem?.cName).toBe('apps_mem');
    expect(mem?.staticHandle).toBeUndefined();
    expect(mem?.methods[2]?.params.map((p) => [p.name, p.mode, p.type.kind === 'prim' ? p.type.prim : p.type.kind])).toEqual([
      ['heapid', 'in', 'int32'],
      ['ion_flags', 'in', 'uint32'],
      ['rflags', 'in', 'uint32'],
      ['vin', 'in', 'uint64'],
      ['len', 'in', 'int64'],
      ['vapps', 'rout', 'uint64'],
      ['vadsp', 'rout', 'uint64'],
    ]);
    expect(mem?.doc.length).toBeGreaterThan(0);
    expect(load('apps_mem.idl').value.files.get(idl('apps_mem.idl'))?.doc?.[0]).toMatch(/^@file apps_mem\.idl\napps_mem: memory services/);
  });

  it('adsp_listener: static handle 3, init2 = 3, next2 = 4, get_in_bufs2 = 5', () => {
    const l = findInterface(load('adsp_listener.idl').value, 'adsp_listener');
    expect(l?.staticHandle).toBe(3);
    expect(methods('adsp_listener.idl', 'adsp_listener')).toEqual([
      ['next_invoke', 0],
      ['invoke_get_in_bufs', 1],
      ['init', 2],
      ['init2', 3],
      ['next2', 4],
      ['get_in_bufs2', 5],
    ]);
  });

  it('apps_remotectl: open = 0 and close = 1 with the remotectl parameter order', () => {
    const r = findInterface(load('apps_remotectl.idl').value, 'apps_remotectl');
    expect(r?.staticHandle).toBe(0);
    expect(r?.methods.map((m) => [m.name, m.index, m.params.map((p) => `${p.mode} ${p.name}`)])).toEqual([
      ['open', 0, ['in name', 'rout handle', 'rout dlerror', 'rout nErr']],
      ['close', 1, ['in handle', 'rout dlerror', 'rout nErr']],
    ]);
  });

  it('remote.idl: remote_handle64 declares open = 0 and close = 1', () => {
    const r = findInterface(load('remote.idl').value, 'remote_handle64');
    expect(r?.handle64).toBe(true);
    expect(r?.methods.map((m) => [m.name, m.index])).toEqual([
      ['open', 0],
      ['close', 1],
    ]);
  });
});
