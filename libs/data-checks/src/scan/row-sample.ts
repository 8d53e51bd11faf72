/** How many row indices a finding carries; `rowCount` carries the total. */
export const MAX_FINDING_ROWS = 20;

/** Counts affected rows and keeps the first few indices. */
export class RowSample {
  count = 0;
  readonly rows: number[] = [];

  add(row: number): void {
    this.count++;
    if (this.rows.length < MAX_FINDING_ROWS) this.rows.push(row);
  }
}
