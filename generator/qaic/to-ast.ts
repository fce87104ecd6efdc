/**
 * CST -> AST through chevrotain's CST visitor, written against the CST types generated from the
 * grammar (cst.ts, the golden set `cst`): renaming a rule or a token breaks compilation here
 * instead of silently yielding `undefined`, and `validateVisitor()` checks that every rule has
 * a method. The AST is only built from a CST without syntax errors, so every child the grammar
 * requires is present.
 */
import type { CstNode, IToken } from 'chevrotain';
import type { PrimKind } from '../model/qaic.ts';
import type { SourceSpan } from '../source.ts';
import type {
  AstDecl,
  AstDeclarator,
  AstEnum,
  AstExpr,
  AstInterface,
  AstMethod,
  AstName,
  AstParam,
  AstStruct,
  AstType,
  AstUnion,
} from './ast.ts';
import type * as C from './cst.ts';
import { qaicParser } from './parser.ts';
import { tokenSpan, type QToken } from './preprocess.ts';

/** Tokens handed to the parser are preprocessed QTokens (with file and doc comments). */
const q = (t: IToken): QToken => t as QToken;
const first = (ts: readonly IToken[] | undefined): QToken | undefined => (ts?.[0] ? q(ts[0]) : undefined);
const span = (t: IToken): SourceSpan => tokenSpan(t);

/** Doc comments of a declaration: those before its first token, then those trailing the others. */
function docsOf(...ts: (QToken | undefined)[]): string[] {
  const out: string[] = [];
  const lead = ts[0];
  if (lead?.docs) out.push(...lead.docs);
  for (const t of ts.slice(1)) if (t?.trailing) out.push(...t.trailing);
  return out;
}

/** First token under a node, by position (for doc comments of declarators). */
function firstToken(n: CstNode): QToken | undefined {
  let best: QToken | undefined;
  for (const list of Object.values(n.children)) {
    for (const e of list) {
      const t = 'children' in e ? firstToken(e) : q(e);
      if (t && (best === undefined || t.startOffset < best.startOffset)) best = t;
    }
  }
  return best;
}

/** Every token directly under a node (not in sub-rules), in source order. */
function directTokens(children: Record<string, (IToken | CstNode)[] | undefined>): QToken[] {
  const out: QToken[] = [];
  for (const list of Object.values(children)) for (const e of list ?? []) if (!('children' in e)) out.push(q(e));
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

export function unescape(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body.charAt(++i);
    if (n in ESCAPES) out += ESCAPES[n];
    else if (n === 'x') {
      const m = /^[0-9a-fA-F]+/.exec(body.slice(i + 1));
      out += String.fromCharCode(m ? parseInt(m[0], 16) & 0xffff : 0);
      i += m ? m[0].length : 0;
    } else if (n === 'u') {
      const m = /^[0-9a-fA-F]{4}/.exec(body.slice(i + 1));
      out += String.fromCharCode(m ? parseInt(m[0], 16) : 0);
      i += m ? 4 : 0;
    } else if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i)) as RegExpExecArray;
      out += String.fromCharCode(parseInt(m[0], 8));
      i += m[0].length - 1;
    } else out += n;
  }
  return out;
}

type BinaryOp = (AstExpr & { kind: 'binary' })['op'];

/** One precedence level of a left-associative binary chain: operands and the operators between them. */
function binaryChain(operands: readonly AstExpr[], ops: readonly QToken[]): AstExpr {
  let acc = operands[0] as AstExpr;
  for (let i = 1; i < operands.length; i++) {
    const right = operands[i] as AstExpr;
    const op = ops[i - 1] as QToken;
    acc = {
      kind: 'binary',
      op: op.image as BinaryOp,
      left: acc,
      right,
      span: { ...acc.span, length: Math.max(1, right.span.offset + right.span.length - acc.span.offset) },
    };
  }
  return acc;
}

