import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { finding } from './rules';
import { expandPaths, scanPaths, summarize, symlinkResult, verdictOf } from './scanner';
import type { FileScanResult, ScanReport } from './scan-result';

export interface ParallelScanOptions {
  /** Worker threads; defaults to the number of CPUs (at most 8). 1 scans in-process. */
  workers?: number;
}

const WORKER_SCRIPT = join(__dirname, 'scan-worker.js');

/**
 * Scans files and directories across worker threads (pickle simulation is CPU-bound). Falls back to
 * in-process scanning when only one worker is asked for or when running from TypeScript sources.
 */
export async function scanInParallel(paths: readonly string[], options: ParallelScanOptions = {}): Promise<ScanReport> {
  const workers = Math.max(1, options.workers ?? Math.min(8, availableParallelism()));
  const files = await expandPaths(paths);
  const regular = files.filter((f) => !f.symlink).length;
  if (workers === 1 || regular < 2 || !existsSync(WORKER_SCRIPT)) return scanPaths(paths);
  const results = new Array<FileScanResult>(files.length);
  let next = 0;
  const pool = Array.from({ length: Math.min(workers, regular) }, () => new Worker(WORKER_SCRIPT));
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = (): void => {
              while (next < files.length && files[next]?.symlink) {
                results[next] = symlinkResult(files[next]?.path ?? '');
                next++;
              }
              if (next >= files.length) {
                resolve();
                return;
              }
              const id = next++;
              w.postMessage({ id, path: files[id]?.path });
            };
            w.on('message', (m: { id: number; result?: FileScanResult; error?: string }) => {
              const path = files[m.id]?.path ?? '';
              if (m.result) results[m.id] = m.result;
              else {
                const findings = [finding('scan.io-error', m.error ?? 'worker failed', path)];
                results[m.id] = { path, format: 'unknown', verdict: verdictOf(findings), findings };
              }
              feed();
            });
            w.on('error', reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return summarize(results);
}
