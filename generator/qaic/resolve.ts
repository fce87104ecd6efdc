/**
 * Name resolution and validation of one translation unit: AST in, model out.
 * IDL is declare-before-use, so one pass in textual order resolves every name
 * against what has been declared so far. The checks mirror what qaic refuses
 * (see test/conformance/qaic/rejected.json) plus the mistakes qaic lets through
 * that would break generated code.
 */
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.ts';
import type {
  ConstDecl,
  Decl,
  EnumDecl,
  InterfaceDecl,
  MethodDecl,
  ModuleDecl,
  ParamDecl,
  PrimKind,
  StructDecl,
  StructMember,
  TypedefDecl,
  TypeRef,
  UnionCase,
  UnionDecl,
} from '../model/qaic.ts';
import { resolveAlias } from '../model/qaic.ts';
import type { SourceSpan } from '../source.ts';
import type {
  AstAttribute,
  AstConst,
  AstDecl,
  AstEnum,
  AstExpr,
  AstInterface,
  AstMethod,
  AstModule,
  AstName,
  AstParam,
  AstStruct,
  AstType,
  AstTypedef,
  AstUnion,
} from './ast.ts';
import { cDefineFor, ConstError, evaluate, intRange, type IntDomain, type RawValue } from './const-eval.ts';
import { QaicCodes, type CodeInfo } from '../diagnostics/codes.ts';
import { didYouMean } from '../suggest.ts';
import * as T from './tokens.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Scope {
  readonly kind: 'global' | 'module' | 'interface';
  readonly path: readonly string[];
  readonly parent: Scope | undefined;
  readonly symbols: Map<string, Sym>;
  iface?: Mutable<InterfaceDecl>;
}

type Sym =
  | { readonly kind: 'decl'; readonly decl: Decl; readonly scope: Scope; readonly inner?: Scope }
  | { readonly kind: 'enumerator'; readonly value: number; readonly span: SourceSpan; readonly scope: Scope }
  | { readonly kind: 'native'; readonly name: string; readonly span: SourceSpan; readonly scope: Scope }
  | { readonly kind: 'method'; readonly span: SourceSpan; readonly scope: Scope };

const C_KEYWORDS = new Set([
  'auto',
  'break',
  'continue',
  'do',
  'else',
  'extern',
  'for',
  'goto',
  'if',
  'inline',
  'int',
  'register',
  'restrict',
  'return',
  'signed',
  'sizeof',
  'static',
  'volatile',
  'while',
  '_Bool',
  '_Complex',
  '_Imaginary',
  'bool',
  'true',
  'false',
  'NULL',
]);

/** Meaning of the sized built-in names, for judging legacy AEEStdDef typedefs. */
const BUILTIN_SIZED: Readonly<Record<string, PrimKind>> = {
  int8: 'int8',
  int8_t: 'int8',
  uint8: 'uint8',
  uint8_t: 'uint8',
  int16: 'int16',
  int16_t: 'int16',
  uint16: 'uint16',
  uint16_t: 'uint16',
  int32: 'int32',
  int32_t: 'int32',
  uint32: 'uint32',
  uint32_t: 'uint32',
  int64: 'int64',
  int64_t: 'int64',
  uint64: 'uint64',
  uint64_t: 'uint64',
};

/** Integer kinds as (size, signed); octet and uint8 mean the same thing. */
const INT_SHAPE: Partial<Record<PrimKind, string>> = {
  octet: 'u8',
  uint8: 'u8',
  int8: 's8',
  char: 's8',
  int16: 's16',
  uint16: 'u16',
  wchar: 'u16',
  int32: 's32',
  uint32: 'u32',
  int64: 's64',
  uint64: 'u64',
};

const INT32_DOMAIN_RANGE = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const INT32_DOMAIN: IntDomain = { name: 'long', lo: INT32_DOMAIN_RANGE[0], hi: INT32_DOMAIN_RANGE[1] };

const CONST_PRIMS = new Set<PrimKind>([
  'octet',
  'char',
  'wchar',
  'boolean',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float',
  'double',
]);

export interface UnitModel {
  /** Top-level declarations by the file they appear in. */
  readonly fileDecls: Map<string, Decl[]>;
  readonly interfaces: InterfaceDecl[];
}

export function resolveUnit(decls: readonly AstDecl[], diagnostics: Diagnostic[]): UnitModel {
  return new Resolver(diagnostics).run(decls);
}

class Resolver {
  private readonly global: Scope = { kind: 'global', path: [], parent: undefined, symbols: new Map() };
  private readonly ctx: string[] = [];
  private readonly rawConsts = new Map<ConstDecl, RawValue>();
  private readonly interfaces: Mutable<InterfaceDecl>[] = [];
  private readonly forwards = new Map<string, SourceSpan>();
  private readonly defined = new Map<string, SourceSpan>();
  private readonly moduleScopes = new Map<string, Scope>();
  /** Structs and unions whose members are being resolved (a reference to one is recursive). */
  private readonly open = new Set<Decl>();
  /** Structs, unions and enums defined in place inside the declaration being resolved. */
  private pendingInline: Decl[] = [];

  constructor(private readonly diagnostics: Diagnostic[]) {}

  private report(code: CodeInfo, message: string, span: SourceSpan | undefined, severity: Severity = 'error'): void {
    const d: Diagnostic = {
      code: code.code,
      severity,
      message,
      ...(span ? { span } : {}),
      ...(this.ctx.length > 0 ? { context: [...this.ctx] } : {}),
    };
    this.diagnostics.push(d);
  }

  private within<T>(label: string, f: () => T): T {
    this.ctx.push(label);
    try {
      return f();
    } finally {
      this.ctx.pop();
    }
  }

