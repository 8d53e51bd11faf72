import { readSync } from 'node:fs';
import {
  constants as zlibConstants,
  createGunzip,
  createInflate,
  createInflateRaw,
  gunzipSync,
  inflateRawSync,
  inflateSync,
} from 'node:zlib';
import type { ZlibOptions } from 'node:zlib';
import { ScanAbortedError } from './byte-reader';

/** raw deflate (zip members), zlib (joblib `compress=`), gzip (`.gz`, `.tar.gz`). */
export type Compression = 'raw' | 'zlib' | 'gzip';

const CHUNK = 256 << 10;

/** Bytes to scan: a file, a file range, an in-memory buffer or an inflated zip member. */
export interface Blob {
  readonly size: number;
  /** Streams `len` bytes from `offset` (whole blob by default) in chunks. */
  stream(offset?: number, len?: number): AsyncIterable<Buffer>;
  /** Random access; may throw BlobTooLargeError for members that are only streamable. */
  read(offset: number, len: number): Promise<Buffer>;
  /** The first `n` bytes (fewer when the blob is shorter), read without touching the rest. */
  head?(n: number): Promise<Buffer>;
  /** The whole content when it is already in memory (parsers then skip the stream machinery). */
  inMemory?(): Buffer | undefined;
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

async function* chunksOf(buf: Buffer, offset: number, len: number): AsyncIterable<Buffer> {
  const end = Math.min(buf.length, offset + len);
  for (let at = offset; at < end; at += CHUNK) yield await Promise.resolve(buf.subarray(at, Math.min(end, at + CHUNK)));
}

export class BufferBlob implements Blob {
  constructor(private readonly buf: Buffer) {}
  get size(): number {
    return this.buf.length;
  }
  stream(offset = 0, len = this.buf.length - offset): AsyncIterable<Buffer> {
    return chunksOf(this.buf, offset, len);
  }
  read(offset: number, len: number): Promise<Buffer> {
    return Promise.resolve(this.buf.subarray(offset, Math.min(this.buf.length, offset + len)));
  }
  head(n: number): Promise<Buffer> {
    return this.read(0, n);
  }
  inMemory(): Buffer {
    return this.buf;
  }
}

// Headers are small and scattered (a zip local header, its name and extra field, then the member's
// first bytes): one read of this much serves them all, instead of a system call for each.
const READ_AHEAD = 512;
// A stream's first chunk is small: sniffing a member usually stops after a few bytes.
const FIRST_CHUNK = 16 << 10;

/**
 * An open file (descriptor owned by the caller), read with synchronous positioned reads: files come from
 * the page cache or local disks, where a thread-pool round trip per read costs more than the read.
 * `prefix` is the file's first bytes, already read.
 */
export class FileBlob implements Blob {
  private lastAt = -1;
  private last: Buffer = Buffer.alloc(0);
  constructor(
    private readonly fd: number,
    readonly size: number,
    private readonly prefix: Buffer = Buffer.alloc(0),
  ) {}

  /** Up to `len` bytes at `offset`, from the prefix, the last read, or the file. */
  readNow(offset: number, len: number, readAhead = READ_AHEAD): Buffer {
    const n = Math.max(0, Math.min(len, this.size - offset));
    if (offset + n <= this.prefix.length) return this.prefix.subarray(offset, offset + n);
    if (this.lastAt >= 0 && offset >= this.lastAt && offset + n <= this.lastAt + this.last.length) {
      return this.last.subarray(offset - this.lastAt, offset - this.lastAt + n);
    }
    const want = Math.min(Math.max(n, readAhead), this.size - offset);
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const r = readSync(this.fd, buf, got, want - got, offset + got);
      if (r === 0) break;
      got += r;
    }
    if (want <= READ_AHEAD) {
      this.lastAt = offset;
      this.last = buf.subarray(0, got);
    }
    return buf.subarray(0, Math.min(n, got));
  }

  async *stream(offset = 0, len = this.size - offset): AsyncIterable<Buffer> {
    let pos = offset;
    const end = Math.min(this.size, offset + len);
    let chunk = FIRST_CHUNK;
    while (pos < end) {
      const buf = this.readNow(pos, Math.min(chunk, end - pos), 0);
      if (buf.length === 0) return;
      pos += buf.length;
      chunk = CHUNK;
      yield await Promise.resolve(buf);
    }
  }

  read(offset: number, len: number): Promise<Buffer> {
    return Promise.resolve(this.readNow(offset, len));
  }

