import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { finding } from './rules';
import { FAMILY_COUNT, PICKLE_FAMILY, STRUCTURED_FAMILY, scanFamilyOf } from './scan-families';
import { expandPaths, scanFileUpTo, summarize, symlinkResult, verdictOf } from './scanner';
import type { FileScanResult, ScanReport } from './scan-result';

export interface ParallelScanOptions {
  /**
   * Threads scanning at once, this one included. By default this thread plus one helper per other CPU
   * left idle (by the one-minute load average) when helpers are started, at most 8 in all.
   */
  workers?: number;
  /** Heap bound of each worker (MB); a file that needs more is reported inconclusive, never skipped. */
  workerHeapMb?: number;
  /**
   * Helpers start when the work left, estimated from the time per file so far, exceeds this (ms). 0
   * starts them after the first file.
   */
  helperWorthMs?: number;
  /**
   * Raises V8's tier-up budget (`--interrupt-budget`, process-wide) for the scan, so the optimizing
   * compiler works on code that runs long (the pickle machine) rather than on every parser a mixed
   * directory touches once. Raised only while no helper is booting: V8 rejects Node's code cache while a
   * flag differs from the one it was built with, and a helper booting then compiles Node's internals from
   * scratch (about +25 ms). Not restored: for a process that only scans (the CLI).
   */
  tierUpBudget?: number;
}

const WORKER_SCRIPT = join(__dirname, 'scan-worker.js');
// A helper costs a fresh isolate, the scanner's modules and a cold JIT: on a 2-CPU machine one added
// 0.35 s of CPU to a 0.7 s scan of 2,000 files and saved no wall time, and two busy threads there slow
// each other by about 1.4x. Helpers start only when the work left is estimated (after at least
// EST_AFTER_MS of scanning: the first files run on a cold JIT and overstate the rate, more so on a cold
// page cache) at more than HELPER_WORTH_MS.
const EST_AFTER_MS = 150;
const HELPER_WORTH_MS = 4000;
// A mixed run splits by family at once when both families have at least this many files: below it, the
// helper's start-up (~40 ms: an isolate and the scanner's modules) is more than its share.
const SPLIT_MIN_FILES = 100;
// Files up to this size are scanned on this thread (unbounded heap): their worst case stays far below
// the memory target. Bigger ones go to a helper with a bounded heap.
const MAIN_THREAD_MAX = 8 << 20;

// Files sent to a worker at once: fewer messages, and a worker never waits on this thread for its next
// file while this thread is inside a long one.
const MAX_BATCH = 16;

function failed(path: string, message: string, rule: 'scan.io-error' | 'scan.limit-exceeded'): FileScanResult {
  const findings = [finding(rule, message, path)];
  return { path, format: 'unknown', verdict: verdictOf(findings), findings };
}

/** Results posted by a worker: one per file of the batch, in order; `error` when a scan threw. */
export interface WorkerReply {
  id: number;
  result?: FileScanResult;
  error?: string;
}

/** Posted once by a worker when its modules are loaded, before any reply. */
export interface WorkerReady {
  ready: true;
}

/**
 * Scans files and directories on this thread and, when the work left is long enough, on helper
 * threads too (pickle simulation is CPU-bound), all taking files from one queue. Short runs never pay
 * for a worker's start-up. Each worker has a bounded heap; a worker that dies on a file is replaced and
 * that file reported inconclusive. With 1 thread asked, small files stay on this thread but a file over
 * MAIN_THREAD_MAX still gets a helper (its bounded heap is the memory guarantee); only when running from
 * TypeScript sources (no compiled worker script) does everything run on this thread.
 */
