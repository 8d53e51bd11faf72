/**
 * Source of the hashing worker, run with `new Worker(source, { eval: true })`. Keeping it as plain
 * JavaScript text means the same pool works from `dist/` after a build and from `src/*.ts` under Jest,
 * with no loader for TypeScript inside the worker.
 *
 * The worker owns its thread, so it uses synchronous calls (`lstatSync`, `readSync`) where blocking
 * never blocks an event loop that serves anything. There are no per-file messages: a task carries every
 * path once (joined by NUL, which no path contains), the workers claim the next entry from a shared
 * counter (`Atomics.add`), and results go straight into shared memory (sizes and kinds for `stat`,
 * 32 raw digest bytes per file for `hash`). A worker replies once per task, plus progress reports.
 *
 * Reads go into one reused 128 KiB buffer (`chunkSize`): it stays in the core's L2 cache between the
 * kernel's copy and SHA-256, which is measurably faster than 1 MiB reads. When fewer workers are busy
 * than `concurrency` (one huge file, or the tail of a run), a worker reads ahead instead: the next 1 MiB
 * arrives through libuv's thread pool on a spare core while this thread hashes the current one, so a
 * single file hashes at SHA-256 speed instead of SHA-256 plus the copy.
 */
export const HASH_WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, read, closeSync, lstatSync } = require('node:fs');
const { createHash } = require('node:crypto');
const KIND_FILE = 1, KIND_LINK = 2, KIND_OTHER = 3, KIND_MISSING = 4;
const STAT_CLAIM = 128;
// A block that arrives more than LATE_MS after this thread wanted it counts as late; when the moving
// share of late blocks passes LATE_SHARE (about 1% when the core is free, 15% when a process holds it),
// read-ahead pauses for PAUSE_BYTES.
const LATE_MS = 0.1, LATE_SHARE = 0.06, PAUSE_BYTES = 256 * 1024 * 1024;
let syncBuffer = null;
let aheadBuffers = null;

function describe(e) {
  return { code: e && e.code ? String(e.code) : undefined, message: String(e && e.message ? e.message : e) };
}

function stat(task) {
  const paths = task.paths.split('\\0');
  const next = new Int32Array(task.next);
  const sizes = new Float64Array(task.sizes);
  const kinds = new Uint8Array(task.kinds);
  for (;;) {
    const start = Atomics.add(next, 0, STAT_CLAIM);
    if (start >= paths.length) break;
    const end = Math.min(paths.length, start + STAT_CLAIM);
    for (let i = start; i < end; i++) {
      let st;
      try {
        st = lstatSync(paths[i], { throwIfNoEntry: false });
      } catch (e) {
        parentPort.postMessage({ failed: { index: i, ...describe(e) } });
        return;
      }
      if (st === undefined) kinds[i] = KIND_MISSING;
      else {
        sizes[i] = st.size;
        kinds[i] = st.isFile() ? KIND_FILE : st.isSymbolicLink() ? KIND_LINK : KIND_OTHER;
      }
    }
  }
  parentPort.postMessage({ done: true });
}

function readAsync(fd, buffer, position) {
  return new Promise((resolve, reject) => read(fd, buffer, 0, buffer.length, position, (e, n) => (e ? reject(e) : resolve(n))));
}

async function hash(task) {
  const paths = task.paths.split('\\0');
  const ids = new Int32Array(task.ids);
  const sizes = new Float64Array(task.sizes);
  const next = new Int32Array(task.next);
  const active = new Int32Array(task.active);
  const out = new Uint8Array(task.digests);
  if (syncBuffer === null || syncBuffer.length !== task.chunkSize) syncBuffer = Buffer.allocUnsafe(task.chunkSize);
  if (aheadBuffers === null || aheadBuffers[0].length !== task.aheadChunk) {
    aheadBuffers = [Buffer.allocUnsafe(task.aheadChunk), Buffer.allocUnsafe(task.aheadChunk)];
  }
  let sinceReport = 0;
  const count = (n) => {
    sinceReport += n;
    if (sinceReport >= task.progressEvery) {
      parentPort.postMessage({ progress: sinceReport });
      sinceReport = 0;
    }
  };
  // Read ahead only while a core is spare, enough of the file is left to pay for the hand-offs, and the
  // reads keep up. Hashing a block takes several times longer than copying one from the page cache, so
  // the next block should be waiting; when it keeps arriving late, another process holds the "spare"
  // core and the reader only competes with this thread: plain reads for a while, then another try.
  let pausedUntil = 0;
  const spare = (size, position) =>
    position >= pausedUntil && size - position >= 2 * task.aheadChunk && Atomics.load(active, 0) < task.concurrency;
  // Hashes from position with reads ahead until EOF (returns -1) or until it should stop.
  const hashAhead = async (fd, h, position) => {
    let current = 0;
    let late = 0;
    let overlapped = false;
    let pending = readAsync(fd, aheadBuffers[0], position);
    for (;;) {
      const waitFrom = performance.now();
      const n = await pending;
      if (n === 0) return -1;
      if (overlapped) late = late * 0.95 + (performance.now() - waitFrom > LATE_MS ? 0.05 : 0);
      const buffer = aheadBuffers[current];
      position += n;
      const more = late < LATE_SHARE && Atomics.load(active, 0) < task.concurrency;
      if (more) {
        current ^= 1;
        pending = readAsync(fd, aheadBuffers[current], position);
      }
      overlapped = more;
      h.update(n === buffer.length ? buffer : buffer.subarray(0, n));
      count(n);
      if (!more) {
        if (late >= LATE_SHARE) pausedUntil = position + PAUSE_BYTES;
        return position;
      }
    }
  };
  for (;;) {
    const k = Atomics.add(next, 0, 1);
    if (k >= paths.length) break;
    const id = ids[k];
    try {
      const h = createHash('sha256');
      const fd = openSync(paths[k], 'r');
      try {
        let position = 0;
        pausedUntil = 0;
        for (;;) {
          if (spare(sizes[k], position)) {
            position = await hashAhead(fd, h, position);
            if (position < 0) break;
            continue;
          }
          const n = readSync(fd, syncBuffer, 0, syncBuffer.length, position);
          if (n === 0) break;
          h.update(n === syncBuffer.length ? syncBuffer : syncBuffer.subarray(0, n));
          position += n;
          count(n);
        }
      } finally {
        closeSync(fd);
      }
      out.set(h.digest(), id * 32);
    } catch (e) {
      Atomics.sub(active, 0, 1);
      parentPort.postMessage({ progress: sinceReport, failed: { index: id, ...describe(e) } });
      return;
    }
  }
  Atomics.sub(active, 0, 1);
  parentPort.postMessage({ progress: sinceReport, done: true });
}

parentPort.on('message', (task) => {
  if (task.op === 'stat') stat(task);
  else hash(task).catch((e) => parentPort.postMessage({ failed: { index: -1, ...describe(e) } }));
});
`;
