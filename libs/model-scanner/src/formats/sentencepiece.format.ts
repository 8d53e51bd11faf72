import { TruncatedError } from '../io/byte-reader';
import type { ByteReader } from '../io/byte-reader';
import type { Blob } from '../io/blob';
import { ProtobufError, walkMessage } from '../io/protobuf-walker';
import type { FieldRule, Schema } from '../io/protobuf-walker';
import { finding } from '../rules';
import { readerFor } from '../scan-context';
import type { ScanContext } from '../scan-context';
import type { ModelFormat } from '../scan-result';

/**
 * sentencepiece `ModelProto` (the `tokenizer.model` of Hugging Face / Llama / T5 directories):
 * field 1 repeated `SentencePiece {1 piece, 2 score, 3 type}`, 2 TrainerSpec, 3 NormalizerSpec,
 * 4 SelfTestData, 5 denormalizer NormalizerSpec, extensions from 200. It is pure data: the library
 * builds a vocabulary and a normalizer from it and never resolves names to code.
 */
const NESTED = new Set([2, 3, 4, 5]);
const FIRST_EXTENSION = 200;
const MAX_PIECE = 1 << 16;
const EMPTY_SCHEMA: Schema = new Map<number, FieldRule>();

async function varint(r: ByteReader): Promise<number> {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    await r.need(1);
    const b = r.buf[r.pos++] as number;
    result += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) {
      if (!Number.isSafeInteger(result)) throw new ProtobufError('varint out of range', r.offset);
      return result;
    }
    mul *= 128;
  }
  throw new ProtobufError('varint longer than 10 bytes', r.offset);
}

/** One `SentencePiece` message: a piece string is required, score is a float, type an enum varint. */
async function readPiece(r: ByteReader, len: number): Promise<void> {
  const end = r.offset + len;
  let hasPiece = false;
  while (r.offset < end) {
    const at = r.offset;
    const key = await varint(r);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 1 && wire === 2) {
      const n = await varint(r);
      if (n > MAX_PIECE || r.offset + n > end) throw new ProtobufError('piece string runs past its message', at);
      await r.skip(n);
      hasPiece = true;
    } else if (field === 2 && wire === 5) {
      await r.skip(4);
    } else if (field === 3 && wire === 0) {
      // The type enum (NORMAL, UNKNOWN, CONTROL, ...): proto2 keeps unknown values, so does the library.
      await varint(r);
    } else {
      throw new ProtobufError(`unexpected field ${field} (wire type ${wire}) in a piece`, at);
    }
  }
  if (r.offset !== end) throw new ProtobufError('piece length mismatch', r.offset);
  if (!hasPiece) throw new ProtobufError('piece without its string', end);
}

/** Content check used for detection: field 1 (a piece message) whose own first field is the piece string. */
export function looksLikeSentencepiece(h: Buffer): boolean {
  if (h.length < 4 || h[0] !== 0x0a) return false;
  let pos = 1;
  let len = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    const b = h[pos++];
    if (b === undefined) return false;
    len += (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
  }
  if (h[pos] !== 0x0a) return false;
  const pieceLen = h[pos + 1];
  return len > 2 && pieceLen !== undefined && pieceLen < 0x80 && pieceLen + 2 <= len;
}

/** Validates the whole `ModelProto` wire structure; anything that is not a well-formed model is a finding. */
export async function scanSentencepiece(blob: Blob, location: string, ctx: ScanContext): Promise<ModelFormat> {
  const r = readerFor(blob, ctx);
  let pieces = 0;
  try {
    while (!(await r.atEnd())) {
      const at = r.offset;
      const key = await varint(r);
      const field = Math.floor(key / 8);
      const wire = key % 8;
      if (wire !== 2 || (field !== 1 && !NESTED.has(field) && field < FIRST_EXTENSION)) {
        throw new ProtobufError(`unexpected field ${field} (wire type ${wire}) in a sentencepiece model`, at);
      }
      const n = await varint(r);
      if (n > blob.size - r.offset) throw new ProtobufError('length-delimited field runs past the end of the file', at);
      if (field === 1) {
        await readPiece(r, n);
        pieces++;
      } else if (NESTED.has(field)) {
        await walkMessage(r, EMPTY_SCHEMA, n);
      } else {
        await r.skip(n);
      }
    }
    if (pieces === 0) throw new ProtobufError('model has no pieces', r.offset);
  } catch (e: unknown) {
    if (!(e instanceof ProtobufError) && !(e instanceof TruncatedError)) throw e;
    ctx.findings.push(finding('protobuf.malformed', `sentencepiece model: ${e.message}`, `${location}@${r.offset}`));
  }
  return 'sentencepiece';
}
