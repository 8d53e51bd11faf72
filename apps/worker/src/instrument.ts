// Loaded first by main.ts: the tracer provider must exist before any span-producing code runs.
import { startTelemetryFromEnv } from '@mlsecops/telemetry';

export const telemetry = startTelemetryFromEnv('mlsecops-worker');
