/**
 * TypeScript names for IDL names, one scheme for both dialects.
 *
 * The rule, as documented in the README:
 * 1. Case. Types (structs, enums, typedefs, interfaces, messages) are PascalCase, members,
 *    methods, parameters and fields are camelCase, constants and enumerators stay as written.
 *    Words are separated by `_` or `::`; each word keeps its own letters except the first:
 *    PascalCase upper-cases a word's first letter, camelCase lower-cases the first word (all of
 *    it when it is all capitals: `URI_path` -> `uriPath`). Leading and trailing underscores of
 *    member names are kept. A name that would start with a digit gets a leading `_`.
 * 2. Hostile names get a trailing `_`: JavaScript/TypeScript reserved words, the members of
 *    `Object.prototype` (`constructor`, `__proto__`, `toString`, ...), `then` (it would make
 *    clients thenable), and, for module-level names, the globals and built-in type names that
 *    generated code relies on (`Promise`, `Uint8Array`, `Error`, `string`, ...).
 * 3. Two IDL names that still map to one TypeScript name in the same scope are an error
 *    (NAME001) that points at both; nothing is renamed silently beyond rules 1 and 2.
 */

/** Words that cannot name a binding, parameter or type in strict-mode ESM TypeScript. */
const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval undefined ' +
    'NaN Infinity'
  ).split(' '),
);

/** Names TypeScript refuses as type names (`type string = ...` is an error). */
const BUILTIN_TYPE_NAMES: ReadonlySet<string> = new Set(
  'any unknown never object string number boolean bigint symbol void undefined null intrinsic'.split(' '),
);

/** Properties every object inherits: as keys of generated values they would misbehave. */
const OBJECT_PROTOTYPE_MEMBERS: ReadonlySet<string> = new Set([
  'constructor',
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
]);

/**
 * Globals and built-in types generated modules name. A module-level declaration with one of
 * these names would shadow it inside the module.
 */
const GLOBALS_USED_BY_GENERATED_CODE: ReadonlySet<string> = new Set([
  'Array',
  'ArrayBuffer',
  'BigInt',
  'Boolean',
  'DataView',
  'Error',
  'JSON',
  'Map',
  'Math',
  'Number',
  'Object',
  'Partial',
  'Promise',
  'PromiseLike',
  'Readonly',
  'ReadonlyArray',
  'Record',
  'Set',
  'String',
  'Symbol',
  'TypeError',
  'RangeError',
  'Uint8Array',
  'globalThis',
]);

/** Where a name is used; decides which hostile sets apply. */
export type NameRole =
  /** A module-level type or value: struct, enum, typedef, interface, message, constant. */
  | 'module'
  /** A property of a generated object type or value (struct member, field, rout, message element). */
  | 'property'
  /** A method of a generated class or implementation interface. */
  | 'method'
  /** A function parameter. */
  | 'parameter'
  /** A key of an `as const` object (enumerators, mask bits). */
  | 'key';

/** Why a name was changed beyond case conversion, or undefined when it was not. */
export function hostileReason(name: string, role: NameRole): string | undefined {
  if (OBJECT_PROTOTYPE_MEMBERS.has(name) && role !== 'parameter') return `'${name}' is a member of Object.prototype`;
  if (name === 'then' && role !== 'parameter') return `'then' would make generated objects thenable`;
  if (role === 'key') return undefined;
  if (RESERVED_WORDS.has(name) && role !== 'property') return `'${name}' is a reserved word`;
  if (role === 'module' && BUILTIN_TYPE_NAMES.has(name)) return `'${name}' is a built-in type name`;
  if (role === 'module' && GLOBALS_USED_BY_GENERATED_CODE.has(name)) return `'${name}' is a global that generated code uses`;
  return undefined;
}

/** Applies rule 2: a hostile name gets a trailing `_` (again while the result is still hostile). */
export function safeName(name: string, role: NameRole): string {
  let out = name;
  while (hostileReason(out, role) !== undefined) out = `${out}_`;
  return out;
}

function splitWords(name: string): { lead: string; words: string[]; trail: string } {
  const m = /^(_*)(.*?)(_*)$/s.exec(name);
  const body = m?.[2] ?? name;
  return { lead: m?.[1] ?? '', words: body.split(/::|_+/).filter((w) => w !== ''), trail: m?.[3] ?? '' };
}

const upperFirst = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
const isAllCaps = (w: string): boolean => /^[A-Z][A-Z0-9]*$/.test(w);
const lowerFirstWord = (w: string): string => (isAllCaps(w) ? w.toLowerCase() : w.charAt(0).toLowerCase() + w.slice(1));
const digitGuard = (s: string): string => (/^[0-9]/.test(s) ? `_${s}` : s);

/** `apps_mem` -> `AppsMem`, `palette::paint` -> `PalettePaint`, `AEEResult` -> `AEEResult`. */
export function pascalCase(name: string): string {
  const s = splitWords(name).words.map(upperFirst).join('');
  return s === '' ? '_' : digitGuard(s);
}

/** `request_map64` -> `requestMap64`, `URI_path` -> `uriPath`, `_x` -> `_x`. */
export function camelCase(name: string): string {
  const { lead, words, trail } = splitWords(name);
  if (words.length === 0) return name === '' ? '_' : name;
  const [first, ...rest] = words as [string, ...string[]];
  const s = lead + lowerFirstWord(first) + rest.map(upperFirst).join('') + trail;
  return lead === '' ? digitGuard(s) : s;
}

/** The TypeScript name of a type-like declaration. */
export const typeName = (idlName: string): string => safeName(pascalCase(idlName), 'module');
/** The TypeScript name of a member, field, rout or message element. */
export const propertyName = (idlName: string): string => safeName(camelCase(idlName), 'property');
/** The TypeScript name of a method. */
export const methodName = (idlName: string): string => safeName(camelCase(idlName), 'method');
/** The TypeScript name of a parameter. */
export const parameterName = (idlName: string): string => safeName(camelCase(idlName), 'parameter');
/** The name of a module-level constant: as written, unless hostile. */
export const constantName = (idlName: string): string => safeName(idlName, 'module');
/** The key of an enumerator or mask bit: as written, unless hostile. */
export const keyName = (idlName: string): string => safeName(idlName, 'key');

/** One IDL name in a scope, with where it comes from (for collision reports). */
export interface NamedItem<S> {
  readonly idlName: string;
  readonly tsName: string;
  readonly site: S;
}

/** Groups items by TypeScript name; returns each later item that collides with an earlier one. */
export function findCollisions<S>(items: readonly NamedItem<S>[]): { first: NamedItem<S>; second: NamedItem<S> }[] {
  const seen = new Map<string, NamedItem<S>>();
  const out: { first: NamedItem<S>; second: NamedItem<S> }[] = [];
  for (const item of items) {
    const prev = seen.get(item.tsName);
    if (prev === undefined) seen.set(item.tsName, item);
    else if (prev.idlName !== item.idlName) out.push({ first: prev, second: item });
  }
  return out;
}
