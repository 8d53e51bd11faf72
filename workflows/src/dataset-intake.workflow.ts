import { defineQuery, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type {
  DatasetCheckedData,
  DatasetIntakeActivities,
  DatasetIntakeInput,
  DatasetIntakeOutput,
  DatasetIntakeStage,
  DatasetQuality,
  Finding,
  Verdict,
  WorkflowStatus,
} from '@mlsecops/contracts';
import { STATUS_QUERY, TASK_QUEUES, severityRank } from '@mlsecops/contracts';
import { DELIVERY, LONG_IO } from './activity-profiles';
import { permanentFailureAsFinding } from './failure-finding';
import { PIPELINE_STAGE, VERDICT } from './search-attribute-keys';

type DataCheckActivities = Pick<DatasetIntakeActivities, 'computeDatasetDigest' | 'checkDatasetContent'>;
type ResultActivities = Pick<DatasetIntakeActivities, 'publishDatasetChecked'>;

const dataChecks = proxyActivities<DataCheckActivities>({ ...LONG_IO, taskQueue: TASK_QUEUES.dataChecks });
const results = proxyActivities<ResultActivities>({ ...DELIVERY, taskQueue: TASK_QUEUES.results });

export const statusQuery = defineQuery<WorkflowStatus>(STATUS_QUERY);

/** Findings at or above this severity fail the dataset. */
const FAILING_SEVERITY = severityRank('high');

/**
 * Dataset intake: is this the dataset that was declared (digest), and is it what it claims to be
 * (schema, quality)? The verdict and evidence go to the results topic for the pipeline that asked.
 */
export async function datasetIntakeWorkflow({ event }: DatasetIntakeInput): Promise<DatasetIntakeOutput> {
  const { workflowId } = workflowInfo();
  const findings: Finding[] = [];
  const state: { stage: DatasetIntakeStage; verdict?: Verdict } = { stage: 'received' };
  setHandler(statusQuery, () => ({ ...state, findings: findings.length }));
  const enter = (next: DatasetIntakeStage): void => {
    state.stage = next;
    upsertSearchAttributes([{ key: PIPELINE_STAGE, value: next }]);
  };

  enter('integrity');
  let sha256: string | null = null;
  try {
    sha256 = (await dataChecks.computeDatasetDigest({ datasetUri: event.data.datasetUri })).sha256;
    if (sha256 !== event.data.sha256) {
      findings.push({
        code: 'integrity.digest-mismatch',
        severity: 'critical',
        message: `declared sha256 ${event.data.sha256} but the bytes hash to ${sha256}: the dataset changed or is not the one registered`,
        atlas: ['AML.T0020', 'AML.T0010.002'],
        owasp: ['ML02', 'ML10'],
      });
    }
  } catch (e: unknown) {
    findings.push(permanentFailureAsFinding(e, 'integrity'));
  }

  let quality: DatasetQuality | undefined;
  const evidence: DatasetCheckedData['evidence'] = [];
  if (sha256 !== null) {
    enter('content');
    try {
      const content = await dataChecks.checkDatasetContent({
        datasetUri: event.data.datasetUri,
        format: event.data.format,
        columns: event.data.columns,
        // One path segment per run, whatever characters the event id carries.
        evidenceKey: encodeURIComponent(workflowId),
      });
      findings.push(...content.findings);
      quality = content.quality;
      if (content.evidence) evidence.push({ kind: 'dataset-profile', ...content.evidence });
    } catch (e: unknown) {
      findings.push(permanentFailureAsFinding(e, 'content'));
    }
  }

  const verdict: Verdict = findings.some((f) => severityRank(f.severity) >= FAILING_SEVERITY) ? 'fail' : 'pass';
  state.verdict = verdict;
  upsertSearchAttributes([{ key: VERDICT, value: verdict }]);

  enter('publishing');
  const data: DatasetCheckedData = {
    datasetUri: event.data.datasetUri,
    verdict,
    findings,
    sha256,
    expectedSha256: event.data.sha256,
    quality,
    evidence,
    eventId: event.id,
    workflowId,
  };
  const published = await results.publishDatasetChecked({ subject: event.subject, data });
  enter('completed');
  return { ...data, traceId: published.traceId };
}
