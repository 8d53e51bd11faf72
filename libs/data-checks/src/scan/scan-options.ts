import type { ColumnSpec, DatasetFormat, DatasetQuality } from '@mlsecops/contracts';
import type { DatasetProfile } from '../profile/dataset-profile.schema';
import type { Cell } from '../reading/table-source';
import type { DataFinding } from './data-finding';

/** Values kept per numeric column: every value up to here (exact KS p-values reach 10,000 rows), then a sample. */
export const DEFAULT_VALUE_CAP = 10_000;
/** Distinct values counted per column before it is treated as high-cardinality. */
export const DEFAULT_CATEGORY_CAP = 1_000;

export interface ScanProgress {
  rows: number;
  bytesRead: number;
}

export interface TabularCheckOptions {
  format: DatasetFormat;
  /** The declared schema; without it, types are inferred and only quality is checked. */
  columns?: ColumnSpec[];
  /** A reference profile to validate against: its columns and types (when `columns` is absent), ranges, categories and null rates. */
  profile?: DatasetProfile;
  valueCap?: number;
  categoryCap?: number;
  /** Keep numeric values as Float64Array in the profile (in-memory drift; not for JSON files). */
  typedValues?: boolean;
  /** Skip duplicate-row hashing (drift only needs the profile). */
  skipDuplicates?: boolean;
  /** Extra per-row checks (PII, poisoning hints) fed in the same pass; rows must not be kept past the call. */
  visitors?: RowVisitor[];
  /** Also record each numeric feature's correlation ratio with this label column in the profile. */
  label?: string;
  /** Called about every 64k rows, e.g. to heartbeat. */
  onProgress?: (progress: ScanProgress) => void;
  signal?: AbortSignal;
}

/** Sees every row of the pass, with its column names; returns findings when the pass ends. */
export interface RowVisitor {
  start(columns: readonly string[]): void;
  visit(row: readonly Cell[], index: number): void;
  finish(): DataFinding[];
}

export interface TabularCheckResult {
  findings: DataFinding[];
  quality: DatasetQuality;
  profile: DatasetProfile;
}
