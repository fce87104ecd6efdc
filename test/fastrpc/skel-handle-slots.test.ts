/**
 * Where a skel looks for handles and which counts it checks, as qaic 01.00.51's generated skels
 * do (read from its C and confirmed on random interfaces, test/conformance/README.md): requests
 * made by dspidl's own stub, then changed the way a careless or hostile caller would.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../generator/compile.ts';
import { interfaceDesc } from '../../generator/model/layout.ts';
import type { InterfaceDecl } from '../../generator/model/qaic.ts';
import { createSkel } from '../../runtime/rpc/skel.ts';
import { Aee } from '../../runtime/wire/aee-codes.ts';
import type { InterfaceDesc } from '../../runtime/wire/desc.ts';
import { planAt } from '../../runtime/wire/plan.ts';
import { MapFdRegistry, type RemoteArg } from '../../runtime/wire/remote-arg.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';

const IDL = `
struct S { string a; };
struct C { sequence<long> v; };
interface c1 {
  long f(in S s, in dmahandle d);
  long g(in S s);
  long x(in sequence<dmahandle> d, in dmahandle h);
  long y(in sequence<dmahandle> d, in S s);
  long z(rout C c, in sequence<dmahandle> d);
};`;

function desc(): InterfaceDesc {
  const path = '/t/c1.idl';
  const r = compile({ files: [path], readFile: (p) => (p === path ? IDL : undefined), includeDirs: [], parseOnly: true });
  const decl = r.programs.qaic?.files.get(path)?.decls.find((d): d is InterfaceDecl => d.kind === 'interface');
  if (!decl) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return interfaceDesc(decl);
}

const d = desc();
const fds = new MapFdRegistry();
fds.register(3, 4096);
fds.register(4, 4096);
const dma = (fd: number) => ({ fd, offset: 0, len: 4096 });

/** A request dspidl's stub makes for `method`, as counts and slots. */
function request(method: string, args: unknown[], caps?: Record<string, unknown>): { sc: number; pra: RemoteArg[] } {
  const m = d.methods.find((x) => x.name === method)!;
  const req = planAt(d, m.index).encodeRequest(args, caps, fds);
  if (typeof req === 'number') throw new Error(`encode ${method}: ${req}`);
  return { sc: req.sc, pra: req.args };
}

/** The request with one more slot of a kind, placed where that kind goes, and the count raised. */
function withExtra(r: { sc: number; pra: RemoteArg[] }, kind: 'inHandle' | 'outBuf'): { sc: number; pra: RemoteArg[] } {
  const nIn = (r.sc >>> 16) & 0xff;
  const nOut = (r.sc >>> 8) & 0xff;
  const nInH = (r.sc >>> 4) & 0xf;
  const nOutH = r.sc & 0xf;
  const pra = [...r.pra];
  if (kind === 'inHandle') pra.splice(nIn + nOut + nInH, 0, { fd: 4, offset: 0 });
  else pra.splice(nIn + nOut, 0, new Uint8Array(8));
  const sc = makeScalars((r.sc >>> 24) & 31, nIn, nOut + (kind === 'outBuf' ? 1 : 0), nInH + (kind === 'inHandle' ? 1 : 0), nOutH);
  return { sc, pra };
}

function serve(method: string, r: { sc: number; pra: RemoteArg[] }): { code: number; called: boolean } {
  let called = false;
  const impl = { [method]: () => ((called = true), method === 'z' ? { c: { v: [] } } : undefined) };
  const code = createSkel(d, impl, { onError: () => {} })(0, r.sc, r.pra, { fds });
  if (code instanceof Promise) throw new Error('sync implementation expected');
  return { code, called };
}

describe('skel: handle counts and handle slots', () => {
  it('a method with a struct and a dmahandle parameter checks its handle count as a minimum: an extra in handle is ignored', () => {
    expect(serve('f', withExtra(request('f', [{ a: 'x' }, dma(3)]), 'inHandle'))).toEqual({ code: 0, called: true });
  });

  it('a method with no dmahandle at all checks the handle count exactly', () => {
    expect(serve('g', withExtra(request('g', [{ a: 'x' }]), 'inHandle'))).toEqual({ code: Aee.EBADPARM, called: false });
  });

  it('with a dmahandle parameter the handles come after every counted buffer: an extra out buffer is harmless', () => {
    expect(serve('x', withExtra(request('x', [[dma(3)], dma(4)]), 'outBuf'))).toEqual({ code: 0, called: true });
    expect(serve('x', withExtra(request('x', [[], dma(4)]), 'outBuf'))).toEqual({ code: 0, called: true });
  });

  it('with handles only in a sequence they come after the declared out buffers: an extra out buffer is read as a handle and refused', () => {
    expect(serve('y', request('y', [[dma(3)], { a: 'x' }]))).toEqual({ code: 0, called: true });
    expect(serve('y', withExtra(request('y', [[dma(3)], { a: 'x' }]), 'outBuf'))).toEqual({ code: Aee.EBADPARM, called: false });
  });

  it('with a rout parameter whose buffers are counted at run time, handles again come after every counted out buffer', () => {
    expect(serve('z', request('z', [[dma(3), dma(4)]], { c: { v: 4 } }))).toEqual({ code: 0, called: true });
    expect(serve('z', withExtra(request('z', [[dma(3)]], { c: { v: 4 } }), 'outBuf'))).toEqual({ code: 0, called: true });
  });
});