  run(decls: readonly AstDecl[]): UnitModel {
    const fileDecls = new Map<string, Decl[]>();
    for (const d of decls) {
      const out = this.decl(d, this.global);
      let list = fileDecls.get(d.file);
      if (!list) fileDecls.set(d.file, (list = []));
      list.push(...out);
    }
    for (const iface of this.interfaces) {
      if (iface.forwardOnly) continue;
      const key = [...iface.scope, iface.name].join('::');
      const fwd = this.forwards.get(key);
      const def = this.defined.get(key);
      if (fwd && def) {
        this.report(
          QaicCodes.FORWARD_AND_DEFINED,
          `interface ${iface.name} is forward-declared (line ${fwd.line}) and defined in the same file; qaic cannot generate code for it: remove the forward declaration`,
          def,
        );
      }
      this.attachHandleAndVersion(iface);
    }
    return { fileDecls, interfaces: this.interfaces };
  }

  private attachHandleAndVersion(iface: Mutable<InterfaceDecl>): void {
    const handleNames = new Set([`_const_${iface.name}_handle`, `_const_${iface.cName}_handle`]);
    let version: ConstDecl | undefined;
    const visit = (scope: Scope): void => {
      for (const sym of scope.symbols.values()) {
        if (sym.kind !== 'decl') continue;
        const d = sym.decl;
        if (d.kind === 'const') {
          const raw = this.rawConsts.get(d);
          if ((handleNames.has(d.name) || handleNames.has(d.cName)) && raw?.kind === 'int') iface.staticHandle = Number(raw.value);
          if (d.name === 'IDL_VERSION' && raw?.kind === 'string' && (version === undefined || d.file === iface.file)) version = d;
        }
        if (sym.inner && sym.inner !== scope && d.kind === 'module') visit(sym.inner);
      }
    };
    visit(this.global);
    if (version && typeof version.value === 'string') iface.idlVersion = version.value;
  }

  // ---- declarations ------------------------------------------------------------

  private cName(scope: Scope, name: string): string {
    return [...scope.path, name].join('_');
  }

  private declare(scope: Scope, name: string, sym: Sym, span: SourceSpan): boolean {
    const prev = scope.symbols.get(name);
    if (prev) {
      const where = 'span' in prev ? prev.span : prev.kind === 'decl' ? prev.decl.span : undefined;
      const at = where ? ` (first declared at ${where.file}:${where.line}:${where.col})` : '';
      this.report(QaicCodes.DUPLICATE_DECL, `identifier '${name}' clashes with an earlier declaration in the same scope${at}`, span);
      return false;
    }
    scope.symbols.set(name, sym);
    return true;
  }

  private decl(d: AstDecl, scope: Scope): Decl[] {
    const saved = this.pendingInline;
    this.pendingInline = [];
    const own = this.declInner(d, scope);
    const inline = this.pendingInline;
    this.pendingInline = saved;
    return [...inline, ...own];
  }

  private declInner(d: AstDecl, scope: Scope): Decl[] {
    switch (d.kind) {
      case 'module':
        return [this.module(d, scope)];
      case 'interface': {
        const i = this.interface(d, scope);
        return i ? [i] : [];
      }
      case 'struct':
        return [this.struct(d, scope)];
      case 'union':
        return [this.union(d, scope)];
      case 'enum':
        return [this.enum(d, scope)];
      case 'typedef':
        return this.typedef(d, scope);
      case 'native':
        this.declare(scope, d.name, { kind: 'native', name: d.name, span: d.span, scope }, d.span);
        return [];
      case 'const': {
        const c = this.constDecl(d, scope);
        return c ? [c] : [];
      }
      case 'method':
      case 'attribute':
        this.report(
          QaicCodes.SYNTAX_ERROR,
          `${d.kind === 'method' ? 'method' : 'attribute'} ${d.kind === 'method' ? d.name : (d.names[0]?.name ?? '')} declared outside an interface`,
          d.span,
        );
        return [];
    }
  }

  private base(d: { name: string; doc: readonly string[]; span: SourceSpan; file: string }, scope: Scope) {
    return { name: d.name, scope: [...scope.path], cName: this.cName(scope, d.name), doc: d.doc, span: d.span, file: d.file };
  }

  private module(d: AstModule, scope: Scope): ModuleDecl {
    const key = [...scope.path, d.name].join('::');
    let inner = this.moduleScopes.get(key);
    const members: Decl[] = [];
    const decl: ModuleDecl = { kind: 'module', ...this.base(d, scope), members };
    if (!inner) {
      inner = { kind: 'module', path: [...scope.path, d.name], parent: scope, symbols: new Map() };
      this.moduleScopes.set(key, inner);
      this.declare(scope, d.name, { kind: 'decl', decl, scope, inner }, d.span);
    }
    const s = inner;
    this.within(`module ${d.name}`, () => {
      for (const m of d.members) members.push(...this.decl(m, s));
    });
    return decl;
  }

