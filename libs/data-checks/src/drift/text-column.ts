import type { Finding } from '@mlsecops/contracts';
import type { ColumnProfile } from '../profile/dataset-profile.schema';

/**
 * Evidently's column typing calls a string column "text" when its distinct values are more than half of
 * its non-missing values, judged on the current data (`infer_column_type` in `evidently/core/datasets.py`,
 * 0.7.x). Text is not tested like a category there: DataDriftPreset runs a domain classifier on it (text
 * content drift). Treating such a column as a category would flag drift on any fresh set of free-text or id
 * values, since the two sides share few values. See docs/adr/0305-text-columns-in-drift.md.
 */
export const TEXT_DISTINCT_SHARE = 0.5;

/**
 * A `drift.text-column` finding when `current` is a text column by Evidently's rule, else undefined. A
 * column past the profile's category cap counts at least cap + 1 distinct values: it is text when even
 * that many exceed half its values, and otherwise stays undecided (left to the categorical path).
 */
export function textColumnFinding(current: ColumnProfile, currentRows: number): Finding | undefined {
  if (current.type !== 'string') return undefined;
  const values = currentRows - current.nulls;
  const distinct = current.distinctCapped ? current.distinct + 1 : current.distinct;
  if (values <= 0 || distinct <= TEXT_DISTINCT_SHARE * values) return undefined;
  const counted = current.distinctCapped ? `more than ${current.distinct}` : String(distinct);
  return {
    code: 'drift.text-column',
    severity: 'info',
    column: current.name,
    message:
      `column "${current.name}" is text (${counted} distinct of ${values} values in the current data, more than half) and is skipped: ` +
      'Evidently tests text with a domain classifier (text content drift), which is not implemented here, so the column is left out of ' +
      'the drift share (Evidently counts it). Compare it as a category with --column NAME=METHOD',
  };
}
