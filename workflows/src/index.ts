export { datasetIntakeWorkflow, statusQuery } from './dataset-intake.workflow';
