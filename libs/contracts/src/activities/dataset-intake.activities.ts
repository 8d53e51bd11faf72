import type { ColumnSpec, DatasetFormat } from '../events/dataset-registered.schema';
import type { DatasetCheckedData, DatasetQuality } from '../events/dataset-checked.schema';
import type { Finding } from '../finding.schema';

export interface DatasetDigestInput {
  datasetUri: string;
}
export interface DatasetDigestResult {
  sha256: string;
  sizeBytes: number;
}

export interface DatasetContentCheckInput {
  datasetUri: string;
  format: DatasetFormat;
  columns?: ColumnSpec[];
  /** Where evidence (the inferred profile) is filed: the workflow id, so retries overwrite, not duplicate. */
  evidenceKey: string;
}
export interface DatasetContentCheckResult {
  findings: Finding[];
  quality: DatasetQuality;
  /** Location and digest of the stored dataset profile, kept as evidence for later stages. */
  evidence?: { uri: string; sha256: string };
}

export interface PublishDatasetCheckedInput {
  subject: string;
  data: DatasetCheckedData;
}
export interface PublishResult {
  eventId: string;
  traceId?: string;
}

/**
 * The activities the dataset intake workflow calls. Declared here (not in the activities lib) so that
 * workflow code depends only on contracts: `proxyActivities<DatasetIntakeActivities>()`.
 */
export interface DatasetIntakeActivities {
  /** Resolves the URI under the allowed root and streams the file through SHA-256. */
  computeDatasetDigest(input: DatasetDigestInput): Promise<DatasetDigestResult>;
  /** Schema validation and quality figures (streamed), with findings. */
  checkDatasetContent(input: DatasetContentCheckInput): Promise<DatasetContentCheckResult>;
  /** Publishes `io.mlsecops.dataset.checked` on the results topic, trace context in its headers. */
  publishDatasetChecked(input: PublishDatasetCheckedInput): Promise<PublishResult>;
}

/** Activity names grouped by the task queue that serves them. */
export const DATASET_INTAKE_ACTIVITY_QUEUES = {
  computeDatasetDigest: 'dataChecks',
  checkDatasetContent: 'dataChecks',
  publishDatasetChecked: 'results',
} as const satisfies Record<keyof DatasetIntakeActivities, string>;
