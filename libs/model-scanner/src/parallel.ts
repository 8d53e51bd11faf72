import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { finding } from './rules';
import { expandPaths, scanPaths, summarize, symlinkResult, verdictOf } from './scanner';
import type { FileScanResult, ScanReport } from './scan-result';

export interface ParallelScanOptions {
  /** Worker threads; defaults to the number of CPUs (at most 8). 0 scans in-process. */
  workers?: number;
  /** Heap bound of each worker (MB); a file that needs more is reported inconclusive, never skipped. */
  workerHeapMb?: number;
}

const WORKER_SCRIPT = join(__dirname, 'scan-worker.js');

function failed(path: string, message: string, rule: 'scan.io-error' | 'scan.limit-exceeded'): FileScanResult {
  const findings = [finding(rule, message, path)];
  return { path, format: 'unknown', verdict: verdictOf(findings), findings };
}

/**
 * Scans files and directories across worker threads (pickle simulation is CPU-bound). Each worker has a
 * bounded heap, so the whole scan stays within a memory budget; a worker that dies on a file is replaced
 * and that file reported inconclusive. Falls back to in-process scanning when asked (0 workers) or when
 * running from TypeScript sources (no compiled worker script).
 */
export async function scanInParallel(paths: readonly string[], options: ParallelScanOptions = {}): Promise<ScanReport> {
  const files = await expandPaths(paths);
  const regular = files.filter((f) => !f.symlink).length;
  // Even one file goes to a worker: its fresh heap is not slowed by whatever the host process loaded.
  if (options.workers === 0 || regular === 0 || !existsSync(WORKER_SCRIPT)) return scanPaths(paths);
  const size = Math.min(Math.max(1, options.workers ?? Math.min(8, availableParallelism())), regular);
  const heap = options.workerHeapMb ?? 96;
  // A larger young generation saves scavenges on one big pickle; many workers share the budget.
  const young = size === 1 ? 48 : 16;
  const results = new Array<FileScanResult>(files.length);
  let next = 0;
  const lane = (): Promise<void> =>
    new Promise<void>((resolve) => {
      let current = -1;
      let idleCrashes = 0;
      let w: Worker;
      const spawn = (): void => {
        w = new Worker(WORKER_SCRIPT, { resourceLimits: { maxOldGenerationSizeMb: heap, maxYoungGenerationSizeMb: young } });
        w.on('message', (m: { id: number; result?: FileScanResult; error?: string }) => {
          results[m.id] = m.result ?? failed(files[m.id]?.path ?? '', m.error ?? 'worker failed', 'scan.io-error');
          current = -1;
          feed();
        });
        w.on('error', (e: Error) => {
          // A worker that cannot even start (broken install) must not be respawned forever.
          if (current < 0 && ++idleCrashes > 2) {
            while (next < files.length) {
              const i = next++;
              results[i] = failed(files[i]?.path ?? '', `scanner worker cannot start: ${e.message}`, 'scan.io-error');
            }
            resolve();
            return;
          }
          if (current >= 0) {
            const path = files[current]?.path ?? '';
            results[current] = failed(path, `scanner worker failed on this file: ${e.message}`, 'scan.limit-exceeded');
            current = -1;
          }
          spawn();
          feed();
        });
      };
      const feed = (): void => {
        while (next < files.length && files[next]?.symlink) {
          results[next] = symlinkResult(files[next]?.path ?? '');
          next++;
        }
        if (next >= files.length) {
          void w.terminate().then(() => resolve());
          return;
        }
        current = next++;
        w.postMessage({ id: current, path: files[current]?.path });
      };
      spawn();
      feed();
    });
  await Promise.all(Array.from({ length: size }, lane));
  return summarize(results);
}
