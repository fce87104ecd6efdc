/**
 * `dspidl layout <file> [-I dir] [--json]`: per method the scalars word, the primIn and
 * primROut layouts and where each parameter goes. `--json` prints the schema of the qaic
 * conformance layout.json.
 */
import type { Command } from 'commander';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { renderDiagnostics } from '../diagnostics/render.ts';
import { programLayoutJson } from '../model/layout.ts';
import { loadQaicProgram } from '../qaic/index.ts';
import type { QaicProgram } from '../model/qaic.ts';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface FieldJson {
  field: string;
  offset: number;
  size: number;
}
interface ParamJson {
  name: string;
  mode: string;
  type: string;
  primIn?: FieldJson[];
  primROut?: FieldJson[];
  inBuffer?: number;
  outBuffer?: number;
  inHandle?: number;
  outHandle?: number;
  nestedBuffers?: string[];
}
interface MethodJson {
  name: string;
  index: number;
  scalars: string;
  dynamic: boolean;
  primIn: { size: number; sizeSent: number; align: number };
  primROut: { size: number; sizeSent: number; align: number };
  inBuffers: number;
  outBuffers: number;
  inHandles: number;
  outHandles: number;
  params: ParamJson[];
}

/** The human-readable table. */
export function layoutTable(program: QaicProgram): string {
  const out: string[] = [];
  for (const iface of programLayoutJson(program).interfaces as { interface: string; cName: string; methods: MethodJson[] }[]) {
    out.push(`interface ${iface.interface} (${iface.cName})`);
    for (const m of iface.methods) {
      const pb = (p: { size: number; sizeSent: number; align: number }): string =>
        p.size === 0 ? '-' : `${p.size} (sent ${p.sizeSent}, align ${p.align})`;
      out.push(`  ${String(m.index).padStart(3)} ${m.name}  sc ${m.scalars}${m.dynamic ? ' (dynamic: counts for empty sequences)' : ''}`);
      out.push(
        `      in bufs ${m.inBuffers}, out bufs ${m.outBuffers}, in handles ${m.inHandles}, out handles ${m.outHandles}; primIn ${pb(m.primIn)}, primROut ${pb(m.primROut)}`,
      );
      for (const p of m.params) {
        const where: string[] = [];
        for (const f of p.primIn ?? []) where.push(`primIn ${f.field}@${f.offset}+${f.size}`);
        for (const f of p.primROut ?? []) where.push(`primROut ${f.field}@${f.offset}+${f.size}`);
        if (p.inBuffer !== undefined) where.push(`in buf ${p.inBuffer}`);
        if (p.outBuffer !== undefined) where.push(`out buf ${p.outBuffer}`);
        if (p.inHandle !== undefined) where.push(`in handle ${p.inHandle}`);
        if (p.outHandle !== undefined) where.push(`out handle ${p.outHandle}`);
        for (const n of p.nestedBuffers ?? []) where.push(n);
        out.push(`      ${p.mode.padEnd(6)} ${p.type} ${p.name}: ${where.join('; ')}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

export function registerLayout(program: Command): void {
  program
    .command('layout')
    .description('show the FastRPC wire layout of every method of a QAIC IDL file')
    .argument('<file>', 'QAIC IDL file')
    .option('-I, --include-path <dir>', 'add a directory to the #include search path (repeatable)', collect, [])
    .option('-D, --define <sym>', 'define a preprocessor symbol (repeatable)', collect, [])
    .option('--json', 'print JSON (the schema of the conformance layout.json)')
    .action((file: string, opts: { includePath: string[]; define: string[]; json?: boolean }) => {
      try {
        const r = loadQaicProgram({ files: [file], includeDirs: opts.includePath, defines: opts.define });
        if (r.diagnostics.length > 0)
          process.stderr.write(`${renderDiagnostics(r.diagnostics, { color: process.stderr.isTTY === true })}\n`);
        if (hasErrors(r.diagnostics)) {
          process.exitCode = 1;
          return;
        }
        process.stdout.write(opts.json ? `${JSON.stringify(programLayoutJson(r.value), null, 2)}\n` : layoutTable(r.value));
        process.exitCode = 0;
      } catch (err) {
        process.stderr.write(`dspidl layout: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 2;
      }
    });
}
