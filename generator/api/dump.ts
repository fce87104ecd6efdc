/**
 * Frozen API dumps of a QAIC program, in the spirit of AIDL's stable interfaces: a
 * normalized description of everything that decides how clients and servers talk,
 * plus SHA-256 hashes, so two versions of an IDL can be compared (see check.ts).
 *
 * Format (`format: "dspidl-api/1"`), all keys sorted, all names scoped with `::`:
 *
 *   {
 *     "format": "dspidl-api/1",
 *     "hash": sha256 hex of the canonical JSON of { format, interfaces (without their
 *             hash fields), types, constants },
 *     "interfaces": { "<scoped name>": {
 *         "base": "<scoped name>" | null, "handle64": bool,
 *         "staticHandle": number | null, "idlVersion": "x.y.z" | null,
 *         "methods": [ { "index", "name", "declaredIn", "async", "attributes": [..],
 *                        "returnType": "<type>" | "void", ("returnDeclared"),
 *                        "params": [ { "name", "mode", "type", ("declared") } ] } ],
 *         "uses": [ "<scoped type name>", ... ]   (types reachable from the methods),
 *         "hash": sha256 hex of { the interface without hash, the definitions it uses } } },
 *     "types": { "<scoped name>":
 *         { "kind": "struct", "members": [ { "name", "type", ("declared") } ] }
 *       | { "kind": "enum", "enumerators": [ { "name", "value" } ] }
 *       | { "kind": "union", "discriminator", "cases": [ { "labels", "default", "name", "type", ("declared") } ] }
 *       | { "kind": "typedef", "type", ("declared") } },
 *     "constants": { "<scoped name>": { "type", ("declared"), "value": number | string | boolean } },
 *     "roots": [ "<path>" ]    (informational, not hashed)
 *   }
 *
 * Types are written canonically with typedefs resolved: primitives by their canonical kind
 * (`int32`, `uint64`), `struct a::S`, `enum a::E`, `union a::U`, `interface a::I`,
 * `string`, `string<10>`, `wstring`, `sequence<T>`, `sequence<T,5>`, `T[2][3]`,
 * `dmahandle`. `declared` is present only when the spelling with typedef names kept
 * differs (`sequence<palette::paint::Colors>` style). 64-bit constant values beyond 2^53
 * and non-finite floats are decimal strings. Doc comments, source positions, file paths
 * and the C spellings of primitives are left out, so reformatting an IDL or moving
 * declarations between included files keeps every hash.
 *
 * The dump covers every file the program read (roots and includes, so `remote_handle64`
 * and AEEStdDef typedefs appear when included); forward-only interfaces are left out.
 * Methods are the flattened list in index order (base methods, open/close included).
 */
import { createHash } from 'node:crypto';
import type { ConstValue, Decl, EnumDecl, InterfaceDecl, QaicProgram, StructDecl, TypeRef, TypedefDecl, UnionDecl } from '../model/qaic.ts';

export const API_DUMP_FORMAT = 'dspidl-api/1';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface ApiParam {
  readonly name: string;
  readonly mode: 'in' | 'rout' | 'inrout';
  readonly type: string;
  readonly declared?: string;
}

export interface ApiMethod {
  readonly index: number;
  readonly name: string;
  readonly declaredIn: string;
  readonly async: boolean;
  readonly attributes: readonly string[];
  readonly returnType: string;
  readonly returnDeclared?: string;
  readonly params: readonly ApiParam[];
}

export interface ApiInterface {
  readonly base: string | null;
  readonly handle64: boolean;
  readonly staticHandle: number | null;
  readonly idlVersion: string | null;
  readonly methods: readonly ApiMethod[];
  readonly uses: readonly string[];
  readonly hash: string;
}

export interface ApiMember {
  readonly name: string;
  readonly type: string;
  readonly declared?: string;
}

export interface ApiStruct {
  readonly kind: 'struct';
  readonly members: readonly ApiMember[];
}

export interface ApiEnum {
  readonly kind: 'enum';
  readonly enumerators: readonly { readonly name: string; readonly value: number }[];
}

export interface ApiUnionCase {
  readonly labels: readonly string[];
  readonly default: boolean;
  readonly name: string;
  readonly type: string;
  readonly declared?: string;
}

export interface ApiUnion {
  readonly kind: 'union';
  readonly discriminator: string;
  readonly cases: readonly ApiUnionCase[];
}

export interface ApiTypedef {
  readonly kind: 'typedef';
  readonly type: string;
  readonly declared?: string;
}

export type ApiType = ApiStruct | ApiEnum | ApiUnion | ApiTypedef;

export interface ApiConstant {
  readonly type: string;
  readonly declared?: string;
  readonly value: number | string | boolean;
}

