/**
 * How costs grow, each as a ratio within one run:
 *
 * - `generate.linear_10k`: `compile()` (parse, resolve, lay out, emit TypeScript) of one
 *   interface with 10,000 methods, per method, against the same for 100 methods. 1.0 is linear.
 *   `generate.size_10_vs_100` and `generate.size_1k_vs_100` fill in the curve.
 * - `struct.nesting_4`: an in-process call (stub -> loopback -> skel -> implementation) whose
 *   argument is a struct nested 4 levels deep, against the same call with the same leaf members
 *   in one flat struct: what nesting costs by itself.
 * - `struct.nesting_4_seq`: the same with a `sequence<long>` at the innermost level.
 */
import { compile } from '../../generator/compile.ts';
import { interfaceDesc } from '../../generator/model/layout.ts';
import type { InterfaceDecl } from '../../generator/model/qaic.ts';
import { invokePlan } from '../../runtime/rpc/invoke.ts';
import { createSkel } from '../../runtime/rpc/skel.ts';
import { LoopbackTransport } from '../../runtime/transport/loopback.ts';
import { planAt } from '../../runtime/wire/plan.ts';
import { compare } from './measure.ts';
import { comparisonResult, type BenchResult } from './result.ts';

function idlWithMethods(n: number): string {
  const methods = Array.from({ length: n }, (_, i) => `  long m${i}(in long a, in sequence<octet> b, rout long c);`);
  return `interface big {\n${methods.join('\n')}\n};\n`;
}

function compileText(text: string): number {
  const path = '/bench/big.idl';
  const r = compile({ files: [path], readFile: (p) => (p === path ? text : undefined), includeDirs: [] });
  if (r.diagnostics.some((d) => d.severity === 'error')) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.files.reduce((n, f) => n + f.content.length, 0);
}

/**
 * compile() of files of `methods` methods against files of 100 methods, 10,000 methods of each
 * per batch, per method.
 */
async function generateScaling(id: string, methods: number): Promise<BenchResult> {
  const small = idlWithMethods(100);
  const sized = idlWithMethods(methods);
  const TOTAL = 10_000;
  let sink = 0;
  const c = await compare(
    () => {
      for (let i = 0; i < TOTAL / methods; i++) sink += compileText(sized);
    },
    () => {
      for (let i = 0; i < TOTAL / 100; i++) sink += compileText(small);
    },
    { batch: 1, rounds: 3, warmupRounds: 1 },
  );
  if (sink === 0) throw new Error('nothing generated');
  const perMethod = { ...c, ours: c.ours / TOTAL, baseline: c.baseline / TOTAL, harnessNs: c.harnessNs / TOTAL };
  const what = methods === 1 ? 'one method' : `${methods.toLocaleString('en-US')} methods`;
  const files = TOTAL / methods === 1 ? 'an interface' : `${TOTAL / methods} files of an interface`;
  return comparisonResult(id, perMethod, `compile() of ${files} with ${what} vs 100 files of 100 methods, per method`);
}

/** Client and skel of one interface compiled from `idl`, over a loopback transport. */
function callOf(idl: string, args: readonly unknown[]): () => Promise<unknown> {
  const path = '/bench/nest.idl';
  const r = compile({ files: [path], readFile: (p) => (p === path ? idl : undefined), includeDirs: [], parseOnly: true });
  const decl = r.programs.qaic?.files.get(path)?.decls.find((d): d is InterfaceDecl => d.kind === 'interface');
  if (!decl) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  const desc = interfaceDesc(decl);
  const loop = new LoopbackTransport().register(5, createSkel(desc, { f: () => undefined }));
  const plan = planAt(desc, 0);
  return () => invokePlan(loop, 5, plan, args, undefined);
}

async function nesting(id: string, withSeq: boolean): Promise<BenchResult> {
  const leaf = withSeq ? 'long a; long b; sequence<long> s;' : 'long a; long b;';
  const nested = `struct L0 { ${leaf} }; struct L1 { long x1; L0 inner; }; struct L2 { long x2; L1 inner; }; struct L3 { long x3; L2 inner; };
    interface n { long f(in L3 v); };`;
  const flat = `struct F { long x3; long x2; long x1; ${leaf} }; interface n { long f(in F v); };`;
  const leafValue = withSeq ? { a: 1, b: 2, s: [1, 2, 3, 4] } : { a: 1, b: 2 };
  const deep = callOf(nested, [{ x3: 3, inner: { x2: 2, inner: { x1: 1, inner: leafValue } } }]);
  const shallow = callOf(flat, [{ x3: 3, x2: 2, x1: 1, ...leafValue }]);
  const c = await compare(deep, shallow);
  return comparisonResult(
    id,
    c,
    `call with a struct nested 4 levels deep${withSeq ? ' holding a sequence<long>' : ''} vs the same members in one flat struct`,
  );
}

export async function runScalingBench(): Promise<BenchResult[]> {
  return [
    await generateScaling('generate.size_10_vs_100', 10),
    await generateScaling('generate.size_1k_vs_100', 1000),
    await generateScaling('generate.linear_10k', 10_000),
    await nesting('struct.nesting_4', false),
    await nesting('struct.nesting_4_seq', true),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runScalingBench()) console.log(JSON.stringify(r));
}
