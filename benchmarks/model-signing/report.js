#!/usr/bin/env node
'use strict';
/**
 * Renders run.sh's timings as the `## model-signing` section of docs/benchmarks.md (replacing the
 * section if present, appending it otherwise), or prints it.
 * usage: node report.js --results R.tsv --machine JSON --python TEXT --openssl TEXT --gib G --rounds N [--doc FILE]
 */
const fs = require('node:fs');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const machine = JSON.parse(args.machine);
const gib = Number(args.gib);

const rows = fs
  .readFileSync(args.results, 'utf8')
  .trim()
  .split('\n')
  .map((l) => l.split('\t'))
  .map(([model, op, tool, wall, cpu]) => ({ model, op, tool, wall: Number(wall), cpu: Number(cpu) }));
const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
// Wall time: the best round (the machine may be shared; the best round is the least disturbed one).
// CPU time (user+sys): the median round.
const pick = (model, op, tool, field) =>
  rows.filter((r) => r.model === model && r.op === op && r.tool === tool).map((r) => r[field]);
const get = (model, op, tool) => {
  const xs = pick(model, op, tool, 'wall');
  return xs.length ? Math.min(...xs) : undefined;
};
const cpu = (model, op, tool) => {
  const xs = pick(model, op, tool, 'cpu');
  return xs.length ? median(xs) : undefined;
};
// Ratios per round (the tools of one round ran back to back, so they saw the same machine), median round.
const roundRatio = (model, slow, fast) => {
  const a = pick(model, 'sign', slow, 'wall');
  const b = pick(model, 'sign', fast, 'wall');
  const n = Math.min(a.length, b.length);
  return n ? median(Array.from({ length: n }, (_, i) => b[i] / a[i])) : undefined;
};
const fmt = (s) => (s === undefined ? 'n/a' : `${s.toFixed(2)} s (${(gib / s).toFixed(2)} GiB/s)`);
const pct = (a, b) => (a === undefined || b === undefined ? 'n/a' : `${((100 * b) / a).toFixed(0)}%`);
const times = (a, b) => (a === undefined || b === undefined ? 'n/a' : `${(b / a).toFixed(2)}x`);
const label = {
  mixed: 'mixed: 12 large files + 1000 small (100 KiB)',
  huge: 'one huge file',
  small: 'many small: 16384 files of 256 KiB',
};

const models = [...new Set(rows.map((r) => r.model))];
const lines = [
  '## model-signing',
  '',
  `Signing and verifying a ${gib} GiB model with ours (\`mlsecops sign\` / \`verify\`, Node start-up included) and with`,
  `the reference \`model_signing\` CLI (start-up included), next to the native reference: \`nproc\`-parallel`,
  '`openssl dgst -sha256` over the same files (large files one per process, small files 200 per process).',
  `${args.rounds} rounds; the tools alternate within each round, each round starting with another tool; warm page cache (every model is read`,
  'once before timing), so the figures compare hashing and orchestration, not the disk. Each verifier checks',
  "the other implementation's signature, which doubles as an interoperability check. Run:",
  '`npm run build && benchmarks/model-signing/run.sh`.',
  '',
  `Machine: ${machine.nproc} CPUs (\`nproc\`), ${machine.cpu}, ${machine.ramGiB} GiB RAM; Node ${machine.node};`,
  `Python ${args.python}; ${args.openssl}.`,
  '',
  `Load average when the run ended: ${args.load ?? 'n/a'}.`,
  '',
  '### Sign (wall time, best round)',
  '',
  '| model | `mlsecops sign` | engine only | `model_signing sign` | native openssl | ours vs model_signing | ours vs native | engine vs native | median round: vs model_signing / vs native |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const m of models) {
  const ours = get(m, 'sign', 'ours');
  const eng = get(m, 'sign', 'engine');
  const ref = get(m, 'sign', 'model_signing');
  const nat = get(m, 'sign', 'openssl');
  lines.push(
    `| ${label[m] ?? m} | ${fmt(ours)} | ${fmt(eng)} | ${fmt(ref)} | ${fmt(nat)} | ${times(ours, ref)} | ${pct(ours, nat)} | ${pct(eng, nat)} | ${times(1, roundRatio(m, 'ours', 'model_signing'))} / ${pct(1, roundRatio(m, 'ours', 'openssl'))} |`,
  );
}
lines.push(
  '',
  '### Verify (wall time, best round) and CPU time (user+sys, median round)',
  '',
  '| model | `mlsecops verify` | engine only | `model_signing verify` | sign CPU: ours / engine / model_signing / openssl |',
  '| --- | --- | --- | --- | --- |',
);
const c = (x) => (x === undefined ? 'n/a' : `${x.toFixed(2)} s`);
for (const m of models) {
  lines.push(
    `| ${label[m] ?? m} | ${fmt(get(m, 'verify', 'ours'))} | ${fmt(get(m, 'verify', 'engine'))} | ${fmt(get(m, 'verify', 'model_signing'))} | ${['ours', 'engine', 'model_signing', 'openssl'].map((t) => c(cpu(m, 'sign', t))).join(' / ')} |`,
  );
}
lines.push(
  '',
  '"ours vs model_signing" is model_signing time / our time (above 1.00x: we are faster); "vs native" is native',
  'time / our time (targets: never slower than model_signing, at least 90% of native). "engine only" signs',
  "through the built library in a bare Node process, without the CLI's start-up (which loads every command's",
  'libraries). "median round" takes the ratio within each round and the median over rounds (the best-round',
  "columns pair each tool's luckiest round). A single huge file cannot be split: SHA-256 is sequential, so every",
  'tool hashes it on one core; ours reads the next megabyte on the other core meanwhile (openssl and',
  'model_signing read and hash in turn on one).',
  '',
);
const section = lines.join('\n');

if (!args.doc) {
  process.stdout.write(`${section}\n`);
} else {
  const doc = fs.existsSync(args.doc) ? fs.readFileSync(args.doc, 'utf8') : '# Benchmarks\n';
  const start = doc.indexOf('\n## model-signing\n');
  let out;
  if (start < 0) {
    out = `${doc.replace(/\n*$/, '\n\n')}${section}`;
  } else {
    const next = doc.indexOf('\n## ', start + 1);
    out = `${doc.slice(0, start + 1)}${section}${next < 0 ? '' : doc.slice(next)}`;
  }
  fs.writeFileSync(args.doc, out);
}