  private interface(d: AstInterface, scope: Scope): InterfaceDecl | undefined {
    const key = [...scope.path, d.name].join('::');
    if (d.prefix === 'local')
      this.report(
        QaicCodes.LOCAL_INTERFACE,
        `local interface ${d.name}: qaic parses it but cannot generate code for it`,
        d.prefixSpan ?? d.span,
      );
    if (d.prefix === 'ext_params')
      this.report(
        QaicCodes.EXT_PARAMS_INTERFACE,
        `ext_params interface ${d.name}: the 64-bit scalars format it uses is not supported`,
        d.prefixSpan ?? d.span,
      );
    const existing = scope.symbols.get(d.name);
    const existingIface =
      existing?.kind === 'decl' && existing.decl.kind === 'interface' ? (existing.decl as Mutable<InterfaceDecl>) : undefined;
    if (d.forward) {
      if (!this.forwards.has(key)) this.forwards.set(key, d.span);
      if (existingIface) return existingIface;
      if (existing) {
        this.declare(scope, d.name, { kind: 'method', span: d.span, scope }, d.span);
        return undefined;
      }
      const fwd: Mutable<InterfaceDecl> = {
        kind: 'interface',
        ...this.base(d, scope),
        base: undefined,
        handle64: false,
        methods: [],
        staticHandle: undefined,
        idlVersion: undefined,
        members: [],
        forwardOnly: true,
      };
      this.interfaces.push(fwd);
      const inner: Scope = { kind: 'interface', path: [...scope.path, d.name], parent: scope, symbols: new Map(), iface: fwd };
      this.declare(scope, d.name, { kind: 'decl', decl: fwd, scope, inner }, d.span);
      return fwd;
    }
    if (existing && !(existingIface && existingIface.forwardOnly)) {
      this.declare(scope, d.name, { kind: 'method', span: d.span, scope }, d.span);
      return undefined;
    }
    this.defined.set(key, d.span);
    const iface: Mutable<InterfaceDecl> = existingIface ?? {
      kind: 'interface',
      ...this.base(d, scope),
      base: undefined,
      handle64: false,
      methods: [],
      staticHandle: undefined,
      idlVersion: undefined,
      members: [],
      forwardOnly: false,
    };
    Object.assign(iface, this.base(d, scope));
    iface.forwardOnly = false;
    if (!existingIface) this.interfaces.push(iface);
    const inner: Scope = { kind: 'interface', path: [...scope.path, d.name], parent: scope, symbols: new Map(), iface };
    if (existing) scope.symbols.set(d.name, { kind: 'decl', decl: iface, scope, inner });
    else this.declare(scope, d.name, { kind: 'decl', decl: iface, scope, inner }, d.span);

    return this.within(`interface ${d.name}`, () => {
      if (d.base) {
        const found = this.lookup(d.base, scope, 'type');
        if (found) {
          const b = found.sym.kind === 'decl' ? found.sym.decl : undefined;
          if (!b || b.kind !== 'interface')
            this.report(QaicCodes.BAD_BASE, `base ${d.base.parts.join('::')} of interface ${d.name} is not an interface`, d.base.span);
          else if (b.forwardOnly)
            this.report(QaicCodes.BAD_BASE, `base interface ${b.name} is only forward-declared; its methods are unknown`, d.base.span);
          else iface.base = b;
        }
      }
      const isRemoteHandle = d.name === 'remote_handle64' && scope.kind === 'global';
      iface.handle64 = isRemoteHandle || (iface.base?.handle64 ?? false);
      const inherited = iface.base ? [...iface.base.methods] : [];
      const inheritedNames = new Map(inherited.map((m) => [m.name, m]));
      const own: MethodDecl[] = [];
      const members: Decl[] = [];
      const addMethod = (m: Omit<MethodDecl, 'index'>): void => {
        const prev = inheritedNames.get(m.name);
        if (prev) {
          this.report(QaicCodes.DUPLICATE_DECL, `method ${m.name} clashes with method ${m.name} inherited from ${prev.declaredIn}`, m.span);
          return;
        }
        if (!this.declare(inner, m.name, { kind: 'method', span: m.span, scope: inner }, m.span)) return;
        own.push({ ...m, index: inherited.length + own.length });
      };
      for (const m of d.members) {
        if (m.kind === 'method') {
          const md = this.method(m, inner, iface);
          if (md) addMethod(md);
          members.push(...this.pendingInline.splice(0));
        } else if (m.kind === 'attribute') {
          for (const md of this.attribute(m, inner, iface)) addMethod(md);
        } else if (m.kind === 'module' || m.kind === 'interface') {
          this.report(QaicCodes.SYNTAX_ERROR, `${m.kind} ${m.name} cannot be declared inside interface ${d.name}`, m.span);
        } else members.push(...this.decl(m, inner));
      }
      iface.methods = [...inherited, ...own];
      iface.members = members;
      return iface;
    });
  }

  private struct(d: AstStruct, scope: Scope): StructDecl {
    const members: StructMember[] = [];
    const decl: StructDecl = { kind: 'struct', ...this.base(d, scope), members };
    // Declared before its members (as qaic does), so a self-reference is found and reported.
    this.declare(scope, d.name, { kind: 'decl', decl, scope }, d.span);
    this.open.add(decl);
    this.within(`struct ${d.name}`, () => {
      const seen = new Map<string, SourceSpan>();
      for (const m of d.members) {
        const base = this.typeRef(m.type, scope, 'member');
        for (const dc of m.declarators) {
          this.within(`member ${dc.name}`, () => {
            if (dc.builtinName) this.report(QaicCodes.RESERVED_WORD, `reserved word "${dc.name}" cannot be used as a name`, dc.span);
            const prev = seen.get(dc.name);
            if (prev)
              this.report(
                QaicCodes.DUPLICATE_MEMBER,
                `duplicate member '${dc.name}' in struct ${d.name} (first at line ${prev.line})`,
                dc.span,
              );
            else seen.set(dc.name, dc.span);
            this.checkCKeyword(dc.name, dc.span, 'member');
            const type = this.applyDims(base, dc.dims, scope, dc.span);
            members.push({ name: dc.name, type, doc: dc.doc, span: dc.span });
          });
        }
      }
      const dma = members.find((m) => resolveAlias(m.type).kind === 'dmahandle');
      if (dma && members.length > 1) {
        this.report(
          QaicCodes.DMAHANDLE_IN_STRUCT,
          `struct ${d.name} holds dmahandle '${dma.name}' next to other members: qaic's skel would drop the other members; pass the dmahandle as its own parameter`,
          dma.span,
        );
      }
    });
    this.open.delete(decl);
    return decl;
  }

