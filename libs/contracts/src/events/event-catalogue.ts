import type { z } from 'zod';
import { DATASET_CHECKED, datasetCheckedEventSchema } from './dataset-checked.schema';
import { DATASET_REGISTERED, datasetRegisteredEventSchema } from './dataset-registered.schema';

/**
 * Every event type the platform knows, with its schema. Adding a lifecycle event means adding it here
 * (the JSON Schemas in `schemas/` are generated from this table and checked for drift in CI).
 */
export const EVENT_CATALOGUE = {
  [DATASET_REGISTERED]: {
    schema: datasetRegisteredEventSchema,
    direction: 'intake',
    description: 'A pipeline registered a dataset; starts the dataset intake workflow.',
  },
  [DATASET_CHECKED]: {
    schema: datasetCheckedEventSchema,
    direction: 'result',
    description: 'The dataset intake verdict with findings, digest and quality figures.',
  },
} as const satisfies Record<string, { schema: z.ZodType; direction: 'intake' | 'result'; description: string }>;

export type EventType = keyof typeof EVENT_CATALOGUE;
export type LifecycleEvent = z.infer<(typeof EVENT_CATALOGUE)[EventType]['schema']>;

export function isKnownEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, type);
}
