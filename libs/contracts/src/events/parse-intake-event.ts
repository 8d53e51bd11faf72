import type { DlqReason } from '../dlq';
import type { IntakeEventType } from '../routing';
import { intakeRouteFor } from '../routing';
import type { DatasetRegisteredEvent } from './dataset-registered.schema';
import { EVENT_CATALOGUE } from './event-catalogue';

/** Intake events the router can start workflows for. */
export type IntakeEvent = DatasetRegisteredEvent;

export type ParseIntakeResult =
  | { ok: true; event: IntakeEvent; type: IntakeEventType }
  | { ok: false; reason: Extract<DlqReason, 'UNKNOWN_EVENT_TYPE' | 'SCHEMA_VIOLATION'>; detail: string };

/** Validates a decoded CloudEvent against the catalogue; the detail names each failing field. */
export function parseIntakeEvent(candidate: Record<string, unknown>): ParseIntakeResult {
  const type = candidate.type;
  if (typeof type !== 'string')
    return { ok: false, reason: 'SCHEMA_VIOLATION', detail: 'type: required string attribute is missing' };
  const route = intakeRouteFor(type);
  if (!route) {
    return { ok: false, reason: 'UNKNOWN_EVENT_TYPE', detail: `no intake workflow handles event type "${type}"` };
  }
  const schema = EVENT_CATALOGUE[type as IntakeEventType].schema;
  const parsed = schema.safeParse(candidate);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
    return { ok: false, reason: 'SCHEMA_VIOLATION', detail };
  }
  return { ok: true, event: parsed.data, type: type as IntakeEventType };
}
