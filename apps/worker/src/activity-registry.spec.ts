import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactRoot } from '@mlsecops/artifact-store';
import {
  DATASET_INTAKE_ACTIVITY_QUEUES,
  DATASET_MANIFEST_ACTIVITY_QUEUES,
  MODEL_SCAN_ACTIVITY_QUEUES,
  SIGNING_ACTIVITY_QUEUES,
  TASK_QUEUES,
} from '@mlsecops/contracts';
import type { KeyProvider } from '@mlsecops/model-signing';
import { buildActivityRegistry } from './activity-registry';

describe('activity registry', () => {
  const base = mkdtempSync(join(tmpdir(), 'worker-registry-'));
  const keyProvider: KeyProvider = {
    signer: () => Promise.reject(new Error('not used')),
    publicKey: () => Promise.reject(new Error('not used')),
  };
  const registry = buildActivityRegistry({
    artifactRoot: new ArtifactRoot(base),
    evidenceDir: join(base, 'evidence'),
    publisher: { publish: () => Promise.reject(new Error('not used')) },
    keyProvider,
  });

  it('serves every contracted activity on the queue its contract names, and nothing else', () => {
    const contracted = {
      ...DATASET_INTAKE_ACTIVITY_QUEUES,
      ...DATASET_MANIFEST_ACTIVITY_QUEUES,
      ...MODEL_SCAN_ACTIVITY_QUEUES,
      ...SIGNING_ACTIVITY_QUEUES,
    };
    const served: Record<string, string> = {};
    for (const [queue, activities] of Object.entries(registry)) {
      const key = Object.entries(TASK_QUEUES).find(([, name]) => name === queue)?.[0] ?? queue;
      for (const name of Object.keys(activities ?? {})) served[name] = key;
    }
    expect(served).toEqual(contracted);
    expect(served).toMatchObject({ createDatasetManifest: 'dataChecks', verifyDatasetManifest: 'dataChecks' });
  });
});
