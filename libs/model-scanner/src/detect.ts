import { extname, basename } from 'node:path';
import { BufferBlob, InflateBlob, SliceBlob, head } from './io/blob';
import type { Compression } from './io/blob';
import type { Blob } from './io/blob';
import { couldStartPickle } from './pickle/pickle-vm';
import { finding } from './rules';
import type { ScanContext } from './scan-context';
import type { ModelFormat } from './scan-result';
import { scanGguf } from './formats/gguf.format';
import { scanHdf5 } from './formats/keras.format';
import { NPY_MAGIC, scanNpy } from './formats/numpy.format';
import { scanPickleBlob } from './formats/pickle.format';
import { looksLikeOnnx, scanOnnx, scanSavedModel } from './formats/protobuf.format';
import { looksLikeSafetensors, scanSafetensors } from './formats/safetensors.format';
import { looksLikeTar, scanTar } from './formats/tar.format';
import { scanZip } from './formats/zip.format';
import { codecOf, scanCodecStream } from './formats/compressed.format';
import { looksLikeMsgpack, scanMsgpack } from './formats/msgpack.format';
import { looksLikeSentencepiece, scanSentencepiece } from './formats/sentencepiece.format';
import { looksLikeTflite, scanTflite } from './formats/tflite.format';

const HDF5_MAGIC = Buffer.from('\x89HDF\r\n\x1a\n', 'latin1');
const HEAD = 512;

/** Formats an extension promises; content that disagrees is a finding (the content decides the scan). */
const EXPECTED: Record<string, readonly ModelFormat[]> = {
  '.pkl': ['pickle', 'joblib', 'pytorch-legacy'],
  '.pickle': ['pickle', 'joblib', 'pytorch-legacy'],
  '.joblib': ['joblib', 'pickle'],
  '.pt': ['pytorch-zip', 'pytorch-legacy', 'pytorch-tar', 'pickle'],
  '.pth': ['pytorch-zip', 'pytorch-legacy', 'pytorch-tar', 'pickle'],
  '.ckpt': ['pytorch-zip', 'pytorch-legacy', 'pickle'],
  '.npy': ['numpy-npy'],
  '.npz': ['numpy-npz', 'zip'],
  '.safetensors': ['safetensors'],
  '.gguf': ['gguf'],
  '.tflite': ['tflite'],
  '.msgpack': ['msgpack'],
  '.onnx': ['onnx'],
  '.keras': ['keras-v3'],
  '.h5': ['keras-h5', 'hdf5'],
  '.hdf5': ['keras-h5', 'hdf5'],
  '.pb': ['tf-savedmodel'],
  '.zip': ['zip', 'numpy-npz', 'keras-v3', 'pytorch-zip'],
  '.tar': ['tar', 'pytorch-tar'],
  '.json': ['text'],
  '.md': ['text'],
  '.txt': ['text'],
};

// One decoder for every check: a non-streaming decode leaves no state behind.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isText(h: Buffer): boolean {
  if (h.includes(0)) return false;
  try {
    strictUtf8.decode(h.length === HEAD ? h.subarray(0, HEAD - 4) : h);
    return true;
  } catch {
    return false;
  }
}

async function byContent(
  blob: Blob,
  location: string,
  ctx: ScanContext,
  nameHint: string,
  h: Buffer,
): Promise<ModelFormat> {
  const ext = extname(nameHint).toLowerCase();
  if (h.length >= 4 && h.readUInt32LE(0) === 0x04034b50) return scanZip(blob, location, ctx);
  if (h.length >= 4 && h.readUInt32LE(0) === 0x06054b50) return scanZip(blob, location, ctx);
  if (h.subarray(0, 6).equals(NPY_MAGIC)) return scanNpy(blob, location, ctx);
  if (h.subarray(0, 8).equals(HDF5_MAGIC)) return scanHdf5(blob, location, ctx);
  if (h.toString('latin1', 0, 4) === 'GGUF') return scanGguf(blob, location, ctx);
  if (looksLikeTflite(h)) return scanTflite(blob, location, ctx, h);
  if (looksLikeTar(h)) return scanTar(blob, location, ctx);
  const compression = compressionOf(h);
  if (compression !== undefined) return scanCompressed(blob, location, ctx, nameHint, compression);
  const zfile = zfileDataStart(h);
  if (zfile !== undefined) {
    return scanCompressed(new SliceBlob(blob, zfile, blob.size - zfile), location, ctx, nameHint, 'zlib');
  }
  const codec = codecOf(h);
  if (codec !== undefined) return scanCodecStream(blob, location, ctx, nameHint, codec);
  if (looksLikeSafetensors(h, blob.size)) return scanSafetensors(blob, location, ctx);
  if (ext === '.safetensors' && h.length >= 8 && h[0] !== 0x80) return scanSafetensors(blob, location, ctx);
  if (h.length >= 2 && h[0] === 0x80 && couldStartPickle(0x80, h[1])) {
    return (await scanPickleBlob(blob, location, ctx, 'declared', h)) ?? 'pickle';
  }
  if (basename(nameHint) === 'saved_model.pb' || ext === '.pb') return scanSavedModel(blob, location, ctx);
  if (ext === '.onnx' || looksLikeOnnx(h)) {
    if (ext === '.onnx') return scanOnnx(blob, location, ctx);
  }
  if (looksLikeSentencepiece(h)) return scanSentencepiece(blob, location, ctx);
  if (looksLikeMsgpack(h, ext)) return scanMsgpack(blob, location, ctx, h);
  if (h.length > 0 && couldStartPickle(h[0] as number, h[1])) {
    const declared = ext === '.pkl' || ext === '.pickle' || ext === '.joblib';
    const f = await scanPickleBlob(blob, location, ctx, declared ? 'declared' : 'sniff', h);
    if (f !== undefined) return f;
  }
  if (looksLikeOnnx(h)) return scanOnnx(blob, location, ctx);
  if (h.length === 0 || isText(h)) return 'text';
  ctx.findings.push(finding('format.unknown', 'content matches no supported model format', location));
  return 'unknown';
}

