import { TruncatedError } from '../io/byte-reader';
import { PickleError } from './pickle-context';
import type { PickleState } from './pickle-state';
import { MAX_DECODED_STRING, MAX_MEMO_BYTES, OPAQUE_BYTES, OPAQUE_STR, T } from './pickle-values';
import type { Value } from './pickle-values';

// Operand readers. Each is synchronous when its bytes are already buffered (the common case) and
// returns a promise only when the reader must refill: awaiting per opcode would cost a promise and a
// microtask for every object in the pickle.

/** Fixed-size operands: the run loop keeps HEAD bytes buffered, so fewer means the stream ended. */
export function fixed(m: PickleState, n: number): void {
  if (m.r.buf.length - m.r.pos < n) throw new TruncatedError(m.r.offset);
}

/** Buffer's own decoders, without `toString`'s argument handling (a third of the cost for short strings). */
interface Decoders {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

/** Decodes buf[start, end): a pickle's short strings are decoded by the million. */
export function decode(buf: Buffer, start: number, end: number, enc: 'utf8' | 'latin1'): string {
  const d = buf as unknown as Decoders;
  return enc === 'utf8' ? d.utf8Slice(start, end) : d.latin1Slice(start, end);
}

function str(m: PickleState, start: number, len: number, enc: 'utf8' | 'latin1'): Value {
  if (len > MAX_DECODED_STRING) return OPAQUE_STR;
  return { t: T.Str, v: decode(m.r.buf, start, start + len, enc) };
}

/** Index of the next newline in buf from `from` (at most `limit` bytes on), or -1. */
export function newlineAt(buf: Buffer, from: number, limit: number): number {
  // Operand lines are short: a loop beats indexOf's call overhead; long ones fall back to it.
  const end = Math.min(buf.length, from + 64);
  for (let i = from; i < end; i++) if (buf[i] === 0x0a) return i;
  if (end === buf.length) return -1;
  const nl = buf.indexOf(0x0a, end);
  return nl >= 0 && nl - from <= limit ? nl : nl < 0 ? -1 : -2;
}

/** Skips `len` bytes, then yields `v`. */
export function skipThen(m: PickleState, len: number, v: Value): Value | Promise<Value> {
  if (m.r.avail() >= len) {
    m.r.pos += len;
    return v;
  }
  return m.r.skip(len).then(() => v);
}

/** A length-prefixed payload: decoded when small, kept as bytes when asked, skipped when large. */
export function payload(m: PickleState, len: number, kind: 'str' | 'bytes' | 'latin1'): Value | Promise<Value> {
  const r = m.r;
  if (kind === 'bytes') {
    // Kept copies are bounded per value and in total: past that, bytes are skipped (a deserializer
    // they might feed is a critical finding on its own).
    if (len > m.ctx.limits.maxKeptBytes || m.keptBytes + len > MAX_MEMO_BYTES) return skipThen(m, len, OPAQUE_BYTES);
    if (r.avail() < len) return r.need(len).then(() => payload(m, len, kind));
    const v = Buffer.from(r.buf.subarray(r.pos, r.pos + len));
    m.keptBytes += len;
    r.pos += len;
    return { t: T.Bytes, v };
  }
  if (len > MAX_DECODED_STRING) return skipThen(m, len, OPAQUE_STR);
  if (r.avail() < len) return r.need(len).then(() => payload(m, len, kind));
  const v = str(m, r.pos, len, kind === 'str' ? 'utf8' : 'latin1');
  r.pos += len;
  return v;
}

/** A protocol-0 operand: bytes up to and excluding a newline (bounded). */
export function textLine(m: PickleState): string | Promise<string> {
  const r = m.r;
  const nl = newlineAt(r.buf, r.pos, m.ctx.limits.maxLineBytes);
  if (nl >= 0 && nl - r.pos <= m.ctx.limits.maxLineBytes) {
    const s = decode(r.buf, r.pos, nl, 'latin1');
    r.pos = nl + 1;
    return s;
  }
  return r.line(m.ctx.limits.maxLineBytes).then((line) => {
    if (line === undefined) throw new PickleError('line operand too long');
    return line.toString('latin1');
  });
}

/**
 * The string and bytes opcodes with a binary length prefix (BINSTRING ... BYTEARRAY8): reads the length,
 * then the payload. `op` is one of them.
 */
export function binaryPayload(m: PickleState, op: number): Value | Promise<Value> {
  const r = m.r;
  switch (op) {
    case 0x54: {
      // BINSTRING
      fixed(m, 4);
      const n = r.buf.readInt32LE(r.pos);
      r.pos += 4;
      if (n < 0) throw new PickleError('negative BINSTRING length');
      return payload(m, n, 'latin1');
    }
    case 0x55: // SHORT_BINSTRING
      fixed(m, 1);
      return payload(m, r.buf[r.pos++] as number, 'latin1');
    case 0x58: {
      // BINUNICODE
      fixed(m, 4);
      const n = r.buf.readUInt32LE(r.pos);
      r.pos += 4;
      return payload(m, n, 'str');
    }
    case 0x8c: // SHORT_BINUNICODE
      fixed(m, 1);
      return payload(m, r.buf[r.pos++] as number, 'str');
    case 0x42: {
      // BINBYTES
      fixed(m, 4);
      const n = r.buf.readUInt32LE(r.pos);
      r.pos += 4;
      return payload(m, n, 'bytes');
    }
    case 0x43: // SHORT_BINBYTES
      fixed(m, 1);
      return payload(m, r.buf[r.pos++] as number, 'bytes');
    default: {
      // BINUNICODE8, BINBYTES8, BYTEARRAY8
      fixed(m, 8);
      const n = Number(r.buf.readBigUInt64LE(r.pos));
      r.pos += 8;
      return payload(m, n, op === 0x8d ? 'str' : 'bytes');
    }
  }
}
