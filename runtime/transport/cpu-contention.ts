/**
 * Whether more threads want to run than the machine has cores: when they do, a thread that polls
 * for its peer's answer takes the core the peer (or anyone else) needs, and sleeping is faster.
 * Linux says how many threads are runnable right now (the fourth field of /proc/loadavg, which
 * counts the thread reading it); it is read at most every `periodMs`. Elsewhere the one-minute
 * load average stands in, which reacts slowly but still stops polling on a busy machine.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

const LOADAVG = '/proc/loadavg';

/** Runnable threads now, from the text of /proc/loadavg ("0.50 0.40 0.30 3/120 4567"); undefined if unreadable. */
export function runnableOf(text: string): number | undefined {
  const m = /^\S+ \S+ \S+ (\d+)\//.exec(text);
  return m ? Number(m[1]) : undefined;
}

export class CpuContention {
  private nextSample = 0;
  private contended = false;
  private procReadable = true;

  constructor(
    readonly cores: number = availableParallelism(),
    readonly periodMs: number = 50,
    /** Where the runnable count comes from (tests give their own). */
    private readonly read: () => string = () => readFileSync(LOADAVG, 'latin1'),
  ) {}

  /** True while more threads are runnable than there are cores (sampled). */
  get now(): boolean {
    return this.at(performance.now());
  }

  /** `now` for a caller that already read the clock (`t`, performance.now() units). */
  at(t: number): boolean {
    if (t >= this.nextSample) {
      this.nextSample = t + this.periodMs;
      this.contended = this.sample();
    }
    return this.contended;
  }

  private sample(): boolean {
    if (this.procReadable) {
      try {
        const n = runnableOf(this.read());
        if (n !== undefined) return n > this.cores;
      } catch {
        // Not Linux, or /proc is not mounted.
      }
      this.procReadable = false;
    }
    return (loadavg()[0] ?? 0) > this.cores;
  }
}

/** The thread's shared view (each thread has its own module instance). */
export const cpuContention = new CpuContention();