  private union(d: AstUnion, scope: Scope): UnionDecl {
    const cases: UnionCase[] = [];
    const disc = this.typeRef(d.discriminator, scope, 'member');
    const decl: UnionDecl = { kind: 'union', ...this.base(d, scope), discriminator: disc, cases };
    this.declare(scope, d.name, { kind: 'decl', decl, scope }, d.span);
    this.open.add(decl);
    this.within(`union ${d.name}`, () => {
      const dr = resolveAlias(disc);
      const okDisc = dr.kind === 'enum' || (dr.kind === 'prim' && !['float', 'double', 'octet', 'wchar'].includes(dr.prim));
      if (!okDisc)
        this.report(
          QaicCodes.BAD_UNION,
          `union discriminator must be an integer (not octet), char, boolean or enum type`,
          d.discriminator.span,
        );
      const seenLabels = new Set<string>();
      const seenMembers = new Map<string, SourceSpan>();
      for (const c of d.cases) {
        const labels: (number | bigint | boolean)[] = [];
        let isDefault = false;
        for (const l of c.labels) {
          if (l.kind === 'default') {
            isDefault = true;
            continue;
          }
          const raw = this.evalExpr(l, scope);
          if (!raw) continue;
          if (raw.kind !== 'int' && raw.kind !== 'bool') {
            this.report(QaicCodes.BAD_UNION, 'case label must be an integer, char, boolean or enumerator', l.span);
            continue;
          }
          const k = String(raw.value);
          if (seenLabels.has(k)) this.report(QaicCodes.BAD_UNION, `duplicate case label ${k}`, l.span);
          seenLabels.add(k);
          labels.push(raw.kind === 'bool' ? raw.value : toNumber(raw.value));
        }
        const dc = c.declarator;
        const prev = seenMembers.get(dc.name);
        if (prev)
          this.report(QaicCodes.DUPLICATE_MEMBER, `duplicate member '${dc.name}' in union ${d.name} (first at line ${prev.line})`, dc.span);
        else seenMembers.set(dc.name, dc.span);
        const type = this.applyDims(this.typeRef(c.type, scope, 'member'), dc.dims, scope, dc.span);
        cases.push({ labels, isDefault, member: { name: dc.name, type, doc: dc.doc, span: dc.span } });
      }
    });
    this.open.delete(decl);
    return decl;
  }

  private enum(d: AstEnum, scope: Scope): EnumDecl {
    const prefix = scope.path.length > 0 ? `${scope.path.join('_').toUpperCase()}_` : '';
    const enumerators = d.enumerators.map((e, i) => ({ name: e.name, cName: prefix + e.name, value: i, doc: e.doc, span: e.span }));
    const decl: EnumDecl = { kind: 'enum', ...this.base(d, scope), enumerators };
    this.declare(scope, d.name, { kind: 'decl', decl, scope }, d.span);
    for (const e of enumerators) this.declare(scope, e.name, { kind: 'enumerator', value: e.value, span: e.span, scope }, e.span);
    return decl;
  }

  private typedef(d: AstTypedef, scope: Scope): TypedefDecl[] {
    const out: TypedefDecl[] = [];
    const target = this.typeRef(d.type, scope, 'typedef');
    for (const dc of d.declarators) {
      if (dc.builtinName) {
        this.legacyTypedef(dc.name, target, dc.span, dc.dims.length > 0);
        continue;
      }
      const type = this.applyDims(target, dc.dims, scope, dc.span);
      const decl: TypedefDecl = {
        kind: 'typedef',
        ...this.base({ ...d, name: dc.name, span: dc.span, doc: [...d.doc, ...dc.doc.filter((x) => !d.doc.includes(x))] }, scope),
        target: type,
      };
      if (this.declare(scope, dc.name, { kind: 'decl', decl, scope }, dc.span)) out.push(decl);
    }
    return out;
  }

  private legacyTypedef(name: string, target: TypeRef, span: SourceSpan, array: boolean): void {
    const builtin = BUILTIN_SIZED[name] as PrimKind;
    const t = resolveAlias(target);
    const agrees = !array && t.kind === 'prim' && INT_SHAPE[t.prim] !== undefined && INT_SHAPE[t.prim] === INT_SHAPE[builtin];
    if (agrees) {
      this.report(
        QaicCodes.LEGACY_TYPEDEF_AGREES,
        `typedef of built-in type ${name} agrees with its built-in meaning and is ignored (legacy AEEStdDef.idl)`,
        span,
        'warning',
      );
    } else {
      this.report(
        QaicCodes.LEGACY_TYPEDEF_CONFLICTS,
        `typedef redefines built-in type ${name} (${builtin}) as ${describeType(target)}`,
        span,
      );
    }
  }

