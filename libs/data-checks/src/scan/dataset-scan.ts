import type { ColumnSpec, DatasetFormat, DatasetQuality, Finding, Severity } from '@mlsecops/contracts';
import { DATASET_PROFILE_KIND } from '../profile/dataset-profile.schema';
import type { ColumnProfile, DatasetProfile } from '../profile/dataset-profile.schema';
import { LabelCorrelationVisitor } from '../poisoning/label-correlation';
import { openTable } from '../reading/table-source';
import type { Cell, TableSource } from '../reading/table-source';
import { ColumnAccumulator } from './column-accumulator';
import type { DataFinding } from './data-finding';
import type { ColumnExpectation } from './column-accumulator';
import { HashSet64, hashRow } from './row-hash';
import { RowSample } from './row-sample';

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

/**
 * Streams a CSV, JSON Lines or Parquet file once: validates it against the declared columns (missing,
 * extra, type mismatches, nulls in non-nullable columns), counts nulls and duplicate rows (by 64-bit row
 * hash, rows are never kept) and builds the dataset profile. Memory is bounded by the caps, not the file.
 */
export async function checkTabularDataset(path: string, options: TabularCheckOptions): Promise<TabularCheckResult> {
  const source = await openTable(path, options.format, { signal: options.signal });
  return scanTable(source, options);
}

/** The same as {@link checkTabularDataset} on an opened source. */
export async function scanTable(source: TableSource, options: Omit<TabularCheckOptions, 'format'>): Promise<TabularCheckResult> {
  const valueCap = options.valueCap ?? DEFAULT_VALUE_CAP;
  const categoryCap = options.categoryCap ?? DEFAULT_CATEGORY_CAP;
  const findings: Finding[] = [];
  const declared = options.columns ?? (options.profile ? profileSpecs(options.profile) : undefined);
  const specs = new Map((declared ?? []).map((c) => [c.name, c]));
  const expectations = new Map(options.profile?.columns.map((c) => [c.name, expectationOf(c, options.profile?.categoryCap ?? categoryCap)]) ?? []);
  const header = source.columns;
  const seenNames = new Set<string>();
  for (const name of header) {
    if (seenNames.has(name)) {
      findings.push({ code: 'schema.duplicate-column', severity: 'high', column: name, message: `column "${name}" appears more than once in the header` });
    }
    seenNames.add(name);
  }
  if (declared) {
    for (const spec of declared) {
      if (!seenNames.has(spec.name)) {
        findings.push({ code: 'schema.missing-column', severity: 'high', column: spec.name, message: `declared column "${spec.name}" (${spec.type}) is missing` });
      }
    }
    for (const name of header) {
      if (!specs.has(name)) {
        findings.push({ code: 'schema.extra-column', severity: 'medium', column: name, message: `column "${name}" is not in the declared schema` });
      }
    }
  }
  const columns = header.map((name) => new ColumnAccumulator(name, source.textCells, specs.get(name), valueCap, categoryCap, expectations.get(name)));
  const correlation = options.label !== undefined ? new LabelCorrelationVisitor(options.label) : undefined;
  const visitors = [...(options.visitors ?? []), ...(correlation ? [correlation] : [])];
  for (const v of visitors) v.start(header);
  const width = columns.length;
  const seen = new HashSet64();
  const key = new Uint32Array(2);
  const duplicates = new RowSample();
  const ragged = new RowSample();
  let rows = 0;
  let nextProgress = 65_536;
  for await (const batch of source.batches) {
    options.signal?.throwIfAborted();
    for (const row of batch.rows) {
      if (row.length !== width) ragged.add(rows);
      for (let c = 0; c < width; c++) {
        const cell: Cell = row[c] ?? null;
        (columns[c] as ColumnAccumulator).add(cell, rows);
      }
      if (!options.skipDuplicates) {
        hashRow(row, key);
        if (!seen.add(key[0] ?? 0, key[1] ?? 0)) duplicates.add(rows);
      }
      for (const v of visitors) v.visit(row, rows);
      rows++;
    }
    if (rows >= nextProgress) {
      nextProgress = rows + 65_536;
      options.onProgress?.({ rows, bytesRead: batch.bytesRead });
    }
  }

  const nullsPerColumn: Record<string, number> = {};
  for (const col of columns) nullsPerColumn[col.name] = col.nulls;
  findings.push(...columnFindings(columns, rows));
  if (ragged.count > 0) {
    findings.push(rowsFinding('schema.field-count', 'high', undefined, ragged, `${ragged.count} row(s) do not have the header's ${width} fields`));
  }
  if (duplicates.count > 0) {
    findings.push(rowsFinding('quality.duplicate-rows', 'medium', undefined, duplicates, `${duplicates.count} row(s) repeat an earlier row exactly`));
  }
  if (options.profile) findings.push(...profileFindings(columns, options.profile, rows));
  for (const v of visitors) findings.push(...v.finish());
  if (rows === 0) {
    findings.push({ code: 'quality.empty-dataset', severity: 'high', message: 'the dataset has no data rows' });
  }
  const profile: DatasetProfile = {
    kind: DATASET_PROFILE_KIND,
    version: 1,
    rows,
    duplicateRows: duplicates.count,
    valueCap,
    categoryCap,
    columns: columns.map((c) => c.toProfile(rows, options.typedValues)),
  };
  if (correlation && options.label !== undefined) profile.labelCorrelation = { label: options.label, features: correlation.result() };
  return { findings, quality: { rows, nullsPerColumn, duplicateRows: duplicates.count }, profile };
}

