import type { DlqReason } from '@mlsecops/contracts';
import { DLQ_HEADERS } from '@mlsecops/contracts';
import type { Kafka, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { ConsumedMessage } from './consumed-message';

/** Detail text is for people; cap it so a huge validation report cannot bloat the record. */
const MAX_DETAIL_CHARS = 4000;

/**
 * Sends a message that can never be processed to the DLQ: the original key, bytes and headers, plus
 * why (machine-readable reason + human detail) and where it came from, so it can be fixed and replayed.
 */
export class DeadLetterPublisher {
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly dlqTopic: string,
  ) {
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

  async deadLetter(message: ConsumedMessage, reason: DlqReason, detail: string): Promise<void> {
    await this.producer.send({
      topic: this.dlqTopic,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            [DLQ_HEADERS.reason]: reason,
            [DLQ_HEADERS.detail]: detail.slice(0, MAX_DETAIL_CHARS),
            [DLQ_HEADERS.sourceTopic]: message.topic,
            [DLQ_HEADERS.sourcePartition]: String(message.partition),
            [DLQ_HEADERS.sourceOffset]: message.offset,
            [DLQ_HEADERS.failedAt]: new Date().toISOString(),
          },
        },
      ],
    });
  }
}
