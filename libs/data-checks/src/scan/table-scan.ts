import type { Finding } from '@mlsecops/contracts';
import { DATASET_PROFILE_KIND } from '../profile/dataset-profile.schema';
import type { DatasetProfile } from '../profile/dataset-profile.schema';
import { LabelCorrelationVisitor } from '../poisoning/label-correlation';
import type { Cell } from '../reading/table-source';
import { ColumnAccumulator } from './column-accumulator';
import { HashSet64, hashRow } from './row-hash';
import { RowSample } from './row-sample';
import { columnFindings, expectationOf, profileFindings, profileSpecs, rowsFinding } from './scan-findings';
import { DEFAULT_CATEGORY_CAP, DEFAULT_VALUE_CAP } from './scan-options';
import type { RowVisitor, TabularCheckOptions, TabularCheckResult } from './scan-options';

/**
 * The state of one pass over a table: a column accumulator per header column, ragged and duplicate rows,
 * row visitors, and the findings and profile they add up to. Readers feed it whole rows ({@link addRow}),
 * or, when {@link needsRows} says no row-level check is asked for, cells straight into {@link columns}.
 */
export class TableScan {
  readonly columns: ColumnAccumulator[];
  readonly ragged = new RowSample();
  /** Data rows seen so far; readers that feed {@link columns} directly count them here. */
  rows = 0;
  private readonly findings: Finding[] = [];
  private readonly valueCap: number;
  private readonly categoryCap: number;
  private readonly visitors: RowVisitor[];
  private readonly correlation: LabelCorrelationVisitor | undefined;
  private readonly seen = new HashSet64();
  private readonly key = new Uint32Array(2);
  private readonly duplicates = new RowSample();

  constructor(
    readonly header: readonly string[],
    textCells: boolean,
    private readonly options: Omit<TabularCheckOptions, 'format'>,
  ) {
    this.valueCap = options.valueCap ?? DEFAULT_VALUE_CAP;
    this.categoryCap = options.categoryCap ?? DEFAULT_CATEGORY_CAP;
    const declared = options.columns ?? (options.profile ? profileSpecs(options.profile) : undefined);
    const specs = new Map((declared ?? []).map((c) => [c.name, c]));
    const expectations = new Map(
      options.profile?.columns.map((c) => [
        c.name,
        expectationOf(c, options.profile?.categoryCap ?? this.categoryCap),
      ]) ?? [],
    );
    const seenNames = new Set<string>();
    for (const name of header) {
      if (seenNames.has(name)) {
        this.findings.push({
          code: 'schema.duplicate-column',
          severity: 'high',
          column: name,
          message: `column "${name}" appears more than once in the header`,
        });
      }
      seenNames.add(name);
    }
    if (declared) {
      for (const spec of declared) {
        if (!seenNames.has(spec.name)) {
          this.findings.push({
            code: 'schema.missing-column',
            severity: 'high',
            column: spec.name,
            message: `declared column "${spec.name}" (${spec.type}) is missing`,
          });
        }
      }
      for (const name of header) {
        if (!specs.has(name)) {
          this.findings.push({
            code: 'schema.extra-column',
            severity: 'medium',
            column: name,
            message: `column "${name}" is not in the declared schema`,
          });
        }
      }
    }
    this.columns = header.map(
      (name) =>
        new ColumnAccumulator(
          name,
          textCells,
          specs.get(name),
          this.valueCap,
          this.categoryCap,
          expectations.get(name),
        ),
    );
    this.correlation = options.label !== undefined ? new LabelCorrelationVisitor(options.label) : undefined;
    this.visitors = [...(options.visitors ?? []), ...(this.correlation ? [this.correlation] : [])];
    for (const v of this.visitors) v.start(header);
  }

  addRow(row: readonly Cell[]): void {
    const index = this.rows;
    const columns = this.columns;
    const width = columns.length;
    if (row.length !== width) this.ragged.add(index);
    for (let c = 0; c < width; c++) (columns[c] as ColumnAccumulator).add(row[c] ?? null, index);
    if (!this.options.skipDuplicates) {
      const key = this.key;
      hashRow(row, key);
      if (!this.seen.add(key[0] ?? 0, key[1] ?? 0)) this.duplicates.add(index);
    }
    for (const v of this.visitors) v.visit(row, index);
    this.rows = index + 1;
  }

  finish(): TabularCheckResult {
    const { rows, columns, ragged, duplicates, findings } = this;
    const nullsPerColumn: Record<string, number> = {};
    for (const col of columns) nullsPerColumn[col.name] = col.nulls;
    findings.push(...columnFindings(columns, rows));
    if (ragged.count > 0) {
      findings.push(
        rowsFinding(
          'schema.field-count',
          'high',
          undefined,
          ragged,
          `${ragged.count} row(s) do not have the header's ${columns.length} fields (JSON Lines: keys the first object lacks)`,
        ),
      );
    }
    if (duplicates.count > 0) {
      findings.push(
        rowsFinding(
          'quality.duplicate-rows',
          'medium',
          undefined,
          duplicates,
          `${duplicates.count} row(s) repeat an earlier row exactly`,
        ),
      );
    }
    if (this.options.profile) findings.push(...profileFindings(columns, this.options.profile, rows));
    for (const v of this.visitors) findings.push(...v.finish());
    if (rows === 0) {
      findings.push({ code: 'quality.empty-dataset', severity: 'high', message: 'the dataset has no data rows' });
    }
    const profile: DatasetProfile = {
      kind: DATASET_PROFILE_KIND,
      version: 1,
      rows,
      duplicateRows: duplicates.count,
      valueCap: this.valueCap,
      categoryCap: this.categoryCap,
      columns: columns.map((c) => c.toProfile(rows, this.options.typedValues)),
    };
    const label = this.options.label;
    if (this.correlation && label !== undefined)
      profile.labelCorrelation = { label, features: this.correlation.result() };
    return { findings, quality: { rows, nullsPerColumn, duplicateRows: duplicates.count }, profile };
  }
}

/** Whether a pass needs whole rows (visitors, label correlation, duplicate hashing) or only per-column summaries. */
export function needsRows(options: Omit<TabularCheckOptions, 'format'>): boolean {
  return (options.visitors ?? []).length > 0 || options.label !== undefined || !options.skipDuplicates;
}
