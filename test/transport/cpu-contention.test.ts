import { describe, expect, it } from 'vitest';
import { CpuContention, runnableOf } from '../../runtime/transport/cpu-contention.ts';

describe('CPU contention, as the channel decides whether to poll', () => {
  it('reads the runnable count of /proc/loadavg', () => {
    expect(runnableOf('1.21 1.29 1.22 3/78 3104\n')).toBe(3);
    expect(runnableOf('0.00 0.01 0.05 1/120 99')).toBe(1);
    expect(runnableOf('garbage')).toBeUndefined();
  });

  it('is contended while more threads are runnable than there are cores, sampled at most once per period', () => {
    let text = '0.1 0.1 0.1 2/50 1';
    let reads = 0;
    const c = new CpuContention(2, 1_000_000, () => {
      reads++;
      return text;
    });
    expect(c.now).toBe(false);
    text = '0.1 0.1 0.1 3/50 1';
    // Within the period the last sample stands.
    expect(c.now).toBe(false);
    expect(reads).toBe(1);
    const fresh = new CpuContention(2, 0, () => text);
    expect(fresh.now).toBe(true);
  });

  it('falls back to the load average when /proc/loadavg cannot be read, and stops trying it', () => {
    let reads = 0;
    const c = new CpuContention(1_000_000, 0, () => {
      reads++;
      throw new Error('ENOENT');
    });
    expect(c.now).toBe(false);
    expect(c.now).toBe(false);
    expect(reads).toBe(1);
  });
});
