/**
 * Records what the real qaic does with one IDL file: whether it accepts it, and for an accepted
 * file, valid calls through its generated stubs and skels (vectors.json schema) and malformed
 * requests fed to its skels (bad_inputs.json schema). Needs a qaic binary and gcc.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { compile } from '../../generator/compile.ts';
import { interfaceDesc } from '../../generator/model/layout.ts';
import type { InterfaceDecl } from '../../generator/model/qaic.ts';
import type { InterfaceDesc } from '../../runtime/wire/desc.ts';
import { applyMutation, mutationArb, type Mutation, type RawCall, type Slot } from '../../test/fuzz-skels/inputs.ts';
import type { BadInput, HandleJson, Vector } from '../../test/fastrpc/conformance-harness.ts';
import { fromHex, toHex } from '../../runtime/wire/hex.ts';
import { driverSource, type CallCase } from './c-driver.ts';
import { Rng } from './random-idl.ts';
import { caseFor, type Json } from './values.ts';

const HERE = new URL('.', import.meta.url).pathname;
const C_DIR = join(HERE, 'c');
const SUPPORT_IDL = join(HERE, '..', '..', 'test', 'conformance', 'qaic', 'idl');

export interface Tools {
  readonly qaic: string;
  readonly cc: string;
  /** Scratch directory for generated C and binaries. */
  readonly work: string;
}

export interface Verdict {
  readonly accepted: boolean;
  /** qaic's output when it refused the file (call-stack lines dropped). */
  readonly message: string;
}

/** A malformed request, with the index in `vectors` of the valid call it was made from. */
export type RecordedBadInput = BadInput & { readonly idl: string; readonly index: number; readonly from: number };

export interface FileRecord {
  readonly idl: string;
  readonly text: string;
  readonly qaic: Verdict;
  readonly vectors: Vector[];
  readonly badInputs: RecordedBadInput[];
  /** Calls whose real stub or skel crashed (a qaic defect: no vector is recorded for them). */
  readonly crashes: { interface: string; method: string; note: string }[];
}

function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; input?: string; timeoutMs?: number } = {},
): { code: number; out: string; err: string } {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    input: opts.input,
    timeout: opts.timeoutMs,
    killSignal: 'SIGKILL',
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    // Heap memory starts zeroed: padding that qaic's stub never writes then holds what dspidl
    // writes there (receivers ignore it) instead of ASan's 0xbe fill.
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=0:malloc_fill_byte=0:max_malloc_fill_size=1073741824' },
  });
  const killed = r.signal ? `\nkilled by ${r.signal}${opts.timeoutMs !== undefined ? ` (deadline ${opts.timeoutMs / 1000} s)` : ''}` : '';
  return { code: r.status ?? -1, out: r.stdout ?? '', err: `${r.stderr ?? ''}${killed}` };
}

const QAIC_DEADLINE_MS = 20_000;

/** Runs qaic on `file` (in `dir`, with the support IDLs on the include path). */
export function qaicVerdict(tools: Tools, dir: string, file: string, outDir: string): Verdict {
  mkdirSync(outDir, { recursive: true });
  // qaic never finishes on some inputs (a struct that contains itself: its memory grows without
  // bound), so it gets a deadline; such a run counts as a refusal.
  const r = run(tools.qaic, ['-mdll', '-I', SUPPORT_IDL, '-o', outDir, file], { cwd: dir, timeoutMs: QAIC_DEADLINE_MS });
  const message = `${r.out}${r.err}`
    .split('\n')
    .filter((l) => !/^CallStack|^\s+error, called at/.test(l))
    .join('\n')
    .trim();
  return { accepted: r.code === 0, message };
}

let harnessObject: string | undefined;

