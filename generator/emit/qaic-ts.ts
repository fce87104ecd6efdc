/**
 * TypeScript for one QAIC IDL file: constants, enums (`as const` objects), struct
 * interfaces, and per interface the implementation interface, a client class, a skel
 * factory, the embedded method descriptors and a layout metadata table. All wire work
 * is done by the runtime from the descriptors (runtime/wire/plan.ts).
 */
import type { ConstDecl, Decl, EnumDecl, InterfaceDecl, MethodDecl, ParamDecl, QaicProgram, StructDecl, TypedefDecl, TypeRef } from '../model/qaic.ts';
import { resolveAlias } from '../model/qaic.ts';
import { camelCase, interfaceDesc, interfacesOf, pascalCase, scopedName, spellType } from '../model/layout.ts';
import { isComplexType, typeViews, type TypeDesc } from '../../runtime/wire/desc.ts';
import { layoutMethod } from '../../runtime/wire/method-layout.ts';
import { formatScalars } from '../../runtime/wire/scalars.ts';
import { typeDesc } from '../model/layout.ts';
import { Printer, safeIdent } from './printer.ts';

export interface EmitOptions {
  /** Import specifier prefix of the runtime directory as seen from the output file (`../runtime`). */
  readonly runtime: string;
  /** Path of the IDL file as written in the header. */
  readonly sourceLabel: string;
  /**
   * Which part to write: everything (default), only the types (qaic's `-ho`: constants, enums,
   * structs, typedefs) or only the remoting code (qaic's `-ro`: descriptors, implementation
   * interface, client, skel), which then imports and re-exports the types from `typesModule`.
   */
  readonly part?: 'all' | 'types' | 'remoting';
  /** Specifier of the types module a `remoting` part imports (`./calculator.types.ts`). */
  readonly typesModule?: string;
}

interface Collected {
  typedefs: TypedefDecl[];
  consts: ConstDecl[];
  enums: EnumDecl[];
  structs: StructDecl[];
  interfaces: InterfaceDecl[];
}

function collect(decls: readonly Decl[], acc: Collected): void {
  for (const d of decls) {
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
        collect(d.members, acc);
        break;
      case 'interface':
        if (!d.forwardOnly && d.name !== 'remote_handle64') {
          acc.interfaces.push(d);
          collect(d.members, acc);
        }
        break;
      default:
        break;
    }
  }
}


/** Struct and enum declarations reachable from a type, members before their struct. */
function visitTypes(t: TypeRef, structs: StructDecl[], enums: EnumDecl[]): void {
  const r = resolveAlias(t);
  if (r.kind === 'struct') {
    if (structs.includes(r.decl)) return;
    for (const m of r.decl.members) visitTypes(m.type, structs, enums);
    if (!structs.includes(r.decl)) structs.push(r.decl);
  } else if (r.kind === 'enum') {
    if (!enums.includes(r.decl)) enums.push(r.decl);
  } else if (r.kind === 'sequence' || r.kind === 'array') visitTypes(r.elem, structs, enums);
}

const isBytePrim = (t: TypeRef): boolean => {
  const r = resolveAlias(t);
  return r.kind === 'prim' && (r.prim === 'octet' || r.prim === 'char' || r.prim === 'uint8' || r.prim === 'int8');
};

/** The TS type of a value. */
function tsType(t: TypeRef): string {
  const r = resolveAlias(t);
  switch (r.kind) {
    case 'prim':
      if (r.prim === 'int64' || r.prim === 'uint64') return 'bigint';
      if (r.prim === 'boolean') return 'boolean';
      return 'number';
    case 'enum':
      return pascalCase(r.decl.cName);
    case 'struct':
      return pascalCase(r.decl.cName);
    case 'string':
      return 'string';
    case 'sequence':
      return isBytePrim(r.elem) ? 'Uint8Array' : `${wrapArr(tsType(r.elem))}[]`;
    case 'array':
      return `${wrapArr(tsType(r.elem))}[]`;
    case 'dmahandle':
      return 'DmaHandle';
    case 'interface':
      return 'bigint';
    case 'union':
      return 'never';
    case 'typedef':
      return tsType(r.decl.target);
  }
}

