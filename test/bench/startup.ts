/**
 * Start-up of the `dspidl` command, as CPU time (user + system) of the process against
 * `node -e 0` measured in the same run:
 * - `startup.version`: `dspidl --version`;
 * - `startup.check`: `dspidl check idl/apps_mem.idl -I idl`;
 * - `startup.generate`: `dspidl generate` of the 20 conformance IDLs in one process (19 roots;
 *   inc_ops.idl is a fragment spliced in by include_chain.idl and generated through it).
 *
 * CPU time rather than wall time: builds run the generator once per IDL file on busy machines,
 * and CPU time is what such a build pays whatever the load. Children's CPU time comes from
 * /proc/self/stat (cutime + cstime, in clock ticks), summed over a batch of runs so a tick's
 * resolution stays small. Batches of the commands are interleaved round by round, and the
 * figure is the median round. Runs the compiled CLI (`npm run build` first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { round, type BenchResult } from './result.ts';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const bin = join(root, 'bin', 'dspidl.mjs');

function clockTicksPerSecond(): number {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
}

/** CPU seconds used so far by this process's waited-for children. */
function childrenCpuSeconds(ticksPerSecond: number): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the parenthesised command name; cutime and cstime are fields 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
}

interface Command {
  readonly id: string;
  readonly args: readonly string[];
  readonly note: string;
}

function cpuPerRun(args: readonly string[], runs: number, ticks: number): number {
  const before = childrenCpuSeconds(ticks);
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr.toString()}`);
  }
  return (childrenCpuSeconds(ticks) - before) / runs;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function runStartupBench(rounds = 7, batch = 5): Promise<BenchResult[]> {
  if (!existsSync('/proc/self/stat')) throw new Error('the start-up benchmark reads children CPU time from /proc (Linux only)');
  if (!existsSync(join(root, 'dist', 'cli', 'program.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const out = mkdtempSync(join(tmpdir(), 'dspidl-bench-'));
  try {
    const confDir = 'test/conformance/qaic/idl';
    const roots = readdirSync(join(root, confDir))
      .filter((f) => f.endsWith('.idl') && f !== 'inc_ops.idl')
      .map((f) => `${confDir}/${f}`);
    const commands: Command[] = [
      { id: 'startup.version', args: [bin, '--version'], note: 'dspidl --version' },
      { id: 'startup.check', args: [bin, 'check', 'idl/apps_mem.idl', '-I', 'idl'], note: 'dspidl check idl/apps_mem.idl -I idl' },
      {
        id: 'startup.generate',
        args: [bin, 'generate', ...roots, '-I', confDir, '-o', out],
        note: `dspidl generate of the ${roots.length + 1} conformance IDLs in one process`,
      },
    ];
    const ticks = clockTicksPerSecond();
    const baseline: number[] = [];
    const ours = commands.map((): number[] => []);
    for (let r = 0; r < rounds; r++) {
      baseline.push(cpuPerRun(['-e', '0'], batch, ticks));
      commands.forEach((c, i) => ours[i]!.push(cpuPerRun(c.args, batch, ticks)));
    }
    const base = median(baseline);
    const load = loadavg()[0]?.toFixed(2) ?? '?';
    return commands.map((c, i) => {
      const value = median(ours[i]!);
      const ratios = ours[i]!.map((v, k) => v / baseline[k]!);
      return {
        id: c.id,
        value: round(value * 1000),
        unit: 'ms CPU',
        baseline: round(base * 1000),
        ratio: round(median(ratios), 2),
        spread: [round(Math.min(...ratios), 2), round(Math.max(...ratios), 2)],
        rounds,
        note: `${c.note} vs node -e 0, CPU time, median of ${rounds} rounds of ${batch} runs; load average ${load}`,
      };
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
