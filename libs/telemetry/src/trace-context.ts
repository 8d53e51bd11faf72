import type { Context, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { context, propagation, trace } from '@opentelemetry/api';

/** Kafka header values arrive as Buffers (or arrays of them); W3C propagation wants strings. */
export type WireHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

const headerGetter: TextMapGetter<WireHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const raw = carrier[key];
    const first = Array.isArray(raw) ? raw[0] : raw;
    return first === undefined ? undefined : first.toString();
  },
};

const headerSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** The context whose parent is the span that produced these headers (`traceparent`/`tracestate`). */
export function contextFromHeaders(headers: WireHeaders, parent: Context = context.active()): Context {
  return propagation.extract(parent, headers, headerGetter);
}

/** Headers carrying the active (or given) context, to put on an outgoing message. */
export function headersFromContext(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier, headerSetter);
  return carrier;
}

/** Trace id of the active span, for logs and result events; undefined outside any trace. */
export function currentTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}
