#!/usr/bin/env node
// Records a workflow's event history for the replay tests (workflows/test-histories/): run a workflow on
// the current code, record it, commit the file; later code must replay it without non-determinism.
// Usage: TEMPORAL_ADDRESS=127.0.0.1:7233 node tools/record-workflow-history.js <workflowId> <out.json>
'use strict';
const { writeFileSync } = require('node:fs');
const { Client, Connection } = require('@temporalio/client');
const { temporal } = require('@temporalio/proto');

async function main() {
  const [workflowId, out] = process.argv.slice(2);
  if (!workflowId || !out) {
    console.error('usage: node tools/record-workflow-history.js <workflowId> <out.json>');
    process.exit(2);
  }
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233' });
  try {
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE || 'default' });
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    // protobufjs object form (not proto3 JSON): read back with History.fromObject by the same library.
    const plain = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), {
      longs: String,
      enums: String,
      bytes: String,
    });
    writeFileSync(out, JSON.stringify(plain, null, 2) + '\n');
    console.log(`recorded ${plain.events.length} events of ${workflowId} to ${out}`);
  } finally {
    await connection.close();
  }
}

main().catch((e) => {
  console.error(`record-workflow-history: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
