import type { ArtifactRoot } from '@mlsecops/artifact-store';
import type { ResultPublisherPort } from '@mlsecops/activities';
import {
  createDataChecksActivities,
  createDatasetManifestActivities,
  createIntegrityActivities,
  createModelScanActivities,
  createResultActivities,
  createSigningActivities,
} from '@mlsecops/activities';
import type { KeyProvider } from '@mlsecops/model-signing';
import type { TaskQueue } from '@mlsecops/contracts';
import { TASK_QUEUES } from '@mlsecops/contracts';

/** Activity implementations grouped by the task queue (capability) that serves them. */
export type ActivitiesByQueue = Partial<Record<TaskQueue, Record<string, (...args: never[]) => Promise<unknown>>>>;

export interface ActivityDeps {
  artifactRoot: ArtifactRoot;
  evidenceDir: string;
  publisher: ResultPublisherPort;
  keyProvider: KeyProvider;
}

/**
 * The one place that decides which activity runs on which queue. A team that owns a capability scales
 * its queue's workers independently (WORKER_CAPABILITIES selects the queues one process serves).
 */
export function buildActivityRegistry(deps: ActivityDeps): ActivitiesByQueue {
  return {
    [TASK_QUEUES.dataChecks]: {
      ...createIntegrityActivities({ artifactRoot: deps.artifactRoot }),
      ...createDataChecksActivities({ datasetRoot: deps.artifactRoot.rootDir, evidenceDir: deps.evidenceDir }),
      ...createDatasetManifestActivities({ artifactRoot: deps.artifactRoot }),
    },
    [TASK_QUEUES.modelScan]: {
      ...createModelScanActivities({ artifactRoot: deps.artifactRoot }),
    },
    [TASK_QUEUES.signing]: {
      ...createSigningActivities({ artifactRoot: deps.artifactRoot, keyProvider: deps.keyProvider }),
    },
    [TASK_QUEUES.results]: {
      ...createResultActivities({ publisher: deps.publisher, source: 'urn:mlsecops:worker' }),
    },
  };
}
