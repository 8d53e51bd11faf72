import { isAbsolute } from 'node:path';
import { z } from 'zod';

const hostPort = z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port');
const absolutePath = z.string().refine((p) => isAbsolute(p), 'expected an absolute path');

/** Kafka connection, shared by every service that produces or consumes. */
export const kafkaEnv = z.object({
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((s) => s.split(',').map((b) => b.trim()))
    .pipe(z.array(hostPort).min(1)),
  KAFKA_CLIENT_ID: z.string().min(1).default('mlsecops'),
});

/** Temporal frontend connection. */
export const temporalEnv = z.object({
  TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
});

/** Logging; OpenTelemetry itself is configured by the standard OTEL_* variables, read by its SDK. */
export const logEnv = z.object({
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
});

/** The event router: how hard it retries Temporal before pausing a partition, and its fan-out. */
export const routerEnv = z.object({
  // Default matches the intake topic's partition count, so one router instance can drain every partition at once.
  ROUTER_PARTITIONS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(6),
  ROUTER_RETRY_INITIAL_MS: z.coerce.number().int().min(10).default(250),
  ROUTER_RETRY_MAX_MS: z.coerce.number().int().min(100).default(10_000),
});

export const WORKER_CAPABILITIES = ['orchestration', 'data-checks', 'model-scan', 'signing', 'results'] as const;
export type WorkerCapability = (typeof WORKER_CAPABILITIES)[number];

/** The Temporal worker: which capabilities (task queues) it serves and where it may read and write. */
export const workerEnv = z.object({
  /** The only directory from which datasets and models may be read. */
  MLSECOPS_ARTIFACT_ROOT: absolutePath,
  /** Where evidence (profiles, reports) is filed. */
  MLSECOPS_EVIDENCE_DIR: absolutePath,
  WORKER_CAPABILITIES: z
    .string()
    .default(WORKER_CAPABILITIES.join(','))
    .transform((s) =>
      s
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(WORKER_CAPABILITIES)).min(1)),
  /** Prebuilt workflow bundle (production); without it the worker bundles workflows at start. */
  WORKFLOW_BUNDLE_PATH: absolutePath.optional(),
});

/** The standard OTEL_* variables we act on; the OTLP exporter reads OTEL_EXPORTER_OTLP_* itself. */
export const telemetryEnv = z.object({
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none']).default('otlp'),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
});

/** Signing keys of the worker's signing capability (files; a KMS-backed provider can replace them). */
export const signingEnv = z.object({
  MLSECOPS_SIGNING_KEY_PATH: absolutePath.optional(),
  MLSECOPS_SIGNING_PUBLIC_KEY_PATH: absolutePath.optional(),
  /** Password of an encrypted private key; never logged (config errors name variables, not values). */
  MLSECOPS_SIGNING_KEY_PASSWORD: z.string().optional(),
});
