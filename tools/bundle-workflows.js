#!/usr/bin/env node
// Prebuilds the Temporal workflow bundle (workflows + OpenTelemetry workflow interceptors) so production
// workers load code instead of running webpack at start. Exits non-zero on any bundling error.
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { bundleWorkflowCode } = require('@temporalio/worker');

async function main() {
  const out = path.resolve(__dirname, '..', 'workflows', 'dist', 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('@mlsecops/workflows'),
    workflowInterceptorModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
    logger: { info() {}, debug() {}, trace() {}, warn: console.warn, error: console.error, log() {} },
  });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(`workflow bundle: ${path.relative(process.cwd(), out)} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((e) => {
  console.error(`bundle-workflows: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
