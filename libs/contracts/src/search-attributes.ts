/**
 * Custom Temporal search attributes (all Keyword). They are registered when the local Temporal server
 * starts (infra/local/temporal.sh) and must be registered in any other cluster before workers start.
 */
export const SEARCH_ATTRIBUTES = {
  eventId: 'EventId',
  eventSubject: 'EventSubject',
  eventType: 'EventType',
  pipelineStage: 'PipelineStage',
  verdict: 'Verdict',
} as const;
