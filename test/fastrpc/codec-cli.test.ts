/**
 * `dspidl encode/decode` for QAIC: every conformance vector through the four codec forms
 * (they run the same plans and skel as the generated code), plus the CLI wiring with a batch.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeRequestJson,
  decodeResponseJson,
  encodeRequestJson,
  encodeResponseJson,
  loadCodecTarget,
  type CodecTarget,
} from '../../generator/cli/codec.ts';
import type { Vector } from './conformance-harness.ts';

const idlDir = 'test/conformance/qaic/idl';
const vectors = JSON.parse(readFileSync('test/conformance/qaic/vectors.json', 'utf8')) as Vector[];
const targets = new Map<string, CodecTarget>();
const target = (v: Vector): CodecTarget => {
  const key = `${v.idl}:${v.interface}.${v.method}`;
  let t = targets.get(key);
  if (!t) {
    t = loadCodecTarget(`${idlDir}/${v.idl}`, `${v.interface}.${v.method}`, [idlDir]);
    targets.set(key, t);
  }
  return t;
};
const cases = vectors.map((v, i) => [`${i} ${v.interface}.${v.method} ${v.note}`, v] as const);

describe('dspidl encode/decode over the vectors', () => {
  it.each(cases.filter(([, v]) => v.direction !== 'skel'))('%s', async (_l, v) => {
    const t = target(v);
    const enc = encodeRequestJson(t, { args: v.args, caps: v.caps ?? {} });
    if (v.direction === 'stub') {
      expect(enc).toEqual({ result: v.result });
      return;
    }
    expect(enc).toEqual({
      sc: v.sc,
      inBufs: v.inBufs,
      outBufLens: v.outBufLens,
      inHandles: v.inHandles ?? [],
      outHandles: v.outHandles ?? [],
    });
    if (v.result === 0) {
      expect(decodeResponseJson(t, { args: v.args, caps: v.caps ?? {}, outBufs: v.outBufs })).toEqual({ routs: v.routs });
      const req = { sc: v.sc, inBufs: v.inBufs, outBufLens: v.outBufLens, inHandles: v.inHandles ?? [], outHandles: v.outHandles ?? [] };
      expect(await decodeRequestJson(t, req)).toEqual({ result: 0, args: v.args, caps: v.caps ?? {} });
      const resp = (await encodeResponseJson(t, { ...req, routs: v.implRouts ?? v.routs })) as { outBufs: string[] };
      expect(resp.outBufs).toEqual(v.outBufs);
    }
  });

  it('the CLI reads a batch on stdin and the C interface name', () => {
    const v = vectors.find((x) => x.interface === 'strs' && x.method === 'join' && x.result === 0)!;
    const input = JSON.stringify([
      { args: v.args, caps: v.caps },
      { args: v.args, caps: v.caps },
    ]);
    const out = execFileSync('npx', ['tsx', 'generator/cli.ts', 'encode', `${idlDir}/${v.idl}`, 'strs.join', '-I', idlDir], {
      input,
      encoding: 'utf8',
    });
    const parsed = JSON.parse(out) as { sc: string; inBufs: string[] }[];
    expect(parsed).toHaveLength(2);
    expect(parsed[1]).toMatchObject({ sc: v.sc, inBufs: v.inBufs });
  });
});
