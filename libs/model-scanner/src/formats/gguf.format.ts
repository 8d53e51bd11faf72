import { TruncatedError } from '../io/byte-reader';
import type { ByteReader } from '../io/byte-reader';
import type { Blob } from '../io/blob';
import { finding } from '../rules';
import { readerFor } from '../scan-context';
import type { ScanContext } from '../scan-context';
import type { ModelFormat } from '../scan-result';

/** Jinja constructs used to escape the chat-template sandbox (CVE-2024-34359 and its public variants). */
const INJECTION = [
  /__[a-zA-Z]+__/,
  /\b(popen|subprocess|os\.system|eval|exec|import_module|__import__|getattr)\b/,
  /\b(lipsum|cycler|joiner|namespace)\s*\.\s*__/,
  /\|\s*attr\s*\(/,
  /\bself\s*\._/,
  /\brequest\s*\.\s*application\b/,
  /\bconfig\s*\.\s*(items|__)/,
];
const SCALAR_BYTES = [1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8];
const MAX_STRING = 64 << 20;
const MAX_TEMPLATE = 1 << 20;

class GgufError extends Error {}

async function u32(r: ByteReader): Promise<number> {
  await r.need(4);
  const v = r.buf.readUInt32LE(r.pos);
  r.pos += 4;
  return v;
}
async function u64(r: ByteReader): Promise<number> {
  await r.need(8);
  // Two 32-bit halves, no BigInt: every string and array length in the metadata is one of these.
  const hi = r.buf.readUInt32LE(r.pos + 4);
  const v = hi * 2 ** 32 + r.buf.readUInt32LE(r.pos);
  r.pos += 8;
  if (hi >= 2 ** 21) throw new GgufError('64-bit count out of range');
  return v;
}

/** GGUF: header, metadata key/values (streamed; chat templates kept), tensor infos checked for bounds. */
export async function scanGguf(blob: Blob, location: string, ctx: ScanContext): Promise<ModelFormat> {
  const r = readerFor(blob, ctx);
  try {
    await r.need(8);
    if (r.buf.toString('latin1', 0, 4) !== 'GGUF') throw new GgufError('bad magic');
    r.pos = 4;
    const version = await u32(r);
    if (version < 1 || version > 3) throw new GgufError(`unsupported version ${version}`);
    const count = version === 1 ? u32 : u64;
    const len = version === 1 ? u32 : u64;
    const tensors = await count(r);
    const kvs = await count(r);
    if (tensors > 1 << 24 || kvs > 1 << 24) throw new GgufError('tensor or metadata count out of range');
    const str = async (keep: number): Promise<string | undefined> => {
      const n = await len(r);
      if (n > MAX_STRING) throw new GgufError(`string of ${n} bytes`);
      if (n > keep) {
        await r.skip(n);
        return undefined;
      }
      await r.need(n);
      const s = r.buf.toString('utf8', r.pos, r.pos + n);
      r.pos += n;
      return s;
    };
    const value = async (type: number, key: string, depth: number): Promise<void> => {
      if (type === 8) {
        const at = r.offset;
        const s = await str(/chat_template/.test(key) ? MAX_TEMPLATE : 0);
        if (/chat_template/.test(key)) {
          if (s === undefined)
            ctx.findings.push(
              finding(
                'scan.limit-exceeded',
                `chat template "${key}" longer than ${MAX_TEMPLATE} bytes`,
                `${location}@${at}`,
              ),
            );
          else {
            const hit = INJECTION.find((re) => re.test(s));
            if (hit)
              ctx.findings.push(
                finding('gguf.template-injection', `chat template "${key}" matches ${hit.source}`, `${location}@${at}`),
              );
          }
        }
        return;
      }
      if (type === 9) {
        if (depth > 2) throw new GgufError('nested arrays too deep');
        const itemType = await u32(r);
        const n = await len(r);
        const width = SCALAR_BYTES[itemType];
        if (width === undefined) throw new GgufError(`unknown array item type ${itemType}`);
        if (width > 0) await r.skip(n * width);
        else for (let i = 0; i < n; i++) await value(itemType, key, depth + 1);
        return;
      }
      const width = SCALAR_BYTES[type];
      if (width === undefined || width === 0) throw new GgufError(`unknown value type ${type}`);
      await r.skip(width);
    };
    let alignment = 32;
    for (let i = 0; i < kvs; i++) {
      const key = (await str(65_536)) ?? '';
      const type = await u32(r);
      if (key === 'general.alignment' && type === 4) {
        alignment = await u32(r);
        continue;
      }
      await value(type, key, 0);
    }
    const offsets: number[] = [];
    for (let i = 0; i < tensors; i++) {
      await str(0);
      const dims = await u32(r);
      if (dims > 8) throw new GgufError(`tensor with ${dims} dimensions`);
      for (let d = 0; d < dims; d++) await u64(r);
      await u32(r);
      offsets.push(await u64(r));
    }
    const dataStart = Math.ceil(r.offset / alignment) * alignment;
    for (const o of offsets) {
      if (dataStart + o > blob.size || o % alignment !== 0)
        throw new GgufError(`tensor data offset ${o} outside the file or misaligned`);
    }
  } catch (e: unknown) {
    if (!(e instanceof GgufError) && !(e instanceof TruncatedError)) throw e;
    ctx.findings.push(finding('gguf.malformed', e.message, `${location}@${r.offset}`));
  }
  return 'gguf';
}
