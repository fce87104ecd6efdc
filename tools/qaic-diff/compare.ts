/**
 * dspidl against what the real qaic recorded for one IDL file: the same accept/reject verdict,
 * every vector through dspidl's stub and skel, and every malformed request into dspidl's skel.
 * Differences that test/conformance/README.md documents as deliberate are tolerated here and
 * counted; every other difference is a mismatch. Used by the runner and by `npm test`.
 */
import { compile } from '../../generator/compile.ts';
import { interfaceDesc } from '../../generator/model/layout.ts';
import type { InterfaceDecl } from '../../generator/model/qaic.ts';
import type { GeneratedInterface } from '../../runtime/rpc/generated.ts';
import { invokePlan } from '../../runtime/rpc/invoke.ts';
import { createSkel, type SkelOptions } from '../../runtime/rpc/skel.ts';
import type { RemoteHandle, Transport } from '../../runtime/rpc/transport.ts';
import { rU32 } from '../../runtime/wire/bytes.ts';
import { EBADPARM } from '../../runtime/wire/codec.ts';
import type { InterfaceDesc } from '../../runtime/wire/desc.ts';
import { fromHex } from '../../runtime/wire/hex.ts';
import type { MethodLayout } from '../../runtime/wire/method-layout.ts';
import { planAt } from '../../runtime/wire/plan.ts';
import { runBad, runSkel, runStub, type BadInput, type Vector } from '../../test/fastrpc/conformance-harness.ts';

export interface RecordedFile {
  readonly idl: string;
  readonly text: string;
  readonly qaic: { readonly accepted: boolean; readonly message: string };
  readonly vectors: readonly Vector[];
  readonly badInputs: readonly (BadInput & { readonly from?: number })[];
}

export interface Comparison {
  readonly mismatches: string[];
  /** Tolerated differences by tolerance name (test/conformance/README.md). */
  readonly tolerated: Record<string, number>;
}

/** The interface as a generated module would export it: a client class and a skel factory over its descriptor. */
export function genericInterface(desc: InterfaceDesc, onReject?: SkelOptions['onReject']): GeneratedInterface {
  class Client {
    constructor(
      readonly transport: Transport,
      readonly handle: RemoteHandle,
    ) {}
  }
  for (const m of desc.methods) {
    const plan = planAt(desc, m.index);
    const hasCaps = plan.capParams.length > 0;
    Object.defineProperty(Client.prototype, m.ts, {
      value(this: Client, ...a: unknown[]) {
        const caps = hasCaps ? (a.pop() as Record<string, unknown>) : undefined;
        return invokePlan(this.transport, this.handle, plan, a, caps);
      },
    });
  }
  const base = {
    name: desc.name,
    desc,
    createSkel: (impl: object, o?: SkelOptions) => createSkel(desc, impl, { onError: () => {}, ...(onReject ? { onReject } : {}), ...o }),
  };
  return desc.handle64
    ? { ...base, handle64: true, Client: Client as unknown as new (t: Transport, h: bigint) => object }
    : { ...base, handle64: false, Client: Client as unknown as new (t: Transport, h: number) => object };
}

/** The file's interfaces by scoped name, or the diagnostics that made dspidl refuse it. */
export function dspidlInterfaces(
  file: RecordedFile,
  includeDirs: readonly string[],
  onReject?: SkelOptions['onReject'],
): { interfaces: Map<string, GeneratedInterface> } | { errors: string; codes: string[] } {
  const path = `/random/${file.idl}`;
  const r = compile({
    files: [path],
    includeDirs: [...includeDirs],
    readFile: (p) => (p === path ? file.text : undefined),
    parseOnly: true,
  });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !r.programs.qaic)
    return { errors: errors.map((d) => `${d.code} ${d.message}`).join('; ') || 'no program', codes: errors.map((d) => d.code) };
  const decls = (r.programs.qaic.files.get(path)?.decls ?? []).filter((d): d is InterfaceDecl => d.kind === 'interface');
  return { interfaces: new Map(decls.map((d) => [[...d.scope, d.name].join('::'), genericInterface(interfaceDesc(d), onReject)])) };
}

/**
 * dspidl refuses these where qaic accepts the IDL but the C it generates does not compile or
 * loses data (test/conformance/qaic/rejected.json lists each with qaic's output).
 */
const UNUSABLE_C_CODES = new Set(['QAIC016', 'QAIC021', 'QAIC022', 'QAIC039', 'QAIC040']);

/** qaic assertion failures on IDL that is valid and that dspidl lays out by its general rules. */
const QAIC_ASSERTIONS = /internal error: (bad scalar native size|simpleSizeNative, bad size)/;

