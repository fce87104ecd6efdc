/**
 * `dspidl encode` / `dspidl decode`: one FastRPC call (or QMI message) at a time, JSON on
 * stdin, JSON on stdout, in the spirit of `protoc --encode/--decode`. QAIC calls run
 * through the same plans and generic skel the generated modules use; QMI files are
 * handed to the QMI codec. A JSON array on stdin is a batch: one result per element.
 *
 *   encode <file> <iface>.<method>             {"args","caps"} -> {"sc","inBufs","outBufLens","inHandles","outHandles"} | {"result"}
 *   decode <file> <iface>.<method>             {"sc","inBufs","outBufLens",...} -> {"result":0,"args","caps"} | {"result"}
 *   encode <file> <iface>.<method> --response  request + {"routs"} -> {"outBufs"} | {"result"}
 *   decode <file> <iface>.<method> --response  {"args","caps","outBufs"} -> {"routs"}
 */
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { renderDiagnostics } from '../diagnostics/render.ts';
import { isQmiSource } from '../dialect.ts';
import { readInputFile } from '../source.ts';
import { Exit, type CliIo } from './terminal.ts';
import { findInterface, interfaceDesc, scopedName } from '../model/layout.ts';
import { loadQaicProgram } from '../qaic/index.ts';
import { QmiCodecInputError, qmiDecodeCommand, qmiEncodeCommand } from '../qmi/cli-codec.ts';
import { MapFdRegistry, type HandleSlot, type RemoteArg } from '../../runtime/wire/remote-arg.ts';
import { createSkel } from '../../runtime/rpc/skel.ts';
import { zeroRouts } from '../../runtime/wire/codec.ts';
import { Aee } from '../../runtime/wire/aee-codes.ts';
import { InvalidValueError } from '../../runtime/wire/value-check.ts';
import { formatScalars } from '../../runtime/wire/scalars.ts';
import type { InterfaceDesc } from '../../runtime/wire/desc.ts';
import { fromHex, toHex } from '../../runtime/wire/hex.ts';
import {
  argsFromJson,
  argsToJson,
  methodCapsFromJson,
  methodCapsToJson,
  routsFromJson,
  routsToJson,
  type Json,
} from '../../runtime/wire/json-values.ts';
import { planFor, type MethodPlan } from '../../runtime/wire/plan.ts';

/** A QAIC method resolved for the codec commands. */
export interface CodecTarget {
  readonly iface: InterfaceDesc;
  readonly plan: MethodPlan;
}

export class CodecUsageError extends Error {}

/** Finds `<interface>.<method>`; the interface may be the scoped IDL name or the C name. */
export function loadCodecTarget(file: string, spec: string, includeDirs: readonly string[]): CodecTarget {
  const r = loadQaicProgram({ files: [file], includeDirs: [...includeDirs] });
  if (hasErrors(r.diagnostics)) throw new CodecUsageError(renderDiagnostics(r.diagnostics, { color: false }));
  const dot = spec.lastIndexOf('.');
  if (dot <= 0) throw new CodecUsageError(`expected <interface>.<method>, got '${spec}'`);
  const decl = findInterface(r.value, spec.slice(0, dot));
  if (!decl) throw new CodecUsageError(`no interface '${spec.slice(0, dot)}' in ${file}`);
  const iface = interfaceDesc(decl);
  const m = iface.methods.find((x) => x.name === spec.slice(dot + 1));
  if (!m) throw new CodecUsageError(`interface ${scopedName(decl)} has no method '${spec.slice(dot + 1)}'`);
  const plan = planFor(m);
  plan.nameInterface(iface.name);
  return { iface, plan };
}

type Obj = Record<string, unknown>;
const obj = (j: unknown): Obj => (j !== null && typeof j === 'object' && !Array.isArray(j) ? (j as Obj) : {});
const hexList = (j: unknown): Uint8Array[] => (Array.isArray(j) ? j.map((h) => fromHex(String(h))) : []);

function handleToJson(s: HandleSlot, fds: MapFdRegistry): Json {
  return s.h64 !== undefined ? { h64: s.h64.toString() } : { fd: s.fd, offset: s.offset, len: fds.lookup(s.fd) ?? 0 };
}

function handleFromJson(j: unknown): HandleSlot {
  const o = obj(j);
  if (o['h64'] !== undefined) return { fd: 0, offset: 0, h64: BigInt(o['h64'] as string) };
  return { fd: Number(o['fd'] ?? -1), offset: Number(o['offset'] ?? 0) };
}

