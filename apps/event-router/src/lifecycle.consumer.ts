import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ROUTER_CONSUMER_GROUP, TOPICS, TOPIC_SPECS } from '@mlsecops/contracts';
import { CommittingConsumer, DeadLetterPublisher, ensureTopics } from '@mlsecops/messaging';
import type { Kafka } from 'kafkajs';
import { LifecycleRouter } from './lifecycle-router.service';
import type { RouterConfig } from './router.config';
import { KAFKA, ROUTER_CONFIG } from './router.tokens';

/** Owns the consumer-group membership on the intake topic for the life of the app. */
@Injectable()
export class LifecycleConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LifecycleConsumer.name);
  private readonly consumer: CommittingConsumer;
  private readonly deadLetters: DeadLetterPublisher;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(ROUTER_CONFIG) config: RouterConfig,
    private readonly router: LifecycleRouter,
  ) {
    this.deadLetters = new DeadLetterPublisher(kafka, TOPICS.lifecycleDlq);
    this.consumer = new CommittingConsumer(
      kafka,
      {
        groupId: ROUTER_CONSUMER_GROUP,
        topic: TOPICS.lifecycle,
        partitionsConsumedConcurrently: config.ROUTER_PARTITIONS_CONCURRENCY,
        retry: { initialMs: config.ROUTER_RETRY_INITIAL_MS, maxMs: config.ROUTER_RETRY_MAX_MS },
      },
      new Logger('consumer'),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const created = await ensureTopics(this.kafka, TOPIC_SPECS);
    if (created.length > 0) this.logger.log(`created topics ${created.join(', ')}`);
    await this.deadLetters.connect();
    this.router.useDeadLetters(this.deadLetters);
    await this.consumer.start(async (message) => {
      await this.router.route(message);
    });
    this.logger.log(`consuming ${TOPICS.lifecycle} as group ${ROUTER_CONSUMER_GROUP}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
    await this.deadLetters.disconnect();
    this.logger.log('consumer stopped; uncommitted messages will be redelivered');
  }
}
