import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { Finding } from '@mlsecops/contracts';

/**
 * A permanent activity failure (non-retryable, with one of our error codes as its type) is a result, not
 * a crash: the data cannot be checked, so the workflow records why and fails the verdict. Anything else
 * is rethrown and fails the workflow task visibly.
 */
export function permanentFailureAsFinding(e: unknown, stage: string): Finding {
  if (e instanceof ActivityFailure && e.cause instanceof ApplicationFailure && e.cause.nonRetryable) {
    const code = (e.cause.type ?? 'UNKNOWN').toLowerCase().replace(/_/g, '-');
    return { code: `${stage}.${code}`, severity: 'critical', message: e.cause.message };
  }
  throw e;
}
