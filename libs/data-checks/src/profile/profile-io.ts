import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MlsecopsError } from '@mlsecops/contracts';
import type { DatasetFormat, ErrorCode } from '@mlsecops/contracts';
import { checkTabularDataset } from '../scan/dataset-scan';
import type { TabularCheckOptions } from '../scan/dataset-scan';
import { DATASET_PROFILE_KIND, datasetProfileSchema } from './dataset-profile.schema';
import type { DatasetProfile } from './dataset-profile.schema';

/** Dataset format from the file name: .csv, .jsonl/.ndjson, .parquet; `profile` for a .json profile. */
export function detectFormat(path: string): DatasetFormat | 'profile' {
  switch (extname(path).toLowerCase()) {
    case '.csv':
    case '.txt':
      return 'csv';
    case '.jsonl':
    case '.ndjson':
      return 'jsonl';
    case '.parquet':
    case '.pq':
      return 'parquet';
    case '.json':
      return 'profile';
    default:
      throw new MlsecopsError(
        'UNSUPPORTED_FORMAT',
        `${path}: cannot tell the format from the extension (use .csv, .jsonl, .parquet or a .json profile)`,
      );
  }
}

/** Reads and validates a profile written by `mlsecops profile`. */
export async function loadProfile(path: string): Promise<DatasetProfile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT';
    throw new MlsecopsError(code, `${path}: cannot read profile: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  const r = datasetProfileSchema.safeParse(parsed);
  if (!r.success) {
    throw new MlsecopsError(
      'SCHEMA_VIOLATION',
      `${path}: not a ${DATASET_PROFILE_KIND} v1: ${r.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  return r.data;
}

/** How a data file is summarised for drift: value and category caps (default: every value, exact). */
export type DriftProfileOptions = Pick<TabularCheckOptions, 'valueCap' | 'categoryCap' | 'signal' | 'onProgress'>;

/**
 * A profile for drift: loaded when `path` is a profile, else computed from the data keeping every value
 * (valueCap Infinity) so statistics are exact, or at most `valueCap` per column (a bounded sample).
 * Duplicate hashing is skipped: drift does not need it.
 */
export async function profileForDrift(path: string, options: DriftProfileOptions = {}): Promise<DatasetProfile> {
  const format = detectFormat(path);
  if (format === 'profile') return loadProfile(path);
  const r = await checkTabularDataset(path, {
    ...options,
    format,
    valueCap: options.valueCap ?? Number.POSITIVE_INFINITY,
    skipDuplicates: true,
    typedValues: true,
  });
  return r.profile;
}

/**
 * {@link profileForDrift} on a worker thread, so a reference and a current file are read in parallel.
 * Falls back to the calling thread when running from TypeScript sources (tests), where there is no
 * compiled worker script to start.
 */
export async function profileForDriftInWorker(
  path: string,
  options: Pick<DriftProfileOptions, 'valueCap' | 'categoryCap'> = {},
): Promise<DatasetProfile> {
  const script = join(__dirname, 'profile-worker.js');
  if (!__filename.endsWith('.js') || detectFormat(path) === 'profile') return profileForDrift(path, options);
  const worker = new Worker(script, {
    workerData: { path, valueCap: options.valueCap, categoryCap: options.categoryCap },
  });
  try {
    const reply = await new Promise<
      { ok: true; profile: DatasetProfile } | { ok: false; code?: ErrorCode; message: string }
    >((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new MlsecopsError('IO_ERROR', `${path}: profiling worker exited with code ${code}`)),
      );
    });
    if (!reply.ok) throw new MlsecopsError(reply.code ?? 'IO_ERROR', reply.message);
    return reply.profile;
  } finally {
    await worker.terminate();
  }
}
