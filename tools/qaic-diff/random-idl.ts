/**
 * Seeded random QAIC IDL files for the differential runner: every construct the conformance
 * IDLs cover (all primitive spellings, enums, typedefs, simple and complex structs with padding
 * and nesting, fixed arrays, sequences of everything, strings and wstrings, bounded forms,
 * in/rout/inrout, plain and remote_handle64 interfaces, more than 31 methods, dmahandles, async,
 * [oneway]), within what qaic generates usable C for (test/conformance/qaic/README.md lists
 * what it refuses or breaks). `invalidIdl` makes files qaic must refuse.
 */

/** xorshift32: the same seed gives the same files on every machine. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  int(n: number): number {
    return this.next() % n;
  }
  chance(p: number): boolean {
    return this.next() / 0x100000000 < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

/** Primitive spellings, grouped so that every wire size and every alias appears. */
const PRIMS = [
  'octet',
  'char',
  'boolean',
  'int8',
  'uint8',
  'int8_t',
  'uint8_t',
  'short',
  'unsigned short',
  'wchar',
  'int16',
  'uint16_t',
  'long',
  'unsigned long',
  'int32',
  'uint32_t',
  'float',
  'long long',
  'unsigned long long',
  'int64_t',
  'uint64',
  'double',
] as const;

/** A type as the generator knows it: its IDL spelling and whether it is complex (needs extra buffers). */
interface Ty {
  readonly idl: string;
  readonly complex: boolean;
  /** Contains a dmahandle (allowed only as a parameter or in a sequence). */
  readonly dma?: boolean;
  /** A string or wstring (async methods may not return them). */
  readonly str?: boolean;
}

class FileGen {
  private readonly decls: string[] = [];
  private readonly simple: Ty[] = [];
  private readonly complexTypes: Ty[] = [];
  private n = 0;

  constructor(private readonly r: Rng) {}

  private name(prefix: string): string {
    return `${prefix}${this.n++}`;
  }

  prim(): Ty {
    return { idl: this.r.pick(PRIMS), complex: false };
  }

  /** Declares the file's named types: enums, typedefs, simple and complex structs. */
  declareTypes(): void {
    for (let i = 0, n = this.r.int(3); i < n; i++) {
      const e = this.name('E');
      // qaic's enums take no explicit values: enumerators count from 0.
      const items = Array.from({ length: 1 + this.r.int(4) }, (_, k) => `${e}_${k}`);
      this.decls.push(`enum ${e} { ${items.join(', ')} };`);
      this.simple.push({ idl: e, complex: false });
    }
    for (let i = 0, n = 1 + this.r.int(3); i < n; i++) this.simpleStruct();
    for (let i = 0, n = this.r.int(3); i < n; i++) this.typedef();
    for (let i = 0, n = this.r.int(3); i < n; i++) this.complexStruct();
  }

  private simpleMember(): Ty {
    const r = this.r.int(10);
    if (r < 6 || this.simple.length === 0) return this.prim();
    return this.r.pick(this.simple);
  }

  private simpleStruct(): void {
    const s = this.name('S');
    const members = Array.from({ length: 1 + this.r.int(4) }, (_, k) => {
      const t = this.simpleMember();
      const arr = this.r.chance(0.2) ? `[${1 + this.r.int(3)}]` : '';
      return `${t.idl} m${k}${arr};`;
    });
    this.decls.push(`struct ${s} { ${members.join(' ')} };`);
    this.simple.push({ idl: s, complex: false });
  }

  private typedef(): void {
    const t = this.name('T');
    const kind = this.r.int(3);
    if (kind === 0) {
      const base = this.simpleMember();
      this.decls.push(`typedef ${base.idl} ${t}[${1 + this.r.int(3)}];`);
      this.simple.push({ idl: t, complex: false });
    } else if (kind === 1) {
      const base = this.simpleMember();
      this.decls.push(`typedef ${base.idl} ${t};`);
      this.simple.push({ idl: t, complex: false });
    } else {
      const el = this.simpleMember();
      this.decls.push(`typedef sequence<${el.idl}${this.r.chance(0.3) ? `, ${1 + this.r.int(8)}` : ''}> ${t};`);
      this.complexTypes.push({ idl: t, complex: true });
    }
  }

