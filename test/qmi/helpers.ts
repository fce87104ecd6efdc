/** Test helpers: conformance data and JSON <-> typed value conversion by descriptor. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { QmiFieldDescriptor, QmiValueType } from '../../runtime/qmi/codec/index.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const RFSA_IDL = 'idl/rfsa.qmi.idl';

export interface RfsaVector {
  service: string;
  message: string;
  msgId: string;
  kind: 'request' | 'response';
  values: Record<string, unknown>;
  hex: string;
  note?: string;
}

export interface RfsaBadInput {
  service: string;
  message: string | null;
  msgId: string;
  kind: 'request' | 'response' | 'indication';
  hex: string;
  expected: string;
  code: number;
  note: string;
  values?: Record<string, unknown>;
}

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../conformance/qmi/${name}`, import.meta.url), 'utf8'));
export const vectors = read('rfsa_vectors.json') as RfsaVector[];
export const badInputs = read('rfsa_bad_inputs.json') as RfsaBadInput[];

export const hexBytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
export const bytesHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Conformance JSON (C names, 64-bit as strings) -> typed values (camelCase, bigint). */
export function typedValues(fields: readonly QmiFieldDescriptor[], json: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = json[f.name];
    if (v === undefined) continue;
    out[f.key] = f.array ? (v as unknown[]).map((x) => typedOne(f.type, x)) : typedOne(f.type, v);
  }
  return out;
}

function typedOne(t: QmiValueType, v: unknown): unknown {
  if (t.kind === 'scalar' && (t.scalar === 'u64' || t.scalar === 'i64')) return BigInt(v as string);
  if (t.kind === 'struct') return typedValues(t.fields, v as Record<string, unknown>);
  return v;
}
