/**
 * CST -> AST. The CST may be partial after error recovery, so every child is
 * treated as optional; a declaration whose name is missing is dropped (the
 * syntax error has been reported already).
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { PrimKind } from '../model/qaic.ts';
import type { SourceSpan } from '../source.ts';
import type { AstDecl, AstDeclarator, AstExpr, AstName, AstParam, AstType } from './ast.ts';
import { tokenSpan, type QToken } from './preprocess.ts';

function isNode(e: CstElement | undefined): e is CstNode {
  return e !== undefined && 'children' in e;
}
function isToken(e: CstElement | undefined): e is IToken {
  return e !== undefined && !('children' in e);
}

function nodes(n: CstNode, key: string): CstNode[] {
  return (n.children[key] ?? []).filter(isNode);
}
function node(n: CstNode, key: string, i = 0): CstNode | undefined {
  return nodes(n, key)[i];
}
function toks(n: CstNode, key: string): QToken[] {
  return (n.children[key] ?? []).filter(isToken).filter((t) => !t.isInsertedInRecovery && t.image !== '') as QToken[];
}
function tok(n: CstNode, key: string, i = 0): QToken | undefined {
  return toks(n, key)[i];
}

/** First real token under a node, by position (for spans and doc comments). */
function firstToken(n: CstNode): QToken | undefined {
  let best: QToken | undefined;
  for (const list of Object.values(n.children)) {
    for (const e of list) {
      const t = isNode(e) ? firstToken(e) : isToken(e) && !e.isInsertedInRecovery && e.image !== '' ? (e as QToken) : undefined;
      if (t && (best === undefined || t.startOffset < best.startOffset)) best = t;
    }
  }
  return best;
}

function span(t: QToken): SourceSpan {
  return tokenSpan(t);
}

function nodeSpan(n: CstNode, fallback: SourceSpan): SourceSpan {
  const t = firstToken(n);
  return t ? span(t) : fallback;
}

