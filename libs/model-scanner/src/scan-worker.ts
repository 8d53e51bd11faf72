import { parentPort } from 'node:worker_threads';
import type { WorkerReady, WorkerReply } from './parallel';
import { scanFile } from './scanner';

/** Worker-thread entry for scanInParallel: scans each batch it is sent in order, one reply per file. */
interface Job {
  id: number;
  path: string;
}

const port = parentPort;
if (port) {
  port.postMessage({ ready: true } satisfies WorkerReady);
  port.on('message', (jobs: Job[]) => {
    void (async () => {
      for (const job of jobs) {
        let reply: WorkerReply;
        try {
          reply = { id: job.id, result: await scanFile(job.path, job.path) };
        } catch (e: unknown) {
          reply = { id: job.id, error: e instanceof Error ? e.message : String(e) };
        }
        port.postMessage(reply);
      }
    })();
  });
}
