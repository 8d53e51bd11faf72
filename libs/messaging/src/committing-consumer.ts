import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { contextFromHeaders } from '@mlsecops/telemetry';
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import type { ConsumedMessage } from './consumed-message';
import type { MessagingLogger } from './kafka-factory';
import { backoffDelay, sleep } from './retry-backoff';

const tracer = trace.getTracer('@mlsecops/messaging');

export interface CommittingConsumerOptions {
  groupId: string;
  topic: string;
  partitionsConsumedConcurrently: number;
  retry: { initialMs: number; maxMs: number };
}

/**
 * Handles one message. Resolving means "done, commit it"; throwing means "transient, try again": the
 * consumer retries the same message with backoff (the partition waits, order is kept) and never commits
 * past it. Permanent failures must be dealt with inside the handler (e.g. dead-lettered) and resolve.
 */
export type MessageHandler = (message: ConsumedMessage) => Promise<void>;

/**
 * At-least-once consumption with manual commits: offset+1 is committed only after the handler resolved,
 * so a crash, a kill or a rebalance redelivers instead of losing. Handlers are idempotent by design
 * (workflow ids derived from event ids), which makes redelivery harmless.
 */
export class CommittingConsumer {
  private readonly consumer: Consumer;
  private readonly stopping = new AbortController();

  constructor(
    kafka: Kafka,
    private readonly options: CommittingConsumerOptions,
    private readonly logger: MessagingLogger,
  ) {
    // A crashed member's partitions move to the survivors after sessionTimeout: keep it short.
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 3_000,
    });
  }

  async start(handler: MessageHandler): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachMessage: (payload) => this.handleWithRetry(payload, handler),
    });
  }

  /** Stops fetching, abandons retries in flight (uncommitted, so redelivered later) and leaves the group. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.consumer.disconnect();
  }

  private async handleWithRetry(payload: EachMessagePayload, handler: MessageHandler): Promise<void> {
    const { topic, partition, message } = payload;
    const consumed: ConsumedMessage = {
      topic,
      partition,
      offset: message.offset,
      key: message.key,
      value: message.value,
      headers: message.headers ?? {},
    };
    const parent = contextFromHeaders(consumed.headers, context.active());
    const span = tracer.startSpan(
      `${topic} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': topic,
          'messaging.operation.type': 'process',
          'messaging.destination.partition.id': String(partition),
          'messaging.kafka.offset': message.offset,
          'messaging.consumer.group.name': this.options.groupId,
        },
      },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), async () => {
        for (let attempt = 0; ; attempt++) {
          try {
            await handler(consumed);
            break;
          } catch (e: unknown) {
            if (this.stopping.signal.aborted) throw e;
            const delay = backoffDelay(attempt, this.options.retry.initialMs, this.options.retry.maxMs);
            this.logger.warn(
              `${topic}[${partition}]@${message.offset}: transient failure (attempt ${attempt + 1}), retrying in ${delay} ms: ${(e as Error).message}`,
            );
            span.addEvent('retry', { attempt: attempt + 1, 'error.message': (e as Error).message });
            await sleep(delay, this.stopping.signal);
            // Keeps our group membership while we wait; throws if the partition was revoked meanwhile.
            await payload.heartbeat();
          }
        }
      });
      await this.consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    } catch (e: unknown) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
      throw e;
    } finally {
      span.end();
    }
  }
}
