import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DatasetCheckedEvent } from '@mlsecops/contracts';
import type { ResultPublisherPort } from '@mlsecops/activities';
import { EventPublisher, createKafka } from '@mlsecops/messaging';
import type { WorkerConfig } from './worker.config';
import { WORKER_CONFIG } from './worker.tokens';

/** The worker's Kafka producer for result events, connected for the life of the app. */
@Injectable()
export class KafkaResultPublisher implements ResultPublisherPort, OnModuleInit, OnApplicationShutdown {
  private readonly publisher: EventPublisher;

  constructor(@Inject(WORKER_CONFIG) config: WorkerConfig) {
    const kafka = createKafka(
      { brokers: config.KAFKA_BROKERS, clientId: `${config.KAFKA_CLIENT_ID}-worker` },
      new Logger('kafka'),
    );
    this.publisher = new EventPublisher(kafka);
  }

  onModuleInit(): Promise<void> {
    return this.publisher.connect();
  }

  onApplicationShutdown(): Promise<void> {
    return this.publisher.disconnect();
  }

  publish(topic: string, event: DatasetCheckedEvent): Promise<void> {
    return this.publisher.publish(topic, event);
  }
}
