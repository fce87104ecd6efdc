/**
 * The QAIC TypeScript view model: every decision about one generated module (names, TS types,
 * imports, descriptor text, line breaks) is made here; the templates in ../templates only lay
 * the result out. Imports are taken from the GeneratedFile, which owns the import list.
 */
import type {
  ConstDecl,
  Decl,
  EnumDecl,
  InterfaceDecl,
  MethodDecl,
  ParamDecl,
  StructDecl,
  TypedefDecl,
  TypeRef,
} from '../../model/qaic.ts';
import { resolveAlias } from '../../model/qaic.ts';
import { scopedName, spellType } from '../../model/layout.ts';
import {
  interfaceExports,
  isSelfAlias,
  tsConstName,
  tsEnumeratorKey,
  tsMemberName,
  tsMethodName,
  tsParamName,
  tsTypeName,
} from '../../qaic/names.ts';
import { camelCase } from '../../naming.ts';
import { typeViews, type InterfaceDesc, type ParamDesc, type TypeDesc } from '../../../runtime/wire/desc.ts';
import { formatScalars } from '../../../runtime/wire/scalars.ts';
import type { MethodLayout, MethodSignature } from '../../../runtime/wire/method-layout.ts';
import type { QaicEmitInput, QaicInterfaceLayout } from '../emitter.ts';
import { importSymbol, literal, MAX_LINE, stringLiteral, type GeneratedFile } from '../generated-file.ts';
import type { FastrpcSymbols } from '../symbols.ts';
import { objectType, wrapDoc, wrapList } from '../text.ts';
import type {
  CodeView,
  DocView,
  HeaderView,
  QaicClientMethodView,
  QaicClientView,
  QaicConstantView,
  QaicEnumView,
  QaicInterfaceView,
  QaicMemberView,
  QaicRegistryView,
  QaicStructView,
  QaicTypedefView,
} from '../view-types.ts';

export type QaicPart = 'all' | 'types' | 'remoting';

export interface QaicViewInput {
  readonly input: QaicEmitInput;
  readonly file: GeneratedFile;
  readonly symbols: FastrpcSymbols;
  readonly part: QaicPart;
  readonly header: HeaderView;
  /** Specifier of this file's types module (`./x.types.js`) for the remoting part. */
  readonly typesModule: string | undefined;
}

/** The declarations one IDL file contributes, in declaration order (modules and interfaces flattened). */
export interface DeclaredIn {
  readonly consts: ConstDecl[];
  readonly enums: EnumDecl[];
  readonly structs: StructDecl[];
  readonly typedefs: TypedefDecl[];
  readonly interfaces: InterfaceDecl[];
}

export function declaredIn(decls: readonly Decl[]): DeclaredIn {
  const acc: DeclaredIn = { consts: [], enums: [], structs: [], typedefs: [], interfaces: [] };
  const visit = (ds: readonly Decl[]): void => {
    for (const d of ds) {
      switch (d.kind) {
        case 'const':
          acc.consts.push(d);
          break;
        case 'enum':
          acc.enums.push(d);
          break;
        case 'struct':
          acc.structs.push(d);
          break;
        case 'typedef':
          acc.typedefs.push(d);
          break;
        case 'module':
          visit(d.members);
          break;
        case 'interface':
          if (!d.forwardOnly && d.name !== 'remote_handle64') {
            acc.interfaces.push(d);
            visit(d.members);
          }
          break;
        case 'union':
          break;
      }
    }
  };
  visit(decls);
  return acc;
}

/** Typedefs that become type aliases: not a union, not `typedef struct S_ {} S`. */
function aliasTypedefs(ds: readonly TypedefDecl[]): TypedefDecl[] {
  return ds.filter((d) => resolveAlias(d.target).kind !== 'union' && !isSelfAlias(d));
}

/** Names this module exports for `part`, declared before anything is imported so imports alias around them. */
export function declareExports(f: GeneratedFile, decls: DeclaredIn, part: QaicPart): void {
  if (part !== 'remoting') {
    f.declare(...decls.consts.map(tsConstName), ...decls.enums.map(tsTypeName), ...decls.structs.map(tsTypeName));
    f.declare(...aliasTypedefs(decls.typedefs).map(tsTypeName));
  }
  if (part !== 'types') {
    for (const i of decls.interfaces) {
      const x = interfaceExports(i);
      f.declare(x.impl, x.client, x.createSkel, x.descriptor);
    }
    if (decls.interfaces.length > 0) f.declare('interfaces');
  }
}

