import type { ErrorCode } from './error-codes';

/** Headers the router adds to a dead letter, next to the original message's own headers and bytes. */
export const DLQ_HEADERS = {
  reason: 'mlsecops-dlq-reason',
  detail: 'mlsecops-dlq-detail',
  sourceTopic: 'mlsecops-dlq-source-topic',
  sourcePartition: 'mlsecops-dlq-source-partition',
  sourceOffset: 'mlsecops-dlq-source-offset',
  failedAt: 'mlsecops-dlq-failed-at',
} as const;

/** Why a lifecycle message was dead-lettered (a subset of the error codes). */
export type DlqReason = Extract<
  ErrorCode,
  'INVALID_JSON' | 'SCHEMA_VIOLATION' | 'UNKNOWN_EVENT_TYPE' | 'OVERSIZE' | 'UNSUPPORTED_BINDING'
>;
