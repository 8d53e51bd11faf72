import { TruncatedError } from './byte-reader';
import type { ByteReader } from './byte-reader';

/** What to do with a field: descend into a sub-message, hand a short string to a callback, or a varint. */
export type FieldRule =
  | { kind: 'message'; schema: Schema }
  | { kind: 'string'; onValue: (value: string, offset: number) => void; maxLen?: number }
  /** A string field of which only some values matter: others are skipped without being decoded. */
  | { kind: 'match'; values: ReadonlySet<string>; onMatch: (value: string, offset: number) => void }
  | { kind: 'varint'; onValue: (value: number, offset: number) => void };
export type Schema = ReadonlyMap<number, FieldRule> | { get(field: number): FieldRule | undefined };

export class ProtobufError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = 'ProtobufError';
  }
}

const MAX_DEPTH = 100;

// Rules by field number in a plain array, built once per schema: the walker looks one up for every field
// of every message, and a Map (or a LazySchema) behind one call site is a slow, polymorphic lookup.
const TABLE_FIELDS = 64;
const tables = new WeakMap<object, Array<FieldRule | undefined>>();

function tableOf(schema: Schema): Array<FieldRule | undefined> {
  let t = tables.get(schema);
  if (t === undefined) {
    t = new Array<FieldRule | undefined>(TABLE_FIELDS).fill(undefined);
    for (let f = 1; f < TABLE_FIELDS; f++) t[f] = schema.get(f);
    tables.set(schema, t);
  }
  return t;
}
const BUFFER_MESSAGE = 4 << 20;

async function varint(r: ByteReader): Promise<number> {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (r.avail() < 1) await r.need(1);
    const b = r.buf[r.pos++] as number;
    result += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return result;
    mul *= 128;
  }
  throw new ProtobufError('varint longer than 10 bytes', r.offset);
}

/** The UTF-8 bytes of a match rule's values, indexed by length (built once per set). */
const matchBytes = new WeakMap<ReadonlySet<string>, Array<Buffer[] | undefined>>();
// Schemas reuse one value set (the dangerous-op list) for every field: the last one is kept at hand.
let lastValues: ReadonlySet<string> | undefined;
let lastByLength: Array<Buffer[] | undefined> | undefined;

function byLengthOf(values: ReadonlySet<string>): Array<Buffer[] | undefined> {
  if (values === lastValues && lastByLength !== undefined) return lastByLength;
  let byLength = matchBytes.get(values);
  if (byLength === undefined) {
    byLength = [];
    for (const v of values) {
      const b = Buffer.from(v, 'utf8');
      (byLength[b.length] ??= []).push(b);
    }
    matchBytes.set(values, byLength);
  }
  lastValues = values;
  lastByLength = byLength;
  return byLength;
}

/** The matched value when buf[start, start + n) is one of `values`, else undefined. */
function matched(values: ReadonlySet<string>, buf: Buffer, start: number, n: number): string | undefined {
  const byLength = byLengthOf(values);
  const candidates = n < byLength.length ? byLength[n] : undefined;
  if (candidates === undefined) return undefined;
  // Values are short names: a byte loop beats a native compare call.
  next: for (const b of candidates) {
    for (let i = 0; i < n; i++) if (b[i] !== buf[start + i]) continue next;
    return b.toString('utf8');
  }
  return undefined;
}

/** Position of the synchronous walker in a buffer that holds the whole message. */
interface Cursor {
  buf: Buffer;
  pos: number;
  /** Stream offset of buf[0], for error offsets. */
  base: number;
}

function varintSync(c: Cursor, end: number): number {
  // One-byte varints (most tags and short lengths) skip the loop.
  if (c.pos < end) {
    const first = c.buf[c.pos] as number;
    if (first < 0x80) {
      c.pos++;
      return first;
    }
  }
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (c.pos >= end) throw new TruncatedError(c.base + c.pos);
    const b = c.buf[c.pos++] as number;
    result += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return result;
    mul *= 128;
  }
  throw new ProtobufError('varint longer than 10 bytes', c.base + c.pos);
}

/**
 * The walker over a message that is entirely in memory: no promise per field. Same rules and errors as
 * the streaming walker (a field past the end of its message, truncation, unknown wire types).
 */
