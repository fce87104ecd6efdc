/**
 * Lines per function (declarations, methods, arrows, function expressions) of the TypeScript
 * files under the given directories, largest first. A class defined inside a function is its
 * own unit: its methods are measured, and its lines do not count toward the enclosing function.
 *   npx tsx tools/function-sizes.ts generator runtime/wire [--over N]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export interface FunctionSize {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly lines: number;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function nameOf(node: ts.Node, sf: ts.SourceFile): string {
  const n = (node as { name?: ts.Node }).name;
  if (n) return n.getText(sf);
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p)) return p.name.getText(sf);
  if (p && ts.isPropertyAssignment(p)) return p.name.getText(sf);
  return '(anonymous)';
}

/** Lines of class declarations and expressions directly inside a function (not in nested functions). */
function nestedClassLines(fn: ts.Node, sf: ts.SourceFile): number {
  let lines = 0;
  const visit = (n: ts.Node): void => {
    if (ts.isClassLike(n)) {
      lines += sf.getLineAndCharacterOfPosition(n.getEnd()).line - sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      return;
    }
    if (ts.isFunctionLike(n)) return;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn, visit);
  return lines;
}

/** Every function-like node with a body, with its length in lines. */
export function functionSizes(dirs: readonly string[]): FunctionSize[] {
  const out: FunctionSize[] = [];
  for (const file of dirs.flatMap(tsFiles)) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
        const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        out.push({ file, name: nameOf(node, sf), line: start + 1, lines: end - start + 1 - nestedClassLines(node, sf) });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out.sort((a, b) => b.lines - a.lines);
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--over');
  const over = at >= 0 ? Number(args[at + 1]) : 0;
  const dirs = args.filter((a, i) => a !== '--over' && args[i - 1] !== '--over');
  for (const f of functionSizes(dirs).filter((x) => x.lines > over))
    console.log(`${String(f.lines).padStart(5)}  ${f.file}:${f.line}  ${f.name}`);
}
