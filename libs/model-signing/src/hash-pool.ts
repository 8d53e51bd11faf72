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
  /** Cores to use (worker threads, plus read-ahead when fewer files than cores are left); defaults to the available parallelism. */
  concurrency?: number;
  /** Read size in bytes (default 128 KiB: the buffer stays in the core's cache while it is hashed); digests do not depend on it. */
  chunkSize?: number;
  /** Called with the bytes hashed since the last call, for progress and heartbeats. */
  onProgress?: (bytes: number) => void;
  /** Aborting terminates the workers and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What `lstat` found for a path in {@link HashPool.stat}. */
export type StatKind = 'file' | 'symlink' | 'other' | 'missing';

/** Result of {@link HashPool.stat}: the size (0 unless found) and the kind of each path, in order. */
export interface StatResult {
  sizes: Float64Array;
  kinds: StatKind[];
}

interface WorkerReply {
  progress?: number;
  done?: boolean;
  failed?: { index: number; code?: string; message: string };
}

const DEFAULT_CHUNK = 128 * 1024;
/** Read-ahead size: large enough that the hand-off through libuv's pool costs little per byte. */
const AHEAD_CHUNK = 1024 * 1024;
const PROGRESS_EVERY = 64 * 1024 * 1024;
const DIGEST_BYTES = 32;
const KINDS: readonly StatKind[] = ['missing', 'file', 'symlink', 'other', 'missing'];

/**
 * A pool of hashing worker threads (never the event loop). Start it early: the workers boot while the
 * caller walks the model. Both tasks share the work through a counter in shared memory rather than
 * per-file messages, so a model of many small files costs no more round trips than one of a few large
 * files, and every worker stays busy until the list is exhausted. Call {@link close} when done.
 */
export class HashPool {
  readonly concurrency: number;
  private readonly workers: Worker[] = [];
  private current: { onReply: (w: Worker, r: WorkerReply) => void; fail: (e: Error) => void } | undefined;
  private broken: Error | undefined;

  /**
   * @param options.concurrency cores to use (default: available parallelism)
   * @param options.workers threads to start (default and maximum: `concurrency`); fewer when less work is known to come
   */
  constructor(options: { concurrency?: number; workers?: number } = {}) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? availableParallelism()));
    const count = Math.max(1, Math.min(this.concurrency, Math.floor(options.workers ?? this.concurrency)));
    for (let i = 0; i < count; i++) {
      const w = new Worker(HASH_WORKER_SOURCE, { eval: true });
      w.on('message', (reply: WorkerReply) => this.current?.onReply(w, reply));
      w.on('error', (e) => this.breakPool(new MlsecopsError('IO_ERROR', `hashing worker failed: ${e.message}`)));
      w.on('exit', (code) => this.breakPool(new MlsecopsError('IO_ERROR', `hashing worker exited (code ${code})`)));
      this.workers.push(w);
    }
  }

  /** `lstat`s every path in the workers: sizes and kinds, in the order given. */
  async stat(paths: readonly string[]): Promise<StatResult> {
    const sizes = new Float64Array(new SharedArrayBuffer(paths.length * Float64Array.BYTES_PER_ELEMENT));
    const kinds = new Uint8Array(new SharedArrayBuffer(paths.length));
    if (paths.length > 0) {
      const task = {
        op: 'stat',
        paths: paths.join('\0'),
        next: new SharedArrayBuffer(4),
        sizes: sizes.buffer,
        kinds: kinds.buffer,
      };
      await this.run(
        task,
        (index, code, message) =>
          new MlsecopsError(
            code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR',
            `cannot read ${paths[index] ?? '?'}: ${message}`,
          ),
      );
    }
    return { sizes, kinds: Array.from(kinds, (k) => KINDS[k] ?? 'other') };
  }

  /**
   * Streams each file through SHA-256, largest first so one big file does not end up last. Memory stays
   * at three read buffers per worker whatever the file sizes. Returns lowercase hex digests in the
   * order of `jobs`.
   */
  async hash(jobs: readonly HashJob[], options: Omit<HashOptions, 'concurrency'> = {}): Promise<string[]> {
    if (jobs.length === 0) return [];
    const order = jobs.map((_, i) => i).sort((a, b) => (jobs[b]?.sizeBytes ?? 0) - (jobs[a]?.sizeBytes ?? 0));
    const digests = new Uint8Array(new SharedArrayBuffer(jobs.length * DIGEST_BYTES));
    const active = new Int32Array(new SharedArrayBuffer(4));
    active[0] = this.workers.length;
    const task = {
      op: 'hash',
      paths: order.map((i) => jobs[i]?.path ?? '').join('\0'),
      ids: Int32Array.from(order).buffer,
      sizes: Float64Array.from(order, (i) => jobs[i]?.sizeBytes ?? 0).buffer,
      next: new SharedArrayBuffer(4),
      active: active.buffer,
      digests: digests.buffer,
      chunkSize: options.chunkSize ?? DEFAULT_CHUNK,
      aheadChunk: AHEAD_CHUNK,
      concurrency: this.concurrency,
      progressEvery: PROGRESS_EVERY,
    };
    await this.run(
      task,
      (index, code, message) =>
        new MlsecopsError(
          code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR',
          `cannot read ${jobs[index]?.path ?? '?'}: ${message}`,
        ),
      options,
    );
    const bytes = Buffer.from(digests.buffer);
    return jobs.map((_, i) => bytes.toString('hex', i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES));
  }

  /** Terminates the workers (any task in flight is rejected). */
  async close(): Promise<void> {
    this.breakPool(new MlsecopsError('IO_ERROR', 'hashing pool closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Sends one task to every worker and settles when all of them have replied `done`. */
  private run(
    task: object,
    error: (index: number, code: string | undefined, message: string) => Error,
    options: Pick<HashOptions, 'onProgress' | 'signal'> = {},
  ): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.current) return Promise.reject(new Error('HashPool runs one task at a time'));
    const { signal, onProgress } = options;
    return new Promise<void>((resolve, reject) => {
      let pending = this.workers.length;
      const settle = (e?: Error): void => {
        this.current = undefined;
        signal?.removeEventListener('abort', onAbort);
        if (e) reject(e);
        else resolve();
      };
      const onAbort = (): void => {
        const reason: unknown = signal?.reason;
        const e = reason instanceof Error ? reason : new Error('hashing aborted', { cause: reason });
        this.breakPool(e);
        for (const w of this.workers) void w.terminate();
      };
      this.current = {
        fail: settle,
        onReply: (w, reply) => {
          if (reply.progress) onProgress?.(reply.progress);
          if (reply.failed) {
            const e = error(reply.failed.index, reply.failed.code, reply.failed.message);
            this.breakPool(e);
            for (const x of this.workers) void x.terminate();
          } else if (reply.done && --pending === 0) settle();
        },
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      for (const w of this.workers) w.postMessage(task);
    });
  }

  /** Marks the pool unusable and rejects the task in flight; the first cause wins. */
  private breakPool(e: Error): void {
    this.broken ??= e;
    this.current?.fail(this.broken);
  }
}

/**
 * Hashes files in a pool of worker threads started for this call (see {@link HashPool.hash}).
 * Returns lowercase hex digests in the order of `jobs`.
 */
export async function hashFiles(jobs: readonly HashJob[], options: HashOptions = {}): Promise<string[]> {
  if (jobs.length === 0) return [];
  const pool = new HashPool({ concurrency: options.concurrency, workers: jobs.length });
  try {
    return await pool.hash(jobs, options);
  } finally {
    await pool.close();
  }
}
