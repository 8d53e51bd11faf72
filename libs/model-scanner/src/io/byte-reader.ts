import { paceEventLoop } from './event-loop-pacer';

/** Thrown when the stream ends before a read can be satisfied. */
export class TruncatedError extends Error {
  constructor(readonly offset: number) {
    super(`unexpected end of data at offset ${offset}`);
    this.name = 'TruncatedError';
  }
}

/** Thrown when cancellation was requested; scanners let it propagate. */
export class ScanAbortedError extends Error {
  constructor() {
    super('scan cancelled');
    this.name = 'ScanAbortedError';
  }
}

export interface ReaderHooks {
  /** Called with the number of bytes consumed so far, at every refill (heartbeats, progress). */
  onProgress?: (bytes: number) => void;
  signal?: AbortSignal;
  /** Give the event loop a turn at a refill once this many ms have passed since its last (see event-loop-pacer). */
  yieldEveryMs?: number;
}

/**
 * A pull reader over a stream of chunks that keeps a small window in memory. Callers `ensure(n)` before
 * reading n bytes from `buf` at `pos`; large payloads are skipped without being buffered, so memory stays
 * bounded whatever the input size.
 */
export class ByteReader {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  private done = false;
  private readonly it: AsyncIterator<Buffer> | undefined;

  constructor(
    source: AsyncIterable<Buffer> | Buffer,
    private readonly hooks: ReaderHooks = {},
    /** Bytes in the whole stream, when the source knows (a file or member size); a hint, never trusted for bounds. */
    readonly length?: number,
  ) {
    if (Buffer.isBuffer(source)) {
      this.buf = source;
      this.done = true;
    } else {
      this.it = source[Symbol.asyncIterator]();
    }
  }

  /** Current offset in the stream. */
  get offset(): number {
    return this.base + this.pos;
  }

  avail(): number {
    return this.buf.length - this.pos;
  }

  /** True when the rest of the stream is all in `buf` (nothing left to read). */
  complete(): boolean {
    return this.done;
  }

  /** Makes at least n bytes available; returns false at end of stream when fewer remain. */
  async ensure(n: number): Promise<boolean> {
    while (this.buf.length - this.pos < n) {
      if (this.done || this.it === undefined) return false;
      await paceEventLoop(this.hooks.yieldEveryMs);
      if (this.hooks.signal?.aborted) throw new ScanAbortedError();
      const next = await this.it.next();
      if (next.done) {
        this.done = true;
        return this.buf.length - this.pos >= n;
      }
      const rest = this.buf.subarray(this.pos);
      this.base += this.pos;
      this.pos = 0;
      this.buf = rest.length === 0 ? next.value : Buffer.concat([rest, next.value]);
      this.hooks.onProgress?.(this.base + this.buf.length);
    }
    return true;
  }

  async need(n: number): Promise<void> {
    if (!(await this.ensure(n))) throw new TruncatedError(this.offset + this.avail());
  }

  /** True when no byte remains. */
  async atEnd(): Promise<boolean> {
    return !(await this.ensure(1));
  }

  /** Reads n bytes (copy-free view, valid until the next ensure). */
  async take(n: number): Promise<Buffer> {
    await this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Skips n bytes without buffering them. */
  async skip(n: number): Promise<void> {
    let left = n;
    for (;;) {
      const have = this.avail();
      if (have >= left) {
        this.pos += left;
        return;
      }
      left -= have;
      this.pos += have;
      if (!(await this.ensure(1))) throw new TruncatedError(this.offset);
    }
  }

  /** Reads up to and excluding '\n' (consumed); fails past maxLen bytes. */
  async line(maxLen: number): Promise<Buffer | undefined> {
    let from = this.pos;
    for (;;) {
      const nl = this.buf.indexOf(0x0a, from);
      if (nl >= 0) {
        const out = this.buf.subarray(this.pos, nl);
        this.pos = nl + 1;
        return out;
      }
      if (this.buf.length - this.pos > maxLen) return undefined;
      from = this.buf.length;
      const rel = from - this.pos;
      if (!(await this.ensure(this.avail() + 1))) throw new TruncatedError(this.offset + this.avail());
      from = this.pos + rel;
    }
  }
}
