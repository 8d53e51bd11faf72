// Clients for the commands that talk to the running platform; loaded on demand (see main.ts).
// Nest's decorators need the metadata polyfill first; only these commands load Nest, so only they pay for it.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { kafkaEnv, readProcessEnv, temporalEnv } from '@mlsecops/config';
import { EventPublisher, createKafka } from '@mlsecops/messaging';
import { Client, Connection } from '@temporalio/client';
import type { Kafka } from 'kafkajs';
import { CliExit, EXIT } from './cli-exit';

/** Kafka client for commands that publish; configured by KAFKA_BROKERS like the services. */
export function kafkaFromEnv(): Kafka {
  const env = readProcessEnv(kafkaEnv);
  return createKafka({ brokers: env.KAFKA_BROKERS, clientId: `${env.KAFKA_CLIENT_ID}-cli` }, new Logger('kafka'));
}

/** A result-event publisher on the platform's Kafka (not yet connected). */
export function publisherFromEnv(): EventPublisher {
  return new EventPublisher(kafkaFromEnv());
}

/** Temporal client for commands that read workflow state; configured by TEMPORAL_ADDRESS. */
export async function temporalFromEnv(): Promise<Client> {
  const env = readProcessEnv(temporalEnv);
  try {
    const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS, connectTimeout: '5 seconds' });
    return new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  } catch (e: unknown) {
    throw new CliExit(
      EXIT.usage,
      `cannot reach Temporal at ${env.TEMPORAL_ADDRESS} (is the platform up? npm start): ${(e as Error).message}`,
    );
  }
}
