import { createHash } from 'node:crypto';
import { relative, resolve, sep, isAbsolute } from 'node:path';
import { HashPool, type HashOptions } from './hash-pool';
import { listModelFiles, normaliseIgnorePath, type ModelListing } from './model-walk';
import { DEFAULT_IGNORE_PATHS, DEFAULT_SIGNATURE_NAME } from './oms.constants';

/** One entry of an OMS manifest: a file's resource name and SHA-256 digest (lowercase hex). */
export interface ManifestResource {
  name: string;
  algorithm: 'sha256';
  digest: string;
}

/** An OMS `files`/`sha256` manifest of a model and its root digest. */
export interface ModelManifest {
  kind: 'directory' | 'file';
  modelName: string;
  resources: ManifestResource[];
  /** SHA-256 over the raw resource digests concatenated in listed order. */
  rootDigest: string;
  /** Ignore paths applied (relative to the model root), as recorded in a signature. */
  ignorePaths: string[];
  totalBytes: number;
}

/** Options of {@link buildManifest}. */
export interface ManifestOptions {
  /** Extra paths to leave out (relative to the model root, or absolute inside it). */
  ignorePaths?: readonly string[];
  /** Apply the default git ignores (`.git`, `.gitattributes`, `.github`, `.gitignore`); default true. */
  ignoreGitPaths?: boolean;
  /** Where the signature is (or will be) written: ignored when it lies inside the model. */
  signaturePath?: string;
  hash?: HashOptions;
}

/** Root digest: SHA-256 over the concatenated raw digests, in the order the resources are listed. */
export function computeRootDigest(resources: readonly Pick<ManifestResource, 'digest'>[]): string {
  const h = createHash('sha256');
  for (const r of resources) h.update(Buffer.from(r.digest, 'hex'));
  return h.digest('hex');
}

/**
 * Options for the manifest that names the model in attestations and the ML-BOM: a top-level `model.sig`
 * (where `sign` writes by default) is left out, so the root digest equals the one in the model's signature.
 */
export function subjectManifestOptions(options: ManifestOptions = {}): ManifestOptions {
  return { ...options, ignorePaths: [...(options.ignorePaths ?? []), DEFAULT_SIGNATURE_NAME] };
}

/** Ignore paths relative to the model root: defaults, the caller's, and the signature file if inside. */
export function effectiveIgnorePaths(modelPath: string, options: ManifestOptions): string[] {
  const out: string[] = [];
  const add = (p: string | undefined): void => {
    if (p !== undefined && !out.includes(p)) out.push(p);
  };
  if (options.ignoreGitPaths ?? true) DEFAULT_IGNORE_PATHS.forEach(add);
  for (const p of options.ignorePaths ?? []) add(normaliseIgnorePath(modelPath, p));
  if (options.signaturePath !== undefined) add(signatureInsideModel(modelPath, options.signaturePath));
  return out;
}

/** The signature's path relative to the model root when the signature lies inside the model. */
export function signatureInsideModel(modelPath: string, signaturePath: string): string | undefined {
  const rel = relative(resolve(modelPath), resolve(signaturePath));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** Walks and hashes a model (worker-thread pool) into an OMS manifest with its root digest. */
export async function buildManifest(modelPath: string, options: ManifestOptions = {}): Promise<ModelManifest> {
  const ignorePaths = effectiveIgnorePaths(modelPath, options);
  // The workers boot while the directories are read, then stat and hash the files.
  const pool = new HashPool({ concurrency: options.hash?.concurrency });
  let listing: ModelListing;
  let digests: string[];
  try {
    listing = await listModelFiles(modelPath, ignorePaths, pool);
    digests = await pool.hash(listing.files, options.hash);
  } finally {
    await pool.close();
  }
  const resources = listing.files.map((f, i): ManifestResource => ({
    name: f.name,
    algorithm: 'sha256',
    digest: digests[i] ?? '',
  }));
  return {
    kind: listing.kind,
    modelName: listing.modelName,
    resources,
    rootDigest: computeRootDigest(resources),
    ignorePaths,
    totalBytes: listing.files.reduce((n, f) => n + f.sizeBytes, 0),
  };
}
