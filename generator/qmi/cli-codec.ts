/**
 * `dspidl encode|decode` for QMI IDL files. Values are JSON keyed by IDL element names,
 * with 64-bit integers as decimal strings (test/conformance/qmi/README.md); encoding and
 * decoding run the same runtime codec and descriptors as the generated modules.
 */
import { renderDiagnostics } from '../diagnostics/render.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import type { QmiMessageDecl, QmiMessageKind, QmiProgram } from '../model/qmi.ts';
import { decodeQmiMessage } from '../../runtime/qmi/codec/decode.ts';
import { encodeQmiMessage } from '../../runtime/qmi/codec/encode.ts';
import { QmiDecodeError } from '../../runtime/qmi/codec/errors.ts';
import type { QmiFieldDescriptor, QmiMessageDescriptor, QmiValueType } from '../../runtime/qmi/codec/descriptor.ts';
import { qmiMessageDescriptorOf } from './descriptors.ts';
import { checkQmiFile } from './index.ts';
import { getOwn, setOwn } from '../../runtime/wire/own.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type QmiEncodeResult = { hex: string } | { error: string };
export type QmiDecodeResult = { values: Record<string, Json> } | { error: string };

/** The IDL file has errors or does not declare the message asked for: exit 1, the message on stderr. */
export class QmiCodecInputError extends Error {}

function load(file: string, includeDirs: readonly string[]): QmiProgram {
  const r = checkQmiFile(file, { includeDirs });
  if (hasErrors(r.diagnostics))
    throw new QmiCodecInputError(
      renderDiagnostics(
        r.diagnostics.filter((d) => d.severity === 'error'),
        { sources: r.sources },
      ),
    );
  return r.value;
}

/** The message a CLI argument names: `rfsa_get_buff_addr_req_msg` or `0x0023/request`. */
export function findQmiMessage(program: QmiProgram, spec: string): { descriptor: QmiMessageDescriptor } | { notFound: true } {
  const byId = /^(0x[0-9a-fA-F]+|[0-9]+)\/(request|response|indication)$/.exec(spec.trim());
  if (byId) {
    const id = Number(byId[1]);
    const kind = byId[2] as QmiMessageKind;
    const root = program.files.filter((f) => program.roots.includes(f.path));
    for (const f of root) {
      const b = f.service?.bindings.find((x) => x.msgId === id && x.kind === kind);
      if (b) return { descriptor: qmiMessageDescriptorOf(program, b.message) };
    }
    return { notFound: true };
  }
  const d = program.decls.get(spec.trim());
  if (d?.kind === 'message') return { descriptor: qmiMessageDescriptorOf(program, d) };
  const known = [...program.decls.values()].filter((x): x is QmiMessageDecl => x.kind === 'message').map((x) => x.name);
  throw new QmiCodecInputError(
    `no message '${spec}' in this IDL; name one of ${known.join(', ')} or give <msgid>/<request|response|indication>`,
  );
}

function paramError(detail: string, where: string): never {
  throw new QmiDecodeError('PARAMETER_ERROR', detail, undefined, where);
}

function jsonToType(t: QmiValueType, v: unknown, where: string): unknown {
  if (t.kind === 'scalar' && (t.scalar === 'u64' || t.scalar === 'i64')) {
    if (typeof v === 'string' && /^-?(?:[0-9]+|0x[0-9a-fA-F]+)$/.test(v.trim())) {
      const s = v.trim();
      return s.startsWith('-') ? -BigInt(s.slice(1)) : BigInt(s);
    }
    if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
    paramError('expected a 64-bit integer as a decimal string', where);
  }
  if (t.kind === 'struct') return jsonToFields(t.fields, v, where);
  return v;
}

function jsonToField(f: QmiFieldDescriptor, v: unknown, where: string): unknown {
  if (f.array === undefined || v === undefined) return jsonToType(f.type, v, where);
  if (!Array.isArray(v)) paramError('expected an array', where);
  return v.map((x, i) => jsonToType(f.type, x, `${where}[${i}]`));
}

function jsonToFields(fields: readonly QmiFieldDescriptor[], v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) paramError('expected an object', where);
  const o = v as Record<string, unknown>;
  const names = new Set(fields.map((f) => f.name));
  for (const k of Object.keys(o)) if (!names.has(k)) paramError(`unknown member '${k}'`, where);
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = getOwn(o, f.name);
    if (v !== undefined) setOwn(out, f.key, jsonToField(f, v, where === '' ? f.name : `${where}.${f.name}`));
  }
  return out;
}

function typeToJson(t: QmiValueType, v: unknown): Json {
  if (typeof v === 'bigint') return v.toString();
  if (t.kind === 'struct') return fieldsToJson(t.fields, v as Record<string, unknown>);
  return v as Json;
}

function fieldsToJson(fields: readonly QmiFieldDescriptor[], o: Record<string, unknown>): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const f of fields) {
    const v = getOwn(o, f.key);
    if (v === undefined) continue;
    setOwn(out, f.name, f.array === undefined ? typeToJson(f.type, v) : (v as unknown[]).map((x) => typeToJson(f.type, x)));
  }
  return out;
}

/** JSON values (IDL names, 64-bit as strings) -> TLV payload hex. */
export function encodeQmiJson(desc: QmiMessageDescriptor, values: unknown): QmiEncodeResult {
  try {
    const bytes = encodeQmiMessage(desc, jsonToFields(desc.elements, values, ''));
    return { hex: Buffer.from(bytes).toString('hex') };
  } catch (e) {
    if (e instanceof QmiDecodeError) return { error: e.kind };
    throw e;
  }
}

/** `{hex}` -> JSON values, or the decoder's verdict. */
export function decodeQmiJson(desc: QmiMessageDescriptor, input: unknown): QmiDecodeResult {
  const hex = typeof input === 'object' && input !== null ? (input as { hex?: unknown }).hex : undefined;
  if (typeof hex !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(hex.replace(/\s+/g, ''))) return { error: 'PARAMETER_ERROR' };
  const bytes = Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
  try {
    return { values: fieldsToJson(desc.elements, decodeQmiMessage(desc, bytes)) };
  } catch (e) {
    if (e instanceof QmiDecodeError) return { error: e.kind };
    throw e;
  }
}

function each<T>(input: unknown, f: (one: unknown) => T): T | T[] {
  return Array.isArray(input) ? input.map(f) : f(input);
}

/**
 * `dspidl encode <file> <message> [-I dir]`: stdin values (or an array of them) -> `{hex}`
 * or `{error}` per input. Throws (with rendered diagnostics) when the IDL has errors or
 * the message name is unknown.
 */
export function qmiEncodeCommand(
  file: string,
  message: string,
  includeDirs: readonly string[],
  input: unknown,
): QmiEncodeResult | QmiEncodeResult[] {
  const found = findQmiMessage(load(file, includeDirs), message);
  if ('notFound' in found) return each(input, () => ({ error: 'MESSAGE_ID_NOT_FOUND' }));
  return each(input, (one) => encodeQmiJson(found.descriptor, one));
}

/** `dspidl decode <file> <message> [-I dir]`: stdin `{hex}` (or an array) -> `{values}` or `{error}`. */
export function qmiDecodeCommand(
  file: string,
  message: string,
  includeDirs: readonly string[],
  input: unknown,
): QmiDecodeResult | QmiDecodeResult[] {
  const found = findQmiMessage(load(file, includeDirs), message);
  if ('notFound' in found) return each(input, () => ({ error: 'MESSAGE_ID_NOT_FOUND' }));
  return each(input, (one) => decodeQmiJson(found.descriptor, one));
}
