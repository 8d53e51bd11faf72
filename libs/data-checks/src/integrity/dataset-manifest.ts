import { buildManifest, computeRootDigest } from '@mlsecops/model-signing';
import type { DataFinding } from '../scan/data-finding';

export const DATASET_MANIFEST_KIND = 'mlsecops.dataset-manifest';

/** Per-file SHA-256 of a dataset (a file or a directory of shards) and the root digest over them. */
export interface DatasetManifest {
  kind: typeof DATASET_MANIFEST_KIND;
  version: 1;
  datasetName: string;
  files: { name: string; sha256: string }[];
  /** SHA-256 over the raw file digests in listed order, exactly as the model-signing (OMS) manifest computes it. */
  rootDigest: string;
  totalBytes: number;
}

/**
 * Builds a dataset manifest with the model-signing engine's walk and hash pool, so a dataset's root digest
 * is computed the same way as a model's (OMS v1.0: POSIX names in byte order, git metadata ignored).
 */
export async function createDatasetManifest(path: string, options: { ignorePaths?: string[] } = {}): Promise<DatasetManifest> {
  const m = await buildManifest(path, { ignorePaths: options.ignorePaths });
  return {
    kind: DATASET_MANIFEST_KIND,
    version: 1,
    datasetName: m.modelName,
    files: m.resources.map((r) => ({ name: r.name, sha256: r.digest })),
    rootDigest: m.rootDigest,
    totalBytes: m.totalBytes,
  };
}

/** Re-hashes the dataset and reports missing, extra and changed files and a root digest mismatch. */
export async function verifyDatasetManifest(path: string, expected: DatasetManifest, options: { ignorePaths?: string[] } = {}): Promise<DataFinding[]> {
  const actual = await createDatasetManifest(path, options);
  const findings: DataFinding[] = [];
  const have = new Map(actual.files.map((f) => [f.name, f.sha256]));
  const want = new Map(expected.files.map((f) => [f.name, f.sha256]));
  for (const [name, digest] of want) {
    const got = have.get(name);
    if (got === undefined) findings.push({ code: 'integrity.missing-file', severity: 'high', location: name, message: `file "${name}" listed in the manifest is missing` });
    else if (got !== digest) findings.push({ code: 'integrity.digest-mismatch', severity: 'critical', location: name, message: `file "${name}" changed since the manifest was made` });
  }
  for (const name of have.keys()) {
    if (!want.has(name)) findings.push({ code: 'integrity.extra-file', severity: 'high', location: name, message: `file "${name}" is not in the manifest` });
  }
  const recomputed = computeRootDigest(expected.files.map((f) => ({ digest: f.sha256 })));
  if (recomputed !== expected.rootDigest) {
    findings.push({ code: 'integrity.manifest-inconsistent', severity: 'critical', message: 'the manifest root digest does not match its own file digests' });
  } else if (findings.length === 0 && actual.rootDigest !== expected.rootDigest) {
    findings.push({ code: 'integrity.root-mismatch', severity: 'critical', message: 'the dataset root digest differs from the manifest' });
  }
  return findings;
}