function literal(t: QToken): AstExpr {
  const s = span(t);
  switch (t.tokenType.name) {
    case 'IntLiteral': {
      const oct = t.image.length > 1 && t.image.startsWith('0');
      if (oct && /[89]/.test(t.image)) return { kind: 'int', value: BigInt(t.image), radix: 'dec', span: s };
      return { kind: 'int', value: oct ? BigInt(`0o${t.image.slice(1)}`) : BigInt(t.image), radix: oct ? 'oct' : 'dec', span: s };
    }
    case 'HexLiteral':
      return { kind: 'int', value: BigInt(t.image), radix: 'hex', span: s };
    case 'FloatLiteral':
      return { kind: 'float', value: Number(t.image.replace(/[fFdD]$/, '')), text: t.image, span: s };
    case 'CharLiteral':
    case 'WCharLiteral': {
      const wide = t.image.startsWith('L');
      const body = unescape(t.image.slice(wide ? 2 : 1, -1));
      return { kind: 'char', value: body.charCodeAt(0) || 0, wide, text: t.image, span: s };
    }
    case 'StringLiteral':
    case 'WStringLiteral': {
      const wide = t.image.startsWith('L');
      return { kind: 'string', value: unescape(t.image.slice(wide ? 2 : 1, -1)), wide, span: s };
    }
    default:
      return { kind: 'bool', value: t.tokenType.name === 'Kw_TRUE', span: s };
  }
}

