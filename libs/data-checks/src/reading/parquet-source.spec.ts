import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MlsecopsError } from '@mlsecops/contracts';
import { checkTabularDataset } from '../scan/dataset-scan';
import { openParquet } from './parquet-source';
import type { Cell } from './table-source';

interface Writer {
  parquetWriteBuffer(options: {
    columnData: { name: string; data: unknown[]; type?: string; codec?: string }[];
    rowGroupSize?: number;
    compressors?: Record<string, (input: Uint8Array) => Uint8Array>;
  }): ArrayBuffer;
}
interface HyparquetMeta {
  asyncBufferFromFile(path: string): Promise<unknown>;
  parquetMetadataAsync(file: unknown): Promise<{ row_groups: { columns: { meta_data: { codec: string } }[] }[] }>;
}

const WRITER = 'hyparquet-writer';
const HYPARQUET = 'hyparquet';
const repo = resolve(__dirname, '../../../..');
const fixtures = join(repo, 'libs/data-checks/fixtures/parquet');

async function readAll(path: string): Promise<{ columns: string[]; rows: Cell[][] }> {
  const source = await openParquet(path, {});
  const rows: Cell[][] = [];
  for await (const batch of source.batches) rows.push(...batch.rows);
  return { columns: source.columns, rows };
}

/** The codec of every column chunk, as the file's footer records it. */
async function codecsOf(path: string): Promise<string[]> {
  const hp = (await import(HYPARQUET)) as HyparquetMeta;
  const metadata = await hp.parquetMetadataAsync(await hp.asyncBufferFromFile(path));
  return [...new Set(metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data.codec)))];
}

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

describe('Parquet compression codecs', () => {
  const ROWS = 2500;
  const expectedRow = (i: number): Cell[] => [i, i % 7 === 0 ? null : i * 0.25 - 3, `name-${i % 13}`, i % 3 === 0];
  let dir: string;
  beforeAll(() => {
    // Files written by pyarrow (the writer most Parquet in the wild comes from), pinned in the reference venv.
    const python = execFileSync('bash', [join(repo, 'tools/python/ensure-venv.sh'), 'reference'], {
      cwd: repo,
      encoding: 'utf8',
    }).trim();
    dir = mkdtempSync(join(tmpdir(), 'dc-pq-codecs-'));
    execFileSync(python, [join(repo, 'libs/data-checks/reference/parquet_codecs.py'), dir, String(ROWS)], {
      encoding: 'utf8',
    });
  }, 600_000);

  it.each([
    ['uncompressed', 'UNCOMPRESSED'],
    ['snappy', 'SNAPPY'],
    ['gzip', 'GZIP'],
    ['brotli', 'BROTLI'],
    ['zstd', 'ZSTD'],
    ['zstd-v2', 'ZSTD'],
    ['lz4_raw', 'LZ4_RAW'],
  ])('reads every value of a pyarrow %s file (%s pages)', async (stem, codec) => {
    const path = join(dir, `${stem}.parquet`);
    expect(await codecsOf(path)).toEqual([codec]);
    const { columns, rows } = await readAll(path);
    expect(columns).toEqual(['id', 'score', 'name', 'flag']);
    expect(rows).toHaveLength(ROWS);
    rows.forEach((row, i) => expect(row).toEqual(expectedRow(i)));
  });

  it.each([['hadoop_lz4_compressed'], ['non_hadoop_lz4_compressed']])(
    'reads the legacy LZ4 codec (%s)',
    async (stem) => {
      const path = join(fixtures, `${stem}.parquet`);
      expect(await codecsOf(path)).toEqual(['LZ4']);
      expect(await readAll(path)).toEqual({
        columns: ['c0', 'c1', 'v11'],
        rows: [
          [1593604800, 'abc', 42],
          [1593604800, 'def', 7.7],
          [1593604801, 'abc', 42.125],
          [1593604801, 'def', 7.7],
        ],
      });
    },
  );

  it('refuses a codec it cannot decompress before reading, naming the codec and the column', async () => {
    const writer = (await import(WRITER)) as Writer;
    const buf = writer.parquetWriteBuffer({
      // LZO pages (stored as-is here: no maintained JavaScript LZO exists, which is the point of the check).
      compressors: { LZO: (input) => input },
      columnData: [
        { name: 'id', data: [1, 2, 3], type: 'INT32' },
        { name: 'secret', data: ['a', 'b', 'c'], type: 'STRING', codec: 'LZO' },
      ],
    });
    const path = join(mkdtempSync(join(tmpdir(), 'dc-pq-lzo-')), 'lzo.parquet');
    writeFileSync(path, Buffer.from(buf));
    expect(await codecsOf(path)).toEqual(['SNAPPY', 'LZO']);
    const error = await openParquet(path, {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MlsecopsError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect((error as Error).message).toMatch(
      /column "secret" \(row group 0\) is compressed with LZO, which this reader cannot decompress \(supported: UNCOMPRESSED, SNAPPY, GZIP, BROTLI, ZSTD, LZ4, LZ4_RAW\)/,
    );
    await expect(checkTabularDataset(path, { format: 'parquet' })).rejects.toThrow(/compressed with LZO/);
  });

  it('reports a corrupt compressed page as invalid input naming the row group', async () => {
    const bytes = readFileSync(join(dir, 'zstd.parquet'));
    const magic = bytes.indexOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
    expect(magic).toBeGreaterThan(0);
    bytes.fill(0, magic, magic + 4);
    const path = join(dir, 'zstd-corrupt.parquet');
    writeFileSync(path, bytes);
    await expect(readAll(path)).rejects.toThrow(/zstd-corrupt\.parquet: cannot decode Parquet row group 0: /);
    await expect(readAll(path)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
