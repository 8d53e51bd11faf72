import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

/**
 * CPUs that could run a helper thread right now, besides the one the calling thread runs on.
 *
 * On Linux this is the instantaneous count of runnable tasks (`/proc/loadavg`, fourth field, which
 * includes the caller): a CPU-bound neighbour is almost always runnable, so it is seen, while processes
 * that finished seconds ago are not. The one-minute load average, the fallback elsewhere, still counts
 * them for a minute: run after another tool (a benchmark, a CI step) it refused helpers on an idle
 * machine.
 */
export function idleCpus(): number {
  const cpus = availableParallelism();
  try {
    const runnable = Number(readFileSync('/proc/loadavg', 'latin1').split(' ')[3]?.split('/')[0]);
    if (Number.isInteger(runnable) && runnable >= 1) return Math.max(0, cpus - runnable);
  } catch {
    // Not Linux, or /proc not mounted: fall back to the load average.
  }
  return Math.max(0, Math.round(cpus - (loadavg()[0] ?? 0)) - 1);
}
