import type { Finding } from '@mlsecops/contracts';
import type { ColumnProfile, DatasetProfile } from '../profile/dataset-profile.schema';
import { unionKeys } from './binning';
import type { Counts } from './binning';
import { DEFAULT_THRESHOLDS, METHOD_KIND, distinctUnionSorted, isDrift, numericSide, runMethod } from './drift-methods';
import type { DriftMethod, DriftSide, FeatureType } from './drift-methods';
import { textColumnFinding } from './text-column';

export interface DriftColumnResult {
  column: string;
  type: FeatureType;
  method: DriftMethod;
  statistic: number | null;
  /** Null for distance methods. */
  pValue: number | null;
  threshold: number;
  drift: boolean;
}

export interface DriftReport {
  columns: DriftColumnResult[];
  /** Share of compared columns that drifted. */
  driftShare: number;
  datasetDrift: boolean;
  /** Columns that could not be compared (empty, all-NaN, missing, unsupported type) and estimates from sampled profiles. */
  findings: Finding[];
}

export interface ColumnDriftOverride {
  method?: DriftMethod;
  threshold?: number;
}

export interface DriftOptions {
  /** Per-column method and threshold, overriding Evidently's default choice. */
  columns?: Record<string, ColumnDriftOverride>;
  /** Method for every column without an override (default: Evidently's rule per column). */
  method?: DriftMethod;
  threshold?: number;
  /** Dataset drift when the share of drifted columns reaches this (default 0.5). */
  driftShare?: number;
}

/** Integer columns with at most this many distinct values are treated as categorical. */
export const CATEGORICAL_INT_MAX_DISTINCT = 10;
/** Evidently switches from tests to distances when the reference has more rows than this. */
export const SMALL_REFERENCE_ROWS = 1000;

/**
 * Compares two dataset profiles column by column with Evidently's default rules (docs/adr/0304-drift-defaults.md). A profile
 * holding every value (`exact`) gives the same numbers as comparing the data; one holding a sample gives
 * estimates and a `drift.sampled-profile` finding says so. Never throws on an empty or all-NaN column.
 */
export function compareProfiles(
  reference: DatasetProfile,
  current: DatasetProfile,
  options: DriftOptions = {},
): DriftReport {
  const findings: Finding[] = [];
  const results: DriftColumnResult[] = [];
  const curByName = new Map(current.columns.map((c) => [c.name, c]));
  for (const ref of reference.columns) {
    const cur = curByName.get(ref.name);
    if (!cur) {
      findings.push({
        code: 'drift.missing-column',
        severity: 'high',
        column: ref.name,
        message: `column "${ref.name}" is missing from the current data`,
      });
      continue;
    }
    const type = featureType(ref);
    if (type === undefined) {
      findings.push({
        code: 'drift.unsupported-column',
        severity: 'info',
        column: ref.name,
        message: `column "${ref.name}" (${ref.type}) is not compared`,
      });
      continue;
    }
    const text = options.columns?.[ref.name] ? undefined : textColumnFinding(cur, current.rows);
    if (text) {
      findings.push(text);
      continue;
    }
    const sides = drifSides(ref, cur, type);
    if (typeof sides === 'string') {
      findings.push({
        code: 'drift.empty-column',
        severity: 'medium',
        column: ref.name,
        message: `column "${ref.name}": ${sides}`,
      });
      continue;
    }
    const [r, c, refRows, sampled] = sides;
    const override = options.columns?.[ref.name];
    const method = override?.method ?? options.method ?? defaultMethod(r, c, type, refRows);
    const threshold =
      override?.threshold ??
      (override?.method === undefined ? options.threshold : undefined) ??
      DEFAULT_THRESHOLDS[method];
    if ((method === 'ks' || method === 'wasserstein') && type !== 'numerical') {
      findings.push({
        code: 'drift.unsupported-method',
        severity: 'medium',
        column: ref.name,
        message: `method ${method} needs a numerical column; "${ref.name}" is categorical`,
      });
      continue;
    }
    const m = runMethod(method, r, c, type);
    results.push({
      column: ref.name,
      type,
      method,
      statistic: m.statistic,
      pValue: METHOD_KIND[method] === 'p_value' ? m.pValue : null,
      threshold,
      drift: isDrift(method, m, threshold),
    });
    if (sampled) {
      findings.push({
        code: 'drift.sampled-profile',
        severity: 'info',
        column: ref.name,
        message: `column "${ref.name}" was compared on a sample of its values; the statistic is an estimate`,
      });
    }
  }
  const refNames = new Set(reference.columns.map((c) => c.name));
  for (const cur of current.columns) {
    if (refNames.has(cur.name)) continue;
    findings.push({
      code: 'drift.extra-column',
      severity: 'low',
      column: cur.name,
      message: `column "${cur.name}" is only in the current data: it has no reference to be compared with`,
    });
  }
  const drifted = results.filter((r) => r.drift).length;
  const driftShare = results.length === 0 ? 0 : drifted / results.length;
  return {
    columns: results,
    driftShare,
    datasetDrift: results.length > 0 && driftShare >= (options.driftShare ?? 0.5),
    findings,
  };
}

