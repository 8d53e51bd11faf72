import { Context } from '@temporalio/activity';
import type { ArtifactRoot } from '@mlsecops/artifact-store';
import { sha256File } from '@mlsecops/artifact-store';
import type { DatasetIntakeActivities } from '@mlsecops/contracts';
import { MlsecopsError } from '@mlsecops/contracts';
import { asActivity } from '../shared/to-application-failure';

export interface IntegrityActivityDeps {
  artifactRoot: ArtifactRoot;
}

/** Integrity of registered data: the digest of the bytes actually stored under the artifact root. */
export function createIntegrityActivities(
  deps: IntegrityActivityDeps,
): Pick<DatasetIntakeActivities, 'computeDatasetDigest'> {
  return {
    computeDatasetDigest: ({ datasetUri }) =>
      asActivity(async () => {
        const resolved = await deps.artifactRoot.resolve(datasetUri);
        if (resolved.kind !== 'file') {
          throw new MlsecopsError('UNSUPPORTED_FORMAT', `"${datasetUri}" is a directory; register a dataset file`);
        }
        const ctx = Context.current();
        return sha256File(resolved.path, {
          signal: ctx.cancellationSignal,
          onProgress: (progress) => ctx.heartbeat(progress),
        });
      }),
  };
}