export const PRIM_SPELLINGS: Readonly<Record<string, PrimKind>> = {
  octet: 'octet',
  char: 'char',
  boolean: 'boolean',
  wchar: 'wchar',
  short: 'int16',
  'unsigned short': 'uint16',
  long: 'int32',
  'unsigned long': 'uint32',
  'long long': 'int64',
  'unsigned long long': 'uint64',
  float: 'float',
  double: 'double',
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

/** The methods the visitor has, one per grammar rule (validateVisitor checks them at run time). */
type AstVisitor = InstanceType<ReturnType<typeof defineVisitor>>;

/**
 * The visitor class, built on first use: its base class comes from the parser instance, which
 * is itself built on first use. Methods take the node's children, typed by cst.ts.
 */
function defineVisitor() {
  const Base = qaicParser().getBaseCstVisitorConstructor<unknown, unknown>();
  return class QaicAstVisitor extends Base {
    constructor() {
      super();
      this.validateVisitor();
    }

    specification(c: C.SpecificationCstChildren): AstDecl[] {
      return (c.definition ?? []).flatMap((d) => (isBuilt(d) ? d.built : this.definition(d.children)));
    }

    definition(c: C.DefinitionCstChildren): AstDecl[] {
      const semi = first(c.Semi);
      if (c.typeDcl?.[0]) return this.typeDcl(c.typeDcl[0].children, semi);
      if (c.constDcl?.[0]) return [this.constDcl(c.constDcl[0].children, semi)];
      if (c.interfaceDcl?.[0]) return [this.interfaceDcl(c.interfaceDcl[0].children, semi)];
      if (c.moduleDcl?.[0]) return [this.moduleDcl(c.moduleDcl[0].children, semi)];
      return [];
    }

    moduleDcl(c: C.ModuleDclCstChildren, semi?: QToken): AstDecl {
      const name = q(c.Identifier[0] as IToken);
      const members = (c.definition ?? []).flatMap((d) => (isBuilt(d) ? d.built : this.definition(d.children)));
      return { kind: 'module', name: name.image, members, doc: docsOf(first(c.Kw_module), semi), span: span(name), file: name.file };
    }

    interfaceDcl(c: C.InterfaceDclCstChildren, semi?: QToken): AstInterface {
      const name = q(c.Identifier[0] as IToken);
      const prefixTok = first(c.Kw_local) ?? first(c.Kw_ext_params);
      const base = c.scopedName?.[0];
      return {
        kind: 'interface',
        name: name.image,
        prefix: prefixTok ? (prefixTok.image as 'local' | 'ext_params') : undefined,
        prefixSpan: prefixTok ? span(prefixTok) : undefined,
        forward: c.LCurly === undefined,
        base: base ? this.scopedName(base.children) : undefined,
        members: (c.export ?? []).flatMap((e) => (isBuilt(e) ? e.built : this.export(e.children))),
        doc: docsOf(prefixTok ?? first(c.Kw_interface), semi),
        span: span(name),
        file: name.file,
      };
    }

    export(c: C.ExportCstChildren): AstDecl[] {
      const semi = first(c.Semi);
      if (c.typeDcl?.[0]) return this.typeDcl(c.typeDcl[0].children, semi);
      if (c.constDcl?.[0]) return [this.constDcl(c.constDcl[0].children, semi)];
      if (c.attrDcl?.[0]) return [this.attrDcl(c.attrDcl[0].children, semi)];
      if (c.opDcl?.[0]) return [this.opDcl(c.opDcl[0].children, semi)];
      return [];
    }

    typeDcl(c: C.TypeDclCstChildren, semi?: QToken): AstDecl[] {
      if (c.typedefDcl?.[0]) return [this.typedefDcl(c.typedefDcl[0].children, semi)];
      if (c.structType?.[0]) return [this.structType(c.structType[0].children, semi)];
      if (c.unionType?.[0]) return [this.unionType(c.unionType[0].children, semi)];
      if (c.enumType?.[0]) return [this.enumType(c.enumType[0].children, semi)];
      if (c.nativeDcl?.[0]) return [this.nativeDcl(c.nativeDcl[0].children, semi)];
      return [];
    }

    typedefDcl(c: C.TypedefDclCstChildren, semi?: QToken): AstDecl {
      const type = this.declTypeSpec((c.declTypeSpec[0] as C.DeclTypeSpecCstNode).children);
      const declarators = c.typedefDeclarator.map((d) => this.typedefDeclarator(d.children));
      const kw = q(c.Kw_typedef[0] as IToken);
      return { kind: 'typedef', type, declarators, doc: docsOf(kw, semi), span: declarators[0]?.span ?? span(kw), file: kw.file };
    }

    /** Like a declarator, but the sized built-in names are allowed (legacy AEEStdDef.idl). */
    typedefDeclarator(c: C.TypedefDeclaratorCstChildren): AstDeclarator {
      const id = first(c.Identifier);
      // A sized name's token is the keyword itself (Kw_uint64, ...), in the SizedName category.
      const nameTok = id ?? first(c.SizedName) ?? directTokens(c)[0];
      if (!nameTok) throw new Error('typedef declarator without a name');
      return {
        name: nameTok.image,
        dims: this.dims(c.arraySuffix),
        span: span(nameTok),
        doc: docsOf(undefined, nameTok),
        builtinName: id === undefined,
      };
    }

    nativeDcl(c: C.NativeDclCstChildren, semi?: QToken): AstDecl {
      const name = q(c.Identifier[0] as IToken);
      return { kind: 'native', name: name.image, doc: docsOf(first(c.Kw_native), semi), span: span(name), file: name.file };
    }

    structType(c: C.StructTypeCstChildren, semi?: QToken): AstStruct {
      const name = q(c.Identifier[0] as IToken);
      return {
        kind: 'struct',
        name: name.image,
        members: c.member.map((m) => this.member(m.children)),
        doc: docsOf(first(c.Kw_struct), semi),
        span: span(name),
        file: name.file,
      };
    }

    member(c: C.MemberCstChildren): { type: AstType; declarators: AstDeclarator[] } {
      const typeNode = c.declTypeSpec[0] as C.DeclTypeSpecCstNode;
      const commas = (c.Comma ?? []).map(q);
      const semi = first(c.Semi);
      const declarators = c.declarator.map((d, i) =>
        this.declarator(d.children, i === 0 ? firstToken(typeNode) : undefined, i < c.declarator.length - 1 ? commas[i] : semi),
      );
      return { type: this.declTypeSpec(typeNode.children), declarators };
    }

    declarator(c: C.DeclaratorCstChildren, lead?: QToken, after?: QToken): AstDeclarator {
      const name = q(c.Identifier[0] as IToken);
      return { name: name.image, dims: this.dims(c.arraySuffix), span: span(name), doc: docsOf(lead, name, after), builtinName: false };
    }

    dims(suffixes: readonly C.ArraySuffixCstNode[] | undefined): AstExpr[] {
      return (suffixes ?? []).map((a) => this.arraySuffix(a.children));
    }

    arraySuffix(c: C.ArraySuffixCstChildren): AstExpr {
      return this.constExpr((c.constExpr[0] as C.ConstExprCstNode).children);
    }

    unionType(c: C.UnionTypeCstChildren, semi?: QToken): AstUnion {
      const name = q(c.Identifier[0] as IToken);
      const discriminator = this.typeSpec((c.typeSpec[0] as C.TypeSpecCstNode).children);
      const cases = [
        ...(c.unionCase ?? []).map((u) => this.unionCase(u.children)),
        ...(c.defaultCase ?? []).map((d) => this.defaultCase(d.children)),
      ];
      return {
        kind: 'union',
        name: name.image,
        discriminator,
        cases,
        doc: docsOf(first(c.Kw_union), semi),
        span: span(name),
        file: name.file,
      };
    }

    unionCase(c: C.UnionCaseCstChildren): AstUnion['cases'][number] {
      const typeNode = c.declTypeSpec[0] as C.DeclTypeSpecCstNode;
      return {
        labels: c.caseLabel.map((l) => this.caseLabel(l.children)),
        type: this.declTypeSpec(typeNode.children),
        declarator: this.declarator((c.declarator[0] as C.DeclaratorCstNode).children, firstToken(typeNode), first(c.Semi)),
      };
    }

    defaultCase(c: C.DefaultCaseCstChildren): AstUnion['cases'][number] {
      const typeNode = c.declTypeSpec[0] as C.DeclTypeSpecCstNode;
      return {
        labels: [{ kind: 'default', span: span(c.Kw_default[0] as IToken) }],
        type: this.declTypeSpec(typeNode.children),
        declarator: this.declarator((c.declarator[0] as C.DeclaratorCstNode).children, firstToken(typeNode), first(c.Semi)),
      };
    }

    caseLabel(c: C.CaseLabelCstChildren): AstExpr {
      return this.constExpr((c.constExpr[0] as C.ConstExprCstNode).children);
    }

    enumType(c: C.EnumTypeCstChildren, semi?: QToken): AstEnum {
      const [name, ...ids] = c.Identifier.map(q) as [QToken, ...QToken[]];
      const commas = (c.Comma ?? []).map(q);
      const enumerators = ids.map((t, i) => ({ name: t.image, span: span(t), doc: docsOf(t, t, commas[i]) }));
      return { kind: 'enum', name: name.image, enumerators, doc: docsOf(first(c.Kw_enum), semi), span: span(name), file: name.file };
    }

    constDcl(c: C.ConstDclCstChildren, semi?: QToken): AstDecl {
      const name = q(c.Identifier[0] as IToken);
      const type = this.typeSpec((c.typeSpec[0] as C.TypeSpecCstNode).children);
      const expr = this.constExpr((c.constExpr[0] as C.ConstExprCstNode).children);
      return { kind: 'const', type, name: name.image, expr, doc: docsOf(first(c.Kw_const), semi), span: span(name), file: name.file };
    }

    attrDcl(c: C.AttrDclCstChildren, semi?: QToken): AstDecl {
      const type = this.typeSpec((c.typeSpec[0] as C.TypeSpecCstNode).children);
      const names = c.Identifier.map((x) => ({ name: x.image, span: span(x) }));
      const lead = first(c.Kw_readonly) ?? q(c.Kw_attribute[0] as IToken);
      return {
        kind: 'attribute',
        readonly: c.Kw_readonly !== undefined,
        type,
        names,
        doc: docsOf(lead, semi),
        span: names[0]?.span ?? span(lead),
        file: lead.file,
      };
    }

    opDcl(c: C.OpDclCstChildren, semi?: QToken): AstMethod {
      const ids = c.Identifier.map(q);
      const bracket = first(c.LBracket);
      // `[attr]` puts the attribute's name before the method's.
      const attrTok = bracket ? ids[0] : undefined;
      const name = (bracket ? ids[1] : ids[0]) as QToken;
      const voidTok = first(c.Kw_void);
      const rt = c.typeSpec?.[0];
      const asyncToks = (c.Kw_async ?? []).map(q);
      const lead =
        [bracket, ...asyncToks].filter((x): x is QToken => x !== undefined).sort((a, b) => a.startOffset - b.startOffset)[0] ??
        voidTok ??
        (rt ? firstToken(rt) : undefined);
      return {
        kind: 'method',
        name: name.image,
        attribute: attrTok && bracket ? { name: attrTok.image, span: span(bracket) } : undefined,
        async: asyncToks.length > 0,
        returnType: rt ? this.typeSpec(rt.children) : 'void',
        returnSpan: voidTok ? span(voidTok) : rt ? span(firstToken(rt) ?? name) : span(name),
        params: (c.param ?? []).map((p) => this.param(p.children)),
        doc: docsOf(lead, semi),
        span: span(name),
        file: name.file,
      };
    }

    param(c: C.ParamCstChildren): AstParam {
      const name = q(c.Identifier[0] as IToken);
      const notnil = first(c.Kw_notnil);
      return {
        mode: this.paramMode((c.paramMode[0] as C.ParamModeCstNode).children),
        notnil: notnil ? span(notnil) : undefined,
        type: this.typeSpec((c.typeSpec[0] as C.TypeSpecCstNode).children),
        name: name.image,
        span: span(name),
      };
    }

    paramMode(c: C.ParamModeCstChildren): AstParam['mode'] {
      return c.Kw_rout ? 'rout' : c.Kw_inrout ? 'inrout' : 'in';
    }

    /** A type, or a struct/union/enum defined in place. */
    declTypeSpec(c: C.DeclTypeSpecCstChildren): AstType {
      const decl = c.structType?.[0]
        ? this.structType(c.structType[0].children)
        : c.unionType?.[0]
          ? this.unionType(c.unionType[0].children)
          : c.enumType?.[0]
            ? this.enumType(c.enumType[0].children)
            : undefined;
      if (decl) return { kind: 'inline', decl, span: decl.span };
      return this.typeSpec((c.typeSpec?.[0] as C.TypeSpecCstNode).children);
    }

    typeSpec(c: C.TypeSpecCstChildren): AstType {
      const dma = first(c.Kw_dmahandle);
      if (dma) return { kind: 'dmahandle', span: span(dma) };
      if (c.primType?.[0]) return this.primType(c.primType[0].children);
      if (c.sequenceType?.[0]) return this.sequenceType(c.sequenceType[0].children);
      if (c.stringType?.[0]) return this.stringType(c.stringType[0].children);
      const name = this.scopedName((c.scopedName?.[0] as C.ScopedNameCstNode).children);
      return { kind: 'named', name, span: name.span };
    }

    primType(c: C.PrimTypeCstChildren): AstType {
      const all = directTokens(c);
      const head = all[0] as QToken;
      const last = all[all.length - 1] as QToken;
      const spelling = all.map((t) => t.image).join(' ');
      const prim = PRIM_SPELLINGS[spelling];
      if (!prim) throw new Error(`unknown primitive type '${spelling}'`);
      return { kind: 'prim', prim, spelling, span: { ...span(head), length: last.startOffset + last.image.length - head.startOffset } };
    }

    sequenceType(c: C.SequenceTypeCstChildren): AstType {
      const elem = this.typeSpec((c.typeSpec[0] as C.TypeSpecCstNode).children);
      const bound = c.constExpr?.[0];
      return { kind: 'sequence', elem, bound: bound ? this.constExpr(bound.children) : undefined, span: span(c.Kw_sequence[0] as IToken) };
    }

    stringType(c: C.StringTypeCstChildren): AstType {
      const kw = first(c.Kw_string) ?? (first(c.Kw_wstring) as QToken);
      const bound = c.constExpr?.[0];
      return { kind: 'string', wide: kw.image === 'wstring', bound: bound ? this.constExpr(bound.children) : undefined, span: span(kw) };
    }

    scopedName(c: C.ScopedNameCstChildren): AstName {
      const ids = c.Identifier.map(q);
      const lead = first(c.DoubleColon);
      const head = ids[0] as QToken;
      const absolute = lead !== undefined && lead.startOffset < head.startOffset;
      const start = absolute ? lead : head;
      const last = ids[ids.length - 1] as QToken;
      return {
        parts: ids.map((t) => t.image),
        absolute,
        span: { ...span(start), length: last.startOffset + last.image.length - start.startOffset },
      };
    }

    // Constant expressions, lowest precedence first: | ^ & shift additive multiplicative unary.
    constExpr(c: C.ConstExprCstChildren): AstExpr {
      return binaryChain(
        c.xorExpr.map((x) => this.xorExpr(x.children)),
        (c.Pipe ?? []).map(q),
      );
    }

    xorExpr(c: C.XorExprCstChildren): AstExpr {
      return binaryChain(
        c.andExpr.map((x) => this.andExpr(x.children)),
        (c.Caret ?? []).map(q),
      );
    }

    andExpr(c: C.AndExprCstChildren): AstExpr {
      return binaryChain(
        c.shiftExpr.map((x) => this.shiftExpr(x.children)),
        (c.Amp ?? []).map(q),
      );
    }

    shiftExpr(c: C.ShiftExprCstChildren): AstExpr {
      const ops = [...(c.ShiftLeft ?? []), ...(c.ShiftRight ?? [])].map(q).sort((a, b) => a.startOffset - b.startOffset);
      return binaryChain(
        c.addExpr.map((x) => this.addExpr(x.children)),
        ops,
      );
    }

    addExpr(c: C.AddExprCstChildren): AstExpr {
      const ops = [...(c.Plus ?? []), ...(c.Minus ?? [])].map(q).sort((a, b) => a.startOffset - b.startOffset);
      return binaryChain(
        c.mulExpr.map((x) => this.mulExpr(x.children)),
        ops,
      );
    }

    mulExpr(c: C.MulExprCstChildren): AstExpr {
      const ops = [...(c.Star ?? []), ...(c.Slash ?? []), ...(c.Percent ?? [])].map(q).sort((a, b) => a.startOffset - b.startOffset);
      return binaryChain(
        c.unaryExpr.map((x) => this.unaryExpr(x.children)),
        ops,
      );
    }

    unaryExpr(c: C.UnaryExprCstChildren): AstExpr {
      const operand = this.primaryExpr((c.primaryExpr[0] as C.PrimaryExprCstNode).children);
      const op = first(c.Minus) ?? first(c.Plus) ?? first(c.Tilde);
      if (!op) return operand;
      return {
        kind: 'unary',
        op: op.image as '-' | '+' | '~',
        operand,
        span: { ...span(op), length: operand.span.offset + operand.span.length - op.startOffset },
      };
    }

    primaryExpr(c: C.PrimaryExprCstChildren): AstExpr {
      if (c.constExpr?.[0]) return this.constExpr(c.constExpr[0].children);
      if (c.scopedName?.[0]) {
        const name = this.scopedName(c.scopedName[0].children);
        return { kind: 'ref', name, span: name.span };
      }
      return literal(directTokens(c)[0] as QToken);
    }
  };
}

let visitor: AstVisitor | undefined;

function astVisitor(): AstVisitor {
  if (!visitor) {
    const Visitor = defineVisitor();
    visitor = new Visitor();
  }
  return visitor;
}

function isSpecification(n: CstNode): n is C.SpecificationCstNode {
  return n.name === 'specification';
}

function isDefinition(n: CstNode): n is C.DefinitionCstNode {
  return n.name === 'definition';
}

function isExport(n: CstNode): n is C.ExportCstNode {
  return n.name === 'export';
}

/** A definition or export whose declarations buildEarly has already built. */
interface BuiltNode extends CstNode {
  readonly built: AstDecl[];
}

function isBuilt(n: CstNode): n is BuiltNode {
  return 'built' in n;
}

/**
 * For parseTokens: builds a complete definition's or export's declarations now and returns a
 * childless node that stands for them, so its syntax tree can be collected right away. A node
 * the visitor cannot build is kept as it is, and buildAst meets the same failure later.
 */
export function buildEarly(node: CstNode): CstNode {
  let decls: AstDecl[];
  try {
    if (isDefinition(node)) decls = astVisitor().definition(node.children);
    else if (isExport(node)) decls = astVisitor().export(node.children);
    else return node;
  } catch {
    return node;
  }
  const built: BuiltNode = { name: node.name, children: {}, built: decls };
  return built;
}

/** The declarations of a parsed translation unit (its CST must have no syntax errors). */
export function buildAst(cst: CstNode): AstDecl[] {
  if (!isSpecification(cst)) throw new Error(`expected a specification CST, got ${cst.name}`);
  return astVisitor().specification(cst.children);
}