  private complexMember(): Ty {
    const r = this.r.int(8);
    if (r === 0) return { idl: this.r.chance(0.3) ? 'wstring' : 'string', complex: true, str: true };
    if (r === 1 && this.complexTypes.length > 0) return this.r.pick(this.complexTypes);
    if (r === 2) return { idl: `sequence<${this.simpleMember().idl}>`, complex: true };
    if (r === 3 && this.complexTypes.length === 0) return { idl: 'sequence<string>', complex: true };
    if (r === 3 && this.complexTypes.length > 0) return { idl: `sequence<${this.r.pick(this.complexTypes).idl}>`, complex: true };
    return this.simpleMember();
  }

  private complexStruct(): void {
    const s = this.name('C');
    const ms: Ty[] = [{ idl: this.r.chance(0.5) ? 'string' : `sequence<${this.simpleMember().idl}>`, complex: true }];
    for (let i = 0, n = this.r.int(3); i < n; i++) ms.splice(this.r.int(ms.length + 1), 0, this.complexMember());
    this.decls.push(`struct ${s} { ${ms.map((m, k) => `${m.idl} m${k};`).join(' ')} };`);
    this.complexTypes.push({ idl: s, complex: true });
  }

  /** A parameter type of any kind. */
  paramType(mode: 'in' | 'rout' | 'inrout'): Ty {
    const r = this.r.int(20);
    if (r < 6) return this.prim();
    if (r < 9) return this.r.pick(this.simple.length > 0 ? this.simple : [this.prim()]);
    if (r < 11) return { idl: this.r.pick(['string', 'wstring', `string<${1 + this.r.int(16)}>`]), complex: true, str: true };
    if (r < 14) {
      const el = this.r.chance(0.7) ? this.simpleMember() : this.paramElement();
      const bound = this.r.chance(0.2) ? `, ${1 + this.r.int(8)}` : '';
      return { idl: `sequence<${el.idl}${bound}>`, complex: true, ...(el.str ? { str: true } : {}) };
    }
    if (r < 16 && this.complexTypes.length > 0) return this.r.pick(this.complexTypes);
    if (r < 18 && mode === 'in') return { idl: this.r.chance(0.7) ? 'dmahandle' : 'sequence<dmahandle>', complex: false, dma: true };
    if (r < 18) return { idl: 'dmahandle', complex: false, dma: true };
    return this.prim();
  }

  private paramElement(): Ty {
    if (this.complexTypes.length > 0 && this.r.chance(0.5)) return this.r.pick(this.complexTypes);
    // qaic cannot nest an anonymous sequence directly in another: go through a typedef or a string.
    return { idl: 'string', complex: true, str: true };
  }

  method(index: number, handle64: boolean): string {
    const kind = this.r.int(12);
    const async = handle64 && kind === 0;
    const oneway = kind === 1;
    const params: string[] = [];
    for (let i = 0, n = this.r.int(5); i < n; i++) {
      let mode: 'in' | 'rout' | 'inrout' = this.r.pick(['in', 'in', 'rout', 'rout', 'inrout']);
      if (oneway) mode = 'in';
      const t = this.paramType(mode);
      // async: no rout primitives (QAIC042) and no rout strings (qaic's primType refuses them).
      if (async && mode !== 'in' && (!t.complex || t.str || t.dma)) mode = 'in';
      if (t.dma && mode === 'inrout') mode = 'in';
      // qaic refuses inrout for complex types (QAIC041): keep a few so the refusal stays covered.
      if (t.complex && mode === 'inrout' && !this.r.chance(0.03)) mode = this.r.pick(['in', 'rout']);
      params.push(`${mode} ${t.idl} p${i}`);
    }
    const ret = this.r.chance(0.85) ? 'AEEResult' : this.r.pick(['long', 'unsigned long', 'void']);
    return `   ${async ? 'async ' : oneway ? '[oneway] ' : ''}${ret} f${index}(${params.join(', ')});`;
  }

