import { ApplicationFailure } from '@temporalio/common';
import { NON_RETRYABLE_CODES, isMlsecopsError } from '@mlsecops/contracts';

/**
 * Maps engine errors to Temporal failures at the activity edge: our error code becomes the failure type
 * (workflows and operators see the same code), and codes retrying cannot fix are non-retryable.
 */
export function toApplicationFailure(e: unknown): unknown {
  if (!isMlsecopsError(e)) return e;
  return NON_RETRYABLE_CODES.has(e.code)
    ? ApplicationFailure.nonRetryable(e.message, e.code)
    : ApplicationFailure.retryable(e.message, e.code);
}

/** Runs `work`, rethrowing engine errors as Temporal failures. */
export async function asActivity<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e: unknown) {
    throw toApplicationFailure(e);
  }
}
