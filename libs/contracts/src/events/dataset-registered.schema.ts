import { z } from 'zod';
import { cloudEventSchema } from '../cloudevent.schema';
import { sha256HexSchema } from '../sha256.schema';

export const DATASET_REGISTERED = 'io.mlsecops.dataset.registered';

export const columnTypeSchema = z.enum(['string', 'integer', 'number', 'boolean', 'datetime']);
export type ColumnType = z.infer<typeof columnTypeSchema>;

/** One declared column: what a dataset promises about its shape. */
export const columnSpecSchema = z.strictObject({
  name: z.string().min(1),
  type: columnTypeSchema,
  nullable: z.boolean().default(false),
});
export type ColumnSpec = z.infer<typeof columnSpecSchema>;

export const datasetFormatSchema = z.enum(['csv', 'jsonl', 'parquet']);
export type DatasetFormat = z.infer<typeof datasetFormatSchema>;

export const datasetRegisteredDataSchema = z.strictObject({
  /** `file:` URI or a path relative to the platform's dataset root. */
  datasetUri: z.string().min(1).max(4096),
  sha256: sha256HexSchema,
  format: datasetFormatSchema,
  columns: z.array(columnSpecSchema).min(1).optional(),
  team: z.string().min(1).max(128),
});
export type DatasetRegisteredData = z.infer<typeof datasetRegisteredDataSchema>;

/** A pipeline registered a dataset: check its integrity, schema and quality before anyone trains on it. */
export const datasetRegisteredEventSchema = cloudEventSchema(DATASET_REGISTERED, datasetRegisteredDataSchema);
export type DatasetRegisteredEvent = z.infer<typeof datasetRegisteredEventSchema>;
