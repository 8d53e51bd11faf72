import type { Blob } from '../io/blob';
import { couldStartPickle } from '../pickle/pickle-vm';
import { finding } from '../rules';
import type { ScanContext } from '../scan-context';
import type { ModelFormat } from '../scan-result';
import { scanPickleBlob } from './pickle.format';
import { DANGEROUS_TF_OPS } from './protobuf.format';

/** BuiltinOperator.CUSTOM in tensorflow/lite/schema/schema.fbs: the op is named by `custom_code`. */
const BUILTIN_CUSTOM = 32;
/** Prefix the converter gives TensorFlow ops run through the Flex delegate ("select TF ops"). */
const FLEX_PREFIX = 'Flex';
/**
 * TensorFlow ops that read or write files besides SavedModel's list: a SavedModel needs its saver ops,
 * an inference model run through Flex has no reason to checkpoint, read records or write summaries.
 */
const FLEX_FILE_OPS: ReadonlySet<string> = new Set([
  'Save',
  'SaveV2',
  'SaveSlices',
  'Restore',
  'RestoreV2',
  'RestoreSlice',
  'MergeV2Checkpoints',
  'LoadAndRemapMatrix',
  'TFRecordDataset',
  'TFRecordDatasetV2',
  'TextLineDataset',
  'FixedLengthRecordDataset',
  'FixedLengthRecordDatasetV2',
  'CreateSummaryFileWriter',
  'PrintV2',
  'DebugIdentityV2',
]);
/** Custom ops whose kernels ship in the TFLite runtime's own op resolver (object detection, audio). */
const RUNTIME_CUSTOM_OPS: ReadonlySet<string> = new Set(['TFLite_Detection_PostProcess', 'AudioSpectrogram', 'Mfcc']);
const MAX_NAME = 4096;
const PAGE = 64 << 10;
const MAX_PAGES = 256;
const MAX_VECTOR = 1 << 24;
/** Tables visited per model: a hostile file cannot make the walk unbounded. */
const MAX_TABLES = 4_000_000;

class TfliteError extends Error {}

/** Bounds-checked random access over a blob, a page cache keeping big files out of memory. */
class FlatReader {
  private readonly pages = new Map<number, Buffer>();
  constructor(private readonly blob: Blob) {}

  private async page(n: number): Promise<Buffer> {
    let p = this.pages.get(n);
    if (p === undefined) {
      if (this.pages.size >= MAX_PAGES) this.pages.delete(this.pages.keys().next().value as number);
      p = await this.blob.read(n * PAGE, PAGE);
      this.pages.set(n, p);
    }
    return p;
  }

  async bytes(at: number, len: number): Promise<Buffer> {
    if (!Number.isSafeInteger(at) || at < 0 || len < 0 || at + len > this.blob.size)
      throw new TfliteError(`offset ${at}+${len} outside the file`);
    const first = Math.floor(at / PAGE);
    const last = Math.floor((at + len - 1) / PAGE);
    if (len > 0 && first === last) {
      const p = await this.page(first);
      const out = p.subarray(at - first * PAGE, at - first * PAGE + len);
      if (out.length !== len) throw new TfliteError(`offset ${at}+${len} outside the file`);
      return out;
    }
    const out = await this.blob.read(at, len);
    if (out.length !== len) throw new TfliteError(`offset ${at}+${len} outside the file`);
    return out;
  }
  async u16(at: number): Promise<number> {
    return (await this.bytes(at, 2)).readUInt16LE(0);
  }
  async u32(at: number): Promise<number> {
    return (await this.bytes(at, 4)).readUInt32LE(0);
  }
  async i32(at: number): Promise<number> {
    return (await this.bytes(at, 4)).readInt32LE(0);
  }
}

/** A FlatBuffers table: field positions come from its vtable; every offset is checked against the file. */
class Table {
  private constructor(
    private readonly r: FlatReader,
    readonly pos: number,
    private readonly vtable: number,
    private readonly vlen: number,
    private readonly tlen: number,
  ) {}

  static async at(r: FlatReader, pos: number): Promise<Table> {
    const vtable = pos - (await r.i32(pos));
    const vlen = await r.u16(vtable);
    const tlen = await r.u16(vtable + 2);
    if (vlen < 4 || vlen % 2 !== 0 || tlen < 4) throw new TfliteError(`bad vtable for the table at ${pos}`);
    await r.bytes(vtable, vlen);
    await r.bytes(pos, tlen);
    return new Table(r, pos, vtable, vlen, tlen);
  }

  /** Absolute position of field `id`, or undefined when the field is absent (default value). */
  async field(id: number, width: number): Promise<number | undefined> {
    if (4 + 2 * id >= this.vlen) return undefined;
    const off = await this.r.u16(this.vtable + 4 + 2 * id);
    if (off === 0) return undefined;
    if (off + width > this.tlen) throw new TfliteError(`field ${id} of the table at ${this.pos} lies outside it`);
    return this.pos + off;
  }

  /** Follows a uoffset field (table, vector, string) to the object it points at. */
  async ref(id: number): Promise<number | undefined> {
    const at = await this.field(id, 4);
    return at === undefined ? undefined : at + (await this.r.u32(at));
  }

  async i32(id: number, fallback: number): Promise<number> {
    const at = await this.field(id, 4);
    return at === undefined ? fallback : this.r.i32(at);
  }

  async u64(id: number): Promise<number> {
    const at = await this.field(id, 8);
    if (at === undefined) return 0;
    const v = (await this.r.bytes(at, 8)).readBigUInt64LE(0);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new TfliteError(`64-bit field ${id} out of range`);
    return Number(v);
  }

