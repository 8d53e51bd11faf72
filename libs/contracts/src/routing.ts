import { DATASET_REGISTERED } from './events/dataset-registered.schema';
import { TASK_QUEUES } from './task-queues';
import { DATASET_INTAKE_WORKFLOW } from './workflows/dataset-intake.contract';

/** What an intake event starts. The workflow id is `<workflowIdPrefix>:<source hash>:<event id>`. */
export interface IntakeRoute {
  readonly workflowType: string;
  readonly taskQueue: string;
  readonly workflowIdPrefix: string;
  /** The pipeline stage shown to operators before the workflow reports its own. */
  readonly initialStage: string;
}

export const INTAKE_ROUTES = {
  [DATASET_REGISTERED]: {
    workflowType: DATASET_INTAKE_WORKFLOW,
    taskQueue: TASK_QUEUES.orchestration,
    workflowIdPrefix: 'dataset-intake',
    initialStage: 'received',
  },
} as const satisfies Record<string, IntakeRoute>;

export type IntakeEventType = keyof typeof INTAKE_ROUTES;

export function intakeRouteFor(type: string): IntakeRoute | undefined {
  return Object.prototype.hasOwnProperty.call(INTAKE_ROUTES, type) ? INTAKE_ROUTES[type as IntakeEventType] : undefined;
}
