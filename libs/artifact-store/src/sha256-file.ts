import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { MlsecopsError } from '@mlsecops/contracts';

export interface DigestProgress {
  bytesRead: number;
}

export interface Sha256FileOptions {
  signal?: AbortSignal;
  /** Called about every `progressEveryBytes` (default 64 MiB): hook for activity heartbeats. */
  onProgress?: (progress: DigestProgress) => void;
  progressEveryBytes?: number;
}

/** Reads in 1 MiB chunks: large enough to amortise syscalls, small enough to keep memory flat. */
const CHUNK_BYTES = 1024 * 1024;

/** Streams a file through SHA-256; memory stays constant whatever the file size. */
export async function sha256File(
  path: string,
  options: Sha256FileOptions = {},
): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  const every = options.progressEveryBytes ?? 64 * CHUNK_BYTES;
  let bytesRead = 0;
  let nextReport = every;
  try {
    const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES, signal: options.signal });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytesRead += chunk.length;
      if (bytesRead >= nextReport) {
        options.onProgress?.({ bytesRead });
        nextReport += every;
      }
    }
  } catch (e: unknown) {
    if (options.signal?.aborted) throw e;
    throw new MlsecopsError('IO_ERROR', `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  return { sha256: hash.digest('hex'), sizeBytes: bytesRead };
}
