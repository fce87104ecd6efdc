/**
 * The layout engine: annotates the resolved QAIC model with the plain-data descriptors the
 * runtime marshals with (runtime/wire/desc.ts) and each method's wire layout, and renders the
 * per-method layout report (`dspidl layout`, same schema as the conformance layout.json).
 * The offsets themselves are computed by runtime/wire/method-layout.ts, and generated modules
 * embed exactly these descriptor objects, so the report, the generated code and the CLI codec
 * can never disagree.
 */
import type { EnumDecl, InterfaceDecl, MethodDecl, PrimKind, QaicProgram, StructDecl, TypeRef, Decl } from './qaic.ts';
import { resolveAlias } from './qaic.ts';
import type { InterfaceDesc, MethodDesc, ParamDesc, PrimCode, TypeDesc } from '../../runtime/wire/desc.ts';
import { isComplexType, structView, typeViews } from '../../runtime/wire/desc.ts';
import {
  layoutMethod,
  signatureOf,
  type MethodLayout,
  type MethodSignature,
  type PrimBufLayout,
} from '../../runtime/wire/method-layout.ts';
import { formatScalars } from '../../runtime/wire/scalars.ts';
import { tsMemberName, tsMethodName, tsParamKey } from '../qaic/names.ts';

const PRIM_CODE: Readonly<Record<PrimKind, PrimCode>> = {
  octet: 'u8',
  char: 'u8',
  uint8: 'u8',
  int8: 'i8',
  boolean: 'bool',
  wchar: 'u16',
  int16: 'i16',
  uint16: 'u16',
  int32: 'i32',
  uint32: 'u32',
  float: 'f32',
  int64: 'i64',
  uint64: 'u64',
  double: 'f64',
};

const structCache = new WeakMap<StructDecl, TypeDesc>();

export function typeDesc(t: TypeRef): TypeDesc {
  switch (t.kind) {
    case 'prim':
      return { k: 'p', p: PRIM_CODE[t.prim] };
    case 'enum':
      return { k: 'p', p: 'i32' };
    case 'string':
      return { k: 's', w: t.wide };
    case 'sequence':
      return { k: 'q', e: typeDesc(t.elem) };
    case 'array':
      return { k: 'a', e: typeDesc(t.elem), n: t.length };
    case 'dmahandle':
      return { k: 'd' };
    case 'interface':
      return { k: 'h' };
    case 'typedef':
      return typeDesc(t.decl.target);
    case 'union':
      throw new Error(`union ${t.decl.name} cannot be marshalled`);
    case 'struct': {
      const hit = structCache.get(t.decl);
      if (hit) return hit;
      const d: TypeDesc = {
        k: 'r',
        name: t.decl.cName,
        f: t.decl.members.map((m) => [m.name, tsMemberName(m), typeDesc(m.type)] as const),
      };
      structCache.set(t.decl, d);
      return d;
    }
  }
}

export function methodDesc(m: MethodDecl): MethodDesc {
  return {
    name: m.name,
    ts: tsMethodName(m),
    index: m.index,
    params: m.params.map((p): ParamDesc => ({ name: p.name, ts: tsParamKey(p), mode: p.mode, t: typeDesc(p.type) })),
  };
}

export function scopedName(d: { scope: readonly string[]; name: string }): string {
  return [...d.scope, d.name].join('::');
}

export function interfaceDesc(i: InterfaceDecl): InterfaceDesc {
  return {
    name: scopedName(i),
    cName: i.cName,
    handle64: i.handle64,
    ...(i.idlVersion !== undefined ? { idlVersion: i.idlVersion } : {}),
    ...(i.staticHandle !== undefined ? { staticHandle: i.staticHandle } : {}),
    methods: i.methods.map(methodDesc),
  };
}

