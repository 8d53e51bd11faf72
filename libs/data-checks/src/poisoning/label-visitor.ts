import type { DatasetProfile } from '../profile/dataset-profile.schema';
import type { Cell } from '../reading/table-source';
import { cellKind, isMissing, numericValue } from '../scan/cell-kind';
import type { DataFinding } from '../scan/data-finding';
import type { RowVisitor } from '../scan/dataset-scan';
import { hashRow } from '../scan/row-hash';
import { MAX_FINDING_ROWS } from '../scan/row-sample';
import { knnLabelDisagreement } from './knn-label-disagreement';
import { XorShift32 } from '../stats/xorshift32';

export interface LabelCheckOptions {
  label: string;
  /** Neighbours for the label-disagreement check (cleanlab's default 10). */
  k?: number;
  /** Rows kept (uniform reservoir) for the kNN check; it is O(n^2) in this number. */
  knnSample?: number;
  /** A row is suspect when at most this share of its neighbours carry its label. */
  suspectAgreement?: number;
  /** Reference profile with the label column's class frequencies, for the balance-shift check. */
  reference?: DatasetProfile;
  /** Absolute change of any class share that counts as a balance shift. */
  balanceShift?: number;
}

interface FeatureGroup {
  label: string;
  count: number;
  conflict: boolean;
  rows: number[];
}

/**
 * Poisoning hints over one pass: identical feature rows with different labels (by 64-bit hash of the
 * features), kNN label disagreement on standardized numeric features over a reservoir sample, and the
 * class balance against a reference profile.
 */
export class LabelVisitor implements RowVisitor {
  private labelAt = -1;
  private columns: readonly string[] = [];
  private readonly groups = new Map<string, FeatureGroup>();
  private readonly classCounts = new Map<string, number>();
  private readonly sample: { row: number; features: Cell[]; label: string }[] = [];
  private seen = 0;
  private readonly rng = new XorShift32(0x9e3779b9);
  private readonly key = new Uint32Array(2);

  constructor(private readonly options: LabelCheckOptions) {}

  start(columns: readonly string[]): void {
    this.columns = columns;
    this.labelAt = columns.indexOf(this.options.label);
  }

  visit(row: readonly Cell[], index: number): void {
    if (this.labelAt < 0) return;
    const labelCell = row[this.labelAt] ?? null;
    if (labelCell === null || isMissing(labelCell)) return;
    const label = String(labelCell);
    this.classCounts.set(label, (this.classCounts.get(label) ?? 0) + 1);
    const features = row.filter((_, i) => i !== this.labelAt);
    hashRow(features, this.key);
    const k = `${this.key[0]}:${this.key[1]}`;
    const g = this.groups.get(k);
    if (!g) this.groups.set(k, { label, count: 1, conflict: false, rows: [index] });
    else {
      g.count++;
      if (g.label !== label) g.conflict = true;
      if (g.rows.length < 5) g.rows.push(index);
    }
    const cap = this.options.knnSample ?? 5_000;
    this.seen++;
    if (this.sample.length < cap) this.sample.push({ row: index, features, label });
    else {
      const j = this.rng.next() % this.seen;
      if (j < cap) this.sample[j] = { row: index, features, label };
    }
  }

  finish(): DataFinding[] {
    if (this.labelAt < 0) {
      return [
        {
          code: 'poison.label-missing',
          severity: 'high',
          column: this.options.label,
          message: `label column "${this.options.label}" is not in the data`,
        },
      ];
    }
    return [...this.conflicts(), ...this.suspects(), ...this.balance()];
  }

  private conflicts(): DataFinding[] {
    let rowCount = 0;
    let groups = 0;
    const rows: number[] = [];
    for (const g of this.groups.values()) {
      if (!g.conflict) continue;
      groups++;
      rowCount += g.count;
      for (const r of g.rows) if (rows.length < MAX_FINDING_ROWS) rows.push(r);
    }
    if (groups === 0) return [];
    return [
      {
        code: 'poison.label-conflict',
        severity: 'high',
        column: this.options.label,
        rows: rows.sort((a, b) => a - b),
        rowCount,
        message: `${groups} group(s) of identical feature rows carry different labels (${rowCount} rows)`,
      },
    ];
  }