function compileDriver(tools: Tools, outDir: string, driver: string): string {
  const common = ['-g', '-O0', '-fsanitize=address', '-fno-omit-frame-pointer', `-I${C_DIR}`, `-I${outDir}`];
  if (!harnessObject) {
    harnessObject = join(tools.work, 'harness.o');
    const h = run(tools.cc, [...common, '-c', join(C_DIR, 'harness.c'), '-o', harnessObject]);
    if (h.code !== 0) throw new Error(`harness.c: ${h.err}`);
  }
  const objects: string[] = [harnessObject];
  const skelDefs = ['-D__QAIC_IMPL(ff)=impl_##ff', '-D__QAIC_HEADER(ff)=impl_##ff', '-D__QAIC_SLIM(ff)=skel_##ff'];
  for (const f of readdirSync(outDir).filter((n) => n.endsWith('_stub.c') || n.endsWith('_skel.c'))) {
    const o = join(outDir, f.replace(/\.c$/, '.o'));
    const r = run(tools.cc, [...common, '-w', ...(f.endsWith('_skel.c') ? skelDefs : []), '-c', join(outDir, f), '-o', o]);
    if (r.code !== 0) throw new Error(`${f}: ${r.err}`);
    objects.push(o);
  }
  const d = run(tools.cc, [
    ...common,
    '-Werror=implicit-function-declaration',
    '-Werror=incompatible-pointer-types',
    '-Werror=int-conversion',
    '-c',
    driver,
    '-o',
    `${driver}.o`,
  ]);
  if (d.code !== 0) throw new Error(`driver: ${d.err}`);
  const exe = join(outDir, 'driver');
  const l = run(tools.cc, ['-fsanitize=address', ...objects, `${driver}.o`, '-o', exe]);
  if (l.code !== 0) throw new Error(`link: ${l.err}`);
  return exe;
}

interface Event {
  ev: string;
  case?: number;
  [k: string]: unknown;
}

/** Parses the driver's JSON lines into one event list per case. */
function eventsByCase(out: string): Map<number, Event[]> {
  const byCase = new Map<number, Event[]>();
  let current = -1;
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as Event;
    if (e.ev === 'call' || e.ev === 'crash') current = e.case ?? current;
    const list = byCase.get(current) ?? [];
    list.push(e);
    byCase.set(current, list);
  }
  return byCase;
}

function vectorOf(idl: string, c: CallCase, events: readonly Event[]): Vector | { crash: string } {
  if (events.some((e) => e.ev === 'crash')) {
    return {
      crash: events.some((e) => e.ev === 'skel')
        ? 'the real skel or implementation crashed'
        : 'the real stub crashed, or built a request with invalid buffers',
    };
  }
  const req = events.find((e) => e.ev === 'request');
  const reply = events.find((e) => e.ev === 'reply');
  const impl = events.find((e) => e.ev === 'impl');
  const stub = events.find((e) => e.ev === 'stub');
  if (!stub) return { crash: 'no stub result' };
  const base = {
    idl,
    interface: c.iface.name === c.iface.cName ? c.iface.name : [...c.iface.scope, c.iface.name].join('::'),
    method: c.method.name,
    index: c.method.index,
    handle: c.iface.handle64 ? String(0x1122334455667788n) : 4660,
    args: c.values.args as Record<string, unknown>,
    ...(Object.keys(c.values.caps).length > 0 ? { caps: c.values.caps as Record<string, unknown> } : {}),
    note: `random case ${c.id}`,
  };
  if (!req || !reply) {
    return { ...base, direction: 'stub', sc: '', inBufs: [], outBufLens: [], outBufs: [], routs: null, result: stub['result'] as number };
  }
  // qaic's stub computes some handle slots wrongly (test/conformance/README.md): the slot it
  // should have filled keeps the allocator's fill pattern, an fd the stub never registered.
  const handles = [...(req['inHandles'] as HandleJson[]), ...(req['outHandles'] as HandleJson[])];
  if (handles.some((h) => (h.len ?? -1) < 0)) return { crash: 'the real stub put a dmahandle in the wrong slot' };
  const routs = stub['routs'] as Record<string, unknown> | null;
  const v: Vector = {
    ...base,
    direction: 'both',
    sc: req['sc'] as string,
    inBufs: req['inBufs'] as string[],
    outBufLens: req['outBufLens'] as number[],
    inHandles: req['inHandles'] as HandleJson[],
    outHandles: req['outHandles'] as HandleJson[],
    outBufs: reply['outBufs'] as string[],
    outHandlesAfter: reply['outHandlesAfter'] as HandleJson[],
    routs,
    result: reply['result'] as number,
    implCalled: impl !== undefined,
  };
  if (routs !== null && JSON.stringify(routs) !== JSON.stringify(c.values.routs)) v.implRouts = c.values.routs as Record<string, unknown>;
  if (impl && JSON.stringify(impl['args']) !== JSON.stringify(c.values.args)) Object.assign(v, { implArgs: impl['args'] });
  if (impl && JSON.stringify(impl['caps']) !== JSON.stringify(c.values.caps)) Object.assign(v, { implCaps: impl['caps'] });
  return v;
}

