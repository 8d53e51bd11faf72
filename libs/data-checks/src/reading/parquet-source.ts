import { MlsecopsError } from '@mlsecops/contracts';
import type { OpenTableOptions, TableSource } from './table-source';

/** Parquet reading is not wired yet; see docs/adr for the reader choice. */
export function openParquet(path: string, _options: OpenTableOptions): Promise<TableSource> {
  return Promise.reject(new MlsecopsError('UNSUPPORTED_FORMAT', `${path}: Parquet reading is not available yet`));
}