  private suspects(): DataFinding[] {
    const featureNames = this.columns.filter((_, i) => i !== this.labelAt);
    const numericCols: number[] = [];
    for (let c = 0; c < featureNames.length; c++) {
      let numeric = 0;
      let present = 0;
      for (const s of this.sample) {
        const cell = s.features[c] ?? null;
        if (cell === null || isMissing(cell)) continue;
        present++;
        const kind = cellKind(cell, typeof cell === 'string');
        if (kind === 'integer' || kind === 'number') numeric++;
      }
      if (present > 0 && numeric / present >= 0.95) numericCols.push(c);
    }
    if (numericCols.length === 0 || this.sample.length < 3) return [];
    const k = Math.min(this.options.k ?? 10, this.sample.length - 1);
    const matrix = this.sample.map((s) =>
      numericCols.map((c) => {
        const cell = s.features[c] ?? null;
        return cell === null || isMissing(cell) ? NaN : numericValue(cell);
      }),
    );
    const scores = knnLabelDisagreement(
      matrix,
      this.sample.map((s) => s.label),
      k,
    );
    const threshold = 1 - (this.options.suspectAgreement ?? 0.2);
    const flagged = scores
      .map((score, i) => ({ score, row: (this.sample[i] as { row: number }).row }))
      .filter((x) => x.score >= threshold)
      .sort((a, b) => b.score - a.score || a.row - b.row);
    if (flagged.length === 0) return [];
    const sampled = this.sample.length < this.seen ? ` in a ${this.sample.length}-row sample` : '';
    const top = flagged.slice(0, MAX_FINDING_ROWS).map<DataFinding>((f) => ({
      code: 'poison.label-suspect',
      severity: 'medium',
      column: this.options.label,
      rows: [f.row],
      rowCount: 1,
      score: f.score,
      message: `row ${f.row}: ${Math.round(f.score * k)} of its ${k} nearest neighbours carry another label`,
    }));
    top.push({
      code: 'poison.label-suspect-summary',
      severity: 'info',
      column: this.options.label,
      rows: flagged.slice(0, MAX_FINDING_ROWS).map((f) => f.row),
      rowCount: flagged.length,
      message: `${flagged.length} row(s)${sampled} disagree with their ${k} nearest neighbours' labels (kNN on ${numericCols.length} standardized numeric features)`,
    });
    return top;
  }

  private balance(): DataFinding[] {
    const ref = this.options.reference?.columns.find((c) => c.name === this.options.label);
    if (!ref?.categories) return [];
    const refTotal = Object.values(ref.categories).reduce((a, b) => a + b, 0);
    let curTotal = 0;
    for (const v of this.classCounts.values()) curTotal += v;
    if (refTotal === 0 || curTotal === 0) return [];
    const classes = new Set([...Object.keys(ref.categories), ...this.classCounts.keys()]);
    let worst = { label: '', delta: 0, from: 0, to: 0 };
    for (const c of classes) {
      const from = (ref.categories[c] ?? 0) / refTotal;
      const to = (this.classCounts.get(c) ?? 0) / curTotal;
      if (Math.abs(to - from) > Math.abs(worst.delta)) worst = { label: c, delta: to - from, from, to };
    }
    if (Math.abs(worst.delta) < (this.options.balanceShift ?? 0.1)) return [];
    const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
    return [
      {
        code: 'poison.class-balance',
        severity: 'medium',
        column: this.options.label,
        score: Math.abs(worst.delta),
        message: `class "${worst.label}" went from ${pct(worst.from)} to ${pct(worst.to)} of rows`,
      },
    ];
  }
}
