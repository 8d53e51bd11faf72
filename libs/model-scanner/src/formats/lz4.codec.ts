import { ByteReader } from '../io/byte-reader';
import type { ReaderHooks } from '../io/byte-reader';

/** A compressed stream that cannot be decoded (corrupt, truncated, unsupported feature). */
export class CodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecError';
  }
}

export const LZ4_FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MIN = 0x184d2a50;
const SKIPPABLE_MAX = 0x184d2a5f;
const BLOCK_MAX: Record<number, number> = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 };
const HISTORY = 64 << 10;
const MIN_MATCH = 4;

const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;
const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
const round = (acc: number, lane: number): number => Math.imul(rotl((acc + Math.imul(lane, P2)) >>> 0, 13), P1) >>> 0;

/** xxHash32 with seed 0 (the frame descriptor checksum). */
export function xxh32(data: Buffer): number {
  let i = 0;
  let h: number;
  if (data.length >= 16) {
    let v1 = (P1 + P2) >>> 0;
    let v2 = P2;
    let v3 = 0;
    let v4 = (0 - P1) >>> 0;
    for (; i + 16 <= data.length; i += 16) {
      v1 = round(v1, data.readUInt32LE(i));
      v2 = round(v2, data.readUInt32LE(i + 4));
      v3 = round(v3, data.readUInt32LE(i + 8));
      v4 = round(v4, data.readUInt32LE(i + 12));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0;
  } else {
    h = P5;
  }
  h = (h + data.length) >>> 0;
  for (; i + 4 <= data.length; i += 4)
    h = Math.imul(rotl((h + Math.imul(data.readUInt32LE(i), P3)) >>> 0, 17), P4) >>> 0;
  for (; i < data.length; i++) h = Math.imul(rotl((h + Math.imul(data[i] as number, P5)) >>> 0, 11), P1) >>> 0;
  h = Math.imul(h ^ (h >>> 15), P2) >>> 0;
  h = Math.imul(h ^ (h >>> 13), P3) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Decodes one LZ4 block into `dst` after `start` bytes of history; every literal run, match offset
 * and length is checked against both buffers, so hostile input cannot read or write out of bounds.
 */
export function decodeBlock(src: Buffer, dst: Buffer, start: number): number {
  let s = 0;
  let d = start;
  const read = (): number => {
    if (s >= src.length) throw new CodecError('lz4 block ends inside a sequence');
    return src[s++] as number;
  };
  const length = (base: number): number => {
    let n = base;
    if (base === 15) {
      let b: number;
      do {
        b = read();
        n += b;
      } while (b === 255);
    }
    return n;
  };
  for (;;) {
    const token = read();
    const literals = length(token >> 4);
    if (s + literals > src.length || d + literals > dst.length) throw new CodecError('lz4 literal run out of bounds');
    src.copy(dst, d, s, s + literals);
    s += literals;
    d += literals;
    if (s === src.length) return d;
    const offset = read() | (read() << 8);
    if (offset === 0 || offset > d) throw new CodecError(`lz4 match offset ${offset} out of bounds`);
    const len = length(token & 15) + MIN_MATCH;
    if (d + len > dst.length) throw new CodecError('lz4 match runs past the block size');
    // Matches may overlap their own output (runs): copy forward byte by byte then.
    if (offset >= len) dst.copy(dst, d, d - offset, d - offset + len);
    else for (let i = 0; i < len; i++) dst[d + i] = dst[d - offset + i] as number;
    d += len;
  }
}

/** LZ4 frame format (what `lz4.frame` and joblib write): concatenated and skippable frames, linked blocks. */
export async function* lz4Decode(src: AsyncIterable<Buffer>, hooks: ReaderHooks): AsyncIterable<Buffer> {
  const r = new ByteReader(src, hooks);
  const u32 = async (): Promise<number> => {
    await r.need(4);
    const v = r.buf.readUInt32LE(r.pos);
    r.pos += 4;
    return v;
  };
  let frames = 0;
  while (!(await r.atEnd())) {
    const magic = await u32();
    if (magic >= SKIPPABLE_MIN && magic <= SKIPPABLE_MAX) {
      await r.skip(await u32());
      continue;
    }
    if (magic !== LZ4_FRAME_MAGIC)
      throw new CodecError(frames === 0 ? 'not an lz4 frame' : 'data after the last lz4 frame');
    frames++;
    await r.need(2);
    const descStart = r.pos;
    const flg = r.buf[r.pos] as number;
    const bd = r.buf[r.pos + 1] as number;
    if (flg >> 6 !== 1 || (flg & 0x02) !== 0 || (bd & 0x8f) !== 0)
      throw new CodecError('unsupported lz4 frame version or reserved bits');
    if (flg & 0x01) throw new CodecError('lz4 frame needs an external dictionary');
    const blockMax = BLOCK_MAX[(bd >> 4) & 7];
    if (blockMax === undefined) throw new CodecError('invalid lz4 block maximum size');
    const descLen = 2 + (flg & 0x08 ? 8 : 0);
    await r.need(descLen + 1);
    const desc = Buffer.from(r.buf.subarray(descStart, descStart + descLen));
    r.pos += descLen;
    if (r.buf[r.pos++] !== ((xxh32(desc) >>> 8) & 0xff)) throw new CodecError('lz4 frame descriptor checksum mismatch');
    const linked = (flg & 0x20) === 0;
    const blockChecksum = (flg & 0x10) !== 0;
    const contentChecksum = (flg & 0x04) !== 0;
    let history = Buffer.alloc(0);
    for (;;) {
      const word = await u32();
      if (word === 0) break;
      const size = word & 0x7fffffff;
      if (size > blockMax) throw new CodecError(`lz4 block of ${size} bytes exceeds the frame's ${blockMax}`);
      await r.need(size);
      const data = r.buf.subarray(r.pos, r.pos + size);
      let out: Buffer;
      if (word & 0x80000000) {
        out = Buffer.from(data);
      } else {
        const dst = Buffer.allocUnsafe(history.length + blockMax);
        history.copy(dst, 0);
        const end = decodeBlock(data, dst, history.length);
        out = dst.subarray(history.length, end);
      }
      r.pos += size;
      if (blockChecksum) await r.skip(4);
      if (linked) history = Buffer.from(Buffer.concat([history, out]).subarray(-HISTORY));
      yield out;
    }
    if (contentChecksum) await r.skip(4);
  }
}
