/**
 * Reading a dump back from disk. Dumps are checked in and sometimes edited or merged by
 * hand, so every field the checker touches is validated first: a bad file gets an error
 * naming the offending place, never a crash inside the checker.
 */
import { API_DUMP_FORMAT, computeDumpHash } from './dump.ts';
import type { ApiDump } from './dump.ts';

export class ApiDumpError extends Error {}

type Check = (v: unknown, at: string) => void;

function fail(at: string, what: string): never {
  throw new ApiDumpError(`${at}: ${what}`);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const str: Check = (v, at) => {
  if (typeof v !== 'string') fail(at, 'expected a string');
};
const optStr: Check = (v, at) => {
  if (v !== undefined) str(v, at);
};
const bool: Check = (v, at) => {
  if (typeof v !== 'boolean') fail(at, 'expected true or false');
};
const int: Check = (v, at) => {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(at, 'expected an integer');
};
const nullable =
  (c: Check): Check =>
  (v, at) => {
    if (v !== null) c(v, at);
  };
const oneOf =
  (...allowed: readonly string[]): Check =>
  (v, at) => {
    if (typeof v !== 'string' || !allowed.includes(v)) fail(at, `expected one of ${allowed.join(', ')}`);
  };
const arrayOf =
  (c: Check): Check =>
  (v, at) => {
    if (!Array.isArray(v)) fail(at, 'expected an array');
    v.forEach((x, i) => c(x, `${at}[${i}]`));
  };
const recordOf =
  (c: Check): Check =>
  (v, at) => {
    if (!isObj(v)) fail(at, 'expected an object');
    for (const [k, x] of Object.entries(v)) c(x, `${at}[${JSON.stringify(k)}]`);
  };
const shape =
  (fields: Readonly<Record<string, Check>>): Check =>
  (v, at) => {
    if (!isObj(v)) fail(at, 'expected an object');
    for (const [k, c] of Object.entries(fields)) c(v[k], `${at}.${k}`);
  };

const typed = { type: str, declared: optStr };
const param = shape({ name: str, mode: oneOf('in', 'rout', 'inrout'), ...typed });
const method = shape({
  index: int,
  name: str,
  declaredIn: str,
  async: bool,
  attributes: arrayOf(str),
  returnType: str,
  returnDeclared: optStr,
  params: arrayOf(param),
});
const iface = shape({
  base: nullable(str),
  handle64: bool,
  staticHandle: nullable(int),
  idlVersion: nullable(str),
  methods: arrayOf(method),
  uses: arrayOf(str),
  hash: str,
});
const type: Check = (v, at) => {
  if (!isObj(v)) fail(at, 'expected an object');
  switch (v['kind']) {
    case 'struct':
      return shape({ members: arrayOf(shape({ name: str, ...typed })) })(v, at);
    case 'enum':
      return shape({ enumerators: arrayOf(shape({ name: str, value: int })) })(v, at);
    case 'union':
      return shape({ discriminator: str, cases: arrayOf(shape({ labels: arrayOf(str), default: bool, name: str, ...typed })) })(v, at);
    case 'typedef':
      return shape(typed)(v, at);
    default:
      fail(`${at}.kind`, 'expected struct, enum, union or typedef');
  }
};
const constant = shape({
  ...typed,
  value: (v, at) => {
    if (typeof v !== 'string' && typeof v !== 'boolean' && (typeof v !== 'number' || !Number.isFinite(v)))
      fail(at, 'expected a number, string or boolean');
  },
});
const dumpShape = shape({
  hash: str,
  interfaces: recordOf(iface),
  types: recordOf(type),
  constants: recordOf(constant),
  roots: (v, at) => {
    if (v !== undefined) arrayOf(str)(v, at);
  },
});

/**
 * Parses and validates a dump written by `formatApiDump`. `hashMatches` is false when the
 * recorded hash is not the hash of the content (a hand edit).
 */
export function readApiDump(text: string): { dump: ApiDump; hashMatches: boolean } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ApiDumpError(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObj(v) || v['format'] !== API_DUMP_FORMAT) throw new ApiDumpError(`not an API dump (expected "format": "${API_DUMP_FORMAT}")`);
  dumpShape(v, '$');
  const dump = { roots: [], ...v } as unknown as ApiDump;
  return { dump, hashMatches: computeDumpHash(dump) === dump.hash };
}
