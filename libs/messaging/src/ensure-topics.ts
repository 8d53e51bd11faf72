import type { TopicSpec } from '@mlsecops/contracts';
import type { Kafka } from 'kafkajs';

/**
 * Creates the platform's topics if absent (brokers run with auto-creation off, so a typo in a topic
 * name fails loudly instead of silently creating a new topic). Returns the names it created.
 */
export async function ensureTopics(
  kafka: Kafka,
  specs: readonly TopicSpec[],
  replicationFactor = 1,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.name,
        numPartitions: s.partitions,
        replicationFactor,
        configEntries: Object.entries(s.config).map(([name, value]) => ({ name, value })),
      })),
    });
    return missing.map((s) => s.name);
  } finally {
    await admin.disconnect();
  }
}
