/**
 * Source of the hashing worker, run with `new Worker(source, { eval: true })`. Keeping it as plain
 * JavaScript text means the same pool works from `dist/` after a build and from `src/*.ts` under Jest,
 * with no loader for TypeScript inside the worker. The worker reads with synchronous, large `readSync`
 * calls into one reused buffer: it owns its thread, so blocking there never blocks the event loop.
 * A message carries a batch of files (many small ones, or one large one) and gets one reply.
 */
export const HASH_WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
let buffer = null;
parentPort.on('message', (batch) => {
  if (buffer === null || buffer.length !== batch.chunkSize) buffer = Buffer.allocUnsafe(batch.chunkSize);
  const digests = [];
  let sinceReport = 0;
  for (const file of batch.files) {
    try {
      const hash = createHash('sha256');
      const fd = openSync(file.path, 'r');
      try {
        for (;;) {
          const n = readSync(fd, buffer, 0, buffer.length, null);
          if (n === 0) break;
          hash.update(n === buffer.length ? buffer : buffer.subarray(0, n));
          sinceReport += n;
          if (sinceReport >= batch.progressEvery) {
            parentPort.postMessage({ progress: sinceReport });
            sinceReport = 0;
          }
        }
      } finally {
        closeSync(fd);
      }
      digests.push({ id: file.id, digest: hash.digest('hex') });
    } catch (e) {
      parentPort.postMessage({ progress: sinceReport, failed: { id: file.id, code: e && e.code ? String(e.code) : undefined, message: String(e && e.message ? e.message : e) } });
      return;
    }
  }
  parentPort.postMessage({ progress: sinceReport, digests });
});
`;
