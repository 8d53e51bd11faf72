import type { ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_CODES } from '@mlsecops/contracts';

/**
 * Named timeout and retry profiles. Errors with a code retrying cannot fix (a path outside the root, a
 * missing file) fail at once; everything else (I/O hiccups, a broker restart) is retried with backoff.
 */
const retryUnlessPermanent = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  nonRetryableErrorTypes: [...NON_RETRYABLE_CODES] as string[],
} as const;

/** Reads whole datasets or models: long, so it must heartbeat (a dead worker is noticed within a minute). */
export const LONG_IO: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '1 minute',
  retry: { ...retryUnlessPermanent, maximumAttempts: 5 },
};

/** Publishing a result must eventually happen: retried without an attempt limit for up to a day (e.g. while Kafka is down). */
export const DELIVERY: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: retryUnlessPermanent,
};