/** Interfaces declared (not merely included) in the given file, in declaration order, nested modules included. */
export function interfacesOf(decls: readonly Decl[]): InterfaceDecl[] {
  const out: InterfaceDecl[] = [];
  for (const d of decls) {
    if (d.kind === 'interface' && !d.forwardOnly && d.name !== 'remote_handle64') out.push(d);
    else if (d.kind === 'module') out.push(...interfacesOf(d.members));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Layout report

/** The type as written (`Point`, `sequence<struct Named>`, `Row3[2]`). */
export function spellType(t: TypeRef, top = true): string {
  switch (t.kind) {
    case 'prim':
      return t.spelling;
    case 'string':
      return (t.wide ? 'wstring' : 'string') + (t.bound !== undefined ? `<${t.bound}>` : '');
    case 'sequence':
      return `sequence<${spellType(t.elem, false)}${t.bound !== undefined ? `,${t.bound}` : ''}>`;
    case 'array': {
      const dims: number[] = [];
      let cur: TypeRef = t;
      while (cur.kind === 'array') {
        dims.push(cur.length);
        cur = cur.elem;
      }
      return spellType(cur, false) + dims.map((d) => `[${d}]`).join('');
    }
    case 'enum':
      return top ? t.decl.name : `enum ${t.decl.name}`;
    case 'struct':
      return top ? t.decl.name : `struct ${t.decl.name}`;
    case 'union':
      return top ? t.decl.name : `union ${t.decl.name}`;
    case 'typedef':
      return t.decl.name;
    case 'dmahandle':
      return 'dmahandle';
    case 'interface':
      return t.decl.name;
  }
}

/** The type with every typedef resolved (`struct Point[3]`, `double[2][2]`). */
export function resolvedType(t: TypeRef): string {
  const r = resolveAlias(t);
  switch (r.kind) {
    case 'sequence':
      return `sequence<${resolvedType(r.elem)}${r.bound !== undefined ? `,${r.bound}` : ''}>`;
    case 'array': {
      // Declarator dimensions follow the typedef'd element's own (`Row3 grid[2]` -> short[3][2]).
      const dims: number[] = [];
      let cur: TypeRef = r;
      while (cur.kind === 'array') {
        dims.push(cur.length);
        cur = cur.elem;
      }
      return resolvedType(cur) + dims.map((d) => `[${d}]`).join('');
    }
    default:
      return spellType(r, false);
  }
}

const needsResolved = (t: TypeRef): boolean => t.kind === 'typedef' || t.kind === 'struct' || t.kind === 'enum';

export interface LayoutJson {
  interfaces: unknown[];
}

function primJson(p: PrimBufLayout): { size: number; sizeSent: number; align: number } {
  return { size: p.size, sizeSent: p.sizeSent, align: p.align };
}

/** Describes a complex parameter's nested buffers in words, depth-first. */
function nestedBuffers(t: TypeDesc, dir: 'in' | 'rout'): string[] {
  const out: string[] = [];
  const leaf = (tt: TypeDesc): string => {
    if (tt.k === 's')
      return `1 ${dir === 'in' ? 'in' : 'out'} buffer (${tt.w ? 'wstring' : 'string'} data, length x ${tt.w ? 2 : 1} bytes)`;
    if (tt.k === 'q') return `1 ${dir === 'in' ? 'in' : 'out'} buffer (element data, ${typeViews(tt.e).in.size} bytes per element)`;
    return `1 ${dir === 'in' ? 'in' : 'out'} handle`;
  };
  const walk = (tt: TypeDesc, prefix: string, acc: string[]): void => {
    if (tt.k === 's' || (tt.k === 'q' && !typeViews(tt.e).complex) || tt.k === 'd') {
      acc.push(prefix + leaf(tt));
    } else if (tt.k === 'q') {
      const ev = typeViews(tt.e);
      if (dir === 'in') {
        if (ev.in.size > 0) acc.push(`${prefix}1 in buffer: element in-parts, stride ${ev.in.size}`);
      } else {
        if (ev.rpi.size > 0) acc.push(`${prefix}1 IN buffer: element rout-primIn parts (capacities), stride ${ev.rpi.size}`);
        if (ev.rpr.size > 0) acc.push(`${prefix}1 out buffer: element rout-primROut parts, stride ${ev.rpr.size}`);
      }
      const inner: string[] = [];
      walk(tt.e, '', inner);
      acc.push(`${prefix}then for each element in order: [${inner.join(', ')}]`);
    } else if (tt.k === 'r') {
      for (const [name, , mt] of tt.f) if (typeViews(mt).complex) walk(mt, `${prefix}${name}: `, acc);
    } else if (tt.k === 'a') {
      for (let i = 0; i < tt.n; i++) walk(tt.e, prefix, acc);
    }
  };
  walk(t, '', out);
  return out;
}

export function methodLayoutJson(m: MethodDecl, ml: MethodLayout): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: m.name,
    index: ml.index,
    dynamic: ml.dynamic,
    scalars: formatScalars(ml.scalars),
    methodField: ml.methodField,
    escapedIndex: ml.escaped,
    primIn: primJson(ml.primIn),
    primROut: primJson(ml.primROut),
    inBuffers: ml.inBuffers,
    outBuffers: ml.outBuffers,
    inHandles: ml.inHandles,
    outHandles: ml.outHandles,
  };
  if (ml.dynamic)
    out['scalarsNote'] =
      'buffer/handle counts depend on the values; shown for empty sequences/strings. The skel only requires at least the counts of the fixed part.';
  if (ml.escaped) out['primInFields'] = [{ field: 'methodIndex', offset: 0, size: 4 }];
  if (m.async) out['async'] = true;
  if (m.attributes.length > 0) out['attributes'] = [...m.attributes];
  out['params'] = ml.params.map((pl, i) => {
    const decl = m.params[i]!;
    const p: Record<string, unknown> = { name: decl.name, mode: decl.mode, type: spellType(decl.type) };
    if (needsResolved(decl.type)) p['resolvedType'] = resolvedType(decl.type);
    p['complex'] = pl.complex;
    if (pl.primIn.length > 0) p['primIn'] = pl.primIn.map((f) => ({ ...f }));
    if (pl.primROut.length > 0) p['primROut'] = pl.primROut.map((f) => ({ ...f }));
    if (pl.inBuffer !== undefined) p['inBuffer'] = pl.inBuffer;
    if (pl.outBuffer !== undefined) p['outBuffer'] = pl.outBuffer;
    if (pl.inHandle !== undefined) p['inHandle'] = pl.inHandle;
    if (pl.outHandle !== undefined) p['outHandle'] = pl.outHandle;
    if (pl.complex && isComplexType(pl.param.t)) p['nestedBuffers'] = nestedBuffers(pl.param.t, decl.mode === 'in' ? 'in' : 'rout');
    return p;
  });
  if (m.declaredIn === 'remote_handle64') {
    out['note'] =
      m.index === 0
        ? 'inherited from remote_handle64; clients reach it through remote_handle64_open, not through the stub invoke'
        : 'inherited from remote_handle64';
  }
  return out;
}

