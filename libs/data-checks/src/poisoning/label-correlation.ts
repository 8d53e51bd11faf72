import type { Cell } from '../reading/table-source';
import { cellKind, isMissing, numericValue } from '../scan/cell-kind';
import type { DataFinding } from '../scan/data-finding';
import type { RowVisitor } from '../scan/dataset-scan';

interface Moments {
  n: number;
  sum: number;
  sumSq: number;
}

/**
 * Streams the correlation ratio η between each numeric feature and the label (η² = between-class sum of
 * squares / total sum of squares; 0 = the feature says nothing about the label, 1 = it determines it).
 * Works for any number of classes, in one pass with per-class sums.
 */
export class LabelCorrelationVisitor implements RowVisitor {
  private labelAt = -1;
  private columns: readonly string[] = [];
  /** Per feature column: per class moments; a column is dropped once it shows a non-numeric value. */
  private readonly stats = new Map<number, Map<string, Moments>>();
  private readonly dropped = new Set<number>();

  constructor(readonly label: string) {}

  start(columns: readonly string[]): void {
    this.columns = columns;
    this.labelAt = columns.indexOf(this.label);
  }

  visit(row: readonly Cell[], _index: number): void {
    if (this.labelAt < 0) return;
    const labelCell = row[this.labelAt] ?? null;
    if (labelCell === null || isMissing(labelCell)) return;
    const label = String(labelCell);
    for (let c = 0; c < this.columns.length; c++) {
      if (c === this.labelAt || this.dropped.has(c)) continue;
      const cell = row[c] ?? null;
      if (cell === null || isMissing(cell)) continue;
      const kind = cellKind(cell, typeof cell === 'string');
      if (kind !== 'integer' && kind !== 'number') {
        this.dropped.add(c);
        this.stats.delete(c);
        continue;
      }
      const v = numericValue(cell);
      if (!Number.isFinite(v)) continue;
      let perClass = this.stats.get(c);
      if (!perClass) {
        perClass = new Map();
        this.stats.set(c, perClass);
      }
      const m = perClass.get(label);
      if (m) {
        m.n++;
        m.sum += v;
        m.sumSq += v * v;
      } else perClass.set(label, { n: 1, sum: v, sumSq: v * v });
    }
  }

  /** η per numeric feature. */
  result(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [c, perClass] of this.stats) {
      let n = 0;
      let sum = 0;
      let sumSq = 0;
      for (const m of perClass.values()) {
        n += m.n;
        sum += m.sum;
        sumSq += m.sumSq;
      }
      if (n < 2) continue;
      const mean = sum / n;
      const total = sumSq - n * mean * mean;
      let between = 0;
      for (const m of perClass.values()) between += m.n * (m.sum / m.n - mean) ** 2;
      out[this.columns[c] as string] = total > 0 ? Math.sqrt(Math.min(1, Math.max(0, between / total))) : 0;
    }
    return out;
  }

  finish(): DataFinding[] {
    return [];
  }
}

/** A change of η this large between reference and current data is a poisoning hint. */
export const CORRELATION_SHIFT = 0.2;

/** Compares feature-label correlation ratios with the reference's. */
export function correlationShiftFindings(
  label: string,
  reference: Record<string, number>,
  current: Record<string, number>,
  threshold = CORRELATION_SHIFT,
): DataFinding[] {
  const findings: DataFinding[] = [];
  for (const [feature, ref] of Object.entries(reference)) {
    const cur = current[feature];
    if (cur === undefined) continue;
    const delta = cur - ref;
    if (Math.abs(delta) >= threshold) {
      findings.push({
        code: 'poison.correlation-shift',
        severity: 'medium',
        column: feature,
        score: Math.abs(delta),
        message: `correlation of "${feature}" with label "${label}" moved from η=${ref.toFixed(3)} to η=${cur.toFixed(3)}`,
      });
    }
  }
  return findings;
}
