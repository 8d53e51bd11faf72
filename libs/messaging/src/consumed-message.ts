import type { IHeaders } from 'kafkajs';

/** A record as our handlers see it: original bytes and headers kept for the DLQ. */
export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}