  interface(name: string): string {
    const handle64 = this.r.chance(0.5);
    const count = this.r.chance(0.1) ? 32 + this.r.int(8) : 1 + this.r.int(6);
    const methods = Array.from({ length: count }, (_, i) => this.method(i, handle64));
    return `interface ${name}${handle64 ? ' : remote_handle64' : ''} {\n${methods.join('\n')}\n};`;
  }

  text(interfaces: readonly string[]): string {
    return ['#include "AEEStdDef.idl"', '#include "remote.idl"', '', ...this.decls, '', ...interfaces, ''].join('\n');
  }
}

/** One random IDL file with `interfaces` interfaces named `<prefix>0`, `<prefix>1`, ... */
export function randomIdl(seed: number, prefix: string, interfaces: number): string {
  const g = new FileGen(new Rng(seed));
  g.declareTypes();
  return g.text(Array.from({ length: interfaces }, (_, i) => g.interface(`${prefix}${i}`)));
}

/** Constructs qaic refuses, each in a small file (for accept/reject agreement). */
export function invalidIdl(seed: number, prefix: string): string {
  const r = new Rng(seed);
  const head = '#include "AEEStdDef.idl"\n#include "remote.idl"\n';
  const cases = [
    `interface ${prefix} : remote_handle64 { async AEEResult f(rout ${r.pick(['string', 'wstring'])} s); };`,
    `interface ${prefix} : remote_handle64 { async AEEResult f(inrout string s); };`,
    `interface ${prefix} : remote_handle64 { async AEEResult f(rout long x); };`,
    `interface ${prefix} { [oneway] AEEResult f(rout long x); };`,
    `interface ${prefix} { AEEResult f(out long x); };`,
    `struct S { long a; }; struct S { long b; }; interface ${prefix} { AEEResult f(in S s); };`,
    `interface ${prefix} { AEEResult f(in undeclared_t x); };`,
    `struct S { S inner; }; interface ${prefix} { AEEResult f(in S s); };`,
    `interface ${prefix} { AEEResult f(in sequence<long> s; };`,
  ];
  return `${head}${r.pick(cases)}\n`;
}

/** Indices of every match of `re` in `text`. */
function positions(text: string, re: RegExp): number[] {
  return [...text.matchAll(re)].map((m) => m.index);
}

/**
 * A valid random file with one seeded mutation: a token dropped, a name made undeclared or
 * duplicated, a mode or an include removed. qaic's verdict on it is what dspidl must match,
 * whichever way it goes.
 */
export function mutatedIdl(seed: number, prefix: string): string {
  const r = new Rng(seed ^ 0x5bd1e995);
  const text = randomIdl(seed, prefix, 1);
  const at = (re: RegExp): number | undefined => {
    const ps = positions(text, re);
    return ps.length > 0 ? r.pick(ps) : undefined;
  };
  const splice = (i: number | undefined, len: number, insert: string): string =>
    i === undefined ? text : text.slice(0, i) + insert + text.slice(i + len);
  switch (r.int(9)) {
    case 0:
      return splice(at(/;/g), 1, '');
    case 1:
      return splice(at(/\}/g), 1, '');
    case 2:
      return splice(at(/\b(in|rout|inrout) /g), 0, 'out ');
    case 3:
      return text.replace(/\b([CS]\d+|T\d+)\b(?=[^\n]*\bp\d)/, 'Undeclared_t');
    case 4: {
      const m = /^ {3}.*f0\(.*$/m.exec(text);
      return m ? text.replace(m[0], `${m[0]}\n${m[0]}`) : text;
    }
    case 5:
      return text.replace('#include "remote.idl"', '');
    case 6:
      return text.replace(/ f0\(/, ' f0(in long p0, ');
    case 7:
      return splice(at(/ p\d+\)/g), 0, ' p0');
    default:
      return text.replace(
        /\n};\n$/,
        `\n   AEEResult fz(${r.pick(['in', 'rout'])} sequence<sequence<${r.pick(['long', 'octet', 'string'])}> > p0);\n};\n`,
      );
  }
}
