const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/**
 * Incremental RFC 4180 parser: feed it decoded text chunks of any size and it emits complete records.
 * Handles quoted fields with doubled quotes, delimiters and line breaks (LF, CRLF, lone CR) inside
 * quotes, and a CRLF split across two chunks. Blank lines are skipped. Lenient where RFC 4180 is
 * silent: a quote inside an unquoted field, or text after a closing quote, is kept literally.
 *
 * Unquoted fields are sliced out of the chunk in one step (scan with `charCodeAt`, then `slice`), which
 * keeps the hot loop free of per-character string concatenation.
 */
export class CsvParser {
  private state: State = State.FieldStart;
  private field = '';
  private record: string[] = [];
  private skipLeadingLf = false;
  private readonly delimiter: number;

  constructor(delimiter = ',') {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new Error(`unsupported CSV delimiter ${JSON.stringify(delimiter)}`);
    }
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Parses `chunk`, appending every record it completes to `out`. */
  push(chunk: string, out: string[][]): void {
    const delim = this.delimiter;
    const len = chunk.length;
    let i = 0;
    if (this.skipLeadingLf) {
      this.skipLeadingLf = false;
      if (len > 0 && chunk.charCodeAt(0) === LF) i = 1;
    }
    while (i < len) {
      switch (this.state) {
        case State.FieldStart: {
          if (chunk.charCodeAt(i) === QUOTE) {
            this.state = State.Quoted;
            i++;
          } else {
            this.state = State.Unquoted;
          }
          break;
        }
        case State.Unquoted: {
          let j = i;
          let c = 0;
          while (j < len) {
            c = chunk.charCodeAt(j);
            if (c === delim || c === LF || c === CR) break;
            j++;
          }
          if (j === len) {
            this.field += chunk.slice(i, j);
            i = j;
            break;
          }
          const value = this.field.length === 0 ? chunk.slice(i, j) : this.field + chunk.slice(i, j);
          this.field = '';
          i = j + 1;
          if (c === delim) {
            this.record.push(value);
            this.state = State.FieldStart;
          } else {
            i = this.endLine(chunk, i, c, value, out);
          }
          break;
        }
        case State.Quoted: {
          const j = chunk.indexOf('"', i);
          if (j < 0) {
            this.field += chunk.slice(i);
            i = len;
          } else {
            this.field += chunk.slice(i, j);
            this.state = State.QuoteInQuoted;
            i = j + 1;
          }
          break;
        }
        case State.QuoteInQuoted: {
          const c = chunk.charCodeAt(i);
          if (c === QUOTE) {
            this.field += '"';
            this.state = State.Quoted;
            i++;
          } else if (c === delim) {
            this.record.push(this.field);
            this.field = '';
            this.state = State.FieldStart;
            i++;
          } else if (c === LF || c === CR) {
            const value = this.field;
            this.field = '';
            // A quoted empty field on its own line is a record, not a blank line.
            this.record.push(value);
            i = this.endRecord(chunk, i + 1, c, out);
          } else {
            this.state = State.Unquoted;
          }
          break;
        }
      }
    }
  }

  /** Flushes the last record when the input does not end with a line break. */
  end(out: string[][]): void {
    if (this.state === State.Quoted) {
      throw new Error('CSV input ends inside a quoted field');
    }
    if (this.state === State.QuoteInQuoted || this.state === State.Unquoted || this.record.length > 0) {
      const value = this.field;
      this.field = '';
      if (this.state === State.Unquoted && value.length === 0 && this.record.length === 0) {
        this.state = State.FieldStart;
        return;
      }
      this.record.push(value);
      out.push(this.record);
      this.record = [];
    }
    this.state = State.FieldStart;
  }

  private endLine(chunk: string, i: number, c: number, value: string, out: string[][]): number {
    if (value.length === 0 && this.record.length === 0) {
      // Blank line.
      this.state = State.FieldStart;
      return this.skipLf(chunk, i, c);
    }
    this.record.push(value);
    return this.endRecord(chunk, i, c, out);
  }

  private endRecord(chunk: string, i: number, c: number, out: string[][]): number {
    out.push(this.record);
    this.record = [];
    this.state = State.FieldStart;
    return this.skipLf(chunk, i, c);
  }

  private skipLf(chunk: string, i: number, c: number): number {
    if (c !== CR) return i;
    if (i < chunk.length) return chunk.charCodeAt(i) === LF ? i + 1 : i;
    this.skipLeadingLf = true;
    return i;
  }
}