  private constDecl(d: AstConst, scope: Scope): ConstDecl | undefined {
    return this.within(`const ${d.name}`, () => {
      const type = this.typeRef(d.type, scope, 'const');
      const base = resolveAlias(type);
      const range = base.kind === 'prim' ? intRange(base.prim) : base.kind === 'enum' ? INT32_DOMAIN_RANGE : undefined;
      const dom =
        range && base.kind === 'prim' && base.prim !== 'char' && base.prim !== 'wchar'
          ? { name: `${describeType(type)} (constant ${d.name})`, lo: range[0], hi: range[1] }
          : undefined;
      const raw = this.evalExpr(d.expr, scope, dom);
      let value: RawValue | undefined = raw;
      let defType: { kind: 'prim'; prim: PrimKind } | { kind: 'string'; wide: boolean } | undefined;
      if (base.kind === 'string') defType = { kind: 'string', wide: base.wide };
      else if (base.kind === 'prim' && CONST_PRIMS.has(base.prim)) defType = { kind: 'prim', prim: base.prim };
      else if (base.kind === 'enum') {
        defType = { kind: 'prim', prim: 'int32' };
        const e = d.expr;
        const ok = e.kind === 'ref' && base.decl.enumerators.some((x) => x.name === e.name.parts[e.name.parts.length - 1]);
        if (!ok)
          this.report(
            QaicCodes.CONST_OUT_OF_RANGE,
            `constant ${d.name} of enum ${base.decl.name} must be one of its enumerators`,
            d.expr.span,
          );
      } else
        this.report(
          QaicCodes.BAD_CONST_TYPE,
          `constant of type ${describeType(type)}: constants must be integer, char, wchar, boolean, float, double, octet, enum, string or wstring`,
          d.type.span,
        );
      if (raw && defType) {
        value = this.coerceConst(raw, defType, d.expr, d.name);
      }
      const final = value ?? { kind: 'int', value: 0n };
      const decl: ConstDecl = {
        kind: 'const',
        ...this.base(d, scope),
        type,
        value: final.kind === 'int' ? toNumber(final.value) : final.value,
        cDefine: defType ? cDefineFor(defType, final, d.expr) : '0',
      };
      this.rawConsts.set(decl, final);
      this.declare(scope, d.name, { kind: 'decl', decl, scope }, d.span);
      return decl;
    });
  }

  private coerceConst(
    raw: RawValue,
    t: { kind: 'prim'; prim: PrimKind } | { kind: 'string'; wide: boolean },
    expr: AstExpr,
    name: string,
  ): RawValue | undefined {
    if (t.kind === 'string') {
      if (raw.kind !== 'string') {
        this.report(
          QaicCodes.CONST_OUT_OF_RANGE,
          `constant ${name} is a string but its value is ${raw.kind === 'int' ? 'an integer' : `a ${raw.kind}`}`,
          expr.span,
        );
        return undefined;
      }
      return raw;
    }
    const prim = t.prim;
    if (prim === 'boolean') {
      if (raw.kind === 'bool') return raw;
      this.report(QaicCodes.CONST_OUT_OF_RANGE, `boolean constant ${name} needs TRUE or FALSE`, expr.span);
      return undefined;
    }
    if (prim === 'float' || prim === 'double') {
      if (raw.kind === 'float') return raw;
      if (raw.kind === 'int') return { kind: 'float', value: Number(raw.value) };
      this.report(QaicCodes.CONST_OUT_OF_RANGE, `floating point constant ${name} has a ${raw.kind} value`, expr.span);
      return undefined;
    }
    if (raw.kind !== 'int') {
      this.report(
        QaicCodes.CONST_OUT_OF_RANGE,
        `integer constant ${name} has a ${raw.kind === 'float' ? 'floating point' : raw.kind} value`,
        expr.span,
      );
      return undefined;
    }
    const range = intRange(prim);
    if (range && (raw.value < range[0] || raw.value > range[1])) {
      this.report(
        QaicCodes.CONST_OUT_OF_RANGE,
        `value ${raw.value} of constant ${name} does not fit ${prim} (${range[0]}..${range[1]})`,
        expr.span,
      );
      return undefined;
    }
    return raw;
  }

  // ---- methods -------------------------------------------------------------------

  private method(m: AstMethod, scope: Scope, iface: InterfaceDecl): Omit<MethodDecl, 'index'> | undefined {
    return this.within(`method ${m.name}`, () => {
      const attributes: string[] = [];
      if (m.attribute) {
        if (m.attribute.name === 'oneway' || m.attribute.name === 'signal') attributes.push(m.attribute.name);
        else
          this.report(
            QaicCodes.UNKNOWN_ATTRIBUTE,
            `unrecognized method attribute [${m.attribute.name}]: qaic accepts only [oneway] and [signal]`,
            m.attribute.span,
          );
      }
      let returnType: TypeRef | undefined;
      if (m.returnType !== 'void') {
        returnType = this.typeRef(m.returnType, scope, 'return');
        const r = resolveAlias(returnType);
        if (!(r.kind === 'prim' || r.kind === 'enum')) {
          this.report(
            QaicCodes.BAD_RETURN_TYPE,
            `return type ${describeType(returnType)} is not supported: use void, a primitive or an enum (the wire carries only the 32-bit status); return data through a rout parameter`,
            m.returnSpan,
          );
        }
      }
      if (attributes.length > 0) {
        const out = m.params.find((p) => p.mode !== 'in');
        if (out)
          this.report(
            QaicCodes.ONEWAY_WITH_ROUT,
            `[${attributes[0] ?? ''}] methods may only have in parameters; '${out.name}' is ${out.mode}`,
            out.span,
          );
      }
      const exempt = iface.name === 'remote_handle64' && iface.scope.length === 0;
      const params: ParamDecl[] = [];
      const seen = new Map<string, SourceSpan>();
      for (const p of m.params) {
        const pd = this.within(`param ${p.name}`, () => this.param(p, scope, m, exempt, seen));
        params.push(pd);
      }
      return { name: m.name, params, returnType, async: m.async, attributes, declaredIn: iface.name, doc: m.doc, span: m.span };
    });
  }

