import { parentPort } from 'node:worker_threads';
import { scanFile } from './scanner';

/** Worker-thread entry for scanInParallel: scans the files it is sent, one at a time. */
interface Job {
  id: number;
  path: string;
}

const port = parentPort;
if (port) {
  port.on('message', (job: Job) => {
    void scanFile(job.path, job.path).then(
      (result) => port.postMessage({ id: job.id, result }),
      (e: unknown) => port.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) }),
    );
  });
}