export async function scanInParallel(paths: readonly string[], options: ParallelScanOptions = {}): Promise<ScanReport> {
  const files = await expandPaths(paths);
  const results = new Array<FileScanResult>(files.length);
  // One queue per scan family (scan-families.ts); a thread takes from its own family first, then
  // from the others, so no thread idles while files are left.
  const queues: Array<{ items: number[]; head: number }> = Array.from({ length: FAMILY_COUNT }, () => ({
    items: [],
    head: 0,
  }));
  files.forEach((f, i) => {
    if (f.symlink) results[i] = symlinkResult(f.path);
    else queues[scanFamilyOf(f.path)]?.items.push(i);
  });
  // Files handed back by a worker that could not start.
  const retry: number[] = [];
  // Files too big for this thread, waiting for a helper.
  const big: number[] = [];
  const left = (family: number): number => {
    const q = queues[family];
    return q === undefined ? 0 : q.items.length - q.head;
  };
  const take = (family = PICKLE_FAMILY): number => {
    const back = retry.pop();
    if (back !== undefined) return back;
    for (let k = 0; k < FAMILY_COUNT; k++) {
      const q = queues[(family + k) % FAMILY_COUNT] as { items: number[]; head: number };
      if (q.head < q.items.length) return q.items[q.head++] as number;
    }
    return -1;
  };
  const threads = Math.max(1, options.workers ?? Math.min(8, availableParallelism()));
  const script = existsSync(WORKER_SCRIPT);
  // On a shared machine a helper without a CPU of its own only adds its start-up and cold JIT: by
  // default, helpers get the CPUs left idle by the load average, less the one this thread uses.
  const helpersNow = (): number => {
    if (!script) return 0;
    if (options.workers !== undefined) return threads - 1;
    return Math.max(0, Math.min(threads - 1, Math.round(availableParallelism() - (loadavg()[0] ?? 0)) - 1));
  };
  let helpers = -1;
  const worth = options.helperWorthMs ?? HELPER_WORTH_MS;
  const lanes: Array<Promise<void>> = [];
  const started = performance.now();
  let done = 0;
  const remaining = (): number => {
    let n = retry.length + big.length;
    for (let f = 0; f < FAMILY_COUNT; f++) n += left(f);
    return n;
  };
  const workerTake =
    (family: number): (() => number) =>
    () =>
      big.pop() ?? take(family);
  let bigOnThisThread = !script;
  const heap = options.workerHeapMb ?? 96;
  // V8's tier-up budget (options.tierUpBudget) is raised once no helper is booting: a helper that boots
  // under a changed V8 flag finds Node's code cache rejected and compiles Node's internals from scratch
  // (about +25 ms). Raised after this thread's first file or when the last booting helper is ready.
  let booting = 0;
  let budgetRaised = options.tierUpBudget === undefined;
  const raiseTierUpBudget = (): void => {
    if (budgetRaised || booting > 0) return;
    budgetRaised = true;
    setFlagsFromString(`--interrupt-budget=${options.tierUpBudget}`);
  };
  const addLane = (family: number, young: number): void => {
    booting++;
    let ready = false;
    const becameReady = (): void => {
      if (ready) return;
      ready = true;
      booting--;
      raiseTierUpBudget();
    };
    const lane = workerLane({
      files,
      results,
      take: workerTake(family),
      retry,
      remaining,
      heap,
      threads,
      young,
      onReady: becameReady,
    });
    // Also when the helper never got ready (it could not start).
    void lane.then(becameReady);
    lanes.push(lane);
  };
  /** A file over MAIN_THREAD_MAX goes to a helper (with a larger young generation), started for it if need be. */
  const toHelper = (i: number): void => {
    big.push(i);
    if (lanes.length === 0) addLane(PICKLE_FAMILY, 48);
  };
  // A mixed directory: a helper for the structured files starts at once (their share of the corpus
  // benchmark is ~0.15 s of a cold 0.35 s) whenever a second thread is allowed. The load average is not
  // asked: the helper duplicates no warm-up, so even on a busy machine it costs only its start-up; and
  // right after another tool ran, that average still counts it and would refuse the helper.
  if (script && threads > 1 && left(STRUCTURED_FAMILY) >= SPLIT_MIN_FILES && left(PICKLE_FAMILY) >= SPLIT_MIN_FILES)
    addLane(STRUCTURED_FAMILY, 16);
  const drain = async (): Promise<void> => {
    for (let i = take(); i >= 0; i = take()) {
      const f = files[i] as { path: string };
      // A file over MAIN_THREAD_MAX is left to a helper: its worst case (a hostile pickle, a member
      // inflating to hundreds of MB) must meet a bounded heap, and its scan amortizes the start-up.
      const result = await scanFileUpTo(f.path, bigOnThisThread ? Number.MAX_SAFE_INTEGER : MAIN_THREAD_MAX);
      if (result === undefined) {
        toHelper(i);
        continue;
      }
      results[i] = result;
      done++;
      raiseTierUpBudget();
      const elapsed = performance.now() - started;
      if (
        helpers < 0 &&
        remaining() > 0 &&
        (worth === 0 || (elapsed >= EST_AFTER_MS && (elapsed / done) * remaining() > worth))
      ) {
        helpers = helpersNow();
        const n = Math.min(helpers, remaining());
        while (lanes.length < n)
          addLane(left(STRUCTURED_FAMILY) > left(PICKLE_FAMILY) ? STRUCTURED_FAMILY : PICKLE_FAMILY, 16);
      }
      // With helpers running, let their messages in between files: scans resolve on microtasks only.
      if (lanes.length > 0) await new Promise<void>((r) => setImmediate(r));
    }
  };
  do {
    await drain();
    await Promise.all(lanes);
    // Helpers that could not start leave their files, big ones included, to this thread.
    bigOnThisThread = true;
    retry.push(...big.splice(0));
  } while (retry.length > 0);
  return summarize(results);
}