function walkBuffered(c: Cursor, schema: Schema, len: number | undefined, depth: number, truncatedAt: number): void {
  if (depth > MAX_DEPTH) throw new ProtobufError('message nesting too deep', c.base + c.pos);
  const table = tableOf(schema);
  const end = len === undefined ? Number.MAX_SAFE_INTEGER : c.pos + len;
  while (c.pos < Math.min(end, truncatedAt)) {
    const at = c.base + c.pos;
    const key = varintSync(c, truncatedAt);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field === 0) throw new ProtobufError('field number 0', at);
    const rule = field < TABLE_FIELDS ? table[field] : schema.get(field);
    switch (wire) {
      case 0: {
        const v = varintSync(c, truncatedAt);
        if (rule?.kind === 'varint') rule.onValue(v, at);
        break;
      }
      case 1:
      case 5:
        c.pos += wire === 1 ? 8 : 4;
        if (c.pos > truncatedAt) throw new TruncatedError(c.base + truncatedAt);
        break;
      case 2: {
        const n = varintSync(c, truncatedAt);
        if (c.pos + n > end) throw new ProtobufError('length-delimited field runs past its message', at);
        if (c.pos + n > truncatedAt) throw new TruncatedError(c.base + truncatedAt);
        if (rule?.kind === 'message') {
          walkBuffered(c, rule.schema, n, depth + 1, truncatedAt);
        } else {
          if (rule?.kind === 'string' && n <= (rule.maxLen ?? 4096))
            rule.onValue(c.buf.toString('utf8', c.pos, c.pos + n), at);
          if (rule?.kind === 'match') {
            const v = matched(rule.values, c.buf, c.pos, n);
            if (v !== undefined) rule.onMatch(v, at);
          }
          c.pos += n;
        }
        break;
      }
      default:
        throw new ProtobufError(`unsupported wire type ${wire}`, at);
    }
  }
  if (len !== undefined && c.pos !== end) throw new ProtobufError('message length mismatch', c.base + c.pos);
}

/**
 * Streams through a protobuf message of `len` bytes (or to end of stream), descending only into the
 * fields the schema names and skipping everything else (tensor payloads) without buffering it. Only the
 * wire format is checked: a malformed tag, a length past its parent, or an unknown wire type throws.
 */
export async function walkMessage(r: ByteReader, schema: Schema, len: number | undefined, depth = 0): Promise<void> {
  if (depth > MAX_DEPTH) throw new ProtobufError('message nesting too deep', r.offset);
  // A message up to BUFFER_MESSAGE bytes is buffered and walked synchronously (bounded memory).
  if (len === undefined ? r.complete() : r.avail() >= len || (len <= BUFFER_MESSAGE && (await r.ensure(len)))) {
    // The whole message is in memory (small files, most members): walk it synchronously.
    const c: Cursor = { buf: r.buf, pos: r.pos, base: r.offset - r.pos };
    try {
      walkBuffered(c, schema, len, depth, r.buf.length);
    } finally {
      r.pos = Math.min(c.pos, r.buf.length);
    }
    return;
  }
  const end = len === undefined ? Number.MAX_SAFE_INTEGER : r.offset + len;
  while (r.offset < end) {
    if (len === undefined && (await r.atEnd())) return;
    const at = r.offset;
    const key = await varint(r);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field === 0) throw new ProtobufError('field number 0', at);
    const rule = schema.get(field);
    switch (wire) {
      case 0: {
        const v = await varint(r);
        if (rule?.kind === 'varint') rule.onValue(v, at);
        break;
      }
      case 1:
        await r.skip(8);
        break;
      case 5:
        await r.skip(4);
        break;
      case 2: {
        const n = await varint(r);
        if (r.offset + n > end) throw new ProtobufError('length-delimited field runs past its message', at);
        if (rule?.kind === 'message') {
          await walkMessage(r, rule.schema, n, depth + 1);
        } else if (rule?.kind === 'string' && n <= (rule.maxLen ?? 4096)) {
          await r.need(n);
          rule.onValue(r.buf.toString('utf8', r.pos, r.pos + n), at);
          r.pos += n;
        } else if (rule?.kind === 'match' && n <= 4096) {
          await r.need(n);
          const v = matched(rule.values, r.buf, r.pos, n);
          if (v !== undefined) rule.onMatch(v, at);
          r.pos += n;
        } else {
          await r.skip(n);
        }
        break;
      }
      default:
        throw new ProtobufError(`unsupported wire type ${wire}`, at);
    }
  }
  if (r.offset !== end && len !== undefined) throw new ProtobufError('message length mismatch', r.offset);
}

/** Lets schemas refer to themselves (ONNX subgraphs inside node attributes). */
export class LazySchema {
  private map: Map<number, FieldRule> | undefined;
  constructor(private readonly build: () => Map<number, FieldRule>) {}
  get(field: number): FieldRule | undefined {
    this.map ??= this.build();
    return this.map.get(field);
  }
}
