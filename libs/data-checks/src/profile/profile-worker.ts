import { parentPort, workerData } from 'node:worker_threads';
import { isMlsecopsError } from '@mlsecops/contracts';
import { profileForDrift } from './profile-io';

/** Worker entry: profiles one file for drift and posts it back, values transferred without copying. */
interface Job {
  path: string;
  valueCap?: number;
  categoryCap?: number;
}

const job = workerData as Job;
profileForDrift(job.path, { valueCap: job.valueCap, categoryCap: job.categoryCap }).then(
  (profile) => {
    const buffers: ArrayBuffer[] = [];
    for (const c of profile.columns)
      if (c.numeric?.values instanceof Float64Array) buffers.push(c.numeric.values.buffer);
    parentPort?.postMessage({ ok: true, profile }, buffers);
  },
  (e: unknown) => {
    parentPort?.postMessage({
      ok: false,
      code: isMlsecopsError(e) ? e.code : undefined,
      message: e instanceof Error ? e.message : String(e),
    });
  },
);
