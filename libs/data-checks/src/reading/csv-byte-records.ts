import { open } from 'node:fs/promises';
import { MlsecopsError } from '@mlsecops/contracts';
import { CsvParser } from './csv-parser';

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
const DEFAULT_CHUNK = 1 << 20;

/**
 * One CSV record as byte ranges of `bytes`: field `i` is `bytes[starts[i]..ends[i])`. Valid only during
 * the callback that receives it (the buffer is reused). Records with a quoted field come as `text`
 * instead, parsed by {@link CsvParser}, so quoting has a single definition.
 */
export class CsvByteRecord {
  bytes: Buffer = Buffer.alloc(0);
  fields = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  text: string[] | null = null;
  /** File bytes read so far (progress). */
  bytesRead = 0;

  /** Field `i` as a string (UTF-8), whichever form the record came in. */
  field(i: number): string {
    if (this.text !== null) return this.text[i] ?? '';
    return this.bytes.toString('utf8', this.starts[i], this.ends[i]);
  }

  /** Makes room for field index `i`. */
  reserve(i: number): void {
    if (i < this.starts.length) return;
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }
}

export interface CsvByteReadOptions {
  /** Bytes per read; the buffer grows past it only for a record longer than that. */
  chunkBytes?: number;
  signal?: AbortSignal;
}

/**
 * Reads a CSV file as bytes and calls `onRecord` for each record, header included. Field boundaries are
 * found on the raw bytes (delimiters and quotes are ASCII, so UTF-8 needs no decoding for that), which
 * lets callers parse numbers without making a string per cell. Same records as {@link CsvParser} over the
 * decoded text: RFC 4180 quoting with line breaks inside quotes, CRLF/LF/lone CR, blank lines skipped,
 * BOM removed. Memory: one buffer of `chunkBytes` plus the longest record.
 */
export async function readCsvRecords(
  path: string,
  onRecord: (record: CsvByteRecord) => void,
  options: CsvByteReadOptions = {},
): Promise<void> {
  const file = await io(path, open(path, 'r'));
  const record = new CsvByteRecord();
  let buf = Buffer.allocUnsafe(options.chunkBytes ?? DEFAULT_CHUNK);
  let len = 0;
  let pos = 0;
  let first = true;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      if (len === buf.length) {
        // A record longer than the buffer: grow it, keeping the partial record.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      const { bytesRead } = await io(path, file.read(buf, len, buf.length - len, null));
      len += bytesRead;
      record.bytesRead += bytesRead;
      const eof = bytesRead === 0;
      if (first && (len >= 3 || eof)) {
        first = false;
        if (len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
      }
      if (first) continue;
      record.bytes = buf;
      pos = scanRecords(record, pos, len, eof, onRecord, path);
      if (eof) return;
      buf.copy(buf, 0, pos, len);
      len -= pos;
      pos = 0;
    }
  } finally {
    await file.close();
  }
}

/**
 * Delivers every complete record in `bytes[pos..len)` and returns where the first incomplete one starts.
 * A record is complete at its line break outside quotes (a CR needs the next byte, which may be its LF),
 * or at the end of the file.
 */
function scanRecords(
  record: CsvByteRecord,
  pos: number,
  len: number,
  eof: boolean,
  onRecord: (r: CsvByteRecord) => void,
  path: string,
): number {
  const buf = record.bytes;
  records: for (;;) {
    const recordStart = pos;
    let i = pos;
    let fields = 0;
    let quoted = false;
    for (;;) {
      const fieldStart = i;
      if (i < len && buf[i] === QUOTE) {
        quoted = true;
        i = closingQuote(buf, i + 1, len);
        if (i < 0) {
          if (!eof) return recordStart;
          throw new MlsecopsError('INVALID_INPUT', `${path}: CSV input ends inside a quoted field`);
        }
        if (i === len && !eof) return recordStart;
      }
      // Unquoted text (or text after a closing quote, kept literally) runs to a comma or a line break.
      let c = 0;
      while (i < len) {
        c = buf[i] as number;
        if (c === COMMA || c === LF || c === CR) break;
        i++;
      }
      if (i === len && !eof) return recordStart;
      record.reserve(fields);
      record.starts[fields] = fieldStart;
      record.ends[fields] = i;
      fields++;
      if (i < len && c === COMMA) {
        i++;
        continue;
      }
      let next = i + 1;
      if (i < len && c === CR) {
        if (next === len && !eof) return recordStart;
        if (next < len && buf[next] === LF) next++;
      }
      const blank = fields === 1 && !quoted && i === recordStart;
      if (!blank) deliver(record, fields, quoted, recordStart, i, onRecord);
      if (i >= len) return len;
      pos = next;
      continue records;
    }
  }
}

/** Index just past the quote closing a quoted field whose content starts at `i` (`""` is an escaped quote); -1 when it is not in the buffer. */
function closingQuote(buf: Buffer, i: number, len: number): number {
  for (;;) {
    const q = buf.indexOf(QUOTE, i);
    if (q < 0 || q >= len) return -1;
    if (q + 1 < len && buf[q + 1] === QUOTE) {
      i = q + 2;
      continue;
    }
    return q + 1;
  }
}

function deliver(
  record: CsvByteRecord,
  fields: number,
  quoted: boolean,
  start: number,
  end: number,
  onRecord: (r: CsvByteRecord) => void,
): void {
  record.fields = fields;
  if (quoted) {
    // Rare in numeric data: let the text parser unescape it, so quoting rules live in one place.
    const parser = new CsvParser();
    const out: string[][] = [];
    parser.push(record.bytes.toString('utf8', start, end), out);
    parser.end(out);
    record.text = out[0] ?? [];
    record.fields = record.text.length;
  } else {
    record.text = null;
  }
  onRecord(record);
}

/** File-system failures as our coded errors (a missing file is NOT_FOUND). */
async function io<T>(path: string, op: Promise<T>): Promise<T> {
  try {
    return await op;
  } catch (e: unknown) {
    throw ioError(path, e);
  }
}

function ioError(path: string, e: unknown): MlsecopsError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new MlsecopsError('NOT_FOUND', `${path}: no such file`, { cause: e });
  return new MlsecopsError('IO_ERROR', `${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}
