import type { DatasetCheckedEvent, DatasetIntakeActivities } from '@mlsecops/contracts';
import { DATASET_CHECKED, TOPICS, datasetCheckedEventSchema } from '@mlsecops/contracts';
import { currentTraceId } from '@mlsecops/telemetry';
import { Context } from '@temporalio/activity';

/** The one thing result activities need from messaging: a durable, acknowledged publish. */
export interface ResultPublisherPort {
  publish(topic: string, event: DatasetCheckedEvent): Promise<void>;
}

export interface ResultActivityDeps {
  publisher: ResultPublisherPort;
  /** CloudEvents `source` of results, e.g. `urn:mlsecops:worker`. */
  source: string;
}

/** Publishes workflow results as CloudEvents on the results topic, inside the workflow's trace. */
export function createResultActivities(
  deps: ResultActivityDeps,
): Pick<DatasetIntakeActivities, 'publishDatasetChecked'> {
  return {
    publishDatasetChecked: async ({ subject, data }) => {
      const { workflowExecution, activityId } = Context.current().info;
      if (!workflowExecution) throw new Error(`activity ${activityId} must run inside a workflow`);
      const traceId = currentTraceId();
      const event = datasetCheckedEventSchema.parse({
        specversion: '1.0',
        // Deterministic per run: a retried publish carries the same id, so consumers can dedupe it.
        id: `${workflowExecution.workflowId}/${workflowExecution.runId}/checked`,
        source: deps.source,
        type: DATASET_CHECKED,
        subject,
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        data: { ...data, traceId },
      });
      await deps.publisher.publish(TOPICS.results, event);
      return { eventId: event.id, traceId };
    },
  };
}
