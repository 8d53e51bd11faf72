import { createHash, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetRegisteredEvent } from '@mlsecops/contracts';
import { DATASET_REGISTERED } from '@mlsecops/contracts';

export const CSV = ['id,age,plan', '1,34,basic', '2,45,premium', '3,,basic', ''].join('\n');

/** Writes a dataset under the artifact root and returns its digest. */
export async function writeDataset(root: string, name: string, body = CSV): Promise<string> {
  await writeFile(join(root, name), body);
  return createHash('sha256').update(body).digest('hex');
}

/** A valid dataset.registered event with a fresh id, overridable per test. */
export function datasetRegistered(
  data: Partial<DatasetRegisteredEvent['data']> & { sha256: string },
  subject = `datasets/${randomUUID()}`,
): DatasetRegisteredEvent {
  return {
    specversion: '1.0',
    id: `e2e-${randomUUID()}`,
    source: 'ci://e2e',
    type: DATASET_REGISTERED,
    subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: {
      datasetUri: 'data.csv',
      format: 'csv',
      team: 'e2e',
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'age', type: 'integer', nullable: true },
        { name: 'plan', type: 'string', nullable: false },
      ],
      ...data,
    },
  };
}