/** The slots of a recorded request, as the mutation engine takes them. */
function rawCall(v: Vector, desc: InterfaceDesc, methodIndex: number): RawCall {
  const method = desc.methods.find((m) => m.index === methodIndex)!;
  const slots: Slot[] = [
    ...v.inBufs.map((h) => ({ buf: fromHex(h) })),
    ...v.outBufLens.map((n) => ({ buf: new Uint8Array(n) })),
    ...(v.inHandles ?? []).map((h) => ({ fd: h.fd ?? 0, offset: h.offset ?? 0 })),
    ...(v.outHandles ?? []).map((h) => ({ fd: h.fd ?? 0, offset: h.offset ?? 0 })),
  ];
  const fds = [...(v.inHandles ?? []), ...(v.outHandles ?? [])]
    .filter((h) => (h.len ?? -1) >= 0)
    .map((h) => [h.fd ?? 0, h.len ?? 0] as const);
  return {
    target: { factory: { file: '', factoryName: '', desc, createSkel: () => () => 0, Client: undefined }, method },
    handle: desc.handle64 ? 0n : 0,
    sc: Number(v.sc),
    slots,
    fds,
  };
}

function describeMutations(ms: readonly Mutation[]): string {
  return JSON.stringify(ms, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? toHex(x) : x));
}

