import { z } from 'zod';
import { findingSchema } from '../finding.schema';

export const createDatasetManifestInputSchema = z.object({
  /** Dataset file or folder (shards), as a URI under the artifact root. */
  datasetUri: z.string().min(1),
  /** Where to write the manifest (under the artifact root); default: `<datasetUri>.manifest.json` beside the dataset. */
  manifestUri: z.string().min(1).optional(),
  /** Paths to leave out, relative to the dataset folder; recorded in the manifest so verification leaves them out too. */
  ignorePaths: z.array(z.string()).optional(),
});
export type CreateDatasetManifestInput = z.infer<typeof createDatasetManifestInputSchema>;

export const createDatasetManifestResultSchema = z.object({
  datasetUri: z.string(),
  manifestUri: z.string(),
  /** OMS-style root digest (SHA-256 hex over the per-file digests in listed order). */
  rootDigest: z.string(),
  fileCount: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  /** SHA-256 of the written manifest file, for evidence. */
  sha256: z.string(),
});
export type CreateDatasetManifestResult = z.infer<typeof createDatasetManifestResultSchema>;

export const verifyDatasetManifestInputSchema = z.object({
  datasetUri: z.string().min(1),
  manifestUri: z.string().min(1),
});
export type VerifyDatasetManifestInput = z.infer<typeof verifyDatasetManifestInputSchema>;

/** A mismatch is a result (the workflow decides the verdict), not an activity failure. */
export const verifyDatasetManifestResultSchema = z.object({
  datasetUri: z.string(),
  valid: z.boolean(),
  rootDigest: z.string(),
  expectedRootDigest: z.string(),
  fileCount: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  changed: z.array(z.string()),
  missing: z.array(z.string()),
  extra: z.array(z.string()),
  /** `integrity.*` findings (digest-mismatch, missing-file, extra-file, manifest-inconsistent, root-mismatch). */
  findings: z.array(findingSchema),
});
export type VerifyDatasetManifestResult = z.infer<typeof verifyDatasetManifestResultSchema>;

/** Dataset manifest activities (integrity of multi-file datasets), served on the `dataChecks` queue. */
export interface DatasetManifestActivities {
  /** Streams every file of the dataset through SHA-256 and writes the manifest; heartbeats bytes hashed. */
  createDatasetManifest(input: CreateDatasetManifestInput): Promise<CreateDatasetManifestResult>;
  /** Re-hashes the dataset against a manifest; names changed, missing and extra files. */
  verifyDatasetManifest(input: VerifyDatasetManifestInput): Promise<VerifyDatasetManifestResult>;
}

/** Activity names grouped by the task queue that serves them. */
export const DATASET_MANIFEST_ACTIVITY_QUEUES = {
  createDatasetManifest: 'dataChecks',
  verifyDatasetManifest: 'dataChecks',
} as const satisfies Record<keyof DatasetManifestActivities, string>;
