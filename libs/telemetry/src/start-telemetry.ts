import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource, envDetectorSync } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BatchSpanProcessor, ConsoleSpanExporter, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

/** Standard OTEL_TRACES_EXPORTER values we support; the OTLP exporter reads OTEL_EXPORTER_OTLP_* itself. */
export type TracesExporter = 'otlp' | 'console' | 'none';

export interface TelemetryOptions {
  serviceName: string;
  serviceVersion?: string;
  exporter?: TracesExporter;
  /** Replaces the exporter pipeline (tests pass an in-memory exporter here). */
  spanProcessor?: SpanProcessor;
}

/** A running tracer provider plus what Temporal's plugin needs to export workflow spans the same way. */
export interface Telemetry {
  readonly resource: Resource;
  readonly spanProcessor: SpanProcessor;
  shutdown(): Promise<void>;
}

/**
 * Registers the global tracer provider (AsyncLocalStorage context, W3C trace-context propagation).
 * Call it before anything creates spans: each app's `instrument.ts`, imported first by `main.ts`.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
  const resource = new Resource({
    [ATTR_SERVICE_NAME]: options.serviceName,
    [ATTR_SERVICE_VERSION]: options.serviceVersion ?? '0.1.0',
  }).merge(envDetectorSync.detect());
  const spanProcessor = options.spanProcessor ?? processorFor(options.exporter ?? 'otlp');
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { resource, spanProcessor, shutdown: () => provider.shutdown() };
}

function processorFor(exporter: TracesExporter): SpanProcessor {
  switch (exporter) {
    case 'otlp':
      return new BatchSpanProcessor(new OTLPTraceExporter());
    case 'console':
      return new BatchSpanProcessor(new ConsoleSpanExporter());
    case 'none':
      return new NoopSpanProcessor();
  }
}
