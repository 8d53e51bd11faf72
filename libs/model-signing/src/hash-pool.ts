import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MlsecopsError } from '@mlsecops/contracts';
import { HASH_WORKER_SOURCE } from './hash-worker.source';

/** A file to hash: its path and size (the size only orders the work, largest first). */
export interface HashJob {
  path: string;
  sizeBytes: number;
}

/** Options of {@link hashFiles}. */
export interface HashOptions {
  /** Worker threads to use; defaults to the machine's available parallelism. */
  concurrency?: number;
  /** Read size in bytes (default 1 MiB: the buffer stays in cache while it is hashed); digests do not depend on it. */
  chunkSize?: number;
  /** Called with the bytes hashed since the last call, for progress and heartbeats. */
  onProgress?: (bytes: number) => void;
  /** Aborting terminates the workers and rejects with the signal's reason. */
  signal?: AbortSignal;
}

interface WorkerReply {
  progress?: number;
  digests?: { id: number; digest: string }[];
  failed?: { id: number; code?: string; message: string };
}

const DEFAULT_CHUNK = 1024 * 1024;
const PROGRESS_EVERY = 64 * 1024 * 1024;
/** Small files travel to a worker in batches, so per-message overhead does not dominate. */
const BATCH_BYTES = 8 * 1024 * 1024;
const BATCH_FILES = 256;

/**
 * Streams each file through SHA-256 in a pool of worker threads (never on the event loop), several
 * files at once, largest first so one big file does not end up last. Memory stays at one read buffer
 * per worker whatever the file sizes. Returns lowercase hex digests in the order of `jobs`.
 */
export async function hashFiles(jobs: readonly HashJob[], options: HashOptions = {}): Promise<string[]> {
  if (jobs.length === 0) return [];
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const workers = Math.max(1, Math.min(options.concurrency ?? availableParallelism(), jobs.length));
  const order = jobs.map((_, i) => i).sort((a, b) => (jobs[b]?.sizeBytes ?? 0) - (jobs[a]?.sizeBytes ?? 0));
  const digests: string[] = new Array<string>(jobs.length);
  const pool: Worker[] = [];
  let next = 0;
  let done = 0;

  return new Promise<string[]>((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      for (const w of pool) void w.terminate();
      if (error === undefined) resolve(digests);
      else reject(error instanceof Error ? error : new Error('hashing failed', { cause: error }));
    };
    const onAbort = (): void => finish(options.signal?.reason ?? new Error('hashing aborted'));
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const feed = (w: Worker): void => {
      const files: { id: number; path: string }[] = [];
      let bytes = 0;
      while (next < order.length && files.length < BATCH_FILES) {
        const id = order[next] as number;
        const size = jobs[id]?.sizeBytes ?? 0;
        if (files.length > 0 && bytes + size > BATCH_BYTES) break;
        files.push({ id, path: jobs[id]?.path ?? '' });
        bytes += size;
        next++;
      }
      if (files.length > 0) w.postMessage({ files, chunkSize, progressEvery: PROGRESS_EVERY });
    };
    for (let i = 0; i < workers; i++) {
      const w = new Worker(HASH_WORKER_SOURCE, { eval: true });
      pool.push(w);
      w.on('error', (e) => finish(new MlsecopsError('IO_ERROR', `hashing worker failed: ${e.message}`)));
      w.on('message', (reply: WorkerReply) => {
        if (settled) return;
        if (reply.progress) options.onProgress?.(reply.progress);
        if (reply.failed) {
          const path = jobs[reply.failed.id]?.path ?? '?';
          const code = reply.failed.code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR';
          finish(new MlsecopsError(code, `cannot read ${path}: ${reply.failed.message}`));
          return;
        }
        if (reply.digests === undefined) return;
        for (const d of reply.digests) digests[d.id] = d.digest;
        done += reply.digests.length;
        if (done === jobs.length) finish();
        else feed(w);
      });
      feed(w);
    }
  });
}
