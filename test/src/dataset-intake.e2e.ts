import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { context, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { DatasetCheckedEvent } from '@mlsecops/contracts';
import { DATASET_CHECKED, DLQ_HEADERS, SEARCH_ATTRIBUTES, TOPICS } from '@mlsecops/contracts';
import { EventPublisher } from '@mlsecops/messaging';
import type { Producer } from 'kafkajs';
import { datasetRegistered, writeDataset } from './harness/events';
import type { TestPlatform } from './harness/platform';
import { startTestPlatform } from './harness/platform';
import { TopicReader } from './harness/topic-reader';
import { waitFor } from './harness/wait-for';
import { kafkaBrokers, repoRoot, temporalAddress } from './harness/test-stack';

const run = promisify(execFile);

/**
 * The event spine end to end against the real Kafka and Temporal: router and worker run in this process
 * (so their spans land in an in-memory exporter), everything else is real.
 */
describe('dataset intake through Kafka and Temporal', () => {
  let platform: TestPlatform;
  let publisher: EventPublisher;
  let raw: Producer;
  let results: TopicReader;
  let dlq: TopicReader;
  let digest: string;

  beforeAll(async () => {
    platform = await startTestPlatform();
    await platform.startRouter();
    publisher = new EventPublisher(platform.kafka);
    await publisher.connect();
    raw = platform.kafka.producer();
    await raw.connect();
    results = new TopicReader(platform.kafka, TOPICS.results);
    dlq = new TopicReader(platform.kafka, TOPICS.lifecycleDlq);
    await results.start();
    await dlq.start();
    digest = await writeDataset(platform.artifactRoot, 'data.csv');
  });

  afterAll(async () => {
    await results?.stop();
    await dlq?.stop();
    await raw?.disconnect();
    await publisher?.disconnect();
    await platform?.close();
  });

  const checkedFor = (eventId: string): Promise<DatasetCheckedEvent> =>
    results
      .waitFor(`dataset.checked for ${eventId}`, (r) => {
        const e = results.json(r);
        return e.type === DATASET_CHECKED && (e.data as { eventId?: string }).eventId === eventId;
      })
      .then((r) => results.json(r) as unknown as DatasetCheckedEvent);

  const runsOf = async (eventId: string): Promise<string[]> => {
    const ids: string[] = [];
    for await (const wf of platform.temporal.workflow.list({ query: `${SEARCH_ATTRIBUTES.eventId} = '${eventId}'` }))
      ids.push(wf.runId);
    return ids;
  };

  it('checks a registered dataset and publishes a pass verdict with digest, quality and evidence', async () => {
    const event = datasetRegistered({ sha256: digest });
    await publisher.publish(TOPICS.lifecycle, event);
    const checked = await checkedFor(event.id);
    expect(checked.subject).toBe(event.subject);
    expect(checked.data).toMatchObject({
      verdict: 'pass',
      sha256: digest,
      expectedSha256: digest,
      quality: { rows: 3, duplicateRows: 0 },
    });
    expect(checked.data.quality?.nullsPerColumn.age).toBe(1);
    expect(checked.data.evidence[0]).toMatchObject({ kind: 'dataset-profile' });
  });

  it('works from the CLI: emit validates and publishes, status finds the verdict by event id', async () => {
    const event = datasetRegistered({ sha256: digest });
    const file = join(platform.artifactRoot, `${event.id}.json`);
    await writeFile(file, JSON.stringify(event));
    const env = { ...process.env, KAFKA_BROKERS: kafkaBrokers, TEMPORAL_ADDRESS: temporalAddress, NO_COLOR: '1' };
    const cli = join(repoRoot, 'apps/cli/bin/mlsecops.js');
    const emitted = await run(process.execPath, [cli, 'emit', file], { env });
    expect(emitted.stdout.trim()).toBe(event.id);
    const status = await run(process.execPath, [cli, 'status', event.id, '--wait', '60', '--format', 'json'], { env });
    const runs = (JSON.parse(status.stdout) as { runs: { status: string; verdict: string; stage: string }[] }).runs;
    expect(runs).toEqual([expect.objectContaining({ status: 'COMPLETED', verdict: 'pass', stage: 'completed' })]);

    await writeFile(file, JSON.stringify({ ...event, data: { ...event.data, sha256: 'not-a-digest' } }));
    await expect(run(process.execPath, [cli, 'emit', file], { env })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/data\.sha256/) as unknown,
    });
  });

  it('accepts the binary CloudEvents binding (ce_* headers, data as the value)', async () => {
    const event = datasetRegistered({ sha256: digest });
    const { data, datacontenttype, ...attributes } = event;
    const headers: Record<string, string> = { 'content-type': datacontenttype };
    for (const [name, value] of Object.entries(attributes)) headers[`ce_${name}`] = String(value);
    await raw.send({
      topic: TOPICS.lifecycle,
      messages: [{ key: event.subject, value: JSON.stringify(data), headers }],
    });
    const checked = await checkedFor(event.id);
    expect(checked.data).toMatchObject({ verdict: 'pass', sha256: digest });
  });

  it('gives one workflow for an event delivered three times, even across a router restart', async () => {
    const event = datasetRegistered({ sha256: digest });
    await publisher.publish(TOPICS.lifecycle, event);
    await publisher.publish(TOPICS.lifecycle, event);
    await checkedFor(event.id);
    // A fresh router has no memory of the event: only the workflow id stands between it and a second run.
    await platform.stopRouter();
    await platform.startRouter();
    await publisher.publish(TOPICS.lifecycle, event);
    const marker = datasetRegistered({ sha256: digest }, event.subject);
    await publisher.publish(TOPICS.lifecycle, marker);
    await checkedFor(marker.id); // same partition, published later: the re-publish was handled before it
    await waitFor('visibility of the marker run', async () =>
      (await runsOf(marker.id)).length > 0 ? true : undefined,
    );
    expect(await runsOf(event.id)).toHaveLength(1);
    const resultsForEvent = results.records.filter(
      (r) => (results.json(r).data as { eventId?: string }).eventId === event.id,
    );
    expect(resultsForEvent).toHaveLength(1);
  });

  it('fails the verdict when the bytes do not match the declared digest', async () => {
    const event = datasetRegistered({ sha256: 'f'.repeat(64) });
    await publisher.publish(TOPICS.lifecycle, event);
    const checked = await checkedFor(event.id);
    expect(checked.data.verdict).toBe('fail');
    expect(checked.data.sha256).toBe(digest);
    expect(checked.data.findings).toContainEqual(
      expect.objectContaining({ code: 'integrity.digest-mismatch', severity: 'critical' }),
    );
  });

  it('refuses a dataset outside the allowed root and says why', async () => {
    const event = datasetRegistered({ sha256: digest, datasetUri: '../outside.csv' });
    await publisher.publish(TOPICS.lifecycle, event);
    const checked = await checkedFor(event.id);
    expect(checked.data.verdict).toBe('fail');
    expect(checked.data.sha256).toBeNull();
    expect(checked.data.findings).toContainEqual(
      expect.objectContaining({ code: 'integrity.path-outside-root', severity: 'critical' }),
    );
  });

  it.each([
    ['INVALID_JSON', Buffer.from('{"specversion": "1.0", oops')],
    ['SCHEMA_VIOLATION', Buffer.from(JSON.stringify({ ...datasetRegistered({ sha256: 'nothex' }) }))],
    [
      'UNKNOWN_EVENT_TYPE',
      Buffer.from(JSON.stringify({ ...datasetRegistered({ sha256: 'a'.repeat(64) }), type: 'io.example.unknown' })),
    ],
  ])('dead-letters %s with the original bytes, and the next good event still flows', async (reason, value) => {
    const key = `poison-${reason}-${Date.now()}`;
    await raw.send({ topic: TOPICS.lifecycle, messages: [{ key, value, headers: { 'x-origin': 'e2e' } }] });
    const good = datasetRegistered({ sha256: digest }, key);
    await publisher.publish(TOPICS.lifecycle, good);
    const dead = await dlq.waitFor(`DLQ record for ${key}`, (r) => r.key === key);
    expect(dead.headers[DLQ_HEADERS.reason]?.toString()).toBe(reason);
    expect(dead.headers[DLQ_HEADERS.detail]?.toString().length).toBeGreaterThan(0);
    expect(dead.headers['x-origin']?.toString()).toBe('e2e');
    expect(dead.value?.equals(value)).toBe(true);
    await checkedFor(good.id);
  });

  it('keeps one unbroken trace from the producer through router, workflow and activities to the result', async () => {
    const tracer = trace.getTracer('e2e-pipeline');
    const event = datasetRegistered({ sha256: digest });
    const root = tracer.startSpan('ci-pipeline register dataset');
    await context.with(trace.setSpan(context.active(), root), () => publisher.publish(TOPICS.lifecycle, event));
    root.end();
    const traceId = root.spanContext().traceId;
    const record = await results.waitFor(
      `result of ${event.id}`,
      (r) => (results.json(r).data as { eventId?: string }).eventId === event.id,
    );
    expect(record.headers.traceparent?.toString()).toContain(traceId);
    expect((results.json(record).data as { traceId?: string }).traceId).toBe(traceId);

    const names = [
      'ci-pipeline register dataset',
      'mlsecops.lifecycle publish',
      'mlsecops.lifecycle process',
      'StartWorkflow:datasetIntakeWorkflow',
      'RunWorkflow:datasetIntakeWorkflow',
      'RunActivity:computeDatasetDigest',
      'RunActivity:checkDatasetContent',
      'RunActivity:publishDatasetChecked',
      'mlsecops.results publish',
    ];
    const spans = await waitFor('all spans of the trace', () => {
      const inTrace = platform.spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      return Promise.resolve(names.every((n) => inTrace.some((s) => s.name === n)) ? inTrace : undefined);
    });
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const chain = (span: ReadableSpan): string[] => {
      const path = [span.name];
      let current = span;
      while (current.parentSpanId) {
        const parent = byId.get(current.parentSpanId);
        if (!parent)
          throw new Error(`span "${current.name}" has a parent ${current.parentSpanId} that is not in the trace`);
        path.unshift(parent.name);
        current = parent;
      }
      return path;
    };
    const resultPublish = spans.find((s) => s.name === 'mlsecops.results publish');
    const path = chain(resultPublish as ReadableSpan);
    expect(path[0]).toBe('ci-pipeline register dataset');
    for (const hop of [
      'mlsecops.lifecycle publish',
      'mlsecops.lifecycle process',
      'StartWorkflow:datasetIntakeWorkflow',
      'RunWorkflow:datasetIntakeWorkflow',
      'RunActivity:publishDatasetChecked',
    ]) {
      expect(path).toContain(hop);
    }
    // Every span of the run hangs off the same root: nothing started a trace of its own.
    for (const span of spans) expect(chain(span)[0]).toBe('ci-pipeline register dataset');
  });
});