export interface ApiDump {
  readonly format: typeof API_DUMP_FORMAT;
  readonly hash: string;
  readonly interfaces: Readonly<Record<string, ApiInterface>>;
  readonly types: Readonly<Record<string, ApiType>>;
  readonly constants: Readonly<Record<string, ApiConstant>>;
  readonly roots: readonly string[];
}

/** `a::b::Name` for a declaration with scope `['a', 'b']`. */
export function scopedName(decl: { readonly scope: readonly string[]; readonly name: string }): string {
  return [...decl.scope, decl.name].join('::');
}

type Named = StructDecl | EnumDecl | UnionDecl | TypedefDecl;

/**
 * Writes a type canonically. With `keepTypedefs` typedef references are written by name
 * (the spelling users see); without, they are replaced by what they stand for.
 */
export function typeString(t: TypeRef, keepTypedefs: boolean): string {
  switch (t.kind) {
    case 'prim':
      return t.prim;
    case 'enum':
      return `enum ${scopedName(t.decl)}`;
    case 'struct':
      return `struct ${scopedName(t.decl)}`;
    case 'union':
      return `union ${scopedName(t.decl)}`;
    case 'interface':
      return `interface ${scopedName(t.decl)}`;
    case 'string': {
      const base = t.wide ? 'wstring' : 'string';
      return t.bound === undefined ? base : `${base}<${t.bound}>`;
    }
    case 'sequence': {
      const elem = typeString(t.elem, keepTypedefs);
      return t.bound === undefined ? `sequence<${elem}>` : `sequence<${elem},${t.bound}>`;
    }
    case 'array': {
      // array(2, array(3, T)) is written T[2][3], as declared.
      const dims: number[] = [];
      let cur: TypeRef = t;
      while (cur.kind === 'array' || (!keepTypedefs && cur.kind === 'typedef')) {
        if (cur.kind === 'array') {
          dims.push(cur.length);
          cur = cur.elem;
        } else {
          cur = cur.decl.target;
        }
      }
      return `${typeString(cur, keepTypedefs)}${dims.map((d) => `[${d}]`).join('')}`;
    }
    case 'dmahandle':
      return 'dmahandle';
    case 'typedef':
      return keepTypedefs ? scopedName(t.decl) : typeString(t.decl.target, false);
  }
}

/** `{ type, declared? }` for a type reference. */
function typeFields(t: TypeRef): { type: string; declared?: string } {
  const type = typeString(t, false);
  const declared = typeString(t, true);
  return declared === type ? { type } : { type, declared };
}

/** Named declarations a type mentions directly (typedefs included, so their names are dumped too). */
function directRefs(t: TypeRef, out: Named[]): void {
  switch (t.kind) {
    case 'enum':
    case 'struct':
    case 'union':
    case 'typedef':
      out.push(t.decl);
      return;
    case 'sequence':
    case 'array':
      directRefs(t.elem, out);
      return;
    default:
      return;
  }
}

function declRefs(d: Named): Named[] {
  const out: Named[] = [];
  switch (d.kind) {
    case 'struct':
      for (const m of d.members) directRefs(m.type, out);
      break;
    case 'union':
      directRefs(d.discriminator, out);
      for (const c of d.cases) directRefs(c.member.type, out);
      break;
    case 'typedef':
      directRefs(d.target, out);
      break;
    case 'enum':
      break;
  }
  return out;
}

function constJson(v: ConstValue): number | string | boolean {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

function labelString(v: number | bigint | boolean): string {
  return typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : v.toString();
}

function dumpType(d: Named): ApiType {
  switch (d.kind) {
    case 'struct':
      return { kind: 'struct', members: d.members.map((m) => ({ name: m.name, ...typeFields(m.type) })) };
    case 'enum':
      return { kind: 'enum', enumerators: d.enumerators.map((e) => ({ name: e.name, value: e.value })) };
    case 'union':
      return {
        kind: 'union',
        discriminator: typeString(d.discriminator, false),
        cases: d.cases.map((c) => ({
          labels: c.labels.map(labelString),
          default: c.isDefault,
          name: c.member.name,
          ...typeFields(c.member.type),
        })),
      };
    case 'typedef':
      return { kind: 'typedef', ...typeFields(d.target) };
  }
}

/** Recursively sorts object keys; arrays keep their order. Drops `undefined` members. */
export function canonicalize(v: unknown): JsonValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(canonicalize);
  if (typeof v === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = canonicalize(x);
    }
    return out;
  }
  throw new TypeError(`not representable in an API dump: ${typeof v}`);
}