function structsUsed(i: InterfaceDecl): StructDecl[] {
  const seen = new Set<StructDecl>();
  const visit = (t: TypeRef): void => {
    const r = resolveAlias(t);
    if (r.kind === 'struct') {
      if (seen.has(r.decl)) return;
      seen.add(r.decl);
      for (const m of r.decl.members) visit(m.type);
    } else if (r.kind === 'sequence' || r.kind === 'array') visit(r.elem);
  };
  for (const m of i.methods) for (const p of m.params) visit(p.type);
  return [...seen];
}

export function structLayoutJson(s: StructDecl): Record<string, unknown> {
  const d = typeDesc({ kind: 'struct', decl: s }) as TypeDesc & { k: 'r' };
  const v = typeViews(d);
  const members = s.members.map((m) => ({ name: m.name, type: spellType(m.type), resolvedType: resolvedType(m.type) }));
  const viewJson = (pick: 'in' | 'rpi' | 'rpr'): Record<string, unknown> => {
    const { view, offsets } = structView(d.f.map((f) => typeViews(f[2])[pick]));
    return {
      size: view.size,
      align: view.align,
      offsets: Object.fromEntries(s.members.map((m, i) => [m.name, offsets[i]! < 0 ? null : offsets[i]!])),
    };
  };
  if (!v.complex) {
    const iv = viewJson('in');
    return { name: s.name, complex: false, size: iv['size'], align: iv['align'], offsets: iv['offsets'], members };
  }
  return { name: s.name, complex: true, in: viewJson('in'), routPrimIn: viewJson('rpi'), routPrimROut: viewJson('rpr'), members };
}

