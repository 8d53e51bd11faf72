import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  DatasetIntakeActivities,
  DatasetIntakeInput,
  DatasetIntakeOutput,
  WorkflowStatus,
} from '@mlsecops/contracts';
import { DATASET_INTAKE_WORKFLOW, SEARCH_ATTRIBUTES, STATUS_QUERY, TASK_QUEUES } from '@mlsecops/contracts';
import { temporal } from '@temporalio/proto';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { datasetRegistered } from '../harness/events';
import { repoRoot } from '../harness/test-stack';

const workflowsPath = join(repoRoot, 'workflows/src/index.ts');
const historiesDir = join(repoRoot, 'workflows/test-histories');
const DIGEST = 'a'.repeat(64);

/**
 * Workflow logic on Temporal's time-skipping test server (retries and backoffs pass instantly), with small
 * fakes of our own activity ports; and replay of recorded histories so a non-deterministic change fails CI.
 */
describe('datasetIntakeWorkflow', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: { code: string };

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: {
        executable: { type: 'existing-path', path: join(repoRoot, '.cache/venv-temporal/bin/temporal-test-server') },
      },
    });
    workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
    // The workflow indexes itself by these; the test server validates them like a real cluster does.
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(
        [SEARCH_ATTRIBUTES.pipelineStage, SEARCH_ATTRIBUTES.verdict].map((name) => [
          name,
          temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        ]),
      ),
    });
  });

  afterAll(() => env?.teardown());

  async function run(
    fakes: Partial<DatasetIntakeActivities>,
    sha256 = DIGEST,
  ): Promise<{ result: DatasetIntakeOutput; status: WorkflowStatus }> {
    const activities: DatasetIntakeActivities = {
      computeDatasetDigest: () => Promise.resolve({ sha256: DIGEST, sizeBytes: 10 }),
      checkDatasetContent: () =>
        Promise.resolve({ findings: [], quality: { rows: 3, nullsPerColumn: {}, duplicateRows: 0 } }),
      publishDatasetChecked: () => Promise.resolve({ eventId: 'result-1', traceId: undefined }),
      ...fakes,
    };
    const workers = await Promise.all([
      Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.orchestration, workflowBundle }),
      Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.dataChecks, activities }),
      Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.results, activities }),
    ]);
    const [orchestration, dataChecks, results] = workers;
    const scenario = async (): Promise<{ result: DatasetIntakeOutput; status: WorkflowStatus }> => {
      const event = datasetRegistered({ sha256 });
      const handle = await env.client.workflow.start<(input: DatasetIntakeInput) => Promise<DatasetIntakeOutput>>(
        DATASET_INTAKE_WORKFLOW,
        {
          taskQueue: TASK_QUEUES.orchestration,
          workflowId: `test-${event.id}`,
          args: [{ event }],
        },
      );
      const result = await handle.result();
      const status = await handle.query<WorkflowStatus>(STATUS_QUERY);
      return { result, status };
    };
    return orchestration.runUntil(dataChecks.runUntil(results.runUntil(scenario)));
  }

  it('passes a dataset whose digest matches and whose checks raise nothing serious', async () => {
    const { result, status } = await run({
      checkDatasetContent: () =>
        Promise.resolve({
          findings: [{ code: 'quality.duplicate-rows', severity: 'medium', message: '1 duplicate row' }],
          quality: { rows: 3, nullsPerColumn: {}, duplicateRows: 1 },
        }),
    });
    expect(result.verdict).toBe('pass');
    expect(result.findings).toHaveLength(1);
    expect(status).toEqual({ stage: 'completed', verdict: 'pass', findings: 1 });
  });

  it('fails on a digest mismatch and on any high-severity finding', async () => {
    const mismatch = await run({}, 'b'.repeat(64));
    expect(mismatch.result.verdict).toBe('fail');
    expect(mismatch.result.findings[0]?.code).toBe('integrity.digest-mismatch');
    const schema = await run({
      checkDatasetContent: () =>
        Promise.resolve({
          findings: [
            {
              code: 'schema.type-mismatch',
              severity: 'high',
              message: 'age is not an integer',
              column: 'age',
              rows: [2],
            },
          ],
          quality: { rows: 3, nullsPerColumn: {}, duplicateRows: 0 },
        }),
    });
    expect(schema.result.verdict).toBe('fail');
  });

  it('records a permanent failure as a finding and skips the content checks', async () => {
    let contentCalls = 0;
    const { result } = await run({
      computeDatasetDigest: () =>
        Promise.reject(
          ApplicationFailure.nonRetryable('"../x.csv" is outside the allowed artifact root', 'PATH_OUTSIDE_ROOT'),
        ),
      checkDatasetContent: () => {
        contentCalls++;
        return Promise.resolve({ findings: [], quality: { rows: 0, nullsPerColumn: {}, duplicateRows: 0 } });
      },
    });
    expect(result.verdict).toBe('fail');
    expect(result.sha256).toBeNull();
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'integrity.path-outside-root', severity: 'critical' }),
    ]);
    expect(contentCalls).toBe(0);
  });

  it('keeps retrying the result publication until the broker is back', async () => {
    let attempts = 0;
    const { result } = await run({
      publishDatasetChecked: () => {
        attempts++;
        return attempts < 4
          ? Promise.reject(new Error('broker unavailable'))
          : Promise.resolve({ eventId: 'r', traceId: 't' });
      },
    });
    expect(attempts).toBe(4);
    expect(result.traceId).toBe('t');
  });

  it.each(readdirSync(historiesDir).filter((f) => f.endsWith('.json')))(
    'replays the recorded history %s deterministically',
    async (file) => {
      // Recorded by tools/record-workflow-history.js in protobufjs object form.
      const history = temporal.api.history.v1.History.fromObject(
        JSON.parse(readFileSync(join(historiesDir, file), 'utf8')) as Record<string, unknown>,
      );
      await expect(Worker.runReplayHistory({ workflowBundle, replayName: file }, history)).resolves.toBeUndefined();
    },
  );
});