const wrapArr = (s: string): string => (/[ |]/.test(s) ? `(${s})` : s);

/** The TS type of a capacity entry (mirrors the descriptor's caps convention). */
function capsTsType(t: TypeDesc): string {
  if (t.k === 's') return 'number';
  if (t.k === 'q') return typeViews(t.e).complex ? `${wrapArr(capsTsType(t.e))}[]` : 'number';
  if (t.k === 'a') return `${wrapArr(capsTsType(t.e))}[]`;
  if (t.k === 'r') {
    const ms = t.f.filter(([, , mt]) => typeViews(mt).complex && mt.k !== 'd').map(([, ts, mt]) => `${ts}: ${capsTsType(mt)}`);
    return `{ ${ms.join('; ')} }`;
  }
  return 'never';
}

function constLiteral(c: ConstDecl): string {
  const v = c.value;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Object.is(v, -0)) return '-0';
  const r = resolveAlias(c.type);
  if (r.kind === 'prim' && (r.prim === 'int64' || r.prim === 'uint64')) return `${v}n`;
  return String(v);
}

interface MethodView {
  m: MethodDecl;
  ts: string;
  args: ParamDecl[];
  caps: ParamDecl[];
  routs: ParamDecl[];
}

/** A declarator as the IDL writes it (`long x`, `octet flags[2]`), for JSDoc that greps against the IDL and C. */
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

function methodView(m: MethodDecl): MethodView {
  const args = m.params.filter((p) => p.mode !== 'rout' || resolveAlias(p.type).kind === 'dmahandle');
  const caps = m.params.filter((p) => {
    const t = typeDesc(p.type);
    if (p.mode === 'in') return false;
    if (t.k === 's') return true;
    if (t.k === 'q') return p.mode === 'rout' || isComplexType(t);
    return isComplexType(t);
  });
  const routs = m.params.filter((p) => p.mode !== 'in' && resolveAlias(p.type).kind !== 'dmahandle' && resolveAlias(p.type).kind !== 'interface');
  return { m, ts: camelCase(m.name), args, caps, routs };
}

