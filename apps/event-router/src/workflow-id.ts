import { createHash } from 'node:crypto';
import type { IntakeRoute } from '@mlsecops/contracts';

/**
 * The business key of a run. CloudEvents ids are unique per `source`, so the source is part of the key
 * (hashed: sources are URIs of any length); a redelivered or re-published event maps to the same id.
 */
export function workflowIdFor(route: IntakeRoute, event: { source: string; id: string }): string {
  const sourceHash = createHash('sha256').update(event.source).digest('hex').slice(0, 12);
  return `${route.workflowIdPrefix}:${sourceHash}:${event.id}`;
}