function docsOf(...ts: (QToken | undefined)[]): string[] {
  const out: string[] = [];
  const lead = ts[0];
  if (lead?.docs) out.push(...lead.docs);
  for (const t of ts.slice(1)) if (t?.trailing) out.push(...t.trailing);
  return out;
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

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

export class AstBuilder {
  constructor(private readonly fallback: SourceSpan) {}

  specification(cst: CstNode): AstDecl[] {
    return this.definitions(nodes(cst, 'definition'));
  }

  private definitions(defs: CstNode[]): AstDecl[] {
    const out: AstDecl[] = [];
    for (const d of defs) {
      const semi = tok(d, 'Semi');
      const inner = node(d, 'typeDcl') ?? node(d, 'constDcl') ?? node(d, 'interfaceDcl') ?? node(d, 'moduleDcl') ?? node(d, 'attrDcl') ?? node(d, 'opDcl');
      if (!inner) continue;
      out.push(...this.decl(inner, semi));
    }
    return out;
  }

  private decl(n: CstNode, semi: QToken | undefined): AstDecl[] {
    switch (n.name) {
      case 'typeDcl': {
        const inner = node(n, 'typedefDcl') ?? node(n, 'structType') ?? node(n, 'unionType') ?? node(n, 'enumType') ?? node(n, 'nativeDcl');
        return inner ? this.decl(inner, semi) : [];
      }
      case 'moduleDcl': {
        const name = tok(n, 'Identifier');
        if (!name) return [];
        const members = this.definitions(nodes(n, 'definition'));
        return [{ kind: 'module', name: name.image, members, doc: docsOf(tok(n, 'Kw_module'), semi), span: span(name), file: name.file }];
      }
      case 'interfaceDcl': {
        const name = tok(n, 'Identifier');
        if (!name) return [];
        const prefixTok = tok(n, 'Kw_local') ?? tok(n, 'Kw_ext_params');
        const first = prefixTok ?? tok(n, 'Kw_interface');
        const baseNode = node(n, 'scopedName');
        const body = tok(n, 'LCurly') !== undefined || nodes(n, 'export').length > 0;
        return [
          {
            kind: 'interface',
            name: name.image,
            prefix: prefixTok ? (prefixTok.image as 'local' | 'ext_params') : undefined,
            prefixSpan: prefixTok ? span(prefixTok) : undefined,
            forward: !body,
            base: baseNode ? this.scopedName(baseNode) : undefined,
            members: this.definitions(nodes(n, 'export')),
            doc: docsOf(first, semi),
            span: span(name),
            file: name.file,
          },
        ];
      }
      case 'typedefDcl': {
        const t = node(n, 'declTypeSpec');
        if (!t) return [];
        const type = this.declTypeSpec(t);
        const declarators = nodes(n, 'typedefDeclarator')
          .map((d) => this.declarator(d))
          .filter((d): d is AstDeclarator => d !== undefined);
        if (!type || declarators.length === 0) return [];
        const first = tok(n, 'Kw_typedef');
        return [{ kind: 'typedef', type, declarators, doc: docsOf(first, semi), span: declarators[0]?.span ?? this.fallback, file: first?.file ?? this.fallback.file }];
      }
      case 'nativeDcl': {
        const name = tok(n, 'Identifier');
        if (!name) return [];
        return [{ kind: 'native', name: name.image, doc: docsOf(tok(n, 'Kw_native'), semi), span: span(name), file: name.file }];
      }
      case 'structType': {
        const name = tok(n, 'Identifier');
        if (!name) return [];
        const members: { type: AstType; declarators: AstDeclarator[] }[] = [];
        for (const m of nodes(n, 'member')) {
          const t = node(m, 'declTypeSpec');
          const type = t ? this.declTypeSpec(t) : undefined;
          const msemi = tok(m, 'Semi');
          const commas = toks(m, 'Comma');
          const ds = nodes(m, 'declarator');
          const declarators: AstDeclarator[] = [];
          ds.forEach((d, i) => {
            const decl = this.declarator(d, i === 0 ? t : undefined, i < ds.length - 1 ? commas[i] : msemi);
            if (decl) declarators.push(decl);
          });
          if (type && declarators.length > 0) members.push({ type, declarators });
        }
        return [{ kind: 'struct', name: name.image, members, doc: docsOf(tok(n, 'Kw_struct'), semi), span: span(name), file: name.file }];
      }
      case 'unionType': {
        const name = tok(n, 'Identifier');
        const disc = node(n, 'typeSpec');
        const discriminator = disc ? this.typeSpec(disc) : undefined;
        if (!name || !discriminator) return [];
        const cases = [];
        for (const c of [...nodes(n, 'unionCase'), ...nodes(n, 'defaultCase')]) {
          const labels: (AstExpr | { kind: 'default'; span: SourceSpan })[] = [];
          const def = tok(c, 'Kw_default');
          if (def) labels.push({ kind: 'default', span: span(def) });
          for (const l of nodes(c, 'caseLabel')) {
            const e = node(l, 'constExpr');
            const ex = e ? this.expr(e) : undefined;
            if (ex) labels.push(ex);
          }
          const t = node(c, 'declTypeSpec');
          const type = t ? this.declTypeSpec(t) : undefined;
          const d = node(c, 'declarator');
          const declarator = d ? this.declarator(d, t, tok(c, 'Semi')) : undefined;
          if (type && declarator) cases.push({ labels, type, declarator });
        }
        return [{ kind: 'union', name: name.image, discriminator, cases, doc: docsOf(tok(n, 'Kw_union'), semi), span: span(name), file: name.file }];
      }
      case 'enumType': {
        const ids = toks(n, 'Identifier');
        const name = ids[0];
        if (!name) return [];
        const commas = toks(n, 'Comma');
        const enumerators = ids.slice(1).map((t, i) => ({ name: t.image, span: span(t), doc: docsOf(t, t, commas[i]) }));
        return [{ kind: 'enum', name: name.image, enumerators, doc: docsOf(tok(n, 'Kw_enum'), semi), span: span(name), file: name.file }];
      }
      case 'constDcl': {
        const name = tok(n, 'Identifier');
        const t = node(n, 'typeSpec');
        const e = node(n, 'constExpr');
        const type = t ? this.typeSpec(t) : undefined;
        const expr = e ? this.expr(e) : undefined;
        if (!name || !type || !expr) return [];
        return [{ kind: 'const', type, name: name.image, expr, doc: docsOf(tok(n, 'Kw_const'), semi), span: span(name), file: name.file }];
      }
      case 'attrDcl': {
        const t = node(n, 'typeSpec');
        const type = t ? this.typeSpec(t) : undefined;
        const names = toks(n, 'Identifier').map((x) => ({ name: x.image, span: span(x) }));
        const first = tok(n, 'Kw_readonly') ?? tok(n, 'Kw_attribute');
        if (!type || names.length === 0 || !first) return [];
        return [{ kind: 'attribute', readonly: tok(n, 'Kw_readonly') !== undefined, type, names, doc: docsOf(first, semi), span: names[0]?.span ?? span(first), file: first.file }];
      }
      case 'opDcl': {
        const ids = toks(n, 'Identifier');
        const bracket = tok(n, 'LBracket');
        const attrTok = bracket ? ids[0] : undefined;
        const name = bracket ? ids[1] : ids[0];
        if (!name) return [];
        const voidTok = tok(n, 'Kw_void');
        const rt = node(n, 'typeSpec');
        const returnType: AstType | 'void' | undefined = voidTok ? 'void' : rt ? this.typeSpec(rt) : undefined;
        if (!returnType) return [];
        const params: AstParam[] = [];
        for (const p of nodes(n, 'param')) {
          const pn = tok(p, 'Identifier');
          const pt = node(p, 'typeSpec');
          const modeNode = node(p, 'paramMode');
          const modeTok = modeNode ? (tok(modeNode, 'Kw_in') ?? tok(modeNode, 'Kw_rout') ?? tok(modeNode, 'Kw_inrout')) : undefined;
          const ptype = pt ? this.typeSpec(pt) : undefined;
          if (!pn || !ptype || !modeTok) continue;
          const nn = tok(p, 'Kw_notnil');
          params.push({ mode: modeTok.image as AstParam['mode'], notnil: nn ? span(nn) : undefined, type: ptype, name: pn.image, span: span(pn) });
        }
        const asyncToks = toks(n, 'Kw_async');
        const first = [bracket, ...asyncToks].filter((x): x is QToken => x !== undefined).sort((a, b) => a.startOffset - b.startOffset)[0] ?? voidTok ?? (rt ? firstToken(rt) : undefined);
        return [
          {
            kind: 'method',
            name: name.image,
            attribute: attrTok ? { name: attrTok.image, span: bracket ? span(bracket) : span(attrTok) } : undefined,
            async: asyncToks.length > 0,
            returnType,
            returnSpan: voidTok ? span(voidTok) : rt ? nodeSpan(rt, span(name)) : span(name),
            params,
            doc: docsOf(first, semi),
            span: span(name),
            file: name.file,
          },
        ];
      }
      default:
        return [];
    }
  }

  private declarator(d: CstNode, typeNode?: CstNode, after?: QToken): AstDeclarator | undefined {
    const id = tok(d, 'Identifier');
    const sized = tok(d, 'SizedName') ?? (d.children['SizedName'] ? undefined : undefined);
    const nameTok = id ?? sized ?? this.sizedIn(d);
    if (!nameTok) return undefined;
    const dims: AstExpr[] = [];
    for (const a of nodes(d, 'arraySuffix')) {
      const e = node(a, 'constExpr');
      const ex = e ? this.expr(e) : undefined;
      if (ex) dims.push(ex);
    }
    const lead = typeNode ? firstToken(typeNode) : undefined;
    return { name: nameTok.image, dims, span: span(nameTok), doc: docsOf(lead, nameTok, after), builtinName: id === undefined };
  }

  /** Sized-name keywords are stored under their own token names (`Kw_uint64`, ...). */
  private sizedIn(d: CstNode): QToken | undefined {
    for (const [key, list] of Object.entries(d.children)) {
      if (!key.startsWith('Kw_')) continue;
      const t = list.find(isToken);
      if (t && !t.isInsertedInRecovery && t.image !== '') return t as QToken;
    }
    return undefined;
  }

  scopedName(n: CstNode): AstName | undefined {
    const ids = toks(n, 'Identifier');
    if (ids.length === 0) return undefined;
    const lead = toks(n, 'DoubleColon');
    const absolute = lead.length > 0 && (lead[0]?.startOffset ?? 0) < (ids[0]?.startOffset ?? 0);
    const first = absolute ? (lead[0] as QToken) : (ids[0] as QToken);
    const last = ids[ids.length - 1] as QToken;
    const s = span(first);
    return { parts: ids.map((t) => t.image), absolute, span: { ...s, length: last.startOffset + last.image.length - first.startOffset } };
  }

  declTypeSpec(n: CstNode): AstType | undefined {
    const inner = node(n, 'structType') ?? node(n, 'unionType') ?? node(n, 'enumType');
    if (inner) {
      const [decl] = this.decl(inner, undefined);
      if (!decl || (decl.kind !== 'struct' && decl.kind !== 'union' && decl.kind !== 'enum')) return undefined;
      return { kind: 'inline', decl, span: decl.span };
    }
    const t = node(n, 'typeSpec');
    return t ? this.typeSpec(t) : undefined;
  }

  typeSpec(n: CstNode): AstType | undefined {
    const dma = tok(n, 'Kw_dmahandle');
    if (dma) return { kind: 'dmahandle', span: span(dma) };
    const p = node(n, 'primType');
    if (p) return this.primType(p);
    const s = node(n, 'sequenceType');
    if (s) {
      const et = node(s, 'typeSpec');
      const elem = et ? this.typeSpec(et) : undefined;
      const seqTok = tok(s, 'Kw_sequence');
      if (!elem || !seqTok) return undefined;
      const b = node(s, 'constExpr');
      return { kind: 'sequence', elem, bound: b ? this.expr(b) : undefined, span: span(seqTok) };
    }
    const st = node(n, 'stringType');
    if (st) {
      const kwTok = tok(st, 'Kw_string') ?? tok(st, 'Kw_wstring');
      if (!kwTok) return undefined;
      const b = node(st, 'constExpr');
      return { kind: 'string', wide: kwTok.image === 'wstring', bound: b ? this.expr(b) : undefined, span: span(kwTok) };
    }
    const sn = node(n, 'scopedName');
    if (sn) {
      const name = this.scopedName(sn);
      return name ? { kind: 'named', name, span: name.span } : undefined;
    }
    return undefined;
  }

  private primType(n: CstNode): AstType | undefined {
    const all: QToken[] = [];
    for (const list of Object.values(n.children)) for (const e of list) if (isToken(e) && !e.isInsertedInRecovery && e.image !== '') all.push(e as QToken);
    all.sort((a, b) => a.startOffset - b.startOffset);
    const first = all[0];
    if (!first) return undefined;
    const spelling = all.map((t) => t.image).join(' ');
    const prim = PRIM_SPELLINGS[spelling];
    if (!prim) return undefined;
    const last = all[all.length - 1] as QToken;
    return { kind: 'prim', prim, spelling, span: { ...span(first), length: last.startOffset + last.image.length - first.startOffset } };
  }

  expr(n: CstNode): AstExpr | undefined {
    switch (n.name) {
      case 'constExpr':
      case 'xorExpr':
      case 'andExpr':
      case 'shiftExpr':
      case 'addExpr':
      case 'mulExpr': {
        const childKey = { constExpr: 'xorExpr', xorExpr: 'andExpr', andExpr: 'shiftExpr', shiftExpr: 'addExpr', addExpr: 'mulExpr', mulExpr: 'unaryExpr' }[n.name] as string;
        const operands = nodes(n, childKey);
        const ops: QToken[] = [];
        for (const [key, list] of Object.entries(n.children)) {
          if (key === childKey) continue;
          for (const e of list) if (isToken(e) && !e.isInsertedInRecovery) ops.push(e as QToken);
        }
        ops.sort((a, b) => a.startOffset - b.startOffset);
        const first = operands[0];
        let acc = first ? this.expr(first) : undefined;
        for (let i = 1; i < operands.length; i++) {
          const o = operands[i];
          const right = o ? this.expr(o) : undefined;
          const op = ops[i - 1];
          if (!acc || !right || !op) return undefined;
          acc = { kind: 'binary', op: op.image as '+', left: acc, right, span: { ...acc.span, length: Math.max(1, right.span.offset + right.span.length - acc.span.offset) } };
        }
        return acc;
      }
      case 'unaryExpr': {
        const p = node(n, 'primaryExpr');
        const operand = p ? this.expr(p) : undefined;
        if (!operand) return undefined;
        const op = tok(n, 'Minus') ?? tok(n, 'Plus') ?? tok(n, 'Tilde');
        if (!op) return operand;
        return { kind: 'unary', op: op.image as '-', operand, span: { ...span(op), length: operand.span.offset + operand.span.length - op.startOffset } };
      }
      case 'primaryExpr': {
        const inner = node(n, 'constExpr');
        if (inner) return this.expr(inner);
        const sn = node(n, 'scopedName');
        if (sn) {
          const name = this.scopedName(sn);
          return name ? { kind: 'ref', name, span: name.span } : undefined;
        }
        const t = firstToken(n);
        if (!t) return undefined;
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
          case 'Kw_TRUE':
            return { kind: 'bool', value: true, span: s };
          case 'Kw_FALSE':
            return { kind: 'bool', value: false, span: s };
          default:
            return undefined;
        }
      }
      default:
        return undefined;
    }
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
