import type { LogEntry } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';

/** The slice of a logger we need; Nest's `Logger` fits. */
export interface MessagingLogger {
  error(message: string): void;
  warn(message: string): void;
  log(message: string): void;
  debug?(message: string): void;
}

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
}

/** A KafkaJS client whose logs go to our logger instead of stdout JSON. */
export function createKafka(connection: KafkaConnection, logger: MessagingLogger): Kafka {
  return new Kafka({
    clientId: connection.clientId,
    brokers: connection.brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 300, retries: 8 },
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      const line = `[${entry.namespace}] ${message} ${JSON.stringify(extra)}`;
      if (entry.level === logLevel.ERROR) logger.error(line);
      else if (entry.level === logLevel.WARN) logger.warn(line);
      else logger.debug?.(line);
    },
  });
}
