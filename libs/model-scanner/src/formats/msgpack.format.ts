import { TruncatedError } from '../io/byte-reader';
import type { ByteReader } from '../io/byte-reader';
import { SliceBlob, head } from '../io/blob';
import type { Blob } from '../io/blob';
import { couldStartPickle } from '../pickle/pickle-vm';
import { finding } from '../rules';
import { readerFor } from '../scan-context';
import type { ScanContext } from '../scan-context';
import type { ModelFormat } from '../scan-result';
import { scanPickleBlob } from './pickle.format';

/** Ext type codes of flax.serialization (ndarray, native complex, numpy scalar); payloads are msgpack. */
const FLAX_EXT = new Set([1, 2, 3]);
const TIMESTAMP_EXT = -1;
const MAX_DEPTH = 256;
/** Strings and binaries up to this size are kept for the msgpack-numpy check; longer ones are skipped unread. */
const KEEP = 64;
/** Keys msgpack-numpy writes for an encoded ndarray; `kind: 'O'` makes its decoder call pickle.loads(data). */
const NUMPY_KEYS = new Set(['nd', 'kind', 'data']);

const PICKLE_EXTENSIONS = new Set(['.pkl', '.pickle', '.joblib']);

class MsgpackError extends Error {}

/** What a value was, as far as the map checks need: its byte range, and its text when short. */
type Summary = { text?: string; range?: [number, number] } | undefined;

interface Walk {
  r: ByteReader;
  blob: Blob;
  location: string;
  ctx: ScanContext;
  unknownExt: Set<number>;
  /** Byte ranges a loader hands to pickle.loads (msgpack-numpy object arrays). */
  pickles: Array<[number, number]>;
  /** Payloads of unknown ext types: sniffed for a pickle. */
  exts: Array<[number, number]>;
}

async function uint(r: ByteReader, n: 1 | 2 | 4): Promise<number> {
  await r.need(n);
  const v = n === 1 ? (r.buf[r.pos] as number) : n === 2 ? r.buf.readUInt16BE(r.pos) : r.buf.readUInt32BE(r.pos);
  r.pos += n;
  return v;
}

async function bytesValue(w: Walk, len: number): Promise<Summary> {
  const at = w.r.offset;
  if (len > w.blob.size - at) throw new MsgpackError(`value of ${len} bytes runs past the end at ${at}`);
  if (len <= KEEP) {
    await w.r.need(len);
    const text = w.r.buf.toString('latin1', w.r.pos, w.r.pos + len);
    w.r.pos += len;
    return { text, range: [at, len] };
  }
  await w.r.skip(len);
  return { range: [at, len] };
}

async function ext(w: Walk, len: number, depth: number): Promise<void> {
  await w.r.need(1);
  const type = w.r.buf.readInt8(w.r.pos++);
  const at = w.r.offset;
  if (len > w.blob.size - at) throw new MsgpackError(`ext payload of ${len} bytes runs past the end at ${at}`);
  if (FLAX_EXT.has(type)) {
    // flax packs (shape, dtype name, raw bytes) as msgpack inside the ext: it must parse exactly.
    await value(w, depth + 1);
    if (w.r.offset !== at + len) throw new MsgpackError(`flax ext ${type} payload length mismatch at ${at}`);
    return;
  }
  if (type === TIMESTAMP_EXT && (len === 4 || len === 8 || len === 12)) {
    await w.r.skip(len);
    return;
  }
  if (!w.unknownExt.has(type)) {
    w.unknownExt.add(type);
    w.ctx.findings.push(
      finding(
        'msgpack.unknown-ext',
        `ext type ${type} is application-defined; an ext_hook may build objects from it`,
        `${w.location}@${at}`,
      ),
    );
  }
  w.exts.push([at, len]);
  await w.r.skip(len);
}

async function map(w: Walk, n: number, depth: number): Promise<void> {
  const numpy = new Map<string, Summary>();
  for (let i = 0; i < n; i++) {
    const key = await value(w, depth + 1);
    const v = await value(w, depth + 1);
    if (key?.text !== undefined && NUMPY_KEYS.has(key.text)) numpy.set(key.text, v);
  }
  const data = numpy.get('data')?.range;
  if (numpy.get('kind')?.text === 'O' && data !== undefined) {
    w.ctx.findings.push(
      finding(
        'msgpack.pickle-payload',
        'msgpack-numpy object array: its decoder calls pickle.loads on "data"',
        `${w.location}@${data[0]}`,
      ),
    );
    w.pickles.push(data);
  }
}

async function container(w: Walk, n: number, isMap: boolean, depth: number): Promise<void> {
  if (n > w.blob.size - w.r.offset)
    throw new MsgpackError(`${n} elements cannot fit in the rest of the file at ${w.r.offset}`);
  if (isMap) return map(w, n, depth);
  for (let i = 0; i < n; i++) await value(w, depth + 1);
}

