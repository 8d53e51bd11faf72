import { z } from 'zod';
import { columnTypeSchema } from '@mlsecops/contracts';

export const DATASET_PROFILE_KIND = 'mlsecops.dataset-profile';

/**
 * Numeric summary of a column's finite values. `values` are sorted; they are every finite value when
 * `exact` is true (count <= the profile's value cap), otherwise a uniform reservoir sample of `values.length`
 * of them. Drift against an exact profile equals drift against the data; against a sampled one it is an
 * estimate (see docs/adr/0301-profile-value-cap.md).
 */
export const numericSummarySchema = z.object({
  count: z.number().int().nonnegative(),
  nonFinite: z.number().int().nonnegative(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  exact: z.boolean(),
  /** A plain array in profile files; a Float64Array when the profile was built in memory for drift (no copy). */
  values: z.union([z.array(z.number()), z.instanceof(Float64Array)]),
});
export type NumericSummary = z.infer<typeof numericSummarySchema>;

export const columnProfileSchema = z.object({
  name: z.string(),
  type: columnTypeSchema,
  nulls: z.number().int().nonnegative(),
  nullRate: z.number(),
  /** Distinct non-missing values; a lower bound when `distinctCapped`. */
  distinct: z.number().int().nonnegative(),
  distinctCapped: z.boolean(),
  kinds: z.record(z.string(), z.number().int().nonnegative()),
  numeric: numericSummarySchema.optional(),
  /** Frequencies of each value as written, when the column has at most the category cap of distinct values. */
  categories: z.record(z.string(), z.number().int().nonnegative()).optional(),
});
export type ColumnProfile = z.infer<typeof columnProfileSchema>;

export const datasetProfileSchema = z.object({
  kind: z.literal(DATASET_PROFILE_KIND),
  version: z.literal(1),
  rows: z.number().int().nonnegative(),
  duplicateRows: z.number().int().nonnegative(),
  valueCap: z.number().int().positive(),
  categoryCap: z.number().int().positive(),
  columns: z.array(columnProfileSchema),
  /** Correlation ratio η of each numeric feature with the label, when profiled with a label column. */
  labelCorrelation: z.object({ label: z.string(), features: z.record(z.string(), z.number()) }).optional(),
});
export type DatasetProfile = z.infer<typeof datasetProfileSchema>;
