import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { INTAKE_ROUTES, TOPICS } from '@mlsecops/contracts';
import { workflowIdFor } from '@mlsecops/event-router';
import { EventPublisher, createKafka } from '@mlsecops/messaging';
import { Client, Connection } from '@temporalio/client';
import { datasetRegistered } from './harness/events';
import { RouterProcess } from './harness/router-process';
import { waitFor } from './harness/wait-for';
import { kafkaBrokers, repoRoot, stackEnv, temporalAddress } from './harness/test-stack';

const quiet = { log() {}, error() {}, warn() {}, debug() {} };
const route = INTAKE_ROUTES['io.mlsecops.dataset.registered'];

/** The router is a real child process here; no worker runs, so what is measured is "started exactly once". */
describe('event router resilience', () => {
  jest.setTimeout(240_000);
  const router = new RouterProcess();
  let temporal: Client;
  let publisher: EventPublisher;

  beforeAll(async () => {
    temporal = new Client({ connection: await Connection.connect({ address: temporalAddress }) });
    publisher = new EventPublisher(createKafka({ brokers: [kafkaBrokers], clientId: 'e2e-resilience' }, quiet));
    await publisher.connect();
  });

  afterEach(() => router.terminate());

  afterAll(async () => {
    await publisher?.disconnect();
    await temporal?.connection.close();
  });

  /** Event ids of the workflows this run's source started, one entry per workflow. */
  async function startedEventIds(source: string): Promise<string[]> {
    const prefix = workflowIdFor(route, { source, id: '' });
    const ids: string[] = [];
    for await (const wf of temporal.workflow.list({ query: `WorkflowId STARTS_WITH '${prefix}'` }))
      ids.push(wf.workflowId.slice(prefix.length));
    return ids;
  }

  async function publishBatch(source: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const event = { ...datasetRegistered({ sha256: 'a'.repeat(64) }, `resilience/${i % 12}`), source };
      ids.push(event.id);
      await publisher.publish(TOPICS.lifecycle, event);
    }
    return ids;
  }

  async function terminateAll(source: string): Promise<void> {
    const prefix = workflowIdFor(route, { source, id: '' });
    for await (const wf of temporal.workflow.list({
      query: `WorkflowId STARTS_WITH '${prefix}' AND ExecutionStatus = 'Running'`,
    })) {
      await temporal.workflow
        .getHandle(wf.workflowId)
        .terminate('test cleanup')
        .catch(() => undefined);
    }
  }

  it('loses no event and starts none twice when killed mid-stream and restarted', async () => {
    const source = `ci://resilience/${randomUUID()}`;
    await router.start();
    const publishing = publishBatch(source, 300);
    await waitFor(
      'the router to start some workflows',
      async () => ((await startedEventIds(source)).length >= 30 ? true : undefined),
      90_000,
      100,
    );
    await router.kill();
    const published = await publishing;
    await router.start();
    const started = await waitFor(
      'every published event to have its workflow',
      async () => {
        const ids = await startedEventIds(source);
        return ids.length >= published.length ? ids : undefined;
      },
      120_000,
      500,
    );
    expect(started.length).toBe(published.length);
    expect(new Set(started)).toEqual(new Set(published));
    await terminateAll(source);
  });

  it('holds events while Temporal is down and starts them all once it is back', async () => {
    const source = `ci://temporal-outage/${randomUUID()}`;
    const temporalSh = join(repoRoot, 'infra/local/temporal.sh');
    const env = { ...process.env, ...stackEnv };
    await router.start();
    execFileSync('bash', [temporalSh, 'stop'], { env, stdio: 'ignore' });
    try {
      await publishBatch(source, 20);
      await waitFor(
        'the router to retry while Temporal is down',
        () => Promise.resolve(router.countOf('transient failure') >= 2 ? true : undefined),
        60_000,
      );
    } finally {
      execFileSync('bash', [temporalSh, 'start'], { env, stdio: 'ignore' });
    }
    const ids = await waitFor(
      'all held events to start after the outage',
      async () => {
        const started = await startedEventIds(source);
        return started.length >= 20 ? started : undefined;
      },
      120_000,
      500,
    );
    expect(ids).toHaveLength(20);
    await terminateAll(source);
  });
});
