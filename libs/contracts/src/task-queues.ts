/**
 * Temporal task queues, one per capability, so each team's workers scale (and fail) independently.
 * Orchestration (workflow code) runs on its own queue; activities are routed to their capability.
 */
export const TASK_QUEUES = {
  orchestration: 'mlsecops-orchestration',
  dataChecks: 'mlsecops-data-checks',
  modelScan: 'mlsecops-model-scan',
  signing: 'mlsecops-signing',
  results: 'mlsecops-results',
} as const;
export type TaskQueue = (typeof TASK_QUEUES)[keyof typeof TASK_QUEUES];
