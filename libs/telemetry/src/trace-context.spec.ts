import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from './start-telemetry';
import { contextFromHeaders, currentTraceId, headersFromContext } from './trace-context';

describe('trace context over message headers', () => {
  const exporter = new InMemorySpanExporter();
  const telemetry = startTelemetry({ serviceName: 'spec', spanProcessor: new SimpleSpanProcessor(exporter) });
  afterAll(() => telemetry.shutdown());

  it('carries the producer span into the consumer as its parent', () => {
    const tracer = trace.getTracer('spec');
    const headers = tracer.startActiveSpan('produce', (span) => {
      const h = headersFromContext();
      span.end();
      return h;
    });
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const wire = { traceparent: Buffer.from(headers.traceparent ?? '') };
    const consumed = tracer.startSpan('consume', {}, contextFromHeaders(wire, context.active()));
    const traceIdInside = context.with(trace.setSpan(context.active(), consumed), () => currentTraceId());
    consumed.end();

    const [produce, consume] = exporter.getFinishedSpans();
    expect(consume?.spanContext().traceId).toBe(produce?.spanContext().traceId);
    expect(consume?.parentSpanId).toBe(produce?.spanContext().spanId);
    expect(traceIdInside).toBe(produce?.spanContext().traceId);
  });

  it('has no trace id outside a span', () => {
    expect(currentTraceId()).toBeUndefined();
  });
});
