import { readProcessEnv, telemetryEnv } from '@mlsecops/config';
import type { Telemetry, TracesExporter } from './start-telemetry';
import { startTelemetry } from './start-telemetry';

/**
 * Starts tracing as the standard OTEL_* variables say; each app's `instrument.ts` calls this first.
 * `defaultExporter` applies when OTEL_TRACES_EXPORTER is unset (the CLI defaults to none: it still
 * creates and propagates a trace, but a one-shot command should not wait on a collector).
 */
export function startTelemetryFromEnv(defaultServiceName: string, defaultExporter?: TracesExporter): Telemetry {
  const env = readProcessEnv(
    telemetryEnv.extend({ OTEL_TRACES_EXPORTER: telemetryEnv.shape.OTEL_TRACES_EXPORTER.unwrap().optional() }),
  );
  return startTelemetry({
    serviceName: env.OTEL_SERVICE_NAME ?? defaultServiceName,
    exporter: env.OTEL_TRACES_EXPORTER ?? defaultExporter ?? 'otlp',
  });
}
