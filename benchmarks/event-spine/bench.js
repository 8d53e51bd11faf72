#!/usr/bin/env node
'use strict';
/**
 * Event-spine benchmark driver: the same N workflow starts made two ways, at the same fixed rate.
 *
 *   router: EventPublisher -> Kafka (mlsecops.lifecycle) -> event router -> Temporal start
 *   direct: @temporalio/client workflow.start with the options the router uses
 *
 * Latency is taken per workflow from the time the benchmark issued the request (Date.now() just before
 * `publish()` or `workflow.start()`) to the workflow's start time as Temporal recorded it
 * (WorkflowExecutionInfo.startTime). Both clocks are this machine's, so the difference is meaningful
 * only when Kafka, Temporal and this script share one host, which is how run.sh uses it.
 *
 * Plain Node on the built packages (run `npm run build` first); prints one JSON summary to stdout or
 * to --out. Reads KAFKA_BROKERS, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE like the apps do.
 */
const { performance } = require('node:perf_hooks');
const { createHash } = require('node:crypto');
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { Connection, Client } = require('@temporalio/client');
const { SearchAttributeType, defineSearchAttributeKey } = require('@temporalio/common');
const { createKafka, EventPublisher } = require('@mlsecops/messaging');
const {
  TOPICS,
  INTAKE_ROUTES,
  DATASET_REGISTERED,
  SEARCH_ATTRIBUTES,
  parseIntakeEvent,
} = require('@mlsecops/contracts');

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'dataset-registered.json');
const ROUTE = INTAKE_ROUTES[DATASET_REGISTERED];
const EVENT_ID = defineSearchAttributeKey(SEARCH_ATTRIBUTES.eventId, SearchAttributeType.KEYWORD);
const KEYS = {
  eventSubject: defineSearchAttributeKey(SEARCH_ATTRIBUTES.eventSubject, SearchAttributeType.KEYWORD),
  eventType: defineSearchAttributeKey(SEARCH_ATTRIBUTES.eventType, SearchAttributeType.KEYWORD),
  pipelineStage: defineSearchAttributeKey(SEARCH_ATTRIBUTES.pipelineStage, SearchAttributeType.KEYWORD),
};

const USAGE = `usage: node benchmarks/event-spine/bench.js [--events N] [--rate R] [--warmup W] [--settle-s S]
       [--terminate] [--out FILE]
  --events N    workflow starts per path (default 2000, at most 100000)
  --rate R      requests per second, both paths (default 200, at most 5000)
  --warmup W    events per path sent and awaited before measuring, not counted (default 50)
  --settle-s S  how long to wait for the last starts after the last request (default 120)
  --terminate   terminate this run's workflows at the end (for a stack that is kept)
  --out FILE    write the JSON summary there instead of stdout`;

