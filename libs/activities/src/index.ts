export { createDataChecksActivities, DATASET_PROFILE_EVIDENCE_FILE } from './data-checks/data-checks.activities';
export type { DataChecksActivities, DataChecksActivitiesDeps } from './data-checks/data-checks.activities';
