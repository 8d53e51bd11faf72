import type { DatasetCheckedData } from '../events/dataset-checked.schema';
import type { DatasetRegisteredEvent } from '../events/dataset-registered.schema';
import type { Verdict } from '../finding.schema';

export const DATASET_INTAKE_WORKFLOW = 'datasetIntakeWorkflow';

export interface DatasetIntakeInput {
  event: DatasetRegisteredEvent;
}
export type DatasetIntakeOutput = DatasetCheckedData;

/** Where an intake run is; mirrored into the `PipelineStage` search attribute for operators. */
export const DATASET_INTAKE_STAGES = ['received', 'integrity', 'content', 'publishing', 'completed'] as const;
export type DatasetIntakeStage = (typeof DATASET_INTAKE_STAGES)[number];

export interface WorkflowStatus {
  stage: string;
  verdict?: Verdict;
  findings: number;
}

/** Query name shared by every mlsecops workflow: current stage and verdict. */
export const STATUS_QUERY = 'status';
