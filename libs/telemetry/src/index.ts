export { startTelemetry } from './start-telemetry';
export type { Telemetry, TelemetryOptions, TracesExporter } from './start-telemetry';
export { contextFromHeaders, headersFromContext, currentTraceId } from './trace-context';
export type { WireHeaders } from './trace-context';
export { startTelemetryFromEnv } from './start-from-env';
