import { BlobTooLargeError, BombError, BufferBlob } from '../io/blob';
import type { Blob } from '../io/blob';
import { finding } from '../rules';
import type { ScanContext } from '../scan-context';
import type { ModelFormat } from '../scan-result';
import { bzip2Decode } from './bzip2.codec';
import { CodecError, LZ4_FRAME_MAGIC, lz4Decode } from './lz4.codec';
import { CodecLimitError, lzmaDecode } from './lzma.codec';

/** Compressions beyond zlib/gzip that joblib (`compress=`) and model hubs use. */
export type Codec = 'bz2' | 'xz' | 'lzma' | 'lz4';

const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const BZ2_BLOCK = Buffer.from('314159265359', 'hex');
const BZ2_END = Buffer.from('177245385090', 'hex');
const MAX_LZMA_SIZE = 2n ** 38n;

/** A legacy `.lzma` (LZMA_Alone) header as liblzma accepts it: props, a 2^n or 2^n+2^(n-1) dictionary, a sane size. */
function isLzmaAlone(h: Buffer): boolean {
  if (h.length < 13 || (h[0] as number) >= 9 * 5 * 5) return false;
  const dict = h.readUInt32LE(1);
  const n = 31 - Math.clz32(dict);
  if (dict < 4096 || (dict !== 2 ** n && dict !== 2 ** n + 2 ** (n - 1))) return false;
  const size = h.readBigUInt64LE(5);
  return size === 0xffffffffffffffffn || size < MAX_LZMA_SIZE;
}

/** Detects bz2, xz, lzma and lz4-frame streams by their headers. */
export function codecOf(h: Buffer): Codec | undefined {
  if (h.length >= 10 && h.toString('latin1', 0, 3) === 'BZh' && (h[3] as number) >= 0x31 && (h[3] as number) <= 0x39) {
    const block = h.subarray(4, 10);
    if (block.equals(BZ2_BLOCK) || block.equals(BZ2_END)) return 'bz2';
  }
  if (h.subarray(0, 6).equals(XZ_MAGIC)) return 'xz';
  if (h.length >= 7 && h.readUInt32LE(0) === LZ4_FRAME_MAGIC) return 'lz4';
  if (isLzmaAlone(h)) return 'lzma';
  return undefined;
}

/**
 * Decoded content of a compressed blob, re-decoded from the start for every stream. Output is bounded
 * like zip members: beyond `maxMemberInflated`, or beyond the compression ratio once past `bombMinSize`,
 * it is a bomb and decoding stops.
 */
class DecodedBlob implements Blob {
  private cached: Buffer | undefined;
  constructor(
    private readonly compressed: Blob,
    private readonly codec: Codec,
    private readonly ctx: ScanContext,
  ) {}

  get size(): number {
    return this.ctx.limits.maxMemberInflated;
  }

  private decode(): AsyncIterable<Buffer> {
    const src = this.compressed.stream();
    const { signal } = this.ctx.hooks;
    switch (this.codec) {
      case 'bz2':
        return bzip2Decode(src, this.ctx.limits.maxMemberInflated, signal);
      case 'xz':
      case 'lzma':
        return lzmaDecode(src, signal);
      case 'lz4':
        return lz4Decode(src, { signal });
    }
  }

  async *stream(offset = 0, len = Number.MAX_SAFE_INTEGER): AsyncIterable<Buffer> {
    const { maxMemberInflated, bombMinSize, maxCompressionRatio } = this.ctx.limits;
    const ratioBound = Math.max(bombMinSize, maxCompressionRatio * this.compressed.size);
    const end = offset + len;
    let produced = 0;
    for await (const chunk of this.decode()) {
      const from = produced;
      produced += chunk.length;
      if (produced > maxMemberInflated) throw new BombError(`${this.codec} output exceeds ${maxMemberInflated} bytes`);
      if (produced > ratioBound) {
        throw new BombError(
          `${this.codec} output passes ${ratioBound} bytes (ratio above ${maxCompressionRatio}:1 for ${this.compressed.size} compressed bytes)`,
        );
      }
      if (produced <= offset) continue;
      const part = chunk.subarray(Math.max(0, offset - from), Math.min(chunk.length, end - from));
      if (part.length > 0) yield part;
      if (produced >= end) return;
    }
  }