/** Walks one value; payloads are skipped unread, so memory stays bounded whatever the file size. */
async function value(w: Walk, depth: number): Promise<Summary> {
  if (depth > MAX_DEPTH) throw new MsgpackError(`nesting deeper than ${MAX_DEPTH}`);
  const r = w.r;
  await r.need(1);
  const b = r.buf[r.pos++] as number;
  if (b <= 0x7f || b >= 0xe0) return undefined;
  if (b <= 0x8f) return container(w, b & 0x0f, true, depth).then(() => undefined);
  if (b <= 0x9f) return container(w, b & 0x0f, false, depth).then(() => undefined);
  if (b <= 0xbf) return bytesValue(w, b & 0x1f);
  switch (b) {
    case 0xc0:
    case 0xc2:
      return undefined;
    case 0xc3:
      return { text: 'true' };
    case 0xc4:
    case 0xd9:
      return bytesValue(w, await uint(r, 1));
    case 0xc5:
    case 0xda:
      return bytesValue(w, await uint(r, 2));
    case 0xc6:
    case 0xdb:
      return bytesValue(w, await uint(r, 4));
    case 0xc7:
      return ext(w, await uint(r, 1), depth).then(() => undefined);
    case 0xc8:
      return ext(w, await uint(r, 2), depth).then(() => undefined);
    case 0xc9:
      return ext(w, await uint(r, 4), depth).then(() => undefined);
    case 0xd4:
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8:
      return ext(w, 1 << (b - 0xd4), depth).then(() => undefined);
    case 0xdc:
      return container(w, await uint(r, 2), false, depth).then(() => undefined);
    case 0xdd:
      return container(w, await uint(r, 4), false, depth).then(() => undefined);
    case 0xde:
      return container(w, await uint(r, 2), true, depth).then(() => undefined);
    case 0xdf:
      return container(w, await uint(r, 4), true, depth).then(() => undefined);
    default: {
      // Fixed-width numbers: 0xca/0xcb floats, 0xcc-0xcf unsigned, 0xd0-0xd3 signed.
      const width = { 0xca: 4, 0xcb: 8, 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8, 0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8 }[b];
      if (width === undefined) throw new MsgpackError(`reserved type byte 0x${b.toString(16)} at ${r.offset - 1}`);
      await r.skip(width);
      return undefined;
    }
  }
}

/**
 * Content check: a map (Flax state dicts, msgpack-numpy dicts) whose first key is a string or binary; a
 * file named `.msgpack` may also hold a top-level array.
 */
export function looksLikeMsgpack(h: Buffer, ext: string): boolean {
  const b = h[0];
  // A file named as a pickle whose first bytes also read as a map is left to the pickle analysis.
  if (b === undefined || PICKLE_EXTENSIONS.has(ext)) return false;
  if (ext === '.msgpack' && ((b >= 0x90 && b <= 0x9f) || b === 0xdc || b === 0xdd)) return true;
  const keyAt = b >= 0x81 && b <= 0x8f ? 1 : b === 0xde ? 3 : b === 0xdf ? 5 : -1;
  const k = h[keyAt];
  if (keyAt < 0 || k === undefined) return false;
  return (k >= 0xa1 && k <= 0xbf) || k === 0xd9 || k === 0xda || k === 0xc4 || k === 0xc5;
}

/**
 * msgpack (Flax `flax_model.msgpack`, msgpack-numpy): every value is walked with bounds. Plain msgpack
 * is data; findings are msgpack-numpy object arrays (decoded with pickle.loads, whose bytes are then
 * analysed as a pickle) and ext types other than timestamps and Flax's three.
 */
export async function scanMsgpack(blob: Blob, location: string, ctx: ScanContext, h: Buffer): Promise<ModelFormat> {
  const w: Walk = { r: readerFor(blob, ctx), blob, location, ctx, unknownExt: new Set(), pickles: [], exts: [] };
  try {
    do await value(w, 0);
    while (!(await w.r.atEnd()));
  } catch (e: unknown) {
    if (!(e instanceof MsgpackError) && !(e instanceof TruncatedError)) throw e;
    ctx.findings.push(finding('msgpack.malformed', e.message, `${location}@${w.r.offset}`));
  }
  for (const [at, len] of w.pickles) {
    const payload = new SliceBlob(blob, at, len);
    await scanPickleBlob(payload, `${location}@${at}`, ctx, 'declared', await head(payload, 512));
  }
  for (const [at, len] of w.exts) {
    const payload = new SliceBlob(blob, at, len);
    const ph = await head(payload, 512);
    if (ph.length > 0 && couldStartPickle(ph[0] as number, ph[1]))
      await scanPickleBlob(payload, `${location}@${at}`, ctx, 'sniff', ph);
  }
  // fixmap 8-15 bytes are also opcodes a pickle may start with: such a polyglot is read as a pickle too.
  // EXT1/2/4 (fixmap 2-4, the common Flax layout) are left out: they resolve through the extension
  // registry, empty unless the loading program fills it.
  const first = h[0] as number;
  if ((first < 0x82 || first > 0x84) && couldStartPickle(first, h[1]))
    await scanPickleBlob(blob, location, ctx, 'sniff', h);
  return 'msgpack';
}
