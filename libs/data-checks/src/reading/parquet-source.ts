import { MlsecopsError } from '@mlsecops/contracts';
import type { OpenTableOptions, TableBatch, TableSource } from './table-source';
import { toCell } from './table-source';
import { assertDecodableCodecs, parquetCompressors } from './parquet-codecs';
import type { ParquetCompressors, RowGroupCodecs } from './parquet-codecs';

/** The slice of hyparquet's API we use (it ships ESM only, so it is loaded with a dynamic import). */
interface AsyncBuffer {
  byteLength: number;
}
interface FileMetaData {
  num_rows: bigint | number;
  row_groups: (RowGroupCodecs & { num_rows: bigint | number })[];
}
interface SchemaTree {
  element: { name: string };
  children: SchemaTree[];
}
interface Hyparquet {
  asyncBufferFromFile(path: string): Promise<AsyncBuffer>;
  parquetMetadataAsync(file: AsyncBuffer): Promise<FileMetaData>;
  parquetSchema(metadata: FileMetaData): SchemaTree;
  parquetRead(options: {
    file: AsyncBuffer;
    metadata: FileMetaData;
    compressors: ParquetCompressors;
    rowStart: number;
    rowEnd: number;
    rowFormat: 'array';
    onComplete: (rows: unknown[][]) => void;
  }): Promise<void>;
}

const HYPARQUET = 'hyparquet';

/**
 * Streams a Parquet file one row group at a time with hyparquet (pure JavaScript, no native build; see
 * docs/adr/0302-parquet-reader.md). Memory is bounded by the largest row group, not the file. Pages may be
 * uncompressed or SNAPPY, GZIP, BROTLI, ZSTD, LZ4 (Hadoop-framed or raw) or LZ4_RAW; a file using any other
 * codec is refused up front with the codec and column named.
 */
export async function openParquet(path: string, options: OpenTableOptions): Promise<TableSource> {
  // A variable specifier keeps TypeScript from needing the ESM-only typings; Node >= 20.19 can require ESM.
  const hp = (await import(HYPARQUET)) as Hyparquet;
  const compressors = await parquetCompressors();
  let file: AsyncBuffer;
  let metadata: FileMetaData;
  try {
    file = await hp.asyncBufferFromFile(path);
    metadata = await hp.parquetMetadataAsync(file);
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT';
    throw new MlsecopsError(code, `${path}: cannot read Parquet: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  assertDecodableCodecs(path, metadata.row_groups, compressors);
  const columns = hp.parquetSchema(metadata).children.map((c) => c.element.name);
  const total = Number(metadata.num_rows);
  async function* batches(): AsyncGenerator<TableBatch> {
    let rowStart = 0;
    for (const [index, group] of metadata.row_groups.entries()) {
      options.signal?.throwIfAborted();
      const rowEnd = rowStart + Number(group.num_rows);
      let rows: unknown[][];
      try {
        rows = await new Promise<unknown[][]>((resolve, reject) => {
          hp.parquetRead({
            file,
            metadata,
            compressors,
            rowStart,
            rowEnd,
            rowFormat: 'array',
            onComplete: resolve,
          }).catch(reject);
        });
      } catch (e: unknown) {
        // A corrupt page or a codec stream the decompressor rejects: name the file and where, keep the cause.
        throw new MlsecopsError(
          'INVALID_INPUT',
          `${path}: cannot decode Parquet row group ${index}: ${e instanceof Error ? e.message : String(e)}`,
          { cause: e },
        );
      }
      yield {
        rows: rows.map((r) => r.map(toCell)),
        bytesRead: Math.round((file.byteLength * rowEnd) / Math.max(total, 1)),
      };
      rowStart = rowEnd;
    }
  }
  return { columns, textCells: false, batches: batches() };
}
