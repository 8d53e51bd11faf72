import { readCsvRecords } from '../reading/csv-byte-records';
import type { CsvByteRecord } from '../reading/csv-byte-records';
import { ByteNumber, parseCanonicalNumber, parsedByteNumber } from './byte-number';
import type { ColumnAccumulator } from './column-accumulator';
import { FieldStrings } from './field-strings';
import type { TabularCheckOptions, TabularCheckResult } from './scan-options';
import { TableScan } from './table-scan';

/**
 * A CSV pass that only summarises columns (drift): cells go from the file's bytes into the column
 * accumulators, numbers parsed in place, so the common numeric cell costs no string and no row array.
 * Gives the same result as the row path (`scanTable` over `openTable`), which the tests check.
 */
export async function scanCsvColumns(
  path: string,
  options: Omit<TabularCheckOptions, 'format'>,
): Promise<TabularCheckResult> {
  let scan: TableScan | undefined;
  let strings: FieldStrings[] = [];
  let nextProgress = 65_536;
  await readCsvRecords(
    path,
    (record) => {
      if (scan === undefined) {
        const header: string[] = [];
        for (let i = 0; i < record.fields; i++) header.push(record.field(i).trim());
        scan = new TableScan(header, true, options);
        strings = header.map(() => new FieldStrings());
        return;
      }
      addRecord(scan, strings, record);
      if (scan.rows >= nextProgress) {
        nextProgress = scan.rows + 65_536;
        options.onProgress?.({ rows: scan.rows, bytesRead: record.bytesRead });
      }
    },
    { signal: options.signal },
  );
  return (scan ?? new TableScan([], true, options)).finish();
}

function addRecord(scan: TableScan, strings: readonly FieldStrings[], record: CsvByteRecord): void {
  const row = scan.rows;
  const columns = scan.columns;
  const width = columns.length;
  const fields = record.fields;
  if (fields !== width) scan.ragged.add(row);
  const n = fields < width ? fields : width;
  const text = record.text;
  if (text !== null) {
    for (let c = 0; c < n; c++) (columns[c] as ColumnAccumulator).add(text[c] as string, row);
  } else {
    const { bytes, starts, ends } = record;
    for (let c = 0; c < n; c++) {
      const col = columns[c] as ColumnAccumulator;
      const start = starts[c] as number;
      const end = ends[c] as number;
      if (start === end) {
        col.addMissing(row);
        continue;
      }
      switch (parseCanonicalNumber(bytes, start, end)) {
        case ByteNumber.Integer:
          col.addNumber('integer', parsedByteNumber(), row);
          break;
        case ByteNumber.Fraction:
          col.addNumber('number', parsedByteNumber(), row);
          break;
        case ByteNumber.None:
          col.add((strings[c] as FieldStrings).text(bytes, start, end), row);
          break;
      }
    }
  }
  for (let c = n; c < width; c++) (columns[c] as ColumnAccumulator).addMissing(row);
  scan.rows = row + 1;
}