// joblib before 0.10 (`compress=`, and its `.npy.z` companions): "ZF", the content length in hex padded
// with spaces to 19 characters (joblib 0.8.4 on Python 2 wrote one more space), then a zlib stream.
const ZFILE_HEADER = 21;
const ZFILE_LENGTH = /^0x[0-9a-f]+ *$/;

/** Where the zlib stream of a joblib "ZF" file starts, or undefined for other content. */
function zfileDataStart(h: Buffer): number | undefined {
  if (h.length <= ZFILE_HEADER || h[0] !== 0x5a || h[1] !== 0x46) return undefined;
  if (!ZFILE_LENGTH.test(h.toString('latin1', 2, ZFILE_HEADER))) return undefined;
  return h[ZFILE_HEADER] === 0x20 ? ZFILE_HEADER + 1 : ZFILE_HEADER;
}

function compressionOf(h: Buffer): Compression | undefined {
  if (h.length >= 3 && h[0] === 0x1f && h[1] === 0x8b && h[2] === 8) return 'gzip';
  // zlib header with the 32K window every writer uses (joblib's `compress=` files), check bits valid.
  if (h.length >= 2 && h[0] === 0x78 && (0x78 * 256 + (h[1] as number)) % 31 === 0) return 'zlib';
  return undefined;
}

/** A compressed stream (gzip, zlib): its content is detected and scanned like an archive member. */
async function scanCompressed(
  blob: Blob,
  location: string,
  ctx: ScanContext,
  nameHint: string,
  compression: Compression,
): Promise<ModelFormat> {
  try {
    return await scanInflated(blob, location, ctx, nameHint, compression);
  } catch (e: unknown) {
    const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && code.startsWith('Z_') && typeof message === 'string') {
      ctx.findings.push(finding('zip.malformed', `${compression} stream cannot be inflated: ${message}`, location));
      return 'unknown';
    }
    throw e;
  }
}

async function scanInflated(
  blob: Blob,
  location: string,
  ctx: ScanContext,
  nameHint: string,
  compression: Compression,
): Promise<ModelFormat> {
  const stream = new InflateBlob(
    blob,
    ctx.limits.maxMemberInflated,
    ctx.limits.maxMemberInflated,
    ctx.limits.maxInMemory,
    ctx.hooks.signal,
    compression,
  );
  // Small content is inflated once (exact size, random access for tar/zip/safetensors); big content is
  // streamed, which suits pickles, and formats that need random access then end up inconclusive.
  let inner: Blob = stream;
  const parts: Buffer[] = [];
  let total = 0;
  for await (const c of stream.stream()) {
    total += c.length;
    if (total > ctx.limits.maxInMemory) break;
    parts.push(c);
  }
  if (total <= ctx.limits.maxInMemory) inner = new BufferBlob(Buffer.concat(parts));
  const innerName = nameHint.replace(/\.(gz|tgz|z)$/i, (m) => (m.toLowerCase() === '.tgz' ? '.tar' : ''));
  return ctx.scanNested(inner, `${location}!${compression}`, { ...ctx, depth: ctx.depth + 1 }, innerName);
}

/** Detects a blob's format by content and scans it; archives recurse through this function. */
export async function scanBlob(blob: Blob, location: string, ctx: ScanContext, nameHint: string): Promise<ModelFormat> {
  if (ctx.depth > ctx.limits.maxArchiveDepth) {
    ctx.findings.push(
      finding('scan.limit-exceeded', `archives nested deeper than ${ctx.limits.maxArchiveDepth}`, location),
    );
    return 'unknown';
  }
  const h = await head(blob, HEAD);
  const format = await byContent(blob, location, ctx, nameHint, h);
  const ext = extname(nameHint).toLowerCase();
  const expected = EXPECTED[ext];
  if (expected !== undefined && !expected.includes(format) && format !== 'unknown') {
    const severity = format === 'text' ? 'low' : 'medium';
    ctx.findings.push(
      finding('format.extension-mismatch', `extension ${ext} but content is ${format}`, location, severity),
    );
  }
  return format;
}