function baseName(path: string): string {
  const b = path.split(/[\\/]/).pop() ?? path;
  return b.replace(/\.idl$/, '');
}

export function interfaceLayoutJson(i: InterfaceDecl, idlPath: string): Record<string, unknown> {
  const desc = interfaceDesc(i);
  const idl = idlPath.split(/[\\/]/).pop() ?? idlPath;
  const out: Record<string, unknown> = {
    idl,
    interface: desc.name,
    cName: i.cName,
    base: i.base ? scopedName(i.base) : null,
    handle64: i.handle64,
    skelEntry: i.handle64 ? `${i.cName}_skel_handle_invoke` : `${i.cName}_skel_invoke`,
  };
  if (i.handle64) {
    out['uri'] =
      `file:///lib${baseName(idlPath)}_skel.so?${i.cName}_skel_handle_invoke&_modver=1.0${i.idlVersion !== undefined ? `&_idlver=${i.idlVersion}` : ''}`;
  } else if (i.staticHandle !== undefined) out['staticHandle'] = i.staticHandle;
  else out['openName'] = i.cName;
  out['methodCount'] = i.methods.length;
  const structs = structsUsed(i);
  if (structs.length > 0) out['structs'] = structs.map(structLayoutJson);
  out['methods'] = i.methods.map((m, k) => methodLayoutJson(m, layoutMethod(desc.methods[k]!)));
  return out;
}

/** `dspidl layout --json` for the root files of a program. */
export function programLayoutJson(program: QaicProgram): LayoutJson {
  const interfaces: unknown[] = [];
  for (const root of program.roots) {
    const f = program.files.get(root);
    if (!f) continue;
    for (const i of interfacesOf(f.decls)) interfaces.push(interfaceLayoutJson(i, root));
  }
  return { interfaces };
}

/** Finds an interface by scoped IDL name (`apps::mem`) or qaic C name (`apps_mem`). */
export function findInterface(program: QaicProgram, name: string): InterfaceDecl | undefined {
  for (const f of program.files.values()) {
    for (const i of interfacesOf(f.decls)) if (scopedName(i) === name || i.cName === name) return i;
  }
  return undefined;
}

export type { EnumDecl };

/**
 * The layout of the interfaces one IDL file declares: descriptors, per-method wire layouts
 * and TypeScript signatures. Emitters receive exactly this.
 */
export function qaicFileLayout(program: QaicProgram, file: string): { interfaces: QaicInterfaceLayoutOf[] } {
  const model = program.files.get(file);
  const interfaces = interfacesOf(model?.decls ?? []).map((decl) => {
    const desc = interfaceDesc(decl);
    return { decl, desc, methods: desc.methods.map(layoutMethod), signatures: desc.methods.map(signatureOf) };
  });
  return { interfaces };
}

/** One interface's layout (the emitter contract calls it QaicInterfaceLayout). */
export interface QaicInterfaceLayoutOf {
  readonly decl: InterfaceDecl;
  readonly desc: InterfaceDesc;
  readonly methods: readonly MethodLayout[];
  readonly signatures: readonly MethodSignature[];
}