function parseArgs(argv) {
  const opts = { events: 2000, rate: 200, warmup: 50, settleS: 120, terminate: false, out: undefined };
  const num = (flag, v, min, max) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`${flag} must be an integer in [${min}, ${max}], got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--events') opts.events = num(a, next(), 1, 100_000);
    else if (a === '--rate') opts.rate = num(a, next(), 1, 5000);
    else if (a === '--warmup') opts.warmup = num(a, next(), 0, 10_000);
    else if (a === '--settle-s') opts.settleS = num(a, next(), 1, 3600);
    else if (a === '--terminate') opts.terminate = true;
    else if (a === '--out') opts.out = next();
    else if (a === '-h' || a === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  return opts;
}

/** Progress goes to stderr so stdout stays the JSON summary. */
function say(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Open-loop pacing: request i is issued at t0 + i/rate whether or not earlier ones have completed, so a
 * slow path shows up as latency instead of silently lowering the offered rate. Bounded in count (n) and
 * in time (stops issuing at `deadlineMs` even if n was not reached).
 */
async function paced(n, rate, deadlineMs, issue) {
  const sentAt = new Array(n);
  const doneAt = new Array(n);
  const errors = [];
  const inflight = [];
  const t0 = performance.now();
  let issued = 0;
  for (let i = 0; i < n; i++) {
    const lag = t0 + (i * 1000) / rate - performance.now();
    if (lag > 0) await sleep(lag);
    if (Date.now() > deadlineMs) break;
    sentAt[i] = Date.now();
    issued++;
    inflight.push(
      issue(i).then(
        () => {
          doneAt[i] = Date.now();
        },
        (e) => {
          errors.push(`${i}: ${e instanceof Error ? e.message : String(e)}`);
        },
      ),
    );
  }
  const issueSpanMs = performance.now() - t0;
  await Promise.all(inflight);
  return { sentAt, doneAt, errors, issued, issueSpanMs };
}

/** Waits (polling, with a deadline) until `expected` workflows match `query`; returns the count seen. */
async function waitForCount(client, query, expected, deadlineMs) {
  let seen = 0;
  for (;;) {
    seen = (await client.workflow.count(query)).count;
    if (seen >= expected || Date.now() > deadlineMs) return seen;
    await sleep(250);
  }
}

/** One visibility query for the whole phase instead of one lookup per event: EventId -> start time (ms). */
async function startTimes(client, query) {
  const byEventId = new Map();
  for await (const info of client.workflow.list({ query, pageSize: 1000 })) {
    const id = info.typedSearchAttributes.get(EVENT_ID);
    if (id !== undefined) byEventId.set(id, info.startTime.getTime());
  }
  return byEventId;
}

/** Nearest-rank percentile of an ascending array. */
function pct(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function distribution(values) {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return { n: 0 };
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return {
    n: s.length,
    min: s[0],
    p50: pct(s, 50),
    p95: pct(s, 95),
    p99: pct(s, 99),
    max: s[s.length - 1],
    mean: Math.round(mean * 10) / 10,
  };
}

function makeEvent(template, source, id, subject) {
  return { ...template, id, source, subject, time: new Date().toISOString() };
}

/** The router's workflow id formula (apps/event-router/src/workflow-id.ts), with the direct path's own source. */
function workflowIdFor(event) {
  const sourceHash = createHash('sha256').update(event.source).digest('hex').slice(0, 12);
  return `${ROUTE.workflowIdPrefix}:${sourceHash}:${event.id}`;
}

/** The router's start options (apps/event-router/src/workflow-starter.service.ts). */
function startLikeTheRouter(client, event) {
  return client.workflow.start(ROUTE.workflowType, {
    workflowId: workflowIdFor(event),
    taskQueue: ROUTE.taskQueue,
    args: [{ event }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: [
      { key: EVENT_ID, value: event.id },
      { key: KEYS.eventSubject, value: event.subject },
      { key: KEYS.eventType, value: event.type },
      { key: KEYS.pipelineStage, value: ROUTE.initialStage },
    ],
  });
}

/**
 * Runs one path: warm-up (awaited, not measured), then N paced requests, then waits for all N starts to
 * be visible and joins them with the request times. `issue(event)` makes the request.
 */
async function runPath(client, name, opts, ids, issue) {
  const { runId, source, template } = ids;
  const prefix = `${runId}-${name}`;
  // One subject per event: the subject is the partition key, so distinct datasets spread over the
  // intake topic's partitions the way independent pipelines would.
  const event = (kind, i) =>
    makeEvent(template, source, `${prefix}-${kind}${i}`, `datasets/bench-${prefix}-${kind}${i}`);

  if (opts.warmup > 0) {
    const warm = Array.from({ length: opts.warmup }, (_, i) => event('w', i));
    await Promise.all(warm.map((e) => issue(e)));
    const seen = await waitForCount(
      client,
      `EventId STARTS_WITH '${prefix}-w'`,
      warm.length,
      Date.now() + opts.settleS * 1000,
    );
    if (seen < warm.length) throw new Error(`${name}: only ${seen}/${warm.length} warm-up workflows started`);
  }

  const events = Array.from({ length: opts.events }, (_, i) => event('m', i));
  const budgetMs = (opts.events / opts.rate) * 1000 * 2 + 10_000;
  say(`${name}: ${opts.events} requests at ${opts.rate}/s`);
  const r = await paced(opts.events, opts.rate, Date.now() + budgetMs, (i) => issue(events[i]));
  const query = `EventId STARTS_WITH '${prefix}-m'`;
  const seen = await waitForCount(client, query, r.issued - r.errors.length, Date.now() + opts.settleS * 1000);
  const starts = await startTimes(client, query);
  say(
    `${name}: ${r.issued} issued in ${(r.issueSpanMs / 1000).toFixed(1)} s, ${r.errors.length} failed, ${seen} started`,
  );

  const startLatency = [];
  const callLatency = [];
  let firstSent = Infinity;
  let lastStart = -Infinity;
  let lastDone = -Infinity;
  for (let i = 0; i < r.issued; i++) {
    const sent = r.sentAt[i];
    firstSent = Math.min(firstSent, sent);
    if (r.doneAt[i] !== undefined) {
      callLatency.push(r.doneAt[i] - sent);
      lastDone = Math.max(lastDone, r.doneAt[i]);
    }
    const started = starts.get(events[i].id);
    if (started !== undefined) {
      startLatency.push(started - sent);
      lastStart = Math.max(lastStart, started);
    }
  }
  const spanS = (lastStart - firstSent) / 1000;
  return {
    requested: opts.events,
    issued: r.issued,
    failedRequests: r.errors.length,
    errorSamples: r.errors.slice(0, 5),
    started: startLatency.length,
    offeredRatePerS: opts.rate,
    issueRatePerS: r.issued > 1 ? Math.round(((r.issued - 1) / (r.issueSpanMs / 1000)) * 10) / 10 : null,
    // Starts over the whole run: first request issued -> last workflow start recorded by Temporal.
    throughputPerS: spanS > 0 ? Math.round((startLatency.length / spanS) * 10) / 10 : null,
    spanS: Math.round(spanS * 100) / 100,
    // Request -> Temporal's recorded start time, per workflow (ms).
    startLatencyMs: distribution(startLatency),
    // Request -> the call resolved: broker ack for publish(), server reply for workflow.start() (ms).
    callLatencyMs: distribution(callLatency),
    lastCallDoneOffsetMs: Number.isFinite(lastDone) ? lastDone - firstSent : null,
  };
}

async function terminateRun(client, runId) {
  const query = `EventId STARTS_WITH '${runId}-' AND ExecutionStatus = 'Running'`;
  const ids = [];
  for await (const info of client.workflow.list({ query, pageSize: 1000 })) ids.push(info.workflowId);
  let next = 0;
  const workers = Array.from({ length: 16 }, async () => {
    while (next < ids.length) {
      const id = ids[next++];
      await client.workflow
        .getHandle(id)
        .terminate('event-spine benchmark finished')
        .catch(() => undefined);
    }
  });
  await Promise.all(workers);
  say(`terminated ${ids.length} workflows of run ${runId}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  // The benchmark is a local tool: it refuses to generate load against anything but this machine.
  for (const hp of [...brokers, address]) {
    if (!/^127\.0\.0\.1:\d+$/.test(hp)) throw new Error(`refusing non-local endpoint ${hp}`);
  }

  const template = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
  const runId = `bench${Date.now().toString(36)}`;
  const ids = { runId, template };
  const probe = parseIntakeEvent(makeEvent(template, 'bench://event-spine', `${runId}-probe`, 'datasets/bench'));
  if (!probe.ok) throw new Error(`benchmark event is not valid: ${probe.reason}: ${probe.detail}`);

  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const quiet = { error: (m) => say(`kafka: ${m}`), warn: (m) => say(`kafka: ${m}`), log: () => undefined };
  const publisher = new EventPublisher(createKafka({ brokers, clientId: 'mlsecops-bench-event-spine' }, quiet));
  await publisher.connect();

  const startedAt = new Date().toISOString();
  try {
    say(`run ${runId}: kafka ${brokers.join(',')}, temporal ${address}/${namespace}`);
    const router = await runPath(client, 'r', opts, { ...ids, source: `bench://event-spine/${runId}` }, (e) =>
      publisher.publish(TOPICS.lifecycle, e),
    );
    const direct = await runPath(client, 'd', opts, { ...ids, source: `bench://event-spine/${runId}/direct` }, (e) =>
      startLikeTheRouter(client, e),
    );
    const ratio = (a, b) => (a != null && b != null && b > 0 ? Math.round((a / b) * 100) / 100 : null);
    const summary = {
      runId,
      startedAt,
      options: { events: opts.events, rate: opts.rate, warmup: opts.warmup },
      router,
      direct,
      // Router overhead: how many times longer (or slower) the Kafka + router path is than a direct start.
      ratios: {
        p50: ratio(router.startLatencyMs.p50, direct.startLatencyMs.p50),
        p95: ratio(router.startLatencyMs.p95, direct.startLatencyMs.p95),
        p99: ratio(router.startLatencyMs.p99, direct.startLatencyMs.p99),
        throughput: ratio(router.throughputPerS, direct.throughputPerS),
      },
    };
    if (opts.terminate) await terminateRun(client, runId);
    const json = `${JSON.stringify(summary, null, 2)}\n`;
    if (opts.out) writeFileSync(opts.out, json);
    else process.stdout.write(json);
    const ok = router.started === opts.events && direct.started === opts.events;
    if (!ok)
      say(`incomplete: router ${router.started}/${opts.events}, direct ${direct.started}/${opts.events} started`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await publisher.disconnect();
    await connection.close();
  }
}

main().catch((e) => {
  say(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(2);
});
