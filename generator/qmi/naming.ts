/** TypeScript names for IDL names: types PascalCase, members camelCase. */
const reserved = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'let', 'static', 'yield', 'await',
  'implements', 'interface', 'package', 'private', 'protected', 'public',
]);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/_+/)
    .filter((w) => w !== '');
}

export function pascalCase(name: string): string {
  const s = words(name)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('');
  return s === '' ? '_' : /^[0-9]/.test(s) ? `_${s}` : s;
}

export function camelCase(name: string): string {
  const p = pascalCase(name);
  const s = p.charAt(0).toLowerCase() + p.slice(1);
  return reserved.has(s) ? `${s}_` : s;
}
