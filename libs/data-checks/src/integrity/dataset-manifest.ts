import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MlsecopsError } from '@mlsecops/contracts';
import { buildManifest, computeRootDigest, describeZodError } from '@mlsecops/model-signing';
import type { HashOptions } from '@mlsecops/model-signing';
import type { DataFinding } from '../scan/data-finding';

export const DATASET_MANIFEST_KIND = 'mlsecops.dataset-manifest';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters');

/** A dataset manifest as stored on disk (`mlsecops manifest`, `createDatasetManifest` activity). */
export const datasetManifestSchema = z
  .object({
    kind: z.literal(DATASET_MANIFEST_KIND),
    version: z.literal(1),
    /** Final component of the dataset path (informative: it does not enter the root digest). */
    datasetName: z.string(),
    /** Files in OMS order (POSIX names in byte order); a single-file dataset has the one name ".". */
    files: z.array(z.object({ name: z.string().min(1), sha256: sha256Hex })),
    /** SHA-256 over the raw file digests in listed order, exactly as the model-signing (OMS) manifest computes it. */
    rootDigest: sha256Hex,
    totalBytes: z.number().int().nonnegative(),
    /** Paths left out when the manifest was made (relative to the dataset root); verification leaves them out too. */
    ignorePaths: z.array(z.string()).default([]),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    for (const f of m.files) {
      if (seen.has(f.name))
        ctx.addIssue({ code: 'custom', path: ['files'], message: `file "${f.name}" is listed twice` });
      seen.add(f.name);
    }
  });

/** Per-file SHA-256 of a dataset (a file or a directory of shards) and the root digest over them. */
export type DatasetManifest = z.infer<typeof datasetManifestSchema>;

export interface DatasetManifestOptions {
  /** Extra paths to leave out, relative to the dataset root (git metadata is always left out). */
  ignorePaths?: readonly string[];
  /** Where the manifest is or will be written: left out of the listing when it lies inside the dataset. */
  manifestPath?: string;
  /** Progress (bytes hashed) and cancellation; files are streamed, never read whole. */
  hash?: HashOptions;
}

/**
 * Builds a dataset manifest with the model-signing engine's walk and hash pool (each file streamed through
 * SHA-256 in worker threads, so memory does not grow with file size), so a dataset's root digest is
 * computed the same way as a model's (OMS v1.0: POSIX names in byte order, git metadata ignored, symbolic
 * links refused). The output has no timestamp: the same bytes always give the same manifest.
 */
export async function createDatasetManifest(
  path: string,
  options: DatasetManifestOptions = {},
): Promise<DatasetManifest> {
  const m = await buildManifest(path, {
    ignorePaths: options.ignorePaths,
    signaturePath: options.manifestPath,
    hash: options.hash,
  });
  return {
    kind: DATASET_MANIFEST_KIND,
    version: 1,
    datasetName: m.modelName,
    files: m.resources.map((r) => ({ name: r.name, sha256: r.digest })),
    rootDigest: m.rootDigest,
    totalBytes: m.totalBytes,
    ignorePaths: m.ignorePaths,
  };
}

/** Parses manifest JSON, refusing anything that is not a well-formed dataset manifest (`INVALID_INPUT`). */
export function parseDatasetManifest(json: string, source = 'manifest'): DatasetManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e: unknown) {
    throw new MlsecopsError('INVALID_INPUT', `${source} is not JSON: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  const parsed = datasetManifestSchema.safeParse(raw);
  if (!parsed.success)
    throw new MlsecopsError('INVALID_INPUT', `${source} is not a dataset manifest: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** Reads and parses a manifest file; a missing file is `NOT_FOUND`. */
export async function readDatasetManifest(path: string): Promise<DatasetManifest> {
  let json: string;
  try {
    json = await readFile(path, 'utf8');
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MlsecopsError('NOT_FOUND', `${path}: no such manifest file`, { cause: e });
    throw new MlsecopsError('IO_ERROR', `${path}: cannot read the manifest: ${code ?? String(e)}`, { cause: e });
  }
  return parseDatasetManifest(json, path);
}

/** What re-hashing a dataset against its manifest found. */
export interface DatasetManifestVerification {
  /** True when every listed file is present and unchanged, nothing extra is there and the root digests agree. */
  valid: boolean;
  /** Root digest of the dataset as it is now. */
  rootDigest: string;
  /** Root digest the manifest records. */
  expectedRootDigest: string;
  fileCount: number;
  totalBytes: number;
  missing: string[];
  extra: string[];
  changed: string[];
  /** The same facts as findings (`integrity.*` codes), for check reports and workflow verdicts. */
  findings: DataFinding[];
}

/**
 * Re-hashes the dataset (leaving out the paths the manifest was made without, and the manifest file itself
 * when it lies inside the dataset) and reports missing, extra and changed files and a root digest mismatch.
 */
export async function verifyDatasetManifest(
  path: string,
  expected: DatasetManifest,
  options: Pick<DatasetManifestOptions, 'manifestPath' | 'hash'> = {},
): Promise<DatasetManifestVerification> {
  const actual = await createDatasetManifest(path, { ...options, ignorePaths: expected.ignorePaths });
  const have = new Map(actual.files.map((f) => [f.name, f.sha256]));
  const want = new Map(expected.files.map((f) => [f.name, f.sha256]));
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [name, digest] of want) {
    const got = have.get(name);
    if (got === undefined) missing.push(name);
    else if (got !== digest) changed.push(name);
  }
  const extra = [...have.keys()].filter((name) => !want.has(name));
  const findings: DataFinding[] = [
    ...changed.map((name): DataFinding => ({
      code: 'integrity.digest-mismatch',
      severity: 'critical',
      location: name,
      message: `file "${name}" changed since the manifest was made`,
    })),
    ...missing.map((name): DataFinding => ({
      code: 'integrity.missing-file',
      severity: 'high',
      location: name,
      message: `file "${name}" listed in the manifest is missing`,
    })),
    ...extra.map((name): DataFinding => ({
      code: 'integrity.extra-file',
      severity: 'high',
      location: name,
      message: `file "${name}" is not in the manifest`,
    })),
  ];
  const recomputed = computeRootDigest(expected.files.map((f) => ({ digest: f.sha256 })));
  if (recomputed !== expected.rootDigest) {
    findings.push({
      code: 'integrity.manifest-inconsistent',
      severity: 'critical',
      message: 'the manifest root digest does not match its own file digests',
    });
  } else if (findings.length === 0 && actual.rootDigest !== expected.rootDigest) {
    // Same names and digests but another root: only the listed order can differ (a hand-edited manifest).
    findings.push({
      code: 'integrity.root-mismatch',
      severity: 'critical',
      message: 'the dataset root digest differs from the manifest (files listed out of order)',
    });
  }
  return {
    valid: findings.length === 0,
    rootDigest: actual.rootDigest,
    expectedRootDigest: expected.rootDigest,
    fileCount: actual.files.length,
    totalBytes: actual.totalBytes,
    missing,
    extra,
    changed,
    findings,
  };
}