  private param(p: AstParam, scope: Scope, m: AstMethod, exempt: boolean, seen: Map<string, SourceSpan>): ParamDecl {
    if (p.notnil)
      this.report(QaicCodes.NOTNIL, `'notnil' may only be used with interface types, not in front of a parameter type`, p.notnil);
    const prev = seen.get(p.name);
    if (prev)
      this.report(
        QaicCodes.DUPLICATE_PARAM,
        `duplicate parameter name '${p.name}' (first at column ${prev.col}); the generated C would not compile`,
        p.span,
      );
    else seen.set(p.name, p.span);
    this.checkCKeyword(p.name, p.span, 'parameter');
    const type = this.typeRef(p.type, scope, 'param');
    const r = resolveAlias(type);
    const tspan = p.type.span;
    if (containsUnion(type))
      this.report(QaicCodes.UNION_PARAM, `union types are not supported in parameters (qaic refuses them): ${describeType(type)}`, tspan);
    if (r.kind === 'interface') {
      if (r.decl.name === 'remote_handle64') {
        if (!exempt)
          this.report(
            QaicCodes.HANDLE64_PARAM,
            `remote_handle64 parameters are not supported: qaic accepts them but generates stubs that cannot work`,
            tspan,
          );
      } else
        this.report(
          QaicCodes.INTERFACE_PARAM,
          `interface ${r.decl.name} cannot be a parameter type (only remote_handle64 is known to the wire format)`,
          tspan,
        );
    }
    if (p.mode === 'inrout') {
      if (r.kind === 'dmahandle')
        this.report(QaicCodes.INROUT_UNSUPPORTED, 'inrout is not supported for dmahandle (use in or rout)', tspan);
      else if (r.kind === 'struct' && isComplex(r))
        this.report(
          QaicCodes.INROUT_UNSUPPORTED,
          `inrout is not supported for struct ${r.decl.name}, which holds strings or sequences (use an in and a rout parameter)`,
          tspan,
        );
      else if (r.kind === 'sequence' && isComplexElement(r.elem))
        this.report(
          QaicCodes.INROUT_UNSUPPORTED,
          `inrout is not supported for a sequence of complex elements (${describeType(r.elem)})`,
          tspan,
        );
    }
    if (m.async && p.mode !== 'in' && (r.kind === 'prim' || r.kind === 'enum')) {
      this.report(
        QaicCodes.ASYNC_ROUT_PRIM,
        `async methods cannot have ${p.mode} primitive parameters (only sequences can be returned by an async method)`,
        p.span,
      );
    } else if (m.async && p.mode !== 'in' && r.kind !== 'sequence') {
      // qaic's Slim back end refuses every other rout/inrout kind of an async method ("primType: rout string not supported for async").
      this.report(
        QaicCodes.ASYNC_ROUT_NOT_SEQUENCE,
        `async methods cannot have ${p.mode} ${r.kind === 'struct' || r.kind === 'union' ? `${r.kind} ` : ''}${describeType(r)} parameters: qaic returns only sequences from an async method`,
        p.span,
      );
    }
    return { name: p.name, mode: p.mode, type, span: p.span };
  }

  private attribute(a: AstAttribute, scope: Scope, iface: InterfaceDecl): Omit<MethodDecl, 'index'>[] {
    const out: Omit<MethodDecl, 'index'>[] = [];
    const type = this.typeRef(a.type, scope, 'param');
    const aee = this.findQuiet('AEEResult', scope);
    let returnType: TypeRef | undefined;
    if (aee && aee.kind === 'typedef') returnType = { kind: 'typedef', decl: aee };
    else
      this.report(
        QaicCodes.ATTRIBUTE_NEEDS_AEERESULT,
        `attribute ${a.names[0]?.name ?? ''} needs the type AEEResult in scope: #include "AEEStdDef.idl"`,
        a.span,
      );
    for (const n of a.names) {
      const valueSpan = n.span;
      out.push({
        name: `Get${n.name}`,
        params: [{ name: 'value', mode: 'rout', type, span: valueSpan }],
        returnType: returnType ?? { kind: 'prim', prim: 'int32', spelling: 'long' },
        async: false,
        attributes: [],
        fromAttribute: n.name,
        declaredIn: iface.name,
        doc: a.doc,
        span: n.span,
      });
      if (!a.readonly) {
        out.push({
          name: `Set${n.name}`,
          params: [{ name: 'value', mode: 'in', type, span: valueSpan }],
          returnType: returnType ?? { kind: 'prim', prim: 'int32', spelling: 'long' },
          async: false,
          attributes: [],
          fromAttribute: n.name,
          declaredIn: iface.name,
          doc: a.doc,
          span: n.span,
        });
      }
    }
    return out;
  }

  private checkCKeyword(name: string, span: SourceSpan, what: string): void {
    if (C_KEYWORDS.has(name))
      this.report(
        QaicCodes.C_KEYWORD,
        `${what} name '${name}' is a C keyword: the C that qaic generates would not compile; rename it`,
        span,
      );
  }

  // ---- types ---------------------------------------------------------------------

  private applyDims(base: TypeRef, dims: readonly AstExpr[], scope: Scope, span: SourceSpan): TypeRef {
    if (dims.length === 0) return base;
    if (dims.length > 1)
      this.report(
        QaicCodes.MULTI_DIM_ARRAY,
        `multi-dimensional array declarators are not supported by qaic; declare a typedef for the inner array (typedef T Row[${dims.length > 1 ? 'M' : 'N'}];) and use Row x[N]`,
        dims[1]?.span ?? span,
      );
    if (isComplex(base) || resolveAlias(base).kind === 'dmahandle') {
      this.report(
        QaicCodes.ARRAY_OF_COMPLEX,
        `fixed arrays of complex types are not supported (${describeType(base)}); use a sequence`,
        span,
      );
    }
    let t = base;
    for (let i = dims.length - 1; i >= 0; i--) {
      const dim = dims[i] as AstExpr;
      t = { kind: 'array', elem: t, length: this.bound(dim, scope) ?? 1 };
    }
    return t;
  }