  async read(offset: number, len: number): Promise<Buffer> {
    if (this.cached === undefined) {
      const parts: Buffer[] = [];
      let total = 0;
      for await (const c of this.stream()) {
        total += c.length;
        if (total > this.ctx.limits.maxInMemory) throw new BlobTooLargeError(total, this.ctx.limits.maxInMemory);
        parts.push(c);
      }
      this.cached = Buffer.concat(parts);
    }
    return this.cached.subarray(offset, Math.min(this.cached.length, offset + len));
  }
}

/**
 * Content bigger than the in-memory bound: the first full read continues the decoder that produced the
 * prefix (releasing the prefix as it goes) instead of decoding everything a second time; short reads
 * from the start (format detection) are served from the prefix; any other read decodes afresh.
 */
class PrimedBlob implements Blob {
  constructor(
    private readonly decoded: DecodedBlob,
    private prefix: Buffer[] | undefined,
    private rest: AsyncIterator<Buffer> | undefined,
    private readonly prefixLength: number,
  ) {}

  get size(): number {
    return this.decoded.size;
  }

  stream(offset = 0, len = Number.MAX_SAFE_INTEGER): AsyncIterable<Buffer> {
    const prefix = this.prefix;
    const rest = this.rest;
    if (offset !== 0 || prefix === undefined || rest === undefined) return this.decoded.stream(offset, len);
    if (len <= this.prefixLength) {
      return (async function* () {
        let left = len;
        for (const part of prefix) {
          if (left <= 0) return;
          yield await Promise.resolve(part.subarray(0, left));
          left -= part.length;
        }
      })();
    }
    if (len !== Number.MAX_SAFE_INTEGER) return this.decoded.stream(offset, len);
    this.prefix = undefined;
    this.rest = undefined;
    return (async function* () {
      while (prefix.length > 0) yield prefix.shift() as Buffer;
      for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
    })();
  }

  read(offset: number, len: number): Promise<Buffer> {
    return this.decoded.read(offset, len);
  }

  /** Stops the decoder if no full read took it over. */
  async dispose(): Promise<void> {
    await this.rest?.return?.();
    this.rest = undefined;
    this.prefix = undefined;
  }
}

/** The decoded content is detected and scanned like an archive member; small content is decoded once. */
async function scanDecoded(
  blob: Blob,
  location: string,
  ctx: ScanContext,
  nameHint: string,
  codec: Codec,
): Promise<ModelFormat> {
  const decoded = new DecodedBlob(blob, codec, ctx);
  const it = decoded.stream()[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let total = 0;
  let inner: BufferBlob | PrimedBlob | undefined;
  for (let next = await it.next(); next.done !== true; next = await it.next()) {
    parts.push(next.value);
    total += next.value.length;
    if (total > ctx.limits.maxInMemory) {
      inner = new PrimedBlob(decoded, parts, it, total);
      break;
    }
  }
  inner ??= new BufferBlob(Buffer.concat(parts));
  const innerName = nameHint.replace(/\.(bz2|tbz2?|xz|txz|lzma|lz4)$/i, (m) =>
    m.toLowerCase().startsWith('.t') ? '.tar' : '',
  );
  try {
    return await ctx.scanNested(inner, `${location}!${codec}`, { ...ctx, depth: ctx.depth + 1 }, innerName);
  } finally {
    if (inner instanceof PrimedBlob) await inner.dispose();
  }
}

/** Scans a bz2/xz/lzma/lz4 stream; corrupt streams, bombs and refused dictionaries are findings. */
export async function scanCodecStream(
  blob: Blob,
  location: string,
  ctx: ScanContext,
  nameHint: string,
  codec: Codec,
): Promise<ModelFormat> {
  try {
    return await scanDecoded(blob, location, ctx, nameHint, codec);
  } catch (e: unknown) {
    if (e instanceof BombError) ctx.findings.push(finding('archive.bomb', e.message, `${location}!${codec}`));
    else if (e instanceof CodecLimitError)
      ctx.findings.push(finding('scan.limit-exceeded', e.message, `${location}!${codec}`));
    else if (e instanceof CodecError)
      ctx.findings.push(finding('compressed.malformed', e.message, `${location}!${codec}`));
    else throw e;
    // Findings of a partial nested scan stay: they were true of the bytes decoded so far.
    return 'unknown';
  }
}
