/**
 * `generate.vs_node_startup`: wall time of `dspidl generate` over idl/ and the qaic
 * conformance IDLs, against `node -e 0` started the same way in the same run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratioResult, type BenchResult } from './result.ts';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function timeRun(cmd: string, args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    const t1 = process.hrtime.bigint();
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.toString()}`);
    times.push(Number(t1 - t0));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

export async function runGenerateBench(runs = 5): Promise<BenchResult[]> {
  const out = mkdtempSync(join(tmpdir(), 'dspidl-bench-'));
  try {
    const idl = (dir: string) =>
      readdirSync(join(root, dir))
        .filter((f) => f.endsWith('.idl') && f !== 'inc_ops.idl')
        .map((f) => join(dir, f));
    const files = [...idl('idl'), ...idl('test/conformance/qaic/idl')];
    const cli = join(root, 'bin/dspidl.mjs');
    const ours = timeRun(process.execPath, [cli, 'generate', ...files, '-I', 'idl', '-I', 'test/conformance/qaic/idl', '-o', out], runs);
    const base = timeRun(process.execPath, ['-e', '0'], runs);
    return [
      ratioResult('generate.vs_node_startup', ours, base, `dspidl generate of ${files.length} IDL files vs node -e 0 (median of ${runs})`),
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
