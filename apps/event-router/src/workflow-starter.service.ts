import { Inject, Injectable } from '@nestjs/common';
import type { IntakeEvent, IntakeRoute } from '@mlsecops/contracts';
import { SEARCH_ATTRIBUTES } from '@mlsecops/contracts';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { TEMPORAL_CLIENT } from './router.tokens';
import { workflowIdFor } from './workflow-id';

const KEYS = {
  eventId: defineSearchAttributeKey(SEARCH_ATTRIBUTES.eventId, SearchAttributeType.KEYWORD),
  eventSubject: defineSearchAttributeKey(SEARCH_ATTRIBUTES.eventSubject, SearchAttributeType.KEYWORD),
  eventType: defineSearchAttributeKey(SEARCH_ATTRIBUTES.eventType, SearchAttributeType.KEYWORD),
  pipelineStage: defineSearchAttributeKey(SEARCH_ATTRIBUTES.pipelineStage, SearchAttributeType.KEYWORD),
};

/** Longer than a healthy start takes by orders of magnitude, well under the consumer's session timeout. */
const START_DEADLINE_MS = 4_000;

export type StartOutcome = 'started' | 'already-exists';

/**
 * Starts the workflow an intake event asks for, idempotently: the workflow id is derived from the event,
 * a running run is reused and a finished one is never started again.
 */
@Injectable()
export class WorkflowStarter {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async start(route: IntakeRoute, event: IntakeEvent): Promise<{ workflowId: string; outcome: StartOutcome }> {
    const workflowId = workflowIdFor(route, event);
    try {
      // Bounded: an unreachable Temporal must fail fast so the consumer can heartbeat and back off.
      await this.client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
        this.client.workflow.start(route.workflowType, {
          workflowId,
          taskQueue: route.taskQueue,
          args: [{ event }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [
            { key: KEYS.eventId, value: event.id },
            { key: KEYS.eventSubject, value: event.subject },
            { key: KEYS.eventType, value: event.type },
            { key: KEYS.pipelineStage, value: route.initialStage },
          ],
        }),
      );
      return { workflowId, outcome: 'started' };
    } catch (e: unknown) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, outcome: 'already-exists' };
      throw e;
    }
  }
}
