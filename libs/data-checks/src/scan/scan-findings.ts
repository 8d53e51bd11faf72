import type { ColumnSpec, Finding, Severity } from '@mlsecops/contracts';
import type { ColumnProfile, DatasetProfile } from '../profile/dataset-profile.schema';
import type { ColumnAccumulator, ColumnExpectation } from './column-accumulator';
import type { RowSample } from './row-sample';

// Findings a pass derives from its column accumulators, and what a reference profile expects of a column.

export function columnFindings(columns: readonly ColumnAccumulator[], rows: number): Finding[] {
  const findings: Finding[] = [];
  for (const col of columns) {
    const spec = col.spec;
    if (spec && col.typeMismatches.count > 0) {
      findings.push(
        rowsFinding(
          'schema.type-mismatch',
          'high',
          col.name,
          col.typeMismatches,
          `${col.typeMismatches.count} value(s) in "${col.name}" are not of declared type ${spec.type}`,
        ),
      );
    }
    if (spec && !spec.nullable && col.nulls > 0) {
      findings.push(
        rowsFinding(
          'quality.null-in-required',
          'high',
          col.name,
          col.nullRows,
          `${col.nulls} empty value(s) in non-nullable column "${col.name}"`,
        ),
      );
    }
    if (rows > 0 && col.nulls === rows) {
      // A column declared nullable may legitimately be empty in one dataset: note it, don't fail on it.
      findings.push({
        code: 'quality.empty-column',
        severity: spec?.nullable ? 'low' : 'medium',
        column: col.name,
        message: `column "${col.name}" has no values`,
      });
      continue;
    }
    const groups = col.kindGroups();
    if (!spec && groups.length > 1) {
      // The most common group is taken as the intended type; the others are reported.
      const main = groups.reduce((a, b) => (count(col, b) > count(col, a) ? b : a));
      for (const g of groups) {
        if (g === main) continue;
        const sample = col.kindRows[g];
        findings.push(
          rowsFinding(
            'quality.mixed-types',
            'medium',
            col.name,
            sample,
            `"${col.name}" is mostly ${main} but ${sample.count} value(s) are ${g}`,
          ),
        );
      }
    }
    const profileDistinct = col.toProfileDistinct();
    if (rows > 1 && col.nulls < rows && profileDistinct === 1) {
      findings.push({
        code: 'quality.constant-column',
        severity: 'low',
        column: col.name,
        message: `column "${col.name}" holds a single value`,
      });
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

export function expectationOf(col: ColumnProfile, categoryCap: number): ColumnExpectation {
  const e: ColumnExpectation = {};
  if (col.numeric && col.numeric.min !== null && col.numeric.max !== null) {
    e.min = col.numeric.min;
    e.max = col.numeric.max;
  }
  const isCategory = col.type === 'string' || col.type === 'boolean' || (col.type === 'integer' && col.distinct <= 10);
  if (
    isCategory &&
    col.categories &&
    !col.distinctCapped &&
    col.distinct <= Math.min(MAX_EXPECTED_CATEGORIES, categoryCap)
  ) {
    e.categories = new Set(Object.keys(col.categories));
  }
  return e;
}

/** A null rate this much above the reference's (absolute) is a finding. */
export const NULL_RATE_JUMP = 0.1;

export function profileFindings(
  columns: readonly ColumnAccumulator[],
  profile: DatasetProfile,
  rows: number,
): Finding[] {
  const findings: Finding[] = [];
  const ref = new Map(profile.columns.map((c) => [c.name, c]));
  for (const col of columns) {
    const p = ref.get(col.name);
    if (!p) continue;
    if (col.outOfRange.count > 0) {
      findings.push(
        rowsFinding(
          'quality.out-of-range',
          'medium',
          col.name,
          col.outOfRange,
          `${col.outOfRange.count} value(s) in "${col.name}" fall outside the reference range [${p.numeric?.min ?? ''}, ${p.numeric?.max ?? ''}]`,
        ),
      );
    }
    if (col.unseen.count > 0) {
      findings.push(
        rowsFinding(
          'quality.unseen-category',
          'medium',
          col.name,
          col.unseen,
          `${col.unseen.count} value(s) in "${col.name}" were never seen in the reference`,
        ),
      );
    }
    const rate = rows === 0 ? 0 : col.nulls / rows;
    if (rate > p.nullRate + NULL_RATE_JUMP) {
      findings.push(
        rowsFinding(
          'quality.null-rate-jump',
          'medium',
          col.name,
          col.nullRows,
          `null rate of "${col.name}" rose from ${fmt(p.nullRate)} to ${fmt(rate)}`,
        ),
      );
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

export function rowsFinding(
  code: string,
  severity: Severity,
  column: string | undefined,
  sample: RowSample,
  message: string,
): Finding {
  const finding: Finding = { code, severity, message, rows: [...sample.rows], rowCount: sample.count };
  if (column !== undefined) finding.column = column;
  return finding;
}
