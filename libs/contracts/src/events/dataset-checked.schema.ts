import { z } from 'zod';
import { cloudEventSchema } from '../cloudevent.schema';
import { findingSchema, verdictSchema } from '../finding.schema';

export const DATASET_CHECKED = 'io.mlsecops.dataset.checked';

/** Quality figures of a tabular dataset. */
export const datasetQualitySchema = z.object({
  rows: z.number().int().nonnegative(),
  nullsPerColumn: z.record(z.string(), z.number().int().nonnegative()),
  duplicateRows: z.number().int().nonnegative(),
});
export type DatasetQuality = z.infer<typeof datasetQualitySchema>;

export const datasetCheckedDataSchema = z.object({
  datasetUri: z.string(),
  verdict: verdictSchema,
  findings: z.array(findingSchema),
  /** The digest actually computed over the bytes (null when the file could not be read). */
  sha256: z.string().nullable(),
  expectedSha256: z.string(),
  quality: datasetQualitySchema.optional(),
  /** Evidence filed by the checks (e.g. the dataset profile), addressed by digest. */
  evidence: z.array(z.object({ kind: z.string(), uri: z.string(), sha256: z.string() })).default([]),
  /** The id of the triggering lifecycle event. */
  eventId: z.string(),
  workflowId: z.string(),
  traceId: z.string().optional(),
});
export type DatasetCheckedData = z.infer<typeof datasetCheckedDataSchema>;

/** The dataset intake workflow's verdict, published on the results topic. */
export const datasetCheckedEventSchema = cloudEventSchema(DATASET_CHECKED, datasetCheckedDataSchema);
export type DatasetCheckedEvent = z.infer<typeof datasetCheckedEventSchema>;