  head(n: number): Promise<Buffer> {
    return this.read(0, n);
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
    const inner = this.inMemory();
    if (inner !== undefined) return chunksOf(inner, offset, len);
    return this.parent.stream(this.start + offset, Math.min(len, this.size - offset));
  }
  read(offset: number, len: number): Promise<Buffer> {
    return this.parent.read(this.start + offset, Math.min(len, this.size - offset));
  }
  head(n: number): Promise<Buffer> {
    return this.read(0, n);
  }
  inMemory(): Buffer | undefined {
    return this.parent.inMemory?.()?.subarray(this.start, this.start + this.size);
  }
}

// Members up to this size are inflated in one synchronous call; larger ones are streamed.
const INFLATE_AT_ONCE = 4 << 20;
// Compressed bytes inflated to see a member's first bytes (at most ~1 MiB of output at deflate's ratio).
const HEAD_INPUT = 1 << 10;

/**
 * A compressed member or stream. Small ones are inflated once, in one synchronous call, bounded by their
 * declared size; big ones are streamed through inflate with an output bound, with random access only
 * up to `maxInMemory`. The first bytes (format sniffing, `.npy` headers) are inflated from a prefix of
 * the input, so a member whose payload does not matter is never inflated in full.
 */
export class InflateBlob implements Blob {
  private cached: Buffer | undefined;
  /** Output of the partial inflate of the input's first HEAD_INPUT bytes. */
  private prefix: Buffer | undefined;
  constructor(
    private readonly compressed: Blob,
    readonly size: number,
    private readonly maxOutput: number,
    private readonly maxInMemory: number,
    private readonly signal?: AbortSignal,
    private readonly compression: Compression = 'raw',
  ) {}

  private small(): boolean {
    return this.size <= INFLATE_AT_ONCE && this.maxOutput <= INFLATE_AT_ONCE && this.compressed.size <= INFLATE_AT_ONCE;
  }

  private options(maxOutputLength: number, partial: boolean): ZlibOptions {
    // A whole member comes out in one buffer sized to its declared size, with no concatenation of
    // 16 KiB pieces (zlib's default, kept for partial inflates, whose output is a prefix).
    if (partial) return { maxOutputLength, finishFlush: zlibConstants.Z_SYNC_FLUSH };
    return { maxOutputLength, chunkSize: Math.max(64, Math.min(this.size + 1, maxOutputLength, 1 << 20)) };
  }

  private inflateSync(input: Buffer, maxOutputLength: number, partial: boolean): Buffer {
    // One byte of slack, so output past the bound is seen even when the bound is 0.
    const o = this.options(maxOutputLength + 1, partial);
    try {
      const out =
        this.compression === 'raw'
          ? inflateRawSync(input, o)
          : this.compression === 'zlib'
            ? inflateSync(input, o)
            : gunzipSync(input, o);
      if (out.length > maxOutputLength) throw new BombError(`inflated output exceeds ${maxOutputLength} bytes`);
      return out;
    } catch (e: unknown) {
      if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
        throw new BombError(`inflated output exceeds ${maxOutputLength} bytes`);
      throw e;
    }
  }

  /** The whole content of a small member, inflated once. */
  private async whole(): Promise<Buffer> {
    this.cached ??= this.inflateSync(await this.compressed.read(0, this.compressed.size), this.maxOutput, false);
    return this.cached;
  }

  inMemory(): Buffer | undefined {
    return this.cached;
  }

  async head(n: number): Promise<Buffer> {
    if (this.cached !== undefined) return this.cached.subarray(0, n);
    if (this.prefix !== undefined && this.prefix.length >= n) return this.prefix.subarray(0, n);
    if (this.compressed.size > HEAD_INPUT && this.prefix === undefined) {
      // A partial inflate: output for the input seen so far, no error for the missing rest. Kept: a
      // format check and then its parser both ask for the first bytes.
      this.prefix = this.inflateSync(
        await this.compressed.read(0, HEAD_INPUT),
        Math.min(this.maxOutput, 4 << 20),
        true,
      );
      if (this.prefix.length >= n) return this.prefix.subarray(0, n);
    }
    if (this.small()) return (await this.whole()).subarray(0, n);
    return head({ size: this.size, stream: (o, l) => this.stream(o, l), read: (o, l) => this.read(o, l) }, n);
  }

  async *stream(offset = 0, len = Number.MAX_SAFE_INTEGER): AsyncIterable<Buffer> {
    if (this.small()) {
      yield* chunksOf(await this.whole(), offset, len);
      return;
    }
    const inflate =
      this.compression === 'raw' ? createInflateRaw() : this.compression === 'zlib' ? createInflate() : createGunzip();
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
    if (this.small()) {
      const all = await this.whole();
      return all.subarray(offset, Math.min(all.length, offset + len));
    }
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
  if (blob.head !== undefined) return blob.head(n);
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
