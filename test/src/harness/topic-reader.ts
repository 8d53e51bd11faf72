import type { Consumer, IHeaders, Kafka } from 'kafkajs';
import { waitFor } from './wait-for';

export interface ReadRecord {
  key: string | null;
  value: Buffer | null;
  headers: IHeaders;
  partition: number;
  offset: string;
}

/** Collects every record of a topic (from the beginning) with a throwaway consumer group. */
export class TopicReader {
  readonly records: ReadRecord[] = [];
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  async start(): Promise<void> {
    this.consumer = this.kafka.consumer({ groupId: `test-reader-${this.topic}-${Date.now()}-${Math.random()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: ({ message, partition }) => {
        this.records.push({
          key: message.key?.toString() ?? null,
          value: message.value,
          headers: message.headers ?? {},
          partition,
          offset: message.offset,
        });
        return Promise.resolve();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /** Waits for the first record matching `match`. */
  waitFor(description: string, match: (r: ReadRecord) => boolean, timeoutMs = 60_000): Promise<ReadRecord> {
    return waitFor(description, () => Promise.resolve(this.records.find(match)), timeoutMs);
  }

  json(r: ReadRecord): Record<string, unknown> {
    return JSON.parse(r.value?.toString() ?? 'null') as Record<string, unknown>;
  }
}