/** Evidently's column typing: floats numerical, integers categorical up to 10 distinct values, strings and booleans categorical. */
export function featureType(col: ColumnProfile): FeatureType | undefined {
  switch (col.type) {
    case 'number':
      return 'numerical';
    case 'integer':
      return !col.distinctCapped && col.distinct <= CATEGORICAL_INT_MAX_DISTINCT ? 'categorical' : 'numerical';
    case 'boolean':
    case 'string':
      return 'categorical';
    case 'datetime':
      return undefined;
  }
}

/** Evidently's default test: by reference size (finite values) and distinct values of ref ∪ cur. */
export function defaultMethod(ref: DriftSide, cur: DriftSide, type: FeatureType, refRows: number): DriftMethod {
  // The rules below only ask whether there are more than 5 distinct values: stop counting at 6.
  const nUnique =
    ref.values && cur.values
      ? distinctUnionSorted(ref.values, cur.values, 6)
      : unionKeys(ref.counts, cur.counts).length;
  if (refRows <= SMALL_REFERENCE_ROWS) {
    if (type === 'numerical') return nUnique > 5 ? 'ks' : nUnique > 2 ? 'chisquare' : 'z';
    return nUnique > 2 ? 'chisquare' : 'z';
  }
  if (type === 'numerical') return nUnique > 5 ? 'wasserstein' : 'jensenshannon';
  return 'jensenshannon';
}

function drifSides(
  ref: ColumnProfile,
  cur: ColumnProfile,
  type: FeatureType,
): [DriftSide, DriftSide, number, boolean] | string {
  // Categorical columns use the exact value frequencies when both profiles have them (a sampled profile
  // still counts every category); numerical ones, and categorical ones past the category cap, use values.
  if (type === 'categorical' && ref.categories && cur.categories) {
    const numericKeys = ref.type === 'integer' || ref.type === 'number';
    const toCounts = (c: Record<string, number>): Counts =>
      new Map(Object.entries(c).map(([k, v]) => [numericKeys ? Number(k) : k, v]));
    const rc = toCounts(ref.categories);
    const cc = toCounts(cur.categories);
    const refRows = [...rc.values()].reduce((a, b) => a + b, 0);
    if (refRows === 0) return 'no values in the reference';
    if (cc.size === 0) return 'no values in the current data';
    return [{ counts: rc }, { counts: cc }, refRows, false];
  }
  if (type === 'numerical' || (ref.numeric && cur.numeric)) {
    const rv = ref.numeric?.values ?? [];
    const cv = cur.numeric?.values ?? [];
    if (rv.length === 0) return 'no finite values in the reference';
    if (cv.length === 0) return 'no finite values in the current data';
    const sampled = ref.numeric?.exact === false || cur.numeric?.exact === false;
    return [numericSide(rv), numericSide(cv), ref.numeric?.count ?? rv.length, sampled];
  }
  return 'too many distinct values to compare as a category';
}
