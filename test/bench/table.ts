/**
 * The README's performance table, rendered from test/bench/results.json: `npm run bench` writes
 * it after every run, `npx tsx test/bench/table.ts` rewrites it from the file alone, and a test
 * checks that the README shows what the file holds.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { BenchResult } from './result.ts';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  /** One-minute load average when the run started and when it ended. */
  readonly loadAverage: readonly [number, number];
  readonly date: string;
}

export interface BenchFile {
  readonly results: readonly (BenchResult & { readonly machine: Machine })[];
}

interface Goal {
  /** The ratio must be at most this. */
  readonly maxRatio?: number;
  /** Operations per second the subject must reach (from its ns/op). */
  readonly minPerSecond?: number;
}

/** Targets, by figure id; figures without one are tracked, not judged. */
export const GOALS: Readonly<Record<string, Goal>> = {
  'call.vs_direct': { maxRatio: 2 },
  'call.vs_protobuf_es': { maxRatio: 0.33 },
  'bulk.1MiB_vs_16B': { maxRatio: 1.5 },
  'bulk.worker_1MiB_vs_16B': { maxRatio: 1.5 },
  'reverse.vs_atomics': { maxRatio: 3, minPerSecond: 300_000 },
  'reverse.loaded_vs_nospin': { maxRatio: 1 },
  'startup.version': { maxRatio: 1.5 },
  'startup.check': { maxRatio: 2.5 },
  'startup.generate': { maxRatio: 4 },
  'generate.linear_10k': { maxRatio: 1.25 },
  'struct.nesting_4': { maxRatio: 1.2 },
  'struct.nesting_4_seq': { maxRatio: 1.2 },
};

export const README = new URL('../../README.md', import.meta.url);
export const RESULTS = new URL('./results.json', import.meta.url);
const START = '<!-- bench-table:start -->';
const END = '<!-- bench-table:end -->';

function time(x: number, unit: string): string {
  if (unit !== 'ns/op') return `${x} ${unit.replace(' CPU', '')}`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} ms`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(2)} µs`;
  return `${x.toFixed(0)} ns`;
}

function goalText(g: Goal | undefined): string {
  if (!g) return '–';
  const parts = [g.maxRatio !== undefined ? `≤ ${g.maxRatio}` : '', g.minPerSecond !== undefined ? `≥ ${g.minPerSecond / 1000}k/s` : ''];
  return parts.filter(Boolean).join(', ');
}

export function goalMet(r: BenchResult): boolean | undefined {
  const g = GOALS[r.id];
  if (!g) return undefined;
  const perSecond = r.unit === 'ns/op' && r.value > 0 ? 1e9 / r.value : Number.NaN;
  return (g.maxRatio === undefined || r.ratio <= g.maxRatio) && (g.minPerSecond === undefined || perSecond >= g.minPerSecond);
}

function machineLine(m: Machine): string {
  return `${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}, load average ${m.loadAverage[0]} → ${m.loadAverage[1]}, ${m.date.slice(0, 16).replace('T', ' ')} UTC`;
}

export function renderTable(file: BenchFile): string {
  const machines = [...new Set(file.results.map((r) => machineLine(r.machine)))];
  const lines = [
    machines.length === 1 ? `Measured on ${machines[0]}.` : machines.map((m, i) => `Run ${i + 1}: ${m}.`).join('\n'),
    '',
    `| id | ours | baseline | ratio (median) | spread | rounds | goal | met |${machines.length > 1 ? ' run |' : ''} measured |`,
    `| --- | --- | --- | --- | --- | --- | --- | --- |${machines.length > 1 ? ' --- |' : ''} --- |`,
  ];
  for (const r of file.results) {
    const met = goalMet(r);
    const cells = [
      `\`${r.id}\``,
      time(r.value, r.unit),
      time(r.baseline, r.unit),
      String(r.ratio),
      r.spread ? `${r.spread[0]} – ${r.spread[1]}` : '–',
      r.rounds !== undefined ? String(r.rounds) : '–',
      goalText(GOALS[r.id]),
      met === undefined ? '–' : met ? 'yes' : '**no**',
      ...(machines.length > 1 ? [String(machines.indexOf(machineLine(r.machine)) + 1)] : []),
      (r.note ?? '').replace(/\|/g, '\\|'),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The README with its table section replaced (the markers stay). */
export function withTable(readme: string, file: BenchFile): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${renderTable(file)}\n${readme.slice(end)}`;
}

export function writeReadmeTable(file: BenchFile): void {
  writeFileSync(README, withTable(readFileSync(README, 'utf8'), file));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeReadmeTable(JSON.parse(readFileSync(RESULTS, 'utf8')) as BenchFile);
}