function columnFindings(columns: readonly ColumnAccumulator[], rows: number): Finding[] {
  const findings: Finding[] = [];
  for (const col of columns) {
    const spec = col.spec;
    if (spec && col.typeMismatches.count > 0) {
      findings.push(rowsFinding('schema.type-mismatch', 'high', col.name, col.typeMismatches, `${col.typeMismatches.count} value(s) in "${col.name}" are not of declared type ${spec.type}`));
    }
    if (spec && !spec.nullable && col.nulls > 0) {
      findings.push(rowsFinding('quality.null-in-required', 'high', col.name, col.nullRows, `${col.nulls} empty value(s) in non-nullable column "${col.name}"`));
    }
    if (rows > 0 && col.nulls === rows) {
      // A column declared nullable may legitimately be empty in one dataset: note it, don't fail on it.
      findings.push({ code: 'quality.empty-column', severity: spec?.nullable ? 'low' : 'medium', column: col.name, message: `column "${col.name}" has no values` });
      continue;
    }
    const groups = col.kindGroups();
    if (!spec && groups.length > 1) {
      // The most common group is taken as the intended type; the others are reported.
      const main = groups.reduce((a, b) => (count(col, b) > count(col, a) ? b : a));
      for (const g of groups) {
        if (g === main) continue;
        const sample = col.kindRows[g];
        findings.push(rowsFinding('quality.mixed-types', 'medium', col.name, sample, `"${col.name}" is mostly ${main} but ${sample.count} value(s) are ${g}`));
      }
    }
    const profileDistinct = col.toProfileDistinct();
    if (rows > 1 && col.nulls < rows && profileDistinct === 1) {
      findings.push({ code: 'quality.constant-column', severity: 'low', column: col.name, message: `column "${col.name}" holds a single value` });
    }
  }
  return findings;
}

/** A profile read as a schema: its inferred types, nullable where the reference had missing values. */
export function profileSpecs(profile: DatasetProfile): ColumnSpec[] {
  return profile.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nulls > 0 }));
}

/** Low-cardinality columns (at most 50 values, each seen at least... once) get an allowed set; numbers get a range. */
const MAX_EXPECTED_CATEGORIES = 50;

function expectationOf(col: ColumnProfile, categoryCap: number): ColumnExpectation {
  const e: ColumnExpectation = {};
  if (col.numeric && col.numeric.min !== null && col.numeric.max !== null) {
    e.min = col.numeric.min;
    e.max = col.numeric.max;
  }
  const isCategory = col.type === 'string' || col.type === 'boolean' || (col.type === 'integer' && col.distinct <= 10);
  if (isCategory && col.categories && !col.distinctCapped && col.distinct <= Math.min(MAX_EXPECTED_CATEGORIES, categoryCap)) {
    e.categories = new Set(Object.keys(col.categories));
  }
  return e;
}

/** A null rate this much above the reference's (absolute) is a finding. */
export const NULL_RATE_JUMP = 0.1;

function profileFindings(columns: readonly ColumnAccumulator[], profile: DatasetProfile, rows: number): Finding[] {
  const findings: Finding[] = [];
  const ref = new Map(profile.columns.map((c) => [c.name, c]));
  for (const col of columns) {
    const p = ref.get(col.name);
    if (!p) continue;
    if (col.outOfRange.count > 0) {
      findings.push(rowsFinding('quality.out-of-range', 'medium', col.name, col.outOfRange, `${col.outOfRange.count} value(s) in "${col.name}" fall outside the reference range [${p.numeric?.min ?? ''}, ${p.numeric?.max ?? ''}]`));
    }
    if (col.unseen.count > 0) {
      findings.push(rowsFinding('quality.unseen-category', 'medium', col.name, col.unseen, `${col.unseen.count} value(s) in "${col.name}" were never seen in the reference`));
    }
    const rate = rows === 0 ? 0 : col.nulls / rows;
    if (rate > p.nullRate + NULL_RATE_JUMP) {
      findings.push(rowsFinding('quality.null-rate-jump', 'medium', col.name, col.nullRows, `null rate of "${col.name}" rose from ${fmt(p.nullRate)} to ${fmt(rate)}`));
    }
  }
  return findings;
}

function fmt(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function count(col: ColumnAccumulator, g: keyof ColumnAccumulator['kinds']): number {
  return g === 'integer' ? col.kinds.integer + col.kinds.number : col.kinds[g];
}

export function rowsFinding(code: string, severity: Severity, column: string | undefined, sample: RowSample, message: string): Finding {
  const finding: Finding = { code, severity, message, rows: [...sample.rows], rowCount: sample.count };
  if (column !== undefined) finding.column = column;
  return finding;
}
