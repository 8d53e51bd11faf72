import { SpanKind, context, trace } from '@opentelemetry/api';
import { headersFromContext } from '@mlsecops/telemetry';
import type { Kafka, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { encodeStructured } from './cloudevents-kafka-binding';

const tracer = trace.getTracer('@mlsecops/messaging');

/**
 * Publishes CloudEvents in structured mode, keyed by subject, with the W3C trace context of a PRODUCER
 * span in the headers so the consumer's work joins the same trace. A retried send may duplicate a record
 * (at-least-once); every consumer dedupes on the CloudEvents id, which is deterministic for results.
 */
export class EventPublisher {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Resolves once the broker acknowledged the record (acks from all in-sync replicas). */
  async publish(
    topic: string,
    event: { subject: string; id: string; type: string } & Record<string, unknown>,
  ): Promise<void> {
    const span = tracer.startSpan(`${topic} publish`, {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.operation.type': 'publish',
        'messaging.message.id': event.id,
        'cloudevents.event_type': event.type,
        'cloudevents.event_subject': event.subject,
      },
    });
    try {
      const record = encodeStructured(event);
      const traceHeaders = headersFromContext(trace.setSpan(context.active(), span));
      await this.producer.send({
        topic,
        acks: -1,
        messages: [{ ...record, headers: { ...record.headers, ...traceHeaders } }],
      });
    } catch (e: unknown) {
      span.recordException(e as Error);
      throw e;
    } finally {
      span.end();
    }
  }
}