  private bound(e: AstExpr, scope: Scope): number | undefined {
    const raw = this.evalExpr(e, scope, INT32_DOMAIN);
    if (!raw) return undefined;
    if (raw.kind !== 'int' || raw.value <= 0n || raw.value > 0x7fffffffn) {
      this.report(
        QaicCodes.BAD_BOUND,
        `bound must be a positive integer constant (got ${raw.kind === 'int' ? String(raw.value) : `a ${raw.kind}`})`,
        e.span,
      );
      return undefined;
    }
    return Number(raw.value);
  }

  private typeRef(t: AstType, scope: Scope, where: 'param' | 'member' | 'typedef' | 'const' | 'return' | 'elem'): TypeRef {
    switch (t.kind) {
      case 'prim':
        return { kind: 'prim', prim: t.prim, spelling: t.spelling };
      case 'dmahandle':
        return { kind: 'dmahandle' };
      case 'string': {
        const bound = t.bound ? this.bound(t.bound, scope) : undefined;
        return bound === undefined ? { kind: 'string', wide: t.wide } : { kind: 'string', wide: t.wide, bound };
      }
      case 'sequence': {
        if (t.elem.kind === 'sequence') {
          this.report(
            QaicCodes.SEQUENCE_OF_ANON_SEQUENCE,
            'a sequence of an anonymous sequence is not supported by qaic; typedef the inner sequence first (typedef sequence<T> Row; sequence<Row>)',
            t.elem.span,
          );
        }
        const elem = this.typeRef(t.elem, scope, 'elem');
        const bound = t.bound ? this.bound(t.bound, scope) : undefined;
        return bound === undefined ? { kind: 'sequence', elem } : { kind: 'sequence', elem, bound };
      }
      case 'inline': {
        const d = t.decl;
        if (d.kind === 'struct') {
          const decl = this.struct(d, scope);
          this.pendingInline.push(decl);
          return { kind: 'struct', decl };
        }
        if (d.kind === 'union') {
          const decl = this.union(d, scope);
          this.pendingInline.push(decl);
          return { kind: 'union', decl };
        }
        const decl = this.enum(d, scope);
        this.pendingInline.push(decl);
        return { kind: 'enum', decl };
      }
      case 'named': {
        if (t.name.parts.length > 1 && !t.name.absolute && (where === 'param' || where === 'member' || where === 'return')) {
          this.report(
            QaicCodes.SCOPED_NAME_AS_TYPE,
            `scoped name ${t.name.parts.join('::')} cannot be used directly as a ${where === 'member' ? 'member' : where === 'param' ? 'parameter' : 'return'} type (qaic fails on it); declare typedef ${t.name.parts.join('::')} ${t.name.parts[t.name.parts.length - 1] ?? 'T'}_t; and use that`,
            t.span,
          );
        }
        const found = this.lookup(t.name, scope, 'type');
        const fallback: TypeRef = { kind: 'prim', prim: 'int32', spelling: 'long' };
        if (!found) return fallback;
        const sym = found.sym;
        if (sym.kind === 'native') {
          if (where !== 'typedef')
            this.report(
              QaicCodes.NATIVE_TYPE,
              `native type ${sym.name} cannot be used in a ${where === 'member' ? 'struct member' : where === 'elem' ? 'sequence' : where === 'param' ? 'parameter' : where}`,
              t.span,
            );
          return fallback;
        }
        if (sym.kind !== 'decl') {
          this.report(
            QaicCodes.WRONG_KIND,
            `${t.name.parts.join('::')} is ${sym.kind === 'enumerator' ? 'an enumerator' : 'a method'}, not a type`,
            t.span,
          );
          return fallback;
        }
        const d = sym.decl;
        if (this.open.has(d)) {
          this.report(QaicCodes.RECURSIVE_TYPE, `${d.kind} ${d.name} refers to itself: recursive types are not supported`, t.span);
          return fallback;
        }
        switch (d.kind) {
          case 'struct':
            return { kind: 'struct', decl: d };
          case 'union':
            return { kind: 'union', decl: d };
          case 'enum':
            return { kind: 'enum', decl: d };
          case 'typedef':
            return { kind: 'typedef', decl: d };
          case 'interface':
            return { kind: 'interface', decl: d };
          default:
            this.report(QaicCodes.WRONG_KIND, `${t.name.parts.join('::')} is a ${d.kind}, not a type`, t.span);
            return fallback;
        }
      }
    }
  }

  // ---- names ---------------------------------------------------------------------

