import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ArtifactRoot } from '@mlsecops/artifact-store';
import type {
  CreateDatasetManifestInput,
  CreateDatasetManifestResult,
  DatasetManifestActivities,
  VerifyDatasetManifestInput,
  VerifyDatasetManifestResult,
} from '@mlsecops/contracts';
import { MlsecopsError } from '@mlsecops/contracts';
import { createDatasetManifest, parseDatasetManifest, verifyDatasetManifest } from '@mlsecops/data-checks';
import { resolveOutput, writeFileAtomically } from '../shared/artifact-output';
import { withHashHeartbeats } from '../shared/with-hash-heartbeats';

export interface DatasetManifestActivitiesDeps {
  /** The only directory datasets and manifests may be read from or written to: an absolute path or an ArtifactRoot. */
  artifactRoot: string | ArtifactRoot;
  /** How often long hashing heartbeats (ms). */
  heartbeatEveryMs?: number;
}

const HEARTBEAT_MS = 5_000;
/** A manifest lists one short line per file; anything far larger is not one of ours. */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/**
 * Dataset manifest activities for the `dataChecks` task queue. URIs are resolved under the artifact root
 * exactly as `checkDatasetContent` does (`..`, foreign absolute paths and symlinks out are refused); files
 * are streamed through SHA-256 in worker threads with heartbeats of the bytes hashed; results carry URIs
 * and dataset-relative names only, never machine paths. The manifest has no timestamp and is written
 * atomically, so a retried `createDatasetManifest` rewrites the same bytes.
 */
export function createDatasetManifestActivities(deps: DatasetManifestActivitiesDeps): DatasetManifestActivities {
  const root = typeof deps.artifactRoot === 'string' ? new ArtifactRoot(deps.artifactRoot) : deps.artifactRoot;
  const every = deps.heartbeatEveryMs ?? HEARTBEAT_MS;
  return {
    createDatasetManifest: (input: CreateDatasetManifestInput): Promise<CreateDatasetManifestResult> =>
      withHashHeartbeats(every, 'dataset manifest', async (hash) => {
        const dataset = await root.resolve(input.datasetUri);
        const manifestUri = input.manifestUri ?? `${input.datasetUri.replace(/\/+$/, '')}.manifest.json`;
        const manifestPath = await resolveOutput(root, manifestUri);
        const manifest = await createDatasetManifest(dataset.path, {
          ignorePaths: input.ignorePaths,
          manifestPath,
          hash,
        });
        const body = `${JSON.stringify(manifest, null, 2)}\n`;
        await writeFileAtomically(manifestPath, body, manifestUri);
        return {
          datasetUri: input.datasetUri,
          manifestUri,
          rootDigest: manifest.rootDigest,
          fileCount: manifest.files.length,
          totalBytes: manifest.totalBytes,
          sha256: createHash('sha256').update(body).digest('hex'),
        };
      }),

    verifyDatasetManifest: (input: VerifyDatasetManifestInput): Promise<VerifyDatasetManifestResult> =>
      withHashHeartbeats(every, 'dataset manifest verification', async (hash) => {
        const dataset = await root.resolve(input.datasetUri);
        const manifestFile = await root.resolve(input.manifestUri);
        if (manifestFile.kind !== 'file')
          throw new MlsecopsError('INVALID_INPUT', `"${input.manifestUri}" is a directory, expected a manifest file`);
        if (manifestFile.sizeBytes > MAX_MANIFEST_BYTES) {
          throw new MlsecopsError(
            'INVALID_INPUT',
            `"${input.manifestUri}" is ${manifestFile.sizeBytes} bytes, too large for a dataset manifest`,
          );
        }
        const expected = parseDatasetManifest(await readFile(manifestFile.path, 'utf8'), `"${input.manifestUri}"`);
        const v = await verifyDatasetManifest(dataset.path, expected, { manifestPath: manifestFile.path, hash });
        return {
          datasetUri: input.datasetUri,
          valid: v.valid,
          rootDigest: v.rootDigest,
          expectedRootDigest: v.expectedRootDigest,
          fileCount: v.fileCount,
          totalBytes: v.totalBytes,
          changed: v.changed,
          missing: v.missing,
          extra: v.extra,
          findings: v.findings.map(({ code, severity, message, location }) => ({ code, severity, message, location })),
        };
      }),
  };
}
