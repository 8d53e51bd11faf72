import { head } from '../io/blob';
import type { Blob } from '../io/blob';
import { finding } from '../rules';
import type { ScanContext } from '../scan-context';
import type { ModelFormat } from '../scan-result';

const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  F8_E8M0: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
  C64: 8,
  F4: 0.5,
  F6_E2M3: 0.75,
  F6_E3M2: 0.75,
};
const MAX_HEADER = 100 << 20;

/** True when the first bytes look like a safetensors header: u64 length, then `{`. */
export function looksLikeSafetensors(h: Buffer, size: number): boolean {
  // Checked on every file and member: two 32-bit reads, no BigInt (exact below 2^53, and a length that
  // large cannot fit in the file anyway).
  if (h.length < 9 || h[8] !== 0x7b) return false;
  const n = h.readUInt32LE(4) * 2 ** 32 + h.readUInt32LE(0);
  return n >= 2 && n + 8 <= size;
}

/**
 * Validates a safetensors header the way the reference loader does: sane length, JSON object, known
 * dtypes, shapes consistent with byte ranges, ranges inside the data and covering it without overlaps.
 */
export async function scanSafetensors(blob: Blob, location: string, ctx: ScanContext): Promise<ModelFormat> {
  const bad = (msg: string): ModelFormat => {
    ctx.findings.push(finding('safetensors.invalid', msg, location));
    return 'safetensors';
  };
  const h = await head(blob, 8);
  if (h.length < 8) return bad('file shorter than the 8-byte header length');
  const n = h.readUInt32LE(4) * 2 ** 32 + h.readUInt32LE(0);
  if (n > MAX_HEADER || n + 8 > blob.size) return bad(`header length ${n} is larger than the file or the 100 MB bound`);
  const text = (await blob.read(8, n)).toString('utf8');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    return bad('header is not JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) return bad('header is not a JSON object');
  const dataLen = blob.size - 8 - n;
  const ranges: Array<[number, number, string]> = [];
  // Plain loops: a header lists every tensor, and this runs on every safetensors file.
  const entries = header as Record<string, unknown>;
  for (const name in entries) {
    const v = entries[name];
    if (name === '__metadata__') {
      if (v === null || typeof v !== 'object' || Object.values(v).some((x) => typeof x !== 'string'))
        return bad('__metadata__ must map strings to strings');
      continue;
    }
    const t = (v ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const size = typeof t.dtype === 'string' ? DTYPE_BYTES[t.dtype] : undefined;
    if (size === undefined) return bad(`tensor "${name}" has unknown dtype ${String(t.dtype)}`);
    const shape = t.shape;
    if (!Array.isArray(shape)) return bad(`tensor "${name}" has an invalid shape`);
    let count = 1;
    for (const d of shape as unknown[]) {
      if (!Number.isSafeInteger(d) || (d as number) < 0) return bad(`tensor "${name}" has an invalid shape`);
      count *= d as number;
    }
    const off = t.data_offsets;
    if (!Array.isArray(off) || off.length !== 2) return bad(`tensor "${name}" has invalid data_offsets`);
    const a = off[0] as unknown;
    const b = off[1] as unknown;
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || (a as number) < 0 || (b as number) < 0)
      return bad(`tensor "${name}" has invalid data_offsets`);
    if ((a as number) > (b as number) || (b as number) > dataLen)
      return bad(`tensor "${name}" offsets [${String(a)}, ${String(b)}] fall outside the ${dataLen}-byte data section`);
    if (count * size !== (b as number) - (a as number))
      return bad(
        `tensor "${name}": shape and dtype need ${count * size} bytes, offsets give ${(b as number) - (a as number)}`,
      );
    ranges.push([a as number, b as number, name]);
  }
  ranges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let end = 0;
  for (const [a, b, name] of ranges) {
    if (a < end) return bad(`tensor "${name}" overlaps the previous tensor`);
    if (a > end) return bad(`gap before tensor "${name}": data is not fully covered`);
    end = b;
  }
  if (end !== dataLen) return bad(`tensors cover ${end} of ${dataLen} data bytes`);
  return 'safetensors';
}
