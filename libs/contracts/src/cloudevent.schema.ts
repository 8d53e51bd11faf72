import { z } from 'zod';

/** CloudEvents 1.0 attribute rules (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md). */
const nonEmpty = z.string().min(1).max(1024);

/**
 * Builds the zod schema of one CloudEvents 1.0 event type: the envelope attributes plus a typed `data`.
 * `subject` is required for lifecycle events because it is the Kafka partition key (one dataset or
 * model's events stay ordered on one partition).
 */
export function cloudEventSchema<const T extends string, D extends z.ZodType>(type: T, data: D) {
  return z.strictObject({
    specversion: z.literal('1.0'),
    id: nonEmpty.regex(/^[\x21-\x7e]+$/, 'id must be printable ASCII without spaces'),
    source: nonEmpty,
    type: z.literal(type),
    subject: nonEmpty,
    time: z.iso.datetime({ offset: true }),
    datacontenttype: z.literal('application/json').default('application/json'),
    dataschema: z.string().url().optional(),
    traceparent: z.string().optional(),
    tracestate: z.string().optional(),
    data,
  });
}

/** The envelope without a typed payload: what the router can read before it knows the event type. */
export const cloudEventEnvelopeSchema = z.looseObject({
  specversion: z.string(),
  id: z.string(),
  source: z.string(),
  type: z.string(),
});
export type CloudEventEnvelope = z.infer<typeof cloudEventEnvelopeSchema>;