export function emitQaicFile(program: QaicProgram, file: string, opts: EmitOptions): string {
  const model = program.files.get(file);
  if (!model) throw new Error(`${file} is not part of the program`);
  const acc: Collected = { typedefs: [], consts: [], enums: [], structs: [], interfaces: [] };
  collect(model.decls, acc);
  // Types used by this file's interfaces but declared in included files are emitted here too.
  const structs: StructDecl[] = [];
  const enums: EnumDecl[] = [...acc.enums];
  for (const s of acc.structs) visitTypes({ kind: 'struct', decl: s }, structs, enums);
  for (const i of acc.interfaces) for (const m of i.methods) for (const p of m.params) visitTypes(p.type, structs, enums);

  const p = new Printer();
  const rt = opts.runtime;
  const part = opts.part ?? 'all';
  let usesDma = false;

  if (part === 'remoting' && opts.typesModule !== undefined) {
    // Users import one module either way: the remoting module re-exports the types.
    p.line(`export * from '${opts.typesModule}';`);
    p.line();
  }
  if (part !== 'remoting') {
    for (const c of acc.consts) {
      p.doc(c.doc);
      p.line(`export const ${c.cName} = ${constLiteral(c)};`);
    }
    if (acc.consts.length > 0) p.line();

    for (const e of enums) {
      const name = pascalCase(e.cName);
      p.doc(e.doc);
      p.indent(`export const ${name} = {`, () => {
        for (const en of e.enumerators) {
          p.doc(en.doc);
          p.line(`${en.name}: ${en.value},`);
        }
      }, '} as const;');
      p.line(`export type ${name} = (typeof ${name})[keyof typeof ${name}];`);
      p.line();
    }

    for (const s of structs) {
      p.doc(s.doc, [`IDL \`struct ${scopedName(s)}\`.`]);
      p.indent(`export interface ${pascalCase(s.cName)} {`, () => {
        for (const m of s.members) {
          p.doc(m.doc, [`IDL \`${idlDeclarator(m.type, m.name)}\`.`]);
          const t = tsType(m.type);
          if (t === 'DmaHandle') usesDma = true;
          p.line(`${camelCase(m.name)}: ${t};`);
        }
      });
      p.line();
    }

    // Typedefs declared in this file become type aliases (unless the name is taken).
    const taken = new Set<string>([
      ...enums.map((e) => pascalCase(e.cName)),
      ...structs.map((x) => pascalCase(x.cName)),
      ...acc.interfaces.flatMap((i) => [pascalCase(i.cName), `${pascalCase(i.cName)}Client`]),
      ...acc.consts.map((c) => c.cName),
    ]);
    let aliases = 0;
    for (const td of acc.typedefs) {
      const name = pascalCase(td.cName);
      if (taken.has(name) || resolveAlias(td.target).kind === 'union') continue;
      taken.add(name);
      const t = tsType(td.target);
      if (t === 'DmaHandle') usesDma = true;
      p.doc(td.doc, [`IDL \`typedef ${spellType(td.target)} ${scopedName(td)}\`.`]);
      p.line(`export type ${name} = ${t};`);
      aliases++;
    }
    if (aliases > 0) p.line();
  }
  if (part === 'types') {
    if (usesDma) p.importType(`${rt}/wire/codec.ts`, 'DmaHandle');
    return p.render(`// @generated by dspidl from ${opts.sourceLabel} (types only). DO NOT EDIT.`);
  }

  // Struct descriptors as shared constants so every method refers to the same object.
  const structConst = (s: StructDecl): string => `T_${s.cName}`;
  const descLit = (t: TypeRef): string => {
    const r = resolveAlias(t);
    switch (r.kind) {
      case 'struct':
        return structConst(r.decl);
      case 'sequence':
        return `{ k: 'q', e: ${descLit(r.elem)} }`;
      case 'array':
        return `{ k: 'a', e: ${descLit(r.elem)}, n: ${r.length} }`;
      default: {
        const d = typeDesc(r);
        return d.k === 'p' ? `{ k: 'p', p: '${d.p}' }` : d.k === 's' ? `{ k: 's', w: ${d.w} }` : `{ k: '${d.k}' }`;
      }
    }
  };
  // Descriptor constants only for structs the interfaces' methods reach (members first).
  const reached: StructDecl[] = [];
  for (const i of acc.interfaces) for (const m of i.methods) for (const pp of m.params) visitTypes(pp.type, reached, []);
  const descStructs = structs.filter((s) => reached.includes(s));
  if (descStructs.length > 0) p.importType(`${rt}/wire/desc.ts`, 'TypeDesc');
  for (const s of descStructs) {
    const fields = s.members.map((m) => `['${m.name}', '${camelCase(m.name)}', ${descLit(m.type)}]`);
    p.line(`const ${structConst(s)}: TypeDesc = { k: 'r', name: '${s.cName}', f: [${fields.join(', ')}] };`);
  }
  if (descStructs.length > 0) p.line();

  const registry: string[] = [];
  let emittedMaybe = false;
  for (const iface of acc.interfaces) {
    const base = pascalCase(iface.cName);
    const descName = `${camelCase(base)}Descriptor`;
    const desc = interfaceDesc(iface);
    const views = iface.methods.map(methodView);
    const userViews = views.filter((v) => !(iface.handle64 && v.m.index <= 1));
    p.importType(`${rt}/wire/desc.ts`, 'InterfaceDesc');
    p.importValue(`${rt}/wire/plan.ts`, 'planFor');
    p.importValue(`${rt}/rpc/invoke.ts`, 'invokePlan');
    p.importValue(`${rt}/rpc/skel.ts`, 'createSkel');
    p.importType(`${rt}/rpc/transport.ts`, 'Transport');
    p.importType(`${rt}/rpc/transport.ts`, 'SkelInvoke');
    p.importType(`${rt}/rpc/generated.ts`, 'GeneratedInterface');

    // Descriptor.
    p.doc([`Wire descriptor of \`${desc.name}\` (one entry per method, in index order).`]);
    p.indent(`export const ${descName}: InterfaceDesc = {`, () => {
      p.line(`name: '${desc.name}',`);
      p.line(`cName: '${desc.cName}',`);
      p.line(`handle64: ${desc.handle64},`);
      if (desc.idlVersion !== undefined) p.line(`idlVersion: ${JSON.stringify(desc.idlVersion)},`);
      if (desc.staticHandle !== undefined) p.line(`staticHandle: ${desc.staticHandle},`);
      p.indent('methods: [', () => {
        for (const m of iface.methods) {
          const params = m.params.map((pp) => `{ name: '${pp.name}', ts: '${camelCase(pp.name)}', mode: '${pp.mode}', t: ${descLit(pp.type)} }`);
          p.line(`{ name: '${m.name}', ts: '${camelCase(m.name)}', index: ${m.index}, params: [${params.join(', ')}] },`);
        }
      }, '],');
    }, '};');
    p.line(`const ${camelCase(base)}Plans = ${descName}.methods.map(planFor);`);
    p.line();

    // Implementation interface.
    const mp = 'MaybePromise';
    if (!emittedMaybe) {
      p.line(`type ${mp}<T> = T | Promise<T>;`);
      p.line();
      emittedMaybe = true;
    }
    const routType = (v: MethodView): string =>
      v.routs.length === 0 ? 'void' : `{ ${v.routs.map((r) => `${camelCase(r.name)}: ${tsType(r.type)}`).join('; ')} }`;
    // What an implementation returns: inrout values are optional (a missing one keeps its input).
    const implRoutType = (v: MethodView): string => {
      if (v.routs.length === 0) return 'void';
      const obj = `{ ${v.routs.map((r) => `${camelCase(r.name)}${r.mode === 'inrout' ? '?' : ''}: ${tsType(r.type)}`).join('; ')} }`;
      return v.routs.every((r) => r.mode === 'inrout') ? `${obj} | void` : obj;
    };
    const capsType = (v: MethodView): string => `{ ${v.caps.map((c) => `${camelCase(c.name)}: ${capsTsType(typeDesc(c.type))}`).join('; ')} }`;
    const paramList = (v: MethodView, withCaps: boolean): string => {
      const names = new Set<string>();
      const parts = v.args.map((a) => {
        const n = safeIdent(camelCase(a.name));
        names.add(n);
        const t = tsType(a.type);
        if (t === 'DmaHandle') usesDma = true;
        return `${n}: ${t}`;
      });
      if (withCaps && v.caps.length > 0) parts.push(`${names.has('caps') ? 'caps_' : 'caps'}: ${capsType(v)}`);
      return parts.join(', ');
    };
    const capsArg = (v: MethodView): string => (v.args.some((a) => safeIdent(camelCase(a.name)) === 'caps') ? 'caps_' : 'caps');

    p.doc(iface.doc, [
      `Implementation of \`${desc.name}\`. Methods receive \`in\`/\`inrout\` values (and dmahandles)`,
      'positionally in IDL order, then, when the method has rout strings or sequences, a `caps`',
      'object with their capacities (characters incl. the terminator / element counts). They',
      'return the `rout`/`inrout` values (a missing inrout value keeps its input) and fail by',
      'throwing `AeeError`. Sync or async.',
    ]);
    p.indent(`export interface ${base} {`, () => {
      if (iface.handle64) {
        p.line('/** Optional: called by the skel for `open` (method 0) after the IDL_VERSION check; returns the new handle. */');
        p.line(`open?(uri: string): ${mp}<{ h: bigint }>;`);
        p.line('/** Optional: called by the skel for `close` (method 1). */');
        p.line(`close?(h: bigint): ${mp}<void>;`);
      }
      for (const v of userViews) {
        p.doc(v.m.doc, [`IDL \`${idlSignature(v.m)}\`; method ${v.m.index}.`]);
        p.line(`${v.ts}(${paramList(v, true)}): ${mp}<${implRoutType(v)}>;`);
      }
    });
    p.line();

    // Client.
    const handleType = iface.handle64 ? 'bigint' : 'number';
    p.doc([
      `Client of \`${desc.name}\`: each method sends one FastRPC invocation through the transport`,
      'and resolves to the rout values; a non-zero status rejects with `AeeError`.',
      iface.handle64
        ? 'The handle is the 64-bit handle obtained by opening the interface URI (open/close are not client methods).'
        : iface.staticHandle !== undefined
          ? `The handle defaults to the static handle ${iface.staticHandle}.`
          : `The handle is the one \`remote_handle_open("${iface.cName}")\` returned.`,
    ]);
    p.indent(`export class ${base}Client {`, () => {
      p.line('readonly #transport: Transport;');
      p.line(`readonly #handle: ${handleType};`);
      p.line();
      const dflt = !iface.handle64 && iface.staticHandle !== undefined ? ` = ${iface.staticHandle}` : '';
      p.indent(`constructor(transport: Transport, handle: ${handleType}${dflt}) {`, () => {
        p.line('this.#transport = transport;');
        p.line('this.#handle = handle;');
      });
      for (const v of userViews) {
        p.line();
        p.doc(v.m.doc, [`IDL \`${idlSignature(v.m)}\`; method ${v.m.index}, scalars ${formatScalars(layoutMethod(desc.methods[v.m.index]!).scalars)}.`]);
        const args = v.args.map((a) => safeIdent(camelCase(a.name)));
        const capsPart = v.caps.length > 0 ? `, ${capsArg(v)}` : '';
        const ret = v.routs.length === 0 ? 'Promise<void>' : `Promise<${routType(v)}>`;
        p.indent(`${v.ts}(${paramList(v, true)}): ${ret} {`, () => {
          const k = iface.methods.indexOf(v.m);
          p.line(`return invokePlan(this.#transport, this.#handle, ${camelCase(base)}Plans[${k}]!, [${args.join(', ')}]${capsPart}) as Promise<never>;`);
        });
      }
    });
    p.line();

    // Skel.
    p.doc([`Skel of \`${desc.name}\`: validates each invocation as qaic's C skel does, then calls \`impl\`.`]);
    p.indent(`export function create${base}Skel(impl: ${base}): SkelInvoke {`, () => {
      p.line(`return createSkel(${descName}, impl);`);
    });
    p.line();

    // Metadata.
    p.doc([`Names, indices, scalars and primIn/primROut layouts of \`${desc.name}\`.`]);
    p.indent(`export const ${camelCase(base)}Metadata = {`, () => {
      p.line(`name: '${desc.name}',`);
      p.line(`cName: '${desc.cName}',`);
      p.line(`handle64: ${desc.handle64},`);
      p.indent('methods: [', () => {
        iface.methods.forEach((md, k) => {
          const ml = layoutMethod(desc.methods[k]!);
          const pb = (x: { size: number; sizeSent: number; align: number }): string => `{ size: ${x.size}, sizeSent: ${x.sizeSent}, align: ${x.align} }`;
          const params = md.params.map((x) => `{ name: '${x.name}', mode: '${x.mode}', type: ${JSON.stringify(spellType(x.type))} }`);
          p.line(
            `{ name: '${md.name}', index: ${md.index}, scalars: ${formatScalars(ml.scalars)}, dynamic: ${ml.dynamic}, primIn: ${pb(ml.primIn)}, primROut: ${pb(ml.primROut)}, params: [${params.join(', ')}] },`,
          );
        });
      }, '],');
    }, '} as const;');
    p.line();
    registry.push(`{ name: '${desc.name}', desc: ${descName}, Client: ${base}Client, createSkel: create${base}Skel }`);
  }

  if (usesDma) p.importType(`${rt}/wire/codec.ts`, 'DmaHandle');
  if (part === 'remoting' && opts.typesModule !== undefined) {
    // Only the type names the remoting code mentions, so linters see no unused import.
    const body = p.bodyText();
    for (const name of [...enums, ...structs].map((d) => pascalCase(d.cName))) {
      if (new RegExp(`\\b${name}\\b`).test(body)) p.importType(opts.typesModule, name);
    }
  }
  if (registry.length > 0) {
    p.doc(['Every interface of this file, for tools that drive interfaces by name.']);
    p.indent('export const interfaces: readonly GeneratedInterface[] = [', () => {
      for (const r of registry) p.line(`${r},`);
    }, '];');
  }
  return p.render(`// @generated by dspidl from ${opts.sourceLabel}. DO NOT EDIT.`);
}

export { interfacesOf };
