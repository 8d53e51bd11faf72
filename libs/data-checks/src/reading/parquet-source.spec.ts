import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTabularDataset } from '../scan/dataset-scan';

interface Writer {
  parquetWriteBuffer(options: { columnData: { name: string; data: unknown[]; type?: string }[]; rowGroupSize?: number }): ArrayBuffer;
}

const WRITER = 'hyparquet-writer';

describe('Parquet reading (hyparquet)', () => {
  it('streams row groups with typed values and validates them like CSV', async () => {
    const writer = (await import(WRITER)) as Writer;
    const n = 2500;
    const buf = writer.parquetWriteBuffer({
      rowGroupSize: 1000,
      columnData: [
        { name: 'id', data: Array.from({ length: n }, (_, i) => i), type: 'INT32' },
        { name: 'score', data: Array.from({ length: n }, (_, i) => (i % 10 === 0 ? null : i / 4)), type: 'DOUBLE' },
        { name: 'name', data: Array.from({ length: n }, (_, i) => `n${i % 3}`), type: 'STRING' },
        { name: 'ok', data: Array.from({ length: n }, (_, i) => i % 2 === 0), type: 'BOOLEAN' },
      ],
    });
    const path = join(mkdtempSync(join(tmpdir(), 'dc-pq-')), 'd.parquet');
    writeFileSync(path, Buffer.from(buf));
    const r = await checkTabularDataset(path, {
      format: 'parquet',
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'score', type: 'number', nullable: false },
        { name: 'name', type: 'string', nullable: false },
        { name: 'ok', type: 'boolean', nullable: false },
      ],
    });
    expect(r.quality).toEqual({ rows: n, nullsPerColumn: { id: 0, score: 250, ok: 0, name: 0 }, duplicateRows: 0 });
    expect(r.findings.map((f) => [f.code, f.column, f.rowCount])).toEqual([['quality.null-in-required', 'score', 250]]);
    const score = r.profile.columns.find((c) => c.name === 'score');
    expect(score?.numeric).toMatchObject({ count: 2250, min: 0.25, max: 2499 / 4 });
    expect(r.profile.columns.find((c) => c.name === 'name')?.categories).toEqual({ n0: 834, n1: 833, n2: 833 });
  });
});