/** A verdict difference the README's tolerances cover, by name, or undefined. */
function verdictTolerance(file: RecordedFile, ourCodes: readonly string[]): string | undefined {
  if (file.qaic.accepted && ourCodes.length > 0 && ourCodes.every((c) => UNUSABLE_C_CODES.has(c)))
    return 'refused: qaic accepts, its C is unusable';
  if (!file.qaic.accepted && ourCodes.length === 0 && QAIC_ASSERTIONS.test(file.qaic.message))
    return 'accepted: qaic fails an internal assertion';
  return undefined;
}

/** The method a request calls: its scalars' method field, or for 31 the index in its first word. */
function targetIndex(b: BadInput): number {
  const field = (Number(b.sc) >>> 24) & 31;
  const first = fromHex(b.inBufs[0] ?? '');
  return field !== 31 || first.length < 4 ? field : rU32(first, 0);
}

/** A difference the README's tolerances cover, by name, or undefined. */
function toleranceOf(b: BadInput, code: number, implCalled: boolean, reason: string, layout: MethodLayout | undefined): string | undefined {
  if (b.expectedResult === 'crash') return code !== 0 && !implCalled ? 'crash' : undefined;
  // qaic's skel checks only the total number of slots against its static buffers, then takes a
  // buffer the call needs from the next remote_arg slot (an out buffer or a handle) when the
  // scalars word counts fewer in one direction. dspidl checks each direction.
  const fewer = layout !== undefined && (b.inBufs.length < layout.inBuffers || b.outBufLens.length < layout.outBuffers);
  const missing = /^missing (in|out) buffer/.test(reason) || (fewer && reason.startsWith('the scalars word'));
  if (b.expectedResult === 0 && code === EBADPARM && !implCalled && missing)
    return 'refused: qaic reads a missing buffer from the next slot';
  return undefined;
}

export async function compareFile(file: RecordedFile, includeDirs: readonly string[]): Promise<Comparison> {
  const mismatches: string[] = [];
  const tolerated: Record<string, number> = {};
  const tolerate = (name: string): void => void (tolerated[name] = (tolerated[name] ?? 0) + 1);
  let rejectReason = '';
  const ours = dspidlInterfaces(file, includeDirs, (_m, _code, reason) => (rejectReason = reason));
  const accepted = 'interfaces' in ours;
  if (accepted !== file.qaic.accepted) {
    const t = verdictTolerance(file, 'errors' in ours ? ours.codes : []);
    if (t) {
      tolerate(t);
      return { mismatches, tolerated };
    }
    mismatches.push(
      `${file.idl}: qaic ${file.qaic.accepted ? 'accepts' : `refuses (${file.qaic.message.split('\n')[0]})`}, dspidl ${accepted ? 'accepts' : `refuses (${'errors' in ours ? ours.errors : ''})`}`,
    );
    return { mismatches, tolerated };
  }
  if (!accepted) return { mismatches, tolerated };
  const gi = (name: string): GeneratedInterface => {
    const g = ours.interfaces.get(name);
    if (!g) throw new Error(`${file.idl}: no interface ${name}`);
    return g;
  };
  for (const v of file.vectors) {
    const where = `${file.idl} ${v.interface}.${v.method} (${v.note})`;
    const skelView = {
      ...v,
      args: (v as { implArgs?: Record<string, unknown> }).implArgs ?? v.args,
      caps: (v as { implCaps?: Record<string, unknown> }).implCaps ?? v.caps,
    };
    for (const p of await runStub(gi(v.interface), v)) mismatches.push(`${where}: stub: ${p}`);
    if (v.direction === 'both') for (const p of await runSkel(gi(v.interface), skelView)) mismatches.push(`${where}: skel: ${p}`);
  }
  for (const b of file.badInputs) {
    rejectReason = '';
    const [code, implCalled] = await runBad(gi(b.interface), b);
    if (code === b.expectedResult && implCalled === b.implCalled) continue;
    const desc = gi(b.interface).desc;
    const m = desc.methods.find((x) => x.index === targetIndex(b));
    const t = toleranceOf(b, code, implCalled, rejectReason, m ? planAt(desc, m.index).layout : undefined);
    if (t) tolerate(t);
    else
      mismatches.push(
        `${file.idl} ${b.interface}.${b.method} bad input ${b.case}: qaic ${String(b.expectedResult)} (impl ${b.implCalled}), dspidl ${code} (impl ${implCalled}${rejectReason ? `: ${rejectReason}` : ''})`,
      );
  }
  return { mismatches, tolerated };
}
