import { lstat, readdir } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { MlsecopsError } from '@mlsecops/contracts';
import { HashPool } from './hash-pool';
import { sortByPosixPath } from './path-order';
import { SINGLE_FILE_RESOURCE_NAME } from './oms.constants';

/** A regular file of a model: its resource name (POSIX, relative to the model root) and location. */
export interface ModelFile {
  name: string;
  path: string;
  sizeBytes: number;
}

/** What {@link listModelFiles} found: a directory model or a single-file model, files in OMS order. */
export interface ModelListing {
  kind: 'directory' | 'file';
  /** Final component of the model path (informative only; it does not enter the root digest). */
  modelName: string;
  files: ModelFile[];
}

/** True when `name` is an ignore path itself or lies below it (the reference's `is_relative_to`). */
export function isIgnored(name: string, ignorePaths: readonly string[]): boolean {
  return ignorePaths.some((p) => name === p || name.startsWith(`${p}/`));
}

/**
 * Turns a user-given ignore path into a POSIX path relative to the model root: absolute paths must lie
 * inside the model, relative ones are taken relative to the model root. Returns undefined for paths
 * outside the model (they cannot match anything).
 */
export function normaliseIgnorePath(modelPath: string, p: string): string | undefined {
  const root = resolve(modelPath);
  const abs = isAbsolute(p) ? p : join(root, p);
  const rel = relative(root, resolve(abs));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/**
 * Walks a model recursively: dotfiles included, ignore paths skipped, only regular files listed (empty
 * ones too; empty folders leave no trace). Symbolic links and special files are refused, as the
 * reference does by default, because following them would sign bytes outside the model.
 *
 * Directories are read here (few, asynchronous calls); the per-file `lstat`s run synchronously in the
 * hashing pool's workers, where they cost a few microseconds each instead of a libuv round trip and a
 * promise per file on the event loop. Pass the pool that will hash the files so its workers are reused;
 * without one, a pool is started for the walk alone.
 */
export async function listModelFiles(
  modelPath: string,
  ignorePaths: readonly string[],
  pool?: HashPool,
): Promise<ModelListing> {
  const root = resolve(modelPath);
  const st = await lstat(root).catch((e: unknown) => {
    throw new MlsecopsError('NOT_FOUND', `model path ${modelPath} cannot be read`, { cause: e });
  });
  const modelName = basename(root);
  if (st.isSymbolicLink()) throw new MlsecopsError('INVALID_INPUT', `model path ${modelPath} is a symbolic link`);
  if (st.isFile()) {
    return { kind: 'file', modelName, files: [{ name: SINGLE_FILE_RESOURCE_NAME, path: root, sizeBytes: st.size }] };
  }
  if (!st.isDirectory())
    throw new MlsecopsError('INVALID_INPUT', `model path ${modelPath} is neither a file nor a directory`);

  const found: { name: string; path: string }[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    const pending: Promise<void>[] = [];
    const refuse = async (message: string): Promise<never> => {
      await Promise.allSettled(pending); // nothing left in flight to reject unobserved
      throw new MlsecopsError('INVALID_INPUT', message);
    };
    for (const entry of entries) {
      const name = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (isIgnored(name, ignorePaths)) continue;
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) return refuse(`model contains a symbolic link, which is not allowed: ${name}`);
      if (entry.isDirectory()) pending.push(walk(path, name));
      else if (entry.isFile()) found.push({ name, path });
      else return refuse(`model contains a special file, which is not allowed: ${name}`);
    }
    await Promise.all(pending);
  };
  await walk(root, '');

  const stats = await withPool(pool, (p) => p.stat(found.map((f) => f.path)));
  const files = found.map((f, i): ModelFile => {
    // The entry may have changed between readdir and lstat: judge it by what lstat saw.
    switch (stats.kinds[i] ?? 'other') {
      case 'file':
        return { ...f, sizeBytes: stats.sizes[i] ?? 0 };
      case 'symlink':
        throw new MlsecopsError('INVALID_INPUT', `model contains a symbolic link, which is not allowed: ${f.name}`);
      case 'missing':
        throw new MlsecopsError('NOT_FOUND', `model file ${f.name} disappeared while the model was read`);
      case 'other':
        throw new MlsecopsError('INVALID_INPUT', `model contains a special file, which is not allowed: ${f.name}`);
    }
  });
  return { kind: 'directory', modelName, files: sortByPosixPath(files, (f) => f.name) };
}

async function withPool<T>(pool: HashPool | undefined, work: (pool: HashPool) => Promise<T>): Promise<T> {
  if (pool) return work(pool);
  const own = new HashPool();
  try {
    return await work(own);
  } finally {
    await own.close();
  }
}
