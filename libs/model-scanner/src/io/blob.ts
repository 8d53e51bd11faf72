import type { FileHandle } from 'node:fs/promises';
import { createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/** raw deflate (zip members), zlib (joblib `compress=`), gzip (`.gz`, `.tar.gz`). */
export type Compression = 'raw' | 'zlib' | 'gzip';
import { ScanAbortedError } from './byte-reader';

const CHUNK = 256 << 10;

/** Bytes to scan: a file, a file range, an in-memory buffer or an inflated zip member. */
export interface Blob {
  readonly size: number;
  /** Streams `len` bytes from `offset` (whole blob by default) in chunks. */
  stream(offset?: number, len?: number): AsyncIterable<Buffer>;
  /** Random access; may throw BlobTooLargeError for members that are only streamable. */
  read(offset: number, len: number): Promise<Buffer>;
}

export class BlobTooLargeError extends Error {
  constructor(size: number, limit: number) {
    super(`member of ${size} bytes exceeds the ${limit}-byte in-memory bound for random access`);
    this.name = 'BlobTooLargeError';
  }
}

export class BombError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BombError';
  }
}

export class BufferBlob implements Blob {
  constructor(private readonly buf: Buffer) {}
  get size(): number {
    return this.buf.length;
  }
  stream(offset = 0, len = this.buf.length - offset): AsyncIterable<Buffer> {
    const buf = this.buf;
    return (async function* () {
      for (let at = offset; at < offset + len; at += CHUNK) yield await Promise.resolve(buf.subarray(at, Math.min(offset + len, at + CHUNK)));
    })();
  }
  read(offset: number, len: number): Promise<Buffer> {
    return Promise.resolve(this.buf.subarray(offset, Math.min(this.buf.length, offset + len)));
  }
}

/** A whole file or a byte range of it; reads use positioned I/O, streams a fresh read stream. */
export class FileBlob implements Blob {
  constructor(
    private readonly fh: FileHandle,
    private readonly start: number,
    readonly size: number,
  ) {}
  /** Positioned reads on the open handle: no new descriptor or stream machinery per member. */
  async *stream(offset = 0, len = this.size - offset): AsyncIterable<Buffer> {
    let pos = this.start + offset;
    const end = this.start + Math.min(this.size, offset + len);
    while (pos < end) {
      const want = Math.min(CHUNK, end - pos);
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await this.fh.read(buf, 0, want, pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
      yield bytesRead === want ? buf : buf.subarray(0, bytesRead);
    }
  }
  async read(offset: number, len: number): Promise<Buffer> {
    const n = Math.max(0, Math.min(len, this.size - offset));
    const out = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await this.fh.read(out, got, n - got, this.start + offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return out.subarray(0, got);
  }
  slice(offset: number, len: number): FileBlob {
    return new FileBlob(this.fh, this.start + offset, Math.max(0, Math.min(len, this.size - offset)));
  }
}

/** A sub-range of any blob. */
export class SliceBlob implements Blob {
  constructor(
    private readonly parent: Blob,
    private readonly start: number,
    readonly size: number,
  ) {}
  stream(offset = 0, len = this.size - offset): AsyncIterable<Buffer> {
    return this.parent.stream(this.start + offset, Math.min(len, this.size - offset));
  }
  read(offset: number, len: number): Promise<Buffer> {
    return this.parent.read(this.start + offset, Math.min(len, this.size - offset));
  }
}

/** A deflated zip member: streamed through inflate with an output bound; random access only when small. */
export class InflateBlob implements Blob {
  private cached: Buffer | undefined;
  constructor(
    private readonly compressed: Blob,
    readonly size: number,
    private readonly maxOutput: number,
    private readonly maxInMemory: number,
    private readonly signal?: AbortSignal,
    private readonly compression: Compression = 'raw',
  ) {}

  async *stream(offset = 0, len = Number.MAX_SAFE_INTEGER): AsyncIterable<Buffer> {
    const inflate = this.compression === 'raw' ? createInflateRaw() : this.compression === 'zlib' ? createInflate() : createGunzip();
    const src = this.compressed.stream();
    const pump = (async () => {
      try {
        for await (const c of src) {
          if (this.signal?.aborted) throw new ScanAbortedError();
          if (!inflate.write(c)) {
            await new Promise<void>((r) => {
              inflate.once('drain', () => r());
              inflate.once('close', () => r());
            });
          }
          if (inflate.destroyed) return;
        }
        inflate.end();
      } catch (e: unknown) {
        inflate.destroy(e instanceof Error ? e : new Error(String(e)));
      }
    })();
    let produced = 0;
    const end = offset + len;
    try {
      for await (const chunk of inflate as AsyncIterable<Buffer>) {
        const from = produced;
        produced += chunk.length;
        if (produced > this.maxOutput) throw new BombError(`inflated output exceeds ${this.maxOutput} bytes`);
        if (produced <= offset) continue;
        const part = chunk.subarray(Math.max(0, offset - from), Math.min(chunk.length, end - from));
        if (part.length > 0) {
          yield part;
        }
        if (produced >= end) break;
      }
    } finally {
      inflate.destroy();
      await pump;
    }
  }

  async read(offset: number, len: number): Promise<Buffer> {
    if (this.cached === undefined) {
      if (this.size > this.maxInMemory) throw new BlobTooLargeError(this.size, this.maxInMemory);
      const parts: Buffer[] = [];
      let total = 0;
      for await (const c of this.stream()) {
        total += c.length;
        if (total > this.maxInMemory) throw new BlobTooLargeError(total, this.maxInMemory);
        parts.push(c);
      }
      this.cached = Buffer.concat(parts);
    }
    return this.cached.subarray(offset, Math.min(this.cached.length, offset + len));
  }
}

/** First `n` bytes of a blob, through its stream (works for streamable-only members). */
export async function head(blob: Blob, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const c of blob.stream(0, Math.min(n, blob.size))) {
    parts.push(c);
    total += c.length;
    if (total >= n) break;
  }
  return Buffer.concat(parts).subarray(0, n);
}

/** Reads a whole blob into memory, refusing beyond `limit`. */
export async function readAll(blob: Blob, limit: number): Promise<Buffer> {
  if (blob.size > limit) throw new BlobTooLargeError(blob.size, limit);
  return blob.read(0, blob.size);
}