/** The stub's view of a request. */
export function encodeRequestJson(t: CodecTarget, input: unknown): Json {
  const o = obj(input);
  const fds = new MapFdRegistry();
  const req = t.plan.encodeRequest(argsFromJson(t.plan, o['args']), methodCapsFromJson(t.plan, o['caps']), fds);
  if (typeof req === 'number') return { result: req };
  const nIn = (req.sc >>> 16) & 0xff;
  const nOut = (req.sc >>> 8) & 0xff;
  const nInH = (req.sc >>> 4) & 0xf;
  const a = req.args;
  return {
    sc: formatScalars(req.sc),
    inBufs: a.slice(0, nIn).map((b) => toHex(b as Uint8Array)),
    outBufLens: a.slice(nIn, nIn + nOut).map((b) => (b as Uint8Array).length),
    inHandles: a.slice(nIn + nOut, nIn + nOut + nInH).map((h) => handleToJson(h as HandleSlot, fds)),
    outHandles: a.slice(nIn + nOut + nInH).map((h) => handleToJson(h as HandleSlot, fds)),
  };
}

/** A request element the skel cannot even be handed (a negative buffer length, bad hex): AEE_EBADPARM for that element. */
class MalformedRequest extends Error {}

/** Largest out buffer a JSON request may ask for (the stream transport's message limit). */
const MAX_OUT_BUF = 64 * 1024 * 1024;

function outLengths(j: unknown): number[] {
  if (j === undefined) return [];
  if (!Array.isArray(j)) throw new MalformedRequest('outBufLens must be an array of lengths');
  return j.map((n, i) => {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_OUT_BUF) {
      throw new MalformedRequest(`outBufLens[${i}]: ${JSON.stringify(n)} is not a buffer length (0..${MAX_OUT_BUF})`);
    }
    return n;
  });
}