  /** Names a lookup from `scope` could find (plus the built-in type names when a type is wanted), for suggestions. */
  private visibleNames(scope: Scope, want: string): string[] {
    const out: string[] = want === 'type' ? [...T.builtinTypeNames] : [];
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      out.push(...s.symbols.keys());
      for (let b = s.iface?.base; b; b = b.base) out.push(...(this.scopeOf(b)?.symbols.keys() ?? []));
    }
    return out;
  }

  /** Symbols of a scope, including those of an interface's bases (OMG inheritance of names). */
  private findIn(scope: Scope, name: string): Sym | undefined {
    const s = scope.symbols.get(name);
    if (s) return s;
    let b = scope.iface?.base;
    while (b) {
      const bs = this.scopeOf(b);
      const found = bs?.symbols.get(name);
      if (found) return found;
      b = b.base;
    }
    return undefined;
  }

  private scopeOf(decl: Decl): Scope | undefined {
    const parent = this.scopeByPath(decl.scope);
    const sym = parent?.symbols.get(decl.name);
    return sym?.kind === 'decl' ? sym.inner : undefined;
  }

  private scopeByPath(path: readonly string[]): Scope | undefined {
    let s: Scope | undefined = this.global;
    for (const p of path) {
      const sym: Sym | undefined = s?.symbols.get(p);
      s = sym?.kind === 'decl' ? sym.inner : undefined;
    }
    return s;
  }

  private findQuiet(name: string, scope: Scope): Decl | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const sym = this.findIn(s, name);
      if (sym) return sym.kind === 'decl' ? sym.decl : undefined;
    }
    return undefined;
  }

  private lookup(name: AstName, scope: Scope, want: 'type' | 'const'): { sym: Sym; foundIn: Scope } | undefined {
    const full = name.parts.join('::');
    if (name.absolute) {
      this.report(
        QaicCodes.ABSOLUTE_NAME,
        `fully qualified name ::${full} is not supported by qaic (it reports "not in scope"); drop the leading ::`,
        name.span,
      );
      return undefined;
    }
    const [first, ...rest] = name.parts;
    if (first === undefined) return undefined;
    let sym: Sym | undefined;
    let foundIn: Scope | undefined;
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      sym = this.findIn(s, first);
      if (sym) {
        foundIn = s;
        break;
      }
    }
    for (const part of rest) {
      if (!sym) break;
      const inner = sym.kind === 'decl' ? sym.inner : undefined;
      if (!inner) {
        this.report(QaicCodes.UNDECLARED, `${full}: ${first} is not a module or interface`, name.span);
        return undefined;
      }
      sym = this.findIn(inner, part);
      foundIn = inner;
    }
    if (!sym || !foundIn) {
      const near = name.parts.length === 1 ? didYouMean(first, this.visibleNames(scope, want)) : '';
      this.report(
        QaicCodes.UNDECLARED,
        near !== ''
          ? `${full} is not declared${near}`
          : `${full} is not declared (IDL names must be declared before use; is an #include missing?)`,
        name.span,
      );
      return undefined;
    }
    const owner = sym.kind === 'decl' ? sym.scope : sym.scope;
    if (want === 'const' && name.parts.length === 1 && owner.kind === 'module') {
      this.report(
        QaicCodes.UNQUALIFIED_MODULE_CONST,
        `not in scope: ${first} (qaic does not find module-level constants by their bare name; write ${[...owner.path, first].join('::')})`,
        name.span,
      );
      return undefined;
    }
    if (want === 'type' && owner.kind === 'module' && sym.kind === 'decl' && sym.decl.kind !== 'interface' && sym.decl.kind !== 'module') {
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        if (s.kind === 'interface' && startsWith(s.path, owner.path)) {
          this.report(
            QaicCodes.MODULE_TYPE_IN_INTERFACE,
            `type ${sym.decl.name} is declared at module level in ${owner.path.join('::')} and used by interface ${s.path[s.path.length - 1] ?? ''}: qaic names it ${[...s.path, sym.decl.name].join('_')} in the skel, which does not compile; declare it inside the interface or globally`,
            name.span,
          );
          break;
        }
      }
    }
    return { sym, foundIn };
  }

  private evalExpr(e: AstExpr, scope: Scope, dom?: IntDomain): RawValue | undefined {
    try {
      return evaluate(
        e,
        (ref) => {
          const found = this.lookup(ref.name, scope, 'const');
          if (!found) throw new ConstError('', ref);
          const sym = found.sym;
          if (sym.kind === 'enumerator') return { kind: 'int', value: BigInt(sym.value) };
          if (sym.kind === 'decl' && sym.decl.kind === 'const') {
            const raw = this.rawConsts.get(sym.decl);
            if (raw) return raw;
          }
          this.report(QaicCodes.WRONG_KIND, `${ref.name.parts.join('::')} is not a constant`, ref.span);
          throw new ConstError('', ref);
        },
        dom,
      );
    } catch (err) {
      if (err instanceof ConstError) {
        if (err.message !== '') this.report(err.code, err.message, err.expr.span);
        return undefined;
      }
      throw err;
    }
  }
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length > 0 && prefix.every((p, i) => path[i] === p);
}

function toNumber(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** A type that needs buffers beyond primIn/primROut (qaic's "complex"). */
export function isComplex(t: TypeRef, seen = new Set<unknown>()): boolean {
  const r = resolveAlias(t);
  switch (r.kind) {
    case 'string':
    case 'sequence':
      return true;
    case 'struct':
      if (seen.has(r.decl)) return false;
      seen.add(r.decl);
      return r.decl.members.some((m) => isComplex(m.type, seen));
    case 'union':
      if (seen.has(r.decl)) return false;
      seen.add(r.decl);
      return r.decl.cases.some((c) => isComplex(c.member.type, seen));
    case 'array':
      return isComplex(r.elem, seen);
    default:
      return false;
  }
}

function isComplexElement(t: TypeRef): boolean {
  return isComplex(t) || resolveAlias(t).kind === 'dmahandle';
}

function containsUnion(t: TypeRef, seen = new Set<unknown>()): boolean {
  const r = resolveAlias(t);
  switch (r.kind) {
    case 'union':
      return true;
    case 'struct':
      if (seen.has(r.decl)) return false;
      seen.add(r.decl);
      return r.decl.members.some((m) => containsUnion(m.type, seen));
    case 'sequence':
    case 'array':
      return containsUnion(r.elem, seen);
    default:
      return false;
  }
}

export function describeType(t: TypeRef): string {
  switch (t.kind) {
    case 'prim':
      return t.spelling;
    case 'string':
      return `${t.wide ? 'wstring' : 'string'}${t.bound !== undefined ? `<${t.bound}>` : ''}`;
    case 'sequence':
      return `sequence<${describeType(t.elem)}${t.bound !== undefined ? `, ${t.bound}` : ''}>`;
    case 'array':
      return `${describeType(t.elem)}[${t.length}]`;
    case 'dmahandle':
      return 'dmahandle';
    case 'enum':
    case 'struct':
    case 'union':
    case 'interface':
    case 'typedef':
      return t.decl.name;
  }
}
