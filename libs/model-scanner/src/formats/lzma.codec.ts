import type { LzmaError } from 'lzma-native';
import { ScanAbortedError } from '../io/byte-reader';
import { CodecError } from './lz4.codec';

/**
 * liblzma's memory limit for one decoder. Python's and xz's largest preset dictionary is 64 MiB; a header
 * asking for more (up to 4 GiB) is refused instead of letting the dictionary grow with the output.
 */
export const LZMA_MEMLIMIT = 80 << 20;

/** A stream refused by a limit rather than by corruption (inconclusive as scan.limit-exceeded). */
export class CodecLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecLimitError';
  }
}

function translate(e: unknown): unknown {
  const { name, message } = (e ?? {}) as Partial<LzmaError>;
  if (name === 'LZMA_MEMLIMIT_ERROR')
    return new CodecLimitError(`lzma dictionary needs more than ${LZMA_MEMLIMIT} bytes of memory`);
  if (typeof name === 'string' && name.startsWith('LZMA_')) return new CodecError(`lzma: ${message ?? name}`);
  return e;
}

/** `.xz` (concatenated streams) and legacy `.lzma` through liblzma, pulled with backpressure. */
export async function* lzmaDecode(src: AsyncIterable<Buffer>, signal: AbortSignal | undefined): AsyncIterable<Buffer> {
  // liblzma is a native addon that takes longer to load than a small scan: loaded on the first stream.
  const { LZMA_CONCATENATED, createStream } = await import('lzma-native');
  const decoder = createStream('autoDecoder', { memlimit: LZMA_MEMLIMIT, flags: LZMA_CONCATENATED });
  const pump = (async () => {
    try {
      for await (const c of src) {
        if (signal?.aborted) throw new ScanAbortedError();
        if (!decoder.write(c)) {
          await new Promise<void>((resolve) => {
            const go = (): void => {
              decoder.off('drain', go);
              decoder.off('close', go);
              resolve();
            };
            decoder.on('drain', go);
            decoder.on('close', go);
          });
        }
        if (decoder.destroyed) return;
      }
      decoder.end();
    } catch (e: unknown) {
      decoder.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  })();
  try {
    for await (const chunk of decoder as AsyncIterable<Buffer>) yield chunk;
  } catch (e: unknown) {
    throw translate(e);
  } finally {
    decoder.destroy();
    await pump;
  }
}
