import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { BufferBlob } from '../io/blob';
import type { ScanContext } from '../scan-context';
import { DEFAULT_SCAN_LIMITS } from '../scan-context';
import { escapesModelDir, scanOnnx } from './protobuf.format';

/**
 * Raw tensor storage that a model beside it declares: ONNX external data files (`model.onnx` naming
 * `model.onnx.data` or `weights.bin`), TensorFlow SavedModel variables (`variables/variables.data-*`,
 * `variables/variables.index`) and TensorFlow checkpoints (`ckpt-1.index` with `ckpt-1.data-*`). Every large ONNX model and every SavedModel has them, and their loaders
 * copy the bytes into tensors without deserializing anything. So content that matched no format (only
 * then is this asked: a pickle named `weights.bin` is still scanned as a pickle) is not "unknown" when a
 * model declares it: it is that model's tensor data.
 */

const TF_VARIABLES = /^variables\.(data-\d{5}-of-\d{5}|index)$/;
// TensorFlow checkpoints (TensorBundle): `<prefix>.index`, a LevelDB-style table ending in this magic,
// and the data shards `<prefix>.data-00000-of-00002`... the index locates tensors in.
const TF_DATA_SHARD = /^(.+)\.data-\d{5}-of-(\d{5})$/;
const TF_INDEX = /^(.+)\.index$/;
const TABLE_MAGIC = Buffer.from('57fb808b247547db', 'hex');
// Parents searched for the ONNX model (its locations may name a subdirectory), and the models read per
// directory and their size: a directory of thousands of models or a huge model is not searched.
const PARENTS = 2;
const MAX_MODELS_PER_DIR = 64;
const MAX_MODEL_BYTES = 64 << 20;

// Keyed by path and modification time (a long-lived worker scans directories that change), and emptied
// when they grow past CACHE_ENTRIES.
const CACHE_ENTRIES = 4096;
const onnxByDir = new Map<string, string[]>();
// Promises, not sets: files scanned concurrently ask for the same model while it is being read.
const locationsByModel = new Map<string, Promise<Set<string>>>();

function versioned(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${path}\0${st.mtimeMs}\0${st.size}`;
  } catch {
    return undefined;
  }
}

function bounded<V>(cache: Map<string, V>): Map<string, V> {
  if (cache.size >= CACHE_ENTRIES) cache.clear();
  return cache;
}

function onnxModelsIn(dir: string): string[] {
  const key = versioned(dir);
  if (key === undefined) return [];
  let models = onnxByDir.get(key);
  if (models === undefined) {
    try {
      models = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.onnx'))
        .map((e) => join(dir, e.name))
        .slice(0, MAX_MODELS_PER_DIR);
    } catch {
      models = [];
    }
    bounded(onnxByDir).set(key, models);
  }
  return models;
}

/** Absolute paths of the external data files an ONNX model names inside its directory. */
function externalDataOf(model: string): Promise<Set<string>> {
  const key = versioned(model);
  if (key === undefined) return Promise.resolve(new Set());
  let files = locationsByModel.get(key);
  if (files === undefined) {
    files = readExternalData(model);
    bounded(locationsByModel).set(key, files);
  }
  return files;
}

async function readExternalData(model: string): Promise<Set<string>> {
  const files = new Set<string>();
  try {
    if (statSync(model).size > MAX_MODEL_BYTES) return files;
    const locations: string[] = [];
    const ctx: ScanContext = {
      findings: [],
      limits: DEFAULT_SCAN_LIMITS,
      hooks: {},
      depth: 0,
      inflated: { total: 0 },
      scanNested: () => Promise.resolve('unknown'),
    };
    await scanOnnx(new BufferBlob(readFileSync(model)), model, ctx, locations);
    const root = dirname(model);
    for (const l of locations) if (!escapesModelDir(l)) files.add(resolve(root, l));
  } catch {
    // An unreadable or malformed model declares nothing; it is reported by its own scan.
  }
  return files;
}

function endsWithTableMagic(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size < TABLE_MAGIC.length) return false;
    const tail = Buffer.alloc(TABLE_MAGIC.length);
    readSync(fd, tail, 0, tail.length, size - tail.length);
    return tail.equals(TABLE_MAGIC);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A TensorFlow checkpoint the file belongs to: a data shard beside its index, or an index with a shard. */
function checkpointOf(file: string): string | undefined {
  const dir = dirname(file);
  const name = basename(file);
  const shard = TF_DATA_SHARD.exec(name);
  if (shard) {
    const index = join(dir, `${shard[1]}.index`);
    return existsSync(index) && endsWithTableMagic(index) ? index : undefined;
  }
  const index = TF_INDEX.exec(name);
  if (!index || !endsWithTableMagic(file)) return undefined;
  const prefix = `${index[1]}.data-`;
  try {
    return readdirSync(dir).some((n) => n.startsWith(prefix) && TF_DATA_SHARD.test(n)) ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the file at `path` is for the model that declares it (a sentence for the finding), or undefined
 * when no model beside it does.
 */
export async function declaredTensorData(path: string): Promise<string | undefined> {
  const file = resolve(path);
  const dir = dirname(file);
  const rel = (p: string): string => relative(dir, p);
  if (TF_VARIABLES.test(basename(file)) && basename(dir) === 'variables') {
    for (const name of ['saved_model.pb', 'saved_model.pbtxt']) {
      const model = join(dir, '..', name);
      if (existsSync(model)) return `variables of the SavedModel ${rel(model)}, read into tensors`;
    }
  }
  const checkpoint = checkpointOf(file);
  if (checkpoint === file) return 'index of a TensorFlow checkpoint (tensor names, shapes and locations)';
  if (checkpoint !== undefined) return `data shard of the TensorFlow checkpoint ${rel(checkpoint)}, read into tensors`;
  let d = dir;
  for (let up = 0; up <= PARENTS; up++) {
    for (const model of onnxModelsIn(d)) {
      if ((await externalDataOf(model)).has(file))
        return `external data of the ONNX model ${rel(model)}, read into tensors`;
    }
    const parent = dirname(d);
    if (parent === d || !file.startsWith(parent + (parent.endsWith(sep) ? '' : sep))) break;
    d = parent;
  }
  return undefined;
}
