import { BombError } from '../io/blob';
import { ScanAbortedError } from '../io/byte-reader';
import { CodecError } from './lz4.codec';

/**
 * Compressed bytes kept ahead of the decoder. One bzip2 block holds at most 900k symbols at no more than
 * 20 bits each, so a valid block always fits; a block that does not is reported, never read past.
 */
const WINDOW = 4 << 20;
const OUT_CHUNK = 256 << 10;

/** The synchronous byte source seek-bzip reads, refilled from the async stream between blocks. */
class Window {
  private buf = Buffer.alloc(0);
  private pos = 0;
  private done = false;
  constructor(private readonly it: AsyncIterator<Buffer>) {}

  async fill(signal: AbortSignal | undefined): Promise<void> {
    while (!this.done && this.buf.length - this.pos < WINDOW) {
      if (signal?.aborted) throw new ScanAbortedError();
      const next = await this.it.next();
      if (next.done) this.done = true;
      else this.buf = Buffer.concat([this.buf.subarray(this.pos), next.value]);
      if (!next.done) this.pos = 0;
    }
  }
  readByte(): number {
    if (this.pos >= this.buf.length)
      throw new CodecError(this.done ? 'bzip2 stream is truncated' : `bzip2 block larger than ${WINDOW} bytes`);
    return this.buf[this.pos++] as number;
  }
  read(out: Buffer, offset: number, length: number): number {
    for (let i = 0; i < length; i++) out[offset + i] = this.readByte();
    return length;
  }
  eof(): boolean {
    return this.done && this.pos >= this.buf.length;
  }
}

/** Collects one block's output in fixed chunks; the caller's bound is checked byte by byte. */
class Output {
  chunks: Buffer[] = [];
  private cur = Buffer.allocUnsafe(OUT_CHUNK);
  private n = 0;
  private total = 0;
  constructor(private readonly maxOutput: number) {}
  writeByte(b: number): void {
    if (++this.total > this.maxOutput) throw new BombError(`bzip2 output exceeds ${this.maxOutput} bytes`);
    this.cur[this.n++] = b;
    if (this.n === OUT_CHUNK) {
      this.chunks.push(this.cur);
      this.cur = Buffer.allocUnsafe(OUT_CHUNK);
      this.n = 0;
    }
  }
  drain(): Buffer[] {
    const out = this.chunks;
    if (this.n > 0) out.push(Buffer.from(this.cur.subarray(0, this.n)));
    this.chunks = [];
    this.n = 0;
    return out;
  }
}

/** Runs one synchronous seek-bzip step; its errors (bad magic, CRC, Huffman tables) become CodecErrors. */
function step<T>(f: () => T): T {
  try {
    return f();
  } catch (e: unknown) {
    if (e instanceof CodecError || e instanceof BombError) throw e;
    throw new CodecError(`bzip2: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** bzip2 (`.bz2`, joblib `compress='bz2'`), multi-stream, decoded one block at a time. */
export async function* bzip2Decode(
  src: AsyncIterable<Buffer>,
  maxOutput: number,
  signal: AbortSignal | undefined,
): AsyncIterable<Buffer> {
  // Loaded on first use: few scans meet bzip2, and every scan thread would pay for loading it.
  const { default: Bunzip } = await import('seek-bzip');
  const input = new Window(src[Symbol.asyncIterator]());
  const output = new Output(maxOutput);
  await input.fill(signal);
  const bz = step(() => new Bunzip(input, output));
  for (;;) {
    await input.fill(signal);
    if (step(() => bz._init_block())) {
      step(() => bz._read_bunzip());
      for (const c of output.drain()) yield c;
      continue;
    }
    const crc = step(() => bz.reader.read(32)) >>> 0;
    if (crc !== bz.streamCRC >>> 0) throw new CodecError('bzip2 stream CRC mismatch');
    await input.fill(signal);
    if (input.eof()) return;
    step(() => bz._start_bunzip(input, output));
  }
}
