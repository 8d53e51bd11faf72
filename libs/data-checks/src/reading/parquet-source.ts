import { MlsecopsError } from '@mlsecops/contracts';
import type { OpenTableOptions, TableBatch, TableSource } from './table-source';
import { toCell } from './table-source';

/** The slice of hyparquet's API we use (it ships ESM only, so it is loaded with a dynamic import). */
interface AsyncBuffer {
  byteLength: number;
}
interface FileMetaData {
  num_rows: bigint | number;
  row_groups: { num_rows: bigint | number }[];
}
interface SchemaTree {
  element: { name: string };
  children: SchemaTree[];
}
interface Hyparquet {
  asyncBufferFromFile(path: string): Promise<AsyncBuffer>;
  parquetMetadataAsync(file: AsyncBuffer): Promise<FileMetaData>;
  parquetSchema(metadata: FileMetaData): SchemaTree;
  parquetRead(options: { file: AsyncBuffer; metadata: FileMetaData; rowStart: number; rowEnd: number; rowFormat: 'array'; onComplete: (rows: unknown[][]) => void }): Promise<void>;
}

const HYPARQUET = 'hyparquet';

/**
 * Streams a Parquet file one row group at a time with hyparquet (pure JavaScript, no native build; see
 * docs/adr/0302-parquet-reader.md). Memory is bounded by the largest row group, not the file.
 */
export async function openParquet(path: string, options: OpenTableOptions): Promise<TableSource> {
  // A variable specifier keeps TypeScript from needing the ESM-only typings; Node >= 20.19 can require ESM.
  const hp = (await import(HYPARQUET)) as Hyparquet;
  let file: AsyncBuffer;
  let metadata: FileMetaData;
  try {
    file = await hp.asyncBufferFromFile(path);
    metadata = await hp.parquetMetadataAsync(file);
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT';
    throw new MlsecopsError(code, `${path}: cannot read Parquet: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const columns = hp.parquetSchema(metadata).children.map((c) => c.element.name);
  const total = Number(metadata.num_rows);
  async function* batches(): AsyncGenerator<TableBatch> {
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      options.signal?.throwIfAborted();
      const rowEnd = rowStart + Number(group.num_rows);
      const rows = await new Promise<unknown[][]>((resolve, reject) => {
        hp.parquetRead({ file, metadata, rowStart, rowEnd, rowFormat: 'array', onComplete: resolve }).catch(reject);
      });
      yield { rows: rows.map((r) => r.map(toCell)), bytesRead: Math.round((file.byteLength * rowEnd) / Math.max(total, 1)) };
      rowStart = rowEnd;
    }
  }
  return { columns, textCells: false, batches: batches() };
}