  async i8(id: number, fallback: number): Promise<number> {
    const at = await this.field(id, 1);
    return at === undefined ? fallback : (await this.r.bytes(at, 1)).readInt8(0);
  }
}

/** Checks a vector of `width`-byte scalars lies inside the file; returns its length. */
async function vector(r: FlatReader, pos: number | undefined, width: number): Promise<number> {
  if (pos === undefined) return 0;
  const n = await r.u32(pos);
  if (n > MAX_VECTOR) throw new TfliteError(`vector of ${n} elements at ${pos}`);
  await r.bytes(pos + 4, width * n);
  return n;
}

async function vectorOfTables(r: FlatReader, pos: number | undefined, budget: { tables: number }): Promise<Table[]> {
  const n = await vector(r, pos, 4);
  if (pos === undefined) return [];
  budget.tables -= n;
  if (budget.tables < 0) throw new TfliteError(`more than ${MAX_TABLES} tables`);
  const out: Table[] = [];
  for (let i = 0; i < n; i++) {
    const slot = pos + 4 + 4 * i;
    out.push(await Table.at(r, slot + (await r.u32(slot))));
  }
  return out;
}

/**
 * The structure the interpreter dereferences: subgraphs (tensors, inputs, outputs, operators and their
 * opcode indices), buffers (inline data or an offset/size into the file) and the description, so a
 * truncated or tampered file is reported instead of half-read.
 */
async function verifyGraph(r: FlatReader, model: Table, opcodes: number, size: number): Promise<void> {
  const budget = { tables: MAX_TABLES };
  const subgraphs = await vectorOfTables(r, await model.ref(2), budget);
  if (subgraphs.length === 0) throw new TfliteError('model has no subgraphs');
  for (const g of subgraphs) {
    for (const t of await vectorOfTables(r, await g.ref(0), budget)) {
      await vector(r, await t.ref(0), 4);
      const name = await t.ref(3);
      if (name !== undefined) await str(r, name);
    }
    await vector(r, await g.ref(1), 4);
    await vector(r, await g.ref(2), 4);
    for (const op of await vectorOfTables(r, await g.ref(3), budget)) {
      const index = await op.i32(0, 0);
      if (index < 0 || index >= opcodes)
        throw new TfliteError(`operator at ${op.pos} uses opcode ${index} of ${opcodes}`);
      await vector(r, await op.ref(1), 4);
      await vector(r, await op.ref(2), 4);
      await vector(r, await op.ref(5), 1);
    }
  }
  for (const b of await vectorOfTables(r, await model.ref(4), budget)) {
    await vector(r, await b.ref(0), 1);
    const offset = await b.u64(1);
    if (offset > 1 && offset + (await b.u64(2)) > size)
      throw new TfliteError(`buffer at ${b.pos} points outside the file`);
  }
  const description = await model.ref(3);
  if (description !== undefined) await str(r, description);
}

async function str(r: FlatReader, pos: number): Promise<string> {
  const n = await r.u32(pos);
  if (n > MAX_NAME) throw new TfliteError(`string of ${n} bytes at ${pos}`);
  return (await r.bytes(pos + 4, n)).toString('utf8');
}

/** Content check: the FlatBuffers file identifier of TFLite models. */
export function looksLikeTflite(h: Buffer): boolean {
  return h.length >= 8 && h.toString('latin1', 4, 8) === 'TFL3';
}

/**
 * TFLite: reads the operator codes of the `Model` table. Builtin ops are data-only kernels; custom ops
 * need native code the loader registers; Flex ops are TensorFlow ops judged like SavedModel ops.
 */
export async function scanTflite(blob: Blob, location: string, ctx: ScanContext, h: Buffer): Promise<ModelFormat> {
  const r = new FlatReader(blob);
  try {
    const model = await Table.at(r, await r.u32(0));
    const codes = await vectorOfTables(r, await model.ref(1), { tables: MAX_TABLES });
    await verifyGraph(r, model, codes.length, blob.size);
    const seen = new Set<string>();
    for (const code of codes) {
      const builtin = Math.max(await code.i8(0, 0), await code.i32(3, 0));
      if (builtin !== BUILTIN_CUSTOM) continue;
      const namePos = await code.ref(1);
      const name = namePos === undefined ? '' : await str(r, namePos);
      if (seen.has(name)) continue;
      seen.add(name);
      const loc = `${location}@${code.pos}`;
      if (name.startsWith(FLEX_PREFIX)) {
        const op = name.slice(FLEX_PREFIX.length);
        if (DANGEROUS_TF_OPS.has(op) || FLEX_FILE_OPS.has(op))
          ctx.findings.push(finding('tf.dangerous-op', `TFLite Flex (select TF) op ${op}`, loc));
      } else if (!RUNTIME_CUSTOM_OPS.has(name)) {
        ctx.findings.push(
          finding('tflite.custom-op', `custom operator "${name}" needs a kernel registered by the loader`, loc),
        );
      }
    }
  } catch (e: unknown) {
    if (!(e instanceof TfliteError)) throw e;
    ctx.findings.push(finding('tflite.malformed', e.message, location));
  }
  // A pickle can carry TFL3 at offset 4 (a FRAME or string length): such a polyglot is also read as one.
  if (couldStartPickle(h[0] as number, h[1])) await scanPickleBlob(blob, location, ctx, 'sniff', h);
  return 'tflite';
}