/** `count` malformed requests per vector, from seeded mutations of its valid request. */
function mutatedRequests(v: Vector, desc: InterfaceDesc, seed: number, count: number): { call: RawCall; note: string }[] {
  const out: { call: RawCall; note: string }[] = [];
  const seen = new Set<string>();
  const samples = fc.sample(fc.array(mutationArb, { minLength: 1, maxLength: 2 }), { seed, numRuns: count * 2 });
  for (const ms of samples) {
    const call = rawCall(v, desc, v.index);
    for (const m of ms) applyMutation(call, m);
    if (call.slots.length > 500) continue;
    const key = `${call.sc}|${call.slots.map((s) => ('buf' in s ? toHex(s.buf) : `${s.fd}/${s.offset}`)).join('|')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ call, note: describeMutations(ms) });
    if (out.length === count) break;
  }
  return out;
}

function requestLine(skel: number, handle: string, call: RawCall): string {
  const nIn = (call.sc >>> 16) & 0xff;
  const nOut = (call.sc >>> 8) & 0xff;
  const nInH = (call.sc >>> 4) & 0xf;
  const nOutH = call.sc & 0xf;
  const s = call.slots;
  const buf = (i: number): Uint8Array => {
    const x = s[i];
    return x && 'buf' in x ? x.buf : new Uint8Array(0);
  };
  const hnd = (i: number): string => {
    const x = s[i];
    return x && !('buf' in x) ? `${x.fd} ${x.offset >>> 0}` : '0 0';
  };
  const parts = [String(skel), handle, `0x${(call.sc >>> 0).toString(16)}`, String(nIn)];
  for (let i = 0; i < nIn; i++) parts.push(buf(i).length ? toHex(buf(i)) : '-');
  parts.push(String(nOut));
  for (let i = 0; i < nOut; i++) parts.push(String(buf(nIn + i).length));
  parts.push(String(nInH));
  for (let i = 0; i < nInH; i++) parts.push(hnd(nIn + nOut + i));
  parts.push(String(nOutH));
  for (let i = 0; i < nOutH; i++) parts.push(hnd(nIn + nOut + nInH + i));
  parts.push(String(call.fds.length));
  for (const [fd, len] of call.fds) parts.push(`${fd} ${len}`);
  return parts.join(' ');
}

/**
 * Only requests whose slots match the counts of their scalars word can be placed in a
 * remote_arg array exactly (the C runner lays them out that way).
 */
function placeable(call: RawCall): boolean {
  const n = ((call.sc >>> 16) & 0xff) + ((call.sc >>> 8) & 0xff) + ((call.sc >>> 4) & 0xf) + (call.sc & 0xf);
  if (call.slots.length !== n) return false;
  const nBufs = ((call.sc >>> 16) & 0xff) + ((call.sc >>> 8) & 0xff);
  return call.slots.every((s, i) => i < nBufs === 'buf' in s);
}

export interface RecordOptions {
  readonly casesPerMethod: number;
  readonly badPerVector: number;
  readonly seed: number;
}

/** Everything the real qaic does with one IDL file. */
export function recordFile(tools: Tools, name: string, text: string, o: RecordOptions): FileRecord {
  const dir = join(tools.work, name.replace(/\.idl$/, ''));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
  const outDir = join(dir, 'out');
  const verdict = qaicVerdict(tools, dir, name, outDir);
  const rec: FileRecord = { idl: name, text, qaic: verdict, vectors: [], badInputs: [], crashes: [] };
  if (!verdict.accepted) return rec;
  const r = compile({ files: [join(dir, name)], includeDirs: [SUPPORT_IDL], parseOnly: true });
  const program = r.programs.qaic;
  if (!program || r.diagnostics.some((d) => d.severity === 'error')) return rec;
  const interfaces = (program.files.get(join(dir, name))?.decls ?? []).filter((d): d is InterfaceDecl => d.kind === 'interface');
  const rng = new Rng(o.seed);
  const cases: CallCase[] = [];
  for (const iface of interfaces)
    for (const method of iface.methods) {
      if (iface.handle64 && method.index <= 1) continue;
      if (method.declaredIn !== iface.name && method.declaredIn !== [...iface.scope, iface.name].join('::')) continue;
      for (let k = 0; k < o.casesPerMethod; k++) cases.push({ id: cases.length, iface, method, values: caseFor(method, rng) });
    }
  const header = readFileSync(join(outDir, `${name.replace(/\.idl$/, '')}.h`), 'utf8');
  const driver = join(outDir, 'driver.c');
  copySupport(outDir);
  writeFileSync(driver, driverSource({ header, headerFile: `${name.replace(/\.idl$/, '')}.h`, interfaces, cases }));
  const exe = compileDriver(tools, outDir, driver);
  const calls = run(exe, []);
  const events = eventsByCase(calls.out);
  const descs = new Map(interfaces.map((i) => [i, interfaceDesc(i)]));
  for (const c of cases) {
    const v = vectorOf(name, c, events.get(c.id) ?? []);
    if ('crash' in v) rec.crashes.push({ interface: c.iface.name, method: c.method.name, note: v.crash });
    else rec.vectors.push(v);
  }
  // Malformed requests: mutations of each valid one, into the real skel one by one.
  const lines: string[] = [];
  const meta: { v: Vector; vi: number; call: RawCall; note: string }[] = [];
  rec.vectors.forEach((v, vi) => {
    if (v.direction !== 'both') return;
    const iface = interfaces.find((i) => i.name === v.interface || [...i.scope, i.name].join('::') === v.interface)!;
    const skel = interfaces.indexOf(iface);
    for (const m of mutatedRequests(v, descs.get(iface)!, o.seed + vi, o.badPerVector)) {
      if (!placeable(m.call)) continue;
      lines.push(requestLine(skel, String(v.handle), m.call));
      meta.push({ v, vi, ...m });
    }
  });
  if (lines.length > 0) {
    const bad = run(exe, ['bad'], { input: `${lines.join('\n')}\n` });
    const results = bad.out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { result: number | 'crash'; implCalled?: boolean });
    meta.forEach((m, i) => {
      const res = results[i];
      if (!res) return;
      const c = m.call;
      const nIn = (c.sc >>> 16) & 0xff;
      const nOut = (c.sc >>> 8) & 0xff;
      const nInH = (c.sc >>> 4) & 0xf;
      const slotJson = (k: number): HandleJson => {
        const s = c.slots[k]!;
        return 'buf' in s ? {} : { fd: s.fd, offset: s.offset >>> 0 };
      };
      rec.badInputs.push({
        idl: name,
        interface: m.v.interface,
        method: m.v.method,
        index: m.v.index,
        case: m.note,
        sc: `0x${(c.sc >>> 0).toString(16).padStart(8, '0')}`,
        inBufs: c.slots.slice(0, nIn).map((s) => toHex((s as { buf: Uint8Array }).buf)),
        outBufLens: c.slots.slice(nIn, nIn + nOut).map((s) => (s as { buf: Uint8Array }).buf.length),
        inHandles: Array.from({ length: nInH }, (_, k) => slotJson(nIn + nOut + k)),
        outHandles: Array.from({ length: c.sc & 0xf }, (_, k) => slotJson(nIn + nOut + nInH + k)),
        registeredFds: Object.fromEntries(c.fds.map(([fd, len]) => [String(fd), len])),
        expectedResult: res.result,
        implCalled: res.implCalled ?? false,
        note: 'mutation of a recorded valid call',
        from: m.vi,
      } as RecordedBadInput);
    });
  }
  return rec;
}

function copySupport(outDir: string): void {
  for (const f of ['AEEStdDef.h', 'AEEStdErr.h', 'HAP_farf.h', 'remote.h']) {
    if (!existsSync(join(outDir, f))) copyFileSync(join(C_DIR, f), join(outDir, f));
  }
}

export type { Json };
