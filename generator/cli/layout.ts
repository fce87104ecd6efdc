/**
 * `dspidl layout <file> [-I dir] [--json]`: per method the scalars word, the primIn and
 * primROut layouts and where each parameter goes. `--json` prints the schema of the qaic
 * conformance layout.json.
 */
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { renderDiagnostics } from '../diagnostics/render.ts';
import { programLayoutJson } from '../model/layout.ts';
import { loadPrograms } from '../frontend.ts';
import { Exit, type CliIo } from './terminal.ts';
import type { QaicProgram } from '../model/qaic.ts';

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

export interface LayoutOptions {
  readonly includePath?: readonly string[];
  readonly define?: readonly string[];
  readonly json?: boolean;
}

/** `dspidl layout <file>`: the wire layout of every method, as a table or JSON. */
export function runLayout(file: string, opts: LayoutOptions, io: CliIo): number {
  const r = loadPrograms({ files: [file], includeDirs: opts.includePath ?? [], defines: opts.define ?? [] });
  if (r.diagnostics.length > 0) io.err(`${renderDiagnostics(r.diagnostics, { color: io.color, sources: r.sources })}\n`);
  if (hasErrors(r.diagnostics)) return Exit.FAILED;
  if (!r.programs.qaic) {
    io.err(`dspidl layout: ${file} is a QMI IDL file; layout describes FastRPC (QAIC) interfaces\n`);
    return Exit.FAILED;
  }
  io.out(opts.json ? `${JSON.stringify(programLayoutJson(r.programs.qaic), null, 2)}\n` : layoutTable(r.programs.qaic));
  return Exit.OK;
}
