export { toApplicationFailure, asActivity } from './shared/to-application-failure';
export { createIntegrityActivities } from './dataset-intake/integrity.activities';
export type { IntegrityActivityDeps } from './dataset-intake/integrity.activities';
export { createResultActivities } from './dataset-intake/result.activities';
export type { ResultActivityDeps, ResultPublisherPort } from './dataset-intake/result.activities';
export { createDataChecksActivities, DATASET_PROFILE_EVIDENCE_FILE } from './data-checks/data-checks.activities';
export type { DataChecksActivities, DataChecksActivitiesDeps } from './data-checks/data-checks.activities';
export { createModelScanActivities } from './model-scan/model-scan.activities';
export type { ModelScanActivitiesDeps } from './model-scan/model-scan.activities';
