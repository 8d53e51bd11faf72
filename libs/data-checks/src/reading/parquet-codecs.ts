import { MlsecopsError } from '@mlsecops/contracts';

/** Decompresses one Parquet page to exactly `outputLength` bytes (hyparquet's `Compressors` shape). */
export type Decompressor = (input: Uint8Array, outputLength: number) => Uint8Array;
export type ParquetCompressors = Readonly<Partial<Record<string, Decompressor>>>;

/** The column-chunk metadata fields the codec check reads (hyparquet's `FileMetaData.row_groups`). */
export interface RowGroupCodecs {
  columns: { meta_data?: { codec?: string; path_in_schema: string[] } }[];
}

const COMPRESSORS = 'hyparquet-compressors';
let compressors: Promise<ParquetCompressors> | undefined;

/**
 * The decompressors of `hyparquet-compressors` (GZIP, BROTLI, ZSTD, LZ4 with Hadoop framing, LZ4_RAW, and a
 * WebAssembly SNAPPY), loaded once per process: the package is ESM only, like hyparquet (ADR 0302).
 */
export function parquetCompressors(): Promise<ParquetCompressors> {
  compressors ??= (import(COMPRESSORS) as Promise<{ compressors: ParquetCompressors }>).then(
    (m) => m.compressors,
    (e: unknown) => {
      compressors = undefined;
      throw e;
    },
  );
  return compressors;
}

/** Codec names this reader can decompress with the given decompressors, for error messages. */
export function decodableCodecs(available: ParquetCompressors): string[] {
  return ['UNCOMPRESSED', ...Object.keys(available).filter((k) => available[k] !== undefined)];
}

/**
 * Refuses a file before any row is read when a column chunk uses a codec we cannot decompress (LZO, or a
 * codec id newer than the reader), naming the codec, the column and the row group. Without this check the
 * failure would surface mid-scan as a bare "unsupported compression codec" with no column.
 */
export function assertDecodableCodecs(
  path: string,
  rowGroups: readonly RowGroupCodecs[],
  available: ParquetCompressors,
): void {
  rowGroups.forEach((group, index) => {
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (meta === undefined) continue;
      const codec = meta.codec;
      if (codec === 'UNCOMPRESSED' || (codec !== undefined && available[codec] !== undefined)) continue;
      throw new MlsecopsError(
        'INVALID_INPUT',
        `${path}: column "${meta.path_in_schema.join('.')}" (row group ${index}) is compressed with ` +
          `${codec ?? 'an unknown codec id'}, which this reader cannot decompress ` +
          `(supported: ${decodableCodecs(available).join(', ')}); rewrite the file with one of those codecs`,
      );
    }
  });
}
