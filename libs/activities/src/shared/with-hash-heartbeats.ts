import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { HashOptions } from '@mlsecops/model-signing';
import { toApplicationFailure } from './to-application-failure';

/**
 * Runs hashing-heavy work with heartbeats (bytes hashed so far, every `everyMs`) and the activity's
 * cancellation; engine errors leave as Temporal failures carrying our error code.
 */
export async function withHashHeartbeats<T>(
  everyMs: number,
  what: string,
  work: (hash: HashOptions) => Promise<T>,
): Promise<T> {
  const ctx = Context.current();
  let bytes = 0;
  ctx.heartbeat({ bytes });
  const timer = setInterval(() => ctx.heartbeat({ bytes }), everyMs);
  try {
    return await work({ signal: ctx.cancellationSignal, onProgress: (n) => (bytes += n) });
  } catch (e: unknown) {
    if (ctx.cancellationSignal.aborted) throw new CancelledFailure(`${what} cancelled`);
    throw toApplicationFailure(e);
  } finally {
    clearInterval(timer);
  }
}
