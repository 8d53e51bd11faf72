import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { MlsecopsError } from '@mlsecops/contracts';
import type { DatasetFormat } from '@mlsecops/contracts';
import { CsvParser } from './csv-parser';

/** One cell as read: CSV gives strings (empty = missing), JSON Lines and Parquet give typed values. */
export type Cell = string | number | boolean | null;

/** A table streamed in batches of rows; rows are dropped by the caller once inspected. */
export interface TableBatch {
  rows: Cell[][];
  /** Bytes of the file consumed so far (progress for heartbeats). */
  bytesRead: number;
}

export interface TableSource {
  /** Column names in file order (CSV header, first JSON object's keys, Parquet schema). */
  columns: string[];
  /** True when cells are strings to be typed by content (CSV), false when the format carries types. */
  textCells: boolean;
  batches: AsyncIterable<TableBatch>;
}

export interface OpenTableOptions {
  /** Bytes per read; larger reads mean fewer, longer parse steps. */
  chunkBytes?: number;
  signal?: AbortSignal;
}

const DEFAULT_CHUNK = 1 << 20;

/** Opens a tabular file for streaming. Never reads the whole file into memory (Parquet: one row group at a time). */
export async function openTable(
  path: string,
  format: DatasetFormat,
  options: OpenTableOptions = {},
): Promise<TableSource> {
  switch (format) {
    case 'csv':
      return openCsv(path, options);
    case 'jsonl':
      return openJsonLines(path, options);
    case 'parquet': {
      const { openParquet } = await import('./parquet-source');
      return openParquet(path, options);
    }
  }
}

/** Streams decoded text chunks of a file, with the UTF-8 BOM removed and multi-byte characters kept whole. */
async function* textChunks(
  path: string,
  options: OpenTableOptions,
): AsyncGenerator<{ text: string; bytesRead: number }> {
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? DEFAULT_CHUNK });
  const decoder = new StringDecoder('utf8');
  let bytesRead = 0;
  let first = true;
  try {
    for await (const buf of stream as AsyncIterable<Buffer>) {
      options.signal?.throwIfAborted();
      bytesRead += buf.length;
      let text = decoder.write(buf);
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      yield { text, bytesRead };
    }
  } catch (e: unknown) {
    throw ioError(path, e);
  } finally {
    stream.destroy();
  }
  const rest = decoder.end();
  if (rest.length > 0) yield { text: rest, bytesRead };
}

async function openCsv(path: string, options: OpenTableOptions): Promise<TableSource> {
  const chunks = textChunks(path, options);
  const parser = new CsvParser();
  let pending: string[][] = [];
  let header: string[] | undefined;
  let bytesRead = 0;
  let done = false;
  // Read until the header record is complete.
  while (header === undefined) {
    const next = await chunks.next();
    if (next.done) {
      parseOrThrow(() => parser.end(pending), path);
      done = true;
    } else {
      bytesRead = next.value.bytesRead;
      parseOrThrow(() => parser.push(next.value.text, pending), path);
    }
    if (pending.length > 0) {
      header = pending[0];
      pending = pending.slice(1);
    } else if (done) {
      header = [];
    }
  }
  const columns = header.map((h) => h.trim());
  async function* batches(): AsyncGenerator<TableBatch> {
    if (pending.length > 0) yield { rows: pending, bytesRead };
    if (done) return;
    for (;;) {
      const next = await chunks.next();
      const out: string[][] = [];
      if (next.done) {
        parseOrThrow(() => parser.end(out), path);
        if (out.length > 0) yield { rows: out, bytesRead };
        return;
      }
      bytesRead = next.value.bytesRead;
      parseOrThrow(() => parser.push(next.value.text, out), path);
      if (out.length > 0) yield { rows: out, bytesRead };
    }
  }
  return { columns, textCells: true, batches: batches() };
}

async function openJsonLines(path: string, options: OpenTableOptions): Promise<TableSource> {
  const chunks = textChunks(path, options);
  let carry = '';
  let lineNo = 0;
  let bytesRead = 0;
  let columns: string[] | undefined;
  let index = new Map<string, number>();
  const firstRows: Cell[][] = [];
  let ended = false;

  const toRow = (line: string): Cell[] | undefined => {
    lineNo++;
    if (line.trim().length === 0) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e: unknown) {
      throw new MlsecopsError('INVALID_INPUT', `${path}: line ${lineNo} is not valid JSON`, { cause: e });
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new MlsecopsError('INVALID_INPUT', `${path}: line ${lineNo} is not a JSON object`);
    }
    const obj = value as Record<string, unknown>;
    if (columns === undefined) {
      columns = Object.keys(obj);
      index = new Map(columns.map((c, i) => [c, i]));
    }
    const row: Cell[] = new Array<Cell>(columns.length).fill(null);
    for (const key of Object.keys(obj)) {
      const at = index.get(key);
      // A key the first object did not have lengthens the row, so the scan reports it as a row whose
      // fields do not match (schema.field-count) instead of the value vanishing unseen.
      if (at !== undefined) row[at] = toCell(obj[key]);
      else row.push(toCell(obj[key]));
    }
    return row;
  };
  const splitLines = (text: string, out: Cell[][]): void => {
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl < 0) {
      carry += text;
      return;
    }
    let line = carry + text.slice(0, nl);
    carry = '';
    for (;;) {
      const row = toRow(line.endsWith('\r') ? line.slice(0, -1) : line);
      if (row) out.push(row);
      start = nl + 1;
      nl = text.indexOf('\n', start);
      if (nl < 0) break;
      line = text.slice(start, nl);
    }
    carry = text.slice(start);
  };
  const flush = (out: Cell[][]): void => {
    if (carry.length > 0) {
      const row = toRow(carry);
      carry = '';
      if (row) out.push(row);
    }
  };
  while (columns === undefined && !ended) {
    const next = await chunks.next();
    if (next.done) {
      flush(firstRows);
      ended = true;
    } else {
      bytesRead = next.value.bytesRead;
      splitLines(next.value.text, firstRows);
    }
  }
  async function* batches(): AsyncGenerator<TableBatch> {
    if (firstRows.length > 0) yield { rows: firstRows, bytesRead };
    if (ended) return;
    for (;;) {
      const next = await chunks.next();
      const out: Cell[][] = [];
      if (next.done) {
        flush(out);
        if (out.length > 0) yield { rows: out, bytesRead };
        return;
      }
      bytesRead = next.value.bytesRead;
      splitLines(next.value.text, out);
      if (out.length > 0) yield { rows: out, bytesRead };
    }
  }
  return { columns: columns ?? [], textCells: false, batches: batches() };
}

/** JSON values to cells: nested objects and arrays are kept as their JSON text. */
export function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

function parseOrThrow(fn: () => void, path: string): void {
  try {
    fn();
  } catch (e: unknown) {
    throw new MlsecopsError('INVALID_INPUT', `${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function ioError(path: string, e: unknown): MlsecopsError {
  if (e instanceof MlsecopsError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new MlsecopsError('NOT_FOUND', `${path}: no such file`, { cause: e });
  if (e instanceof Error && e.name === 'AbortError') throw e;
  return new MlsecopsError('IO_ERROR', `${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}