export function canonicalJson(v: unknown): string {
  return JSON.stringify(canonicalize(v));
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The hash a dump should carry, recomputed from its content (hash and roots fields ignored). */
export function computeDumpHash(dump: Pick<ApiDump, 'interfaces' | 'types' | 'constants'>): string {
  const interfaces: Record<string, Omit<ApiInterface, 'hash'>> = {};
  for (const [name, i] of Object.entries(dump.interfaces)) {
    const { hash: _hash, ...rest } = i;
    interfaces[name] = rest;
  }
  return sha256(canonicalJson({ format: API_DUMP_FORMAT, interfaces, types: dump.types, constants: dump.constants }));
}

/** The hash of one interface: its own entry plus the definitions of every type it uses. */
export function computeInterfaceHash(
  iface: Omit<ApiInterface, 'hash'> & { hash?: string },
  types: Readonly<Record<string, ApiType>>,
): string {
  const { hash: _hash, ...rest } = iface;
  const used: Record<string, ApiType | null> = {};
  for (const u of iface.uses) used[u] = types[u] ?? null;
  return sha256(canonicalJson({ interface: rest, types: used }));
}

export function dumpApi(program: QaicProgram): ApiDump {
  const named = new Map<string, Named>();
  const constants: Record<string, ApiConstant> = {};
  const ifaceDecls = new Map<string, InterfaceDecl>();

  const addNamed = (d: Named): void => {
    const key = scopedName(d);
    if (named.has(key)) return;
    named.set(key, d);
    for (const r of declRefs(d)) addNamed(r);
  };
  const visit = (d: Decl): void => {
    switch (d.kind) {
      case 'module':
        for (const m of d.members) visit(m);
        return;
      case 'interface':
        if (!d.forwardOnly && !ifaceDecls.has(scopedName(d))) ifaceDecls.set(scopedName(d), d);
        for (const m of d.members) visit(m);
        return;
      case 'const':
        constants[scopedName(d)] = { ...typeFields(d.type), value: constJson(d.value) };
        return;
      default:
        addNamed(d);
    }
  };
  // Every file read, not only the roots: moving a declaration into an included file is a
  // layout change, not an API change.
  for (const file of program.files.values()) for (const d of file.decls) visit(d);

  const methodRefs = new Map<string, Named[]>();
  for (const [name, iface] of ifaceDecls) {
    const refs: Named[] = [];
    for (const m of iface.methods) {
      for (const p of m.params) directRefs(p.type, refs);
      if (m.returnType) directRefs(m.returnType, refs);
    }
    for (const r of refs) addNamed(r);
    methodRefs.set(name, refs);
  }

  const types: Record<string, ApiType> = {};
  for (const [name, d] of named) types[name] = dumpType(d);

  const closure = (start: readonly Named[]): string[] => {
    const seen = new Set<string>();
    const stack = [...start];
    while (stack.length > 0) {
      const d = stack.pop() as Named;
      const key = scopedName(d);
      if (seen.has(key)) continue;
      seen.add(key);
      stack.push(...declRefs(d));
    }
    return [...seen].sort();
  };

  const interfaces: Record<string, ApiInterface> = {};
  for (const [name, iface] of ifaceDecls) {
    const methods: ApiMethod[] = iface.methods.map((m) => {
      const ret = m.returnType ? typeFields(m.returnType) : { type: 'void' };
      return {
        index: m.index,
        name: m.name,
        declaredIn: m.declaredIn,
        async: m.async,
        attributes: m.attributes.map((a) => a.trim().replace(/\s+/g, ' ')),
        returnType: ret.type,
        ...(ret.declared === undefined ? {} : { returnDeclared: ret.declared }),
        params: m.params.map((p) => ({ name: p.name, mode: p.mode, ...typeFields(p.type) })),
      };
    });
    const body = {
      base: iface.base ? scopedName(iface.base) : null,
      handle64: iface.handle64,
      staticHandle: iface.staticHandle ?? null,
      idlVersion: iface.idlVersion ?? null,
      methods,
      uses: closure(methodRefs.get(name) ?? []),
    };
    interfaces[name] = { ...body, hash: computeInterfaceHash(body, types) };
  }

  const sortedRecord = <T>(r: Record<string, T>): Record<string, T> => {
    const out: Record<string, T> = {};
    for (const k of Object.keys(r).sort()) out[k] = r[k] as T;
    return out;
  };
  const content = { interfaces: sortedRecord(interfaces), types: sortedRecord(types), constants: sortedRecord(constants) };
  return { format: API_DUMP_FORMAT, hash: computeDumpHash(content), ...content, roots: [...program.roots] };
}

/** The dump as written to disk: canonical key order, two-space indent, trailing newline. */
export function formatApiDump(dump: ApiDump): string {
  return `${JSON.stringify(canonicalize(dump), null, 2)}\n`;
}
