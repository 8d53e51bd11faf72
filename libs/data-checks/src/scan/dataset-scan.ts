import { openTable } from '../reading/table-source';
import type { TableSource } from '../reading/table-source';
import { scanCsvColumns } from './csv-column-scan';
import type { TabularCheckOptions, TabularCheckResult } from './scan-options';
import { TableScan, needsRows } from './table-scan';

export { DEFAULT_CATEGORY_CAP, DEFAULT_VALUE_CAP } from './scan-options';
export type { RowVisitor, ScanProgress, TabularCheckOptions, TabularCheckResult } from './scan-options';
export { NULL_RATE_JUMP, profileSpecs, rowsFinding } from './scan-findings';

/**
 * Streams a CSV, JSON Lines or Parquet file once: validates it against the declared columns (missing,
 * extra, type mismatches, nulls in non-nullable columns), counts nulls and duplicate rows (by 64-bit row
 * hash, rows are never kept) and builds the dataset profile. Memory is bounded by the caps, not the file.
 * A CSV pass that needs no row-level check (drift) reads cells straight from the file's bytes.
 */
export async function checkTabularDataset(path: string, options: TabularCheckOptions): Promise<TabularCheckResult> {
  if (options.format === 'csv' && !needsRows(options)) return scanCsvColumns(path, options);
  const source = await openTable(path, options.format, { signal: options.signal });
  return scanTable(source, options);
}

/** The same as {@link checkTabularDataset} on an opened source. */
export async function scanTable(
  source: TableSource,
  options: Omit<TabularCheckOptions, 'format'>,
): Promise<TabularCheckResult> {
  const scan = new TableScan(source.columns, source.textCells, options);
  let nextProgress = 65_536;
  for await (const batch of source.batches) {
    options.signal?.throwIfAborted();
    for (const row of batch.rows) scan.addRow(row);
    if (scan.rows >= nextProgress) {
      nextProgress = scan.rows + 65_536;
      options.onProgress?.({ rows: scan.rows, bytesRead: batch.bytesRead });
    }
  }
  return scan.finish();
}
