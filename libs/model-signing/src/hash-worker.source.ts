/**
 * Source of the hashing worker, run with `new Worker(source, { eval: true })`. Keeping it as plain
 * JavaScript text means the same pool works from `dist/` after a build and from `src/*.ts` under Jest,
 * with no loader for TypeScript inside the worker. The worker reads with synchronous, large `readSync`
 * calls into one reused buffer: it owns its thread, so blocking there never blocks the event loop.
 */
export const HASH_WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
let buffer = null;
parentPort.on('message', (job) => {
  try {
    if (buffer === null || buffer.length !== job.chunkSize) buffer = Buffer.allocUnsafe(job.chunkSize);
    const hash = createHash('sha256');
    const fd = openSync(job.path, 'r');
    let total = 0;
    let sinceReport = 0;
    try {
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, null);
        if (n === 0) break;
        hash.update(n === buffer.length ? buffer : buffer.subarray(0, n));
        total += n;
        sinceReport += n;
        if (sinceReport >= job.progressEvery) {
          parentPort.postMessage({ id: job.id, progress: sinceReport });
          sinceReport = 0;
        }
      }
    } finally {
      closeSync(fd);
    }
    parentPort.postMessage({ id: job.id, digest: hash.digest('hex'), bytes: total, progress: sinceReport });
  } catch (e) {
    parentPort.postMessage({ id: job.id, error: { code: e && e.code ? String(e.code) : undefined, message: String(e && e.message ? e.message : e) } });
  }
});
`;