// ---------------------------------------------------------------------------------------------
// Docs

/** IDL doc entries, then the generator's own lines after a blank line. */
export function docView(idl: readonly string[], extra: readonly string[], indent: number): DocView {
  const own = idl.flatMap((d) => d.split('\n'));
  const text = [...own, ...(own.some((l) => l.trim() !== '') && extra.length > 0 ? [''] : []), ...extra].map((l) => l.trimEnd());
  while (text.length > 0 && text[0]?.trim() === '') text.shift();
  while (text.length > 0 && text[text.length - 1]?.trim() === '') text.pop();
  const lines = wrapDoc(normalizeIndent(text), indent).map((l) => l.replace(/\*\//g, '*\u200b/'));
  const oneLine = lines.length === 1 && indent + 7 + (lines[0] ?? '').length <= MAX_LINE;
  return { lines, oneLine };
}

/** Removes the indentation all non-blank lines share (doc comments are often indented in IDL). */
function normalizeIndent(lines: readonly string[]): string[] {
  const widths = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const common = widths.length > 0 ? Math.min(...widths) : 0;
  return lines.map((l) => l.slice(common));
}

// ---------------------------------------------------------------------------------------------
// Types

/** A declarator as the IDL writes it (`long x`, `octet flags[2]`), for docs that grep against the IDL and C. */
function idlDeclarator(t: TypeRef, name: string): string {
  let cur = t;
  let dims = '';
  while (cur.kind === 'array') {
    dims += `[${cur.length}]`;
    cur = cur.elem;
  }
  return `${spellType(cur)} ${name}${dims}`;
}

/** The method's IDL declaration: `AEEResult request_map64(in long heapid, ...)`. */
function idlSignature(m: MethodDecl): string {
  const params = m.params.map((x) => `${x.mode} ${idlDeclarator(x.type, x.name)}`).join(', ');
  return `${m.returnType === undefined ? 'void' : spellType(m.returnType)} ${m.name}(${params})`;
}

const BYTE_PRIMS = new Set(['octet', 'char', 'uint8', 'int8']);
const wrapArrayElem = (s: string): string => (/[ |]/.test(s) ? `(${s})` : s);

/** Spells model types in TypeScript, importing what lives in other modules. */
export class TypeSpeller {
  constructor(private readonly v: QaicViewInput) {}

  /** The local name of a struct or enum: declared here, in this file's types module, or in its own file's module. */
  declName(d: StructDecl | EnumDecl): string {
    const name = tsTypeName(d);
    const { input, part, typesModule, file } = this.v;
    if (d.file === input.file) {
      if (part === 'remoting' && typesModule !== undefined) return file.import(importSymbol(name, typesModule, { typeOnly: true }));
      return name;
    }
    return file.import(importSymbol(name, input.options.moduleOf(d.file, 'types'), { typeOnly: true }));
  }

  ts(t: TypeRef): string {
    const r = resolveAlias(t);
    switch (r.kind) {
      case 'prim':
        if (r.prim === 'int64' || r.prim === 'uint64') return 'bigint';
        return r.prim === 'boolean' ? 'boolean' : 'number';
      case 'enum':
      case 'struct':
        return this.declName(r.decl);
      case 'string':
        return 'string';
      case 'sequence': {
        const e = resolveAlias(r.elem);
        return e.kind === 'prim' && BYTE_PRIMS.has(e.prim) ? 'Uint8Array' : `${wrapArrayElem(this.ts(r.elem))}[]`;
      }
      case 'array':
        return `${wrapArrayElem(this.ts(r.elem))}[]`;
      case 'dmahandle':
        return this.v.file.import(this.v.symbols.DmaHandle);
      case 'interface':
        return 'bigint';
      case 'union':
        // Unions never reach the wire (QAIC036); their members are not spelled out.
        return 'unknown';
      case 'typedef':
        return this.ts(r.decl.target);
    }
  }

  /** The TS type of a capacity entry: a count, or the same shape for complex values. */
  caps(t: TypeDesc): string {
    if (t.k === 's') return 'number';
    if (t.k === 'q') return typeViews(t.e).complex ? `${wrapArrayElem(this.caps(t.e))}[]` : 'number';
    if (t.k === 'a') return `${wrapArrayElem(this.caps(t.e))}[]`;
    if (t.k === 'r') {
      const ms = t.f.filter(([, , mt]) => typeViews(mt).complex && mt.k !== 'd').map(([, ts, mt]) => `${ts}: ${this.caps(mt)}`);
      return `{ ${ms.join('; ')} }`;
    }
    return 'number';
  }
}

// ---------------------------------------------------------------------------------------------
// Declarations

function constLiteral(c: ConstDecl): string {
  const v = c.value;
  const r = resolveAlias(c.type);
  if (typeof v === 'number' && r.kind === 'prim' && (r.prim === 'int64' || r.prim === 'uint64')) return `${v}n`;
  return literal(v);
}

export function constantViews(decls: DeclaredIn): QaicConstantView[] {
  return decls.consts.map((c) => ({ doc: docView(c.doc, [], 0), name: tsConstName(c), value: constLiteral(c) }));
}

export function enumViews(decls: DeclaredIn): QaicEnumView[] {
  return decls.enums.map((e) => ({
    doc: docView(e.doc, [`IDL \`enum ${scopedName(e)}\`.`], 0),
    name: tsTypeName(e),
    members: e.enumerators.map((x) => ({ doc: docView(x.doc, [], 2), key: tsEnumeratorKey(x), value: String(x.value) })),
  }));
}

export function structViews(decls: DeclaredIn, types: TypeSpeller): QaicStructView[] {
  return decls.structs.map((s) => ({
    doc: docView(s.doc, [`IDL \`struct ${scopedName(s)}\`.`], 0),
    name: tsTypeName(s),
    members: s.members.map((m) => ({
      doc: docView(m.doc, [`IDL \`${idlDeclarator(m.type, m.name)}\`.`], 2),
      name: tsMemberName(m),
      type: types.ts(m.type),
    })),
  }));
}

export function typedefViews(decls: DeclaredIn, types: TypeSpeller): QaicTypedefView[] {
  return aliasTypedefs(decls.typedefs).map((td) => ({
    doc: docView(td.doc, [`IDL \`typedef ${spellType(td.target)} ${scopedName(td)}\`.`], 0),
    name: tsTypeName(td),
    type: types.ts(td.target),
  }));
}

// ---------------------------------------------------------------------------------------------
// Descriptors

/** Serializes descriptor objects as TypeScript built with the runtime's `t` builders. */
export class DescriptorWriter {
  private readonly structNames = new Map<TypeDesc, string>();
  readonly structs: CodeView[] = [];

  constructor(
    private readonly f: GeneratedFile,
    private readonly symbols: FastrpcSymbols,
  ) {}

  /** The local name of the runtime's `t` builders, imported on first use. */
  private get t(): string {
    return this.f.import(this.symbols.t);
  }

  /** An expression for `t`; struct descriptors become module-private constants, members first. */
  type(t: TypeDesc): string {
    switch (t.k) {
      case 'p':
        return `${this.t}.${t.p}`;
      case 's':
        return `${this.t}.${t.w ? 'wstring' : 'string'}`;
      case 'q':
        return `${this.t}.sequence(${this.type(t.e)})`;
      case 'a':
        return `${this.t}.array(${this.type(t.e)}, ${t.n})`;
      case 'd':
        return `${this.t}.dmahandle`;
      case 'h':
        return `${this.t}.handle64`;
      case 'r':
        return this.struct(t);
    }
  }

  private struct(t: TypeDesc & { k: 'r' }): string {
    const known = this.structNames.get(t);
    if (known) return known;
    const fields = t.f.map(([idl, ts, ft]) => `[${stringLiteral(idl)}, ${stringLiteral(ts)}, ${this.type(ft)}]`);
    const name = this.f.uniqueLocal(`${camelCase(t.name)}Type`);
    this.structNames.set(t, name);
    this.structs.push({
      lines: wrapList(
        `const ${name}: ${this.f.import(this.symbols.TypeDesc)} = ${this.t}.struct(${stringLiteral(t.name)}, [`,
        fields,
        ']);',
        0,
      ),
    });
    return name;
  }

  /** `export const xDescriptor: InterfaceDesc = { ... };` one method and one parameter per line. */
  interfaceDesc(name: string, type: string, d: InterfaceDesc): string[] {
    const out = [
      `export const ${name}: ${type} = {`,
      `  name: ${stringLiteral(d.name)},`,
      `  cName: ${stringLiteral(d.cName)},`,
      `  handle64: ${d.handle64},`,
    ];
    if (d.idlVersion !== undefined) out.push(`  idlVersion: ${stringLiteral(d.idlVersion)},`);
    if (d.staticHandle !== undefined) out.push(`  staticHandle: ${d.staticHandle},`);
    out.push('  methods: [');
    for (const m of d.methods) {
      out.push('    {', `      name: ${stringLiteral(m.name)},`, `      ts: ${stringLiteral(m.ts)},`, `      index: ${m.index},`);
      if (m.params.length === 0) out.push('      params: [],');
      else {
        out.push('      params: [');
        for (const p of m.params) out.push(...this.param(p));
        out.push('      ],');
      }
      out.push('    },');
    }
    out.push('  ],', '};');
    return out;
  }

  private param(p: ParamDesc): string[] {
    const items = [`name: ${stringLiteral(p.name)}`, `ts: ${stringLiteral(p.ts)}`, `mode: '${p.mode}'`, `t: ${this.type(p.t)}`];
    const one = `        { ${items.join(', ')} },`;
    if (one.length <= MAX_LINE) return [one];
    return ['        {', ...items.map((x) => `          ${x},`), '        },'];
  }
}

// ---------------------------------------------------------------------------------------------
// Interfaces

interface MethodParts {
  readonly m: MethodDecl;
  readonly layout: MethodLayout;
  readonly sig: MethodSignature;
  /** TS identifiers of the positional parameters, in order. */
  readonly argNames: readonly string[];
  readonly argTypes: readonly string[];
  /** Name of the caps parameter, when the method has capacities. */
  readonly capsName: string | undefined;
  readonly capsType: string | undefined;
  /** The rout object type, or `void`. */
  readonly routType: string;
  /** What an implementation returns: inrout values are optional (a missing one keeps its input). */
  readonly implRoutType: string;
}

function paramDeclOf(m: MethodDecl, p: ParamDesc): ParamDecl {
  const d = m.params.find((x) => x.name === p.name);
  if (!d) throw new Error(`parameter ${p.name} of ${m.name} is not in the model`);
  return d;
}

/**
 * The pieces both the implementation interface and the client need. Parameter identifiers
 * avoid the module-level names the method bodies use (`invokePlan`, the plans object).
 */
function methodParts(
  m: MethodDecl,
  layout: MethodLayout,
  sig: MethodSignature,
  types: TypeSpeller,
  avoid: ReadonlySet<string>,
): MethodParts {
  const taken = new Set<string>();
  const identifier = (base: string): string => {
    let n = base;
    while (avoid.has(n) || taken.has(n)) n = `${n}_`;
    taken.add(n);
    return n;
  };
  const argNames = sig.args.map((p) => identifier(tsParamName(paramDeclOf(m, p))));
  const argTypes = sig.args.map((p) => types.ts(paramDeclOf(m, p).type));
  const capsName = sig.caps.length > 0 ? identifier('caps') : undefined;
  // In a wrapped parameter list the caps parameter starts at column 4.
  const capsType =
    capsName !== undefined
      ? objectType(
          sig.caps.map((p) => `${p.ts}: ${types.caps(p.t)}`),
          4,
          6 + capsName.length,
        )
      : undefined;
  const routMembers = sig.routs.map((p) => `${p.ts}: ${types.ts(paramDeclOf(m, p).type)}`);
  const implMembers = sig.routs.map((p) => `${p.ts}${p.mode === 'inrout' ? '?' : ''}: ${types.ts(paramDeclOf(m, p).type)}`);
  // The return type follows `  ): Promise<` (14 columns) when the signature wraps.
  const routType = sig.routs.length === 0 ? 'void' : objectType(routMembers, 2, 14);
  const implObj = objectType(implMembers, 2, 19);
  const implRoutType = sig.routs.length === 0 ? 'void' : sig.routs.every((p) => p.mode === 'inrout') ? `${implObj} | void` : implObj;
  return { m, layout, sig, argNames, argTypes, capsName, capsType, routType, implRoutType };
}

function paramList(parts: MethodParts): string[] {
  const list = parts.argNames.map((n, i) => `${n}: ${parts.argTypes[i] ?? 'unknown'}`);
  if (parts.capsName !== undefined && parts.capsType !== undefined) list.push(`${parts.capsName}: ${parts.capsType}`);
  return list;
}

function implMember(parts: MethodParts, maybePromise: string): QaicMemberView {
  const { m } = parts;
  const doc = docView(m.doc, [`IDL \`${idlSignature(m)}\`; method ${m.index}.`], 2);
  return { doc, lines: wrapList(`${tsMethodName(m)}(`, paramList(parts), `): ${maybePromise}<${parts.implRoutType}>;`, 2) };
}

function clientMethod(parts: MethodParts, ctx: { invokePlan: string; plans: string }): QaicClientMethodView {
  const { m, layout } = parts;
  const doc = docView(m.doc, [`IDL \`${idlSignature(m)}\`; method ${m.index}, scalars ${formatScalars(layout.scalars)}.`], 2);
  const signature = wrapList(`${tsMethodName(m)}(`, paramList(parts), `): Promise<${parts.routType}> {`, 2);
  const args = [`this.#transport`, `this.#handle`, `${ctx.plans}.${tsMethodName(m)}`, `[${parts.argNames.join(', ')}]`];
  if (parts.capsName !== undefined) args.push(parts.capsName);
  return { doc, signature, body: wrapList(`return ${ctx.invokePlan}(`, args, ');', 4) };
}

/** `planAt<[args], routs, caps>(descriptor, k)` for each client method. */
function plansCode(plans: string, descriptor: string, planAt: string, methods: readonly MethodParts[]): CodeView {
  const lines = [`const ${plans} = {`];
  for (const p of methods) {
    const tuple = `[${p.argNames.map((n, i) => `${n}: ${p.argTypes[i] ?? 'unknown'}`).join(', ')}]`;
    const typeArgs = [tuple, p.routType.replace(/\n\s*/g, ' ')];
    if (p.capsType !== undefined) typeArgs.push(p.capsType.replace(/\n\s*/g, ' '));
    const call = `(${descriptor}, ${p.m.index}),`;
    const one = `  ${tsMethodName(p.m)}: ${planAt}<${typeArgs.join(', ')}>${call}`;
    if (one.length <= MAX_LINE) lines.push(one);
    else
      lines.push(
        `  ${tsMethodName(p.m)}: ${planAt}<`,
        ...typeArgs.map((a, i) => `    ${a}${i < typeArgs.length - 1 ? ',' : ''}`),
        `  >${call}`,
      );
  }
  lines.push('};');
  return { lines };
}

function handleDoc(iface: InterfaceDecl): string {
  if (iface.handle64)
    return 'The handle is the 64-bit handle of a session opened on the interface URI (open and close are not client methods).';
  if (iface.staticHandle !== undefined) return `The handle defaults to the static handle ${iface.staticHandle}.`;
  return `The handle is the one \`remote_handle_open("${iface.cName}")\` returned.`;
}

export function interfaceView(
  v: QaicViewInput,
  types: TypeSpeller,
  descriptors: DescriptorWriter,
  layout: QaicInterfaceLayout,
): QaicInterfaceView {
  const { file: f, symbols: s } = v;
  const iface = layout.decl;
  const x = interfaceExports(iface);
  const plans = f.uniqueLocal(`${camelCase(x.impl)}Plans`);
  const invokePlan = f.import(s.invokePlan);
  const maybePromise = f.import(s.MaybePromise);
  const avoid = new Set([invokePlan, plans]);
  const userMethods = iface.methods.map((m, k) => ({ m, k })).filter(({ m }) => !(iface.handle64 && m.index <= 1));
  const parts = userMethods.map(({ m, k }) =>
    methodParts(m, layout.methods[k] as MethodLayout, layout.signatures[k] as MethodSignature, types, avoid),
  );
  const descriptor = descriptors.interfaceDesc(x.descriptor, f.import(s.InterfaceDesc), layout.desc);
  const handleType = iface.handle64 ? 'bigint' : 'number';
  const transport = f.import(s.Transport);
  const handleDefault = !iface.handle64 && iface.staticHandle !== undefined ? ` = ${iface.staticHandle}` : '';
  const implMembers: QaicMemberView[] = [];
  if (iface.handle64) {
    implMembers.push({
      doc: docView([], ['Optional: called by the skel for `open` (method 0) after the IDL_VERSION check; returns the new handle.'], 2),
      lines: [`  open?(uri: string): ${maybePromise}<{ h: bigint }>;`],
    });
    implMembers.push({
      doc: docView([], ['Optional: called by the skel for `close` (method 1).'], 2),
      lines: [`  close?(h: bigint): ${maybePromise}<void>;`],
    });
  }
  implMembers.push(...parts.map((p) => implMember(p, maybePromise)));
  const client: QaicClientView = {
    doc: docView(
      [],
      [
        `Client of \`${layout.desc.name}\`: each method sends one FastRPC invocation through the transport and resolves to the rout values; a non-zero status rejects with \`AeeError\`. ${handleDoc(iface)}`,
      ],
      0,
    ),
    name: x.client,
    head: {
      lines: [
        `  readonly #transport: ${transport};`,
        `  readonly #handle: ${handleType};`,
        '',
        `  constructor(transport: ${transport}, handle: ${handleType}${handleDefault}) {`,
        '    this.#transport = transport;',
        '    this.#handle = handle;',
        '  }',
      ],
    },
    methods: parts.map((p) => clientMethod(p, { invokePlan, plans })),
  };
  const skelInvoke = f.import(s.SkelInvoke);
  const skelOptions = f.import(s.SkelOptions);
  const createSkel = f.import(s.createSkel);
  return {
    idlName: layout.desc.name,
    descriptor: {
      doc: docView([], [`Wire descriptor of \`${layout.desc.name}\`: its methods in index order.`], 0),
      code: { lines: descriptor },
    },
    plans: plansCode(plans, x.descriptor, f.import(s.planAt), parts),
    impl: {
      doc: docView(
        iface.doc,
        [
          `Implementation of \`${layout.desc.name}\`. Methods receive \`in\`/\`inrout\` values (and dmahandles) positionally in IDL order, then, when the method has rout strings or sequences, a \`caps\` object with their capacities (characters incl. the terminator / element counts). They return the \`rout\`/\`inrout\` values (a missing inrout value keeps its input; a missing or ill-typed rout value fails the call with AEE_EUNKNOWN, reported to the skel's \`onError\`) and fail by throwing \`AeeError\`. Sync or async.`,
        ],
        0,
      ),
      name: x.impl,
      members: implMembers,
    },
    client,
    skel: {
      doc: docView(
        [],
        [
          `Skel of \`${layout.desc.name}\`: validates each invocation as qaic's C skel does, then calls \`impl\`. \`options.onError\` hears of implementation failures FastRPC cannot carry (default: a process warning).`,
        ],
        0,
      ),
      code: {
        lines: [
          `export function ${x.createSkel}(impl: ${x.impl}, options?: ${skelOptions}): ${skelInvoke} {`,
          `  return ${createSkel}(${x.descriptor}, impl, options);`,
          '}',
        ],
      },
    },
  };
}

export function registryView(v: QaicViewInput, layouts: readonly QaicInterfaceLayout[]): QaicRegistryView | false {
  if (layouts.length === 0) return false;
  const type = v.file.import(v.symbols.GeneratedInterface);
  const entries = layouts.map((l) => {
    const x = interfaceExports(l.decl);
    const items = [
      `name: ${stringLiteral(l.desc.name)}`,
      `desc: ${x.descriptor}`,
      `handle64: ${l.desc.handle64}`,
      `Client: ${x.client}`,
      `createSkel: ${x.createSkel}`,
    ];
    const one = `  { ${items.join(', ')} },`;
    return one.length <= MAX_LINE ? one : ['  {', ...items.map((i) => `    ${i},`), '  },'].join('\n');
  });
  return {
    doc: docView([], ['Every interface of this file, for tools that drive interfaces by name.'], 0),
    head: `export const interfaces: readonly ${type}[] = [`,
    entries,
  };
}
