import type { Severity } from '@mlsecops/contracts';
import type { Cell } from '../reading/table-source';
import type { DataFinding } from '../scan/data-finding';
import type { RowVisitor } from '../scan/dataset-scan';
import { RowSample } from '../scan/row-sample';
import { recognizePii } from './pii-recognizers';
import type { PiiEntity } from './pii-recognizers';

export interface PiiScanOptions {
  /** Rows scanned in full; after them one row in `sampleEvery` (the output says so). */
  fullRows?: number;
  sampleEvery?: number;
  /** Matches scoring below this are not reported (Presidio's default threshold is 0; ours drops weak guesses). */
  minScore?: number;
}

const SEVERITY: Record<PiiEntity, Severity> = {
  CREDIT_CARD: 'high',
  IBAN_CODE: 'high',
  US_SSN: 'high',
  EMAIL_ADDRESS: 'medium',
  PHONE_NUMBER: 'medium',
  IP_ADDRESS: 'low',
};

/** Streams rows through the PII recognizers; keeps counts and row indices, never the values. */
export class PiiVisitor implements RowVisitor {
  private columns: readonly string[] = [];
  private readonly hits = new Map<string, { column: string; entity: PiiEntity; score: number; rows: RowSample }>();
  private scanned = 0;
  private seen = 0;
  private readonly fullRows: number;
  private readonly sampleEvery: number;
  private readonly minScore: number;

  constructor(options: PiiScanOptions = {}) {
    this.fullRows = options.fullRows ?? 100_000;
    this.sampleEvery = options.sampleEvery ?? 10;
    this.minScore = options.minScore ?? 0.4;
  }

  start(columns: readonly string[]): void {
    this.columns = columns;
  }

  visit(row: readonly Cell[], index: number): void {
    this.seen++;
    if (index >= this.fullRows && (index - this.fullRows) % this.sampleEvery !== 0) return;
    this.scanned++;
    for (let c = 0; c < row.length && c < this.columns.length; c++) {
      const cell = row[c];
      if (cell === null || cell === undefined || typeof cell === 'boolean') continue;
      if (typeof cell === 'number' && !Number.isSafeInteger(cell)) continue;
      const text = typeof cell === 'string' ? cell : String(cell);
      if (text.length < 7) continue;
      const column = this.columns[c] as string;
      for (const m of recognizePii(text.length > 4096 ? text.slice(0, 4096) : text, column)) {
        if (m.score < this.minScore) continue;
        const key = `${column}\u0000${m.entity}`;
        let hit = this.hits.get(key);
        if (!hit) {
          hit = { column, entity: m.entity, score: 0, rows: new RowSample() };
          this.hits.set(key, hit);
        }
        hit.rows.add(index);
        if (m.score > hit.score) hit.score = m.score;
      }
    }
  }

  finish(): DataFinding[] {
    const sampled = this.scanned < this.seen;
    const scope = sampled ? ` (sampled: ${this.scanned} of ${this.seen} rows scanned)` : '';
    const findings: DataFinding[] = [...this.hits.values()].map((h) => ({
      code: `pii.${h.entity.toLowerCase().replace(/_/g, '-')}`,
      severity: SEVERITY[h.entity],
      column: h.column,
      entity: h.entity,
      score: h.score,
      rows: [...h.rows.rows],
      rowCount: h.rows.count,
      message: `${h.rows.count} value(s) in "${h.column}" look like ${h.entity} (score ${h.score.toFixed(2)})${scope}`,
    }));
    if (sampled) {
      findings.push({
        code: 'pii.sampled',
        severity: 'info',
        message: `PII scan covered ${this.scanned} of ${this.seen} rows: the first ${this.fullRows}, then 1 in ${this.sampleEvery}`,
      });
    }
    return findings;
  }
}
