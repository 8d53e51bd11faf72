import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { RouterModule } from '@mlsecops/event-router';
import { createKafka } from '@mlsecops/messaging';
import type { Telemetry } from '@mlsecops/telemetry';
import { startTelemetry } from '@mlsecops/telemetry';
import { WorkerModule } from '@mlsecops/worker';
import { Client, Connection } from '@temporalio/client';
import type { Kafka } from 'kafkajs';
import { kafkaBrokers, repoRoot, temporalAddress } from './test-stack';

const quietLogger = { log() {}, error() {}, warn() {}, debug() {} };

/** The router and worker hosted in this process against the test stack, with traces kept in memory. */
export interface TestPlatform {
  readonly spans: InMemorySpanExporter;
  readonly telemetry: Telemetry;
  readonly kafka: Kafka;
  readonly temporal: Client;
  /** The artifact root the worker may read: tests write datasets here. */
  readonly artifactRoot: string;
  startRouter(): Promise<void>;
  stopRouter(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestPlatform(): Promise<TestPlatform> {
  const spans = new InMemorySpanExporter();
  const telemetry = startTelemetry({ serviceName: 'mlsecops-e2e', spanProcessor: new SimpleSpanProcessor(spans) });
  const base = await mkdtemp(join(tmpdir(), 'mlsecops-e2e-'));
  const artifactRoot = join(base, 'artifacts');
  await mkdir(artifactRoot, { recursive: true });
  await writeFile(join(base, 'outside.csv'), 'a\n1\n');
  Object.assign(process.env, {
    KAFKA_BROKERS: kafkaBrokers,
    TEMPORAL_ADDRESS: temporalAddress,
    MLSECOPS_ARTIFACT_ROOT: artifactRoot,
    MLSECOPS_EVIDENCE_DIR: join(base, 'evidence'),
    WORKFLOW_BUNDLE_PATH: join(repoRoot, 'workflows/dist/workflow-bundle.js'),
    ROUTER_RETRY_INITIAL_MS: '100',
    ROUTER_RETRY_MAX_MS: '1000',
  });
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(telemetry), { logger: quietLogger });
  let router: INestApplicationContext | undefined;
  const kafka = createKafka({ brokers: [kafkaBrokers], clientId: 'e2e' }, quietLogger);
  const temporal = new Client({ connection: await Connection.connect({ address: temporalAddress }) });
  return {
    spans,
    telemetry,
    kafka,
    temporal,
    artifactRoot,
    async startRouter() {
      router = await NestFactory.createApplicationContext(RouterModule.forRoot(), { logger: quietLogger });
    },
    async stopRouter() {
      await router?.close();
      router = undefined;
    },
    async close() {
      await router?.close();
      await worker.close();
      await temporal.connection.close();
      await telemetry.shutdown();
    },
  };
}