interface Queue {
  files: ReadonlyArray<{ path: string; symlink?: boolean }>;
  results: FileScanResult[];
  take: () => number;
  retry: number[];
  remaining: () => number;
  heap: number;
  threads: number;
  /** Young generation of the worker (MB): larger for the one that takes big files. */
  young: number;
  /** Called when the worker has loaded its modules. */
  onReady?: () => void;
}

/** One helper thread: takes batches of files from the shared queue until it is empty. */
function workerLane({ files, results, take, retry, remaining, heap, threads, young, onReady }: Queue): Promise<void> {
  return new Promise<void>((resolve) => {
    let batch: number[] = [];
    let replied = false;
    let startFailures = 0;
    let w: Worker;
    const spawn = (): void => {
      replied = false;
      w = new Worker(WORKER_SCRIPT, {
        resourceLimits: { maxOldGenerationSizeMb: heap, maxYoungGenerationSizeMb: young },
      });
      w.on('message', (m: WorkerReply | WorkerReady) => {
        // Loaded: from now on a failure is the file's, not a broken install's.
        replied = true;
        if ('ready' in m) {
          onReady?.();
          return;
        }
        results[m.id] = m.result ?? failed(files[m.id]?.path ?? '', m.error ?? 'worker failed', 'scan.io-error');
        batch = batch.filter((id) => id !== m.id);
        if (batch.length === 0) feed();
      });
      w.on('error', (e: Error) => {
        const lost = batch;
        batch = [];
        if (!replied) {
          // A worker that cannot even start (broken install) must not be respawned forever: its files
          // go back to the queue, which this thread drains.
          retry.push(...lost);
          if (++startFailures > 2) {
            resolve();
            return;
          }
          spawn();
          feed();
          return;
        }
        const [first, ...rest] = lost;
        if (first !== undefined) {
          results[first] = failed(
            files[first]?.path ?? '',
            `scanner worker failed on this file: ${e.message}`,
            'scan.limit-exceeded',
          );
        }
        // The rest of the batch was not reached (or not reported): scan it again in the new worker.
        spawn();
        if (rest.length > 0) send(rest);
        else feed();
      });
    };
    const send = (ids: number[]): void => {
      batch = ids;
      w.postMessage(ids.map((id) => ({ id, path: files[id]?.path })));
    };
    const feed = (): void => {
      const size = Math.max(1, Math.min(MAX_BATCH, Math.floor(remaining() / (threads * 4))));
      const ids: number[] = [];
      for (let i = 0; i < size; i++) {
        const id = take();
        if (id < 0) break;
        ids.push(id);
      }
      if (ids.length === 0) {
        void w.terminate().then(() => resolve());
        return;
      }
      send(ids);
    };
    spawn();
    feed();
  });
}
