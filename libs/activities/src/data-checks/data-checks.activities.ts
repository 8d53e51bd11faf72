import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Context } from '@temporalio/activity';
import { ArtifactRoot } from '@mlsecops/artifact-store';
import { MlsecopsError } from '@mlsecops/contracts';
import type { DatasetContentCheckInput, DatasetContentCheckResult, DatasetIntakeActivities } from '@mlsecops/contracts';
import { checkTabularDataset } from '@mlsecops/data-checks';
import { toApplicationFailure } from '../shared/to-application-failure';

export interface DataChecksActivitiesDeps {
  /** The only directory datasets may be read from (absolute). */
  datasetRoot: string;
  /** Where evidence files are written (absolute); one sub-directory per evidence key. */
  evidenceDir: string;
}

export type DataChecksActivities = Pick<DatasetIntakeActivities, 'checkDatasetContent'>;

export const DATASET_PROFILE_EVIDENCE_FILE = 'dataset-profile.json';

/**
 * Data-check activities for the `dataChecks` task queue. `checkDatasetContent` streams the dataset once
 * (schema, quality, profile), heartbeats with rows and bytes read, and files the profile as evidence under
 * the workflow's key, so a retry overwrites the same file with the same bytes.
 */
export function createDataChecksActivities(deps: DataChecksActivitiesDeps): DataChecksActivities {
  const root = new ArtifactRoot(deps.datasetRoot);
  return {
    async checkDatasetContent(input: DatasetContentCheckInput): Promise<DatasetContentCheckResult> {
      const ctx = Context.current();
      try {
        const dir = evidencePath(deps.evidenceDir, input.evidenceKey);
        const artifact = await root.resolve(input.datasetUri);
        if (artifact.kind !== 'file') {
          throw new MlsecopsError(
            'UNSUPPORTED_URI',
            `"${input.datasetUri}" is a directory, expected a ${input.format} file`,
          );
        }
        const result = await checkTabularDataset(artifact.path, {
          format: input.format,
          columns: input.columns,
          signal: ctx.cancellationSignal,
          onProgress: (p) => ctx.heartbeat(p),
        });
        const body = `${JSON.stringify(result.profile)}\n`;
        const sha256 = createHash('sha256').update(body).digest('hex');
        const file = join(dir, DATASET_PROFILE_EVIDENCE_FILE);
        await writeAtomically(dir, file, body);
        return {
          findings: result.findings,
          quality: result.quality,
          evidence: { uri: pathToFileURL(file).href, sha256 },
        };
      } catch (e: unknown) {
        throw toApplicationFailure(e);
      }
    },
  };
}

function evidencePath(evidenceDir: string, key: string): string {
  if (key.length === 0 || key === '.' || key === '..' || /[/\\\0]/.test(key)) {
    throw new MlsecopsError('INVALID_INPUT', `evidence key "${key}" must be a single path segment`);
  }
  return join(evidenceDir, key);
}

/** Write-then-rename: readers see the old file or the new one, never half of one. */
async function writeAtomically(dir: string, file: string, body: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, body);
    await rename(tmp, file);
  } catch (e: unknown) {
    await rm(tmp, { force: true });
    throw new MlsecopsError(
      'IO_ERROR',
      `cannot write evidence ${file}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
}