function inBuffers(j: unknown): Uint8Array[] {
  try {
    return hexList(j);
  } catch (e) {
    throw new MalformedRequest(`inBufs: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function skelInputs(o: Obj): { sc: number; pra: RemoteArg[]; fds: MapFdRegistry; nIn: number; nOut: number } {
  const fds = new MapFdRegistry();
  const inH = Array.isArray(o['inHandles']) ? o['inHandles'] : [];
  const outH = Array.isArray(o['outHandles']) ? o['outHandles'] : [];
  for (const h of [...inH, ...outH]) {
    const ho = obj(h);
    if (ho['fd'] !== undefined && ho['len'] !== undefined) fds.register(Number(ho['fd']), Number(ho['len']));
  }
  for (const [fd, len] of Object.entries(obj(o['registeredFds']))) fds.register(Number(fd), Number(len));
  const inBufs = inBuffers(o['inBufs']);
  const outLens = outLengths(o['outBufLens']);
  const pra: RemoteArg[] = [...inBufs, ...outLens.map((n) => new Uint8Array(n)), ...inH.map(handleFromJson), ...outH.map(handleFromJson)];
  const sc = typeof o['sc'] === 'string' ? Number(o['sc']) : Number(o['sc'] ?? 0);
  return { sc: sc >>> 0, pra, fds, nIn: inBufs.length, nOut: outLens.length };
}

/** Runs the generic skel on a request with an implementation that records or answers. */
async function runSkel(
  t: CodecTarget,
  o: Obj,
  routs: Obj | undefined,
): Promise<{ code: number; args?: unknown[]; caps?: Obj; pra: RemoteArg[]; nIn: number; nOut: number; error?: string }> {
  const { sc, pra, fds, nIn, nOut } = skelInputs(o);
  let seen: { args: unknown[]; caps: Obj } | undefined;
  let error: string | undefined;
  const hasCaps = t.plan.capParams.length > 0 && !(t.iface.handle64 && t.plan.desc.index <= 1);
  const impl = new Proxy(
    {},
    {
      get: (_x, prop) =>
        typeof prop !== 'string'
          ? undefined
          : (...a: unknown[]) => {
              seen = { args: hasCaps ? a.slice(0, -1) : a, caps: hasCaps ? (a[a.length - 1] as Obj) : {} };
              // Only recording the request: any valid routs will do.
              return routs ? routsFromJson(t.plan, routs) : zeroRouts(t.plan.desc);
            },
    },
  );
  const skel = createSkel(t.iface, impl, { onError: (e) => (error = e instanceof Error ? e.message : String(e)) });
  const code = await skel(t.iface.handle64 ? 0n : 0, sc, pra, { fds });
  return { code, pra, nIn, nOut, ...(seen ? { args: seen.args, caps: seen.caps } : {}), ...(error !== undefined ? { error } : {}) };
}

/** The skel's view of a request: what the implementation would receive. */
export async function decodeRequestJson(t: CodecTarget, input: unknown): Promise<Json> {
  const r = await runSkel(t, obj(input), undefined);
  if (r.code !== 0 || !r.args) return { result: r.code };
  return { result: 0, args: argsToJson(t.plan, r.args), caps: methodCapsToJson(t.plan, r.caps ?? {}) };
}

/** The skel's view of a reply: the out buffers after the implementation wrote `routs`. */
export async function encodeResponseJson(t: CodecTarget, input: unknown): Promise<Json> {
  const o = obj(input);
  const r = await runSkel(t, o, obj(o['routs']));
  if (r.code !== 0) return r.error !== undefined ? { result: r.code, error: r.error } : { result: r.code };
  const out: Record<string, Json> = { outBufs: r.pra.slice(r.nIn, r.nIn + r.nOut).map((b) => toHex(b as Uint8Array)) };
  const outH = Array.isArray(o['outHandles']) ? o['outHandles'].length : 0;
  if (outH > 0) out['outHandles'] = r.pra.slice(r.pra.length - outH).map((h) => handleToJson(h as HandleSlot, new MapFdRegistry()));
  return out;
}

/** The stub's view of a reply: the rout values decoded from `outBufs`. */
export function decodeResponseJson(t: CodecTarget, input: unknown): Json {
  const o = obj(input);
  const req = t.plan.encodeRequest(argsFromJson(t.plan, o['args']), methodCapsFromJson(t.plan, o['caps']), new MapFdRegistry());
  if (typeof req === 'number') return { result: req };
  const nIn = (req.sc >>> 16) & 0xff;
  const nOut = (req.sc >>> 8) & 0xff;
  hexList(o['outBufs']).forEach((b, i) => {
    const dst = req.args[nIn + i];
    if (i < nOut && dst instanceof Uint8Array) dst.set(b.subarray(0, dst.length));
  });
  return { routs: routsToJson(t.plan, t.plan.decodeResponse(req)) };
}

const NEG_ZERO = '\u0000-0';

/** JSON text that keeps -0 (the conformance data writes `-0.0`). */
export function stringifyJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (Object.is(x, -0) ? NEG_ZERO : x)).replaceAll(JSON.stringify(NEG_ZERO), '-0.0');
}

export type CodecMode = 'encode' | 'decode';

export interface CodecOptions {
  readonly includePath?: readonly string[];
  readonly response?: boolean;
}

/**
 * `dspidl encode|decode <file> <name>`: JSON on stdin, JSON on stdout. An array on stdin is a
 * batch: one result per element, each element failing on its own.
 */
export async function runCodec(mode: CodecMode, file: string, spec: string, opts: CodecOptions, io: CliIo): Promise<number> {
  const text = readInputFile(file);
  if (typeof text !== 'string') {
    io.err(`dspidl ${mode}: ${text === undefined ? `cannot read ${file}` : text.message}\n`);
    return Exit.FAILED;
  }
  let input: unknown;
  try {
    input = JSON.parse(io.readStdin());
  } catch (e) {
    io.err(`dspidl ${mode}: stdin is not JSON: ${e instanceof Error ? e.message : String(e)}\n`);
    return Exit.FAILED;
  }
  const includeDirs = opts.includePath ?? [];
  if (isQmiSource(text)) {
    let out: unknown;
    try {
      out = mode === 'encode' ? qmiEncodeCommand(file, spec, includeDirs, input) : qmiDecodeCommand(file, spec, includeDirs, input);
    } catch (e) {
      if (!(e instanceof QmiCodecInputError)) throw e;
      io.err(`${e.message}\n`);
      return Exit.FAILED;
    }
    io.out(`${JSON.stringify(out)}\n`);
    return Exit.OK;
  }
  let target: CodecTarget;
  try {
    target = loadCodecTarget(file, spec, includeDirs);
  } catch (e) {
    if (!(e instanceof CodecUsageError)) throw e;
    io.err(`${e.message}\n`);
    return Exit.FAILED;
  }
  const run = async (x: unknown): Promise<Json> => {
    if (mode === 'encode') return opts.response ? encodeResponseJson(target, x) : encodeRequestJson(target, x);
    return opts.response ? decodeResponseJson(target, x) : decodeRequestJson(target, x);
  };
  // Each element of a batch stands alone: a bad one gets its answer, the others theirs.
  const one = async (x: unknown): Promise<Json> => {
    try {
      return await run(x);
    } catch (e) {
      if (e instanceof MalformedRequest) return { result: Aee.EBADPARM, error: e.message };
      if (e instanceof InvalidValueError || e instanceof SyntaxError) return { error: e.message };
      throw e;
    }
  };
  const out: Json = Array.isArray(input) ? await Promise.all(input.map(one)) : await one(input);
  io.out(`${stringifyJson(out)}\n`);
  return Exit.OK;
}
