/**
 * Kafka topics. Partition key is always the CloudEvents `subject`, so one dataset's or model's events
 * stay ordered; partition counts set how many router instances can share the load.
 */
export const TOPICS = {
  lifecycle: 'mlsecops.lifecycle',
  results: 'mlsecops.results',
  lifecycleDlq: 'mlsecops.lifecycle.dlq',
} as const;

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Broker-side settings; retention keeps dead letters long enough for a person to act. */
  readonly config: Readonly<Record<string, string>>;
}

export const TOPIC_SPECS: readonly TopicSpec[] = [
  { name: TOPICS.lifecycle, partitions: 6, config: { 'retention.ms': String(7 * 24 * 3600 * 1000) } },
  { name: TOPICS.results, partitions: 6, config: { 'retention.ms': String(7 * 24 * 3600 * 1000) } },
  { name: TOPICS.lifecycleDlq, partitions: 1, config: { 'retention.ms': String(30 * 24 * 3600 * 1000) } },
];

/** Upper bound for one lifecycle message; larger ones are dead-lettered with reason `oversize`. */
export const MAX_EVENT_BYTES = 256 * 1024;

/** Consumer group of the event router. */
export const ROUTER_CONSUMER_GROUP = 'mlsecops-event-router';
